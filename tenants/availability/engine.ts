import { DateTime } from 'luxon';
import { ZoneCalendar } from './calendar.ts';
import { bookingMinutes } from './duration.ts';
import { dayNumber, wallMinuteAt, wallToInstant, type LocalDay } from './local-days.ts';
import type {
  AvailabilityPolicy,
  MasterSchedule,
  SlotSearch,
  SlotSearchResult,
  Slot,
  StartCheck,
  WeeklyWindow,
} from './types.ts';

/**
 * The gap search. Pure: no I/O, no clock (`now` comes in), no host timezone.
 *
 * Rules (tenants/availability/README.md has the worked examples, DST cases included):
 * - Free time = the master's working windows of the local weekday, minus breaks, minus time off.
 *   Wall-clock times become instants by `wallToInstant` (first instant showing that time or later).
 * - A start s with booking length D is valid when [s, s + D) lies inside one free interval and the
 *   occupied span [s - bufferBefore, s + D + bufferAfter) overlaps no blocking booking's span. So
 *   buffers separate bookings; they may fall outside working hours and breaks.
 * - Starts lie on a grid of `slotStepMinutes` counted from local midnight (:00, :15, :30, :45 for
 *   15). A wall-clock time skipped by a spring-forward is never offered; one repeated by a
 *   fall-back is offered at both of its instants.
 * - s >= now + lead time; s lies on a local date from today to today + horizonDays; once the local
 *   clock has passed `sameDayCutoff`, today offers nothing.
 */

const MS = 60_000;

function cutoffMinute(cutoff: string | null): number | undefined {
  if (!cutoff) return undefined;
  return Number(cutoff.slice(0, 2)) * 60 + Number(cutoff.slice(3, 5));
}

/** Weekly windows grouped by ISO weekday (index 1..7), each list sorted by start. */
function byWeekday(windows: readonly WeeklyWindow[]): WeeklyWindow[][] {
  const out: WeeklyWindow[][] = [[], [], [], [], [], [], [], []];
  for (const w of windows) out[w.weekday]!.push(w);
  for (const list of out) list.sort((a, b) => a.start - b.start);
  return out;
}

/** Per-master data prepared once per search: sorted busy intervals (widened) in epoch minutes. */
interface PreparedMaster {
  master: MasterSchedule;
  duration: number;
  hours: WeeklyWindow[][];
  breaks: WeeklyWindow[][];
  /** Flat [start, end, start, end, ...] of blocked instants (busy widened, time-off ranges), sorted by start. */
  blocked: number[];
  offDays: [number, number][];
  cursor: number;
  /** Flat [start, end, ...] of the raw busy spans in epoch minutes, sorted, for the daily load. */
  busy: number[];
  busyCursor: number;
}

function prepare(
  master: MasterSchedule,
  duration: number,
  before: number,
  after: number,
): PreparedMaster {
  const pairs: [number, number][] = [];
  // A candidate's occupied span [s - before, e + after) must miss each busy span: equivalently its
  // visit [s, e) must miss the busy span widened by `after` on the left and `before` on the right.
  for (const b of master.busy)
    pairs.push([Math.floor(b.start / MS) - after, Math.ceil(b.end / MS) + before]);
  for (const t of master.timeOff)
    if (t.kind === 'range') pairs.push([Math.floor(t.start / MS), Math.ceil(t.end / MS)]);
  pairs.sort((a, b) => a[0] - b[0]);
  const blocked: number[] = [];
  for (const [s, e] of pairs) if (e > s) blocked.push(s, e);
  const offDays: [number, number][] = [];
  for (const t of master.timeOff)
    if (t.kind === 'days') offDays.push([dayNumber(t.firstDay), dayNumber(t.lastDay)]);
  const busy: number[] = [];
  for (const b of [...master.busy].sort((x, y) => x.start - y.start))
    busy.push(Math.floor(b.start / MS), Math.ceil(b.end / MS));
  return {
    master,
    duration,
    hours: byWeekday(master.hours),
    breaks: byWeekday(master.breaks),
    blocked,
    offDays,
    cursor: 0,
    busy,
    busyCursor: 0,
  };
}

/**
 * Appends to `out` the valid starts (epoch minutes) of one master on one day, ascending.
 * `minStart` folds in lead time. `scratch` is reused between calls to avoid allocation.
 */
/** Working arrays reused across master-days of one search (no allocation in the hot loop). */
interface Scratch {
  blocked: number[];
  windows: number[];
}

