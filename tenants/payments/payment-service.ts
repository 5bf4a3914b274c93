import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { insertPayment, markPaymentFailed, markPaymentRefunded, markPaymentSucceeded, paymentById, paymentByPayload, paymentsOfBooking, type PaymentRow } from '../../db/queries/payments.ts';
import type { Actor, BookingService } from '../booking/booking-service.ts';
import type { BookingView } from '../booking/results.ts';
import { add, money, type Money } from '../money/money.ts';
import type { OwnerNotifier } from '../notify/owner-notifier.ts';
import type { Logger } from '../observability/logger.ts';
import { chooseProviderKind, type PaymentProvider, type PaymentProviderKind, type PaymentReference } from './provider.ts';
import { refundOnCancel } from './refunds.ts';

/** The payment providers a tenant's bot can use right now. */
export interface TenantProviders {
  hasProviderToken: boolean;
  get(kind: PaymentProviderKind): PaymentProvider | undefined;
}
export interface ProviderResolver {
  forTenant(tenantId: string): Promise<TenantProviders | undefined>;
}

export interface InvoiceText {
  title: string;
  description: string;
  label: string;
}

export type StartPaymentResult = { kind: 'invoice_sent'; paymentId: string } | { kind: 'at_venue'; paymentId: string } | { kind: 'no_bot' } | { kind: 'refused'; status: string };

/** What a reported payment led to. */
export type SettleOutcome =
  | { kind: 'confirmed'; booking: BookingView }
  | { kind: 'late_confirmed'; booking: BookingView }
  | { kind: 'refunded'; amount: Money; bookingId: string }
  | { kind: 'refund_manual'; amount: Money; bookingId: string }
  | { kind: 'already_confirmed'; bookingId: string }
  | { kind: 'duplicate' }
  | { kind: 'unknown_invoice' };

export type PreCheckoutVerdict = { ok: true } | { ok: false; reason: 'hold_gone' | 'amount_changed' };

const SYSTEM: Actor = { kind: 'system' };
const reference = (row: PaymentRow): PaymentReference => ({
  invoicePayload: row.invoice_payload,
  telegramUserId: row.client_telegram_id,
  amount: money(row.amount_minor, row.currency),
  telegramChargeId: row.telegram_payment_charge_id,
});

/**
 * Payments of bookings: invoices through the tenant's provider, the pre-checkout check, settling a
 * reported payment (in time, late, or for a booking that is gone), refunds on cancel, and the
 * reconcile of payments nobody reported. Every settle is conditional on the payment's state, so a
 * repeated report has no second effect.
 */
