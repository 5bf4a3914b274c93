-- Baseline 4 of 5, bots and jobs: the embedded scheduler's jobs, the once-only effects of job
-- handlers, processed Telegram updates with their leases, bot sessions and owner notifications.

-- notify_owners: the throttled flush of owner notifications (a burst becomes one summary).
-- client_notice: a client is told in the bot of a change the business made to their booking (a
-- visit cancelled by staff), in their language; a job so that a slow or failing Telegram does not
-- hold up the change, and the once-by-key effect keeps a repeated delivery to one message.
-- A job a platform admin gives up on is `discarded` (kept, with its last error, never run again).
create table public.jobs (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid references public.tenants (id) on delete cascade,
  kind text not null check (kind in ('reminder_send', 'hold_expire', 'payment_reconcile', 'digest_admin', 'notify_owners', 'client_notice')),
  -- Idempotency key: scheduling the same key twice is one job.
  key text not null unique check (length(key) between 1 and 200),
  payload jsonb not null default '{}'::jsonb check (jsonb_typeof(payload) = 'object'),
  run_at timestamptz not null,
  status text not null default 'pending' check (status in ('pending', 'running', 'succeeded', 'dead', 'discarded')),
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 8 check (max_attempts > 0),
  locked_until timestamptz,
  locked_by text,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  correlation_id text constraint jobs_correlation_id_format check (correlation_id ~ '^[A-Za-z0-9._:-]{1,100}$'),
  constraint jobs_running_is_locked check (status <> 'running' or locked_until is not null)
);
create index jobs_due_idx on public.jobs (run_at) where status in ('pending', 'running');
create index jobs_tenant_idx on public.jobs (tenant_id);
create index jobs_locked_idx on public.jobs (locked_until) where status = 'running';
-- Jobs in trouble (dead, or failed at least once and not done), newest first, all or per business
-- (the platform console).
create index jobs_trouble_idx on public.jobs (updated_at desc, id desc)
  where status = 'dead' or (status in ('pending', 'running') and attempts > 0);
create index jobs_tenant_trouble_idx on public.jobs (tenant_id, updated_at desc, id desc)
  where status = 'dead' or (status in ('pending', 'running') and attempts > 0);
create trigger jobs_touch before update on public.jobs for each row execute function app.touch_updated_at();
select app.apply_tenant_rls('public.jobs');

-- An effect a job (or an update handler) has caused, by key: a second delivery finds it and does
-- nothing. Written in the same transaction as the effect, under an advisory lock on the key.
create table public.job_effects (
  key text primary key check (length(key) between 1 and 200),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  detail jsonb not null default '{}'::jsonb check (jsonb_typeof(detail) = 'object'),
  created_at timestamptz not null default now()
);
create index job_effects_tenant_idx on public.job_effects (tenant_id);
select app.apply_tenant_rls('public.job_effects');

-- One row per Telegram update a bot has processed: Telegram re-sends, we act once. An update is
-- claimed before it is handled and marked done after, so a transient failure can give it back.
-- The claim is leased to the delivery handling it: a random claim token and a lease that the
-- handler renews while it works. A redelivery finds the lease either alive (the first handler is
-- still at it: answer non-2xx, Telegram tries again) or run out (that handler is gone: take the
-- update over under a new token). Only the token's holder can finish or give back the claim, so a
-- handler that lost its lease cannot mark another's work done. `claims` counts the takeovers: an
-- update that kills every handler is given up (`abandoned`) instead of forever.
create table public.telegram_updates (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  bot_id uuid not null,
  update_id bigint not null,
  received_at timestamptz not null default now(),
  state text not null default 'processing' check (state in ('processing', 'done', 'abandoned')),
  claim_token uuid,
  lease_until timestamptz,
  claims integer not null default 1 check (claims >= 1),
  primary key (bot_id, update_id),
  foreign key (tenant_id, bot_id) references public.tenant_bots (tenant_id, id) on delete cascade,
  constraint telegram_updates_processing_is_leased check (state <> 'processing' or (claim_token is not null and lease_until is not null))
);
create index telegram_updates_received_idx on public.telegram_updates (received_at);
-- The latest update a business's bots received (the platform console); it also serves the
-- tenant_id lookups of RLS.
create index telegram_updates_tenant_received_idx on public.telegram_updates (tenant_id, received_at);
select app.apply_tenant_rls('public.telegram_updates');

-- Keyed by bot and chat: one person talking to two tenants' bots has two sessions.
create table public.bot_sessions (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  bot_id uuid not null,
  chat_id bigint not null,
  data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
  version integer not null default 0 check (version >= 0),
  updated_at timestamptz not null default now(),
  primary key (bot_id, chat_id),
  foreign key (tenant_id, bot_id) references public.tenant_bots (tenant_id, id) on delete cascade
);
create index bot_sessions_tenant_idx on public.bot_sessions (tenant_id);
select app.apply_tenant_rls('public.bot_sessions');

-- Events owners and managers hear about; a flush job sends the unsent ones as one message. A
-- notice that must reach the owners once per fact (a refund to make by hand for a payment, a
-- charge that matched no invoice) carries a key: recording it again, as a redelivered update or
-- job does after a crash, adds nothing.
create table public.owner_notifications (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  kind text not null check (kind in ('booking_created', 'booking_cancelled', 'payment_failed', 'no_show', 'refund_needed', 'payment_mismatch', 'payment_unmatched')),
  booking_id uuid,
  detail jsonb not null default '{}'::jsonb check (jsonb_typeof(detail) = 'object'),
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  dedupe_key text check (dedupe_key is null or length(dedupe_key) between 1 and 200),
  foreign key (tenant_id, booking_id) references public.bookings (tenant_id, id) on delete cascade
);
create index owner_notifications_unsent_idx on public.owner_notifications (tenant_id, created_at) where sent_at is null;
create index owner_notifications_booking_idx on public.owner_notifications (booking_id);
create unique index owner_notifications_dedupe_key on public.owner_notifications (tenant_id, dedupe_key) where dedupe_key is not null;
select app.apply_tenant_rls('public.owner_notifications');
