-- Baseline 5 of 5, the admin web and the platform console: staff sign in with Telegram (a
-- one-time link from their business's bot, or the Mini App's signed initData), hold server-side
-- sessions, invite staff, and every admin action is audited; sign-up is rate-limited; the console
-- reads through indexes, so that each page is a handful of index scans whatever the number of
-- businesses, bookings, updates and jobs.

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

-- Invitations: whoever presses Start in the business's bot with the code first takes the role
-- (the token proves the bot, the tap proves the person): an owner's or a manager's, or a master's,
-- bound to the master's row named here. The hash only, single use; the business's own pages list
-- and cancel theirs (as the tenant).
create table public.tenant_claims (
  code_hash bytea primary key check (length(code_hash) = 32),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  role text not null default 'owner' check (role in ('owner', 'manager', 'master')),
  created_by uuid references public.staff_users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  claimed_at timestamptz,
  claimed_by uuid references public.staff_users (id) on delete set null,
  master_id uuid,
  check (expires_at > created_at),
  constraint tenant_claims_master_fk foreign key (tenant_id, master_id) references public.masters (tenant_id, id) on delete cascade,
  constraint tenant_claims_master_only_for_masters check ((role = 'master') = (master_id is not null))
);
create index tenant_claims_tenant_idx on public.tenant_claims (tenant_id);
select app.apply_tenant_rls('public.tenant_claims');

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

-- Self-service sign-up is public, so it is rate-limited per client address and platform-wide.
-- The attempts live in the database (not in one process's memory) so that the limit holds across
-- instances and Workers. The address is kept as a keyed SHA-256 only, and only for a day.
create table public.signup_attempts (
  id bigint generated always as identity primary key,
  ip_hash bytea not null check (length(ip_hash) = 32),
  at timestamptz not null default now(),
  -- Set once the attempt created (or re-issued) a business: the platform-wide limit counts these.
  succeeded boolean not null default false
);
create index signup_attempts_ip_idx on public.signup_attempts (ip_hash, at);
create index signup_attempts_at_idx on public.signup_attempts (at);
alter table public.signup_attempts enable row level security;
revoke all on public.signup_attempts from anon, authenticated;
grant all on public.signup_attempts to service_role;

-- A manager limited to some locations has a row per location here; none: every location.
create table public.staff_locations (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  staff_user_id uuid not null,
  location_id uuid not null,
  primary key (staff_user_id, location_id),
  foreign key (tenant_id, staff_user_id) references public.staff_users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, location_id) references public.locations (tenant_id, id) on delete cascade
);
create index staff_locations_location_idx on public.staff_locations (location_id);
select app.apply_tenant_rls('public.staff_locations');

-- The platform console's lists: businesses a page at a time by name (keyset on name, id), all or
-- of one status, and search by the start of a name, slug or bot username (byte-wise ranges: any
-- collation).
create index tenants_name_idx on public.tenants (name, id);
create index tenants_status_name_idx on public.tenants (status, name, id);
create index tenants_name_prefix_idx on public.tenants (lower(name) text_pattern_ops);
create index tenants_slug_prefix_idx on public.tenants (slug text_pattern_ops);
create index tenant_bots_username_prefix_idx on public.tenant_bots (lower(username) text_pattern_ops);
