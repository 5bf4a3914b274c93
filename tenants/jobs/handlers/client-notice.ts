import { z } from 'zod';
import type { Database } from '../../../db/port.ts';
import { asPlatform } from '../../../db/scope.ts';
import { onceByKey } from '../../../db/queries/jobs.ts';
import { loadBookingNotice } from '../../../db/queries/notices.ts';
import type { Messenger } from '../../bots/messenger.ts';
import { translate } from '../../i18n/catalog.ts';
import { formatWhen } from '../../i18n/format.ts';
import { clientNoticeKey } from '../booking-jobs.ts';
import type { JobHandler } from '../types.ts';
import { done, parsePayload } from './common.ts';

const noticePayload = z.discriminatedUnion('notice', [
  z.object({
    bookingId: z.uuid(),
    notice: z.literal('cancelled_by_business'),
    message: z.string().max(500).optional(),
  }),
  z.object({
    bookingId: z.uuid(),
    notice: z.literal('moved_by_business'),
    previousStart: z.number().int(),
  }),
]);

/**
 * Tells a client in the bot, in their language and the location's time, that the business
 * cancelled their visit (with the staff's message when they wrote one) or moved it (from when to
 * when). Sent once per booking and notice, also when the job is delivered several times; nothing
 * is sent if the booking is no longer in that state or has gone.
 */
export function clientNoticeHandler(deps: { db: Database; messenger: Messenger }): JobHandler {
  return async (delivery, logger) => {
    const parsed = parsePayload(noticePayload, delivery.payload);
    if (!parsed.ok) return parsed.result;
    const payload = parsed.value;
    const { bookingId, notice: kind } = payload;
    const notice = await asPlatform(deps.db, (tx) => loadBookingNotice(tx, bookingId));
    if (!notice) return done('booking_gone');
    const still =
      kind === 'cancelled_by_business'
        ? notice.status === 'cancelled'
        : notice.status === 'confirmed' ||
          notice.status === 'held' ||
          notice.status === 'pending_payment';
    if (!still) return done(`skipped:${notice.status}`);
    const chatId = notice.client_telegram_id;
    if (chatId === null) return done('skipped:no_telegram');
    const sender = await deps.messenger.open(notice.tenant_id);
    if (!sender) return done('skipped:no_bot');
    const lang = notice.client_language;
    const facts = {
      business: notice.tenant_name,
      services: notice.service_names.join(', '),
      master: notice.master_name,
      when: formatWhen(notice.start_at.getTime(), notice.timezone, lang),
      location: [notice.location_name, notice.address].filter(Boolean).join(', '),
    };
    const text =
      payload.notice === 'cancelled_by_business'
        ? [
            translate(lang, 'notice.cancelledByBusiness', facts),
            ...(payload.message?.trim()
              ? [translate(lang, 'notice.message', { message: payload.message.trim() })]
              : []),
            translate(lang, 'notice.bookAgain'),
          ].join('\n')
        : translate(lang, 'notice.movedByBusiness', {
            ...facts,
            before: formatWhen(payload.previousStart, notice.timezone, lang),
          });
    const sent = await asPlatform(deps.db, (tx) =>
      onceByKey(
        tx,
        { key: clientNoticeKey(bookingId, kind), tenantId: notice.tenant_id },
        async () => ({ delivery: await sender.send({ chatId, text }) }),
      ),
    );
    if (sent)
      logger.info({
        event: 'client_notice_sent',
        booking_id: bookingId,
        notice: kind,
        delivery: sent.delivery,
      });
    return done(sent ? `sent:${String(sent.delivery)}` : 'already_sent');
  };
}
