-- Baseline 1 of 5, platform and tenancy: extensions, API roles, the tenant-claim helpers and the
-- standard tenant RLS, tenants, staff users and tenant bots.
--
-- The baselines replace the 21 migrations written while nothing was deployed (squashed in issue
-- 17): each table is created in its final shape and each SQL function or trigger is defined in
-- exactly one file of the tree, so a rule is changed where it lives. A database migrated with the
-- older files is refused by the runner ("has migration ... applied, which this code does not
-- know"): start it afresh (README, "Database").
--
-- Roles are cluster-wide and pre-exist on Supabase; they are created here only when absent so the
-- same migrations run on plain PostgreSQL and on PGlite.

create schema if not exists extensions;
create extension if not exists btree_gist with schema extensions;
-- Trigram indexes: the bookings board's client search (any part of a name, username or phone).
create extension if not exists pg_trgm with schema extensions;

-- Several databases of one cluster may migrate at once (tests do): a role another session created
-- in the meantime is fine.
do $$
declare
  spec text[];
begin
  foreach spec slice 1 in array array[
    ['anon', 'nologin noinherit'],
    ['authenticated', 'nologin noinherit'],
    ['service_role', 'nologin noinherit bypassrls']
  ] loop
    if not exists (select 1 from pg_roles where rolname = spec[1]) then
      begin
        execute format('create role %I %s', spec[1], spec[2]);
      exception when duplicate_object or unique_violation then
        null;
      end;
    end if;
  end loop;
end
$$;

-- The app connects as the migration owner and switches with `set local role` per unit of work.
do $$
begin
  execute format('grant anon, authenticated, service_role to %I', current_user);
exception when others then
  raise notice 'could not grant API roles to %: %', current_user, sqlerrm;
end
$$;

create schema app;
comment on schema app is 'Private helpers of Slotbot (not exposed through the data API).';
grant usage on schema app to anon, authenticated, service_role;
grant usage on schema public to anon, authenticated, service_role;

-- Tenant of the current request, from the JWT claims PostgREST sets (or our own `set local`).
-- plpgsql rather than sql: a non-inlinable SQL function is parsed again on every call, and every
-- RLS-checked statement calls this once.
create function app.current_tenant_id() returns uuid
language plpgsql stable security invoker set search_path = ''
as $$
begin
  return nullif(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'tenant_id', '')::uuid;
end
$$;

create function app.touch_updated_at() returns trigger
language plpgsql security invoker set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create function app.is_valid_timezone(tz text) returns boolean
language plpgsql stable security invoker set search_path = ''
as $$
begin
  if tz is null or tz !~ '^[A-Za-z]+(/[A-Za-z0-9_+-]+)*$' then
    return false;
  end if;
  perform now() at time zone tz;
  return true;
exception when others then
  return false;
end
$$;

-- Standard tenant isolation for a tenant-owned table: RLS on, one policy per operation for the
-- tenant-scoped role, full access for the platform's service role, nothing for anon.
create function app.apply_tenant_rls(tbl regclass) returns void
language plpgsql security invoker set search_path = ''
as $$
declare
  t text := tbl::text;
  n text := (select relname from pg_catalog.pg_class where oid = tbl);
begin
  execute format('alter table %s enable row level security', t);
  execute format('create policy %I on %s for select to authenticated using (tenant_id = (select app.current_tenant_id()))', n || '_tenant_select', t);
  execute format('create policy %I on %s for insert to authenticated with check (tenant_id = (select app.current_tenant_id()))', n || '_tenant_insert', t);
  execute format('create policy %I on %s for update to authenticated using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()))', n || '_tenant_update', t);
  execute format('create policy %I on %s for delete to authenticated using (tenant_id = (select app.current_tenant_id()))', n || '_tenant_delete', t);
  execute format('revoke all on %s from anon', t);
  execute format('grant select, insert, update, delete on %s to authenticated', t);
  execute format('grant all on %s to service_role', t);
end
$$;

grant execute on function app.current_tenant_id() to anon, authenticated, service_role;
grant execute on function app.is_valid_timezone(text) to authenticated, service_role;

-- A business that signed up while sign-up needs approval waits as `pending`: its owner can set it
-- up, its bot takes no bookings yet (app.refuse_booking_when_closed).
create table public.tenants (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text not null check (length(btrim(name)) between 1 and 200),
  status text not null default 'active' check (status in ('pending', 'active', 'suspended')),
  maintenance boolean not null default false,
  maintenance_message text check (length(maintenance_message) <= 500),
  maintenance_until timestamptz,
  default_language text not null default 'en' check (default_language ~ '^[a-z]{2,3}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.tenants is 'A business on the platform. Suspension and maintenance are set by platform admins only.';
create trigger tenants_touch before update on public.tenants for each row execute function app.touch_updated_at();

-- Tenants read their own row; only the platform (service role) creates, changes or removes tenants.
alter table public.tenants enable row level security;
create policy tenants_tenant_select on public.tenants for select to authenticated
  using (id = (select app.current_tenant_id()));
revoke all on public.tenants from anon;
grant select on public.tenants to authenticated;
grant all on public.tenants to service_role;

-- Identity comes from Telegram: an e-mail is optional; one staff row per person and business
-- (and per person among platform admins).
create table public.staff_users (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid references public.tenants (id) on delete cascade,
  role text not null check (role in ('platform_admin', 'owner', 'manager', 'master')),
  email text check (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
  display_name text not null check (length(btrim(display_name)) between 1 and 200),
  telegram_user_id bigint check (telegram_user_id > 0),
  password_hash text,
  language text not null default 'en' check (language ~ '^[a-z]{2,3}$'),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint staff_users_platform_admin_has_no_tenant check ((role = 'platform_admin') = (tenant_id is null)),
  unique (tenant_id, id)
);
create unique index staff_users_tenant_email_key on public.staff_users (tenant_id, lower(email)) where tenant_id is not null;
create unique index staff_users_platform_email_key on public.staff_users (lower(email)) where tenant_id is null;
create index staff_users_telegram_idx on public.staff_users (telegram_user_id) where telegram_user_id is not null;
create unique index staff_users_tenant_telegram_key on public.staff_users (tenant_id, telegram_user_id)
  where tenant_id is not null and telegram_user_id is not null;
create unique index staff_users_platform_telegram_key on public.staff_users (telegram_user_id)
  where tenant_id is null and telegram_user_id is not null;
create trigger staff_users_touch before update on public.staff_users for each row execute function app.touch_updated_at();
select app.apply_tenant_rls('public.staff_users');

create table public.tenant_bots (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  telegram_bot_id bigint not null unique check (telegram_bot_id > 0),
  username text not null check (username ~ '^[A-Za-z0-9_]{5,64}$'),
  -- AES-GCM ciphertexts (base64 of iv || ciphertext); a raw BotFather token must never land here.
  token_ciphertext text not null check (token_ciphertext !~ '^[0-9]+:'),
  webhook_secret_ciphertext text not null,
  bot_info jsonb not null default '{}'::jsonb check (jsonb_typeof(bot_info) = 'object'),
  status text not null default 'active' check (status in ('active', 'disabled')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- BotFather's payment provider token for the bot (Telegram Payments), encrypted like the bot
  -- token. Absent: card payments are not offered; Telegram Stars need no token.
  payment_token_ciphertext text constraint tenant_bots_payment_token_encrypted check (payment_token_ciphertext !~ '^[0-9]+:'),
  unique (tenant_id, id)
);
create trigger tenant_bots_touch before update on public.tenant_bots for each row execute function app.touch_updated_at();
select app.apply_tenant_rls('public.tenant_bots');
