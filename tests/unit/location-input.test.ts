import { describe, expect, it } from 'vitest';
import { auditDiff } from '../../tenants/admin/audit-diff.ts';
import {
  newLocationPolicy,
  parseLocationBasics,
  parsePolicyForm,
  parseReminderTimes,
  policyFormValues,
  reminderTimesText,
  type PolicyContext,
} from '../../tenants/admin/location-input.ts';
import { checkLocationForm } from '../../admin-ui/location-input.ts';
import { DEFAULT_LOCATION_POLICY } from '../../tenants/policy/location-policy.ts';

/** The location form as typed: fields, the combinations that cannot work, and the audit's diff. */
const CARDS: PolicyContext = {
  currency: 'EUR',
  payAhead: 'telegram',
  base: DEFAULT_LOCATION_POLICY,
};
const VENUE: PolicyContext = { ...CARDS, payAhead: 'venue' };
const form = (change: Record<string, string> = {}) => ({
  ...policyFormValues(DEFAULT_LOCATION_POLICY, 'EUR', 'en'),
  ...change,
});
const kinds = (change: Record<string, string>, ctx = CARDS) =>
  Object.fromEntries(
    Object.entries(parsePolicyForm(form(change), ctx).problems).map(([f, p]) => [f, p!.kind]),
  );

