-- Reverts 20261126010300_jobs_updates_sessions.
drop table if exists public.bot_sessions;
drop table if exists public.telegram_updates;
drop table if exists public.jobs;
