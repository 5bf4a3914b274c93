import type { Queryable } from '../../db/port.ts';
import {
  bookingsPerDay,
  leadTimes,
  loadPerMaster,
  noShows,
  pipeline,
  retention,
  revenueByCurrency,
  tuneForAnalytics,
  type AnalyticsScope,
} from '../../db/queries/analytics.ts';
import {
  LEAD_TIME_EDGES_HOURS,
  leadHistogram,
  load,
  ltvMinor,
  share,
  type LeadBucket,
} from './metrics.ts';

/**
 * One location's or a chain's analytics for a period, as the page and the CSV downloads show them:
 * each metric from its own set-based query (definitions: db/queries/analytics.ts), money per
 * currency, shares computed here.
 */
export interface RevenueFigure {
  currency: string;
  realizedMinor: number;
  /** Clients with realized revenue in the period. */
  clients: number;
  /** Realized revenue per such client (LTV); null without any. */
  ltvMinor: number | null;
}

export interface ShareFigure {
  part: number;
  whole: number;
  /** part / whole; null when whole is 0. */
  share: number | null;
}

export interface PipelineFigure {
  currency: string;
  bookings: number;
  paidBookings: number;
  paidMinor: number;
  unpaidMinor: number;
}

export interface MasterLoad {
  masterId: string;
  name: string;
  locationName: string;
  bookedMinutes: number;
  workingMinutes: number;
  load: number | null;
}

export interface Summary {
  revenue: RevenueFigure[];
  /** Clients with two or more visits booked, of those with one or more. */
  retention: ShareFigure;
  /** No-shows plus late cancellations, of the confirmed bookings. */
  noShows: ShareFigure & { noShows: number; lateCancellations: number };
}

export interface LeadTimes {
  buckets: LeadBucket[];
  medianHours: number | null;
}

/** The metrics a page shows and a CSV download holds, by the name in its URL. */
export const CHARTS = ['summary', 'per-day', 'load', 'lead-time', 'pipeline'] as const;
export type ChartKey = (typeof CHARTS)[number];

export async function summary(q: Queryable, scope: AnalyticsScope): Promise<Summary> {
  const revenue = (await revenueByCurrency(q, scope)).map((r) => ({
    currency: r.currency,
    realizedMinor: r.realized_minor,
    clients: r.clients,
    ltvMinor: ltvMinor(r.realized_minor, r.clients),
  }));
  const kept = await retention(q, scope);
  const ns = await noShows(q, scope);
  const missed = ns.no_shows + ns.late_cancellations;
  return {
    revenue,
    retention: {
      part: kept.returning,
      whole: kept.clients,
      share: share(kept.returning, kept.clients),
    },
    noShows: {
      part: missed,
      whole: ns.confirmed,
      share: share(missed, ns.confirmed),
      noShows: ns.no_shows,
      lateCancellations: ns.late_cancellations,
    },
  };
}

export async function pipelineFigures(
  q: Queryable,
  scope: AnalyticsScope,
): Promise<PipelineFigure[]> {
  return (await pipeline(q, scope)).map((r) => ({
    currency: r.currency,
    bookings: r.bookings,
    paidBookings: r.paid_bookings,
    paidMinor: r.paid_minor,
    unpaidMinor: r.unpaid_minor,
  }));
}

export async function masterLoads(q: Queryable, scope: AnalyticsScope): Promise<MasterLoad[]> {
  return (await loadPerMaster(q, scope)).map((r) => ({
    masterId: r.master_id,
    name: r.name,
    locationName: r.location_name,
    bookedMinutes: r.booked_minutes,
    workingMinutes: r.working_minutes,
    load: load(r.booked_minutes, r.working_minutes),
  }));
}

export async function leadTimeFigures(q: Queryable, scope: AnalyticsScope): Promise<LeadTimes> {
  const rows = await leadTimes(q, scope, LEAD_TIME_EDGES_HOURS);
  return { buckets: leadHistogram(rows), medianHours: rows[0]?.median_hours ?? null };
}

export interface AnalyticsReport {
  summary: Summary;
  perDay: { date: string; bookings: number }[];
  load: MasterLoad[];
  leadTime: LeadTimes;
  pipeline: PipelineFigure[];
}

/** Every metric (one query each, in one transaction). */
export async function analyticsReport(
  q: Queryable,
  scope: AnalyticsScope,
): Promise<AnalyticsReport> {
  await tuneForAnalytics(q);
  return {
    summary: await summary(q, scope),
    perDay: await bookingsPerDay(q, scope),
    load: await masterLoads(q, scope),
    leadTime: await leadTimeFigures(q, scope),
    pipeline: await pipelineFigures(q, scope),
  };
}
