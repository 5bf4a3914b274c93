import { z } from 'zod';
import type { Queryable } from '../port.ts';
import { NOT_A_RESCHEDULE_SQL, VISIT_STATUSES_SQL, WORKING_MINUTES_CTES } from './working-time.ts';

/**
 * Booking analytics, set-based, as the tenant (RLS): one query per metric over the bookings of some
 * locations (one, or a chain's) that **start** within a period of local dates, each location's day
 * being [local midnight, next local midnight) in its own zone (23 or 25 hours on DST days). Money is
 * always grouped by currency: amounts of different currencies are never added.
 *
 * The product brief's "BI Metrics Definitions", made exact here (this file is their home):
 *
 * - **LTV** — brief: "sum of realized revenue per customer". *Realized revenue* of a booking is
 *   money the business keeps for good, counted once the booking is final: a completed visit's total
 *   (its booking-time prices) less anything refunded on it; a no-show's, a cancelled or expired
 *   booking's kept payments (deposit, prepayment or late-cancellation fee: payments that succeeded,
 *   less what was refunded of them). A refunded payment is not revenue; a payment whose charge did
 *   not match its invoice (`mismatched`) is owed back, not revenue; a booking still ahead has no
 *   realized revenue yet (what was paid ahead is in the pipeline). LTV over a period is, per
 *   currency, the realized revenue of the period's bookings divided by the clients it came from
 *   (those with realized revenue above zero): the average client's value in that period.
 * - **Retention** — brief: "share of customers with repeat bookings in period": of the clients with
 *   a booking in the period that holds a visit (confirmed, completed or no-show), the share with two
 *   or more such bookings. Chain-wide a client is one person across locations.
 * - **No-show rate** — brief: "no-show/canceled near visit over confirmed": (no-shows + late
 *   cancellations) ÷ confirmed bookings. *Confirmed*: the period's bookings that were confirmed at
 *   some point — now confirmed, completed or no-show, or cancelled from confirmed (not as the old half
 *   of a reschedule). *Late cancellation* ("canceled near visit"): cancelled from confirmed **by the
 *   client** less than the location's `policy.cancellation.freeUntilHours` before the start — the
 *   window in which the booking service charges the late fee (its current policy). Cancellations by
 *   the business are not the client's doing and do not count.
 * - **Revenue pipeline** — brief: "confirmed+paid vs confirmed+unpaid": the period's bookings that
 *   are confirmed now (the visit ahead, or its outcome not yet marked), per currency: the part of
 *   their totals already paid (kept payments, at most the total) against the part still to pay, and
 *   how many have a payment against how many have none.
 * - **Bookings per day**: bookings holding a visit, by the local date of their start.
 * - **Load per master**: booked minutes over working minutes in the period (the rule of
 *   `working-time.ts`, shared with the daily digest); active masters, and any other with visits.
 * - **Lead time**: start − creation of the bookings holding a visit, counted in buckets of hours
 *   (the caller's bucket edges), with the median.
 *
 * A booking's kept payments and refunds are its `paid_minor` and `refunded_minor`, which the
 * database keeps as its payments change (`app.track_booking_payments`, baseline 0300): no look-up of
 * payments per booking.
 */

export interface AnalyticsScope {
  tenantId: string;
  /** One location, or every location of the chain. */
  locationIds: readonly string[];
  /** Local dates, inclusive. */
  fromDate: string;
  toDate: string;
}

const params = (s: AnalyticsScope) => [s.tenantId, s.locationIds, s.fromDate, s.toDate];

/**
 * `win`: each location with its period as instants of its zone and its free-cancellation hours;
 * `period_bookings`: the bookings starting in it (one index range over the widest window, then
 * each location's own). Parameters $1 tenant, $2 location ids, $3 first date, $4 last date.
 */
const PERIOD_BOOKINGS = `
  win as (
    select l.id as location_id, l.timezone as tz,
           ($3::date)::timestamp at time zone l.timezone as from_at,
           ($4::date + 1)::timestamp at time zone l.timezone as to_at,
           coalesce((l.policy #>> '{cancellation,freeUntilHours}')::int, 0) as free_hours
    from public.locations l where l.tenant_id = $1 and l.id = any($2::uuid[])
  ), bounds as (
    select min(from_at) as from_at, max(to_at) as to_at from win
  ), period_bookings as (
    select b.id, b.client_id, b.master_id, b.status, b.start_at, b.end_at, b.created_at, b.total_minor, b.currency, b.paid_minor, b.refunded_minor, w.tz, w.free_hours
    from bounds, public.bookings b join win w on w.location_id = b.location_id
    where b.tenant_id = $1 and b.start_at >= bounds.from_at and b.start_at < bounds.to_at
      and b.start_at >= w.from_at and b.start_at < w.to_at
  )`;

