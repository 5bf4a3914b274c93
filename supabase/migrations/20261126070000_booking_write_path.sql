-- The booking write path, made cheaper without giving up an invariant (issue 4's throughput target).
-- Measured per booking inside one backend: the check constraints of bookings, booking_items and
-- booking_status_history were rebuilt from their stored text on every statement (~18 of them);
-- single-column rules now live in domains, whose checks PostgreSQL keeps compiled per session.
-- Multi-column rules stay table constraints. Foreign keys that another key already implies are
-- dropped (each costs a look-up per inserted row); book_slot runs fewer statements.

create domain app.booking_status as text
  constraint booking_status_known check (value in ('held', 'pending_payment', 'confirmed', 'completed', 'no_show', 'cancelled', 'expired'));
create domain app.actor_kind as text
  constraint actor_kind_known check (value in ('client', 'master', 'owner', 'manager', 'platform_admin', 'system'));
create domain app.currency_code as text constraint currency_code_iso4217 check (value ~ '^[A-Z]{3}$');
create domain app.minor_amount as bigint constraint minor_amount_non_negative check (value >= 0);
create domain app.idempotency_key as text constraint idempotency_key_length check (length(value) between 1 and 200);
create domain app.client_comment as text constraint client_comment_length check (length(value) <= 1000);
create domain app.actor_ref as text constraint actor_ref_length check (length(value) <= 100);
create domain app.change_reason as text constraint change_reason_length check (length(value) <= 500);
create domain app.item_position as smallint constraint item_position_non_negative check (value >= 0);
create domain app.visit_minutes as integer constraint visit_minutes_positive check (value > 0);

-- A column named in a trigger's UPDATE OF list cannot change type while the trigger exists.
drop trigger bookings_guard_status on public.bookings;
drop trigger bookings_record_status on public.bookings;

alter table public.bookings
  drop constraint bookings_status_known,
  drop constraint bookings_total_non_negative,
  drop constraint bookings_currency_iso4217,
  drop constraint bookings_idempotency_key_check,
  drop constraint bookings_client_comment_check,
  alter column status type app.booking_status,
  alter column total_minor type app.minor_amount,
  alter column currency type app.currency_code,
  alter column idempotency_key type app.idempotency_key,
  alter column client_comment type app.client_comment,
  -- Implied by the master's key (tenant, location, master), whose row references the location.
  drop constraint bookings_tenant_id_location_id_fkey;

alter table public.booking_items
  drop constraint booking_items_position_check,
  drop constraint booking_items_duration_positive,
  drop constraint booking_items_price_non_negative,
  drop constraint booking_items_currency_iso4217,
  alter column position type app.item_position,
  alter column duration_min type app.visit_minutes,
  alter column price_minor type app.minor_amount,
  alter column currency type app.currency_code,
  -- Implied by (tenant, booking), which cascades from the tenant through the booking.
  drop constraint booking_items_tenant_id_fkey;

alter table public.booking_status_history
  drop constraint booking_status_history_from_status_check,
  drop constraint booking_status_history_to_status_check,
  drop constraint booking_status_history_actor_kind_check,
  drop constraint booking_status_history_actor_id_check,
  drop constraint booking_status_history_reason_check,
  alter column from_status type app.booking_status,
  alter column to_status type app.booking_status,
  alter column actor_kind type app.actor_kind,
  alter column actor_id type app.actor_ref,
  alter column reason type app.change_reason,
  drop constraint booking_status_history_tenant_id_fkey;

create trigger bookings_guard_status before insert or update of status on public.bookings
  for each row execute function app.bookings_guard_status();
create trigger bookings_record_status after insert or update of status on public.bookings
  for each row execute function app.bookings_record_status();

create or replace function app.insert_booking(
  p_tenant_id uuid, p_location_id uuid, p_master_id uuid, p_client_id uuid, p_service_ids uuid[],
  p_start_at timestamptz, p_idempotency_key text, p_comment text, p_rescheduled_from uuid, p_check_window boolean,
  p_catalog_version bigint
) returns public.bookings
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  ctx record;
  v_step integer;
  v_minutes integer;
  v_span tstzrange;
  v_visit_end timestamptz;
  v_first_day date;
  v_last_day date;
  v_existing public.bookings;
  v_created public.bookings;
  v_actor text[];
  v_expired boolean;
begin
  -- Tells the caller (in the same statement) whether an earlier booking was handed back.
  perform pg_catalog.set_config('slotbot.replayed', 'false', true);
  if p_service_ids is null or cardinality(p_service_ids) = 0 or cardinality(p_service_ids) > 10 then
    raise exception 'between 1 and 10 services are required' using errcode = '22023';
  end if;

  -- Tenant, location, master and the requested services with the master's skills, in one look:
  -- this runs on every booking, and each statement has a fixed cost.
  select t.status, t.maintenance, t.maintenance_until, t.maintenance_message,
         l.id as location_id, l.active as location_active, l.timezone, l.currency, l.policy, l.catalog_version,
         m.id as master_id, m.active as master_active, m.speed_factor,
         cat.listed, cat.available, cat.skilled, cat.total, cat.minutes, cat.missing
    into ctx
  from public.tenants t
  left join public.locations l on l.id = p_location_id and l.tenant_id = t.id
  left join public.masters m on m.id = p_master_id and m.tenant_id = t.id and m.location_id = p_location_id
  cross join lateral (
    select count(distinct x.id) as listed,
           count(s.id) filter (where s.active and s.tenant_id = p_tenant_id and s.location_id = p_location_id) as available,
           count(k.service_id) as skilled,
           sum(s.price_minor) as total,
           sum(coalesce(k.duration_override_min, s.duration_min)) as minutes,
           coalesce(jsonb_agg(x.id) filter (where s.id is null or not s.active or s.location_id <> p_location_id or s.tenant_id <> p_tenant_id), '[]'::jsonb) as missing
    from unnest(p_service_ids) as x (id)
    left join public.services s on s.id = x.id
    left join public.master_skills k on k.master_id = p_master_id and k.service_id = x.id
  ) as cat
  where t.id = p_tenant_id;
  if not found then raise exception 'unknown tenant' using errcode = '42501'; end if;
  if ctx.status = 'suspended' then raise exception 'tenant is suspended' using errcode = 'SB001'; end if;
  if ctx.maintenance then
    raise exception 'tenant is in maintenance' using errcode = 'SB002',
      detail = jsonb_build_object('until', ctx.maintenance_until, 'message', ctx.maintenance_message)::text;
  end if;
  if ctx.location_id is null or not ctx.location_active then raise exception 'location is not available' using errcode = 'SB003'; end if;
  if p_catalog_version is not null and p_catalog_version <> ctx.catalog_version then
    raise exception 'the catalog changed since it was read' using errcode = 'SB011', detail = ctx.catalog_version::text;
  end if;
  if ctx.master_id is null or not ctx.master_active then raise exception 'master is not available' using errcode = 'SB004'; end if;
  if ctx.listed <> cardinality(p_service_ids) then
    raise exception 'a service is listed twice' using errcode = '22023';
  end if;
  if ctx.available <> cardinality(p_service_ids) then
    raise exception 'a service is not available' using errcode = 'SB005', detail = ctx.missing::text;
  end if;
  if ctx.skilled <> cardinality(p_service_ids) then
    raise exception 'the master lacks a requested skill' using errcode = 'SB006';
  end if;

  if p_check_window then
    if p_start_at < now() + make_interval(mins => (ctx.policy ->> 'leadTimeMinutes')::integer) then
      raise exception 'start is sooner than the lead time allows' using errcode = 'SB008', detail = '{"rule":"lead_time"}';
    end if;
    if (p_start_at at time zone ctx.timezone)::date > (now() at time zone ctx.timezone)::date + (ctx.policy ->> 'horizonDays')::integer then
      raise exception 'start is beyond the booking horizon' using errcode = 'SB008', detail = '{"rule":"horizon"}';
    end if;
  end if;

  -- Length: overrides or service durations, summed, scaled by the speed factor, rounded up to the
  -- slot step (the same rule as tenants/availability/duration.ts; a test compares them).
  v_step := (ctx.policy ->> 'slotStepMinutes')::integer;
  v_minutes := (ceil(ctx.minutes * ctx.speed_factor / v_step) * v_step)::integer;
  v_visit_end := p_start_at + make_interval(mins => v_minutes);
  v_span := tstzrange(
    p_start_at - make_interval(mins => (ctx.policy ->> 'bufferBeforeMinutes')::integer),
    v_visit_end + make_interval(mins => (ctx.policy ->> 'bufferAfterMinutes')::integer),
    '[)');

  -- The same locks as app.lock_master_days, without a function call for the usual single day.
  v_first_day := (lower(v_span) at time zone ctx.timezone)::date;
  v_last_day := ((upper(v_span) - interval '1 microsecond') at time zone ctx.timezone)::date;
  if v_first_day = v_last_day then
    perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('slotbot.master:' || p_master_id::text), v_first_day - date '1970-01-01');
  else
    perform app.lock_master_days(p_master_id, v_span, ctx.timezone);
  end if;

  if p_idempotency_key is not null then
    select * into v_existing from public.bookings b where b.tenant_id = p_tenant_id and b.idempotency_key = p_idempotency_key;
    if found then
      if v_existing.master_id <> p_master_id or v_existing.start_at <> p_start_at or v_existing.client_id <> p_client_id then
        raise exception 'idempotency key was used for another booking' using errcode = 'SB009';
      end if;
      perform pg_catalog.set_config('slotbot.replayed', 'true', true);
      return v_existing;
    end if;
  end if;

  -- The held booking and its items in one statement when the time is free (the usual case: each
  -- statement has a fixed cost). When it is not, a hold past its expiry whose release job has not
  -- run (yet, or ever: a lost message) does not keep the time: it is expired here, under the same
  -- lock, recorded as the system's doing, and the insert is tried once more. An overlap that
  -- slipped past the look-up still fails on the exclusion constraint (23P01), which the booking
  -- service reads as "slot taken" too.
  for v_attempt in 1..2 loop
    with created as (
      insert into public.bookings (tenant_id, location_id, master_id, client_id, status, start_at, end_at, span,
                                   hold_expires_at, total_minor, currency, idempotency_key, client_comment, rescheduled_from_id)
      select p_tenant_id, p_location_id, p_master_id, p_client_id, 'held', p_start_at, v_visit_end, v_span,
             now() + make_interval(mins => (ctx.policy ->> 'holdMinutes')::integer),
             ctx.total, ctx.currency, p_idempotency_key, p_comment, p_rescheduled_from
      where not exists (
        select 1 from public.bookings b
        where b.master_id = p_master_id and b.status in ('held', 'pending_payment', 'confirmed') and b.span && v_span
      )
      returning *
    ), items as (
      insert into public.booking_items (tenant_id, booking_id, service_id, position, service_name, duration_min, price_minor, currency)
      select p_tenant_id, c.id, s.id, (o.ord - 1)::smallint, s.name,
             coalesce(k.duration_override_min, s.duration_min), s.price_minor, ctx.currency
      from created c
      cross join unnest(p_service_ids) with ordinality as o (service_id, ord)
      join public.services s on s.id = o.service_id
      join public.master_skills k on k.master_id = p_master_id and k.service_id = s.id
    )
    select * into v_created from created;
    if found then
      return v_created;
    end if;
    exit when v_attempt = 2;
    v_actor := array[current_setting('slotbot.actor_kind', true), current_setting('slotbot.actor_id', true), current_setting('slotbot.reason', true)];
    perform app.set_actor('system', null, 'hold expired');
    update public.bookings b set status = 'expired'
    where b.master_id = p_master_id and b.status in ('held', 'pending_payment') and b.hold_expires_at <= now() and b.span && v_span;
    v_expired := found;
    perform app.set_actor(v_actor[1], nullif(v_actor[2], ''), nullif(v_actor[3], ''));
    exit when not v_expired;
  end loop;
  raise exception 'slot taken' using errcode = 'SB007';
