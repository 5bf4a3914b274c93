-- Baseline 2 of 5, catalog and schedule: locations (each with its own timezone, currency and
-- policy set), services, masters, skills, names per language, the schedule building blocks
-- (weekly working hours, weekly breaks and time off) and the location's catalog version.

-- A whole number within [lo, hi] under `key`; case guarantees the cast only sees numbers.
create function app.jsonb_int_between(p jsonb, key text, lo integer, hi integer) returns boolean
language sql immutable security invoker set search_path = ''
as $$
  select case
    when jsonb_typeof(p -> key) = 'number'
      then (p ->> key)::numeric between lo and hi and (p ->> key)::numeric = trunc((p ->> key)::numeric)
    else false
  end
$$;

-- The parts of a location policy that the database itself relies on (the booking RPC reads the hold
-- length and buffers); the full shape is validated by the application's zod schema.
create function app.is_valid_location_policy(p jsonb) returns boolean
language sql immutable security invoker set search_path = ''
as $$
  select case
    when jsonb_typeof(p) <> 'object' then false
    else app.jsonb_int_between(p, 'leadTimeMinutes', 0, 43200)
      and app.jsonb_int_between(p, 'horizonDays', 1, 365)
      and app.jsonb_int_between(p, 'slotStepMinutes', 5, 240)
      and app.jsonb_int_between(p, 'bufferBeforeMinutes', 0, 240)
      and app.jsonb_int_between(p, 'bufferAfterMinutes', 0, 240)
      and app.jsonb_int_between(p, 'holdMinutes', 1, 1440)
      and coalesce(jsonb_typeof(p -> 'cancellation') = 'object', false)
      and coalesce(jsonb_typeof(p -> 'reschedule') = 'object', false)
      and coalesce(jsonb_typeof(p -> 'deposit') = 'object', false)
      and coalesce(jsonb_typeof(p -> 'reminders') = 'object', false)
  end
$$;
grant execute on function app.is_valid_location_policy(jsonb) to authenticated, service_role;
grant execute on function app.jsonb_int_between(jsonb, text, integer, integer) to authenticated, service_role;

