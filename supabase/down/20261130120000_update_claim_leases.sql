-- Reverts 20261130120000_update_claim_leases.
update public.telegram_updates set state = 'done' where state = 'abandoned';
alter table public.telegram_updates
  drop constraint telegram_updates_processing_is_leased,
  drop constraint telegram_updates_state_check,
  add constraint telegram_updates_state_check check (state in ('processing', 'done')),
  drop column claims,
  drop column lease_until,
  drop column claim_token;
