-- The platform console: a job a platform admin gives up on is `discarded` (kept, with its last
-- error, never run again); and the indexes the console's pages read through, so that each page is
-- a handful of index scans whatever the number of businesses, bookings, updates and jobs.

alter table public.jobs
  drop constraint jobs_status_check,
  add constraint jobs_status_check check (status in ('pending', 'running', 'succeeded', 'dead', 'discarded'));

-- Businesses a page at a time by name (keyset on name, id), all or of one status.
create index tenants_name_idx on public.tenants (name, id);
create index tenants_status_name_idx on public.tenants (status, name, id);
-- Search by the start of a name, slug or bot username (byte-wise ranges: any collation).
create index tenants_name_prefix_idx on public.tenants (lower(name) text_pattern_ops);
create index tenants_slug_prefix_idx on public.tenants (slug text_pattern_ops);
create index tenant_bots_username_prefix_idx on public.tenant_bots (lower(username) text_pattern_ops);

-- Bookings made in the last days, per business.
create index bookings_tenant_created_idx on public.bookings (tenant_id, created_at);

-- The latest update a business's bots received; it also serves the tenant_id lookups (RLS) that
-- the index it replaces served.
create index telegram_updates_tenant_received_idx on public.telegram_updates (tenant_id, received_at);
drop index public.telegram_updates_tenant_idx;

-- Jobs in trouble (dead, or failed at least once and not done), newest first, all or per business.
create index jobs_trouble_idx on public.jobs (updated_at desc, id desc)
  where status = 'dead' or (status in ('pending', 'running') and attempts > 0);
create index jobs_tenant_trouble_idx on public.jobs (tenant_id, updated_at desc, id desc)
  where status = 'dead' or (status in ('pending', 'running') and attempts > 0);
