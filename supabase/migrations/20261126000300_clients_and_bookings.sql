-- Baseline 3 of 5, clients and bookings: clients, bookings with their items, status history and
-- payments; the booking state machine enforced by the database, the status history written by
-- triggers, the no-show counter, and the concurrency-safe booking functions (book one or a batch,
-- reschedule, expire holds, confirm a late payment).

-- Single-column rules of the booking tables live in domains, whose checks PostgreSQL keeps
-- compiled per session (a table's check constraints were rebuilt from their stored text on every
-- statement: ~18 of them per booking). Multi-column rules stay table constraints.
create domain app.booking_status as text
  constraint booking_status_known check (value in ('held', 'pending_payment', 'confirmed', 'completed', 'no_show', 'cancelled', 'expired'));
-- The statuses that keep a master's time (held, pending_payment, confirmed): the one definition
-- used by the exclusion constraint, the booking functions and every query (in TypeScript:
-- BLOCKING_STATES in tenants/booking/state-machine.ts; tests/integration/booking-transitions
-- compares the two). A plain SQL body without `set search_path` (it names no object), so the
-- planner inlines it: a query written with it still matches the exclusion index's predicate.
create function app.is_blocking(p_status app.booking_status) returns boolean
language sql immutable parallel safe
as $$ select p_status in ('held', 'pending_payment', 'confirmed') $$;
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

