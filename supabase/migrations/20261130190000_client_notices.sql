-- client_notice: a client is told in the bot of a change the business made to their booking (a
-- visit cancelled by staff), in their language; a job so that a slow or failing Telegram does not
-- hold up the change, and the once-by-key effect keeps a repeated delivery to one message.
alter table public.jobs drop constraint jobs_kind_check;
alter table public.jobs add constraint jobs_kind_check
  check (kind in ('reminder_send', 'hold_expire', 'payment_reconcile', 'digest_admin', 'notify_owners', 'client_notice'));
