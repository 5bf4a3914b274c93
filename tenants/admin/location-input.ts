import type { PaymentProviderKind } from '../payments/provider.ts';
import {
  DEFAULT_LOCATION_POLICY,
  locationPolicySchema,
  POLICY_LIMITS,
  type Fee,
  type LocationPolicy,
} from '../policy/location-policy.ts';
import { decimalString, minorUnitDigits, money } from '../money/money.ts';
import {
  parseCurrency,
  parseMoneyInput,
  parseName,
  parseTimeOfDay,
  parseTimeZone,
  minutesToTime,
  type MoneyReason,
} from './setup-input.ts';

/**
 * A location's form as typed (the first-run checklist's and the locations editor's), checked and
 * turned into what the database stores: its name, names per language, address, zone and
 * currency, and the whole policy set. Pure: no I/O, no clock. Each failure is a problem code per
 * field, with what the message needs; the pages say it in the person's language
 * (admin-ui/location-input.ts). Combinations that cannot work are problems too, on the field to
 * change: a deposit that nobody can pay online, a lock that closes before free changes end, a fee
 * that never applies, a reminder or a notice longer than the booking horizon.
 */

export interface LocationBasics {
  name: string;
  /** Translations of the name: language → name (the name as entered is the fallback). */
  names: Record<string, string>;
  address: string | null;
  timezone: string;
  currency: string;
}

export type BasicsProblem =
  | { kind: 'name'; reason: 'empty' | 'too_long' }
  | { kind: 'zone'; reason: 'empty' | 'unknown' }
  | { kind: 'currency'; reason: 'empty' | 'unknown' }
  | { kind: 'address' };

export const NAME_MAX = 200;
export const ADDRESS_MAX = 500;

/** Name, names per language (`name_<code>` for each of `languages`), address, zone, currency. */
export function parseLocationBasics(
  values: Record<string, string>,
  languages: readonly string[],
): { value?: LocationBasics; problems: Record<string, BasicsProblem> } {
  const problems: Record<string, BasicsProblem> = {};
  const name = parseName(values.name, NAME_MAX);
  if (!name.ok) problems.name = { kind: 'name', reason: name.reason };
  const names: Record<string, string> = {};
  for (const code of languages) {
    const field = `name_${code}`;
    if (!values[field]?.trim()) continue;
    const translated = parseName(values[field], NAME_MAX);
    if (translated.ok) names[code] = translated.value;
    else problems[field] = { kind: 'name', reason: translated.reason };
  }
  const zone = parseTimeZone(values.timezone);
  if (!zone.ok) problems.timezone = { kind: 'zone', reason: zone.reason };
  const currency = parseCurrency(values.currency);
  if (!currency.ok) problems.currency = { kind: 'currency', reason: currency.reason };
  const address = (values.address ?? '').trim();
  if ([...address].length > ADDRESS_MAX) problems.address = { kind: 'address' };
  if (!name.ok || !zone.ok || !currency.ok || Object.keys(problems).length) return { problems };
  return {
    value: {
      name: name.value,
      names,
      address: address || null,
      timezone: zone.value,
      currency: currency.value,
    },
    problems,
  };
}

// ---- the policy ----

type Unit = 'minutes' | 'hours' | 'days' | 'percent' | 'count';
type Window = 'cancel' | 'reschedule';

export type PolicyProblem =
  | { kind: 'number'; reason: 'empty' | 'format' | 'range'; unit: Unit; min: number; max: number }
  | { kind: 'money'; reason: MoneyReason; currency: string; digits: number }
  | { kind: 'zero_fee' }
  | { kind: 'choice' }
  | { kind: 'time' }
  | { kind: 'lock_after_free'; window: Window; lock: number; free: number }
  | { kind: 'fee_never_applies'; window: Window; hours: number }
  | { kind: 'no_online_payment'; currency: string }
  | { kind: 'notice_beyond_horizon'; minutes: number; days: number }
  | { kind: 'reminders_format'; item: string }
  | { kind: 'reminders_range'; item: string; max: number }
  | { kind: 'reminders_too_many'; count: number; max: number }
  | { kind: 'reminders_duplicate'; minutes: number }
  | { kind: 'reminder_beyond_horizon'; minutes: number; days: number };

export const FEE_KINDS = ['none', 'percent', 'fixed'] as const;
export const DEPOSIT_MODES = ['none', 'always', 'no_show_flagged'] as const;
export const LATE_REMINDERS = ['send_now', 'skip'] as const;