describe('the policy part of the location form', () => {
  it('the stored policy, shown and read back, is the same policy', () => {
    const checked = parsePolicyForm(form(), CARDS);
    expect(checked.problems).toEqual({});
    expect(checked.policy).toEqual(DEFAULT_LOCATION_POLICY);
    const ru = policyFormValues(DEFAULT_LOCATION_POLICY, 'EUR', 'ru');
    expect(ru.reminders).toBe('24 ч, 3 ч');
    expect(parsePolicyForm(ru, CARDS).policy).toEqual(DEFAULT_LOCATION_POLICY);
  });

  it('fees: a percentage 1–100, an amount as people write money in the location’s currency, not 0', () => {
    expect(
      parsePolicyForm(form({ cancel_fee_kind: 'fixed', cancel_fee_amount: '12,50' }), CARDS).policy!
        .cancellation.fee,
    ).toEqual({ kind: 'fixed', amountMinor: 1250 });
    expect(
      parsePolicyForm(form({ cancel_fee_kind: 'fixed', cancel_fee_amount: '1500' }), {
        ...CARDS,
        currency: 'JPY',
      }).policy!.cancellation.fee,
    ).toEqual({ kind: 'fixed', amountMinor: 1500 });
    expect(kinds({ cancel_fee_kind: 'fixed', cancel_fee_amount: '12.555' })).toEqual({
      cancel_fee_amount: 'money',
    });
    expect(kinds({ cancel_fee_kind: 'fixed', cancel_fee_amount: '0' })).toEqual({
      cancel_fee_amount: 'zero_fee',
    });
    expect(kinds({ cancel_fee_percent: '0' })).toEqual({ cancel_fee_percent: 'number' });
    expect(kinds({ cancel_fee_percent: '101' })).toEqual({ cancel_fee_percent: 'number' });
    expect(kinds({ cancel_fee_kind: 'bribe' })).toEqual({ cancel_fee_kind: 'choice' });
    // No fee: whatever the fee fields hold is not read.
    expect(
      parsePolicyForm(form({ cancel_fee_kind: 'none', cancel_fee_percent: 'lots' }), CARDS).policy!
        .cancellation.fee,
    ).toBeNull();
  });

  it('windows: the lock may not come before the free part ends, and a fee needs a late part to apply in', () => {
    expect(
      parsePolicyForm(form({ cancel_lock_hours: '30' }), CARDS).problems.cancel_lock_hours,
    ).toEqual({ kind: 'lock_after_free', window: 'cancel', lock: 30, free: 24 });
    expect(
      parsePolicyForm(
        form({
          reschedule_free_hours: '3',
          reschedule_lock_hours: '3',
          reschedule_fee_kind: 'percent',
          reschedule_fee_percent: '10',
        }),
        CARDS,
      ).problems,
    ).toEqual({
      reschedule_fee_kind: { kind: 'fee_never_applies', window: 'reschedule', hours: 3 },
    });
    // Without a fee, equal hours are fine: free until the lock.
    expect(kinds({ reschedule_free_hours: '3', reschedule_lock_hours: '3' })).toEqual({});
    expect(kinds({ cancel_free_hours: '721' })).toEqual({ cancel_free_hours: 'number' });
  });

  it('a deposit or prepayment needs an online payment; “nothing ahead” needs none', () => {
    expect(parsePolicyForm(form({ deposit_mode: 'always' }), VENUE).problems).toEqual({
      deposit_mode: { kind: 'no_online_payment', currency: 'EUR' },
    });
    expect(kinds({ deposit_mode: 'no_show_flagged' }, VENUE)).toEqual({
      deposit_mode: 'no_online_payment',
    });
    expect(kinds({ deposit_mode: 'always' }, { ...VENUE, payAhead: 'telegram_stars' })).toEqual({});
    expect(kinds({ deposit_mode: 'none' }, VENUE)).toEqual({});
    // The refused rule still reads: the preview shows what clients would get (nothing taken ahead).
    expect(parsePolicyForm(form({ deposit_mode: 'always' }), VENUE).policy?.deposit.mode).toBe(
      'always',
    );
    // Fields of a rule not chosen are kept from the stored policy rather than refused.
    expect(
      parsePolicyForm(
        form({
          deposit_mode: 'none',
          deposit_percent: '',
          no_show_threshold: 'x',
          hold_minutes: '',
        }),
        CARDS,
      ).policy!.deposit,
    ).toEqual({ mode: 'none', percent: 30, noShowThreshold: 2 });
    expect(kinds({ deposit_mode: 'always', deposit_percent: '0' })).toEqual({
      deposit_percent: 'number',
    });
    expect(newLocationPolicy('venue').deposit.mode).toBe('none');
    expect(newLocationPolicy('telegram')).toEqual(DEFAULT_LOCATION_POLICY);
  });

  it('notice and reminders within the booking horizon; a hold longer than the notice is fine', () => {
    expect(parsePolicyForm(form({ horizon_days: '2', lead_time: '2881' }), CARDS).problems).toEqual(
      { lead_time: { kind: 'notice_beyond_horizon', minutes: 2881, days: 2 } },
    );
    expect(parsePolicyForm(form({ horizon_days: '2', reminders: '72 h' }), CARDS).problems).toEqual(
      { reminders: { kind: 'reminder_beyond_horizon', minutes: 4320, days: 2 } },
    );
    expect(kinds({ lead_time: '10', hold_minutes: '60' })).toEqual({});
    expect(kinds({ same_day_cutoff: '25:00' })).toEqual({ same_day_cutoff: 'time' });
    expect(parsePolicyForm(form({ same_day_cutoff: '9:30' }), CARDS).policy!.sameDayCutoff).toBe(
      '09:30',
    );
    expect(parsePolicyForm(form({ same_day_cutoff: '' }), CARDS).policy!.sameDayCutoff).toBeNull();
  });
});

describe('reminder lead times as people write them', () => {
  const read = (text: string) => {
    const r = parseReminderTimes(text);
    return r.ok ? r.value : r.problem;
  };
  it('hours, minutes and days in English or Russian; a number alone is hours; none at all', () => {
    expect(read('24 h, 3h, 30 min')).toEqual([1440, 180, 30]);
    expect(read('1 d; 90 мин; 2 ч')).toEqual([1440, 90, 120]);
    expect(read('1,5 ч, 48')).toEqual([90, 2880]);
    expect(read('1.5 hours')).toEqual([90]);
    expect(read('')).toEqual([]);
    expect(reminderTimesText([1440, 90], 'en')).toBe('24 h, 90 min');
  });
  it('refused: no unit we know, less than a minute or over 30 days, more than five, one twice', () => {
    expect(read('24 weeks')).toEqual({ kind: 'reminders_format', item: '24 weeks' });
    expect(read('tomorrow')).toEqual({ kind: 'reminders_format', item: 'tomorrow' });
    expect(read('0 min')).toMatchObject({ kind: 'reminders_range' });
    expect(read('31 d')).toMatchObject({ kind: 'reminders_range' });
    expect(read('0.01 h')).toMatchObject({ kind: 'reminders_range' });
    expect(read('1 h, 2 h, 3 h, 4 h, 5 h, 6 h')).toEqual({
      kind: 'reminders_too_many',
      count: 6,
      max: 5,
    });
    expect(read('24 h, 1 d')).toEqual({ kind: 'reminders_duplicate', minutes: 1440 });
  });
});

