-- Clients, bookings with their items and status history, and payments.

create table public.clients (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  telegram_user_id bigint not null check (telegram_user_id > 0),
  first_name text check (length(first_name) <= 200),
  last_name text check (length(last_name) <= 200),
  username text check (length(username) <= 64),
  phone text check (phone ~ '^\+?[0-9 ()-]{5,32}$'),
  language text not null default 'en' check (language ~ '^[a-z]{2,3}$'),
  no_show_count integer not null default 0 constraint clients_no_show_count_non_negative check (no_show_count >= 0),
  notes text check (length(notes) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  unique (tenant_id, telegram_user_id)
);
create trigger clients_touch before update on public.clients for each row execute function app.touch_updated_at();
select app.apply_tenant_rls('public.clients');

-- A booking occupies `span` = [start_at - buffer before, end_at + buffer after): the visit plus the
-- location's buffers at booking time. Blocking statuses may never overlap for one master.
create table public.bookings (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  location_id uuid not null,
  master_id uuid not null,
  client_id uuid not null,
  status text not null default 'held' constraint bookings_status_known check (
    status in ('held', 'pending_payment', 'confirmed', 'completed', 'no_show', 'cancelled', 'expired')
  ),
  start_at timestamptz not null,
  end_at timestamptz not null,
  span tstzrange not null,
  hold_expires_at timestamptz,
  total_minor bigint not null constraint bookings_total_non_negative check (total_minor >= 0),
  currency text not null constraint bookings_currency_iso4217 check (currency ~ '^[A-Z]{3}$'),
  idempotency_key text check (length(idempotency_key) between 1 and 200),
  client_comment text check (length(client_comment) <= 1000),
  rescheduled_from_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint bookings_end_after_start check (end_at > start_at),
  constraint bookings_span_covers_visit check (span @> tstzrange(start_at, end_at, '[)')),
  constraint bookings_hold_has_expiry check (status not in ('held', 'pending_payment') or hold_expires_at is not null),
  unique (tenant_id, id),
  constraint bookings_idempotency_key unique (tenant_id, idempotency_key),
  foreign key (tenant_id, location_id, master_id) references public.masters (tenant_id, location_id, id),
  foreign key (tenant_id, location_id) references public.locations (tenant_id, id),
  foreign key (tenant_id, client_id) references public.clients (tenant_id, id),
  foreign key (tenant_id, rescheduled_from_id) references public.bookings (tenant_id, id),
  constraint bookings_no_overlap exclude using gist (master_id with =, span with &&)
    where (status in ('held', 'pending_payment', 'confirmed'))
);
create index bookings_master_start_status_idx on public.bookings (master_id, start_at, status);
create index bookings_tenant_start_idx on public.bookings (tenant_id, start_at);
create index bookings_client_start_idx on public.bookings (client_id, start_at);
create index bookings_hold_expiry_idx on public.bookings (hold_expires_at) where status in ('held', 'pending_payment');
create trigger bookings_touch before update on public.bookings for each row execute function app.touch_updated_at();
select app.apply_tenant_rls('public.bookings');

-- What was booked, as it was at booking time (the catalog may change later).
create table public.booking_items (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  booking_id uuid not null,
  service_id uuid not null,
  position smallint not null check (position >= 0),
  service_name text not null,
  duration_min integer not null constraint booking_items_duration_positive check (duration_min > 0),
  price_minor bigint not null constraint booking_items_price_non_negative check (price_minor >= 0),
  currency text not null constraint booking_items_currency_iso4217 check (currency ~ '^[A-Z]{3}$'),
  unique (booking_id, position),
  foreign key (tenant_id, booking_id) references public.bookings (tenant_id, id) on delete cascade,
  foreign key (tenant_id, service_id) references public.services (tenant_id, id)
);
create index booking_items_tenant_idx on public.booking_items (tenant_id);
create index booking_items_service_idx on public.booking_items (service_id);
select app.apply_tenant_rls('public.booking_items');

create table public.booking_status_history (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  booking_id uuid not null,
  from_status text check (
    from_status in ('held', 'pending_payment', 'confirmed', 'completed', 'no_show', 'cancelled', 'expired')
  ),
  to_status text not null check (
    to_status in ('held', 'pending_payment', 'confirmed', 'completed', 'no_show', 'cancelled', 'expired')
  ),
  actor_kind text not null check (actor_kind in ('client', 'master', 'owner', 'manager', 'platform_admin', 'system')),
  actor_id text check (length(actor_id) <= 100),
  reason text check (length(reason) <= 500),
  occurred_at timestamptz not null default now(),
  constraint booking_status_history_changes_status check (from_status is distinct from to_status),
  foreign key (tenant_id, booking_id) references public.bookings (tenant_id, id) on delete cascade
);
create index booking_status_history_tenant_idx on public.booking_status_history (tenant_id);
create index booking_status_history_booking_idx on public.booking_status_history (booking_id, occurred_at);
select app.apply_tenant_rls('public.booking_status_history');

create table public.payments (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  booking_id uuid not null,
  provider text not null check (provider in ('telegram', 'telegram_stars', 'venue')),
  purpose text not null check (purpose in ('deposit', 'prepayment', 'late_cancel_fee')),
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed', 'refunded')),
  amount_minor bigint not null constraint payments_amount_non_negative check (amount_minor >= 0),
  refunded_minor bigint not null default 0,
  currency text not null constraint payments_currency_iso4217 check (currency ~ '^[A-Z]{3}$'),
  invoice_payload text not null unique check (length(invoice_payload) between 1 and 128),
  telegram_payment_charge_id text,
  provider_payment_charge_id text,
  failure_reason text check (length(failure_reason) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint payments_refund_within_amount check (refunded_minor between 0 and amount_minor),
  unique (tenant_id, id),
  foreign key (tenant_id, booking_id) references public.bookings (tenant_id, id) on delete cascade
);
create unique index payments_telegram_charge_key on public.payments (telegram_payment_charge_id)
  where telegram_payment_charge_id is not null;
create index payments_booking_idx on public.payments (booking_id);
create trigger payments_touch before update on public.payments for each row execute function app.touch_updated_at();
select app.apply_tenant_rls('public.payments');
