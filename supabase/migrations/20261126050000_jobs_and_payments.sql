-- Background jobs and payments: correlation ids on jobs, once-only effects of job handlers, owner
-- notification batches, the bots' payment provider token, and the late-payment confirmation.

alter table public.jobs add column correlation_id text
  constraint jobs_correlation_id_format check (correlation_id ~ '^[A-Za-z0-9._:-]{1,100}$');
-- notify_owners: the throttled flush of owner notifications (a burst becomes one summary).
alter table public.jobs drop constraint jobs_kind_check;
alter table public.jobs add constraint jobs_kind_check
  check (kind in ('reminder_send', 'hold_expire', 'payment_reconcile', 'digest_admin', 'notify_owners'));
create index jobs_locked_idx on public.jobs (locked_until) where status = 'running';

-- An effect a job (or an update handler) has caused, by key: a second delivery finds it and does
-- nothing. Written in the same transaction as the effect, under an advisory lock on the key.
create table public.job_effects (
  key text primary key check (length(key) between 1 and 200),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  detail jsonb not null default '{}'::jsonb check (jsonb_typeof(detail) = 'object'),
  created_at timestamptz not null default now()
);
create index job_effects_tenant_idx on public.job_effects (tenant_id);
select app.apply_tenant_rls('public.job_effects');

-- Events owners and managers hear about; a flush job sends the unsent ones as one message.
create table public.owner_notifications (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  kind text not null check (kind in ('booking_created', 'booking_cancelled', 'payment_failed', 'no_show', 'refund_needed')),
  booking_id uuid,
  detail jsonb not null default '{}'::jsonb check (jsonb_typeof(detail) = 'object'),
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  foreign key (tenant_id, booking_id) references public.bookings (tenant_id, id) on delete cascade
);
create index owner_notifications_unsent_idx on public.owner_notifications (tenant_id, created_at) where sent_at is null;
create index owner_notifications_booking_idx on public.owner_notifications (booking_id);
select app.apply_tenant_rls('public.owner_notifications');

-- BotFather's payment provider token for the bot (Telegram Payments), encrypted like the bot token.
-- Absent: card payments are not offered; Telegram Stars need no token.
alter table public.tenant_bots add column payment_token_ciphertext text
  constraint tenant_bots_payment_token_encrypted check (payment_token_ciphertext !~ '^[0-9]+:');

-- Charge ids identify one payment: a second successful_payment for the same charge is a duplicate.
create unique index payments_provider_charge_key on public.payments (provider, provider_payment_charge_id)
  where provider_payment_charge_id is not null;

-- A payment that arrived after the hold expired: confirm the booking if its time is still free
-- (under the same advisory locks as book_slot), else leave it expired. Returns 'confirmed',
-- 'taken' or the booking's status when it was not expired.
create function public.confirm_late_payment(p_tenant_id uuid, p_booking_id uuid) returns text
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_booking public.bookings;
  v_zone text;
begin
  perform app.assert_may_act_for(p_tenant_id);
  select * into v_booking from public.bookings where id = p_booking_id and tenant_id = p_tenant_id;
  if not found then raise exception 'booking not found' using errcode = 'SB010'; end if;
  select l.timezone into v_zone from public.locations l where l.id = v_booking.location_id;
  perform app.lock_master_days(v_booking.master_id, v_booking.span, v_zone);
  select * into v_booking from public.bookings where id = p_booking_id for update;
  if v_booking.status <> 'expired' then return v_booking.status; end if;
  if exists (
    select 1 from public.bookings o
    where o.master_id = v_booking.master_id and o.id <> v_booking.id
      and o.status in ('held', 'pending_payment', 'confirmed') and o.span && v_booking.span
  ) then
    return 'taken';
  end if;
  perform app.set_actor('system', null, 'late payment confirmed');
  update public.bookings set status = 'confirmed', hold_expires_at = null where id = p_booking_id;
  return 'confirmed';
end
$$;
revoke all on function public.confirm_late_payment(uuid, uuid) from public, anon;
grant execute on function public.confirm_late_payment(uuid, uuid) to authenticated, service_role;