/** Every policy field of the form, in its order on the page. */
export const POLICY_FIELDS = [
  'lead_time',
  'horizon_days',
  'same_day_cutoff',
  'slot_step',
  'buffer_before',
  'buffer_after',
  'cancel_free_hours',
  'cancel_lock_hours',
  'cancel_fee_kind',
  'cancel_fee_percent',
  'cancel_fee_amount',
  'reschedule_free_hours',
  'reschedule_lock_hours',
  'reschedule_fee_kind',
  'reschedule_fee_percent',
  'reschedule_fee_amount',
  'deposit_mode',
  'deposit_percent',
  'no_show_threshold',
  'hold_minutes',
  'reminders',
  'reminders_late',
] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

const L = POLICY_LIMITS;

function wholeNumber(
  text: string | undefined,
  [min, max]: readonly [number, number],
  unit: Unit,
): { ok: true; value: number } | { ok: false; problem: PolicyProblem } {
  const t = (text ?? '').trim();
  const problem = (reason: 'empty' | 'format' | 'range') => ({
    ok: false as const,
    problem: { kind: 'number' as const, reason, unit, min, max },
  });
  if (!t) return problem('empty');
  if (!/^\d{1,9}$/.test(t)) return problem('format');
  const value = Number(t);
  return value >= min && value <= max ? { ok: true, value } : problem('range');
}

const UNIT_MINUTES: [RegExp, number][] = [
  [/^(m|min|mins|minute|minutes|мин|минута|минуты|минут)$/, 1],
  [/^(|h|hr|hrs|hour|hours|ч|час|часа|часов)$/, 60],
  [/^(d|day|days|д|дн|день|дня|дней)$/, 1440],
];

/**
 * Reminder lead times as people write them: "24 h, 3 h", "30 min", "1 d", "1,5 ч"; a number
 * alone is hours; commas or semicolons between them (a decimal comma needs its number right
 * after it). Nothing: no reminders. Each a whole number of minutes from 1 minute to 30 days,
 * at most five, none twice.
 */
export function parseReminderTimes(
  text: string | undefined,
): { ok: true; value: number[] } | { ok: false; problem: PolicyProblem } {
  const items = (text ?? '')
    .split(/;|,(?!\d)/)
    .map((s) => s.trim())
    .filter(Boolean);
  const [min, max] = L.reminderMinutes;
  const minutes: number[] = [];
  for (const item of items) {
    const match = /^(\d{1,5}(?:[.,]\d{1,2})?)\s*([a-zа-яё]*)\.?$/i.exec(item);
    const factor = match && UNIT_MINUTES.find(([unit]) => unit.test(match[2]!.toLowerCase()))?.[1];
    if (!match || !factor) return { ok: false, problem: { kind: 'reminders_format', item } };
    const value = Number(match[1]!.replace(',', '.')) * factor;
    if (!Number.isInteger(value) || value < min || value > max)
      return { ok: false, problem: { kind: 'reminders_range', item, max } };
    minutes.push(value);
  }
  if (minutes.length > L.reminderCount)
    return {
      ok: false,
      problem: { kind: 'reminders_too_many', count: minutes.length, max: L.reminderCount },
    };
  const twice = minutes.find((m, i) => minutes.indexOf(m) !== i);
  if (twice !== undefined)
    return { ok: false, problem: { kind: 'reminders_duplicate', minutes: twice } };
  return { ok: true, value: minutes };
}

/** Reminder lead times written back for the form, in units `lang` reads: "24 h, 3 h, 30 min". */
export function reminderTimesText(minutes: readonly number[], lang: string): string {
  const [h, m] = lang === 'ru' ? ['ч', 'мин'] : ['h', 'min'];
  return minutes.map((x) => (x % 60 === 0 ? `${x / 60} ${h}` : `${x} ${m}`)).join(', ');
}

/** An amount of `currency` written back as people type it: "25.50", "2500" (no grouping). */
export function moneyInputText(minor: number, currency: string): string {
  return decimalString(money(minor, currency));
}

