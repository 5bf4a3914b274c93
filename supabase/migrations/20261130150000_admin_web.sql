-- The admin web: staff sign in with Telegram (a one-time link from their business's bot, or the
-- Mini App's signed initData), hold server-side sessions, and every admin action is audited.

-- Identity comes from Telegram: an e-mail is optional; one staff row per person and business
-- (and per person among platform admins).
alter table public.staff_users alter column email drop not null;
create unique index staff_users_tenant_telegram_key on public.staff_users (tenant_id, telegram_user_id)
  where tenant_id is not null and telegram_user_id is not null;
create unique index staff_users_platform_telegram_key on public.staff_users (telegram_user_id)
  where tenant_id is null and telegram_user_id is not null;

-- A business that signed up while sign-up needs approval waits as `pending`: its owner can set it
-- up, its bot takes no bookings yet.
alter table public.tenants
  drop constraint tenants_status_check,
  add constraint tenants_status_check check (status in ('pending', 'active', 'suspended'));

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

-- Platform-wide settings (sign-up: open, by approval or closed), written by platform admins only.
create table public.platform_settings (
  key text primary key check (key ~ '^[a-z_]{1,64}$'),
  value jsonb not null,
  updated_at timestamptz not null default now()
);
alter table public.platform_settings enable row level security;
revoke all on public.platform_settings from anon, authenticated;
grant all on public.platform_settings to service_role;
insert into public.platform_settings (key, value) values ('signup_mode', '"open"');

-- Sessions: the cookie carries a random secret, the table its SHA-256 only. Revocable, listed,
-- expiring (idle and absolute); a new one on every sign-in.
create table public.admin_sessions (
  id uuid primary key default gen_random_uuid(),
  secret_hash bytea not null unique check (length(secret_hash) = 32),
  staff_user_id uuid not null references public.staff_users (id) on delete cascade,
  -- The business this session works in (null: a platform admin's session).
  tenant_id uuid references public.tenants (id) on delete cascade,
  via text not null check (via in ('login_link', 'mini_app')),
  user_agent text check (length(user_agent) <= 300),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  check (expires_at > created_at)
);
create index admin_sessions_staff_idx on public.admin_sessions (staff_user_id) where revoked_at is null;
alter table public.admin_sessions enable row level security;
revoke all on public.admin_sessions from anon, authenticated;
grant all on public.admin_sessions to service_role;

-- One-time sign-in links a business's bot sends its staff (`/admin`): the hash only, single use.
create table public.admin_login_links (
  secret_hash bytea primary key check (length(secret_hash) = 32),
  staff_user_id uuid not null references public.staff_users (id) on delete cascade,
  tenant_id uuid references public.tenants (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  check (expires_at > created_at)
);
create index admin_login_links_expiry_idx on public.admin_login_links (expires_at);
alter table public.admin_login_links enable row level security;
revoke all on public.admin_login_links from anon, authenticated;
grant all on public.admin_login_links to service_role;

-- Claim codes: whoever presses Start in the business's bot with the code first becomes its
-- owner (the token proves the bot, the tap proves the person). The hash only, single use.
create table public.tenant_claims (
  code_hash bytea primary key check (length(code_hash) = 32),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  role text not null default 'owner' check (role in ('owner', 'manager')),
  created_by uuid references public.staff_users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  claimed_at timestamptz,
  claimed_by uuid references public.staff_users (id) on delete set null,
  check (expires_at > created_at)
);
create index tenant_claims_tenant_idx on public.tenant_claims (tenant_id);
alter table public.tenant_claims enable row level security;
revoke all on public.tenant_claims from anon, authenticated;
grant all on public.tenant_claims to service_role;

-- The audit log: who did what to what, when, with the state before and after. Platform actions
-- have no tenant. A business reads (and writes) its own entries; nobody updates or deletes them.
create table public.audit_log (
  id bigint generated always as identity primary key,
  tenant_id uuid references public.tenants (id) on delete cascade,
  actor_staff_id uuid references public.staff_users (id) on delete set null,
  actor_role text not null check (actor_role in ('platform_admin', 'owner', 'manager', 'master', 'system')),
  action text not null check (action ~ '^[a-z_.]{1,80}$'),
  target_kind text check (length(target_kind) <= 40),
  target_id text check (length(target_id) <= 100),
  before jsonb,
  after jsonb,
  correlation_id text check (length(correlation_id) <= 100),
  at timestamptz not null default now()
);
-- Read newest first, a page at a time by id (keyset), per business or across all.
create index audit_log_tenant_id_idx on public.audit_log (tenant_id, id desc);
alter table public.audit_log enable row level security;
create policy audit_log_tenant_select on public.audit_log for select to authenticated using (tenant_id = (select app.current_tenant_id()));
create policy audit_log_tenant_insert on public.audit_log for insert to authenticated with check (tenant_id = (select app.current_tenant_id()));
revoke all on public.audit_log from anon;
grant select, insert on public.audit_log to authenticated;
grant all on public.audit_log to service_role;
