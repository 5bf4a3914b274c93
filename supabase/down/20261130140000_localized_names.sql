-- Reverts 20261130140000_localized_names: the version moves with the columns it moved with before.
create or replace function app.locations_bump_own_catalog() returns trigger
language plpgsql security invoker set search_path = ''
as $$
begin
  if (new.policy, new.timezone, new.currency, new.active, new.name, new.sort_order)
     is distinct from (old.policy, old.timezone, old.currency, old.active, old.name, old.sort_order) then
    new.catalog_version := old.catalog_version + 1;
  end if;
  return new;
end
$$;
alter table public.masters drop column names;
alter table public.services drop column names;
alter table public.locations drop column names;
drop function app.local_name(text, jsonb, text);
drop function app.is_name_map(jsonb, integer);
