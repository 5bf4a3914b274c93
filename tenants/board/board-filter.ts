import { DateTime } from 'luxon';
import { BOOKING_STATES, type BookingState } from '../booking/state-machine.ts';

/**
 * What the bookings board shows: one location's bookings, optionally one master's or those with
 * one service, in some states, between two local dates (inclusive, in the location's zone), and
 * matching a client search. Pure: the query string in, the filter or what is wrong out.
 */
export interface BoardFilter {
  masterId?: string;
  serviceId?: string;
  statuses: BookingState[];
  /** Local calendar dates (YYYY-MM-DD), inclusive. */
  fromDate: string;
  toDate: string;
  /** Matched against the client's name, @username and phone (case-insensitive, anywhere). */
  search?: string;
}

/** The instants the filter's local dates cover in `zone`: from the start of the first day to the start of the day after the last. */
export function boardWindow(
  filter: Pick<BoardFilter, 'fromDate' | 'toDate'>,
  zone: string,
): { from: Date; to: Date } {
  return {
    from: DateTime.fromISO(filter.fromDate, { zone }).startOf('day').toJSDate(),
    to: DateTime.fromISO(filter.toDate, { zone }).plus({ days: 1 }).startOf('day').toJSDate(),
  };
}

export type FilterProblem = 'from' | 'to' | 'order' | 'span' | 'status' | 'search';
export type FilterParse =
  | { ok: true; filter: BoardFilter }
  | { ok: false; problems: Partial<Record<FilterProblem, true>>; filter: BoardFilter };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The longest stretch one list or export covers. */
export const MAX_SPAN_DAYS = 366;
/** A stretch the board opens on: today and the next two weeks. */
export const DEFAULT_SPAN_DAYS = 14;

function localDate(text: string | undefined, zone: string): string | undefined | null {
  if (!text?.trim()) return undefined;
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t)) return null;
  const d = DateTime.fromISO(t, { zone });
  return d.isValid ? t : null;
}

/**
 * Reads the board's query: `master`, `service` (ids; anything else is ignored as "all"), `status`
 * (repeatable), `from`/`to` (local dates; default today .. today + 14 days), `q` (client search).
 */
export function parseBoardFilter(
  query: { get(name: string): string | undefined; all(name: string): string[] },
  zone: string,
  nowMs: number,
): FilterParse {
  const problems: Partial<Record<FilterProblem, true>> = {};
  const today = DateTime.fromMillis(nowMs, { zone }).toISODate()!;
  const from = localDate(query.get('from'), zone);
  const to = localDate(query.get('to'), zone);
  if (from === null) problems.from = true;
  if (to === null) problems.to = true;
  const fromDate = from ?? today;
  const toDate =
    to ?? DateTime.fromISO(fromDate, { zone }).plus({ days: DEFAULT_SPAN_DAYS }).toISODate()!;
  if (from !== null && to !== null && toDate < fromDate) problems.order = true;
  else if (DateTime.fromISO(toDate).diff(DateTime.fromISO(fromDate), 'days').days > MAX_SPAN_DAYS)
    problems.span = true;
  const asked = query.all('status').filter((s) => s !== '');
  const statuses = asked.filter((s): s is BookingState =>
    (BOOKING_STATES as readonly string[]).includes(s),
  );
  if (statuses.length !== asked.length) problems.status = true;
  const search = (query.get('q') ?? '').trim();
  if (search.length > 100) problems.search = true;
  const master = query.get('master');
  const service = query.get('service');
  const filter: BoardFilter = {
    ...(master && UUID.test(master) ? { masterId: master } : {}),
    ...(service && UUID.test(service) ? { serviceId: service } : {}),
    statuses: [...new Set(statuses)],
    fromDate,
    toDate: problems.order || problems.span ? fromDate : toDate,
    ...(search && !problems.search ? { search: search.replace(/^@/, '') } : {}),
  };
  return Object.keys(problems).length ? { ok: false, problems, filter } : { ok: true, filter };
}

/** The filter as a query string (for page links and the export), without the location. */
export function filterQuery(filter: BoardFilter): Record<string, string | string[]> {
  return {
    from: filter.fromDate,
    to: filter.toDate,
    ...(filter.masterId ? { master: filter.masterId } : {}),
    ...(filter.serviceId ? { service: filter.serviceId } : {}),
    ...(filter.statuses.length ? { status: filter.statuses } : {}),
    ...(filter.search ? { q: filter.search } : {}),
  };
}
