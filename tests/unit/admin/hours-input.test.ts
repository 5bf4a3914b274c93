import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { offersStart } from '../../../tenants/availability/engine.ts';
import {
  buildLocalDay,
  dayNumber,
  isoDateOf,
  wallToInstant,
} from '../../../tenants/availability/local-days.ts';
import type { TimeOff } from '../../../tenants/availability/types.ts';
import {
  applyWeeklyChange,
  checkWeeklyRemoval,
  newlyUncovered,
  parseEndOfDay,
  parseIsoDate,
  parseTimeOff,
  parseWeeklyAdd,
  spanText,
  uncoveredVisits,
  type Schedule,
  type Week,
} from '../../../tenants/admin/hours-input.ts';

const BERLIN = 'Europe/Berlin';
const utc = (iso: string) => Date.parse(`${iso}Z`);
const t = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const EMPTY: Week = { windows: [], breaks: [] };
const MONDAY_SPLIT: Week = {
  windows: [
    { id: 'w1', weekday: 1, start: t('09:00'), end: t('13:00') },
    { id: 'w2', weekday: 1, start: t('14:00'), end: t('18:00') },
  ],
  breaks: [{ id: 'b1', weekday: 1, start: t('10:00'), end: t('10:30'), label: 'Coffee' }],
};

