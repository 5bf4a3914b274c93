import { translate } from '../i18n/catalog.ts';
import { formatDuration, formatPrice, formatTime } from '../i18n/format.ts';
import { money } from '../money/money.ts';
import type { PaymentProviderKind } from '../payments/provider.ts';
import type { Fee, LocationPolicy } from './location-policy.ts';

/**
 * A location's policy as its clients read it, in their language: the one home of that text. The
 * bot's booking summary takes its cancellation line from here (`cancellationLine`), and the admin's
 * location editor previews every line (`describePolicy`), so what an owner previews is what a
 * client reads. Pure: no I/O, no clock.
 */
export type PolicyTopic =
  'cancellation' | 'reschedule' | 'window' | 'payment' | 'hold' | 'reminders';

export interface PolicyLine {
  topic: PolicyTopic;
  text: string;
}

/** A fee as clients read it: "50 %", "€10.00"; null where it costs nothing (none, or 0). */
function feeText(lang: string, fee: Fee | null, currency: string): string | null {
  if (!fee) return null;
  if (fee.kind === 'percent') return fee.percent > 0 ? `${fee.percent} %` : null;
  return fee.amountMinor > 0 ? formatPrice(money(fee.amountMinor, currency), lang) : null;
}

/**
 * Where a window's free part ends, in hours before the visit, and the fee after it: with no fee
 * (or a late part of no length) a change is free right up to the lock.
 */
function windowTerms(
  lang: string,
  window: LocationPolicy['cancellation'],
  currency: string,
): { freeUntil: number; fee: string | null } {
  const fee = feeText(lang, window.fee, currency);
  if (fee && window.freeUntilHours > window.lockHours)
    return { freeUntil: window.freeUntilHours, fee };
  return { freeUntil: window.lockHours, fee: null };
}

/** The cancellation rule in one line, as the bot's booking summary shows it. */
export function cancellationLine(lang: string, policy: LocationPolicy, currency: string): string {
  const { freeUntil, fee } = windowTerms(lang, policy.cancellation, currency);
  if (fee) return translate(lang, 'summary.policyFee', { hours: freeUntil, fee });
  return freeUntil > 0
    ? translate(lang, 'summary.policyFree', { hours: freeUntil })
    : translate(lang, 'summary.policyFreeAnyTime');
}

function rescheduleLine(lang: string, policy: LocationPolicy, currency: string): string {
  const { freeUntil, fee } = windowTerms(lang, policy.reschedule, currency);
  if (fee) return translate(lang, 'policy.rescheduleFee', { hours: freeUntil, fee });
  return freeUntil > 0
    ? translate(lang, 'policy.rescheduleFree', { hours: freeUntil })
    : translate(lang, 'policy.rescheduleFreeAnyTime');
}

/** "24 hr and 3 hr" / "24 ч и 3 ч": reminders' lead times, longest first. */
function durationList(lang: string, minutes: readonly number[]): string {
  const sorted = [...minutes].sort((a, b) => b - a);
  return new Intl.ListFormat(lang, { type: 'conjunction', style: 'long' }).format(
    sorted.map((m) => formatDuration(m, lang)),
  );
}

/** "HH:MM" as a local time of day in the reader's style ("5:00 PM", "17:00"). */
function timeOfDay(lang: string, hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number);
  return formatTime(Date.UTC(2024, 0, 1, h!, m!), 'UTC', lang);
}

/**
 * Every rule a client meets, in `lang`: cancelling (the summary's line, then the lock), moving a
 * visit, when bookings open and close, what is paid ahead and how (`payAhead`: the provider that
 * takes the money, `chooseProviderKind`; at the venue nothing can be taken ahead, whatever the
 * deposit rule says), how long an unpaid booking holds its time, and the reminders.
 */
export function describePolicy(
  lang: string,
  policy: LocationPolicy,
  currency: string,
  payAhead: PaymentProviderKind,
): PolicyLine[] {
  const lines: PolicyLine[] = [];
  const add = (topic: PolicyTopic, text: string) => lines.push({ topic, text });

  add('cancellation', cancellationLine(lang, policy, currency));
  if (policy.cancellation.lockHours > 0)
    add(
      'cancellation',
      translate(lang, 'policy.cancelLocked', { hours: policy.cancellation.lockHours }),
    );
  add('reschedule', rescheduleLine(lang, policy, currency));
  if (policy.reschedule.lockHours > 0)
    add(
      'reschedule',
      translate(lang, 'policy.rescheduleLocked', { hours: policy.reschedule.lockHours }),
    );

  const count = policy.horizonDays;
  add(
    'window',
    policy.leadTimeMinutes > 0
      ? translate(lang, 'policy.window', {
          count,
          notice: formatDuration(policy.leadTimeMinutes, lang),
        })
      : translate(lang, 'policy.windowNoNotice', { count }),
  );
  if (policy.sameDayCutoff)
    add(
      'window',
      translate(lang, 'policy.sameDayCutoff', { time: timeOfDay(lang, policy.sameDayCutoff) }),
    );
  add(
    'window',
    translate(lang, 'policy.step', { step: formatDuration(policy.slotStepMinutes, lang) }),
  );

  const { deposit } = policy;
  if (deposit.mode === 'none' || payAhead === 'venue') {
    add('payment', translate(lang, 'policy.payAtVenue'));
  } else {
    if (deposit.mode === 'always')
      add('payment', translate(lang, 'policy.deposit', { percent: deposit.percent }));
    add('payment', translate(lang, 'policy.prepayNoShows', { count: deposit.noShowThreshold }));
    if (deposit.mode === 'no_show_flagged') add('payment', translate(lang, 'policy.othersAtVenue'));
    add('hold', translate(lang, 'policy.hold', { minutes: policy.holdMinutes }));
  }

  const { reminders } = policy;
  if (reminders.leadMinutes.length === 0) {
    add('reminders', translate(lang, 'policy.noReminders'));
  } else {
    add(
      'reminders',
      translate(lang, 'policy.reminders', { list: durationList(lang, reminders.leadMinutes) }),
    );
    add(
      'reminders',
      translate(
        lang,
        reminders.whenLate === 'send_now' ? 'policy.lateReminderSend' : 'policy.lateReminderSkip',
      ),
    );
  }
  return lines;
}
