import { ZoneCalendar } from '../availability/calendar.ts';
import {
  buildLocalDay,
  dayNumber,
  isoDateOf,
  localClock,
  wallToInstant,
} from '../availability/local-days.ts';
import type { TimeOff, WeeklyWindow } from '../availability/types.ts';
import { minutesToTime, parseName, parseTimeOfDay, type Parsed } from './setup-input.ts';

/**
 * A master's week as the hours editor changes it: working windows and breaks per weekday, time off,
 * checked before anything is written, with what to do instead when a change cannot be stored
 * (a window across midnight: the split to make; an overlap: the window to change or the merge).
 * And which upcoming visits a new schedule would no longer cover. Pure: no I/O, no clock (`now`
 * comes in), no host timezone; wall-clock times become instants by the availability engine's rule
 * (`wallToInstant`: the first instant the local clock shows that time or later), so DST days agree
 * with what the bot offers.
 *
 * Times of day are minutes since local midnight, 0..1440; an end of 1440 is midnight ("24:00"), the
 * latest a window can end (the database refuses a window that crosses midnight).
 */

export type WeeklyKind = 'window' | 'break';

/** A window or break as stored: ISO weekday (1 = Monday), minutes since local midnight. */
export interface StoredWeekly extends WeeklyWindow {
  id: string;
  label?: string | null;
}

export interface Week {
  windows: readonly StoredWeekly[];
  breaks: readonly StoredWeekly[];
}

export interface Span {
  start: number;
  end: number;
}

export interface AddedWeekly extends WeeklyWindow {
  label: string | null;
}

/** What an accepted change does: entries to insert and existing ones to delete (merged away). */
export interface WeeklyChange {
  kind: WeeklyKind;
  add: AddedWeekly[];
  remove: StoredWeekly[];
}

export type WeeklyProblem =
  | { field: 'kind'; reason: 'missing' }
  | { field: 'days'; reason: 'no_days' }
  | { field: 'start'; reason: 'empty' | 'format' }
  | { field: 'end'; reason: 'empty' | 'format' }
  | { field: 'label'; reason: 'too_long' }
  /** End equals start. */
  | { field: 'end'; reason: 'zero_length'; start: number }
  /** End before start: split at midnight, each chosen day and the day after it. */
  | {
      field: 'end';
      reason: 'crosses_midnight';
      start: number;
      end: number;
      splits: { weekday: number; next: number }[];
    }
  /** Overlaps entries of the same kind on that day: those entries, and the one window they all make. */
  | {
      field: 'start';
      reason: 'overlap';
      kind: WeeklyKind;
      weekday: number;
      existing: Span[];
      merged: Span;
    }
  /** A break outside every working window of its day: the day's windows (maybe none). */
  | {
      field: 'start';
      reason: 'break_outside';
      weekday: number;
      start: number;
      end: number;
      windows: Span[];
    };

const DAY = 1440;
const MS = 60_000;

/** The ISO weekday after `weekday` (Sunday wraps to Monday). */
export const nextWeekday = (weekday: number) => (weekday % 7) + 1;

/** "09:00–13:00" (an end at midnight as "24:00"). */
export const spanText = (s: Span) => `${minutesToTime(s.start)}–${minutesToTime(s.end)}`;

/**
 * The end of a window as typed: "HH:MM", where "00:00" and "24:00" both mean midnight at the end of
 * the day (a time input cannot hold "24:00"; a window can never end at the midnight it starts on).
 */
