import {
  parseLocationBasics,
  parsePolicyForm,
  type BasicsProblem,
  type LocationBasics,
  type PolicyProblem,
} from '../tenants/admin/location-input.ts';
import { parseCurrency } from '../tenants/admin/setup-input.ts';
import { formatDuration } from '../tenants/i18n/format.ts';
import { chooseProviderKind, type PaymentProviderKind } from '../tenants/payments/provider.ts';
import type { LocationPolicy } from '../tenants/policy/location-policy.ts';
import { LOCATION_MESSAGES } from './i18n/location-messages.ts';
import { SIGNUP_MESSAGES } from './i18n/signup-messages.ts';
import { WEB_LANGUAGES, type WebLanguage } from './i18n/languages.ts';
import type { Errors } from './service-input.ts';

/**
 * A location's form as typed, said in the reader's language: the checks are
 * tenants/admin/location-input.ts; here each problem becomes the sentence shown next to its field.
 */

/** Name, zone, currency, address problems: the first-run checklist's sentences, one set for both forms. */
export function basicsErrors(lang: WebLanguage, problems: Record<string, BasicsProblem>): Errors {
  const e = SIGNUP_MESSAGES[lang].setup.errors;
  const errors: Errors = {};
  for (const [field, p] of Object.entries(problems)) {
    errors[field] =
      p.kind === 'name'
        ? e.name[p.reason]
        : p.kind === 'zone'
          ? e.zone[p.reason]
          : p.kind === 'currency'
            ? e.currency[p.reason]
            : e.address;
  }
  return errors;
}

export function policyError(lang: WebLanguage, p: PolicyProblem): string {
  const e = LOCATION_MESSAGES[lang].errors;
  const time = (minutes: number) => formatDuration(minutes, lang);
  switch (p.kind) {
    case 'number':
      return e.number(p.reason, p.unit, p.min, p.max);
    case 'money':
      return e.fee(p.reason, p.currency, p.digits);
    case 'zero_fee':
      return e.zeroFee;
    case 'choice':
      return e.choice;
    case 'time':
      return e.time;
    case 'lock_after_free':
      return e.lockAfterFree(p.window, p.lock, p.free);
    case 'fee_never_applies':
      return e.feeNeverApplies(p.window, p.hours);
    case 'no_online_payment':
      return e.noOnlinePayment;
    case 'notice_beyond_horizon':
      return e.noticeBeyondHorizon(time(p.minutes), p.days);
    case 'reminders_format':
      return e.remindersFormat(p.item);
    case 'reminders_range':
      return e.remindersRange(p.item);
    case 'reminders_too_many':
      return e.remindersTooMany(p.count, p.max);
    case 'reminders_duplicate':
      return e.remindersDuplicate(time(p.minutes));
    case 'reminder_beyond_horizon':
      return e.reminderBeyondHorizon(time(p.minutes), p.days);
  }
}

export interface LocationFormCheck {
  basics?: LocationBasics;
  /** The policy as typed when every field reads, also when a combination is refused (the preview shows it). */
  policy?: LocationPolicy;
  /** The currency amounts were read in, and who would take money ahead in it. */
  currency: string;
  payAhead: PaymentProviderKind;
  errors: Errors;
  ok: boolean;
}

/**
 * The whole form: basics and policy. Fees are read in the currency typed (else `currency`, the
 * location's); a deposit needs an online payment in that currency (`cardPayments`: the business's
 * bot has a payment provider token; XTR is always Telegram Stars).
 */
export function checkLocationForm(
  lang: WebLanguage,
  values: Record<string, string>,
  ctx: { currency: string; cardPayments: boolean; base: LocationPolicy },
): LocationFormCheck {
  const basics = parseLocationBasics(
    values,
    WEB_LANGUAGES.map((l) => l.code),
  );
  const typed = parseCurrency(values.currency);
  const currency = typed.ok ? typed.value : ctx.currency;
  const payAhead = chooseProviderKind(currency, ctx.cardPayments);
  const policy = parsePolicyForm(values, { currency, payAhead, base: ctx.base });
  const errors: Errors = { ...basicsErrors(lang, basics.problems) };
  for (const [field, p] of Object.entries(policy.problems)) errors[field] = policyError(lang, p!);
  const ok = !!basics.value && !!policy.policy && Object.keys(errors).length === 0;
  return {
    ...(basics.value ? { basics: basics.value } : {}),
    ...(policy.policy ? { policy: policy.policy } : {}),
    currency,
    payAhead,
    errors,
    ok,
  };
}
