-- Reverts 20261126010000_platform_foundation. The API roles stay: they are cluster-wide and may be
-- shared with other databases (and always exist on Supabase).
drop table if exists public.tenant_bots;
drop table if exists public.staff_users;
drop table if exists public.tenants;
drop function if exists app.apply_tenant_rls(regclass);
drop function if exists app.is_valid_timezone(text);
drop function if exists app.touch_updated_at();
drop function if exists app.current_tenant_id();
drop schema if exists app;
drop extension if exists btree_gist;