/** A stored policy as the form shows it; amounts in `currency`, reminder units in `lang`. */
export function policyFormValues(
  policy: LocationPolicy,
  currency: string,
  lang: string,
): Record<PolicyField, string> {
  const fee = (f: Fee | null) => ({
    kind: f ? f.kind : 'none',
    percent: f?.kind === 'percent' ? String(f.percent) : '',
    amount: f?.kind === 'fixed' ? moneyInputText(f.amountMinor, currency) : '',
  });
  const cancel = fee(policy.cancellation.fee);
  const reschedule = fee(policy.reschedule.fee);
  return {
    lead_time: String(policy.leadTimeMinutes),
    horizon_days: String(policy.horizonDays),
    same_day_cutoff: policy.sameDayCutoff ?? '',
    slot_step: String(policy.slotStepMinutes),
    buffer_before: String(policy.bufferBeforeMinutes),
    buffer_after: String(policy.bufferAfterMinutes),
    cancel_free_hours: String(policy.cancellation.freeUntilHours),
    cancel_lock_hours: String(policy.cancellation.lockHours),
    cancel_fee_kind: cancel.kind,
    cancel_fee_percent: cancel.percent,
    cancel_fee_amount: cancel.amount,
    reschedule_free_hours: String(policy.reschedule.freeUntilHours),
    reschedule_lock_hours: String(policy.reschedule.lockHours),
    reschedule_fee_kind: reschedule.kind,
    reschedule_fee_percent: reschedule.percent,
    reschedule_fee_amount: reschedule.amount,
    deposit_mode: policy.deposit.mode,
    deposit_percent: String(policy.deposit.percent),
    no_show_threshold: String(policy.deposit.noShowThreshold),
    hold_minutes: String(policy.holdMinutes),
    reminders: reminderTimesText(policy.reminders.leadMinutes, lang),
    reminders_late: policy.reminders.whenLate,
  };
}

/**
 * A new location's policy: the defaults, but no money ahead where nobody could pay it online (a
 * deposit rule there would only be refused at the first save, and waived for every client).
 */
export function newLocationPolicy(payAhead: PaymentProviderKind): LocationPolicy {
  const policy = structuredClone(DEFAULT_LOCATION_POLICY);
  if (payAhead === 'venue') policy.deposit.mode = 'none';
  return policy;
}

export interface PolicyContext {
  /** The currency fixed fees are typed in (the form's, else the location's). */
  currency: string;
  /** Who would take money ahead for this location: `chooseProviderKind(currency, card payments on)`. */
  payAhead: PaymentProviderKind;
  /**
   * Where a field does not apply (a deposit percent while nobody pays a deposit), its value is
   * kept from here rather than refused: the stored policy, or the default for a new location.
   */
  base: LocationPolicy;
}

export interface PolicyCheck {
  /** The policy as typed whenever every field reads (combinations may still be refused). */
  policy?: LocationPolicy;
  problems: Partial<Record<PolicyField, PolicyProblem>>;
}

