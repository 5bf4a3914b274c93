-- A batch of holds written by one statement instead of one function call per request (issue 4's
-- throughput target). Measured per booking inside book_slots, most of the server's time went to
-- setting up statements: the context look-up, the insert, and the history insert a row trigger
-- ran for every booking. Now the usual batch (every request valid, free, no repeated key) costs
-- one look-up, one locking statement and one insert for all its requests; any request that is
-- not that plain still goes through app.insert_booking on its own, so every refusal, idempotent
-- replay and overdue-hold release stays exactly as it was.

-- Who created a booking, per row: a batch inserts holds for several clients in one statement,
-- so the session's actor settings cannot say it for each of them. An insert that does not name
-- them (app.insert_booking, a direct insert) records the transaction's actor, as before. Older
-- bookings keep null (their history says who booked them): defaults set after the columns exist
-- neither rewrite the table nor invent an actor for them.
alter table public.bookings
  add column booked_by_kind app.actor_kind,
  add column booked_by_id app.actor_ref;
alter table public.bookings
  alter column booked_by_kind set default coalesce(nullif(pg_catalog.current_setting('slotbot.actor_kind', true), ''), 'system'),
  alter column booked_by_id set default nullif(pg_catalog.current_setting('slotbot.actor_id', true), '');

-- The status history of new bookings is written once per statement from its transition table
-- (and the "starts as held" rule checked there); changes of status keep their row triggers.
drop trigger bookings_guard_status on public.bookings;
drop trigger bookings_record_status on public.bookings;
create trigger bookings_guard_status before update of status on public.bookings
  for each row execute function app.bookings_guard_status();
create trigger bookings_record_status after update of status on public.bookings
  for each row execute function app.bookings_record_status();

create function app.bookings_record_created() returns trigger
language plpgsql set search_path = ''
as $$
declare
  wrong text;
begin
  select c.status into wrong from created c where c.status <> 'held' limit 1;
  if found then
    raise exception 'a booking starts as held, not %', wrong using errcode = 'SB020';
  end if;
  -- clock_timestamp: several changes in one transaction keep their order.
  insert into public.booking_status_history (tenant_id, booking_id, from_status, to_status, actor_kind, actor_id, reason, occurred_at)
  select c.tenant_id, c.id, null, c.status, coalesce(c.booked_by_kind, 'system'), c.booked_by_id,
         nullif(pg_catalog.current_setting('slotbot.reason', true), ''),
         pg_catalog.clock_timestamp()
  from created c;
  return null;
end
$$;
create trigger bookings_record_created after insert on public.bookings
  referencing new table as created
  for each statement execute function app.bookings_record_created();

-- One request of a batch, looked up and sized: what app.insert_booking works out before it locks.
create type app.slot_plan as (
  ord integer,
  id uuid,
  location_id uuid,
  master_id uuid,
  client_id uuid,
  service_ids uuid[],
  start_at timestamptz,
  idempotency_key text,
  client_comment text,
  actor_kind text,
  actor_id text,
  catalog_version bigint,
  -- Every check of app.insert_booking passed: the request may lock and be inserted here.
  valid boolean,
  lock_key integer,
  first_day date,
  last_day date,
  end_at timestamptz,
  span tstzrange,
  hold_expires_at timestamptz,
  total bigint,
  currency text
);

create or replace function public.book_slots(p_tenant_id uuid, p_requests jsonb)
returns table (
  ordinal integer,
  booking public.bookings,
  replayed boolean,
  error_code text,
  error_message text,
  error_detail text
)
language plpgsql volatile security definer set search_path = ''
-- With the requests as parameters, PostgreSQL would plan the statements below afresh for every
-- batch (a custom plan looks cheaper to it once it sees the array): a third of the function's
-- time. Their plan does not depend on the values: index probes per request, whatever the batch.
set plan_cache_mode = force_generic_plan
as $$
declare
  v_plans app.slot_plan[];
  v_done integer[] := '{}';
  v_rows public.bookings[] := '{}';
  r record;
