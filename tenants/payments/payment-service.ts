import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import {
  insertPayment,
  markPaymentFailed,
  markPaymentMismatched,
  markPaymentRefunded,
  markPaymentSucceeded,
  paymentById,
  paymentOfInvoice,
  paymentsOfBooking,
  type PaymentRow,
} from '../../db/queries/payments.ts';
import type { Actor, BookingService } from '../booking/booking-service.ts';
import type { PaymentRequirement } from '../booking/policies.ts';
import type { BookingView } from '../booking/results.ts';
import { add, money, type Money } from '../money/money.ts';
import type { OwnerNotifier } from '../notify/owner-notifier.ts';
import type { Logger } from '../observability/logger.ts';
import { paymentPlan, type PaymentPlan, type PaymentPurpose } from './payment-plan.ts';
import {
  chooseProviderKind,
  type PaymentProvider,
  type PaymentProviderKind,
  type PaymentReference,
  type VerifiedPayment,
} from './provider.ts';
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

export type StartPaymentResult =
  | { kind: 'invoice_sent'; paymentId: string; plan: Extract<PaymentPlan, { kind: 'online' }> }
  | { kind: 'at_venue'; plan: Extract<PaymentPlan, { kind: 'at_venue' }> }
  | { kind: 'no_bot' }
  | { kind: 'refused'; status: string };

/** A charge as Telegram reported it: not necessarily a valid Money (that is what gets checked). */
export interface ReportedCharge {
  amountMinor: number;
  currency: string;
}

/** What a reported payment led to. */
export type SettleOutcome =
  | { kind: 'confirmed'; booking: BookingView }
  | { kind: 'late_confirmed'; booking: BookingView }
  | { kind: 'refunded'; amount: Money; bookingId: string }
  | { kind: 'refund_manual'; amount: Money; bookingId: string }
  /** Amount or currency not the invoice's: not accepted, the charge goes back. */
  | {
      kind: 'mismatch_refunded' | 'mismatch_refund_manual';
      charged: ReportedCharge;
      expected: Money;
      bookingId: string;
    }
  /** A charge for no invoice of this tenant and chat (another tenant's or client's, unknown, or a second charge). */
  | { kind: 'unmatched_refunded' | 'unmatched_refund_manual'; charged: ReportedCharge }
  | { kind: 'already_confirmed'; bookingId: string }
  | { kind: 'duplicate' }
  | { kind: 'unknown_invoice' };

export type PreCheckoutVerdict =
  { ok: true } | { ok: false; reason: 'hold_gone' | 'amount_changed' | 'not_valid_here' };

/** Why a charge could not be matched to an invoice of the tenant and chat that received it. */
type Unmatched = 'tenant' | 'client' | 'chat' | 'unknown' | 'settled_before';

/** A successful_payment as received by one tenant's bot in one chat. */
export interface ReportedPayment {
  tenantId: string;
  telegramUserId: number;
  chatId: number;
  invoicePayload: string;
  currency: string;
  totalAmount: number;
  telegramChargeId: string;
  providerChargeId?: string;
  correlationId?: string;
}

