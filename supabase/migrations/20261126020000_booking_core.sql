-- Booking core: the state machine enforced by the database, status history written by trigger,
-- the no-show counter, and the concurrency-safe booking functions (book, reschedule, expire holds).

-- The edges of the booking state machine (tenants/booking/state-machine.ts holds the same table;
-- a test keeps them equal).
create table app.booking_transitions (
  from_status text not null,
  to_status text not null,
  primary key (from_status, to_status)
);
insert into app.booking_transitions (from_status, to_status) values
  ('held', 'pending_payment'),
  ('held', 'confirmed'),
  ('held', 'expired'),
  ('held', 'cancelled'),
  ('pending_payment', 'confirmed'),
  ('pending_payment', 'expired'),
  ('pending_payment', 'cancelled'),
  ('confirmed', 'completed'),
  ('confirmed', 'no_show'),
  ('confirmed', 'cancelled'),
  ('expired', 'confirmed');
grant select on app.booking_transitions to authenticated, service_role;

-- A location's catalog version: bumped by any change to what availability depends on (its policy
-- and zone, services, masters, skills, hours, breaks, time off). Booking services cache the
-- catalog and pass the version they used to book_slot, which refuses a stale one (SB011).
alter table public.locations add column catalog_version bigint not null default 1;

create function app.bump_location_catalog() returns trigger
language plpgsql security invoker set search_path = ''
as $$
declare
  r record := case when tg_op = 'DELETE' then old else new end;
  target uuid;
begin
  if tg_table_name in ('services', 'masters', 'master_skills') then
    target := r.location_id;
  else
    select m.location_id into target from public.masters m where m.id = r.master_id;
  end if;
  update public.locations set catalog_version = catalog_version + 1 where id = target;
  -- Nested: a table without location_id must never compile the inner expression.
  if tg_op = 'UPDATE' and tg_table_name in ('services', 'masters') then
    if old.location_id is distinct from new.location_id then
      update public.locations set catalog_version = catalog_version + 1 where id = old.location_id;
    end if;
  end if;
  return null;
end
$$;

create function app.locations_bump_own_catalog() returns trigger
language plpgsql security invoker set search_path = ''
as $$
begin
  if (new.policy, new.timezone, new.currency, new.active) is distinct from (old.policy, old.timezone, old.currency, old.active) then
    new.catalog_version := old.catalog_version + 1;
  end if;
  return new;
end
$$;
create trigger locations_bump_catalog before update on public.locations
  for each row execute function app.locations_bump_own_catalog();

create trigger services_bump_catalog after insert or update or delete on public.services
  for each row execute function app.bump_location_catalog();
create trigger masters_bump_catalog after insert or update or delete on public.masters
  for each row execute function app.bump_location_catalog();
create trigger master_skills_bump_catalog after insert or update or delete on public.master_skills
  for each row execute function app.bump_location_catalog();
create trigger working_hours_bump_catalog after insert or update or delete on public.working_hours
  for each row execute function app.bump_location_catalog();
create trigger breaks_bump_catalog after insert or update or delete on public.breaks
  for each row execute function app.bump_location_catalog();
create trigger time_off_bump_catalog after insert or update or delete on public.time_off
  for each row execute function app.bump_location_catalog();

-- Who is acting, for the history: set per transaction by the services (`app.set_actor`).
create function app.set_actor(p_kind text, p_id text, p_reason text) returns void
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  perform set_config('slotbot.actor_kind', coalesce(p_kind, 'system'), true),
          set_config('slotbot.actor_id', coalesce(p_id, ''), true),
          set_config('slotbot.reason', coalesce(p_reason, ''), true);
end
$$;
grant execute on function app.set_actor(text, text, text) to authenticated, service_role;

-- Refuses any status change that is not an edge of the state machine; a booking is born held.
-- Completed and no-show are only possible once the visit has started.
create function app.bookings_guard_status() returns trigger
language plpgsql security invoker set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if new.status <> 'held' then
      raise exception 'a booking starts as held, not %', new.status using errcode = 'SB020';
    end if;
    return new;
  end if;
  if new.status is distinct from old.status then
    if not exists (select 1 from app.booking_transitions t where t.from_status = old.status and t.to_status = new.status) then
      raise exception 'booking % cannot go from % to %', old.id, old.status, new.status
        using errcode = 'SB021', hint = 'only the edges of the booking state machine are allowed';
    end if;
    if new.status in ('completed', 'no_show') and now() < old.start_at then
      raise exception 'booking % has not started yet: its outcome can be marked from %', old.id, old.start_at
        using errcode = 'SB022';
    end if;
  end if;
  return new;
