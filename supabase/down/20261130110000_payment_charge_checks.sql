-- The earlier schema has no mismatch state: such payments become failed with the charge in the
-- reason, and the new notice kinds become refund_needed (their unsent lines still reach the owners).
update public.owner_notifications set kind = 'refund_needed' where kind in ('payment_mismatch', 'payment_unmatched');
alter table public.owner_notifications drop constraint owner_notifications_kind_check;
alter table public.owner_notifications add constraint owner_notifications_kind_check
  check (kind in ('booking_created', 'booking_cancelled', 'payment_failed', 'no_show', 'refund_needed'));

update public.payments
  set failure_reason = left(format('charged %s %s instead of the invoice; refunded %s', charged_minor, charged_currency, refunded_minor), 500),
      status = case when status = 'mismatched' then 'failed' else status end,
      refunded_minor = least(refunded_minor, amount_minor)
  where charged_minor is not null;
alter table public.payments drop constraint payments_refund_within_amount;
alter table public.payments add constraint payments_refund_within_amount check (refunded_minor between 0 and amount_minor);
alter table public.payments drop constraint payments_mismatch_recorded;
alter table public.payments drop constraint payments_status_check;
alter table public.payments add constraint payments_status_check
  check (status in ('pending', 'succeeded', 'failed', 'refunded'));
alter table public.payments drop column charged_currency;
alter table public.payments drop column charged_minor;