/**
 * Settings for the analytics queries of a transaction: no JIT compilation (on a server that has
 * it on, compiling these aggregates costs more than running them).
 */
export async function tuneForAnalytics(q: Queryable): Promise<void> {
  await q.query("select set_config('jit', 'off', true)");
}

const count = z.coerce.number().int();
const minor = z.coerce.number();

const revenueSchema = z.object({ currency: z.string(), realized_minor: minor, clients: count });
export type RevenueRow = z.infer<typeof revenueSchema>;

/** Realized revenue per currency and the clients it came from (LTV = the one over the other). */
export async function revenueByCurrency(q: Queryable, s: AnalyticsScope): Promise<RevenueRow[]> {
  const rows = await q.query(
    `with ${PERIOD_BOOKINGS}, final as (
       select * from period_bookings where status in ('completed', 'no_show', 'cancelled', 'expired')
     ), realized as (
       select b.client_id, b.currency,
              case when b.status = 'completed' then b.total_minor - b.refunded_minor else b.paid_minor end as amount
       from final b
     ), per_client as (
       -- float8 sums: exact for whole numbers below 2^53 (any real revenue), and by value, where a
       -- bigint sum keeps a numeric state per client (a 30-day period has ~27,000 clients).
       select currency, client_id, sum(amount::float8) as amount from realized group by currency, client_id
     )
     select currency, sum(amount)::bigint::text as realized_minor, count(*) filter (where amount > 0) as clients
     from per_client group by currency having sum(amount) <> 0 order by currency`,
    params(s),
  );
  return rows.map((r) => revenueSchema.parse(r));
}

const retentionSchema = z.object({ clients: count, returning: count });
export type RetentionRow = z.infer<typeof retentionSchema>;

/** Clients with a visit booked in the period, and those with two or more. */
export async function retention(q: Queryable, s: AnalyticsScope): Promise<RetentionRow> {
  const [row] = await q.query(
    `with ${PERIOD_BOOKINGS}
     select count(*) as clients, count(*) filter (where visits >= 2) as returning
     from (select client_id, count(*) as visits from period_bookings where status in ${VISIT_STATUSES_SQL} group by client_id) c`,
    params(s),
  );
  return retentionSchema.parse(row);
}

const noShowSchema = z.object({ confirmed: count, no_shows: count, late_cancellations: count });
export type NoShowRow = z.infer<typeof noShowSchema>;

/** Confirmed bookings of the period, its no-shows and its late cancellations by clients. */
export async function noShows(q: Queryable, s: AnalyticsScope): Promise<NoShowRow> {
  const [row] = await q.query(
    `with ${PERIOD_BOOKINGS}
     select count(*) filter (where b.status in ${VISIT_STATUSES_SQL} or c.from_confirmed) as confirmed,
            count(*) filter (where b.status = 'no_show') as no_shows,
            count(*) filter (where c.from_confirmed and c.actor_kind = 'client' and c.occurred_at > b.start_at - make_interval(hours => b.free_hours)) as late_cancellations
     from period_bookings b
     left join lateral (
       -- The cancellation of a cancelled booking: from confirmed (not a reschedule's old half), by whom, when.
       select h.from_status = 'confirmed' and ${NOT_A_RESCHEDULE_SQL('h')} as from_confirmed, h.actor_kind, h.occurred_at
       from public.booking_status_history h
       where b.status = 'cancelled' and h.booking_id = b.id and h.to_status = 'cancelled'
       order by h.occurred_at desc limit 1
     ) c on true`,
    params(s),
  );
  return noShowSchema.parse(row);
}

const pipelineSchema = z.object({
  currency: z.string(),
  bookings: count,
  paid_bookings: count,
  paid_minor: minor,
  unpaid_minor: minor,
});
export type PipelineRow = z.infer<typeof pipelineSchema>;