describe('adding a window or a break', () => {
  it('accepts a window on several days; an end of 00:00 or 24:00 is midnight', () => {
    const added = parseWeeklyAdd(
      { kind: 'window', weekdays: ['2', '1', '1'], start: '9:00', end: '13:30' },
      EMPTY,
    );
    expect(added).toEqual({
      ok: true,
      value: {
        kind: 'window',
        add: [
          { weekday: 1, start: 540, end: 810, label: null },
          { weekday: 2, start: 540, end: 810, label: null },
        ],
        remove: [],
      },
    });
    for (const end of ['00:00', '24:00']) {
      const late = parseWeeklyAdd({ kind: 'window', weekdays: ['5'], start: '22:00', end }, EMPTY);
      expect(late.ok && late.value.add).toEqual([
        { weekday: 5, start: 1320, end: 1440, label: null },
      ]);
    }
    expect(parseEndOfDay('24:00')).toEqual({ ok: true, value: 1440 });
    expect(parseEndOfDay('24:01')).toEqual({ ok: false, reason: 'format' });
    expect(
      parseWeeklyAdd({ kind: 'window', weekdays: ['1'], start: '24:00', end: '24:00' }, EMPTY),
    ).toEqual({ ok: false, problems: [{ field: 'start', reason: 'format' }] });
  });

  it('a window across midnight is refused with the split to make; Sunday wraps to Monday; with split it is stored as two', () => {
    const refused = parseWeeklyAdd(
      { kind: 'window', weekdays: ['1', '7'], start: '22:00', end: '02:00' },
      EMPTY,
    );
    expect(refused).toEqual({
      ok: false,
      problems: [
        {
          field: 'end',
          reason: 'crosses_midnight',
          start: 1320,
          end: 120,
          splits: [
            { weekday: 1, next: 2 },
            { weekday: 7, next: 1 },
          ],
        },
      ],
    });
    const split = parseWeeklyAdd(
      { kind: 'window', weekdays: ['1', '7'], start: '22:00', end: '02:00', split: true },
      EMPTY,
    );
    expect(split.ok && split.value.add.map((a) => `${a.weekday} ${spanText(a)}`)).toEqual([
      '1 00:00–02:00',
      '1 22:00–24:00',
      '2 00:00–02:00',
      '7 22:00–24:00',
    ]);
    // The split's halves still meet what is already there.
    const busyTuesday: Week = {
      windows: [{ id: 'x', weekday: 2, start: t('01:00'), end: t('05:00') }],
      breaks: [],
    };
    const clash = parseWeeklyAdd(
      { kind: 'window', weekdays: ['1'], start: '22:00', end: '02:00', split: true },
      busyTuesday,
    );
    expect(clash).toEqual({
      ok: false,
      problems: [
        {
          field: 'start',
          reason: 'overlap',
          kind: 'window',
          weekday: 2,
          existing: [{ start: 60, end: 300 }],
          merged: { start: 0, end: 300 },
        },
      ],
    });
  });

  it('an empty window and unreadable fields are refused, each on its field', () => {
    expect(
      parseWeeklyAdd({ kind: 'window', weekdays: ['1'], start: '10:00', end: '10:00' }, EMPTY),
    ).toEqual({ ok: false, problems: [{ field: 'end', reason: 'zero_length', start: 600 }] });
    expect(parseWeeklyAdd({ kind: 'nap', weekdays: [], start: 'nine', end: '' }, EMPTY)).toEqual({
      ok: false,
      problems: [
        { field: 'kind', reason: 'missing' },
        { field: 'days', reason: 'no_days' },
        { field: 'start', reason: 'format' },
        { field: 'end', reason: 'empty' },
      ],
    });
    expect(
      parseWeeklyAdd(
        { kind: 'break', weekdays: ['1'], start: '10:00', end: '10:15', label: 'x'.repeat(101) },
        MONDAY_SPLIT,
      ),
    ).toEqual({ ok: false, problems: [{ field: 'label', reason: 'too_long' }] });
  });

  it('an overlap names the window it meets and the window both make; merging replaces them', () => {
    const refused = parseWeeklyAdd(
      { kind: 'window', weekdays: ['1'], start: '12:00', end: '15:00' },
      MONDAY_SPLIT,
    );
    expect(refused).toEqual({
      ok: false,
      problems: [
        {
          field: 'start',
          reason: 'overlap',
          kind: 'window',
          weekday: 1,
          existing: [
            { start: 540, end: 780 },
            { start: 840, end: 1080 },
          ],
          merged: { start: 540, end: 1080 },
        },
      ],
    });
    const merged = parseWeeklyAdd(
      { kind: 'window', weekdays: ['1'], start: '12:00', end: '15:00', merge: true },
      MONDAY_SPLIT,
    );
    expect(merged.ok && merged.value).toEqual({
      kind: 'window',
      add: [{ weekday: 1, start: 540, end: 1080, label: null }],
      remove: MONDAY_SPLIT.windows,
    });
    expect(
      merged.ok && applyWeeklyChange(MONDAY_SPLIT, merged.value).windows.map(spanText),
    ).toEqual(['09:00–18:00']);
    // Touching is not overlapping: 13:00–14:00 fills the gap.
    expect(
      parseWeeklyAdd(
        { kind: 'window', weekdays: ['1'], start: '13:00', end: '14:00' },
        MONDAY_SPLIT,
      ).ok,
    ).toBe(true);
    // Another day is free.
    expect(
      parseWeeklyAdd(
        { kind: 'window', weekdays: ['2'], start: '12:00', end: '15:00' },
        MONDAY_SPLIT,
      ).ok,
    ).toBe(true);
  });

  it('a break must lie inside a working window of its day; breaks do not overlap each other', () => {
    expect(
      parseWeeklyAdd(
        { kind: 'break', weekdays: ['1'], start: '12:00', end: '12:30', label: ' Lunch ' },
        MONDAY_SPLIT,
      ),
    ).toEqual({
      ok: true,
      value: {
        kind: 'break',
        add: [{ weekday: 1, start: 720, end: 750, label: 'Lunch' }],
        remove: [],
      },
    });
    expect(
      parseWeeklyAdd(
        { kind: 'break', weekdays: ['1'], start: '12:30', end: '14:30' },
        MONDAY_SPLIT,
      ),
    ).toEqual({
      ok: false,
      problems: [
        {
          field: 'start',
          reason: 'break_outside',
          weekday: 1,
          start: 750,
          end: 870,
          windows: [
            { start: 540, end: 780 },
            { start: 840, end: 1080 },
          ],
        },
      ],
    });
    expect(
      parseWeeklyAdd(
        { kind: 'break', weekdays: ['2'], start: '12:00', end: '12:30' },
        MONDAY_SPLIT,
      ),
    ).toEqual({
      ok: false,
      problems: [
        { field: 'start', reason: 'break_outside', weekday: 2, start: 720, end: 750, windows: [] },
      ],
    });
    // Two touching windows are one stretch of work: a break may span their seam.
    const touching: Week = {
      windows: [
        { id: 'a', weekday: 3, start: 540, end: 780 },
        { id: 'b', weekday: 3, start: 780, end: 1080 },
      ],
      breaks: [],
    };
    expect(
      parseWeeklyAdd({ kind: 'break', weekdays: ['3'], start: '12:30', end: '13:30' }, touching).ok,
    ).toBe(true);
    const clash = parseWeeklyAdd(
      { kind: 'break', weekdays: ['1'], start: '10:15', end: '11:00' },
      MONDAY_SPLIT,
    );
    expect(clash).toEqual({
      ok: false,
      problems: [
        {
          field: 'start',
          reason: 'overlap',
          kind: 'break',
          weekday: 1,
          existing: [{ start: 600, end: 630 }],
          merged: { start: 600, end: 660 },
        },
      ],
    });
    const merged = parseWeeklyAdd(
      { kind: 'break', weekdays: ['1'], start: '10:15', end: '11:00', merge: true },
      MONDAY_SPLIT,
    );
    expect(merged.ok && merged.value.add).toEqual([
      { weekday: 1, start: 600, end: 660, label: 'Coffee' },
    ]);
  });

  it('a window with a break inside cannot be removed while the break would hang outside; a break always can', () => {
    expect(checkWeeklyRemoval(MONDAY_SPLIT, 'window', 'w1')).toEqual({
      ok: false,
      reason: 'breaks_inside',
      entry: MONDAY_SPLIT.windows[0],
      breaks: [MONDAY_SPLIT.breaks[0]],
    });
    expect(checkWeeklyRemoval(MONDAY_SPLIT, 'window', 'w2')).toEqual({
      ok: true,
      entry: MONDAY_SPLIT.windows[1],
    });
    expect(checkWeeklyRemoval(MONDAY_SPLIT, 'break', 'b1')).toEqual({
      ok: true,
      entry: MONDAY_SPLIT.breaks[0],
    });
    expect(checkWeeklyRemoval(MONDAY_SPLIT, 'break', 'w1')).toEqual({
      ok: false,
      reason: 'not_found',
    });
    const covered: Week = {
      ...MONDAY_SPLIT,
      windows: [...MONDAY_SPLIT.windows, { id: 'w3', weekday: 1, start: 480, end: 720 }],
    };
    expect(checkWeeklyRemoval(covered, 'window', 'w1').ok).toBe(true);
  });
});

