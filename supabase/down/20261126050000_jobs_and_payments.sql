drop function public.confirm_late_payment(uuid, uuid);
drop index public.payments_provider_charge_key;
alter table public.tenant_bots drop column payment_token_ciphertext;
drop table public.owner_notifications;
drop table public.job_effects;
drop index public.jobs_locked_idx;
alter table public.jobs drop constraint jobs_kind_check;
alter table public.jobs add constraint jobs_kind_check
  check (kind in ('reminder_send', 'hold_expire', 'payment_reconcile', 'digest_admin'));
alter table public.jobs drop column correlation_id;
