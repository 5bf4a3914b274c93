import { z } from 'zod';
import type { Database } from '../../../db/port.ts';
import { asPlatform } from '../../../db/scope.ts';
import { onceByKey } from '../../../db/queries/jobs.ts';
import { loadBookingNotice } from '../../../db/queries/notices.ts';
import type { Messenger } from '../../bots/messenger.ts';
import { translate } from '../../i18n/catalog.ts';
import { formatWhen } from '../../i18n/format.ts';
import { reminderKey } from '../booking-jobs.ts';
import type { JobHandler } from '../types.ts';
import { done, parsePayload } from './common.ts';

const reminderPayload = z.object({
  bookingId: z.uuid(),
  leadMinutes: z.number().int().positive(),
  startAt: z.number().int(),
});

/**
 * Sends one reminder of a confirmed visit, in the client's language and the location's local time.
 * When it fires it checks the booking: cancelled, moved (a reschedule makes a new booking with its
 * own reminders) or already begun means nothing to send. Sent once per booking and lead time, also
 * when the job is delivered several times at once.
 */
export function reminderSendHandler(deps: {
  db: Database;
  messenger: Messenger;
  now: () => number;
}): JobHandler {
  return async (delivery, logger) => {
    const parsed = parsePayload(reminderPayload, delivery.payload);
    if (!parsed.ok) return parsed.result;
    const { bookingId, leadMinutes, startAt } = parsed.value;
    const notice = await asPlatform(deps.db, (tx) => loadBookingNotice(tx, bookingId));
    if (!notice) return done('booking_gone');
    if (notice.status !== 'confirmed') return done(`skipped:${notice.status}`);
    if (notice.start_at.getTime() !== startAt) return done('skipped:moved');
    if (startAt <= deps.now()) return done('skipped:started');
    const chatId = notice.client_telegram_id;
    if (chatId === null) return done('skipped:no_telegram');
    const sender = await deps.messenger.open(notice.tenant_id);
    if (!sender) return done('skipped:no_bot');
    const lang = notice.client_language;
    const sent = await asPlatform(deps.db, (tx) =>
      onceByKey(
        tx,
        { key: reminderKey(bookingId, leadMinutes), tenantId: notice.tenant_id },
        async () => ({
          delivery: await sender.send({
            chatId,
            text: translate(lang, 'reminder.text', {
              services: notice.service_names.join(', '),
              master: notice.master_name,
              when: formatWhen(startAt, notice.timezone, lang),
              location: [notice.location_name, notice.address].filter(Boolean).join(', '),
            }),
          }),
        }),
      ),
    );
    if (sent)
      logger.info({
        event: 'reminder_sent',
        booking_id: bookingId,
        lead_minutes: leadMinutes,
        delivery: sent.delivery,
      });
    return done(sent ? `sent:${String(sent.delivery)}` : 'already_sent');
  };
}
