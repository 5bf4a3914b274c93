import { DateTime } from 'luxon';
import { MAX_SPAN_DAYS } from '../board/board-filter.ts';

/**
 * The stretch of time analytics covers: local calendar dates, first to last inclusive, read in
 * each location's own zone. A day is [local midnight, next local midnight): 23 hours on a
 * spring-forward day, 25 on a fall-back day. Pure: the query string and the clock come in.
 */
export interface Period {
  /** ISO dates (YYYY-MM-DD), inclusive. */
  fromDate: string;
  toDate: string;
}

export type PeriodProblem = 'from' | 'to' | 'order' | 'span';
export type PeriodParse =
  | { ok: true; period: Period }
  | { ok: false; problems: Partial<Record<PeriodProblem, true>>; period: Period };

/** What the page opens on: the last 30 local days, today included. */
export const DEFAULT_PERIOD_DAYS = 30;
/** The longest period one page covers (the board's limit too). */
export const MAX_PERIOD_DAYS = MAX_SPAN_DAYS;

/** The presets offered beside the date fields: the last 7, 30 or 90 days, and the next 30 (what is booked ahead). */
export const PERIOD_PRESETS = [
  { key: 'last7', days: 7, ahead: false },
  { key: 'last30', days: 30, ahead: false },
  { key: 'last90', days: 90, ahead: false },
  { key: 'next30', days: 30, ahead: true },
] as const;
export type PresetKey = (typeof PERIOD_PRESETS)[number]['key'];

const today = (zone: string, nowMs: number) => DateTime.fromMillis(nowMs, { zone }).startOf('day');

/** A preset's dates in `zone` on the day of `nowMs`: the last `days` days up to today, or the next `days` from today. */
export function presetPeriod(key: PresetKey, zone: string, nowMs: number): Period {
  const preset = PERIOD_PRESETS.find((p) => p.key === key)!;
  const t = today(zone, nowMs);
  return preset.ahead
    ? { fromDate: t.toISODate()!, toDate: t.plus({ days: preset.days - 1 }).toISODate()! }
    : { fromDate: t.minus({ days: preset.days - 1 }).toISODate()!, toDate: t.toISODate()! };
}

function localDate(text: string | undefined): string | undefined | null {
  const t = text?.trim();
  if (!t) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t)) return null;
  return DateTime.fromISO(t, { zone: 'UTC' }).isValid ? t : null;
}

/** Days from `fromDate` to `toDate`, both counted (1 for a single day). */
export function periodLength(period: Period): number {
  return (
    Math.round(
      DateTime.fromISO(period.toDate, { zone: 'UTC' }).diff(
        DateTime.fromISO(period.fromDate, { zone: 'UTC' }),
        'days',
      ).days,
    ) + 1
  );
}

/**
 * Reads `from` and `to` (local dates). Missing: the last 30 days up to today in `zone`; only one
 * given: 30 days from or up to it. A wrong value is said and the default stands in for it.
 */
export function parsePeriod(
  query: { get(name: string): string | undefined },
  zone: string,
  nowMs: number,
): PeriodParse {
  const problems: Partial<Record<PeriodProblem, true>> = {};
  const from = localDate(query.get('from'));
  const to = localDate(query.get('to'));
  if (from === null) problems.from = true;
  if (to === null) problems.to = true;
  const fallback = presetPeriod('last30', zone, nowMs);
  let period: Period;
  if (from && to) period = { fromDate: from, toDate: to };
  else if (from)
    period = {
      fromDate: from,
      toDate: DateTime.fromISO(from, { zone: 'UTC' })
        .plus({ days: DEFAULT_PERIOD_DAYS - 1 })
        .toISODate()!,
    };
  else if (to)
    period = {
      fromDate: DateTime.fromISO(to, { zone: 'UTC' })
        .minus({ days: DEFAULT_PERIOD_DAYS - 1 })
        .toISODate()!,
      toDate: to,
    };
  else period = fallback;
  if (period.toDate < period.fromDate) {
    problems.order = true;
    period = fallback;
  } else if (periodLength(period) > MAX_PERIOD_DAYS) {
    problems.span = true;
    period = fallback;
  }
  return Object.keys(problems).length ? { ok: false, problems, period } : { ok: true, period };
}

/** Every date of the period, in order. */
export function periodDates(period: Period): string[] {
  const dates: string[] = [];
  let d = DateTime.fromISO(period.fromDate, { zone: 'UTC' });
  const last = DateTime.fromISO(period.toDate, { zone: 'UTC' });
  while (d <= last) {
    dates.push(d.toISODate()!);
    d = d.plus({ days: 1 });
  }
  return dates;
}

/** A local date of `zone` as the instants it covers: [its midnight, the next midnight). */
export function localDayBounds(date: string, zone: string): { from: number; to: number } {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return { from: start.toMillis(), to: start.plus({ days: 1 }).startOf('day').toMillis() };
}

/** The period's instants in `zone`: from the first day's midnight to the midnight after the last. */
export function periodBounds(period: Period, zone: string): { from: number; to: number } {
  return {
    from: localDayBounds(period.fromDate, zone).from,
    to: localDayBounds(period.toDate, zone).to,
  };
}

/** Which preset the period is, if any (to mark it as the current one). */
export function presetOf(period: Period, zone: string, nowMs: number): PresetKey | undefined {
  return PERIOD_PRESETS.find((p) => {
    const q = presetPeriod(p.key, zone, nowMs);
    return q.fromDate === period.fromDate && q.toDate === period.toDate;
  })?.key;
}
