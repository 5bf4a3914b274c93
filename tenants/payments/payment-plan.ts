import type { PaymentRequirement } from '../booking/policies.ts';
import { subtract, type Money } from '../money/money.ts';
import type { PaymentProviderKind } from './provider.ts';

export type PaymentPurpose = 'deposit' | 'prepayment';

/**
 * What the client of a booking pays, and where:
 * - `none`: nothing ahead; the booking is confirmed and the price is paid on the day;
 * - `online`: `amount` through the invoice (a deposit, or the whole price as a prepayment) before
 *   the booking is confirmed, and `dueAtVenue` (the rest, possibly nothing) on the day;
 * - `at_venue`: the policy asks for money ahead but the business takes no online payments: nothing
 *   is taken ahead, the booking is confirmed, and the whole price is due at the venue.
 */
export type PaymentPlan =
  | { kind: 'none' }
  | {
      kind: 'online';
      provider: Exclude<PaymentProviderKind, 'venue'>;
      purpose: PaymentPurpose;
      amount: Money;
      dueAtVenue: Money;
    }
  | { kind: 'at_venue'; waived: PaymentPurpose; dueAtVenue: Money };

/**
 * The one rule for money asked of a client when booking: money is taken ahead only online (cards
 * through the bot's provider token, or Telegram Stars). Paying at the venue, a deposit or a
 * prepayment cannot be taken, so none is claimed: the whole price is due there.
 */
export function paymentPlan(
  requirement: PaymentRequirement,
  total: Money,
  provider: PaymentProviderKind,
): PaymentPlan {
  if (!requirement.required) return { kind: 'none' };
  const purpose: PaymentPurpose =
    requirement.reason === 'no_show_history' ? 'prepayment' : 'deposit';
  if (provider === 'venue') return { kind: 'at_venue', waived: purpose, dueAtVenue: total };
  return {
    kind: 'online',
    provider,
    purpose,
    amount: requirement.amount,
    dueAtVenue: subtract(total, requirement.amount),
  };
}