-- A client is someone who books: through the bot (source telegram, with their Telegram id), or
-- through staff by phone or in person (no Telegram: a name is required, a phone client has their
-- phone, and nothing is ever sent to them in the bot).
create table public.clients (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  source text not null default 'telegram' check (source in ('telegram', 'phone', 'walk_in')),
  telegram_user_id bigint check (telegram_user_id > 0),
  first_name text check (length(first_name) <= 200),
  last_name text check (length(last_name) <= 200),
  username text check (length(username) <= 64),
  phone text check (phone ~ '^\+?[0-9 ()-]{5,32}$'),
  language text not null default 'en' check (language ~ '^[a-z]{2,3}$'),
  no_show_count integer not null default 0 constraint clients_no_show_count_non_negative check (no_show_count >= 0),
  notes text check (length(notes) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- What the bookings board's client search matches (`ilike '%…%'`): name, username and phone.
  search_text text generated always as (
    coalesce(first_name || ' ', '') || coalesce(last_name || ' ', '') || coalesce(username || ' ', '') || coalesce(phone, '')
  ) stored,
  unique (tenant_id, id),
  -- Telegram clients are one row each; clients without Telegram (nulls) are not held to it.
  unique (tenant_id, telegram_user_id),
  constraint clients_telegram_by_source check ((source = 'telegram') = (telegram_user_id is not null)),
  constraint clients_named_without_telegram
    check (source = 'telegram' or length(btrim(coalesce(first_name, ''))) > 0),
  constraint clients_phone_of_phone_clients check (source <> 'phone' or phone is not null)
);
create trigger clients_touch before update on public.clients for each row execute function app.touch_updated_at();
-- Catalog reads of the bot go through the tenant scope; lookups by Telegram user need this.
create index clients_telegram_idx on public.clients (tenant_id, telegram_user_id);
-- Staff find a phone client by the digits of their number (the board's "new booking").
create index clients_phone_digits_idx on public.clients (tenant_id, (regexp_replace(phone, '[^0-9]', '', 'g')))
  where phone is not null;
-- The board's client search: a trigram index finds the few clients matching any part of the text.
create index clients_search_idx on public.clients using gin (search_text extensions.gin_trgm_ops);
select app.apply_tenant_rls('public.clients');

-- The bookings board's client search: the ids of the caller's tenant's clients whose search text
-- matches an `ilike` pattern. Under row-level security the trigram index is out of reach (`ilike`
-- is not leakproof, so it may only run after the policy's filter, on every row of a seq scan);
-- this function reads as its owner, limited to the tenant of the caller's claims, so the index
-- answers in a few milliseconds when the text is selective.
create function app.clients_matching(p_pattern text) returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select c.id from public.clients c
  where c.tenant_id = app.current_tenant_id() and c.search_text ilike p_pattern
$$;
revoke all on function app.clients_matching(text) from public, anon;
grant execute on function app.clients_matching(text) to authenticated;

-- A booking occupies `span` = [start_at - buffer before, end_at + buffer after): the visit plus the
-- location's buffers at booking time. Blocking statuses may never overlap for one master.
-- Foreign keys that another key already implies are left out (each costs a look-up per inserted
-- row): the master's key (tenant, location, master) implies the location's.
create table public.bookings (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  location_id uuid not null,
  master_id uuid not null,
  client_id uuid not null,
  status app.booking_status not null default 'held',
  start_at timestamptz not null,
  end_at timestamptz not null,
  span tstzrange not null,
  hold_expires_at timestamptz,
  total_minor app.minor_amount not null,
  currency app.currency_code not null,
  idempotency_key app.idempotency_key,
  client_comment app.client_comment,
  rescheduled_from_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Who created the booking, per row: a batch inserts holds for several clients in one statement,
  -- so the session's actor settings cannot say it for each of them. An insert that does not name
  -- them (app.insert_booking, a direct insert) records the transaction's actor.
  booked_by_kind app.actor_kind default coalesce(nullif(pg_catalog.current_setting('slotbot.actor_kind', true), ''), 'system'),
  booked_by_id app.actor_ref default nullif(pg_catalog.current_setting('slotbot.actor_id', true), ''),
  -- The booking's payments summed, kept by app.track_booking_payments (below, the rule's one home):
  -- paid = what succeeded less what was refunded of it, refunded = what went back. Analytics and the
  -- board read them without a look-up of payments per booking.
  paid_minor app.minor_amount not null default 0,
  refunded_minor app.minor_amount not null default 0,
  constraint bookings_end_after_start check (end_at > start_at),
  constraint bookings_span_covers_visit check (span @> tstzrange(start_at, end_at, '[)')),
  constraint bookings_hold_has_expiry check (status not in ('held', 'pending_payment') or hold_expires_at is not null),
  unique (tenant_id, id),
  constraint bookings_idempotency_key unique (tenant_id, idempotency_key),
  foreign key (tenant_id, location_id, master_id) references public.masters (tenant_id, location_id, id),
  foreign key (tenant_id, client_id) references public.clients (tenant_id, id),
  foreign key (tenant_id, rescheduled_from_id) references public.bookings (tenant_id, id),
  constraint bookings_no_overlap exclude using gist (master_id with =, span with &&)
    where (app.is_blocking(status))
);
create index bookings_master_start_status_idx on public.bookings (master_id, start_at, status);
create index bookings_tenant_start_idx on public.bookings (tenant_id, start_at);
-- The board: one location's bookings by start, a keyset page at a time.
create index bookings_location_start_idx on public.bookings (location_id, start_at, id);
-- An open board asks whether anything changed at its location: the latest change, and how many lately.
create index bookings_location_updated_idx on public.bookings (location_id, updated_at);
create index bookings_client_start_idx on public.bookings (client_id, start_at);
create index bookings_hold_expiry_idx on public.bookings (hold_expires_at) where status in ('held', 'pending_payment');
-- Bookings made in the last days, per business (the platform console).
create index bookings_tenant_created_idx on public.bookings (tenant_id, created_at);
create trigger bookings_touch before update on public.bookings for each row execute function app.touch_updated_at();
select app.apply_tenant_rls('public.bookings');

-- What was booked, as it was at booking time (the catalog may change later). The tenant is
-- implied by (tenant, booking), which cascades from the tenant through the booking.
create table public.booking_items (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  booking_id uuid not null,
  service_id uuid not null,
  position app.item_position not null,
  service_name text not null,
  duration_min app.visit_minutes not null,
  price_minor app.minor_amount not null,
  currency app.currency_code not null,
  unique (booking_id, position),
  foreign key (tenant_id, booking_id) references public.bookings (tenant_id, id) on delete cascade,
  foreign key (tenant_id, service_id) references public.services (tenant_id, id)
);
create index booking_items_tenant_idx on public.booking_items (tenant_id);
create index booking_items_service_idx on public.booking_items (service_id);
select app.apply_tenant_rls('public.booking_items');

create table public.booking_status_history (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  booking_id uuid not null,
  from_status app.booking_status,
  to_status app.booking_status not null,
  actor_kind app.actor_kind not null,
  actor_id app.actor_ref,
  reason app.change_reason,
  occurred_at timestamptz not null default now(),
  constraint booking_status_history_changes_status check (from_status is distinct from to_status),
  foreign key (tenant_id, booking_id) references public.bookings (tenant_id, id) on delete cascade
);
create index booking_status_history_tenant_idx on public.booking_status_history (tenant_id);
create index booking_status_history_booking_idx on public.booking_status_history (booking_id, occurred_at);
select app.apply_tenant_rls('public.booking_status_history');

-- A reported charge that differs from its invoice (amount or currency) is never accepted: the
-- payment becomes 'mismatched' and keeps what was charged, which is owed back to the client
-- (refunded through Telegram for Stars, by the owners otherwise). What can go back is what was
-- charged: the invoice's amount, or the mismatched charge.
create table public.payments (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  booking_id uuid not null,
  provider text not null check (provider in ('telegram', 'telegram_stars', 'venue')),
  purpose text not null check (purpose in ('deposit', 'prepayment', 'late_cancel_fee')),
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed', 'refunded', 'mismatched')),
  amount_minor bigint not null constraint payments_amount_non_negative check (amount_minor >= 0),
  refunded_minor bigint not null default 0,
  currency text not null constraint payments_currency_iso4217 check (currency ~ '^[A-Z]{3}$'),
  invoice_payload text not null unique check (length(invoice_payload) between 1 and 128),
  telegram_payment_charge_id text,
  provider_payment_charge_id text,
  failure_reason text check (length(failure_reason) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  charged_minor bigint constraint payments_charged_non_negative check (charged_minor >= 0),
  charged_currency text constraint payments_charged_currency_length check (length(charged_currency) between 1 and 32),
  constraint payments_refund_within_amount check (refunded_minor between 0 and coalesce(charged_minor, amount_minor)),
  constraint payments_mismatch_recorded check (status <> 'mismatched' or (charged_minor is not null and charged_currency is not null)),
  unique (tenant_id, id),
  foreign key (tenant_id, booking_id) references public.bookings (tenant_id, id) on delete cascade
);
comment on column public.payments.charged_minor is 'what the provider reported charging, set when it differed from the invoice (status mismatched); refunds count against it';
create unique index payments_telegram_charge_key on public.payments (telegram_payment_charge_id)
  where telegram_payment_charge_id is not null;
-- Charge ids identify one payment: a second successful_payment for the same charge is a duplicate.
create unique index payments_provider_charge_key on public.payments (provider, provider_payment_charge_id)
  where provider_payment_charge_id is not null;
create index payments_booking_idx on public.payments (booking_id);
create trigger payments_touch before update on public.payments for each row execute function app.touch_updated_at();

-- A booking's paid and refunded sums follow its payments: only payments that succeeded (or were
-- refunded since) count; a pending, failed or mismatched one (owed back) is not money kept. Applied
-- as differences, so two payments of one booking changing at once add up under the booking's row
-- lock; a payment moved to another booking (a reschedule) moves its sums along.
create function app.track_booking_payments() returns trigger language plpgsql as $$
declare
  v_old_paid bigint := 0;
  v_old_refunded bigint := 0;
  v_new_paid bigint := 0;
  v_new_refunded bigint := 0;
begin
  if tg_op <> 'INSERT' and old.status in ('succeeded', 'refunded') then
    v_old_paid := old.amount_minor - old.refunded_minor;
    v_old_refunded := old.refunded_minor;
  end if;
  if tg_op <> 'DELETE' and new.status in ('succeeded', 'refunded') then
    v_new_paid := new.amount_minor - new.refunded_minor;
    v_new_refunded := new.refunded_minor;
  end if;
  if tg_op = 'UPDATE' and old.booking_id = new.booking_id then
    if v_new_paid <> v_old_paid or v_new_refunded <> v_old_refunded then
      update public.bookings set paid_minor = paid_minor + v_new_paid - v_old_paid,
                                 refunded_minor = refunded_minor + v_new_refunded - v_old_refunded
      where id = new.booking_id;
    end if;
    return null;
  end if;
  if v_old_paid <> 0 or v_old_refunded <> 0 then
    update public.bookings set paid_minor = paid_minor - v_old_paid, refunded_minor = refunded_minor - v_old_refunded
    where id = old.booking_id;
  end if;
  if v_new_paid <> 0 or v_new_refunded <> 0 then
    update public.bookings set paid_minor = paid_minor + v_new_paid, refunded_minor = refunded_minor + v_new_refunded
    where id = new.booking_id;
  end if;
  return null;
end $$;
create trigger payments_track_booking after insert or delete or update of status, amount_minor, refunded_minor, booking_id
  on public.payments for each row execute function app.track_booking_payments();
select app.apply_tenant_rls('public.payments');

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

-- Refuses any status change that is not an edge of the state machine (a booking is born held:
-- app.bookings_record_created). Completed and no-show are only possible once the visit has started.
create function app.bookings_guard_status() returns trigger
language plpgsql security invoker set search_path = ''
as $$
begin
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
-- A booking's first status is checked, and its history row written, once per inserting
-- statement (app.bookings_record_created): a batch inserts many at once.
create trigger bookings_guard_status before update of status on public.bookings
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
create trigger bookings_record_status after update of status on public.bookings
  for each row execute function app.bookings_record_status();

-- The status history of new bookings, written once per statement from its transition table (and
-- the "starts as held" rule checked there).
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

-- Only an open business takes bookings, whichever path writes them (the booking functions
-- refuse a suspended one themselves; this covers every status that is not `active`).
create function app.refuse_booking_when_closed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if (select t.status from public.tenants t where t.id = new.tenant_id) is distinct from 'active' then
    raise exception 'tenant is not open for bookings' using errcode = 'SB001';
  end if;
  return new;
end
$$;
create trigger bookings_tenant_open before insert on public.bookings
  for each row execute function app.refuse_booking_when_closed();

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

-- The instant a local wall-clock time of a day stands for in a zone: the first instant at which
-- the clock shows that time or later (the rule of wallToInstant in
-- tenants/availability/local-days.ts). So a time repeated by a fall-back means its first
-- occurrence, a time skipped by a spring-forward the moment the clock jumps past it, and 24:00 the
-- start of the next day. PostgreSQL's `at time zone` reads a repeated time as its second
-- occurrence and a skipped one as if the clock had not changed yet: both are corrected here. A
-- day has at most one change of offset (true of every zone in use).
create function app.wall_instant(p_day date, p_time time, p_zone text) returns timestamptz
language plpgsql stable security invoker set search_path = ''
as $$
declare
  v_wall timestamp := p_day + p_time;
  v_at timestamptz := v_wall at time zone p_zone;
  -- How far the zone's clock moved in the 24 hours before v_at: nothing, on almost every day.
  v_shift interval := ((v_at at time zone p_zone) - (v_at at time zone 'UTC'))
                    - (((v_at - interval '24 hours') at time zone p_zone) - ((v_at - interval '24 hours') at time zone 'UTC'));
  v_lo timestamptz;
  v_mid timestamptz;
begin
  if v_shift = interval '0' or (v_shift > interval '0' and (v_at at time zone p_zone) = v_wall) then
    return v_at;
  end if;
  if v_shift < interval '0' then
    -- Fell back: an earlier instant may show the same time, and then it is the one.
    return case when ((v_at + v_shift) at time zone p_zone) = v_wall then v_at + v_shift else v_at end;
  end if;
  -- Sprang forward over v_wall: the jump lies in (v_at - shift, v_at], found to the minute.
  v_lo := v_at - v_shift;
  while v_at - v_lo > interval '1 minute' loop
    v_mid := v_lo + greatest(interval '1 minute', date_trunc('minute', (v_at - v_lo) / 2));
    if (v_mid at time zone p_zone) >= v_wall then v_at := v_mid; else v_lo := v_mid; end if;
  end loop;
  return v_at;
end
$$;

-- What the booking check finds: its refusal (code null: none), the rule a staff override set aside
-- (its message), and what the writers need: zone, currency, hold length, the visit's end, the span
-- with the buffers, and the price.
create type app.booking_check as (
  code text,
  message text,
  detail text,
  overridden text,
  timezone text,
  currency text,
  hold_minutes integer,
  end_at timestamptz,
  span tstzrange,
  total bigint
);

create function app.booking_refusal(p_code text, p_message text, p_detail text default null) returns app.booking_check
language sql immutable security invoker set search_path = ''
as $$ select row(p_code, p_message, p_detail, null, null, null, null, null, null, null)::app.booking_check $$;

-- The booking check: every rule a booking must meet before it is written, in one place, used by
-- every write: app.insert_booking (book_slot, book_slots one by one, reschedule_booking),
-- book_slots' batch of plain requests, and confirm_late_payment. Returns the first refusal, each
-- with its own SQLSTATE (decoded once, in db/booking-errors.ts):
--   22023 service list, 42501 tenant, SB001 closed, SB002 maintenance, SB003 location,
--   SB011 catalog changed, SB004 master, SB005 service, SB006 skill, SB008 lead time or horizon
--   (detail {"rule": ...}), SB015 same-day cutoff, SB016 off the slot grid, SB014 time off,
--   SB012 outside working hours, SB013 a break.
-- The schedule is the master's weekly windows of the start's local weekday in the location's zone
-- (touching windows join), less breaks and time off (whole local days, or exact instants); the
-- visit [start, end) lies inside it, while buffers may fall outside (they keep bookings apart).
-- This is the rule of the availability engine (tenants/availability/engine.ts), DST days
-- included: bookings aside (the writers check those under their lock), the engine offers exactly
-- the starts this accepts, and a property test keeps the two equal.
--
-- p_new: a booking being made, to which lead time, horizon, same-day cutoff and the slot grid
-- apply; false for an expired booking confirmed after all (confirm_late_payment). p_override: a
-- staff member's override (app.may_override) sets aside the cutoff, the grid and the schedule,
-- never lead time or horizon; the rule it set aside comes back in `overridden`.
create function app.check_booking(
  p_tenant_id uuid, p_location_id uuid, p_master_id uuid, p_service_ids uuid[], p_start_at timestamptz,
  p_catalog_version bigint, p_now timestamptz, p_new boolean, p_override boolean
) returns app.booking_check
language plpgsql stable security invoker set search_path = ''
as $$
declare
  ctx record;
  v_step integer;
  v_end timestamptz;
  v_visit tstzrange;
  v_local timestamp;
  v_day date;
  v_weekday smallint;
  v_now_local timestamp;
  v_plain boolean;
  v_code text;
  v_refusal app.booking_check;
begin
  if p_service_ids is null or cardinality(p_service_ids) = 0 or cardinality(p_service_ids) > 10 then
    return app.booking_refusal('22023', 'between 1 and 10 services are required');
  end if;
  if p_start_at is null then
    return app.booking_refusal('22023', 'a start is required');
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
  if not found then return app.booking_refusal('42501', 'unknown tenant'); end if;
  if ctx.status = 'suspended' then return app.booking_refusal('SB001', 'tenant is suspended'); end if;
  if ctx.status <> 'active' then return app.booking_refusal('SB001', 'tenant is not open for bookings'); end if;
  if ctx.maintenance then
    return app.booking_refusal('SB002', 'tenant is in maintenance',
      jsonb_build_object('until', ctx.maintenance_until, 'message', ctx.maintenance_message)::text);
  end if;
  if ctx.location_id is null or not ctx.location_active then return app.booking_refusal('SB003', 'location is not available'); end if;
  if p_catalog_version is not null and p_catalog_version <> ctx.catalog_version then
    return app.booking_refusal('SB011', 'the catalog changed since it was read', ctx.catalog_version::text);
  end if;
  if ctx.master_id is null or not ctx.master_active then return app.booking_refusal('SB004', 'master is not available'); end if;
  if ctx.listed <> cardinality(p_service_ids) then return app.booking_refusal('22023', 'a service is listed twice'); end if;
  if ctx.available <> cardinality(p_service_ids) then return app.booking_refusal('SB005', 'a service is not available', ctx.missing::text); end if;
  if ctx.skilled <> cardinality(p_service_ids) then return app.booking_refusal('SB006', 'the master lacks a requested skill'); end if;

  -- Length: overrides or service durations, summed, scaled by the speed factor, rounded up to the
  -- slot step (the same rule as tenants/availability/duration.ts; a test compares them).
  v_step := (ctx.policy ->> 'slotStepMinutes')::integer;
  v_end := p_start_at + make_interval(mins => (ceil(ctx.minutes * ctx.speed_factor / v_step) * v_step)::integer);
  v_visit := tstzrange(p_start_at, v_end, '[)');
  v_local := p_start_at at time zone ctx.timezone;
  v_day := v_local::date;
  v_weekday := extract(isodow from v_day)::smallint;

  if p_new then
    v_now_local := p_now at time zone ctx.timezone;
    if p_start_at < p_now + make_interval(mins => (ctx.policy ->> 'leadTimeMinutes')::integer) then
      return app.booking_refusal('SB008', 'start is sooner than the lead time allows', '{"rule":"lead_time"}');
    end if;
    if v_day > v_now_local::date + (ctx.policy ->> 'horizonDays')::integer then
      return app.booking_refusal('SB008', 'start is beyond the booking horizon', '{"rule":"horizon"}');
    end if;
    if v_day = v_now_local::date and v_now_local::time >= (ctx.policy ->> 'sameDayCutoff')::time then
      v_refusal := app.booking_refusal('SB015', format('same-day bookings close at %s', ctx.policy ->> 'sameDayCutoff'));
    elsif date_trunc('minute', p_start_at, 'UTC') <> p_start_at
       or (extract(hour from v_local) * 60 + extract(minute from v_local))::integer % v_step <> 0 then
      v_refusal := app.booking_refusal('SB016', format('start is not on the %s-minute grid of the day', v_step));
    end if;
  end if;

  if v_refusal.code is null then
    -- The schedule, in one statement. The local day's weekly windows and breaks become instants;
    -- on a day whose clock keeps one offset from the noon before to the noon after (almost every
    -- day) a wall time is simply `day + time at time zone`, else app.wall_instant resolves it.
    v_plain := ((v_day + 1 + time '12:00') at time zone ctx.timezone) - ((v_day - 1 + time '12:00') at time zone ctx.timezone) = interval '48 hours';
    select case
      when exists (select 1 from public.time_off o where o.master_id = p_master_id and o.all_day and v_day between o.first_day and o.last_day) then 'SB014'
      when not coalesce(range_agg(s.instants) filter (where s.working) @> v_visit, false) then 'SB012'
      when coalesce(bool_or(not s.working and s.instants && v_visit), false) then 'SB013'
      -- To the minute, as the engine counts: the start rounded down, the end up.
      when exists (
        select 1 from public.time_off o
        where o.master_id = p_master_id and not o.all_day
          and tstzrange(date_trunc('minute', o.starts_at, 'UTC'), date_trunc('minute', o.ends_at - interval '1 microsecond', 'UTC') + interval '1 minute', '[)') && v_visit) then 'SB014'
    end into v_code
    from (
      select x.working, tstzrange(
               case when v_plain then (v_day + x.start_local) at time zone ctx.timezone else app.wall_instant(v_day, x.start_local, ctx.timezone) end,
               case when v_plain then (v_day + x.end_local) at time zone ctx.timezone else app.wall_instant(v_day, x.end_local, ctx.timezone) end,
               '[)') as instants
      from (
        select true as working, w.start_local, w.end_local from public.working_hours w where w.master_id = p_master_id and w.weekday = v_weekday
        union all
        select false, b.start_local, b.end_local from public.breaks b where b.master_id = p_master_id and b.weekday = v_weekday
      ) as x
    ) as s;
    v_refusal := case v_code
      when 'SB012' then app.booking_refusal('SB012', 'the visit is outside the working hours')
      when 'SB013' then app.booking_refusal('SB013', 'the visit overlaps a break')
      when 'SB014' then app.booking_refusal('SB014', 'the master has time off then')
    end;
  end if;
  if v_refusal.code is not null and not p_override then
    return v_refusal;
  end if;

  return row(null, null, null, v_refusal.message, ctx.timezone, ctx.currency, (ctx.policy ->> 'holdMinutes')::integer, v_end,
             tstzrange(p_start_at - make_interval(mins => (ctx.policy ->> 'bufferBeforeMinutes')::integer),
                       v_end + make_interval(mins => (ctx.policy ->> 'bufferAfterMinutes')::integer), '[)'),
             ctx.total)::app.booking_check;
end
$$;

-- Whether the acting person may set the schedule aside (hours, breaks, time off, same-day cutoff,
-- slot grid) for this booking, with p_reason: a staff member (owner, manager, platform admin)
-- acting as such (the service role, or a tenant scope whose app_role claim says the same), never
-- a client or a master. No reason: no override. A reason from anyone else is refused (SB017),
-- not ignored.
create function app.may_override(p_reason text) returns boolean
language plpgsql stable security invoker set search_path = ''
as $$
declare
  claims jsonb := nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb;
  kind text := pg_catalog.current_setting('slotbot.actor_kind', true);
begin
  if p_reason is null then
    return false;
  end if;
  if coalesce(kind, '') not in ('owner', 'manager', 'platform_admin')
     or not coalesce(claims ->> 'role' = 'service_role' or claims ->> 'app_role' = kind, false) then
    raise exception 'only staff may book outside the schedule' using errcode = 'SB017';
  end if;
  if length(btrim(p_reason)) not between 1 and 400 then
    raise exception 'an override needs a reason of 1 to 400 characters' using errcode = '22023';
  end if;
  return true;
end
$$;

-- Inserts a held booking once app.check_booking accepts it; shared by book_slot, book_slots (for
-- requests that are not plain) and reschedule_booking. Raises the check's refusal with its
-- SQLSTATE (detail carries JSON for the caller), SB009 for an idempotency key used for another
-- booking, SB007 for a time already taken. Holds past their expiry stop keeping the time even when
-- their hold_expire job never ran: they are expired here under the lock. A staff override is
-- written into the booking's history with what it set aside and why.
create function app.insert_booking(
  p_tenant_id uuid, p_location_id uuid, p_master_id uuid, p_client_id uuid, p_service_ids uuid[],
  p_start_at timestamptz, p_idempotency_key text, p_comment text, p_rescheduled_from uuid, p_override_reason text,
  p_catalog_version bigint
) returns public.bookings
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_check app.booking_check;
  v_first_day date;
  v_last_day date;
  v_existing public.bookings;
  v_created public.bookings;
  v_reason text;
  v_actor text[];
  v_expired boolean;
begin
  -- Tells the caller (in the same statement) whether an earlier booking was handed back.
  perform pg_catalog.set_config('slotbot.replayed', 'false', true);
  v_check := app.check_booking(p_tenant_id, p_location_id, p_master_id, p_service_ids, p_start_at, p_catalog_version,
                               now(), true, app.may_override(p_override_reason));
  if v_check.code is not null then
    if v_check.detail is null then
      raise exception using errcode = v_check.code, message = v_check.message;
    end if;
    raise exception using errcode = v_check.code, message = v_check.message, detail = v_check.detail;
  end if;

  -- The same locks as app.lock_master_days, without a function call for the usual single day.
  v_first_day := (lower(v_check.span) at time zone v_check.timezone)::date;
  v_last_day := ((upper(v_check.span) - interval '1 microsecond') at time zone v_check.timezone)::date;
  if v_first_day = v_last_day then
    perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('slotbot.master:' || p_master_id::text), v_first_day - date '1970-01-01');
  else
    perform app.lock_master_days(p_master_id, v_check.span, v_check.timezone);
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

  v_reason := coalesce(pg_catalog.current_setting('slotbot.reason', true), '');
  if v_check.overridden is not null then
    perform pg_catalog.set_config('slotbot.reason',
      left(format('%s (override: %s): %s', coalesce(nullif(v_reason, ''), 'booked'), v_check.overridden, btrim(p_override_reason)), 500), true);
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
      select p_tenant_id, p_location_id, p_master_id, p_client_id, 'held', p_start_at, v_check.end_at, v_check.span,
             now() + make_interval(mins => v_check.hold_minutes),
             v_check.total, v_check.currency, p_idempotency_key, p_comment, p_rescheduled_from
      where not exists (
        select 1 from public.bookings b
        where b.master_id = p_master_id and app.is_blocking(b.status) and b.span && v_check.span
      )
      returning *
    ), items as (
      insert into public.booking_items (tenant_id, booking_id, service_id, position, service_name, duration_min, price_minor, currency)
      select p_tenant_id, c.id, s.id, (o.ord - 1)::smallint, s.name,
             coalesce(k.duration_override_min, s.duration_min), s.price_minor, v_check.currency
      from created c
      cross join unnest(p_service_ids) with ordinality as o (service_id, ord)
      join public.services s on s.id = o.service_id
      join public.master_skills k on k.master_id = p_master_id and k.service_id = s.id
    )
    select * into v_created from created;
    if found then
      perform pg_catalog.set_config('slotbot.reason', v_reason, true);
      return v_created;
    end if;
    exit when v_attempt = 2;
    v_actor := array[current_setting('slotbot.actor_kind', true), current_setting('slotbot.actor_id', true), current_setting('slotbot.reason', true)];
    perform app.set_actor('system', null, 'hold expired');
    update public.bookings b set status = 'expired'
    where b.master_id = p_master_id and b.status in ('held', 'pending_payment') and b.hold_expires_at <= now() and b.span && v_check.span;
    v_expired := found;
    perform app.set_actor(v_actor[1], nullif(v_actor[2], ''), nullif(v_actor[3], ''));
    exit when not v_expired;
  end loop;
  raise exception 'slot taken' using errcode = 'SB007';
