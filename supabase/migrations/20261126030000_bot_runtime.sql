-- Bot runtime: an update is claimed before it is handled and marked done after, so a transient
-- failure can give it back (Telegram delivers it again) while duplicates are still dropped.
alter table public.telegram_updates
  add column state text not null default 'processing' check (state in ('processing', 'done'));

-- Catalog reads of the bot go through the tenant scope; lookups by Telegram user need these.
create index clients_telegram_idx on public.clients (tenant_id, telegram_user_id);