export function parseEndOfDay(text: string | undefined): Parsed<number, 'empty' | 'format'> {
  const parsed = parseTimeOfDay(text, true);
  if (!parsed.ok) return parsed;
  return { ok: true, value: parsed.value === 0 ? DAY : parsed.value };
}

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/** Spans sorted and joined where they touch or overlap (what the engine treats as one stretch). */
function stretches(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

export interface WeeklyAddInput {
  kind?: string;
  /** The ticked weekdays as sent ("1".."7"). */
  weekdays: readonly string[];
  start?: string;
  end?: string;
  /** A break's label (optional). */
  label?: string;
  /** Store a window across midnight as its two halves. */
  split?: boolean;
  /** Replace the entries it overlaps with the one window both make. */
  merge?: boolean;
}

/**
 * A window or break to add on the chosen weekdays, checked against the master's week: the change to
 * write, or every problem with what to do about it.
 */
export function parseWeeklyAdd(
  input: WeeklyAddInput,
  week: Week,
): { ok: true; value: WeeklyChange } | { ok: false; problems: WeeklyProblem[] } {
  const problems: WeeklyProblem[] = [];
  const kind: WeeklyKind | undefined =
    input.kind === 'window' || input.kind === 'break' ? input.kind : undefined;
  if (!kind) problems.push({ field: 'kind', reason: 'missing' });
  const weekdays = [...new Set(input.weekdays.filter((d) => /^[1-7]$/.test(d)).map(Number))].sort();
  if (weekdays.length === 0) problems.push({ field: 'days', reason: 'no_days' });
  const start = parseTimeOfDay(input.start);
  if (!start.ok) problems.push({ field: 'start', reason: start.reason });
  const end = parseEndOfDay(input.end);
  if (!end.ok) problems.push({ field: 'end', reason: end.reason });
  let label: string | null = null;
  if (kind === 'break' && (input.label ?? '').trim()) {
    const parsed = parseName(input.label, 100);
    if (parsed.ok) label = parsed.value;
    else problems.push({ field: 'label', reason: 'too_long' });
  }
  if (!kind || !start.ok || !end.ok || problems.length) return { ok: false, problems };

  if (end.value === start.value)
    return { ok: false, problems: [{ field: 'end', reason: 'zero_length', start: start.value }] };
  let pieces: WeeklyWindow[];
  if (end.value < start.value) {
    if (!input.split) {
      return {
        ok: false,
        problems: [
          {
            field: 'end',
            reason: 'crosses_midnight',
            start: start.value,
            end: end.value,
            splits: weekdays.map((d) => ({ weekday: d, next: nextWeekday(d) })),
          },
        ],
      };
    }
    pieces = weekdays.flatMap((d) => [
      { weekday: d, start: start.value, end: DAY },
      { weekday: nextWeekday(d), start: 0, end: end.value },
    ]);
  } else {
    pieces = weekdays.map((d) => ({ weekday: d, start: start.value, end: end.value }));
  }

  // The pieces among themselves (a split's halves on a day chosen as well): joined first.
  const byDay = new Map<number, Span[]>();
  for (const p of pieces)
    byDay.set(p.weekday, [...(byDay.get(p.weekday) ?? []), { start: p.start, end: p.end }]);
  const same = kind === 'window' ? week.windows : week.breaks;
  const add: AddedWeekly[] = [];
  const remove: StoredWeekly[] = [];
  for (const [weekday, spans] of [...byDay].sort((a, b) => a[0] - b[0])) {
    for (const piece of stretches(spans)) {
      const hit = same.filter((e) => e.weekday === weekday && overlaps(e, piece));
      if (hit.length) {
        const merged = {
          start: Math.min(piece.start, ...hit.map((e) => e.start)),
          end: Math.max(piece.end, ...hit.map((e) => e.end)),
        };
        if (!input.merge) {
          problems.push({
            field: 'start',
            reason: 'overlap',
            kind,
            weekday,
            existing: hit.map((e) => ({ start: e.start, end: e.end })),
            merged,
          });
          continue;
        }
        remove.push(...hit);
        add.push({ weekday, ...merged, label: label ?? hit.find((e) => e.label)?.label ?? null });
      } else {
        add.push({ weekday, ...piece, label });
      }
    }
  }
  if (kind === 'break') {
    for (const b of add) {
      const windows = stretches(week.windows.filter((w) => w.weekday === b.weekday));
      if (!windows.some((w) => w.start <= b.start && b.end <= w.end)) {
        problems.push({
          field: 'start',
          reason: 'break_outside',
          weekday: b.weekday,
          start: b.start,
          end: b.end,
          windows: windows.map((w) => ({ start: w.start, end: w.end })),
        });
      }
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: { kind, add, remove } };
}

export type RemovalCheck =
  | { ok: true; entry: StoredWeekly }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'breaks_inside'; entry: StoredWeekly; breaks: StoredWeekly[] };

/**
 * Whether an entry can be removed: a working window only once no break of its day would be left
 * outside the windows that remain (remove those breaks first, or they would hang in the air).
 */
export function checkWeeklyRemoval(week: Week, kind: WeeklyKind, id: string): RemovalCheck {
  const entry = (kind === 'window' ? week.windows : week.breaks).find((e) => e.id === id);
  if (!entry) return { ok: false, reason: 'not_found' };
  if (kind === 'break') return { ok: true, entry };
  const remaining = stretches(
    week.windows.filter((w) => w.weekday === entry.weekday && w.id !== id),
  );
  const breaks = week.breaks.filter(
    (b) =>
      b.weekday === entry.weekday && !remaining.some((w) => w.start <= b.start && b.end <= w.end),
  );
  return breaks.length
    ? { ok: false, reason: 'breaks_inside', entry, breaks }
    : { ok: true, entry };
}

/** The week after a change. */
export function applyWeeklyChange(week: Week, change: WeeklyChange): Week {
  const gone = new Set(change.remove.map((e) => e.id));
  const added = change.add.map((a, i) => ({ id: `new-${i}`, ...a }));
  const keep = (list: readonly StoredWeekly[]) => list.filter((e) => !gone.has(e.id));
  return change.kind === 'window'
    ? { windows: [...keep(week.windows), ...added], breaks: week.breaks }
    : { windows: week.windows, breaks: [...keep(week.breaks), ...added] };
}

// ---------------------------------------------------------------------------------------------
// Time off

export type TimeOffValue =
  | { kind: 'days'; firstDay: string; lastDay: string; reason: string | null }
  | { kind: 'range'; start: number; end: number; reason: string | null };

export type TimeOffProblem =
  | { field: 'mode'; reason: 'missing' }
  | { field: 'first_day' | 'last_day' | 'date'; reason: 'empty' | 'format' }
  | { field: 'from' | 'to'; reason: 'empty' | 'format' }
  /** The last day before the first, or the end not after the start. */
  | { field: 'last_day' | 'to'; reason: 'order' }
  /** Over before today (whole days) or before now (part of a day). */
  | { field: 'last_day' | 'to'; reason: 'past' }
  /** Both times fall in the hour the clocks skip that day: no time at all. */
  | { field: 'to'; reason: 'skipped' }
  | { field: 'reason'; reason: 'too_long' };

export interface TimeOffInput {
  /** "days": whole days first..last; "hours": part of one day. */
  mode?: string;
  firstDay?: string;
  lastDay?: string;
  date?: string;
  from?: string;
  to?: string;
  reason?: string;
}

/** An ISO date ("2026-03-29") that exists in the calendar. */
export function parseIsoDate(text: string | undefined): Parsed<string, 'empty' | 'format'> {
  const t = (text ?? '').trim();
  if (!t) return { ok: false, reason: 'empty' };
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(t) ||
    t < '2000-01-01' ||
    t > '2999-12-31' ||
    isoDateOf(dayNumber(t)) !== t
  )
    return { ok: false, reason: 'format' };
  return { ok: true, value: t };
}

