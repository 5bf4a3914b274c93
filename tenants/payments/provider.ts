import type { Money } from '../money/money.ts';

export type PaymentProviderKind = 'telegram' | 'telegram_stars' | 'venue';
/** Internal payment states (payments.status). */
export type PaymentState = 'pending' | 'succeeded' | 'failed' | 'refunded';

export interface InvoiceRequest {
  chatId: number;
  /** 1–32 characters (Telegram's limit). */
  title: string;
  /** 1–255 characters. */
  description: string;
  /** Our payments.invoice_payload: comes back in pre_checkout_query and successful_payment. */
  invoicePayload: string;
  amount: Money;
  label: string;
}

/** sent: an invoice is in the chat; at_venue: nothing to pay online, the client pays on the day. */
export type CreatedInvoice = { kind: 'sent' } | { kind: 'at_venue' };

export interface PaymentReference {
  invoicePayload: string;
  /** Null: a client without Telegram (booked by staff), who never pays in the bot. */
  telegramUserId: number | null;
  amount: Money;
  telegramChargeId: string | null;
}

/**
 * What the provider says happened, mapped to our states; `telegramChargeId` when it found one, and
 * `charged` when it knows what was actually charged.
 */
export interface VerifiedPayment {
  state: PaymentState;
  telegramChargeId?: string;
  charged?: { amountMinor: number; currency: string };
}

export type RefundOutcome =
  | { ok: true }
  | {
      ok: false;
      reason: 'unsupported' | 'partial_unsupported' | 'provider_refused';
      message: string;
    };

/** The payment provider port. `refund` is absent where the provider cannot refund through the bot. */
export interface PaymentProvider {
  kind: PaymentProviderKind;
  createInvoice(request: InvoiceRequest): Promise<CreatedInvoice>;
  verifyPayment(payment: PaymentReference): Promise<VerifiedPayment>;
  refund?(payment: PaymentReference, amount: Money): Promise<RefundOutcome>;
}

/**
 * Which provider takes a booking's payment: prices in Telegram Stars (currency XTR) go through
 * Stars; other currencies through the bot's payment provider token when it has one; otherwise
 * the client pays at the venue.
 */
export function chooseProviderKind(
  currency: string,
  hasProviderToken: boolean,
): PaymentProviderKind {
  if (currency === 'XTR') return 'telegram_stars';
  return hasProviderToken ? 'telegram' : 'venue';
}
