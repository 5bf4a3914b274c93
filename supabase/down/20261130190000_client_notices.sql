delete from public.jobs where kind = 'client_notice';
alter table public.jobs drop constraint jobs_kind_check;
alter table public.jobs add constraint jobs_kind_check
  check (kind in ('reminder_send', 'hold_expire', 'payment_reconcile', 'digest_admin', 'notify_owners'));
