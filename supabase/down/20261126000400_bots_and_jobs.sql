-- Reverts 20261126000400_bots_and_jobs.
drop table public.owner_notifications;
drop function app.save_chat_update(uuid, uuid, bigint, bigint, jsonb, integer, bigint, uuid);
drop function app.open_chat_update(uuid, uuid, bigint, bigint, bigint, uuid, double precision, integer, text, text, text, text);
drop function app.claim_update(uuid, uuid, bigint, uuid, double precision, integer);
drop function app.finish_update(uuid, uuid, bigint, uuid, text);
drop function app.assert_private_chat(uuid, uuid, bigint, bigint);
drop function app.assert_bot_of(uuid, uuid);
drop table public.bot_sessions;
drop table public.telegram_updates;
drop table public.job_effects;
drop table public.jobs;
