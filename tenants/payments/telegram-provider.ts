import { GrammyError, type Api } from 'grammy';
import type { Money } from '../money/money.ts';
import type {
  CreatedInvoice,
  InvoiceRequest,
  PaymentProvider,
  PaymentReference,
  RefundOutcome,
  VerifiedPayment,
} from './provider.ts';

/**
 * Telegram Payments with a provider token (cards through the provider BotFather connected). The
 * Bot API has no call to look a payment up or to refund it: the successful_payment update is the
 * only proof, and refunds happen in the provider's dashboard (the owner is told to do it).
 */
export function telegramCardProvider(api: Api, providerToken: string): PaymentProvider {
  return {
    kind: 'telegram',
    async createInvoice(request: InvoiceRequest): Promise<CreatedInvoice> {
      await api.sendInvoice(
        request.chatId,
        request.title,
        request.description,
        request.invoicePayload,
        request.amount.currency,
        [{ label: request.label, amount: request.amount.amountMinor }],
        {
          provider_token: providerToken,
        },
      );
      return { kind: 'sent' };
    },
    async verifyPayment(payment: PaymentReference): Promise<VerifiedPayment> {
      return payment.telegramChargeId
        ? { state: 'succeeded', telegramChargeId: payment.telegramChargeId }
        : { state: 'pending' };
    },
  };
}

/** How far back a reconcile looks in the bot's Star transactions. */
const STAR_PAGES = 5;
const STAR_PAGE = 100;

/**
 * Telegram Stars (currency XTR, no provider token). Payments can be looked up in the bot's Star
 * transactions (an incoming one from the user carries our invoice payload) and refunded in full
 * with refundStarPayment; Telegram offers no partial Star refunds.
 */
export function telegramStarsProvider(api: Api): PaymentProvider {
  return {
    kind: 'telegram_stars',
    async createInvoice(request: InvoiceRequest): Promise<CreatedInvoice> {
      await api.sendInvoice(
        request.chatId,
        request.title,
        request.description,
        request.invoicePayload,
        'XTR',
        [{ label: request.label, amount: request.amount.amountMinor }],
      );
      return { kind: 'sent' };
    },
    async verifyPayment(payment: PaymentReference): Promise<VerifiedPayment> {
      let paidId: string | undefined;
      let paidAmount: number | undefined;
      let refunded = false;
      for (let page = 0; page < STAR_PAGES; page++) {
        const { transactions } = await api.getStarTransactions({
          offset: page * STAR_PAGE,
          limit: STAR_PAGE,
        });
        for (const t of transactions) {
          const source = t.source;
          if (
            source?.type === 'user' &&
            source.user.id === payment.telegramUserId &&
            source.invoice_payload === payment.invoicePayload
          ) {
            paidId = t.id;
            paidAmount = t.amount;
          }
          if (
            t.receiver?.type === 'user' &&
            t.receiver.user.id === payment.telegramUserId &&
            (t.id === payment.telegramChargeId || (paidId && t.id === paidId))
          )
            refunded = true;
        }
        if (transactions.length < STAR_PAGE) break;
      }
      if (!paidId && payment.telegramChargeId) paidId = payment.telegramChargeId;
      if (!paidId) return { state: 'pending' };
      return {
        state: refunded ? 'refunded' : 'succeeded',
        telegramChargeId: paidId,
        ...(paidAmount !== undefined
          ? { charged: { amountMinor: paidAmount, currency: 'XTR' } }
          : {}),
      };
    },
    async refund(payment: PaymentReference, amount: Money): Promise<RefundOutcome> {
      if (!payment.telegramChargeId || payment.telegramUserId === null)
        return {
          ok: false,
          reason: 'provider_refused',
          message: 'no Telegram charge id recorded for this payment',
        };
      if (amount.amountMinor !== payment.amount.amountMinor)
        return {
          ok: false,
          reason: 'partial_unsupported',
          message: 'Telegram Stars refunds are whole payments only',
        };
      try {
        await api.refundStarPayment(payment.telegramUserId, payment.telegramChargeId);
        return { ok: true };
      } catch (error) {
        // Refunded by an earlier attempt that died before recording it: the money is back.
        if (error instanceof GrammyError && /CHARGE_ALREADY_REFUNDED/.test(error.description))
          return { ok: true };
        return {
          ok: false,
          reason: 'provider_refused',
          message: error instanceof Error ? error.message : String(error),
        };
      }
    },
  };
}

/** Pay at the venue: no invoice in the chat; staff record the payment on the day. */
export function venueProvider(): PaymentProvider {
  return {
    kind: 'venue',
    async createInvoice(): Promise<CreatedInvoice> {
      return { kind: 'at_venue' };
    },
    async verifyPayment(): Promise<VerifiedPayment> {
      return { state: 'pending' };
    },
  };
}
