-- Reverts 20261126000400_bots_and_jobs.
drop table public.owner_notifications;
drop table public.bot_sessions;
drop table public.telegram_updates;
drop table public.job_effects;
drop table public.jobs;
