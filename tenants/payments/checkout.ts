import type { Actor, BookingService } from '../booking/booking-service.ts';
import type { BookResult } from '../booking/results.ts';
import type { Money } from '../money/money.ts';
import { paymentPlan, type PaymentPlan, type PaymentPurpose } from './payment-plan.ts';
import type { InvoiceText, PaymentService } from './payment-service.ts';

export type CheckoutResult =
  /** Nothing to pay: the hold is confirmed. */
  | { kind: 'confirmed' }
  /** Confirmed with `due` to be paid at the venue (no online payment here). */
  | { kind: 'at_venue'; due: Money }
  /** The invoice is out and the booking waits for its payment. */
  | { kind: 'invoice_sent'; plan: Extract<PaymentPlan, { kind: 'online' }> }
  /** The booking moved meanwhile, or the tenant's bot is gone: nothing was asked. */
  | { kind: 'failed' };

/**
 * What a fresh hold needs next, decided here for every screen that books: confirm it when nothing
 * is to be paid; otherwise ask for the payment the policy wants (online through the payment
 * service, or the whole price at the venue where none is wired). The screen only words the result.
 */
export async function checkout(
  deps: { booking: BookingService; payments?: PaymentService },
  p: {
    tenantId: string;
    booked: Extract<BookResult, { kind: 'booked' }>;
    chatId: number;
    actor: Actor;
    /** The invoice's words, asked for only when an invoice is sent. */
    text: (purpose: PaymentPurpose) => InvoiceText;
  },
): Promise<CheckoutResult> {
  const { booking, payment } = p.booked;
  if (!payment.required) {
    if (booking.status === 'held') await deps.booking.confirm(p.tenantId, booking.id, p.actor);
    return { kind: 'confirmed' };
  }
  if (!deps.payments) {
    // Nothing can be taken online without the payment service: the venue rule applies.
    const plan = paymentPlan(payment, booking.total, 'venue');
    if (plan.kind !== 'at_venue') return { kind: 'failed' };
    if (booking.status === 'held')
      await deps.booking.confirmPayAtVenue(p.tenantId, booking.id, p.actor);
    return { kind: 'at_venue', due: plan.dueAtVenue };
  }
  const started = await deps.payments.start({
    tenantId: p.tenantId,
    booking,
    requirement: payment,
    chatId: p.chatId,
    actor: p.actor,
    text: p.text,
  });
  if (started.kind === 'at_venue') return { kind: 'at_venue', due: started.plan.dueAtVenue };
  if (started.kind === 'invoice_sent') return { kind: 'invoice_sent', plan: started.plan };
  return { kind: 'failed' };
}
