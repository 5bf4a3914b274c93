-- A reported charge that differs from its invoice (amount or currency) is never accepted: the
-- payment becomes 'mismatched' and keeps what was charged, which is owed back to the client
-- (refunded through Telegram for Stars, by the owners otherwise). Owners hear of such charges, and
-- of charges that match no invoice of the business whose bot received them.

alter table public.payments
  add column charged_minor bigint constraint payments_charged_non_negative check (charged_minor >= 0),
  add column charged_currency text constraint payments_charged_currency_length check (length(charged_currency) between 1 and 32);
comment on column public.payments.charged_minor is 'what the provider reported charging, set when it differed from the invoice (status mismatched); refunds count against it';

alter table public.payments drop constraint payments_status_check;
alter table public.payments add constraint payments_status_check
  check (status in ('pending', 'succeeded', 'failed', 'refunded', 'mismatched'));
alter table public.payments add constraint payments_mismatch_recorded
  check (status <> 'mismatched' or (charged_minor is not null and charged_currency is not null));
-- What can go back is what was charged: the invoice's amount, or the mismatched charge.
alter table public.payments drop constraint payments_refund_within_amount;
alter table public.payments add constraint payments_refund_within_amount
  check (refunded_minor between 0 and coalesce(charged_minor, amount_minor));

alter table public.owner_notifications drop constraint owner_notifications_kind_check;
alter table public.owner_notifications add constraint owner_notifications_kind_check
  check (kind in ('booking_created', 'booking_cancelled', 'payment_failed', 'no_show', 'refund_needed', 'payment_mismatch', 'payment_unmatched'));
