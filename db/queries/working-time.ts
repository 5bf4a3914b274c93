/**
 * Working time and load, the one home of their rule in SQL (the daily digest and analytics both
 * use it): **load is booked minutes over working minutes; breaks and time off are not working
 * time.** A master's working minutes on a local day are their weekly working windows of that
 * weekday, as instants of the location's zone (so a window over a spring-forward hour is an hour
 * shorter), less that day's breaks, less time off given as instants, and none at all on a whole day
 * off. Booked minutes are the visits' own minutes (end − start, buffers not counted) of the
 * bookings that hold a visit: see `VISIT_STATUSES_SQL`.
 */

/** Bookings that hold a client's visit: confirmed ahead, or its outcome marked (completed, no-show). */
export const VISIT_STATUSES = ['confirmed', 'completed', 'no_show'] as const;
export const VISIT_STATUSES_SQL = `('confirmed', 'completed', 'no_show')`;

/**
 * A cancellation that only moved the visit (the old booking of a reschedule is cancelled with this
 * reason, the new one points back at it): not a cancellation for figures. `h` is the history row.
 */
export const NOT_A_RESCHEDULE_SQL = (h: string) => `coalesce(${h}.reason, '') <> 'rescheduled'`;

/**
 * CTEs (to follow a `with` and a relation `master_days (master_id uuid, day date, tz text, from_at
 * timestamptz, to_at timestamptz)`, one row per master and local day, `from_at`/`to_at` being the
 * day's midnights in zone `tz`) that end in `working_minutes (master_id, day, minutes)`: each
 * master-day's working minutes under the rule above. Master-days without working windows are absent.
 */
export const WORKING_MINUTES_CTES = `
  working_windows as (
    select md.master_id, md.day, range_agg(tstzrange((md.day + w.start_local) at time zone md.tz, (md.day + w.end_local) at time zone md.tz)) as windows
    from master_days md join public.working_hours w on w.master_id = md.master_id and w.weekday = extract(isodow from md.day)
    group by md.master_id, md.day
  ), away as (
    select master_id, day, range_agg(span) as spans from (
      select md.master_id, md.day, tstzrange((md.day + b.start_local) at time zone md.tz, (md.day + b.end_local) at time zone md.tz) as span
      from master_days md join public.breaks b on b.master_id = md.master_id and b.weekday = extract(isodow from md.day)
      union all
      select md.master_id, md.day, tstzrange(t.starts_at, t.ends_at)
      from master_days md join public.time_off t on t.master_id = md.master_id
      where not t.all_day and t.starts_at < md.to_at and t.ends_at > md.from_at
      union all
      select md.master_id, md.day, tstzrange(md.from_at, md.to_at)
      from master_days md join public.time_off t on t.master_id = md.master_id
      where t.all_day and md.day between t.first_day and t.last_day
    ) s group by master_id, day
  ), working_minutes as (
    select w.master_id, w.day, sum(extract(epoch from upper(f.free) - lower(f.free)) / 60) as minutes
    from working_windows w
    left join away a on a.master_id = w.master_id and a.day = w.day
    cross join lateral unnest(w.windows - coalesce(a.spans, '{}'::tstzmultirange)) as f(free)
    group by w.master_id, w.day
  )`;
