-- Reverts 20261130150000_admin_web.
drop table public.audit_log;
drop table public.tenant_claims;
drop table public.admin_login_links;
drop table public.admin_sessions;
drop table public.platform_settings;
drop trigger bookings_tenant_open on public.bookings;
drop function app.refuse_booking_when_closed();
update public.tenants set status = 'suspended' where status = 'pending';
alter table public.tenants
  drop constraint tenants_status_check,
  add constraint tenants_status_check check (status in ('active', 'suspended'));
drop index public.staff_users_platform_telegram_key;
drop index public.staff_users_tenant_telegram_key;
update public.staff_users set email = 'telegram-' || coalesce(telegram_user_id::text, id::text) || '@staff.invalid' where email is null;
alter table public.staff_users alter column email set not null;