describe('name, zone, currency, address', () => {
  it('reads them as the checklist does, with names per language', () => {
    const r = parseLocationBasics(
      {
        name: '  Studio   One ',
        name_ru: 'Студия',
        name_en: ' ',
        timezone: 'europe/berlin',
        currency: 'eur',
        address: '',
      },
      ['en', 'ru'],
    );
    expect(r.value).toEqual({
      name: 'Studio One',
      names: { ru: 'Студия' },
      address: null,
      timezone: 'Europe/Berlin',
      currency: 'EUR',
    });
    const bad = parseLocationBasics(
      { name: '', timezone: 'Mars/Base', currency: 'EURO', address: 'x'.repeat(501) },
      [],
    );
    expect(bad.value).toBeUndefined();
    expect(bad.problems).toEqual({
      name: { kind: 'name', reason: 'empty' },
      timezone: { kind: 'zone', reason: 'unknown' },
      currency: { kind: 'currency', reason: 'unknown' },
      address: { kind: 'address' },
    });
  });

  it('the whole form in plain words, in the reader’s language; fees read in the currency typed', () => {
    const values = {
      name: 'Studio',
      timezone: 'Europe/Berlin',
      currency: 'JPY',
      ...form({ deposit_mode: 'always', cancel_fee_kind: 'fixed', cancel_fee_amount: '12.50' }),
    };
    const en = checkLocationForm('en', values, {
      currency: 'EUR',
      cardPayments: false,
      base: DEFAULT_LOCATION_POLICY,
    });
    expect(en.ok).toBe(false);
    expect(en.errors.cancel_fee_amount).toBe('Write the fee as a whole number of JPY, e.g. 500.');
    expect(en.errors.deposit_mode).toContain('Clients cannot pay online for this location');
    const ru = checkLocationForm(
      'ru',
      { ...values, currency: 'XTR', cancel_fee_amount: '500' },
      { currency: 'EUR', cardPayments: false, base: DEFAULT_LOCATION_POLICY },
    );
    expect(ru.payAhead).toBe('telegram_stars');
    expect(ru.ok).toBe(true);
    expect(
      checkLocationForm(
        'ru',
        { ...values, lead_time: '' },
        { currency: 'EUR', cardPayments: true, base: DEFAULT_LOCATION_POLICY },
      ).errors.lead_time,
    ).toBe('Введите число минут: от 0 до 43200.');
  });
});

describe('the audit entry of an edit', () => {
  it('only what changed, as dotted paths, each side with its own value', () => {
    const before = {
      name: 'A',
      names: {},
      policy: {
        holdMinutes: 15,
        cancellation: { fee: { kind: 'percent', percent: 50 } },
        reminders: { leadMinutes: [1440] },
      },
    };
    const after = {
      name: 'A',
      names: { ru: 'А' },
      policy: {
        holdMinutes: 15,
        cancellation: { fee: null },
        reminders: { leadMinutes: [1440, 60] },
      },
    };
    expect(auditDiff(before, after)).toEqual({
      before: {
        'names.ru': null,
        'policy.cancellation.fee.kind': 'percent',
        'policy.cancellation.fee.percent': 50,
        'policy.reminders.leadMinutes': [1440],
      },
      after: {
        'names.ru': 'А',
        'policy.cancellation.fee.kind': null,
        'policy.cancellation.fee.percent': null,
        'policy.reminders.leadMinutes': [1440, 60],
      },
    });
    expect(auditDiff(before, structuredClone(before))).toEqual({ before: {}, after: {} });
  });
});