/**
 * Time off as typed, in the location's zone: whole days (first..last, inclusive, local dates), or
 * part of one day (local times from..to made instants by the engine's rule, so a time in the hour a
 * spring-forward skips means the moment the clock jumps past it).
 */
export function parseTimeOff(
  input: TimeOffInput,
  zone: string,
  now: number,
): { ok: true; value: TimeOffValue } | { ok: false; problems: TimeOffProblem[] } {
  const problems: TimeOffProblem[] = [];
  let reason: string | null = null;
  if ((input.reason ?? '').trim()) {
    const parsed = parseName(input.reason, 200);
    if (parsed.ok) reason = parsed.value;
    else problems.push({ field: 'reason', reason: 'too_long' });
  }
  const today = localClock(zone, now).date;
  if (input.mode === 'days') {
    const first = parseIsoDate(input.firstDay);
    if (!first.ok) problems.push({ field: 'first_day', reason: first.reason });
    // The last day defaults to the first: one day off.
    const last = (input.lastDay ?? '').trim() ? parseIsoDate(input.lastDay) : first;
    if (!last.ok) {
      if (first.ok) problems.push({ field: 'last_day', reason: last.reason });
    } else if (first.ok && last.value < first.value)
      problems.push({ field: 'last_day', reason: 'order' });
    else if (last.value < today) problems.push({ field: 'last_day', reason: 'past' });
    if (problems.length || !first.ok || !last.ok) return { ok: false, problems };
    return {
      ok: true,
      value: { kind: 'days', firstDay: first.value, lastDay: last.value, reason },
    };
  }
  if (input.mode === 'hours') {
    const date = parseIsoDate(input.date);
    if (!date.ok) problems.push({ field: 'date', reason: date.reason });
    const from = parseTimeOfDay(input.from);
    if (!from.ok) problems.push({ field: 'from', reason: from.reason });
    const to = parseEndOfDay(input.to);
    if (!to.ok) problems.push({ field: 'to', reason: to.reason });
    if (problems.length || !date.ok || !from.ok || !to.ok) return { ok: false, problems };
    if (to.value <= from.value) return { ok: false, problems: [{ field: 'to', reason: 'order' }] };
    const day = buildLocalDay(zone, date.value);
    const start = wallToInstant(day, from.value) * MS;
    const end = wallToInstant(day, to.value) * MS;
    if (end <= start) return { ok: false, problems: [{ field: 'to', reason: 'skipped' }] };
    if (end <= now) return { ok: false, problems: [{ field: 'to', reason: 'past' }] };
    return { ok: true, value: { kind: 'range', start, end, reason } };
  }
  return { ok: false, problems: [{ field: 'mode', reason: 'missing' }, ...problems] };
}

