import { z } from 'zod';
import type { Queryable } from '../port.ts';

export const paymentRowSchema = z.object({
  id: z.string(),
  tenant_id: z.string(),
  booking_id: z.string(),
  provider: z.enum(['telegram', 'telegram_stars', 'venue']),
  purpose: z.enum(['deposit', 'prepayment', 'late_cancel_fee']),
  status: z.enum(['pending', 'succeeded', 'failed', 'refunded', 'mismatched']),
  amount_minor: z.coerce.number(),
  refunded_minor: z.coerce.number(),
  currency: z.string(),
  charged_minor: z.coerce.number().nullable(),
  charged_currency: z.string().nullable(),
  invoice_payload: z.string(),
  telegram_payment_charge_id: z.string().nullable(),
  provider_payment_charge_id: z.string().nullable(),
  failure_reason: z.string().nullable(),
  /** Null: a client without Telegram (booked by phone or in person), who is never messaged. */
  client_telegram_id: z.coerce.number().nullable(),
  booking_status: z.string(),
  hold_expires_at: z.coerce.date().nullable(),
});
export type PaymentRow = z.infer<typeof paymentRowSchema>;

const SELECT = `select p.id, p.tenant_id, p.booking_id, p.provider, p.purpose, p.status, p.amount_minor, p.refunded_minor, p.currency, p.charged_minor, p.charged_currency,
  p.invoice_payload, p.telegram_payment_charge_id, p.provider_payment_charge_id, p.failure_reason,
  c.telegram_user_id as client_telegram_id, b.status as booking_status, b.hold_expires_at
  from public.payments p join public.bookings b on b.id = p.booking_id join public.clients c on c.id = b.client_id`;

const parse = (rows: Record<string, unknown>[]) => rows.map((r) => paymentRowSchema.parse(r));