describe('time off', () => {
  const now = utc('2026-03-20T10:00:00');

  it('whole days in the location’s dates: one day by default, the last not before the first nor before today', () => {
    expect(
      parseTimeOff(
        { mode: 'days', firstDay: '2026-03-30', lastDay: '2026-04-03', reason: 'Holiday' },
        BERLIN,
        now,
      ),
    ).toEqual({
      ok: true,
      value: { kind: 'days', firstDay: '2026-03-30', lastDay: '2026-04-03', reason: 'Holiday' },
    });
    expect(parseTimeOff({ mode: 'days', firstDay: '2026-03-30' }, BERLIN, now)).toEqual({
      ok: true,
      value: { kind: 'days', firstDay: '2026-03-30', lastDay: '2026-03-30', reason: null },
    });
    expect(
      parseTimeOff({ mode: 'days', firstDay: '2026-03-30', lastDay: '2026-03-29' }, BERLIN, now),
    ).toEqual({ ok: false, problems: [{ field: 'last_day', reason: 'order' }] });
    expect(
      parseTimeOff({ mode: 'days', firstDay: '2026-03-01', lastDay: '2026-03-19' }, BERLIN, now),
    ).toEqual({ ok: false, problems: [{ field: 'last_day', reason: 'past' }] });
    // Today still counts (current time off), in the location's date: 23:30 UTC is already tomorrow in Berlin.
    expect(
      parseTimeOff({ mode: 'days', firstDay: '2026-03-21' }, BERLIN, utc('2026-03-20T23:30:00')).ok,
    ).toBe(true);
    expect(
      parseTimeOff({ mode: 'days', firstDay: '2026-03-20' }, BERLIN, utc('2026-03-20T23:30:00')),
    ).toEqual({ ok: false, problems: [{ field: 'last_day', reason: 'past' }] });
    expect(parseTimeOff({ mode: 'days', firstDay: '2026-02-30' }, BERLIN, now)).toEqual({
      ok: false,
      problems: [{ field: 'first_day', reason: 'format' }],
    });
    expect(parseIsoDate('30.03.2026')).toEqual({ ok: false, reason: 'format' });
    expect(parseTimeOff({}, BERLIN, now)).toEqual({
      ok: false,
      problems: [{ field: 'mode', reason: 'missing' }],
    });
  });

  it('part of a day: local times made instants in the location’s zone, DST-safe', () => {
    expect(
      parseTimeOff({ mode: 'hours', date: '2026-03-27', from: '14:00', to: '16:30' }, BERLIN, now),
    ).toEqual({
      ok: true,
      value: {
        kind: 'range',
        start: utc('2026-03-27T13:00:00'),
        end: utc('2026-03-27T15:30:00'),
        reason: null,
      },
    });
    // After the spring-forward: CEST, UTC+2.
    expect(
      parseTimeOff({ mode: 'hours', date: '2026-03-30', from: '14:00', to: '00:00' }, BERLIN, now),
    ).toEqual({
      ok: true,
      value: {
        kind: 'range',
        start: utc('2026-03-30T12:00:00'),
        end: utc('2026-03-30T22:00:00'),
        reason: null,
      },
    });
    // On the spring-forward day 02:30 does not exist: it means the jump (03:00 CEST = 01:00 UTC).
    expect(
      parseTimeOff({ mode: 'hours', date: '2026-03-29', from: '02:30', to: '04:00' }, BERLIN, now),
    ).toEqual({
      ok: true,
      value: {
        kind: 'range',
        start: utc('2026-03-29T01:00:00'),
        end: utc('2026-03-29T02:00:00'),
        reason: null,
      },
    });
    expect(
      parseTimeOff({ mode: 'hours', date: '2026-03-29', from: '02:10', to: '02:50' }, BERLIN, now),
    ).toEqual({ ok: false, problems: [{ field: 'to', reason: 'skipped' }] });
    expect(
      parseTimeOff({ mode: 'hours', date: '2026-03-27', from: '16:00', to: '14:00' }, BERLIN, now),
    ).toEqual({ ok: false, problems: [{ field: 'to', reason: 'order' }] });
    expect(
      parseTimeOff({ mode: 'hours', date: '2026-03-20', from: '08:00', to: '10:00' }, BERLIN, now),
    ).toEqual({ ok: false, problems: [{ field: 'to', reason: 'past' }] });
    expect(
      parseTimeOff(
        { mode: 'hours', date: '', from: 'x', to: '10:00', reason: 'y'.repeat(201) },
        BERLIN,
        now,
      ),
    ).toEqual({
      ok: false,
      problems: [
        { field: 'reason', reason: 'too_long' },
        { field: 'date', reason: 'empty' },
        { field: 'from', reason: 'format' },
      ],
    });
  });
});