// ---------------------------------------------------------------------------------------------
// Visits a schedule no longer covers

export interface Schedule {
  windows: readonly WeeklyWindow[];
  breaks: readonly WeeklyWindow[];
  timeOff: readonly TimeOff[];
}

export interface Visit {
  id: string;
  /** Epoch ms. */
  start: number;
  end: number;
}

/**
 * Whether the visit [start, end) lies inside one stretch of working time (windows of its local
 * days, joined where they touch) and misses every break and time off: the engine's fit rule.
 */
function covers(s: Schedule, calendar: ZoneCalendar, v: Visit): boolean {
  const from = v.start / MS;
  const to = v.end / MS;
  if (!(to > from)) return true;
  const first = calendar.dayAt(Math.floor(from));
  const last = calendar.dayAt(Math.ceil(to) - 1);
  for (const t of s.timeOff) {
    if (
      t.kind === 'days' &&
      dayNumber(t.firstDay) <= last.dayNo &&
      dayNumber(t.lastDay) >= first.dayNo
    )
      return false;
    if (t.kind === 'range' && t.start < v.end && v.start < t.end) return false;
  }
  const work: Span[] = [];
  for (let n = first.dayNo; n <= last.dayNo; n++) {
    const day = calendar.day(n);
    for (const w of s.windows)
      if (w.weekday === day.weekday)
        work.push({ start: wallToInstant(day, w.start), end: wallToInstant(day, w.end) });
    for (const b of s.breaks) {
      if (b.weekday !== day.weekday) continue;
      const br = { start: wallToInstant(day, b.start), end: wallToInstant(day, b.end) };
      if (br.end > br.start && overlaps(br, { start: from, end: to })) return false;
    }
  }
  return stretches(work.filter((w) => w.end > w.start)).some((w) => w.start <= from && to <= w.end);
}

/** The visits `schedule` does not cover (outside every window, on a break or time off), in the given order. */
export function uncoveredVisits<V extends Visit>(
  schedule: Schedule,
  zone: string,
  visits: readonly V[],
): V[] {
  const calendar = new ZoneCalendar(zone);
  return visits.filter((v) => !covers(schedule, calendar, v));
}

/** The visits `after` no longer covers that `before` did: what a change would leave outside the master's time. */
export function newlyUncovered<V extends Visit>(
  before: Schedule,
  after: Schedule,
  zone: string,
  visits: readonly V[],
): V[] {
  const calendar = new ZoneCalendar(zone);
  return visits.filter((v) => covers(before, calendar, v) && !covers(after, calendar, v));
}
