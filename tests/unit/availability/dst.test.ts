import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { findSlots } from '../../../tenants/availability/engine.ts';
import type { SlotSearch } from '../../../tenants/availability/types.ts';
import { referenceSlots } from '../../support/availability-reference.ts';

const hm = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** Starts offered on one local date for a master working `from`-`to` every day. */
function day(
  zone: string,
  date: string,
  from: string,
  to: string,
  step: number,
  durationMin: number,
) {
  const search: SlotSearch = {
    now: DateTime.fromISO(date, { zone }).minus({ days: 3 }).toMillis(),
    timezone: zone,
    policy: {
      leadTimeMinutes: 0,
      horizonDays: 10,
      slotStepMinutes: step,
      sameDayCutoff: null,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
    },
    services: [{ id: 's', durationMin }],
    masters: [
      {
        id: 'm',
        speedPercent: 100,
        skills: new Map([['s', null]]),
        hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: hm(from), end: hm(to) })),
        breaks: [],
        timeOff: [],
        busy: [],
      },
    ],
    fromDate: date,
    toDate: date,
  };
  const starts = findSlots(search).slots.map((s) => s.start);
  expect(new Map(starts.map((s) => [s, ['m']]))).toEqual(referenceSlots(search));
  const labels = starts.map((s) => DateTime.fromMillis(s, { zone }).toFormat('HH:mm'));
  const gaps = starts.slice(1).map((s, i) => (s - starts[i]!) / 60_000);
  return { starts, labels, gaps, utc: starts.map((s) => new Date(s).toISOString().slice(11, 16)) };
}

describe('DST and odd offsets', () => {
  it('Europe/Berlin spring forward: the skipped hour is never offered, real time has no gap', () => {
    const r = day('Europe/Berlin', '2026-03-29', '00:00', '06:00', 30, 30);
    expect(r.labels).toEqual([
      '00:00',
      '00:30',
      '01:00',
      '01:30',
      '03:00',
      '03:30',
      '04:00',
      '04:30',
      '05:00',
      '05:30',
    ]);
    expect(r.gaps.every((g) => g === 30)).toBe(true);
  });

  it('Europe/Berlin fall back: the repeated hour is offered twice, at distinct instants, without gaps', () => {
    const r = day('Europe/Berlin', '2026-10-25', '00:00', '06:00', 30, 30);
    expect(r.labels).toEqual([
      '00:00',
      '00:30',
      '01:00',
      '01:30',
      '02:00',
      '02:30',
      '02:00',
      '02:30',
      '03:00',
      '03:30',
      '04:00',
      '04:30',
      '05:00',
      '05:30',
    ]);
    expect(r.utc.slice(4, 8)).toEqual(['00:00', '00:30', '01:00', '01:30']);
    expect(new Set(r.starts).size).toBe(r.starts.length);
    expect(r.gaps.every((g) => g === 30)).toBe(true);
  });

  it('Europe/Berlin: a window starting inside the skipped hour opens at the jump; inside the repeated hour, at its first occurrence', () => {
    expect(day('Europe/Berlin', '2026-03-29', '02:30', '04:00', 30, 30).labels).toEqual([
      '03:00',
      '03:30',
    ]);
    const fall = day('Europe/Berlin', '2026-10-25', '02:30', '04:00', 30, 30);
    expect(fall.utc).toEqual(['00:30', '01:00', '01:30', '02:00', '02:30']);
    expect(fall.labels).toEqual(['02:30', '02:00', '02:30', '03:00', '03:30']);
  });

  it('America/New_York on both switch days', () => {
    expect(day('America/New_York', '2026-03-08', '01:00', '04:00', 30, 30).labels).toEqual([
      '01:00',
      '01:30',
      '03:00',
      '03:30',
    ]);
    const fall = day('America/New_York', '2026-11-01', '00:00', '03:00', 30, 30);
    expect(fall.labels).toEqual([
      '00:00',
      '00:30',
      '01:00',
      '01:30',
      '01:00',
      '01:30',
      '02:00',
      '02:30',
    ]);
    expect(fall.gaps.every((g) => g === 30)).toBe(true);
  });

  it('Asia/Kolkata (+05:30): the grid is in local time', () => {
    const r = day('Asia/Kolkata', '2026-06-15', '09:00', '11:00', 60, 60);
    expect(r.labels).toEqual(['09:00', '10:00']);
    expect(r.utc).toEqual(['03:30', '04:30']);
  });

  it('Australia/Lord_Howe: a 30-minute DST shift both ways', () => {
    const spring = day('Australia/Lord_Howe', '2026-10-04', '01:00', '04:00', 15, 15);
    expect(spring.labels).not.toContain('02:00');
    expect(spring.labels).not.toContain('02:15');
    expect(spring.starts).toHaveLength(10); // 2.5 real hours
    expect(spring.gaps.every((g) => g === 15)).toBe(true);
    const fall = day('Australia/Lord_Howe', '2026-04-05', '01:00', '03:00', 15, 15);
    expect(fall.starts).toHaveLength(10); // 2.5 real hours
    expect(fall.labels.filter((l) => l === '01:30' || l === '01:45')).toHaveLength(4);
    expect(fall.gaps.every((g) => g === 15)).toBe(true);
  });

  it('a visit that spans the switch hour lasts its real duration', () => {
    // Berlin spring forward: a 2-hour visit from 01:00 ends at 04:00 on the wall clock, 2 real hours later.
    const r = day('Europe/Berlin', '2026-03-29', '00:00', '04:00', 60, 120);
    expect(r.labels).toEqual(['00:00', '01:00']);
    // Fall back: a window 00:00-04:00 holds 5 real hours, so a 4-hour visit fits at 00:00 and 01:00.
    expect(day('Europe/Berlin', '2026-10-25', '00:00', '04:00', 60, 240).labels).toEqual([
      '00:00',
      '01:00',
    ]);
  });

  it('America/Santiago: a day whose midnight does not exist starts at the jump', () => {
    const r = day('America/Santiago', '2026-09-06', '00:00', '03:00', 30, 30);
    expect(r.labels[0]).toBe('01:00');
    expect(r.labels).toEqual(['01:00', '01:30', '02:00', '02:30']);
  });
});
