-- Back to table check constraints, the implied foreign keys and the earlier book_slot.
drop trigger bookings_guard_status on public.bookings;
drop trigger bookings_record_status on public.bookings;

alter table public.bookings
  alter column status type text,
  alter column total_minor type bigint,
  alter column currency type text,
  alter column idempotency_key type text,
  alter column client_comment type text,
  add constraint bookings_status_known check (status in ('held', 'pending_payment', 'confirmed', 'completed', 'no_show', 'cancelled', 'expired')),
  add constraint bookings_total_non_negative check (total_minor >= 0),
  add constraint bookings_currency_iso4217 check (currency ~ '^[A-Z]{3}$'),
  add constraint bookings_idempotency_key_check check (length(idempotency_key) between 1 and 200),
  add constraint bookings_client_comment_check check (length(client_comment) <= 1000),
  add constraint bookings_tenant_id_location_id_fkey foreign key (tenant_id, location_id) references public.locations (tenant_id, id);

alter table public.booking_items
  alter column position type smallint,
  alter column duration_min type integer,
  alter column price_minor type bigint,
  alter column currency type text,
  add constraint booking_items_position_check check (position >= 0),
  add constraint booking_items_duration_positive check (duration_min > 0),
  add constraint booking_items_price_non_negative check (price_minor >= 0),
  add constraint booking_items_currency_iso4217 check (currency ~ '^[A-Z]{3}$'),
  add constraint booking_items_tenant_id_fkey foreign key (tenant_id) references public.tenants (id) on delete cascade;

alter table public.booking_status_history
  alter column from_status type text,
  alter column to_status type text,
  alter column actor_kind type text,
  alter column actor_id type text,
  alter column reason type text,
  add constraint booking_status_history_from_status_check check (from_status in ('held', 'pending_payment', 'confirmed', 'completed', 'no_show', 'cancelled', 'expired')),
  add constraint booking_status_history_to_status_check check (to_status in ('held', 'pending_payment', 'confirmed', 'completed', 'no_show', 'cancelled', 'expired')),
  add constraint booking_status_history_actor_kind_check check (actor_kind in ('client', 'master', 'owner', 'manager', 'platform_admin', 'system')),
  add constraint booking_status_history_actor_id_check check (length(actor_id) <= 100),
  add constraint booking_status_history_reason_check check (length(reason) <= 500),
  add constraint booking_status_history_tenant_id_fkey foreign key (tenant_id) references public.tenants (id) on delete cascade;

create trigger bookings_guard_status before insert or update of status on public.bookings
  for each row execute function app.bookings_guard_status();
create trigger bookings_record_status after insert or update of status on public.bookings
  for each row execute function app.bookings_record_status();

drop domain app.booking_status, app.actor_kind, app.currency_code, app.minor_amount, app.idempotency_key,
  app.client_comment, app.actor_ref, app.change_reason, app.item_position, app.visit_minutes;

create or replace function public.book_slot(
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
create or replace function app.insert_booking(
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
  v_actor text[];
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
    -- A hold past its expiry whose release job has not run (yet, or ever: a lost message) does not
    -- keep the time: it is expired here, under the same lock, recorded as the system's doing.
    v_actor := array[current_setting('slotbot.actor_kind', true), current_setting('slotbot.actor_id', true), current_setting('slotbot.reason', true)];
    perform app.set_actor('system', null, 'hold expired');
    update public.bookings b set status = 'expired'
    where b.master_id = p_master_id and b.status in ('held', 'pending_payment') and b.hold_expires_at <= now() and b.span && v_span;
    perform app.set_actor(v_actor[1], nullif(v_actor[2], ''), nullif(v_actor[3], ''));
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