-- Names per language: a location's, a service's and a master's name as entered (`name`,
-- `display_name`) plus translations in `names` ({"ru": "Мужская стрижка"}). What a client reads is
-- the name in their language, else the name as entered: app.local_name is that rule's one home,
-- used by every query that writes a name for a client.
create function app.is_name_map(names jsonb, max_length integer) returns boolean
language sql immutable set search_path = ''
as $$
  select jsonb_typeof(names) = 'object' and not exists (
    select 1 from jsonb_each(names) e
    where e.key !~ '^[a-z]{2,3}$' or jsonb_typeof(e.value) <> 'string'
       or length(btrim(e.value #>> '{}')) not between 1 and max_length)
$$;

create function app.local_name(base text, names jsonb, lang text) returns text
language sql immutable set search_path = ''
as $$ select coalesce(names ->> lang, base) $$;

-- A location's catalog version: bumped by any change to what availability depends on (its policy
-- and zone, services, masters, skills, hours, breaks, time off) and to what the bots show of it.
-- Booking services cache the catalog and pass the version they used to book_slot, which refuses a
-- stale one (SB011); the bots read their catalog lists again only when it moves.
create table public.locations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  address text check (length(address) <= 500),
  timezone text not null constraint locations_timezone_is_iana check (app.is_valid_timezone(timezone)),
  currency text not null constraint locations_currency_iso4217 check (currency ~ '^[A-Z]{3}$'),
  policy jsonb not null constraint locations_policy_valid check (app.is_valid_location_policy(policy)),
  active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  catalog_version bigint not null default 1,
  names jsonb not null default '{}'::jsonb constraint locations_names_valid check (app.is_name_map(names, 200)),
  unique (tenant_id, id)
);
create trigger locations_touch before update on public.locations for each row execute function app.touch_updated_at();
select app.apply_tenant_rls('public.locations');

create table public.services (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  location_id uuid not null,
  name text not null check (length(btrim(name)) between 1 and 100),
  description text check (length(description) <= 1000),
  duration_min integer not null constraint services_duration_positive check (duration_min between 1 and 1440),
  price_minor bigint not null constraint services_price_non_negative check (price_minor >= 0),
  active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  names jsonb not null default '{}'::jsonb constraint services_names_valid check (app.is_name_map(names, 100)),
  unique (tenant_id, id),
  unique (tenant_id, location_id, id),
  foreign key (tenant_id, location_id) references public.locations (tenant_id, id)
);
create index services_location_idx on public.services (location_id) where active;
create trigger services_touch before update on public.services for each row execute function app.touch_updated_at();
select app.apply_tenant_rls('public.services');

create table public.masters (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  location_id uuid not null,
  display_name text not null check (length(btrim(display_name)) between 1 and 100),
  telegram_user_id bigint check (telegram_user_id > 0),
  staff_user_id uuid,
  -- 1.00 = the service's own duration; 0.80 = 20 % faster; 1.25 = 25 % slower.
  speed_factor numeric(4, 2) not null default 1.00 constraint masters_speed_factor_range check (speed_factor between 0.25 and 4.00),
  active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  names jsonb not null default '{}'::jsonb constraint masters_names_valid check (app.is_name_map(names, 100)),
  unique (tenant_id, id),
  unique (tenant_id, location_id, id),
  unique (tenant_id, telegram_user_id),
  foreign key (tenant_id, location_id) references public.locations (tenant_id, id),
  foreign key (tenant_id, staff_user_id) references public.staff_users (tenant_id, id)
);
create index masters_location_idx on public.masters (location_id) where active;
create trigger masters_touch before update on public.masters for each row execute function app.touch_updated_at();
select app.apply_tenant_rls('public.masters');

-- A skill ties a master to a service of the same location (enforced by the composite keys).
create table public.master_skills (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  location_id uuid not null,
  master_id uuid not null,
  service_id uuid not null,
  duration_override_min integer constraint master_skills_override_positive check (duration_override_min between 1 and 1440),
  created_at timestamptz not null default now(),
  primary key (master_id, service_id),
  foreign key (tenant_id, location_id, master_id) references public.masters (tenant_id, location_id, id) on delete cascade,
  foreign key (tenant_id, location_id, service_id) references public.services (tenant_id, location_id, id) on delete cascade
);
create index master_skills_tenant_idx on public.master_skills (tenant_id);
create index master_skills_service_idx on public.master_skills (service_id);
select app.apply_tenant_rls('public.master_skills');

-- Weekly working windows in the location's local wall-clock time; weekday is ISO (1 = Monday).
-- Windows that cross midnight are refused: split them at midnight into two weekdays.
create table public.working_hours (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  master_id uuid not null,
  weekday smallint not null constraint working_hours_weekday_iso check (weekday between 1 and 7),
  start_local time not null,
  end_local time not null,
  constraint working_hours_no_midnight_crossing check (end_local > start_local),
  foreign key (tenant_id, master_id) references public.masters (tenant_id, id) on delete cascade,
  constraint working_hours_no_overlap exclude using gist (
    master_id with =, weekday with =,
    tsrange(date '2000-01-03' + start_local, date '2000-01-03' + end_local) with &&
  )
);
create index working_hours_tenant_idx on public.working_hours (tenant_id);
select app.apply_tenant_rls('public.working_hours');

-- Weekly recurring breaks (e.g. lunch), local wall-clock time like working hours.
create table public.breaks (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  master_id uuid not null,
  weekday smallint not null constraint breaks_weekday_iso check (weekday between 1 and 7),
  start_local time not null,
  end_local time not null,
  label text check (length(label) <= 100),
  constraint breaks_no_midnight_crossing check (end_local > start_local),
  foreign key (tenant_id, master_id) references public.masters (tenant_id, id) on delete cascade
);
create index breaks_tenant_idx on public.breaks (tenant_id);
create index breaks_master_idx on public.breaks (master_id, weekday);
select app.apply_tenant_rls('public.breaks');

-- Time off: either whole local days (first_day..last_day inclusive, in the location's timezone)
-- or an exact range of instants.
create table public.time_off (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  master_id uuid not null,
  all_day boolean not null,
  first_day date,
  last_day date,
  starts_at timestamptz,
  ends_at timestamptz,
  reason text check (length(reason) <= 200),
  created_at timestamptz not null default now(),
  constraint time_off_shape check (
    (all_day and first_day is not null and last_day >= first_day and starts_at is null and ends_at is null)
    or (not all_day and starts_at is not null and ends_at > starts_at and first_day is null and last_day is null)
  ),
  foreign key (tenant_id, master_id) references public.masters (tenant_id, id) on delete cascade
);
create index time_off_tenant_idx on public.time_off (tenant_id);
create index time_off_master_idx on public.time_off (master_id);
select app.apply_tenant_rls('public.time_off');

-- The catalog version moves with any change of a location's services, masters, skills, hours,
-- breaks or time off.
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

-- A location's catalog version moves with anything the bots show of it (its names included), so
-- a new column never needs this function rewritten: every column but the version and the stamp.
create function app.locations_bump_own_catalog() returns trigger
language plpgsql security invoker set search_path = ''
as $$
begin
  if (to_jsonb(new) - 'catalog_version' - 'updated_at') is distinct from (to_jsonb(old) - 'catalog_version' - 'updated_at') then
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