describe('visits a new schedule no longer covers', () => {
  const everyDay = (start: string, end: string) =>
    [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: t(start), end: t(end) }));
  const base: Schedule = { windows: everyDay('09:00', '18:00'), breaks: [], timeOff: [] };
  // Friday 2026-03-27, Berlin is UTC+1.
  const visits = [
    { id: 'morning', start: utc('2026-03-27T08:00:00'), end: utc('2026-03-27T09:00:00') }, // 09:00–10:00
    { id: 'noon', start: utc('2026-03-27T11:00:00'), end: utc('2026-03-27T11:30:00') }, // 12:00–12:30
    { id: 'late', start: utc('2026-03-27T16:30:00'), end: utc('2026-03-27T17:00:00') }, // 17:30–18:00
    { id: 'monday', start: utc('2026-03-30T08:00:00'), end: utc('2026-03-30T09:00:00') }, // Mon 10:00–11:00 CEST
  ];

  it('outside every window, on a break, on whole days off or a range off', () => {
    expect(uncoveredVisits(base, BERLIN, visits)).toEqual([]);
    expect(
      uncoveredVisits({ ...base, windows: everyDay('10:00', '17:00') }, BERLIN, visits).map(
        (v) => v.id,
      ),
    ).toEqual(['morning', 'late']);
    expect(
      uncoveredVisits(
        { ...base, breaks: [{ weekday: 5, start: t('12:15'), end: t('13:00') }] },
        BERLIN,
        visits,
      ).map((v) => v.id),
    ).toEqual(['noon']);
    // A break that only touches the visit leaves it be.
    expect(
      uncoveredVisits(
        { ...base, breaks: [{ weekday: 5, start: t('12:30'), end: t('13:00') }] },
        BERLIN,
        visits,
      ),
    ).toEqual([]);
    expect(
      uncoveredVisits(
        { ...base, timeOff: [{ kind: 'days', firstDay: '2026-03-28', lastDay: '2026-03-30' }] },
        BERLIN,
        visits,
      ).map((v) => v.id),
    ).toEqual(['monday']);
    expect(
      uncoveredVisits(
        {
          ...base,
          timeOff: [
            { kind: 'range', start: utc('2026-03-27T11:29:00'), end: utc('2026-03-27T20:00:00') },
          ],
        },
        BERLIN,
        visits,
      ).map((v) => v.id),
    ).toEqual(['noon', 'late']);
    // Windows that touch are one stretch; a gap between them is not working time.
    const split = {
      ...base,
      windows: [...everyDay('09:00', '12:15'), ...everyDay('12:15', '18:00')],
    };
    expect(uncoveredVisits(split, BERLIN, visits)).toEqual([]);
    const gap = {
      ...base,
      windows: [...everyDay('09:00', '12:00'), ...everyDay('12:10', '18:00')],
    };
    expect(uncoveredVisits(gap, BERLIN, visits).map((v) => v.id)).toEqual(['noon']);
  });

  it('a visit across midnight is covered by a window to 24:00 and one from 00:00 of the next day', () => {
    const night = {
      id: 'night',
      start: utc('2026-03-27T22:30:00'),
      end: utc('2026-03-27T23:30:00'),
    }; // Fri 23:30 – Sat 00:30
    const split: Schedule = {
      windows: [
        { weekday: 5, start: t('22:00'), end: 1440 },
        { weekday: 6, start: 0, end: t('02:00') },
      ],
      breaks: [],
      timeOff: [],
    };
    expect(uncoveredVisits(split, BERLIN, [night])).toEqual([]);
    expect(
      uncoveredVisits({ ...split, windows: split.windows.slice(0, 1) }, BERLIN, [night]),
    ).toEqual([night]);
    expect(
      uncoveredVisits(
        { ...split, timeOff: [{ kind: 'days', firstDay: '2026-03-28', lastDay: '2026-03-28' }] },
        BERLIN,
        [night],
      ),
    ).toEqual([night]);
  });

  it('on the spring-forward day (Berlin 2026-03-29) wall-clock times are read as the engine reads them', () => {
    // 01:00 CET (00:00 UTC) for two real hours: the wall clock reads 04:00 CEST at its end.
    const visit = { id: 'dst', start: utc('2026-03-29T00:00:00'), end: utc('2026-03-29T02:00:00') };
    const sunday = (start: string, end: string): Schedule => ({
      windows: [{ weekday: 7, start: t(start), end: t(end) }],
      breaks: [],
      timeOff: [],
    });
    expect(uncoveredVisits(sunday('00:00', '04:00'), BERLIN, [visit])).toEqual([]);
    // 03:30 CEST is 01:30 UTC: half an hour too early, although 3.5 hours after midnight would be 02:30 UTC.
    expect(uncoveredVisits(sunday('00:00', '03:30'), BERLIN, [visit])).toEqual([visit]);
    // A window opening at 02:30, a time that never comes that day, opens at the jump (01:00 UTC).
    expect(
      uncoveredVisits(sunday('02:30', '06:00'), BERLIN, [
        { id: 'after-jump', start: utc('2026-03-29T01:00:00'), end: utc('2026-03-29T02:00:00') },
      ]),
    ).toEqual([]);
    // A break inside the skipped hour takes no time at all.
    expect(
      uncoveredVisits(
        {
          ...sunday('00:00', '06:00'),
          breaks: [{ weekday: 7, start: t('02:15'), end: t('02:45') }],
        },
        BERLIN,
        [visit],
      ),
    ).toEqual([]);
    // A break 03:00–03:15 CEST (01:00–01:15 UTC) does cut it.
    expect(
      uncoveredVisits(
        {
          ...sunday('00:00', '06:00'),
          breaks: [{ weekday: 7, start: t('03:00'), end: t('03:15') }],
        },
        BERLIN,
        [visit],
      ),
    ).toEqual([visit]);
  });

  it('on the fall-back day (Berlin 2026-10-25) a window ending in the repeated hour ends at its first occurrence', () => {
    const sunday: Schedule = {
      windows: [{ weekday: 7, start: 0, end: t('02:30') }],
      breaks: [],
      timeOff: [],
    };
    const first = {
      id: 'cest',
      start: utc('2026-10-25T00:00:00'),
      end: utc('2026-10-25T00:30:00'),
    }; // 02:00–02:30 CEST
    const second = {
      id: 'cet',
      start: utc('2026-10-25T01:00:00'),
      end: utc('2026-10-25T01:30:00'),
    }; // 02:00–02:30 CET
    expect(uncoveredVisits(sunday, BERLIN, [first, second])).toEqual([second]);
  });

  it('only what the change uncovers: a visit already outside the old schedule is not the change’s doing', () => {
    const outside = {
      id: 'outside',
      start: utc('2026-03-27T05:00:00'),
      end: utc('2026-03-27T06:00:00'),
    }; // 06:00–07:00
    const after = {
      ...base,
      timeOff: [{ kind: 'days' as const, firstDay: '2026-03-27', lastDay: '2026-03-27' }],
    };
    expect(newlyUncovered(base, after, BERLIN, [outside, ...visits]).map((v) => v.id)).toEqual([
      'morning',
      'noon',
      'late',
    ]);
    expect(newlyUncovered(after, base, BERLIN, visits)).toEqual([]);
  });
});