const SYSTEM: Actor = { kind: 'system' };
const asMoney = (amountMinor: number, currency: string): Money | undefined => {
  try {
    return money(amountMinor, currency);
  } catch {
    return undefined;
  }
};
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
export function createPaymentService(deps: {
  db: Database;
  booking: BookingService;
  providers: ProviderResolver;
  notifier?: OwnerNotifier;
  logger: Logger;
  now: () => number;
}) {
  const { db, booking, logger } = deps;

  async function provider(
    tenantId: string,
    kind: PaymentProviderKind,
  ): Promise<PaymentProvider | undefined> {
    return (await deps.providers.forTenant(tenantId))?.get(kind);
  }

  /** Gives `amount` of a charge back through the provider; 'manual' where it cannot (cards) or refused. */
  async function refundThroughProvider(
    row: PaymentRow,
    amount: Money,
    charge: PaymentReference = reference(row),
  ): Promise<'refunded' | 'manual'> {
    const p = await provider(row.tenant_id, row.provider);
    if (!p?.refund) return 'manual';
    const outcome = await p.refund(charge, amount);
    if (outcome.ok) {
      await asPlatform(db, (tx) =>
        markPaymentRefunded(tx, { id: row.id, refundedMinor: amount.amountMinor }),
      );
      logger.info({
        event: 'payment_refunded',
        tenant_id: row.tenant_id,
        booking_id: row.booking_id,
        payment_id: row.id,
        amount_minor: amount.amountMinor,
      });
      return 'refunded';
    }
    logger.warn({
      event: 'payment_refund_refused',
      tenant_id: row.tenant_id,
      booking_id: row.booking_id,
      payment_id: row.id,
      reason: outcome.reason,
      detail: outcome.message,
    });
    return 'manual';
  }

  /** Gives the money back through the provider, or tells the owners to do it by hand. */
  async function refund(row: PaymentRow, amount: Money): Promise<'refunded' | 'manual'> {
    const how = await refundThroughProvider(row, amount);
    if (how === 'manual') {
      await deps.notifier?.record({
        tenantId: row.tenant_id,
        kind: 'refund_needed',
        bookingId: row.booking_id,
        detail: { paymentId: row.id, amountMinor: amount.amountMinor },
        dedupeKey: `refund_needed:${row.id}:${amount.amountMinor}`,
      });
    }
    return how;
  }

  /**
   * A charge in the invoice's payment whose amount or currency is not the invoice's: never
   * accepted. The payment keeps it as `mismatched`, the whole charge goes back (Stars through
   * Telegram, otherwise by the owners), and the owners hear of it. The booking stays unconfirmed
   * and its hold runs out as an unpaid one would.
   */
  async function mismatched(row: PaymentRow, p: ReportedPayment): Promise<SettleOutcome> {
    const charge = {
      telegramChargeId: p.telegramChargeId,
      providerChargeId: p.providerChargeId ?? null,
      chargedMinor: p.totalAmount,
      chargedCurrency: p.currency,
    };
    if (!(await asPlatform(db, (tx) => markPaymentMismatched(tx, { id: row.id, ...charge }))))
      return { kind: 'duplicate' };
    logger.error({
      event: 'payment_amount_mismatch',
      tenant_id: row.tenant_id,
      booking_id: row.booking_id,
      payment_id: row.id,
      amount_minor: p.totalAmount,
      currency: p.currency,
      expected_minor: row.amount_minor,
      expected_currency: row.currency,
      telegram_charge_id: p.telegramChargeId,
      provider_charge_id: p.providerChargeId,
      correlation_id: p.correlationId,
    });
    return returnMismatched({ ...row, status: 'mismatched' }, p);
  }

  /**
   * The rest of a mismatch once it is recorded: the charge back and the owners told. Run again
   * when the same charge is reported again (the first delivery may have died after recording it):
   * a Stars refund made before is not made twice, and the notice is recorded once.
   */
  async function returnMismatched(row: PaymentRow, p: ReportedPayment): Promise<SettleOutcome> {
    const charged = asMoney(p.totalAmount, p.currency);
    const how =
      row.status === 'refunded'
        ? 'refunded'
        : charged
          ? await refundThroughProvider(row, charged, {
              ...reference(row),
              amount: charged,
              telegramChargeId: p.telegramChargeId,
            })
          : 'manual';
    await deps.notifier?.record({
      tenantId: row.tenant_id,
      kind: 'payment_mismatch',
      bookingId: row.booking_id,
      detail: {
        paymentId: row.id,
        amountMinor: p.totalAmount,
        currency: p.currency,
        expectedMinor: row.amount_minor,
        expectedCurrency: row.currency,
        refunded: how === 'refunded',
        telegramChargeId: p.telegramChargeId,
        providerChargeId: p.providerChargeId ?? null,
      },
      dedupeKey: `payment_mismatch:${row.id}`,
    });
    return {
      kind: how === 'refunded' ? 'mismatch_refunded' : 'mismatch_refund_manual',
      charged: { amountMinor: p.totalAmount, currency: p.currency },
      expected: money(row.amount_minor, row.currency),
      bookingId: row.booking_id,
    };
  }

  /**
   * A charge this tenant's bot received for no invoice of its own in this chat. Telegram has taken
   * the money for this tenant (its provider account, or its bot's Stars), so this tenant gives it
   * back: Stars at once through its bot, otherwise its owners are told to, with the charge ids.
   * Nothing of any other tenant or client is read beyond the fact that it is not theirs.
   */
  async function unmatched(
    p: ReportedPayment,
    why: Unmatched,
    bookingId?: string,
  ): Promise<SettleOutcome> {
    const charged = { amountMinor: p.totalAmount, currency: p.currency };
    const ids = {
      telegram_charge_id: p.telegramChargeId,
      provider_charge_id: p.providerChargeId,
      amount_minor: p.totalAmount,
      currency: p.currency,
    };
    logger.error({
      event: 'payment_charge_unmatched',
      tenant_id: p.tenantId,
      user_id: p.telegramUserId,
      mismatch: why,
      ...ids,
      correlation_id: p.correlationId,
    });
    const stars = p.currency === 'XTR' ? asMoney(p.totalAmount, 'XTR') : undefined;
    if (stars) {
      const refunder = (await provider(p.tenantId, 'telegram_stars'))?.refund;
      const outcome = refunder
        ? await refunder(
            {
              invoicePayload: p.invoicePayload,
              telegramUserId: p.telegramUserId,
              amount: stars,
              telegramChargeId: p.telegramChargeId,
            },
            stars,
          )
        : undefined;
      if (outcome?.ok) {
        logger.info({ event: 'payment_unmatched_refunded', tenant_id: p.tenantId, ...ids });
        return { kind: 'unmatched_refunded', charged };
      }
      if (outcome)
        logger.warn({
          event: 'payment_refund_refused',
          tenant_id: p.tenantId,
          reason: outcome.reason,
          detail: outcome.message,
          ...ids,
        });
    }
    await deps.notifier?.record({
      tenantId: p.tenantId,
      kind: 'payment_unmatched',
      ...(bookingId ? { bookingId } : {}),
      detail: {
        telegramChargeId: p.telegramChargeId,
        providerChargeId: p.providerChargeId ?? null,
        amountMinor: p.totalAmount,
        currency: p.currency,
        mismatch: why,
      },
      dedupeKey: `payment_unmatched:${p.telegramChargeId}`,
    });
    return { kind: 'unmatched_refund_manual', charged };
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
          return {
            kind: (await refund(row, amount)) === 'refunded' ? 'refunded' : 'refund_manual',
            amount,
            bookingId: row.booking_id,
          };
        }
        case 'cancelled':
        case 'no_show': {
          const amount = money(row.amount_minor, row.currency);
          return {
            kind: (await refund(row, amount)) === 'refunded' ? 'refunded' : 'refund_manual',
            amount,
            bookingId: row.booking_id,
          };
        }
        default:
          return { kind: 'already_confirmed', bookingId: row.booking_id };
      }
    }
    throw new Error(`booking ${row.booking_id} kept changing while its payment was settled`);
  }

  return {
    /**
     * Asks for the payment a held booking needs, as the payment plan says: online, records it,
     * sends the invoice and moves the booking to pending payment; without online payments, takes
     * nothing ahead and confirms the booking with the whole price due at the venue.
     */
    async start(p: {
      tenantId: string;
      booking: BookingView;
      requirement: Extract<PaymentRequirement, { required: true }>;
      chatId: number;
      text: (purpose: PaymentPurpose) => InvoiceText;
      actor: Actor;
    }): Promise<StartPaymentResult> {
      const providers = await deps.providers.forTenant(p.tenantId);
      if (!providers) return { kind: 'no_bot' };
      const plan = paymentPlan(
        p.requirement,
        p.booking.total,
        chooseProviderKind(p.booking.total.currency, providers.hasProviderToken),
      );
      if (plan.kind === 'none') return { kind: 'refused', status: 'nothing_to_pay' };
      if (plan.kind === 'at_venue') {
        const confirmed =
          p.booking.status === 'held'
            ? await booking.confirmPayAtVenue(p.tenantId, p.booking.id, p.actor)
            : undefined;
        if (confirmed && confirmed.kind !== 'changed')
          return { kind: 'refused', status: confirmed.kind };
        logger.info({
          event: 'payment_at_venue',
          tenant_id: p.tenantId,
          booking_id: p.booking.id,
          waived: plan.waived,
          amount_minor: plan.dueAtVenue.amountMinor,
        });
        return { kind: 'at_venue', plan };
      }
      const existing = (await asPlatform(db, (tx) => paymentsOfBooking(tx, p.booking.id))).find(
        (x) =>
          x.status === 'pending' &&
          x.provider === plan.provider &&
          x.amount_minor === plan.amount.amountMinor,
      );
      const paymentId = existing?.id ?? crypto.randomUUID();
      if (!existing) {
        await asPlatform(db, (tx) =>
          insertPayment(tx, {
            id: paymentId,
            tenantId: p.tenantId,
            bookingId: p.booking.id,
            provider: plan.provider,
            purpose: plan.purpose,
            amountMinor: plan.amount.amountMinor,
            currency: plan.amount.currency,
            invoicePayload: paymentId,
          }),
        );
      }
      if (p.booking.status === 'held') {
        const requested = await booking.requestPayment(p.tenantId, p.booking.id, p.actor);
        if (requested.kind !== 'changed') return { kind: 'refused', status: requested.kind };
      }
      const text = p.text(plan.purpose);
      await providers.get(plan.provider)!.createInvoice({
        chatId: p.chatId,
        title: text.title.slice(0, 32),
        description: text.description.slice(0, 255),
        invoicePayload: paymentId,
        amount: plan.amount,
        label: text.label,
      });
      logger.info({
        event: 'payment_invoice_sent',
        tenant_id: p.tenantId,
        booking_id: p.booking.id,
        payment_id: paymentId,
        provider: plan.provider,
        amount_minor: plan.amount.amountMinor,
      });
      return { kind: 'invoice_sent', paymentId, plan };
    },

    /**
     * Telegram asks before charging: yes only for an invoice of this tenant sent to this user,
     * while its hold is on, for the amount invoiced.
     */
    async preCheckout(p: {
      tenantId: string;
      telegramUserId: number;
      invoicePayload: string;
      currency: string;
      totalAmount: number;
    }): Promise<PreCheckoutVerdict> {
      const match = await asPlatform(db, (tx) => paymentOfInvoice(tx, p));
      if (match.kind !== 'found') {
        logger.warn({
          event: match.kind === 'unknown' ? 'payment_invoice_unknown' : 'payment_invoice_foreign',
          stage: 'pre_checkout',
          tenant_id: p.tenantId,
          user_id: p.telegramUserId,
          ...(match.kind === 'mismatch' ? { mismatch: match.mismatch } : {}),
        });
        return { ok: false, reason: 'not_valid_here' };
      }
      const row = match.row;
      if (row.status !== 'pending') return { ok: false, reason: 'hold_gone' };
      const holding =
        (row.booking_status === 'held' || row.booking_status === 'pending_payment') &&
        (row.hold_expires_at?.getTime() ?? 0) > deps.now();
      if (!holding) return { ok: false, reason: 'hold_gone' };
      if (row.currency !== p.currency || row.amount_minor !== p.totalAmount)
        return { ok: false, reason: 'amount_changed' };
      return { ok: true };
    },

    /**
     * A successful_payment arrived in a tenant's bot: applied only to that tenant's invoice sent to
     * that chat, and only for the invoiced amount and currency (else refused as above). The charge
     * is recorded once, then the booking is confirmed or the money refunded.
     */
    async paymentSucceeded(p: ReportedPayment): Promise<SettleOutcome> {
      // Our invoices go to the client's private chat, whose id is the client's Telegram id.
      if (p.chatId !== p.telegramUserId) return unmatched(p, 'chat');
      const match = await asPlatform(db, (tx) => paymentOfInvoice(tx, p));
      if (match.kind !== 'found')
        return unmatched(p, match.kind === 'unknown' ? 'unknown' : match.mismatch);
      const row = match.row;
      if (row.status !== 'pending' && row.status !== 'failed') {
        // Another charge for a settled invoice is money to return.
        if (row.telegram_payment_charge_id !== p.telegramChargeId)
          return unmatched(p, 'settled_before', row.booking_id);
        // The same charge again. Telegram repeats an update only while it is not answered 200, so
        // an earlier delivery may have recorded it and died before the rest: finish that now. Each
        // step looks at the booking's state first, so nothing happens twice.
        if (row.status === 'succeeded') {
          const settled = await settle(row, p.correlationId);
          return settled.kind === 'already_confirmed' ? { kind: 'duplicate' } : settled;
        }
        if (
          row.status === 'mismatched' ||
          (row.status === 'refunded' && row.charged_minor !== null)
        )
          return returnMismatched(row, p);
        return { kind: 'duplicate' };
      }
      if (row.currency !== p.currency || row.amount_minor !== p.totalAmount)
        return mismatched(row, p);
      const marked = await asPlatform(db, (tx) =>
        markPaymentSucceeded(tx, {
          id: row.id,
          telegramChargeId: p.telegramChargeId,
          providerChargeId: p.providerChargeId ?? null,
        }),
      );
      if (!marked) return { kind: 'duplicate' };
      logger.info({
        event: 'payment_succeeded',
        tenant_id: row.tenant_id,
        booking_id: row.booking_id,
        payment_id: row.id,
        correlation_id: p.correlationId,
      });
      return settle(
        { ...row, status: 'succeeded', telegram_payment_charge_id: p.telegramChargeId },
        p.correlationId,
      );
    },

    /**
     * Settles a booking's payment that was recorded as paid but never settled (its delivery died
     * in between, and Telegram never came back): a paid hold is confirmed rather than released,
     * and one released meanwhile is confirmed late or refunded like any late payment.
     * Undefined when the booking has no such payment.
     */
    async settlePaid(
      bookingId: string,
      correlationId?: string,
    ): Promise<{ paymentId: string; settled: SettleOutcome } | undefined> {
      const paid = (await asPlatform(db, (tx) => paymentsOfBooking(tx, bookingId))).find(
        (x) => x.status === 'succeeded' && x.provider !== 'venue',
      );
      if (!paid) return undefined;
      // Only a booking still waiting for its payment (or released meanwhile by a sweep); a
      // confirmed or cancelled one was settled (and any refund decided) on its own path.
      const current = await booking.get(paid.tenant_id, bookingId, SYSTEM);
      if (!current || !['held', 'pending_payment', 'expired'].includes(current.status))
        return undefined;
      return { paymentId: paid.id, settled: await settle(paid, correlationId) };
    },

    /**
     * A payment nobody reported: ask the provider. Paid: settle as if reported. Still open while
     * the hold is on: look again at expiry. Unpaid after the hold: failed, and the owners hear of it.
     */
    async reconcile(
      paymentId: string,
      correlationId?: string,
    ): Promise<{ outcome: string; settled?: SettleOutcome; retryAfterMs?: number }> {
      const row = await asPlatform(db, (tx) => paymentById(tx, paymentId));
      if (!row) return { outcome: 'payment_gone' };
      if (row.status !== 'pending') return { outcome: `settled_before:${row.status}` };
      // A client without Telegram never had an invoice in the bot: nothing to ask a provider.
      if (row.client_telegram_id === null) return { outcome: 'no_telegram' };
      const p = await provider(row.tenant_id, row.provider);
      const verified: VerifiedPayment = p
        ? await p.verifyPayment(reference(row))
        : { state: 'pending' };
      const { charged } = verified;
      if (
        verified.state === 'succeeded' &&
        verified.telegramChargeId &&
        charged &&
        (charged.amountMinor !== row.amount_minor || charged.currency !== row.currency)
      ) {
        const who = {
          tenantId: row.tenant_id,
          telegramUserId: row.client_telegram_id,
          chatId: row.client_telegram_id,
          invoicePayload: row.invoice_payload,
        };
        const settled = await mismatched(row, {
          ...who,
          currency: charged.currency,
          totalAmount: charged.amountMinor,
          telegramChargeId: verified.telegramChargeId,
          ...(correlationId ? { correlationId } : {}),
        });
        return { outcome: `paid:${settled.kind}`, settled };
      }
      if (
        verified.state === 'succeeded' &&
        (await asPlatform(db, (tx) =>
          markPaymentSucceeded(tx, {
            id: row.id,
            telegramChargeId: verified.telegramChargeId ?? null,
            providerChargeId: null,
          }),
        ))
      ) {
        const settled = await settle(
          {
            ...row,
            status: 'succeeded',
            telegram_payment_charge_id: verified.telegramChargeId ?? null,
          },
          correlationId,
        );
        return { outcome: `paid:${settled.kind}`, settled };
      }
      const holdLeft = (row.hold_expires_at?.getTime() ?? 0) - deps.now();
      if (
        (row.booking_status === 'held' || row.booking_status === 'pending_payment') &&
        holdLeft > 0
      )
        return { outcome: 'still_open', retryAfterMs: holdLeft };
      if (
        await asPlatform(db, (tx) =>
          markPaymentFailed(tx, { id: row.id, reason: 'not paid before the hold ran out' }),
        )
      ) {
        await deps.notifier?.record({
          tenantId: row.tenant_id,
          kind: 'payment_failed',
          bookingId: row.booking_id,
        });
      }
      return { outcome: 'failed' };
    },

    /** After a cancel: what was paid, minus the fee, goes back (or the owners are told to). */
    async refundAfterCancel(
      tenantId: string,
      bookingId: string,
      fee: Money,
    ): Promise<{ refunded: Money | null; manual: Money | null }> {
      const paid = (await asPlatform(db, (tx) => paymentsOfBooking(tx, bookingId))).filter(
        (x) => x.status === 'succeeded' && x.provider !== 'venue',
      );
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
        logger.info({
          event: 'booking_cancel_refund',
          tenant_id: tenantId,
          booking_id: bookingId,
          refunded_minor: back.refunded?.amountMinor ?? 0,
          manual_minor: back.manual?.amountMinor ?? 0,
        });
      }
      return back;
    },
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
