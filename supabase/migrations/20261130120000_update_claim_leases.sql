-- An update being handled is leased to the delivery handling it: a random claim token and a lease
-- that the handler renews while it works. A redelivery finds the lease either alive (the first
-- handler is still at it: answer non-2xx, Telegram tries again) or run out (that handler is gone:
-- take the update over under a new token). Only the token's holder can finish or give back the
-- claim, so a handler that lost its lease cannot mark another's work done. `claims` counts the
-- takeovers: an update that kills every handler is given up (`abandoned`) instead of forever.
alter table public.telegram_updates
  add column claim_token uuid,
  add column lease_until timestamptz,
  add column claims integer not null default 1 check (claims >= 1),
  drop constraint telegram_updates_state_check,
  add constraint telegram_updates_state_check check (state in ('processing', 'done', 'abandoned'));

-- Claims taken before leases existed: leased for the two minutes they used to be held.
update public.telegram_updates
   set claim_token = gen_random_uuid(), lease_until = received_at + interval '2 minutes'
 where state = 'processing';

alter table public.telegram_updates
  add constraint telegram_updates_processing_is_leased check (state <> 'processing' or (claim_token is not null and lease_until is not null));