end
$$;
create trigger bookings_guard_status before insert or update of status on public.bookings
  for each row execute function app.bookings_guard_status();

-- Every status change is recorded with who, when and why; a no-show counts against the client.
create function app.bookings_record_status() returns trigger
language plpgsql security invoker set search_path = ''
as $$
declare
  kind text := coalesce(nullif(current_setting('slotbot.actor_kind', true), ''), 'system');
begin
  if tg_op = 'UPDATE' and new.status is not distinct from old.status then
    return null;
  end if;
  -- clock_timestamp: several changes in one transaction keep their order.
  insert into public.booking_status_history (tenant_id, booking_id, from_status, to_status, actor_kind, actor_id, reason, occurred_at)
  values (
    new.tenant_id, new.id,
    case when tg_op = 'UPDATE' then old.status end,
    new.status, kind,
    nullif(current_setting('slotbot.actor_id', true), ''),
    nullif(current_setting('slotbot.reason', true), ''),
    clock_timestamp()
  );
  if new.status = 'no_show' then
    update public.clients set no_show_count = no_show_count + 1 where id = new.client_id and tenant_id = new.tenant_id;
  end if;
  return null;
end
$$;
create trigger bookings_record_status after insert or update of status on public.bookings
  for each row execute function app.bookings_record_status();

-- Serializes writers of one master's local day(s): every day the span touches, in order.
create function app.lock_master_days(p_master_id uuid, p_span tstzrange, p_timezone text) returns void
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  d date := (lower(p_span) at time zone p_timezone)::date;
  last_day date := ((upper(p_span) - interval '1 microsecond') at time zone p_timezone)::date;
begin
  while d <= last_day loop
    perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('slotbot.master:' || p_master_id::text), d - date '1970-01-01');
    d := d + 1;
  end loop;
end
$$;

-- The tenant a caller may act for: its JWT tenant, or any for the service role.
create function app.assert_may_act_for(p_tenant_id uuid) returns void
language plpgsql stable security invoker set search_path = ''
as $$
declare
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
begin
  if claims ->> 'role' = 'service_role' then
    return;
  end if;
  if claims ->> 'tenant_id' is null or (claims ->> 'tenant_id')::uuid <> p_tenant_id then
    raise exception 'not allowed to act for tenant %', p_tenant_id using errcode = '42501';
  end if;
end
$$;

-- Inserts a held booking after every check; shared by book_slot and reschedule_booking. Raises
-- SB0xx errors the booking service maps to typed results (detail carries JSON for the caller).
create function app.insert_booking(
  p_tenant_id uuid, p_location_id uuid, p_master_id uuid, p_client_id uuid, p_service_ids uuid[],
  p_start_at timestamptz, p_idempotency_key text, p_comment text, p_rescheduled_from uuid, p_check_window boolean,
  p_catalog_version bigint
) returns public.bookings
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  ctx record;
  loc record;
  cat record;
  v_minutes integer;
  v_span tstzrange;
  v_visit_end timestamptz;
  v_existing public.bookings;
  v_created public.bookings;
