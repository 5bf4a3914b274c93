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

const noticePayload = z.object({ bookingId: z.uuid(), notice: z.literal('cancelled_by_business'), message: z.string().max(500).optional() });

/**
 * Tells a client in the bot, in their language and the location's time, that the business
 * cancelled their visit, with the staff's message when they wrote one. Sent once per booking,
 * also when the job is delivered several times; nothing is sent if the booking is not cancelled
 * (any more) or has gone.
 */
export function clientNoticeHandler(deps: { db: Database; messenger: Messenger }): JobHandler {
  return async (delivery, logger) => {
    const parsed = parsePayload(noticePayload, delivery.payload);
    if (!parsed.ok) return parsed.result;
    const { bookingId, notice: kind, message } = parsed.value;
    const notice = await asPlatform(deps.db, (tx) => loadBookingNotice(tx, bookingId));
    if (!notice) return done('booking_gone');
    if (notice.status !== 'cancelled') return done(`skipped:${notice.status}`);
    const sender = await deps.messenger.open(notice.tenant_id);
    if (!sender) return done('skipped:no_bot');
    const lang = notice.client_language;
    const text = [
      translate(lang, 'notice.cancelledByBusiness', {
        business: notice.tenant_name,
        services: notice.service_names.join(', '),
        master: notice.master_name,
        when: formatWhen(notice.start_at.getTime(), notice.timezone, lang),
        location: [notice.location_name, notice.address].filter(Boolean).join(', '),
      }),
      ...(message?.trim() ? [translate(lang, 'notice.message', { message: message.trim() })] : []),
      translate(lang, 'notice.bookAgain'),
    ].join('\n');
    const sent = await asPlatform(deps.db, (tx) =>
      onceByKey(tx, { key: clientNoticeKey(bookingId, kind), tenantId: notice.tenant_id }, async () => ({ delivery: await sender.send({ chatId: notice.client_telegram_id, text }) })),
    );
    if (sent) logger.info({ event: 'client_notice_sent', booking_id: bookingId, notice: kind, delivery: sent.delivery });
    return done(sent ? `sent:${String(sent.delivery)}` : 'already_sent');
  };
}
