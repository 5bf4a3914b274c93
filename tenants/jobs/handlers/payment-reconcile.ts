import { z } from 'zod';
import type { Database } from '../../../db/port.ts';
import { asPlatform } from '../../../db/scope.ts';
import { onceByKey } from '../../../db/queries/jobs.ts';
import { loadBookingNotice } from '../../../db/queries/notices.ts';
import type { Messenger } from '../../bots/messenger.ts';
import { paymentOutcomeText } from '../../bots/views/payment-outcome.ts';
import type { PaymentService } from '../../payments/payment-service.ts';
import type { JobHandler } from '../types.ts';
import { done, parsePayload } from './common.ts';

/**
 * Asks the provider about a payment nobody reported. A success found late confirms the booking if
 * its time is free, else refunds; the client is told either way, once.
 */
export function paymentReconcileHandler(deps: { db: Database; payments: PaymentService; messenger: Messenger }): JobHandler {
  return async (delivery) => {
    const parsed = parsePayload(z.object({ paymentId: z.uuid() }), delivery.payload);
    if (!parsed.ok) return parsed.result;
    const result = await deps.payments.reconcile(parsed.value.paymentId, delivery.correlationId);
    if (result.retryAfterMs !== undefined) return { status: 'retry', reason: result.outcome, afterMs: result.retryAfterMs + 1_000 };
    const settled = result.settled;
    if (!settled || !('booking' in settled || 'bookingId' in settled)) return done(result.outcome);
    const bookingId = 'booking' in settled ? settled.booking.id : settled.bookingId;
    const notice = await asPlatform(deps.db, (tx) => loadBookingNotice(tx, bookingId));
    if (!notice) return done(result.outcome);
    const text = await paymentOutcomeText({ db: deps.db, lang: notice.client_language }, settled);
    const sender = text ? await deps.messenger.open(notice.tenant_id) : undefined;
    if (text && sender) {
      await asPlatform(deps.db, (tx) =>
        onceByKey(tx, { key: `payment_outcome_notice:${parsed.value.paymentId}`, tenantId: notice.tenant_id }, async () => ({ delivery: await sender.send({ chatId: notice.client_telegram_id, text }) })),
      );
    }
    return done(result.outcome);
  };
}
