-- Reverts 20261130170000_platform_console.
drop index public.jobs_tenant_trouble_idx;
drop index public.jobs_trouble_idx;
create index telegram_updates_tenant_idx on public.telegram_updates (tenant_id);
drop index public.telegram_updates_tenant_received_idx;
drop index public.bookings_tenant_created_idx;
drop index public.tenant_bots_username_prefix_idx;
drop index public.tenants_slug_prefix_idx;
drop index public.tenants_name_prefix_idx;
drop index public.tenants_status_name_idx;
drop index public.tenants_name_idx;
-- A discarded job was given up on: dead is the nearest older state (never run again either).
update public.jobs set status = 'dead' where status = 'discarded';
alter table public.jobs
  drop constraint jobs_status_check,
  add constraint jobs_status_check check (status in ('pending', 'running', 'succeeded', 'dead'));
