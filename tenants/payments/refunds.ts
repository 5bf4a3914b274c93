import { money, subtract, type Money } from '../money/money.ts';

export type RefundPlan =
  | { kind: 'none'; reason: 'nothing_paid' | 'fee_covers_payment' }
  | { kind: 'refund'; amount: Money; full: boolean };

/**
 * What goes back to a client who cancels a paid booking: what they paid minus the cancellation
 * fee (free window: no fee, full refund; late window: partial; a fee at least the payment: none).
 */
export function refundOnCancel(paid: Money, fee: Money): RefundPlan {
  if (paid.amountMinor === 0) return { kind: 'none', reason: 'nothing_paid' };
  const feeMinor = fee.currency === paid.currency ? fee.amountMinor : 0;
  if (feeMinor >= paid.amountMinor) return { kind: 'none', reason: 'fee_covers_payment' };
  const amount = feeMinor === 0 ? paid : subtract(paid, money(feeMinor, paid.currency));
  return { kind: 'refund', amount, full: amount.amountMinor === paid.amountMinor };
}
