import type { Queryable } from '../port.ts';
import { NOT_A_RESCHEDULE_SQL, VISIT_STATUSES_SQL, WORKING_MINUTES_CTES } from './working-time.ts';

export interface DigestFigures {
  visits: number;
  cancellations: number;
  noShows: number;
  /** Completed visits' totals, per currency. */
  revenue: { currency: string; amount_minor: number }[];
  bookedMinutes: number;
  workingMinutes: number;
}

/**
 * A tenant's figures for one local day of a location's zone: visits on that day (confirmed,
 * completed or no-show), cancellations made that day (not counting reschedules), no-shows,
 * revenue of completed visits, and load (booked minutes over the active masters' working minutes,
 * under the rule of `working-time.ts`).
 */
export async function digestFigures(
  q: Queryable,
  p: { tenantId: string; date: string; timezone: string },
): Promise<DigestFigures> {
  const [row] = await q.query<{
    visits: string;
    cancellations: string;
    no_shows: string;
    booked_minutes: string | null;
    working_minutes: string | null;
    revenue: { currency: string; amount_minor: number }[] | null;
  }>(
    `with day as (
       select ($2::date)::timestamp at time zone $3 as from_at, ($2::date + 1)::timestamp at time zone $3 as to_at
     ), visits as (
       select b.* from public.bookings b, day
       where b.tenant_id = $1 and b.start_at >= day.from_at and b.start_at < day.to_at and b.status in ${VISIT_STATUSES_SQL}
     ), master_days as (
       select m.id as master_id, $2::date as day, $3::text as tz, day.from_at, day.to_at
       from public.masters m, day where m.tenant_id = $1 and m.active
     ), ${WORKING_MINUTES_CTES}
     select
       (select count(*) from visits) as visits,
       (select count(*) from public.booking_status_history h join public.bookings b on b.id = h.booking_id, day
         where b.tenant_id = $1 and h.to_status = 'cancelled' and ${NOT_A_RESCHEDULE_SQL('h')}
           and h.occurred_at >= day.from_at and h.occurred_at < day.to_at) as cancellations,
       (select count(*) from visits where status = 'no_show') as no_shows,
       (select sum(extract(epoch from (end_at - start_at)) / 60) from visits) as booked_minutes,
       (select sum(minutes) from working_minutes) as working_minutes,
       (select json_agg(json_build_object('currency', currency, 'amount_minor', total)) from
          (select currency, sum(total_minor)::bigint as total from visits where status = 'completed' group by currency) r) as revenue`,
    [p.tenantId, p.date, p.timezone],
  );
  return {
    visits: Number(row!.visits),
    cancellations: Number(row!.cancellations),
    noShows: Number(row!.no_shows),
    revenue: (row!.revenue ?? []).map((r) => ({
      currency: r.currency,
      amount_minor: Number(r.amount_minor),
    })),
    bookedMinutes: Math.round(Number(row!.booked_minutes ?? 0)),
    workingMinutes: Math.round(Number(row!.working_minutes ?? 0)),
  };
}

/** Active tenants with the zone their digests follow (their first location's). */
export async function digestTenants(q: Queryable): Promise<{ id: string; timezone: string }[]> {
  return q.query<{ id: string; timezone: string }>(
    `select t.id, (select l.timezone from public.locations l where l.tenant_id = t.id order by l.sort_order, l.created_at limit 1) as timezone
     from public.tenants t where t.status = 'active' and exists (select 1 from public.locations l where l.tenant_id = t.id)`,
  );
}

/** The zone a tenant's digests follow and the currency their figures are shown in: its first location's. */
export async function tenantDigestLocation(
  q: Queryable,
  tenantId: string,
): Promise<{ timezone: string; currency: string } | undefined> {
  const [row] = await q.query<{ timezone: string; currency: string }>(
    'select timezone, currency from public.locations where tenant_id = $1 order by sort_order, created_at limit 1',
    [tenantId],
  );
  return row;
}
