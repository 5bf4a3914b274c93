import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Database } from '../../../db/port.ts';
import { asPlatform } from '../../../db/scope.ts';
import { digestFigures, digestTenants, tenantDigestLocation } from '../../../db/queries/digest.ts';
import { onceByKey } from '../../../db/queries/jobs.ts';
import { tenantName, tenantStaffChats } from '../../../db/queries/notices.ts';
import type { Messenger } from '../../bots/messenger.ts';
import { translate } from '../../i18n/catalog.ts';
import { formatDay, formatPrice } from '../../i18n/format.ts';
import { money } from '../../money/money.ts';
import { loadPercent } from '../../analytics/metrics.ts';
import type { JobHandler, JobRequest, Scheduler } from '../types.ts';
import { done, parsePayload } from './common.ts';

/** Local hour of the morning after, when a day's digest goes out. */
export const DIGEST_HOUR = 7;
export const digestKey = (tenantId: string, date: string) => `digest_admin:${tenantId}:${date}`;

/** The digest job for local day `date`: at DIGEST_HOUR the next local morning. */
export function digestJob(tenantId: string, date: string, zone: string): JobRequest {
  const next = DateTime.fromISO(date, { zone }).plus({ days: 1 }).set({ hour: DIGEST_HOUR });
  return {
    kind: 'digest_admin',
    key: digestKey(tenantId, date),
    runAt: next.toMillis(),
    payload: { tenantId, date },
    tenantId,
  };
}

/** Starts every active tenant's daily digest chain at today's local date (idempotent by key). */
export async function seedDigests(
  db: Database,
  scheduler: Scheduler,
  now: number,
): Promise<number> {
  const tenants = await asPlatform(db, (tx) => digestTenants(tx));
  for (const t of tenants)
    await scheduler.schedule(
      digestJob(t.id, DateTime.fromMillis(now, { zone: t.timezone }).toISODate()!, t.timezone),
    );
  return tenants.length;
}

/**
 * The daily summary to a tenant's owners and managers, in their language: visits, cancellations,
 * no-shows, revenue and load for one local day; then the next day's digest is scheduled.
 */
export function digestAdminHandler(deps: {
  db: Database;
  messenger: Messenger;
  scheduler: Scheduler;
}): JobHandler {
  return async (delivery) => {
    const parsed = parsePayload(
      z.object({ tenantId: z.uuid(), date: z.iso.date() }),
      delivery.payload,
    );
    if (!parsed.ok) return parsed.result;
    const { tenantId, date } = parsed.value;
    const location = await asPlatform(deps.db, (tx) => tenantDigestLocation(tx, tenantId));
    if (!location) return done('no_location');
    const zone = location.timezone;
    const sender = await deps.messenger.open(tenantId);
    const outcome = !sender
      ? 'no_bot'
      : await asPlatform(deps.db, async (tx) => {
          const figures = await digestFigures(tx, { tenantId, date, timezone: zone });
          const staff = await tenantStaffChats(tx, tenantId);
          const business = (await tenantName(tx, tenantId)) ?? '';
          const sent = await onceByKey(
            tx,
            { key: digestKey(tenantId, date), tenantId },
            async () => {
              for (const person of staff) {
                const lang = person.language;
                // Nothing completed is still money: zero in the location's currency, not a bare 0.
                const amounts = figures.revenue.length
                  ? figures.revenue.map((r) => money(r.amount_minor, r.currency))
                  : [money(0, location.currency)];
                const revenue = amounts.map((m) => formatPrice(m, lang)).join(' + ');
                const load = loadPercent(figures.bookedMinutes, figures.workingMinutes);
                const text = [
                  translate(lang, 'digest.title', { business, date: formatDay(date, lang) }),
                  translate(lang, 'digest.body', {
                    bookings: figures.visits,
                    cancellations: figures.cancellations,
                    noShows: figures.noShows,
                    revenue,
                    load,
                  }),
                ].join('\n');
                await sender.send({ chatId: person.telegram_user_id, text });
              }
              return { recipients: staff.length };
            },
          );
          return sent ? `sent:${staff.length}` : 'already_sent';
        });
    const nextDate = DateTime.fromISO(date, { zone }).plus({ days: 1 }).toISODate()!;
    await deps.scheduler.schedule({
      ...digestJob(tenantId, nextDate, zone),
      correlationId: delivery.correlationId,
    });
    return done(outcome);
  };
}
