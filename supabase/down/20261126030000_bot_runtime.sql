-- Reverts 20261126030000_bot_runtime.
drop index if exists public.clients_telegram_idx;
alter table public.telegram_updates drop column if exists state;