end
$$;

-- The booking RPC: callable as rpc('book_slot', {...}) through PostgREST, or from our services.
-- Safe to expose: app.check_booking holds every request to the policy and the master's schedule;
-- p_override_reason is a staff member's way around the schedule (app.may_override).
create function public.book_slot(
  p_tenant_id uuid, p_location_id uuid, p_master_id uuid, p_client_id uuid, p_service_ids uuid[], p_start_at timestamptz,
  p_idempotency_key text default null, p_comment text default null, p_actor_kind text default 'client', p_actor_id text default null,
  p_catalog_version bigint default null, p_override_reason text default null
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
                            p_idempotency_key, p_comment, null, p_override_reason, p_catalog_version);
end
$$;
revoke all on function public.book_slot(uuid, uuid, uuid, uuid, uuid[], timestamptz, text, text, text, text, bigint, text) from public, anon;
grant execute on function public.book_slot(uuid, uuid, uuid, uuid, uuid[], timestamptz, text, text, text, text, bigint, text) to authenticated, service_role;

-- Group commit for bookings: several holds for one tenant in one transaction. Under load the
-- fixed cost of a transaction (round trips, the scope statement, the commit's WAL flush) is
-- shared by the requests that queued while the previous batch ran. Each request still succeeds
-- or fails on its own: its refusal comes back as a row. The usual batch (every request valid,
-- free, no repeated key) costs one look-up, one locking statement and one insert for all its
-- requests; any request that is not that plain goes through app.insert_booking on its own, in
-- its own subtransaction, so every refusal, idempotent replay and overdue-hold release is the same.

-- One request of a batch, checked and sized: what app.insert_booking works out before it locks.
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
  -- app.check_booking accepted it, without an override: the request may lock and be inserted here.
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

create function public.book_slots(p_tenant_id uuid, p_requests jsonb)
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
    -- Every request checked and sized at once by app.check_booking, the check of every booking
    -- write. One that it refuses, or that asks for a staff override, is not refused here:
    -- app.insert_booking takes it below and raises the refusal with its code and detail (or
    -- records the override).
    -- Materialized: each request's fields are read out of the JSON once, however often the
    -- statement refers to them.
    with rq as materialized (
      select e.ord::integer as ord,
             (e.req ->> 'location_id')::uuid as location_id, (e.req ->> 'master_id')::uuid as master_id,
             (e.req ->> 'client_id')::uuid as client_id,
             array(select jsonb_array_elements_text(e.req -> 'service_ids')::uuid) as service_ids,
             (e.req ->> 'start_at')::timestamptz as start_at, e.req ->> 'idempotency_key' as idempotency_key,
             e.req ->> 'comment' as client_comment, coalesce(e.req ->> 'actor_kind', 'system') as actor_kind,
             nullif(e.req ->> 'actor_id', '') as actor_id, (e.req ->> 'catalog_version')::bigint as catalog_version,
             e.req ->> 'override_reason' as override_reason
      from jsonb_array_elements(p_requests) with ordinality as e (req, ord)
    )
    select array_agg(x.plan order by (x.plan).ord) into v_plans
    from (
      select row(
        rq.ord, pg_catalog.gen_random_uuid(), rq.location_id, rq.master_id, rq.client_id, rq.service_ids, rq.start_at,
        rq.idempotency_key, rq.client_comment, rq.actor_kind, rq.actor_id, rq.catalog_version,
        chk.code is null and rq.override_reason is null,
        pg_catalog.hashtext('slotbot.master:' || rq.master_id::text),
        (lower(chk.span) at time zone chk.timezone)::date,
        ((upper(chk.span) - interval '1 microsecond') at time zone chk.timezone)::date,
        chk.end_at, chk.span,
        now() + make_interval(mins => chk.hold_minutes),
        chk.total, chk.currency
      )::app.slot_plan as plan
      from rq
      cross join lateral app.check_booking(p_tenant_id, rq.location_id, rq.master_id, rq.service_ids, rq.start_at,
                                           rq.catalog_version, now(), true, false) as chk
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
          where b.master_id = q.master_id and app.is_blocking(b.status) and b.span && q.span
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
        r.req ->> 'idempotency_key', r.req ->> 'comment', null, r.req ->> 'override_reason', (r.req ->> 'catalog_version')::bigint);
      replayed := pg_catalog.current_setting('slotbot.replayed', true) = 'true';
    exception when others then
      get stacked diagnostics error_code = returned_sqlstate, error_message = message_text, error_detail = pg_exception_detail;
    end;
    return next;
  end loop;
end
$$;
revoke all on function public.book_slots(uuid, jsonb) from public, anon;
grant execute on function public.book_slots(uuid, jsonb) to authenticated, service_role;

-- Atomic reschedule: the old booking is released and the new slot taken in one transaction; if the
-- new slot is refused, the transaction fails and the old booking stays exactly as it was. The new
-- booking inherits the old one's payments and, if the old one was confirmed, is confirmed too.
-- The new time passes app.check_booking like any booking (p_override_reason: a staff override).
create function public.reschedule_booking(
  p_tenant_id uuid,
  p_booking_id uuid,
  p_master_id uuid,
  p_start_at timestamptz,
  p_actor_kind text default 'client',
  p_actor_id text default null,
  p_override_reason text default null
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
  if not app.is_blocking(v_old.status) then
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
                                v_service_ids, p_start_at, null, v_old.client_comment, v_old.id, p_override_reason, null);
  update public.payments set booking_id = v_created.id where booking_id = v_old.id;
  if v_old.status = 'confirmed' then
    update public.bookings set status = 'confirmed', hold_expires_at = null where id = v_created.id returning * into v_created;
  elsif v_old.status = 'pending_payment' then
    update public.bookings set status = 'pending_payment' where id = v_created.id returning * into v_created;
  end if;
  return v_created;
end
$$;
revoke all on function public.reschedule_booking(uuid, uuid, uuid, timestamptz, text, text, text) from public, anon;
grant execute on function public.reschedule_booking(uuid, uuid, uuid, timestamptz, text, text, text) to authenticated, service_role;

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

-- A payment that arrived after the hold expired: confirm the booking if its time can still be had
-- (under the same advisory locks as book_slot), else leave it expired. Returns 'confirmed';
-- 'taken' when another booking has the time; the SQLSTATE of app.check_booking's refusal when the
-- time cannot be booked any more (a master's time off since, a service withdrawn: the rules of
-- the schedule and the catalog, not those of the moment of booking, which it met); or the
-- booking's status when it was not expired.
create function public.confirm_late_payment(p_tenant_id uuid, p_booking_id uuid) returns text
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_booking public.bookings;
  v_zone text;
  v_service_ids uuid[];
  v_check app.booking_check;
begin
  perform app.assert_may_act_for(p_tenant_id);
  select * into v_booking from public.bookings where id = p_booking_id and tenant_id = p_tenant_id;
  if not found then raise exception 'booking not found' using errcode = 'SB010'; end if;
  select l.timezone into v_zone from public.locations l where l.id = v_booking.location_id;
  perform app.lock_master_days(v_booking.master_id, v_booking.span, v_zone);
  select * into v_booking from public.bookings where id = p_booking_id for update;
  if v_booking.status <> 'expired' then return v_booking.status; end if;
  select array_agg(i.service_id order by i.position) into v_service_ids from public.booking_items i where i.booking_id = v_booking.id;
  v_check := app.check_booking(p_tenant_id, v_booking.location_id, v_booking.master_id, v_service_ids, v_booking.start_at,
                               null, now(), false, false);
  if v_check.code is not null then return v_check.code; end if;
  if exists (
    select 1 from public.bookings o
    where o.master_id = v_booking.master_id and o.id <> v_booking.id
      and app.is_blocking(o.status) and o.span && v_booking.span
  ) then
    return 'taken';
  end if;
  perform app.set_actor('system', null, 'late payment confirmed');
  update public.bookings set status = 'confirmed', hold_expires_at = null where id = p_booking_id;
  return 'confirmed';
end
$$;
revoke all on function public.confirm_late_payment(uuid, uuid) from public, anon;
grant execute on function public.confirm_late_payment(uuid, uuid) to authenticated, service_role;