function masterDayStarts(
  p: PreparedMaster,
  day: LocalDay,
  dayNo: number,
  step: number,
  minStart: number,
  out: number[],
  work: Scratch,
): void {
  const windows = p.hours[day.weekday]!;
  if (windows.length === 0) return;
  for (const [first, last] of p.offDays) if (dayNo >= first && dayNo <= last) return;

  // Blocked intervals for the day: breaks (converted), then the master's sorted blocked list from the
  // cursor on. Busy spans are sorted by start; skip those that ended before the day.
  const scratch = work.blocked;
  scratch.length = 0;
  for (const br of p.breaks[day.weekday]!) {
    const s = wallToInstant(day, br.start);
    const e = wallToInstant(day, br.end);
    if (e > s) scratch.push(s, e);
  }
  const blocked = p.blocked;
  while (
    p.cursor < blocked.length &&
    blocked[p.cursor + 1]! <= day.start &&
    blocked[p.cursor]! < day.start
  ) {
    // Keep spans that start earlier but still reach into later days (long time-off ranges).
    p.cursor += 2;
  }
  for (let i = p.cursor; i < blocked.length && blocked[i]! < day.end; i += 2) {
    if (blocked[i + 1]! > day.start) scratch.push(blocked[i]!, blocked[i + 1]!);
  }
  if (scratch.length > 2) sortPairs(scratch);

  // Working windows as instants; touching or overlapping windows merge into one free stretch.
  const win = work.windows;
  win.length = 0;
  for (const w of windows) {
    const s = wallToInstant(day, w.start);
    const e = wallToInstant(day, w.end);
    if (e <= s) continue;
    if (win.length > 0 && s <= win[win.length - 1]!)
      win[win.length - 1] = Math.max(win[win.length - 1]!, e);
    else win.push(s, e);
  }

  const d = p.duration;
  for (let w = 0; w < win.length; w += 2) {
    let freeStart = win[w]!;
    const windowEnd = win[w + 1]!;
    // Walk the blocked intervals, emitting the free gaps of this window.
    for (let i = 0; i <= scratch.length; i += 2) {
      const gapEnd = i < scratch.length ? Math.min(scratch[i]!, windowEnd) : windowEnd;
      if (gapEnd - freeStart >= d)
        emitGrid(day, step, Math.max(freeStart, minStart), gapEnd - d, out);
      if (i < scratch.length) {
        if (scratch[i]! >= windowEnd) break;
        if (scratch[i + 1]! > freeStart) freeStart = scratch[i + 1]!;
      }
      if (freeStart >= windowEnd) break;
    }
  }
}

/** Sorts a flat [s, e, s, e, ...] array by s (insertion sort: the lists are a handful long). */
function sortPairs(a: number[]): void {
  for (let i = 2; i < a.length; i += 2) {
    const s = a[i]!;
    const e = a[i + 1]!;
    let j = i - 2;
    while (j >= 0 && a[j]! > s) {
      a[j + 2] = a[j]!;
      a[j + 3] = a[j + 1]!;
      j -= 2;
    }
    a[j + 2] = s;
    a[j + 3] = e;
  }
}

/** Grid instants of the day within [from, to] (epoch minutes, inclusive), ascending. */
function emitGrid(day: LocalDay, step: number, from: number, to: number, out: number[]): void {
  if (to < from) return;
  for (const piece of day.pieces) {
    if (piece.end <= from || piece.start > to) continue;
    const lo = Math.max(from, piece.start);
    const hi = Math.min(to, piece.end - 1);
    // Wall minute of lo, rounded up to the grid.
    let wall = piece.wallStart + (lo - piece.start);
    wall = Math.ceil(wall / step) * step;
    for (let t = piece.start + (wall - piece.wallStart); t <= hi; t += step) {
      if (out.length === 0 || out[out.length - 1]! < t) out.push(t);
      else insertSorted(out, t);
    }
  }
}

function insertSorted(out: number[], t: number): void {
  let i = out.length - 1;
  while (i >= 0 && out[i]! > t) i--;
  if (out[i] === t) return;
  out.splice(i + 1, 0, t);
}

/** Minutes of busy spans starting on this day (days are visited in ascending order). */
function busyWithin(p: PreparedMaster, day: LocalDay): number {
  const busy = p.busy;
  while (p.busyCursor < busy.length && busy[p.busyCursor]! < day.start) p.busyCursor += 2;
  let total = 0;
  for (let i = p.busyCursor; i < busy.length && busy[i]! < day.end; i += 2)
    total += busy[i + 1]! - busy[i]!;
  return total;
}

export interface SearchOptions {
  /** A calendar for the location's zone, reused across searches (built on the fly otherwise). */
  calendar?: ZoneCalendar;
}

function calendarFor(timezone: string, options: SearchOptions): ZoneCalendar {
  const calendar = options.calendar ?? new ZoneCalendar(timezone);
  if (calendar.timezone !== timezone) throw new Error('calendar is for another timezone');
  return calendar;
}

/** The local days open for booking (day numbers, inclusive) and the earliest start (epoch minutes). */
interface OpenDays {
  firstDayNo: number;
  lastDayNo: number;
  minStart: number;
}

