-- Back to a catalog version that only availability's inputs move.
create or replace function app.locations_bump_own_catalog() returns trigger
language plpgsql security invoker set search_path = ''
as $$
begin
  if (new.policy, new.timezone, new.currency, new.active) is distinct from (old.policy, old.timezone, old.currency, old.active) then
    new.catalog_version := old.catalog_version + 1;
  end if;
  return new;
end
$$;
