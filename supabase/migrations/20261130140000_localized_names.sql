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

alter table public.locations add column names jsonb not null default '{}'::jsonb
  constraint locations_names_valid check (app.is_name_map(names, 200));
alter table public.services add column names jsonb not null default '{}'::jsonb
  constraint services_names_valid check (app.is_name_map(names, 100));
alter table public.masters add column names jsonb not null default '{}'::jsonb
  constraint masters_names_valid check (app.is_name_map(names, 100));

-- A location's catalog version moves with anything the bots show of it (its names included), so
-- a new column never needs this function rewritten: every column but the version and the stamp.
create or replace function app.locations_bump_own_catalog() returns trigger
language plpgsql security invoker set search_path = ''
as $$
begin
  if (to_jsonb(new) - 'catalog_version' - 'updated_at') is distinct from (to_jsonb(old) - 'catalog_version' - 'updated_at') then
    new.catalog_version := old.catalog_version + 1;
  end if;
  return new;
end
$$;
