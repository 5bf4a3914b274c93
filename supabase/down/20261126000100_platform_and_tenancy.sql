-- Reverts 20261126000100_platform_and_tenancy. The API roles stay: they are cluster-wide and may be
-- shared with other databases (and always exist on Supabase).
drop table public.tenant_bots;
drop table public.staff_users;
drop table public.tenants;
drop function app.apply_tenant_rls(regclass);
drop function app.is_valid_timezone(text);
drop function app.touch_updated_at();
drop function app.current_tenant_id();
drop schema app;
drop extension pg_trgm;
drop extension btree_gist;
