-- Runtime state: the embedded scheduler's jobs, processed Telegram updates, bot sessions.

create table public.jobs (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid references public.tenants (id) on delete cascade,
  kind text not null check (kind in ('reminder_send', 'hold_expire', 'payment_reconcile', 'digest_admin')),
  -- Idempotency key: scheduling the same key twice is one job.
  key text not null unique check (length(key) between 1 and 200),
  payload jsonb not null default '{}'::jsonb check (jsonb_typeof(payload) = 'object'),
  run_at timestamptz not null,
  status text not null default 'pending' check (status in ('pending', 'running', 'succeeded', 'dead')),
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 8 check (max_attempts > 0),
  locked_until timestamptz,
  locked_by text,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  constraint jobs_running_is_locked check (status <> 'running' or locked_until is not null)
);
create index jobs_due_idx on public.jobs (run_at) where status in ('pending', 'running');
create index jobs_tenant_idx on public.jobs (tenant_id);
create trigger jobs_touch before update on public.jobs for each row execute function app.touch_updated_at();
select app.apply_tenant_rls('public.jobs');

-- One row per Telegram update a bot has processed: Telegram re-sends, we act once.
create table public.telegram_updates (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  bot_id uuid not null,
  update_id bigint not null,
  received_at timestamptz not null default now(),
  primary key (bot_id, update_id),
  foreign key (tenant_id, bot_id) references public.tenant_bots (tenant_id, id) on delete cascade
);
create index telegram_updates_tenant_idx on public.telegram_updates (tenant_id);
create index telegram_updates_received_idx on public.telegram_updates (received_at);
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
