-- Reverts 20261130130000_owner_notice_keys.
drop index if exists public.owner_notifications_dedupe_key;
alter table public.owner_notifications drop column if exists dedupe_key;