/** The policy part of the form: every field, then the combinations. */
export function parsePolicyForm(values: Record<string, string>, ctx: PolicyContext): PolicyCheck {
  const problems: Partial<Record<PolicyField, PolicyProblem>> = {};
  const number = (
    field: PolicyField,
    limits: readonly [number, number],
    unit: Unit,
    fallback: number,
    applies = true,
  ): number => {
    const parsed = wholeNumber(values[field], limits, unit);
    if (parsed.ok) return parsed.value;
    if (applies) problems[field] = parsed.problem;
    return fallback;
  };
  const choice = <T extends string>(field: PolicyField, allowed: readonly T[], fallback: T): T => {
    const value = values[field] as T | undefined;
    if (value !== undefined && allowed.includes(value)) return value;
    problems[field] = { kind: 'choice' };
    return fallback;
  };
  const { base } = ctx;

  const leadTimeMinutes = number('lead_time', L.leadTimeMinutes, 'minutes', base.leadTimeMinutes);
  const horizonDays = number('horizon_days', L.horizonDays, 'days', base.horizonDays);
  let sameDayCutoff: string | null = null;
  if ((values.same_day_cutoff ?? '').trim()) {
    const cutoff = parseTimeOfDay(values.same_day_cutoff);
    if (cutoff.ok) sameDayCutoff = minutesToTime(cutoff.value);
    else problems.same_day_cutoff = { kind: 'time' };
  }
  const slotStepMinutes = number('slot_step', L.slotStepMinutes, 'minutes', base.slotStepMinutes);
  const bufferBeforeMinutes = number(
    'buffer_before',
    L.bufferMinutes,
    'minutes',
    base.bufferBeforeMinutes,
  );
  const bufferAfterMinutes = number(
    'buffer_after',
    L.bufferMinutes,
    'minutes',
    base.bufferAfterMinutes,
  );

  const window = (
    w: Window,
    stored: LocationPolicy['cancellation'],
  ): LocationPolicy['cancellation'] => {
    const freeUntilHours = number(`${w}_free_hours`, L.windowHours, 'hours', stored.freeUntilHours);
    const lockHours = number(`${w}_lock_hours`, L.windowHours, 'hours', stored.lockHours);
    const kind = choice(`${w}_fee_kind`, FEE_KINDS, 'none');
    let fee: Fee | null = null;
    if (kind === 'percent')
      fee = { kind, percent: number(`${w}_fee_percent`, L.feePercent, 'percent', 1) };
    if (kind === 'fixed') {
      const amount = parseMoneyInput(values[`${w}_fee_amount`], ctx.currency);
      if (!amount.ok)
        problems[`${w}_fee_amount`] = {
          kind: 'money',
          reason: amount.reason,
          currency: ctx.currency,
          digits: minorUnitDigits(ctx.currency),
        };
      else if (amount.value === 0) problems[`${w}_fee_amount`] = { kind: 'zero_fee' };
      else if (amount.value > L.feeAmountMinor[1])
        problems[`${w}_fee_amount`] = {
          kind: 'money',
          reason: 'too_large',
          currency: ctx.currency,
          digits: minorUnitDigits(ctx.currency),
        };
      fee = { kind, amountMinor: amount.ok ? Math.min(amount.value, L.feeAmountMinor[1]) : 0 };
    }
    if (!problems[`${w}_lock_hours`] && !problems[`${w}_free_hours`]) {
      if (lockHours > freeUntilHours)
        problems[`${w}_lock_hours`] = {
          kind: 'lock_after_free',
          window: w,
          lock: lockHours,
          free: freeUntilHours,
        };
      else if (fee && lockHours === freeUntilHours)
        problems[`${w}_fee_kind`] = { kind: 'fee_never_applies', window: w, hours: lockHours };
    }
    return { freeUntilHours, lockHours, fee };
  };
  const cancellation = window('cancel', base.cancellation);
  const reschedule = window('reschedule', base.reschedule);

  const mode = choice('deposit_mode', DEPOSIT_MODES, 'none');
  const deposit = {
    mode,
    percent: number(
      'deposit_percent',
      L.depositPercent,
      'percent',
      base.deposit.percent,
      mode === 'always',
    ),
    noShowThreshold: number(
      'no_show_threshold',
      L.noShowThreshold,
      'count',
      base.deposit.noShowThreshold,
      mode !== 'none',
    ),
  };
  const holdMinutes = number(
    'hold_minutes',
    L.holdMinutes,
    'minutes',
    base.holdMinutes,
    mode !== 'none',
  );
  if (mode !== 'none' && ctx.payAhead === 'venue')
    problems.deposit_mode = { kind: 'no_online_payment', currency: ctx.currency };

  const times = parseReminderTimes(values.reminders);
  if (!times.ok) problems.reminders = times.problem;
  const whenLate = choice('reminders_late', LATE_REMINDERS, 'send_now');

  // Longer than bookings open ahead: never reachable.
  if (!problems.horizon_days) {
    const horizonMinutes = horizonDays * 1440;
    if (!problems.lead_time && leadTimeMinutes > horizonMinutes)
      problems.lead_time = {
        kind: 'notice_beyond_horizon',
        minutes: leadTimeMinutes,
        days: horizonDays,
      };
    const far = times.ok ? times.value.find((m) => m > horizonMinutes) : undefined;
    if (far !== undefined)
      problems.reminders = { kind: 'reminder_beyond_horizon', minutes: far, days: horizonDays };
  }

  const candidate = {
    leadTimeMinutes,
    horizonDays,
    slotStepMinutes,
    sameDayCutoff,
    bufferBeforeMinutes,
    bufferAfterMinutes,
    holdMinutes,
    cancellation,
    reschedule,
    deposit,
    reminders: { leadMinutes: times.ok ? times.value : base.reminders.leadMinutes, whenLate },
  };
  // Only the combination problems leave a policy to preview; a field that does not read leaves none.
  const unreadable = Object.values(problems).some((p) =>
    [
      'number',
      'money',
      'zero_fee',
      'choice',
      'time',
      'reminders_format',
      'reminders_range',
      'reminders_too_many',
      'reminders_duplicate',
    ].includes(p!.kind),
  );
  if (unreadable) return { problems };
  const parsed = locationPolicySchema.safeParse(candidate);
  if (parsed.success) return { policy: parsed.data, problems };
  // The schema refuses only what a problem above already says (a lock after the free window).
  if (Object.keys(problems).length) return { problems };
  throw new Error(
    `the location form let through a policy the schema refuses: ${parsed.error.message}`,
  );
}
