import { z } from 'zod';
import type { Database } from '../../../db/port.ts';
import { asPlatform } from '../../../db/scope.ts';
import {
  lockUnsentOwnerNotices,
  markOwnerNoticesSent,
  tenantName,
  tenantStaffChats,
  type OwnerNoticeRow,
} from '../../../db/queries/notices.ts';
import type { Messenger } from '../../bots/messenger.ts';
import { translate, type MessageKey } from '../../i18n/catalog.ts';
import { formatPrice, formatWhen } from '../../i18n/format.ts';
import { money } from '../../money/money.ts';
import type { JobHandler } from '../types.ts';
import { done, parsePayload } from './common.ts';

/** Lines listed in one summary; the rest are counted. */
const MAX_LINES = 15;

const LINE_KEYS: Record<string, MessageKey> = {
  booking_created: 'owners.created',
  booking_cancelled: 'owners.cancelled',
  payment_failed: 'owners.paymentFailed',
  no_show: 'owners.noShow',
  refund_needed: 'owners.refundNeeded',
  payment_unmatched: 'owners.unmatchedRefundByHand',
};

const lineKey = (n: OwnerNoticeRow): MessageKey =>
  n.kind === 'payment_mismatch'
    ? n.detail.refunded
      ? 'owners.mismatchRefunded'
      : 'owners.mismatchRefundByHand'
    : (LINE_KEYS[n.kind] ?? 'owners.created');

/** An amount as stored in a notice; a charge reported in a currency we cannot format is shown as it came. */
function shownAmount(
  amountMinor: number,
  currency: string | null | undefined,
  lang: string,
): string {
  if (!currency) return String(amountMinor);
  try {
    return formatPrice(money(amountMinor, currency), lang);
  } catch {
    return `${amountMinor} ${currency}`;
  }
}

/** One summary of a tenant's unsent owner notices in `lang`. */
export function ownerSummary(
  lang: string,
  business: string,
  notices: readonly OwnerNoticeRow[],
): string {
  const lines = notices.slice(0, MAX_LINES).map((n) => {
    const when =
      n.start_at && n.timezone ? formatWhen(new Date(n.start_at).getTime(), n.timezone, lang) : '';
    const detail = n.detail;
    // A charge's own currency (a mismatch or a charge for no booking) before the booking's.
    const currency = typeof detail.currency === 'string' ? detail.currency : n.currency;
    return translate(lang, lineKey(n), {
      when,
      master: n.master_name ?? '',
      services: (n.service_names ?? []).join(', '),
      client: n.client_name ?? '',
      amount: shownAmount(Number(detail.amountMinor ?? 0), currency, lang),
      expected: shownAmount(
        Number(detail.expectedMinor ?? 0),
        typeof detail.expectedCurrency === 'string' ? detail.expectedCurrency : n.currency,
        lang,
      ),
      charge: String(detail.providerChargeId || detail.telegramChargeId || ''),
    });
  });
  const rest = notices.length - lines.length;
  return [
    translate(lang, 'owners.summary', { count: notices.length, business }),
    ...lines,
    ...(rest > 0 ? [translate(lang, 'owners.more', { count: rest })] : []),
  ].join('\n');
}

/**
 * Sends a tenant's owners and managers everything that happened since the last summary, as one
 * message each. The notices are locked while sending and marked sent in the same transaction, so
 * overlapping flushes and redeliveries never send one notice twice.
 */
export function notifyOwnersHandler(deps: {
  db: Database;
  messenger: Messenger;
  now: () => number;
}): JobHandler {
  return async (delivery, logger) => {
    const parsed = parsePayload(z.object({ tenantId: z.uuid() }), delivery.payload);
    if (!parsed.ok) return parsed.result;
    const { tenantId } = parsed.value;
    const sender = await deps.messenger.open(tenantId);
    if (!sender) return done('no_bot');
    const outcome = await asPlatform(deps.db, async (tx) => {
      const notices = await lockUnsentOwnerNotices(tx, tenantId);
      if (notices.length === 0) return 'nothing_new';
      const staff = await tenantStaffChats(tx, tenantId);
      const business = (await tenantName(tx, tenantId)) ?? '';
      for (const person of staff)
        await sender.send({
          chatId: person.telegram_user_id,
          text: ownerSummary(person.language, business, notices),
        });
      await markOwnerNoticesSent(
        tx,
        notices.map((n) => n.id),
        new Date(deps.now()),
      );
      return `sent:${notices.length}x${staff.length}`;
    });
    logger.info({ event: 'owners_notified', outcome });
    return done(outcome);
  };
}
