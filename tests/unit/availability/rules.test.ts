import { describe, expect, it } from 'vitest';
import {
  bookingMinutes,
  findSlots,
  validateWeeklyWindows,
  ZoneCalendar,
  UnknownTimezoneError,
} from '../../../tenants/availability/index.ts';
import type {
  AvailabilityPolicy,
  MasterSchedule,
  SlotSearch,
} from '../../../tenants/availability/types.ts';

const MIN = 60_000;
const MONDAY = Date.parse('2026-06-15T00:00:00Z');
const at = (hhmm: string, dayOffset = 0) =>
  MONDAY + dayOffset * 1440 * MIN + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * MIN;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

const policy: AvailabilityPolicy = {
  leadTimeMinutes: 0,
  horizonDays: 0,
  slotStepMinutes: 15,
  sameDayCutoff: null,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
};

function master(over: Partial<MasterSchedule> = {}): MasterSchedule {
  return {
    id: 'm',
    speedPercent: 100,
    skills: new Map([['cut', null]]),
    hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 9 * 60, end: 12 * 60 })),
    breaks: [],
    timeOff: [],
    busy: [],
    ...over,
  };
}

function starts(over: Partial<SlotSearch> = {}, p: Partial<AvailabilityPolicy> = {}): string[] {
  return findSlots({
    now: MONDAY,
    timezone: 'UTC',
    policy: { ...policy, ...p },
    services: [{ id: 'cut', durationMin: 60 }],
    masters: [master()],
    ...over,
  }).slots.map((s) => hhmm(s.start));
}

describe('availability rules, by example', () => {
  it('sums composite services with overrides, scales by speed, rounds up to the step', () => {
    const m = master({
      speedPercent: 125,
      skills: new Map([
        ['wash', null],
        ['cut', 40],
      ]),
    });
    const services = [
      { id: 'wash', durationMin: 30 },
      { id: 'cut', durationMin: 45 },
    ];
    expect(bookingMinutes(m, services, 15)).toBe(90); // (30 + 40) * 1.25 = 87.5 -> 90
    expect(bookingMinutes(m, services, 5)).toBe(90); // 87.5 -> 90
    expect(bookingMinutes({ ...m, speedPercent: 80 }, services, 15)).toBe(60); // 56 -> 60
    expect(bookingMinutes({ ...m, speedPercent: 100 }, services, 10)).toBe(70); // exact
    expect(bookingMinutes(master(), services, 15)).toBeUndefined(); // lacks "wash"
  });

  it('fits the whole visit in the window, on the grid from local midnight', () => {
    expect(starts()).toEqual([
      '09:00',
      '09:15',
      '09:30',
      '09:45',
      '10:00',
      '10:15',
      '10:30',
      '10:45',
      '11:00',
    ]);
    expect(
      starts({ masters: [master({ hours: [{ weekday: 1, start: 9 * 60 + 5, end: 12 * 60 }] })] }),
    ).toEqual(['09:15', '09:30', '09:45', '10:00', '10:15', '10:30', '10:45', '11:00']);
  });

  it('joins touching windows into one stretch', () => {
    const split = master({
      hours: [
        { weekday: 1, start: 9 * 60, end: 10 * 60 + 30 },
        { weekday: 1, start: 10 * 60 + 30, end: 12 * 60 },
      ],
    });
    expect(starts({ masters: [split] })).toEqual(starts());
  });

  it('leaves out breaks and time off', () => {
    const lunch = master({ breaks: [{ weekday: 1, start: 10 * 60, end: 10 * 60 + 30 }] });
    expect(starts({ masters: [lunch] })).toEqual(['09:00', '10:30', '10:45', '11:00']);
    const dentist = master({ timeOff: [{ kind: 'range', start: at('09:30'), end: at('10:00') }] });
    expect(starts({ masters: [dentist] })).toEqual(['10:00', '10:15', '10:30', '10:45', '11:00']);
    const holiday = master({
      timeOff: [{ kind: 'days', firstDay: '2026-06-15', lastDay: '2026-06-15' }],
    });
    const days = findSlots({
      now: MONDAY,
      timezone: 'UTC',
      policy: { ...policy, horizonDays: 2 },
      services: [{ id: 'cut', durationMin: 60 }],
      masters: [holiday],
    });
    expect(new Set(days.slots.map((x) => new Date(x.start).toISOString().slice(0, 10)))).toEqual(
      new Set(['2026-06-16', '2026-06-17']),
    );
  });

  it('keeps buffers between bookings: existing span widened by the new visit buffers', () => {
    // An existing booking occupies 10:00-11:00 (its own buffers already inside its span).
    const busy = master({
      hours: [{ weekday: 1, start: 8 * 60, end: 13 * 60 }],
      busy: [{ start: at('10:00'), end: at('11:00') }],
    });
    const s = (before: number, after: number) =>
      starts({ masters: [busy] }, { bufferBeforeMinutes: before, bufferAfterMinutes: after });
    expect(s(0, 0)).toEqual([
      '08:00',
      '08:15',
      '08:30',
      '08:45',
      '09:00',
      '11:00',
      '11:15',
      '11:30',
      '11:45',
      '12:00',
    ]);
    // 15 before: a new visit needs 15 free minutes ahead of it, so it may start at 11:15 at the earliest.
    expect(s(15, 0)).toEqual([
      '08:00',
      '08:15',
      '08:30',
      '08:45',
      '09:00',
      '11:15',
      '11:30',
      '11:45',
      '12:00',
    ]);
    // 15 after: a new visit needs 15 free minutes after it, so it must end by 09:45.
    expect(s(0, 15)).toEqual([
      '08:00',
      '08:15',
      '08:30',
      '08:45',
      '11:00',
      '11:15',
      '11:30',
      '11:45',
      '12:00',
    ]);
    // Buffers may fall outside working hours: 08:00 stays bookable with 15 minutes before.
    expect(s(15, 15)[0]).toBe('08:00');
  });

  it('applies lead time, horizon and the same-day cutoff', () => {
    expect(starts({ now: at('09:10') }, { leadTimeMinutes: 60 })).toEqual([
      '10:15',
      '10:30',
      '10:45',
      '11:00',
    ]);
    expect(starts({ now: at('09:10') + 30_000 }, { leadTimeMinutes: 5 })).toEqual([
      '09:30',
      '09:45',
      '10:00',
      '10:15',
      '10:30',
      '10:45',
      '11:00',
    ]);
    const twoDays = findSlots({
      now: MONDAY,
      timezone: 'UTC',
      policy: { ...policy, horizonDays: 1 },
      services: [{ id: 'cut', durationMin: 60 }],
      masters: [master()],
    });
    expect(new Set(twoDays.slots.map((s) => new Date(s.start).toISOString().slice(0, 10)))).toEqual(
      new Set(['2026-06-15', '2026-06-16']),
    );
    expect(starts({ now: at('08:00') }, { sameDayCutoff: '08:00', horizonDays: 0 })).toEqual([]);
    expect(starts({ now: at('07:59') }, { sameDayCutoff: '08:00', horizonDays: 0 })).toHaveLength(
      9,
    );
  });

  it('narrows to requested dates', () => {
    const week = findSlots({
      now: MONDAY,
      timezone: 'UTC',
      policy: { ...policy, horizonDays: 60 },
      services: [{ id: 'cut', durationMin: 60 }],
      masters: [master()],
      fromDate: '2026-06-17',
      toDate: '2026-06-18',
    });
    expect(new Set(week.slots.map((s) => new Date(s.start).toISOString().slice(0, 10)))).toEqual(
      new Set(['2026-06-17', '2026-06-18']),
    );
  });

  it('refuses an unknown timezone with a clear error', () => {
    expect(() => new ZoneCalendar('Europe/Atlantis')).toThrow(UnknownTimezoneError);
    expect(() => new ZoneCalendar('Europe/Atlantis')).toThrow(
      'unknown IANA timezone "Europe/Atlantis"',
    );
  });
});

