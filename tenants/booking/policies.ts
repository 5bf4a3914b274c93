import type { Fee, LocationPolicy } from '../policy/location-policy.ts';
import { min, money, percentOf, zero, type Money } from '../money/money.ts';
import { isBlocking, type BookingState } from './state-machine.ts';

/**
 * Policy decisions, pure: cancellation and reschedule windows with their fees, and whether a
 * client must pay a deposit. Times are epoch ms; `now` comes in.
 */
const HOUR = 3_600_000;

export type ChangeQuote =
  | { allowed: true; window: 'free' | 'late'; fee: Money }
  | {
      allowed: false;
      rule: 'locked' | 'started' | 'not_active';
      lockHours: number;
      message: string;
    };

export function feeFor(fee: Fee | null, total: Money): Money {
  if (!fee) return zero(total.currency);
  if (fee.kind === 'percent') return percentOf(total, fee.percent);
  return min(money(fee.amountMinor, total.currency), total);
}

interface ChangeTarget {
  status: BookingState;
  startAt: number;
  total: Money;
}

function quote(
  window: LocationPolicy['cancellation'],
  booking: ChangeTarget,
  now: number,
  verb: string,
): ChangeQuote {
  if (!isBlocking(booking.status)) {
    return {
      allowed: false,
      rule: 'not_active',
      lockHours: window.lockHours,
      message: `a ${booking.status.replace('_', ' ')} booking cannot be ${verb}`,
    };
  }
  // Nothing is owed for a booking that was never confirmed.
  if (booking.status !== 'confirmed')
    return { allowed: true, window: 'free', fee: zero(booking.total.currency) };
  const hoursBefore = (booking.startAt - now) / HOUR;
  if (hoursBefore <= 0)
    return {
      allowed: false,
      rule: 'started',
      lockHours: window.lockHours,
      message: `the visit has started; it can no longer be ${verb}`,
    };
  if (hoursBefore < window.lockHours) {
    return {
      allowed: false,
      rule: 'locked',
      lockHours: window.lockHours,
      message: `bookings can be ${verb} up to ${window.lockHours} h before the start; please contact the business`,
    };
  }
  if (hoursBefore < window.freeUntilHours)
    return { allowed: true, window: 'late', fee: feeFor(window.fee, booking.total) };
  return { allowed: true, window: 'free', fee: zero(booking.total.currency) };
}

export function quoteCancellation(
  policy: LocationPolicy,
  booking: ChangeTarget,
  now: number,
): ChangeQuote {
  return quote(policy.cancellation, booking, now, 'cancelled');
}

export function quoteReschedule(
  policy: LocationPolicy,
  booking: ChangeTarget,
  now: number,
): ChangeQuote {
  return quote(policy.reschedule, booking, now, 'rescheduled');
}

export type PaymentRequirement =
  | { required: false }
  | { required: true; amount: Money; reason: 'deposit_always' | 'no_show_history' };

/**
 * Whether a booking needs a payment before it is confirmed. Unless the mode is "none", a client with
 * at least `noShowThreshold` no-shows prepays in full; otherwise mode "always" asks everyone for a
 * deposit of `percent` % and "no_show_flagged" asks nothing. A deposit that rounds to nothing (1 % of
 * 10 Stars) is no deposit. How and where it is paid: tenants/payments/payment-plan.ts.
 */
export function paymentRequirement(
  policy: LocationPolicy,
  client: { noShowCount: number },
  total: Money,
): PaymentRequirement {
  const { deposit } = policy;
  if (total.amountMinor === 0 || deposit.mode === 'none') return { required: false };
  if (client.noShowCount >= deposit.noShowThreshold)
    return { required: true, amount: total, reason: 'no_show_history' };
  if (deposit.mode !== 'always') return { required: false };
  const amount = percentOf(total, deposit.percent);
  return amount.amountMinor > 0
    ? { required: true, amount, reason: 'deposit_always' }
    : { required: false };
}