begin
  perform app.assert_may_act_for(p_tenant_id);
  if jsonb_typeof(p_requests) is distinct from 'array' or jsonb_array_length(p_requests) not between 1 and 32 then
    raise exception 'between 1 and 32 requests are required' using errcode = '22023';
  end if;
  perform pg_catalog.set_config('slotbot.reason', 'booked', true);

  -- The plain requests, all at once. Anything unexpected here (a malformed request, a race that
  -- the exclusion constraint or the idempotency key caught) undoes this part only, and every
  -- request then takes the one-by-one path below, where it fails or succeeds on its own.
  begin
    -- Every request looked up and sized at once, with the checks of app.insert_booking. One that
    -- fails any of them is not refused here: app.insert_booking takes it below and raises the
    -- refusal with its code and detail.
    -- Materialized: each request's fields are read out of the JSON once, however often the
    -- checks below refer to them (pulled up into them, the service list was rebuilt per use).
    with rq as materialized (
      select e.ord::integer as ord,
             (e.req ->> 'location_id')::uuid as location_id, (e.req ->> 'master_id')::uuid as master_id,
             (e.req ->> 'client_id')::uuid as client_id,
             array(select jsonb_array_elements_text(e.req -> 'service_ids')::uuid) as service_ids,
             (e.req ->> 'start_at')::timestamptz as start_at, e.req ->> 'idempotency_key' as idempotency_key,
             e.req ->> 'comment' as client_comment, coalesce(e.req ->> 'actor_kind', 'system') as actor_kind,
             nullif(e.req ->> 'actor_id', '') as actor_id, (e.req ->> 'catalog_version')::bigint as catalog_version
      from jsonb_array_elements(p_requests) with ordinality as e (req, ord)
    )
    select array_agg(x.plan order by (x.plan).ord) into v_plans
    from (
      select row(
        rq.ord, pg_catalog.gen_random_uuid(), rq.location_id, rq.master_id, rq.client_id, rq.service_ids, rq.start_at,
        rq.idempotency_key, rq.client_comment, rq.actor_kind, rq.actor_id, rq.catalog_version,
        coalesce(
          t.status <> 'suspended' and not t.maintenance
          and l.active and (rq.catalog_version is null or rq.catalog_version = l.catalog_version)
          and m.active
          and cardinality(rq.service_ids) between 1 and 10
          and cat.listed = cardinality(rq.service_ids) and cat.available = cardinality(rq.service_ids) and cat.skilled = cardinality(rq.service_ids)
          and rq.start_at >= now() + make_interval(mins => (l.policy ->> 'leadTimeMinutes')::integer)
          and (rq.start_at at time zone l.timezone)::date <= (now() at time zone l.timezone)::date + (l.policy ->> 'horizonDays')::integer
          and sized.span is not null,
          false),
        pg_catalog.hashtext('slotbot.master:' || rq.master_id::text),
        (lower(sized.span) at time zone l.timezone)::date,
        ((upper(sized.span) - interval '1 microsecond') at time zone l.timezone)::date,
        sized.visit_end, sized.span,
        now() + make_interval(mins => (l.policy ->> 'holdMinutes')::integer),
        cat.total, l.currency
      )::app.slot_plan as plan
      from rq
      join public.tenants t on t.id = p_tenant_id
      left join public.locations l on l.id = rq.location_id and l.tenant_id = t.id
      left join public.masters m on m.id = rq.master_id and m.tenant_id = t.id and m.location_id = rq.location_id
      cross join lateral (
        select count(distinct x.id) as listed,
               count(s.id) filter (where s.active and s.tenant_id = p_tenant_id and s.location_id = rq.location_id) as available,
               count(k.service_id) as skilled,
               sum(s.price_minor) as total,
               sum(coalesce(k.duration_override_min, s.duration_min)) as minutes
        from unnest(rq.service_ids) as x (id)
        left join public.services s on s.id = x.id
        left join public.master_skills k on k.master_id = rq.master_id and k.service_id = x.id
      ) as cat
      -- The length rule of app.insert_booking (and tenants/availability/duration.ts), then buffers.
      cross join lateral (
        select rq.start_at + make_interval(mins => (ceil(cat.minutes * m.speed_factor / nullif((l.policy ->> 'slotStepMinutes')::integer, 0))
                                                    * (l.policy ->> 'slotStepMinutes')::integer)::integer) as visit_end
      ) as visit
      cross join lateral (
        select visit.visit_end,
               tstzrange(rq.start_at - make_interval(mins => (l.policy ->> 'bufferBeforeMinutes')::integer),
                         visit.visit_end + make_interval(mins => (l.policy ->> 'bufferAfterMinutes')::integer), '[)') as span
      ) as sized
    ) as x;

    -- The locks app.insert_booking would take, for every valid request, in one order (master,
    -- day) so that two batches never wait for each other in a cycle. Taken before the insert
    -- below, whose statement then sees everything the previous holders committed.
    perform pg_catalog.pg_advisory_xact_lock(k.lock_key, k.day)
    from (
      select distinct q.lock_key, d.day::date - date '1970-01-01' as day
      from unnest(v_plans) as q
      cross join lateral pg_catalog.generate_series(q.first_day::timestamp, q.last_day::timestamp, interval '1 day') as d (day)
      where q.valid
      order by 1, 2
    ) as k;

    -- Plain: valid, free, not overlapping a request for the same master that comes earlier in
    -- lock order (which the one-by-one path below would have booked first), and with no
    -- idempotency key seen before or twice in the batch. OFFSET 0 keeps the look-up for
    -- existing bookings a probe of the exclusion index per request: as an anti-join, the planner
    -- may prefer reading the whole partial index when its statistics predate today's holds.
    with plain as (
      select q.* from unnest(v_plans) as q
      where q.valid
        and not exists (
          select 1 from public.bookings b
          where b.master_id = q.master_id and b.status in ('held', 'pending_payment', 'confirmed') and b.span && q.span
          offset 0)
        and not exists (
          select 1 from unnest(v_plans) as o
          where o.valid and o.master_id = q.master_id and o.span && q.span
            and (o.lock_key, o.start_at, o.ord) < (q.lock_key, q.start_at, q.ord))
        and (q.idempotency_key is null or (
          not exists (select 1 from public.bookings b where b.tenant_id = p_tenant_id and b.idempotency_key = q.idempotency_key)
          and not exists (select 1 from unnest(v_plans) as o where o.ord <> q.ord and o.idempotency_key = q.idempotency_key)))
    ), created as (
      insert into public.bookings (id, tenant_id, location_id, master_id, client_id, status, start_at, end_at, span,
                                   hold_expires_at, total_minor, currency, idempotency_key, client_comment, booked_by_kind, booked_by_id)
      select q.id, p_tenant_id, q.location_id, q.master_id, q.client_id, 'held', q.start_at, q.end_at, q.span,
             q.hold_expires_at, q.total, q.currency, q.idempotency_key, q.client_comment, q.actor_kind, q.actor_id
      from plain as q
      returning *
    ), items as (
      insert into public.booking_items (tenant_id, booking_id, service_id, position, service_name, duration_min, price_minor, currency)
      select p_tenant_id, q.id, s.id, (o.ord - 1)::smallint, s.name, coalesce(k.duration_override_min, s.duration_min), s.price_minor, q.currency
      from plain as q
      cross join unnest(q.service_ids) with ordinality as o (service_id, ord)
      join public.services s on s.id = o.service_id
      join public.master_skills k on k.master_id = q.master_id and k.service_id = s.id
    )
    select coalesce(array_agg(q.ord), '{}'), coalesce(array_agg(row(c.*)::public.bookings), '{}')
      into v_done, v_rows
    from created as c join plain as q on q.id = c.id;
  exception when others then
    v_done := '{}';
    v_rows := '{}';
  end;

  for i in 1..cardinality(v_done) loop
    ordinal := v_done[i];
    booking := v_rows[i];
    replayed := false;
    error_code := null;
    error_message := null;
    error_detail := null;
    return next;
  end loop;

  -- The rest one by one, as before: in lock order, each in its own subtransaction, its refusal
  -- (or its idempotent replay) reported on its row.
  for r in
    select e.ord::integer as ord, e.req
    from jsonb_array_elements(p_requests) with ordinality as e (req, ord)
    where e.ord <> all (v_done)
    order by pg_catalog.hashtext('slotbot.master:' || (e.req ->> 'master_id')), (e.req ->> 'start_at')::timestamptz, e.ord
  loop
    ordinal := r.ord;
    booking := null;
    replayed := false;
    error_code := null;
    error_message := null;
    error_detail := null;
    begin
      perform pg_catalog.set_config('slotbot.actor_kind', coalesce(r.req ->> 'actor_kind', 'system'), true);
      perform pg_catalog.set_config('slotbot.actor_id', coalesce(r.req ->> 'actor_id', ''), true);
      booking := app.insert_booking(
        p_tenant_id, (r.req ->> 'location_id')::uuid, (r.req ->> 'master_id')::uuid, (r.req ->> 'client_id')::uuid,
        array(select jsonb_array_elements_text(r.req -> 'service_ids')::uuid), (r.req ->> 'start_at')::timestamptz,
        r.req ->> 'idempotency_key', r.req ->> 'comment', null, true, (r.req ->> 'catalog_version')::bigint);
      replayed := pg_catalog.current_setting('slotbot.replayed', true) = 'true';
    exception when others then
      get stacked diagnostics error_code = returned_sqlstate, error_message = message_text, error_detail = pg_exception_detail;
    end;
    return next;
  end loop;
end
$$;