end
$$;

create or replace function public.book_slot(
  p_tenant_id uuid, p_location_id uuid, p_master_id uuid, p_client_id uuid, p_service_ids uuid[], p_start_at timestamptz,
  p_idempotency_key text default null, p_comment text default null, p_actor_kind text default 'client', p_actor_id text default null,
  p_catalog_version bigint default null
) returns public.bookings
language plpgsql volatile security definer set search_path = ''
as $$
declare
  claims jsonb := nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb;
begin
  -- app.assert_may_act_for and app.set_actor, inlined: every booking passes here.
  if (claims ->> 'role') is distinct from 'service_role' and (claims ->> 'tenant_id')::uuid is distinct from p_tenant_id then
    raise exception 'not allowed to act for tenant %', p_tenant_id using errcode = '42501';
  end if;
  perform pg_catalog.set_config('slotbot.actor_kind', coalesce(p_actor_kind, 'system'), true);
  perform pg_catalog.set_config('slotbot.actor_id', coalesce(p_actor_id, ''), true);
  perform pg_catalog.set_config('slotbot.reason', 'booked', true);
  return app.insert_booking(p_tenant_id, p_location_id, p_master_id, p_client_id, p_service_ids, p_start_at,
                            p_idempotency_key, p_comment, null, true, p_catalog_version);
end
$$;
