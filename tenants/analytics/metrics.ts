/**
 * The arithmetic of analytics on top of the set-based queries (db/queries/analytics.ts holds the
 * product brief's metric definitions and what each counts). Pure: shares, LTV, load, lead-time
 * buckets. A share of nothing is `null` ("no data"), never 0 % or a division by zero.
 */

/** `part` of `whole` as a fraction 0..1 (load may pass 1); null when `whole` is 0. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** A fraction as a percentage with one decimal (0.3333 → 33.3), for tables and CSV. */
export function percent(fraction: number): number {
  return Math.round(fraction * 1000) / 10;
}

/** LTV in minor units: realized revenue over the clients it came from, rounded half up; null without clients. */
export function ltvMinor(realizedMinor: number, clients: number): number | null {
  return clients > 0 ? Math.floor(realizedMinor / clients + 0.5) : null;
}

/** Load: booked minutes over working minutes (null when nobody was to work). */
export function load(bookedMinutes: number, workingMinutes: number): number | null {
  return share(bookedMinutes, workingMinutes);
}

/** Load as a whole percentage for short texts (the daily digest): 0 when nobody was to work. */
export function loadPercent(bookedMinutes: number, workingMinutes: number): number {
  const l = load(bookedMinutes, workingMinutes);
  return l === null ? 0 : Math.round(l * 100);
}

/**
 * Lead time buckets, in hours from booking to start: under 2 h, 2–24 h, 1–3 days, 3–7 days, 1–2
 * weeks, 2–4 weeks, 4 weeks or more. The edges go to the query as they are.
 */
export const LEAD_TIME_EDGES_HOURS = [2, 24, 72, 168, 336, 672] as const;

export interface LeadBucket {
  /** 0 .. LEAD_TIME_EDGES_HOURS.length. */
  index: number;
  /** Hours, inclusive; null: open below (the first bucket, which also holds visits entered after they began). */
  fromHours: number | null;
  /** Hours, exclusive; null: open above. */
  toHours: number | null;
  bookings: number;
}

/** Every bucket in order, with the counts the query found (missing buckets are 0). */
export function leadHistogram(
  rows: readonly { bucket: number; bookings: number }[],
  edges: readonly number[] = LEAD_TIME_EDGES_HOURS,
): LeadBucket[] {
  const counts = new Map(rows.map((r) => [r.bucket, r.bookings]));
  return Array.from({ length: edges.length + 1 }, (_, index) => ({
    index,
    fromHours: index === 0 ? null : edges[index - 1]!,
    toHours: index === edges.length ? null : edges[index]!,
    bookings: counts.get(index) ?? 0,
  }));
}