begin
  -- Tells the caller (in the same statement) whether an earlier booking was handed back.
  perform set_config('slotbot.replayed', 'false', true);
  if p_service_ids is null or cardinality(p_service_ids) = 0 or cardinality(p_service_ids) > 10 then
    raise exception 'between 1 and 10 services are required' using errcode = '22023';
  end if;

  -- Tenant, location and master in one look (this function runs on every booking: few statements).
  select t.status, t.maintenance, t.maintenance_until, t.maintenance_message,
         l.id as location_id, l.active as location_active, l.timezone, l.currency, l.policy, l.catalog_version,
         m.id as master_id, m.active as master_active, m.speed_factor
    into ctx
  from public.tenants t
  left join public.locations l on l.id = p_location_id and l.tenant_id = t.id
  left join public.masters m on m.id = p_master_id and m.tenant_id = t.id and m.location_id = p_location_id
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
  select ctx.timezone, ctx.currency, ctx.policy into loc;

  -- The requested services with the master's skills: availability, skills, price and length at once.
  select count(distinct x.id) as listed,
         count(s.id) filter (where s.active and s.tenant_id = p_tenant_id and s.location_id = p_location_id) as available,
         count(k.service_id) as skilled,
         sum(s.price_minor) as total,
         sum(coalesce(k.duration_override_min, s.duration_min)) as minutes,
         coalesce(jsonb_agg(x.id) filter (where s.id is null or not s.active or s.location_id <> p_location_id or s.tenant_id <> p_tenant_id), '[]'::jsonb) as missing
    into cat
  from unnest(p_service_ids) as x (id)
  left join public.services s on s.id = x.id
  left join public.master_skills k on k.master_id = p_master_id and k.service_id = x.id;
  if cat.listed <> cardinality(p_service_ids) then
    raise exception 'a service is listed twice' using errcode = '22023';
  end if;
  if cat.available <> cardinality(p_service_ids) then
    raise exception 'a service is not available' using errcode = 'SB005', detail = cat.missing::text;
  end if;
  if cat.skilled <> cardinality(p_service_ids) then
    raise exception 'the master lacks a requested skill' using errcode = 'SB006';
  end if;

  if p_check_window then
    if p_start_at < now() + make_interval(mins => (loc.policy ->> 'leadTimeMinutes')::integer) then
      raise exception 'start is sooner than the lead time allows' using errcode = 'SB008', detail = '{"rule":"lead_time"}';
    end if;
    if (p_start_at at time zone loc.timezone)::date > (now() at time zone loc.timezone)::date + (loc.policy ->> 'horizonDays')::integer then
      raise exception 'start is beyond the booking horizon' using errcode = 'SB008', detail = '{"rule":"horizon"}';
    end if;
  end if;

  -- Length: overrides or service durations, summed, scaled by the speed factor, rounded up to the
  -- slot step (the same rule as tenants/availability/duration.ts; a test compares them).
  v_minutes := (ceil(cat.minutes * ctx.speed_factor / (loc.policy ->> 'slotStepMinutes')::integer)
                * (loc.policy ->> 'slotStepMinutes')::integer)::integer;
  v_visit_end := p_start_at + make_interval(mins => v_minutes);
  v_span := tstzrange(
    p_start_at - make_interval(mins => (loc.policy ->> 'bufferBeforeMinutes')::integer),
    v_visit_end + make_interval(mins => (loc.policy ->> 'bufferAfterMinutes')::integer),
    '[)');

  perform app.lock_master_days(p_master_id, v_span, loc.timezone);

  if p_idempotency_key is not null then
    select * into v_existing from public.bookings b where b.tenant_id = p_tenant_id and b.idempotency_key = p_idempotency_key;
    if found then
      if v_existing.master_id <> p_master_id or v_existing.start_at <> p_start_at or v_existing.client_id <> p_client_id then
        raise exception 'idempotency key was used for another booking' using errcode = 'SB009';
      end if;
      perform set_config('slotbot.replayed', 'true', true);
      return v_existing;
    end if;
  end if;

  if exists (
    select 1 from public.bookings b
    where b.master_id = p_master_id and b.status in ('held', 'pending_payment', 'confirmed') and b.span && v_span
  ) then
    raise exception 'slot taken' using errcode = 'SB007';
  end if;

  insert into public.bookings (tenant_id, location_id, master_id, client_id, status, start_at, end_at, span,
                               hold_expires_at, total_minor, currency, idempotency_key, client_comment, rescheduled_from_id)
  values (p_tenant_id, p_location_id, p_master_id, p_client_id, 'held', p_start_at, v_visit_end, v_span,
          now() + make_interval(mins => (loc.policy ->> 'holdMinutes')::integer),
          cat.total, loc.currency, p_idempotency_key, p_comment, p_rescheduled_from)
  returning * into v_created;

  insert into public.booking_items (tenant_id, booking_id, service_id, position, service_name, duration_min, price_minor, currency)
  select p_tenant_id, v_created.id, s.id, (o.ord - 1)::smallint, s.name,
         coalesce(k.duration_override_min, s.duration_min), s.price_minor, loc.currency
  from unnest(p_service_ids) with ordinality as o (service_id, ord)
  join public.services s on s.id = o.service_id
  join public.master_skills k on k.master_id = p_master_id and k.service_id = s.id;

  return v_created;
exception
  when exclusion_violation then
    raise exception 'slot taken' using errcode = 'SB007';