/**
 * Lead time, horizon and same-day cutoff at `now`, given the local date (`todayNo`) and the local
 * clock (`clockMinute`, minutes since local midnight) at that instant.
 */
function openDays(
  policy: AvailabilityPolicy,
  now: number,
  todayNo: number,
  clockMinute: number,
): OpenDays {
  const cutoff = cutoffMinute(policy.sameDayCutoff);
  const pastCutoff = cutoff !== undefined && clockMinute >= cutoff;
  return {
    firstDayNo: pastCutoff ? todayNo + 1 : todayNo,
    lastDayNo: todayNo + policy.horizonDays,
    minStart: Math.ceil(now / MS) + policy.leadTimeMinutes,
  };
}

/**
 * Whether `check.master` can take the services at `check.start`: the answer `findSlots` gives for
 * that one instant, worked out on its local day alone, with the local dates read from the calendar.
 */
export function offersStart(check: StartCheck, options: SearchOptions = {}): boolean {
  const { policy, master } = check;
  if (check.start % MS !== 0 || check.services.length === 0) return false;
  const step = policy.slotStepMinutes;
  const duration = bookingMinutes(master, check.services, step);
  if (duration === undefined) return false;
  const calendar = calendarFor(check.timezone, options);
  const nowMinute = Math.floor(check.now / MS);
  const today = calendar.dayAt(nowMinute);
  const open = openDays(policy, check.now, today.dayNo, wallMinuteAt(today.day, nowMinute));
  const start = check.start / MS;
  const { dayNo, day } = calendar.dayAt(start);
  if (dayNo < open.firstDayNo || dayNo > open.lastDayNo) return false;
  const starts: number[] = [];
  const prepared = prepare(master, duration, policy.bufferBeforeMinutes, policy.bufferAfterMinutes);
  masterDayStarts(prepared, day, dayNo, step, open.minStart, starts, { blocked: [], windows: [] });
  return starts.includes(start);
}

/** Every valid start for the requested services with any of the given masters. */
export function findSlots(search: SlotSearch, options: SearchOptions = {}): SlotSearchResult {
  const { policy, services } = search;
  const step = policy.slotStepMinutes;
  const calendar = calendarFor(search.timezone, options);

  const durations: Record<string, number> = {};
  const load: Record<string, Record<string, number>> = {};
  const prepared: PreparedMaster[] = [];
  const qualifiedMasterIds: string[] = [];
  if (services.length > 0) {
    for (const master of search.masters) {
      const duration = bookingMinutes(master, services, step);
      if (duration === undefined) continue;
      durations[master.id] = duration;
      load[master.id] = {};
      qualifiedMasterIds.push(master.id);
      prepared.push(
        prepare(master, duration, policy.bufferBeforeMinutes, policy.bufferAfterMinutes),
      );
    }
  }

  const nowLocal = DateTime.fromMillis(search.now, { zone: search.timezone });
  const open = openDays(
    policy,
    search.now,
    dayNumber(nowLocal.toISODate()!),
    nowLocal.hour * 60 + nowLocal.minute,
  );
  let { firstDayNo, lastDayNo } = open;
  if (search.fromDate) firstDayNo = Math.max(firstDayNo, dayNumber(search.fromDate));
  if (search.toDate) lastDayNo = Math.min(lastDayNo, dayNumber(search.toDate));
  const { minStart } = open;

  const slots: Slot[] = [];
  if (prepared.length === 0 || firstDayNo > lastDayNo)
    return { slots, qualifiedMasterIds, durations, load };

  const scratch: Scratch = { blocked: [], windows: [] };
  const perMaster: number[][] = prepared.map(() => []);
  const masterCount = prepared.length;
  const keys: number[] = [];
  for (let dayNo = firstDayNo; dayNo <= lastDayNo; dayNo++) {
    const day = calendar.day(dayNo);
    keys.length = 0;
    for (let m = 0; m < masterCount; m++) {
      const p = prepared[m]!;
      const starts = perMaster[m]!;
      starts.length = 0;
      masterDayStarts(p, day, dayNo, step, minStart, starts, scratch);
      const busyMinutes = busyWithin(p, day);
      if (busyMinutes > 0) load[p.master.id]![day.date] = busyMinutes;
      for (const s of starts) keys.push(s * masterCount + m);
    }
    if (keys.length === 0) continue;
    if (masterCount > 1) keys.sort((a, b) => a - b);
    let current: Slot | undefined;
    let currentStart = -1;
    for (const key of keys) {
      const start = Math.floor(key / masterCount);
      const id = prepared[key - start * masterCount]!.master.id;
      if (start !== currentStart) {
        current = { start: start * MS, masterIds: [id] };
        currentStart = start;
        slots.push(current);
      } else {
        current!.masterIds.push(id);
      }
    }
  }
  return { slots, qualifiedMasterIds, durations, load };
}
