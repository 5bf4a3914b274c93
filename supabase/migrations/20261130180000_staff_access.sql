-- Staff management in the admin web: invitations for masters too (bound to a master's row), a
-- business's invitations readable and writable by the business itself, and managers limited to
-- some locations.

-- A master's invitation names the master it binds to the Telegram user who accepts it.
alter table public.tenant_claims
  drop constraint tenant_claims_role_check,
  add constraint tenant_claims_role_check check (role in ('owner', 'manager', 'master')),
  add column master_id uuid,
  add constraint tenant_claims_master_fk foreign key (tenant_id, master_id) references public.masters (tenant_id, id) on delete cascade,
  add constraint tenant_claims_master_only_for_masters check ((role = 'master') = (master_id is not null));

-- Invitations hold hashes only: the business's own pages list and cancel theirs (as the tenant).
select app.apply_tenant_rls('public.tenant_claims');

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
