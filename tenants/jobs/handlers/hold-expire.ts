import type { Database } from '../../../db/port.ts';
import { asPlatform } from '../../../db/scope.ts';
import { onceByKey } from '../../../db/queries/jobs.ts';
import { loadBookingNotice } from '../../../db/queries/notices.ts';
import { paymentsOfBooking } from '../../../db/queries/payments.ts';
import type { BookingService } from '../../booking/booking-service.ts';
import type { PaymentService } from '../../payments/payment-service.ts';
import type { Messenger } from '../../bots/messenger.ts';
import { ENTRY_BOOK } from '../../bots/navigation.ts';
import { translate } from '../../i18n/catalog.ts';
import { formatWhen } from '../../i18n/format.ts';
import type { JobHandler, Scheduler } from '../types.ts';
import { bookingPayload, done, parsePayload } from './common.ts';
import { tellPaymentOutcome } from './payment-notice.ts';

/** After the hold, a provider may still report a payment; the reconcile looks a minute later. */
export const RECONCILE_GRACE_MS = 60_000;
export const reconcileKey = (paymentId: string) => `payment_reconcile:${paymentId}`;
const SYSTEM = { kind: 'system' as const };

/**
 * Releases an unpaid hold when it runs out and tells the client, with a button to book again.
 * Checks the booking when it fires: a confirmed (paid) or cancelled booking is left alone; a hold
 * extended meanwhile is looked at again at its new expiry. A pending payment gets a reconcile job
 * (a late success is confirmed if the time is still free, else refunded). A payment recorded as
 * paid but never settled confirms the booking instead.
 */
export function holdExpireHandler(deps: {
  db: Database;
  booking: BookingService;
  messenger: Messenger;
  scheduler: Scheduler;
  now: () => number;
  payments?: Pick<PaymentService, 'settlePaid'>;
}): JobHandler {
  return async (delivery, logger) => {
    const parsed = parsePayload(bookingPayload, delivery.payload);
    if (!parsed.ok) return parsed.result;
    const { bookingId } = parsed.value;
    const before = await asPlatform(deps.db, (tx) => loadBookingNotice(tx, bookingId));
    if (!before) return done('booking_gone');
    const tenantId = before.tenant_id;
    if (before.status === 'held' || before.status === 'pending_payment') {
      const expiresAt = before.hold_expires_at?.getTime() ?? 0;
      if (expiresAt > deps.now())
        return {
          status: 'retry',
          reason: 'the hold was extended',
          afterMs: expiresAt - deps.now(),
        };
    }
    // Paid, but the delivery that recorded the payment died before confirming: settle, not release.
    const paid = await deps.payments?.settlePaid(bookingId, delivery.correlationId);
    if (paid) {
      await tellPaymentOutcome(deps, paid.paymentId, paid.settled);
      return done(`paid:${paid.settled.kind}`);
    }
    if (before.status === 'held' || before.status === 'pending_payment') {
      const outcome = await deps.booking.expireHold(tenantId, bookingId, {
        ...SYSTEM,
        correlationId: delivery.correlationId,
      });
      if (outcome.kind !== 'changed' && outcome.kind !== 'conflict')
        return done(`not_expired:${outcome.kind}`);
    }
    const now = await asPlatform(deps.db, (tx) => loadBookingNotice(tx, bookingId));
    if (now?.status !== 'expired') return done(`left_alone:${now?.status ?? 'gone'}`);

    for (const payment of await asPlatform(deps.db, (tx) => paymentsOfBooking(tx, bookingId))) {
      if (payment.status !== 'pending' || payment.provider === 'venue') continue;
      await deps.scheduler.schedule({
        kind: 'payment_reconcile',
        key: reconcileKey(payment.id),
        runAt: deps.now() + RECONCILE_GRACE_MS,
        payload: { paymentId: payment.id },
        tenantId,
        correlationId: delivery.correlationId,
      });
    }

    const chatId = now.client_telegram_id;
    if (chatId === null) return done('expired_no_telegram');
    const sender = await deps.messenger.open(tenantId);
    if (!sender) return done('expired_no_bot');
    const lang = now.client_language;
    const sent = await asPlatform(deps.db, (tx) =>
      onceByKey(tx, { key: `hold_expired_notice:${bookingId}`, tenantId }, async () => ({
        delivery: await sender.send({
          chatId,
          text: translate(lang, 'hold.expired', {
            when: formatWhen(now.start_at.getTime(), now.timezone, lang),
            master: now.master_name,
          }),
          buttons: [[{ text: translate(lang, 'menu.book'), data: ENTRY_BOOK }]],
        }),
      })),
    );
    logger.info({ event: 'hold_expired', booking_id: bookingId, state: 'expired' });
    return done(sent ? `expired_notified:${String(sent.delivery)}` : 'expired_already_notified');
  };
}
