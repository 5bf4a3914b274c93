-- The bots keep a tenant's catalog lists (locations, services, masters) across updates and read
-- them again only when a location's catalog version moves. A location's name and its place in the
-- list are part of what they show, so changing them moves the version too (availability does not
-- depend on them; a booking cache that sees the move reads afresh once).
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