describe('the coverage check agrees with the engine', () => {
  // The hours editor's "does the new schedule still cover this visit" and the engine's "would it
  // offer this start" are one rule written twice (one asks about a booked visit, the other about a
  // grid start): for visits within one local day, on the grid, with no lead time, buffers or other
  // bookings, they must answer alike, DST days included.
  const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
  const DAYS = [
    '2026-03-08',
    '2026-03-29',
    '2026-04-05',
    '2026-10-04',
    '2026-10-25',
    '2026-11-01',
    '2026-06-17',
  ];
  const quarter = (max: number) => fc.integer({ min: 0, max: max / 15 }).map((n) => n * 15);
  const weekly = fc
    .record({ weekday: fc.integer({ min: 1, max: 7 }), start: quarter(1425), length: quarter(600) })
    .map((w) => ({
      weekday: w.weekday,
      start: w.start,
      end: Math.min(1440, w.start + Math.max(15, w.length)),
    }));
  const policy = {
    leadTimeMinutes: 0,
    horizonDays: 400,
    slotStepMinutes: 15,
    sameDayCutoff: null,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
  };

  it('for random weeks, breaks, time off and visits around DST changes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...DAYS),
        fc.array(weekly, { maxLength: 4 }),
        fc.array(weekly, { maxLength: 3 }),
        fc.option(
          fc.record({
            days: fc.boolean(),
            from: fc.integer({ min: -2, max: 2 }),
            minutes: quarter(1440),
            length: quarter(600),
          }),
          { nil: undefined },
        ),
        quarter(1425),
        fc.boolean(),
        fc.integer({ min: 1, max: 16 }).map((n) => n * 15),
        (zone, date, windows, breaks, off, anyTime, inWindow, duration) => {
          // Windows of every weekday on that date's weekday too, so most visits have something to fit.
          const weekday = buildLocalDay(zone, date).weekday;
          const hours = windows.map((w, i) => (i % 2 === 0 ? { ...w, weekday } : w));
          const dayBreaks = breaks.map((b, i) => (i % 2 === 0 ? { ...b, weekday } : b));
          const day = buildLocalDay(zone, date);
          const timeOff: TimeOff[] = off
            ? off.days
              ? [
                  {
                    kind: 'days',
                    firstDay: isoDateOf(dayNumber(date) + off.from),
                    lastDay: isoDateOf(dayNumber(date) + off.from + 1),
                  },
                ]
              : [
                  {
                    kind: 'range',
                    start: (day.start + off.from * 1440 + off.minutes) * 60_000,
                    end:
                      (day.start + off.from * 1440 + off.minutes + Math.max(15, off.length)) *
                      60_000,
                  },
                ]
            : [];
          // Half the visits start inside the first window, so that both answers come up often.
          const first = hours[0];
          const wall =
            inWindow && first
              ? Math.min(1425, first.start + (anyTime % (first.end - first.start)))
              : anyTime;
          const start = wallToInstant(day, wall) * 60_000;
          const end = start + duration * 60_000;
          fc.pre(end <= day.end * 60_000);
          const engine = offersStart({
            now: Date.UTC(2026, 0, 1),
            timezone: zone,
            policy,
            services: [{ id: 's', durationMin: duration }],
            master: {
              id: 'm',
              speedPercent: 100,
              skills: new Map([['s', null]]),
              hours,
              breaks: dayBreaks,
              timeOff,
              busy: [],
            },
            start,
          });
          const covered =
            uncoveredVisits({ windows: hours, breaks: dayBreaks, timeOff }, zone, [
              { id: 'v', start, end },
            ]).length === 0;
          expect({ zone, date, wall, duration, covered }).toEqual({
            zone,
            date,
            wall,
            duration,
            covered: engine,
          });
        },
      ),
      { numRuns: 1500, seed: 20261130 },
    );
  });
});
