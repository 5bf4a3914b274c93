import { DateTime, IANAZone } from 'luxon';

/**
 * Local calendar days of an IANA zone as stretches of real time. All instants here are whole
 * minutes since the Unix epoch ("epoch minutes"); wall-clock times are minutes since local midnight.
 *
 * A day is cut into pieces of constant UTC offset. An ordinary day has one piece covering wall
 * minutes [0, 1440). On a spring-forward day the skipped wall-clock times belong to no piece; on a
 * fall-back day the repeated ones belong to two pieces (two different instants).
 */
export interface DayPiece {
  /** Real time covered, [start, end) in epoch minutes. */
  start: number;
  end: number;
  /** Wall-clock minutes shown during this piece: wallStart at `start`, rising one per minute. */
  wallStart: number;
  wallEnd: number;
}

export interface LocalDay {
  /** ISO date, e.g. 2026-03-29. */
  date: string;
  /** ISO weekday, 1 = Monday ... 7 = Sunday. */
  weekday: number;
  /** First and one-past-last epoch minute of the local date. */
  start: number;
  end: number;
  pieces: DayPiece[];
}

const MINUTE = 60_000;

export class UnknownTimezoneError extends Error {
  override name = 'UnknownTimezoneError';
  constructor(readonly timezone: string) {
    super(`unknown IANA timezone "${timezone}" (expected a name such as Europe/Berlin)`);
  }
}

export function assertTimezone(zone: string): void {
  if (!IANAZone.isValidZone(zone)) throw new UnknownTimezoneError(zone);
}

/** Days since 1970-01-01 of an ISO date, and back: plain civil-calendar arithmetic. */
export function dayNumber(isoDate: string): number {
  const y = Number(isoDate.slice(0, 4));
  const m = Number(isoDate.slice(5, 7));
  const d = Number(isoDate.slice(8, 10));
  return Math.floor(Date.UTC(y, m - 1, d) / 86_400_000);
}

export function isoDateOf(dayNo: number): string {
  return new Date(dayNo * 86_400_000).toISOString().slice(0, 10);
}

/** The local date and wall-clock minute of an instant (ms) in `zone`. */
export function localClock(zone: string, epochMs: number): { date: string; minute: number } {
  const dt = DateTime.fromMillis(epochMs, { zone });
  return { date: dt.toISODate()!, minute: dt.hour * 60 + dt.minute };
}

/**
 * The first instant (ms) of a local date in `zone`: its midnight, or the moment the clock jumps past
 * it where midnight does not exist.
 */
export function localDayStart(zone: string, isoDate: string): number {
  return DateTime.fromISO(isoDate, { zone }).toMillis();
}

function offsetAt(zone: string, epochMinute: number): number {
  return DateTime.fromMillis(epochMinute * MINUTE, { zone }).offset;
}

/**
 * Builds one local day, from the first instant of its date to that of the next (`localDayStart`);
 * an offset change inside the day is found by
 * bisection. At most one change per day is assumed (true of every zone in use today).
 */
export function buildLocalDay(zone: string, isoDate: string): LocalDay {
  const dayNo = dayNumber(isoDate);
  const start = localDayStart(zone, isoDate) / MINUTE;
  const end = localDayStart(zone, isoDateOf(dayNo + 1)) / MINUTE;
  const base = dayNo * 1440;
  const first = offsetAt(zone, start);
  const last = offsetAt(zone, end - 1);
  const piece = (from: number, to: number, offset: number): DayPiece => ({
    start: from,
    end: to,
    wallStart: from + offset - base,
    wallEnd: to + offset - base,
  });
  let pieces: DayPiece[];
  if (first === last) {
    pieces = [piece(start, end, first)];
  } else {
    let lo = start; // offset(lo) === first
    let hi = end - 1; // offset(hi) === last
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(zone, mid) === first) lo = mid;
      else hi = mid;
    }
    pieces = [piece(start, hi, first), piece(hi, end, last)];
  }
  const weekday = ((new Date(dayNo * 86_400_000).getUTCDay() + 6) % 7) + 1;
  return { date: isoDate, weekday, start, end, pieces };
}

/**
 * The instant a wall-clock time of this day stands for: the first instant at which the local clock
 * shows that time or later. So a time that occurs twice (fall-back) means its first occurrence, a
 * time that never occurs (spring-forward) means the moment the clock jumps past it, and 24:00 means
 * the end of the day.
 */
export function wallToInstant(day: LocalDay, wallMinute: number): number {
  for (const p of day.pieces) {
    if (wallMinute < p.wallEnd)
      return wallMinute >= p.wallStart ? p.start + (wallMinute - p.wallStart) : p.start;
  }
  return day.end;
}

/**
 * The wall-clock minute the local clock shows at an epoch minute of `day` (the inverse of
 * `wallToInstant`): the pieces cover the day's real time without gaps.
 */
export function wallMinuteAt(day: LocalDay, epochMinute: number): number {
  for (const p of day.pieces) {
    if (epochMinute < p.end) return p.wallStart + (epochMinute - p.start);
  }
  const last = day.pieces[day.pieces.length - 1]!;
  return last.wallStart + (epochMinute - last.start);
}

/** Builds the local days from `fromDate` to `toDate` inclusive. */
export function buildLocalDays(zone: string, fromDate: string, toDate: string): LocalDay[] {
  const days: LocalDay[] = [];
  for (let n = dayNumber(fromDate), last = dayNumber(toDate); n <= last; n++)
    days.push(buildLocalDay(zone, isoDateOf(n)));
  return days;
}