export function createPaymentService(deps: { db: Database; booking: BookingService; providers: ProviderResolver; notifier?: OwnerNotifier; logger: Logger; now: () => number }) {
  const { db, booking, logger } = deps;

  async function provider(tenantId: string, kind: PaymentProviderKind): Promise<PaymentProvider | undefined> {
    return (await deps.providers.forTenant(tenantId))?.get(kind);
  }

  /** Gives the money back through the provider, or tells the owners to do it by hand. */
  async function refund(row: PaymentRow, amount: Money): Promise<'refunded' | 'manual'> {
    const p = await provider(row.tenant_id, row.provider);
    if (p?.refund) {
      const outcome = await p.refund(reference(row), amount);
      if (outcome.ok) {
        await asPlatform(db, (tx) => markPaymentRefunded(tx, { id: row.id, refundedMinor: amount.amountMinor }));
        logger.info({ event: 'payment_refunded', tenant_id: row.tenant_id, booking_id: row.booking_id, payment_id: row.id, amount_minor: amount.amountMinor });
        return 'refunded';
      }
      logger.warn({ event: 'payment_refund_refused', tenant_id: row.tenant_id, booking_id: row.booking_id, payment_id: row.id, reason: outcome.reason, detail: outcome.message });
    }
    await deps.notifier?.record({ tenantId: row.tenant_id, kind: 'refund_needed', bookingId: row.booking_id, detail: { paymentId: row.id, amountMinor: amount.amountMinor } });
    return 'manual';
  }

  /** A payment is in: confirm its booking if the time can still be had, else refund. */
  async function settle(row: PaymentRow, correlationId?: string): Promise<SettleOutcome> {
    const actor: Actor = { ...SYSTEM, ...(correlationId ? { correlationId } : {}) };
    for (let attempt = 0; attempt < 4; attempt++) {
      const current = await booking.get(row.tenant_id, row.booking_id, actor);
      if (!current) return { kind: 'unknown_invoice' };
      switch (current.status) {
        case 'held':
          await booking.requestPayment(row.tenant_id, row.booking_id, actor);
          continue;
        case 'pending_payment': {
          const changed = await booking.paymentSucceeded(row.tenant_id, row.booking_id, actor);
          if (changed.kind === 'changed') return { kind: 'confirmed', booking: changed.booking };
          continue; // it expired or was cancelled at this very moment: look again
        }
        case 'expired': {
          const late = await booking.confirmLatePayment(row.tenant_id, row.booking_id, actor);
          if (late.kind === 'changed') return { kind: 'late_confirmed', booking: late.booking };
          if (late.kind !== 'taken') continue;
          const amount = money(row.amount_minor, row.currency);
          return { kind: (await refund(row, amount)) === 'refunded' ? 'refunded' : 'refund_manual', amount, bookingId: row.booking_id };
        }
        case 'cancelled':
        case 'no_show': {
          const amount = money(row.amount_minor, row.currency);
          return { kind: (await refund(row, amount)) === 'refunded' ? 'refunded' : 'refund_manual', amount, bookingId: row.booking_id };
        }
        default:
          return { kind: 'already_confirmed', bookingId: row.booking_id };
      }
    }
    throw new Error(`booking ${row.booking_id} kept changing while its payment was settled`);
  }

  return {
    /**
     * Asks for the payment a held booking needs: records it, sends the invoice (or, without online
     * payments, confirms with payment at the venue) and moves the booking to pending payment.
     */
    async start(p: { tenantId: string; booking: BookingView; amount: Money; purpose: 'deposit' | 'prepayment'; chatId: number; text: InvoiceText; actor: Actor }): Promise<StartPaymentResult> {
      const providers = await deps.providers.forTenant(p.tenantId);
      if (!providers) return { kind: 'no_bot' };
      const kind = chooseProviderKind(p.amount.currency, providers.hasProviderToken);
      const existing = (await asPlatform(db, (tx) => paymentsOfBooking(tx, p.booking.id))).find(
        (x) => x.status === 'pending' && x.provider === kind && x.amount_minor === p.amount.amountMinor,
      );
      const paymentId = existing?.id ?? crypto.randomUUID();
      if (!existing) {
        await asPlatform(db, (tx) =>
          insertPayment(tx, { id: paymentId, tenantId: p.tenantId, bookingId: p.booking.id, provider: kind, purpose: p.purpose, amountMinor: p.amount.amountMinor, currency: p.amount.currency, invoicePayload: paymentId }),
        );
      }
      if (kind === 'venue') {
        const confirmed = p.booking.status === 'held' ? await booking.confirmPayAtVenue(p.tenantId, p.booking.id, p.actor) : undefined;
        if (confirmed && confirmed.kind !== 'changed') return { kind: 'refused', status: confirmed.kind };
        return { kind: 'at_venue', paymentId };
      }
      if (p.booking.status === 'held') {
        const requested = await booking.requestPayment(p.tenantId, p.booking.id, p.actor);
        if (requested.kind !== 'changed') return { kind: 'refused', status: requested.kind };
      }
      await providers.get(kind)!.createInvoice({
        chatId: p.chatId,
        title: p.text.title.slice(0, 32),
        description: p.text.description.slice(0, 255),
        invoicePayload: paymentId,
        amount: p.amount,
        label: p.text.label,
      });
      logger.info({ event: 'payment_invoice_sent', tenant_id: p.tenantId, booking_id: p.booking.id, payment_id: paymentId, provider: kind, amount_minor: p.amount.amountMinor });
      return { kind: 'invoice_sent', paymentId };
    },

    /** Telegram asks before charging: only while the hold is on and for the amount invoiced. */
    async preCheckout(p: { invoicePayload: string; currency: string; totalAmount: number }): Promise<PreCheckoutVerdict> {
      const row = await asPlatform(db, (tx) => paymentByPayload(tx, p.invoicePayload));
      if (!row || row.status !== 'pending') return { ok: false, reason: 'hold_gone' };
      const holding = (row.booking_status === 'held' || row.booking_status === 'pending_payment') && (row.hold_expires_at?.getTime() ?? 0) > deps.now();
      if (!holding) return { ok: false, reason: 'hold_gone' };
      if (row.currency !== p.currency || row.amount_minor !== p.totalAmount) return { ok: false, reason: 'amount_changed' };
      return { ok: true };
    },

    /** A successful_payment arrived: record the charge once, then confirm or refund. */
    async paymentSucceeded(p: { invoicePayload: string; currency: string; totalAmount: number; telegramChargeId: string; providerChargeId?: string; correlationId?: string }): Promise<SettleOutcome> {
      const row = await asPlatform(db, (tx) => paymentByPayload(tx, p.invoicePayload));
      if (!row) {
        logger.error({ event: 'payment_unknown_invoice', correlation_id: p.correlationId, amount_minor: p.totalAmount, currency: p.currency });
        return { kind: 'unknown_invoice' };
      }
      if (row.currency !== p.currency || row.amount_minor !== p.totalAmount) {
        logger.error({ event: 'payment_amount_mismatch', tenant_id: row.tenant_id, booking_id: row.booking_id, payment_id: row.id, amount_minor: p.totalAmount, expected_minor: row.amount_minor });
      }
      const marked = await asPlatform(db, (tx) => markPaymentSucceeded(tx, { id: row.id, telegramChargeId: p.telegramChargeId, providerChargeId: p.providerChargeId ?? null }));
      if (!marked) return { kind: 'duplicate' };
      logger.info({ event: 'payment_succeeded', tenant_id: row.tenant_id, booking_id: row.booking_id, payment_id: row.id, correlation_id: p.correlationId });
      return settle({ ...row, status: 'succeeded', telegram_payment_charge_id: p.telegramChargeId }, p.correlationId);
    },

    /**
     * A payment nobody reported: ask the provider. Paid: settle as if reported. Still open while
     * the hold is on: look again at expiry. Unpaid after the hold: failed, and the owners hear of it.
     */
    async reconcile(paymentId: string, correlationId?: string): Promise<{ outcome: string; settled?: SettleOutcome; retryAfterMs?: number }> {
      const row = await asPlatform(db, (tx) => paymentById(tx, paymentId));
      if (!row) return { outcome: 'payment_gone' };
      if (row.status !== 'pending') return { outcome: `settled_before:${row.status}` };
      const p = await provider(row.tenant_id, row.provider);
      const verified = p ? await p.verifyPayment(reference(row)) : { state: 'pending' as const };
      if (verified.state === 'succeeded' && (await asPlatform(db, (tx) => markPaymentSucceeded(tx, { id: row.id, telegramChargeId: verified.telegramChargeId ?? null, providerChargeId: null })))) {
        const settled = await settle({ ...row, status: 'succeeded', telegram_payment_charge_id: verified.telegramChargeId ?? null }, correlationId);
        return { outcome: `paid:${settled.kind}`, settled };
      }
      const holdLeft = (row.hold_expires_at?.getTime() ?? 0) - deps.now();
      if ((row.booking_status === 'held' || row.booking_status === 'pending_payment') && holdLeft > 0) return { outcome: 'still_open', retryAfterMs: holdLeft };
      if (await asPlatform(db, (tx) => markPaymentFailed(tx, { id: row.id, reason: 'not paid before the hold ran out' }))) {
        await deps.notifier?.record({ tenantId: row.tenant_id, kind: 'payment_failed', bookingId: row.booking_id });
      }
      return { outcome: 'failed' };
    },

    /** After a cancel: what was paid, minus the fee, goes back (or the owners are told to). */
    async refundAfterCancel(tenantId: string, bookingId: string, fee: Money): Promise<{ refunded: Money | null; manual: Money | null }> {
      const paid = (await asPlatform(db, (tx) => paymentsOfBooking(tx, bookingId))).filter((x) => x.status === 'succeeded' && x.provider !== 'venue');
      const back = { refunded: null as Money | null, manual: null as Money | null };
      let feeLeft = fee.amountMinor;
      for (const row of paid) {
        const available = money(row.amount_minor - row.refunded_minor, row.currency);
        const plan = refundOnCancel(available, money(feeLeft, fee.currency));
        feeLeft = Math.max(0, feeLeft - available.amountMinor);
        if (plan.kind === 'none') continue;
        const how = await refund(row, plan.amount);
        back[how] = back[how] ? add(back[how], plan.amount) : plan.amount;
      }
      if (back.refunded || back.manual) {
        logger.info({ event: 'booking_cancel_refund', tenant_id: tenantId, booking_id: bookingId, refunded_minor: back.refunded?.amountMinor ?? 0, manual_minor: back.manual?.amountMinor ?? 0 });
      }
      return back;
    },
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
