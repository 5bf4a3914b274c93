import type { Queryable } from '../port.ts';

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
 * revenue of completed visits, and load (booked minutes over the masters' working minutes: their
 * working windows that day less breaks and time off).
 */
export async function digestFigures(q: Queryable, p: { tenantId: string; date: string; timezone: string }): Promise<DigestFigures> {
  const [row] = await q.query<{ visits: string; cancellations: string; no_shows: string; booked_minutes: string | null; working_minutes: string | null; revenue: { currency: string; amount_minor: number }[] | null }>(
    `with day as (
       select ($2::date)::timestamp at time zone $3 as from_at, ($2::date + 1)::timestamp at time zone $3 as to_at, extract(isodow from $2::date)::int as dow
     ), visits as (
       select b.* from public.bookings b, day
       where b.tenant_id = $1 and b.start_at >= day.from_at and b.start_at < day.to_at and b.status in ('confirmed', 'completed', 'no_show')
     ), working as (
       -- Each active master's working windows of the day as instants (a DST day is 23 or 25 hours long).
       select w.master_id, range_agg(tstzrange(($2::date + w.start_local) at time zone $3, ($2::date + w.end_local) at time zone $3)) as windows
       from public.working_hours w join public.masters m on m.id = w.master_id, day
       where w.tenant_id = $1 and m.active and w.weekday = day.dow
       group by w.master_id
     ), away as (
       -- Not working time: the day's breaks, time off as instants, and whole days off.
       select master_id, range_agg(span) as away from (
         select b.master_id, tstzrange(($2::date + b.start_local) at time zone $3, ($2::date + b.end_local) at time zone $3) as span
         from public.breaks b, day where b.tenant_id = $1 and b.weekday = day.dow
         union all
         select t.master_id, tstzrange(t.starts_at, t.ends_at) from public.time_off t, day
         where t.tenant_id = $1 and not t.all_day and t.starts_at < day.to_at and t.ends_at > day.from_at
         union all
         select t.master_id, tstzrange(day.from_at, day.to_at) from public.time_off t, day
         where t.tenant_id = $1 and t.all_day and $2::date between t.first_day and t.last_day
       ) spans group by master_id
     )
     select
       (select count(*) from visits) as visits,
       (select count(*) from public.booking_status_history h join public.bookings b on b.id = h.booking_id, day
         where b.tenant_id = $1 and h.to_status = 'cancelled' and coalesce(h.reason, '') <> 'rescheduled'
           and h.occurred_at >= day.from_at and h.occurred_at < day.to_at) as cancellations,
       (select count(*) from visits where status = 'no_show') as no_shows,
       (select sum(extract(epoch from (end_at - start_at)) / 60) from visits) as booked_minutes,
       (select sum(extract(epoch from (upper(free) - lower(free))) / 60) from (
          select unnest(w.windows - coalesce(o.away, '{}'::tstzmultirange)) as free from working w left join away o using (master_id)) f) as working_minutes,
       (select json_agg(json_build_object('currency', currency, 'amount_minor', total)) from
          (select currency, sum(total_minor)::bigint as total from visits where status = 'completed' group by currency) r) as revenue`,
    [p.tenantId, p.date, p.timezone],
  );
  return {
    visits: Number(row!.visits),
    cancellations: Number(row!.cancellations),
    noShows: Number(row!.no_shows),
    revenue: (row!.revenue ?? []).map((r) => ({ currency: r.currency, amount_minor: Number(r.amount_minor) })),
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
export async function tenantDigestLocation(q: Queryable, tenantId: string): Promise<{ timezone: string; currency: string } | undefined> {
  const [row] = await q.query<{ timezone: string; currency: string }>('select timezone, currency from public.locations where tenant_id = $1 order by sort_order, created_at limit 1', [tenantId]);
  return row;
}