end
$$;

-- The booking RPC: callable as rpc('book_slot', {...}) through PostgREST, or from our services.
create function public.book_slot(
  p_tenant_id uuid,
  p_location_id uuid,
  p_master_id uuid,
  p_client_id uuid,
  p_service_ids uuid[],
  p_start_at timestamptz,
  p_idempotency_key text default null,
  p_comment text default null,
  p_actor_kind text default 'client',
  p_actor_id text default null,
  p_catalog_version bigint default null
) returns public.bookings
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform app.assert_may_act_for(p_tenant_id);
  perform app.set_actor(p_actor_kind, p_actor_id, 'booked');
  return app.insert_booking(p_tenant_id, p_location_id, p_master_id, p_client_id, p_service_ids, p_start_at,
                            p_idempotency_key, p_comment, null, true, p_catalog_version);
end
$$;
revoke all on function public.book_slot(uuid, uuid, uuid, uuid, uuid[], timestamptz, text, text, text, text, bigint) from public, anon;
grant execute on function public.book_slot(uuid, uuid, uuid, uuid, uuid[], timestamptz, text, text, text, text, bigint) to authenticated, service_role;

-- Atomic reschedule: the old booking is released and the new slot taken in one transaction; if the
-- new slot is refused, the transaction fails and the old booking stays exactly as it was. The new
-- booking inherits the old one's payments and, if the old one was confirmed, is confirmed too.
create function public.reschedule_booking(
  p_tenant_id uuid,
  p_booking_id uuid,
  p_master_id uuid,
  p_start_at timestamptz,
  p_actor_kind text default 'client',
  p_actor_id text default null
) returns public.bookings
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_old public.bookings;
  v_loc public.locations;
  v_created public.bookings;
  v_service_ids uuid[];
begin
  perform app.assert_may_act_for(p_tenant_id);
  select * into v_old from public.bookings where id = p_booking_id and tenant_id = p_tenant_id for update;
  if not found then raise exception 'booking not found' using errcode = 'SB010'; end if;
  if v_old.status not in ('held', 'pending_payment', 'confirmed') then
    raise exception 'a % booking cannot be rescheduled', v_old.status using errcode = 'SB021';
  end if;
  select * into v_loc from public.locations where id = v_old.location_id;
  select array_agg(i.service_id order by i.position) into v_service_ids from public.booking_items i where i.booking_id = v_old.id;

  -- Lock the v_old booking's days too, in one global order with the new ones (no deadlocks: the
  -- new days are locked by insert_booking after these; same master and day means same key).
  perform app.lock_master_days(v_old.master_id, v_old.span, v_loc.timezone);

  perform app.set_actor(p_actor_kind, p_actor_id, 'rescheduled');
  update public.bookings set status = 'cancelled' where id = v_old.id;

  v_created := app.insert_booking(p_tenant_id, v_old.location_id, coalesce(p_master_id, v_old.master_id), v_old.client_id,
                                v_service_ids, p_start_at, null, v_old.client_comment, v_old.id, true, null);
  update public.payments set booking_id = v_created.id where booking_id = v_old.id;
  if v_old.status = 'confirmed' then
    update public.bookings set status = 'confirmed', hold_expires_at = null where id = v_created.id returning * into v_created;
  elsif v_old.status = 'pending_payment' then
    update public.bookings set status = 'pending_payment' where id = v_created.id returning * into v_created;
  end if;
  return v_created;
end
$$;
revoke all on function public.reschedule_booking(uuid, uuid, uuid, timestamptz, text, text) from public, anon;
grant execute on function public.reschedule_booking(uuid, uuid, uuid, timestamptz, text, text) to authenticated, service_role;

-- Releases every hold past its expiry; safe from several workers at once (skip locked) and
-- idempotent (an expired booking is not expired again).
create function public.expire_holds(p_now timestamptz default now()) returns setof uuid
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform app.set_actor('system', null, 'hold expired');
  return query
  with due as (
    select b.id from public.bookings b
    where b.status in ('held', 'pending_payment') and b.hold_expires_at <= p_now
    order by b.hold_expires_at
    for update skip locked
  )
  update public.bookings b set status = 'expired' from due where b.id = due.id
  returning b.id;
end
$$;
revoke all on function public.expire_holds(timestamptz) from public, anon, authenticated;
grant execute on function public.expire_holds(timestamptz) to service_role;