/** Confirmed bookings per currency: what is paid of their totals and what is still to pay. */
export async function pipeline(q: Queryable, s: AnalyticsScope): Promise<PipelineRow[]> {
  const rows = await q.query(
    `with ${PERIOD_BOOKINGS}, confirmed as (
       select * from period_bookings where status = 'confirmed'
     )
     select b.currency, count(*) as bookings, count(*) filter (where b.paid_minor > 0) as paid_bookings,
            sum(least(b.paid_minor, b.total_minor))::text as paid_minor,
            sum(b.total_minor - least(b.paid_minor, b.total_minor))::text as unpaid_minor
     from confirmed b
     group by b.currency order by b.currency`,
    params(s),
  );
  return rows.map((r) => pipelineSchema.parse(r));
}

const daySchema = z.object({ date: z.string(), bookings: count });
export type DayRow = z.infer<typeof daySchema>;

/** Every date of the period with the bookings holding a visit that start on it (local dates). */
export async function bookingsPerDay(q: Queryable, s: AnalyticsScope): Promise<DayRow[]> {
  const rows = await q.query(
    `with ${PERIOD_BOOKINGS}, per_day as (
       select (start_at at time zone tz)::date as day, count(*) as bookings
       from period_bookings where status in ${VISIT_STATUSES_SQL} group by 1
     )
     select to_char(d.day, 'YYYY-MM-DD') as date, coalesce(p.bookings, 0) as bookings
     from generate_series($3::date, $4::date, interval '1 day') as d(day)
     left join per_day p on p.day = d.day::date
     order by d.day`,
    params(s),
  );
  return rows.map((r) => daySchema.parse(r));
}

const loadSchema = z.object({
  master_id: z.string(),
  name: z.string(),
  location_name: z.string(),
  booked_minutes: minor,
  working_minutes: minor,
});
export type LoadRow = z.infer<typeof loadSchema>;

/** Each master's booked and working minutes in the period (active masters, and others with visits). */
export async function loadPerMaster(q: Queryable, s: AnalyticsScope): Promise<LoadRow[]> {
  const rows = await q.query(
    `with ${PERIOD_BOOKINGS}, master_days as (
       select m.id as master_id, d.day::date as day, w.tz,
              (d.day::date)::timestamp at time zone w.tz as from_at, (d.day::date + 1)::timestamp at time zone w.tz as to_at
       from win w join public.masters m on m.location_id = w.location_id and m.tenant_id = $1 and m.active
       cross join generate_series($3::date, $4::date, interval '1 day') as d(day)
     ), ${WORKING_MINUTES_CTES}, booked as (
       select master_id, sum(extract(epoch from end_at - start_at) / 60) as minutes
       from period_bookings where status in ${VISIT_STATUSES_SQL} group by master_id
     ), working as (
       select master_id, sum(minutes) as minutes from working_minutes group by master_id
     )
     select m.id as master_id, m.display_name as name, l.name as location_name,
            round(coalesce(bk.minutes, 0))::int as booked_minutes, round(coalesce(wk.minutes, 0))::int as working_minutes
     from public.masters m
     join public.locations l on l.id = m.location_id
     left join booked bk on bk.master_id = m.id
     left join working wk on wk.master_id = m.id
     where m.tenant_id = $1 and m.location_id = any($2::uuid[]) and (m.active or bk.master_id is not null)
     order by l.sort_order, l.created_at, l.id, m.sort_order, m.display_name, m.id`,
    params(s),
  );
  return rows.map((r) => loadSchema.parse(r));
}

const leadSchema = z.object({
  bucket: count,
  bookings: count,
  median_hours: z.coerce.number().nullable(),
});
export type LeadRow = z.infer<typeof leadSchema>;

/**
 * Lead times (hours from booking to start) of the bookings holding a visit, counted per bucket:
 * bucket 0 is under `edgesHours[0]` (a visit entered after its start counts there), bucket i is
 * [edgesHours[i-1], edgesHours[i]), the last is from the last edge on. Only buckets with bookings
 * come back; each row carries the median.
 */
export async function leadTimes(
  q: Queryable,
  s: AnalyticsScope,
  edgesHours: readonly number[],
): Promise<LeadRow[]> {
  const rows = await q.query(
    `with ${PERIOD_BOOKINGS}, leads as (
       select (extract(epoch from start_at - created_at) / 3600)::float8 as hours from period_bookings where status in ${VISIT_STATUSES_SQL}
     )
     select width_bucket(hours, $5::float8[]) as bucket, count(*) as bookings,
            (select percentile_cont(0.5) within group (order by hours) from leads) as median_hours
     from leads group by 1 order by 1`,
    [...params(s), edgesHours],
  );
  return rows.map((r) => leadSchema.parse(r));
}
