import { describe, expect, it } from 'vitest';
import { buildLocalDay } from '../../tenants/availability/local-days.ts';
import { layoutDay, type CalendarMaster } from '../../tenants/board/day-layout.ts';

const ZONE = 'Europe/Berlin';
const anna: CalendarMaster = {
  id: 'm1',
  name: 'Anna',
  // Every day 09:00–18:00 with lunch 13:00–13:30.
  hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 9 * 60, end: 18 * 60 })),
  breaks: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 13 * 60, end: 13 * 60 + 30 })),
  timeOff: [],
};

describe('a location day on the board', () => {
  it('an ordinary day: working time, break and a visit where the clock says', () => {
    const day = buildLocalDay(ZONE, '2026-12-02');
    const visit = {
      id: 'b1',
      masterId: 'm1',
      start: Date.parse('2026-12-02T09:00:00Z'),
      end: Date.parse('2026-12-02T09:45:00Z'),
      status: 'confirmed',
      label: 'Zoe',
      client: 'Zoe',
    };
    const layout = layoutDay(day, [anna], [visit]);
    expect(layout.length).toBe(1440);
    expect(layout.columns[0]!.working).toEqual([{ from: 540, to: 1080 }]);
    expect(layout.columns[0]!.breaks).toEqual([{ from: 780, to: 810 }]);
    expect(layout.columns[0]!.visits[0]).toMatchObject({ from: 600, to: 645, id: 'b1' });
    expect(layout.view).toEqual({ from: 540, to: 1080 });
    expect(layout.hours.map((h) => h.wall / 60)).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
  });

  it('the fall-back day has 25 hours: 02:00 twice, working time an hour later into the day', () => {
    const day = buildLocalDay(ZONE, '2026-10-25');
    const layout = layoutDay(
      day,
      [{ ...anna, hours: [{ weekday: 7, start: 0, end: 1440 }], breaks: [] }],
      [],
    );
    expect(layout.length).toBe(1500);
    expect(layout.hours.filter((h) => h.wall === 120)).toHaveLength(2);
    expect(layout.hours).toHaveLength(25);
    const nine = layoutDay(day, [anna], []);
    expect(nine.columns[0]!.working).toEqual([{ from: 600, to: 1140 }]);
  });

  it('the spring-forward day has 23 hours and no 02:00', () => {
    const day = buildLocalDay(ZONE, '2026-03-29');
    const layout = layoutDay(
      day,
      [{ ...anna, hours: [{ weekday: 7, start: 0, end: 1440 }], breaks: [] }],
      [],
    );
    expect(layout.length).toBe(1380);
    expect(layout.hours.map((h) => h.wall)).not.toContain(120);
    expect(layout.hours).toHaveLength(23);
    expect(layoutDay(day, [anna], []).columns[0]!.working).toEqual([{ from: 480, to: 1020 }]);
  });

  it('time off: whole days cover the day, a range is clipped to it', () => {
    const day = buildLocalDay(ZONE, '2026-12-02');
    const off = layoutDay(
      day,
      [
        {
          ...anna,
          timeOff: [
            { kind: 'days', firstDay: '2026-12-01', lastDay: '2026-12-03' },
            {
              kind: 'range',
              start: Date.parse('2026-12-02T22:00:00Z'),
              end: Date.parse('2026-12-03T10:00:00Z'),
            },
          ],
        },
      ],
      [],
    );
    expect(off.columns[0]!.timeOff).toEqual([
      { from: 0, to: 1440 },
      { from: 1380, to: 1440 },
    ]);
  });

  it('nothing scheduled: 08:00 to 20:00', () => {
    const layout = layoutDay(
      buildLocalDay(ZONE, '2026-12-02'),
      [{ ...anna, hours: [], breaks: [] }],
      [],
    );
    expect(layout.view).toEqual({ from: 480, to: 1200 });
  });
});