describe('weekly window validation', () => {
  it('rejects windows crossing midnight and says how to split them', () => {
    expect(validateWeeklyWindows([{ weekday: 5, start: '22:00', end: '02:00' }])).toEqual({
      ok: false,
      problems: [
        'Working hours on Friday 22:00–02:00 cross midnight, which is not supported: split them into Friday 22:00–24:00 and Saturday 00:00–02:00',
      ],
    });
    expect(validateWeeklyWindows([{ weekday: 7, start: '23:00', end: '01:00' }])).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('Monday 00:00–01:00')],
    });
  });

  it('accepts 24:00 as the end of a day and sorts the windows', () => {
    expect(
      validateWeeklyWindows([
        { weekday: 2, start: '18:00', end: '24:00' },
        { weekday: 1, start: '09:00', end: '12:00' },
      ]),
    ).toEqual({
      ok: true,
      windows: [
        { weekday: 1, start: 540, end: 720 },
        { weekday: 2, start: 1080, end: 1440 },
      ],
    });
  });

  it('names malformed times, empty and overlapping windows, and bad weekdays', () => {
    const result = validateWeeklyWindows(
      [
        { weekday: 1, start: '9:00', end: '12:00' },
        { weekday: 2, start: '10:00', end: '10:00' },
        { weekday: 3, start: '09:00', end: '12:00' },
        { weekday: 3, start: '11:00', end: '13:00' },
        { weekday: 8, start: '09:00', end: '10:00' },
      ],
      'Breaks',
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        'Breaks on Monday: start "9:00" must be a time HH:MM from 00:00 to 23:59',
        'Breaks on Tuesday: 10:00–10:00 is empty; the end must be after the start',
        'Breaks: weekday must be 1 (Monday) to 7 (Sunday), got 8',
        'Breaks on Wednesday overlap: merge them into one window or move one',
      ],
    });
  });
});
