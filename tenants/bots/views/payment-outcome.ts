import type { BookingNotice } from '../../../db/queries/notices.ts';
import { translate } from '../../i18n/catalog.ts';
import { formatPrice, formatWhen } from '../../i18n/format.ts';
import { money } from '../../money/money.ts';
import type { ReportedCharge, SettleOutcome } from '../../payments/payment-service.ts';

/** A charge as reported; one in a currency we cannot format is shown as it came. */
function charge(c: ReportedCharge, lang: string): string {
  try {
    return formatPrice(money(c.amountMinor, c.currency), lang);
  } catch {
    return `${c.amountMinor} ${c.currency}`;
  }
}

/** What the client is told after a payment was settled; undefined for duplicates and unknown invoices. */
export async function paymentOutcomeText(
  env: { lang: string; bookingNotice(bookingId: string): Promise<BookingNotice | undefined> },
  outcome: SettleOutcome,
): Promise<string | undefined> {
  const lang = env.lang;
  switch (outcome.kind) {
    case 'confirmed':
    case 'late_confirmed': {
      const notice = await env.bookingNotice(outcome.booking.id);
      if (!notice) return undefined;
      const vars = {
        when: formatWhen(outcome.booking.start, notice.timezone, lang),
        master: notice.master_name,
      };
      return translate(
        lang,
        outcome.kind === 'confirmed' ? 'payment.confirmed' : 'payment.lateConfirmed',
        vars,
      );
    }
    case 'refunded':
      return translate(lang, 'payment.lateRefunded', { amount: formatPrice(outcome.amount, lang) });
    case 'refund_manual':
      return translate(lang, 'payment.lateRefundManual', {
        amount: formatPrice(outcome.amount, lang),
      });
    case 'mismatch_refunded':
    case 'mismatch_refund_manual':
      return translate(
        lang,
        outcome.kind === 'mismatch_refunded'
          ? 'payment.mismatchRefunded'
          : 'payment.mismatchRefundManual',
        {
          charged: charge(outcome.charged, lang),
          expected: formatPrice(outcome.expected, lang),
        },
      );
    case 'unmatched_refunded':
      return translate(lang, 'payment.unmatchedRefunded', {
        amount: charge(outcome.charged, lang),
      });
    case 'unmatched_refund_manual':
      return translate(lang, 'payment.unmatchedRefundManual', {
        amount: charge(outcome.charged, lang),
      });
    default:
      return undefined;
  }
}