export async function insertPayment(
  q: Queryable,
  p: {
    id: string;
    tenantId: string;
    bookingId: string;
    provider: string;
    purpose: string;
    amountMinor: number;
    currency: string;
    invoicePayload: string;
  },
): Promise<void> {
  await q.query(
    `insert into public.payments (id, tenant_id, booking_id, provider, purpose, amount_minor, currency, invoice_payload)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      p.id,
      p.tenantId,
      p.bookingId,
      p.provider,
      p.purpose,
      p.amountMinor,
      p.currency,
      p.invoicePayload,
    ],
  );
}

/** Whose invoice a payload is, as seen from one tenant's bot and one Telegram user. */
export type InvoiceMatch =
  | { kind: 'found'; row: PaymentRow }
  | { kind: 'mismatch'; mismatch: 'tenant' | 'client' }
  | { kind: 'unknown' };

/**
 * The payment of `invoicePayload` only if it belongs to `tenantId` and was invoiced to the client
 * with Telegram id `telegramUserId`. Otherwise only which of the two differs (or that no such
 * invoice exists): another tenant's or client's row never leaves this function.
 */
export async function paymentOfInvoice(
  q: Queryable,
  p: { invoicePayload: string; tenantId: string; telegramUserId: number },
): Promise<InvoiceMatch> {
  const [own] = parse(
    await q.query(
      `${SELECT} where p.invoice_payload = $1 and p.tenant_id = $2 and c.telegram_user_id = $3`,
      [p.invoicePayload, p.tenantId, p.telegramUserId],
    ),
  );
  if (own) return { kind: 'found', row: own };
  const [foreign] = await q.query<{ same_tenant: boolean }>(
    'select p.tenant_id = $2 as same_tenant from public.payments p where p.invoice_payload = $1',
    [p.invoicePayload, p.tenantId],
  );
  if (!foreign) return { kind: 'unknown' };
  return { kind: 'mismatch', mismatch: foreign.same_tenant ? 'client' : 'tenant' };
}

export async function paymentById(
  q: Queryable,
  id: string,
  lock = false,
): Promise<PaymentRow | undefined> {
  return parse(
    await q.query(`${SELECT} where p.id = $1${lock ? ' for update of p' : ''}`, [id]),
  )[0];
}

export async function paymentsOfBooking(q: Queryable, bookingId: string): Promise<PaymentRow[]> {
  return parse(
    await q.query(`${SELECT} where p.booking_id = $1 order by p.created_at`, [bookingId]),
  );
}

/** pending or failed → succeeded with the charge ids; false when it was already settled (a duplicate). */
export async function markPaymentSucceeded(
  q: Queryable,
  p: { id: string; telegramChargeId: string | null; providerChargeId: string | null },
): Promise<boolean> {
  const rows = await q.query(
    `update public.payments set status = 'succeeded', failure_reason = null,
       telegram_payment_charge_id = coalesce($2, telegram_payment_charge_id),
       provider_payment_charge_id = coalesce($3, provider_payment_charge_id)
     where id = $1 and status in ('pending', 'failed') returning id`,
    [p.id, p.telegramChargeId, p.providerChargeId],
  );
  return rows.length === 1;
}

export async function markPaymentFailed(
  q: Queryable,
  p: { id: string; reason: string },
): Promise<boolean> {
  const rows = await q.query(
    "update public.payments set status = 'failed', failure_reason = left($2, 500) where id = $1 and status = 'pending' returning id",
    [p.id, p.reason],
  );
  return rows.length === 1;
}

/**
 * pending or failed → mismatched: a charge whose amount or currency is not the invoice's, kept with
 * its ids and what was charged; false when the payment was settled already.
 */
export async function markPaymentMismatched(
  q: Queryable,
  p: {
    id: string;
    telegramChargeId: string;
    providerChargeId: string | null;
    chargedMinor: number;
    chargedCurrency: string;
  },
): Promise<boolean> {
  const rows = await q.query(
    `update public.payments set status = 'mismatched', failure_reason = 'the charge differs from the invoice',
       telegram_payment_charge_id = $2, provider_payment_charge_id = coalesce($3, provider_payment_charge_id),
       charged_minor = $4, charged_currency = left($5, 32)
     where id = $1 and status in ('pending', 'failed') returning id`,
    [p.id, p.telegramChargeId, p.providerChargeId, p.chargedMinor, p.chargedCurrency],
  );
  return rows.length === 1;
}

/**
 * Records a refund; everything charged back (the invoice's amount, or a mismatched charge) makes the
 * payment `refunded`.
 */
export async function markPaymentRefunded(
  q: Queryable,
  p: { id: string; refundedMinor: number },
): Promise<boolean> {
  const rows = await q.query(
    `update public.payments set refunded_minor = refunded_minor + $2,
       status = case when refunded_minor + $2 >= coalesce(charged_minor, amount_minor) then 'refunded' else status end
     where id = $1 and status in ('succeeded', 'mismatched') and refunded_minor + $2 <= coalesce(charged_minor, amount_minor) returning id`,
    [p.id, p.refundedMinor],
  );
  return rows.length === 1;
}

/** The encrypted payment provider token of a bot, if the owner connected one. */
export async function botPaymentToken(q: Queryable, botId: string): Promise<string | undefined> {
  const [row] = await q.query<{ payment_token_ciphertext: string | null }>(
    'select payment_token_ciphertext from public.tenant_bots where id = $1',
    [botId],
  );
  return row?.payment_token_ciphertext ?? undefined;
}

/**
 * Late confirmation under the booking locks: 'confirmed', 'taken', the SQLSTATE of the booking
 * check's refusal (db/booking-errors.ts: bookingRefusalOf), or the status it was in.
 */
export async function confirmLatePayment(
  q: Queryable,
  tenantId: string,
  bookingId: string,
): Promise<string> {
  const [row] = await q.query<{ outcome: string }>(
    'select public.confirm_late_payment($1, $2) as outcome',
    [tenantId, bookingId],
  );
  return row!.outcome;
}
