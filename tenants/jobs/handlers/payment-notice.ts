import type { Database } from '../../../db/port.ts';
import { asPlatform } from '../../../db/scope.ts';
import { onceByKey } from '../../../db/queries/jobs.ts';
import { loadBookingNotice } from '../../../db/queries/notices.ts';
import type { Messenger } from '../../bots/messenger.ts';
import { paymentOutcomeText } from '../../bots/views/payment-outcome.ts';
import type { SettleOutcome } from '../../payments/payment-service.ts';

/**
 * Tells the client, once per payment, what a payment settled by a job (not by their own update)
 * led to: confirmed, confirmed late, refunded or to be refunded, in their language.
 */
export async function tellPaymentOutcome(
  deps: { db: Database; messenger: Messenger },
  paymentId: string,
  settled: SettleOutcome,
): Promise<void> {
  if (!('booking' in settled || 'bookingId' in settled)) return;
  const bookingId = 'booking' in settled ? settled.booking.id : settled.bookingId;
  const notice = await asPlatform(deps.db, (tx) => loadBookingNotice(tx, bookingId));
  // A client without Telegram has no chat to tell.
  if (!notice || notice.client_telegram_id === null) return;
  const chatId = notice.client_telegram_id;
  // The notice read just now is the one the text needs (same booking).
  const text = await paymentOutcomeText(
    { lang: notice.client_language, bookingNotice: async () => notice },
    settled,
  );
  const sender = text ? await deps.messenger.open(notice.tenant_id) : undefined;
  if (!text || !sender) return;
  await asPlatform(deps.db, (tx) =>
    onceByKey(
      tx,
      { key: `payment_outcome_notice:${paymentId}`, tenantId: notice.tenant_id },
      async () => ({ delivery: await sender.send({ chatId, text }) }),
    ),
  );
}
