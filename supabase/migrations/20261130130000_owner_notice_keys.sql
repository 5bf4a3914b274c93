-- A notice that must reach the owners once per fact (a refund to make by hand for a payment, a
-- charge that matched no invoice) carries a key: recording it again, as a redelivered update or
-- job does after a crash, adds nothing.
alter table public.owner_notifications add column dedupe_key text check (dedupe_key is null or length(dedupe_key) between 1 and 200);
create unique index owner_notifications_dedupe_key on public.owner_notifications (tenant_id, dedupe_key) where dedupe_key is not null;
