-- Reverts 20261130180000_staff_access.
drop table public.staff_locations;
drop policy tenant_claims_tenant_select on public.tenant_claims;
drop policy tenant_claims_tenant_insert on public.tenant_claims;
drop policy tenant_claims_tenant_update on public.tenant_claims;
drop policy tenant_claims_tenant_delete on public.tenant_claims;
revoke all on public.tenant_claims from authenticated;
delete from public.tenant_claims where role = 'master';
alter table public.tenant_claims
  drop constraint tenant_claims_master_only_for_masters,
  drop constraint tenant_claims_master_fk,
  drop column master_id,
  drop constraint tenant_claims_role_check,
  add constraint tenant_claims_role_check check (role in ('owner', 'manager'));
