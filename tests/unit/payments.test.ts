import { describe, expect, it } from 'vitest';
import { money } from '../../tenants/money/money.ts';
import { paymentRequirement } from '../../tenants/booking/policies.ts';
import { ownerSummary } from '../../tenants/jobs/handlers/notify-owners.ts';
import { paymentPlan } from '../../tenants/payments/payment-plan.ts';
import { chooseProviderKind } from '../../tenants/payments/provider.ts';
import { DEFAULT_LOCATION_POLICY } from '../../tenants/policy/location-policy.ts';
import { refundOnCancel } from '../../tenants/payments/refunds.ts';

describe('payment rules', () => {
  it('refund on cancel: everything in the free window, paid minus fee later, nothing when the fee covers it', () => {
    const paid = money(2250, 'EUR');
    expect(refundOnCancel(paid, money(0, 'EUR'))).toEqual({
      kind: 'refund',
      amount: paid,
      full: true,
    });
    expect(refundOnCancel(paid, money(1000, 'EUR'))).toEqual({
      kind: 'refund',
      amount: money(1250, 'EUR'),
      full: false,
    });
    expect(refundOnCancel(paid, money(2250, 'EUR'))).toEqual({
      kind: 'none',
      reason: 'fee_covers_payment',
    });
    expect(refundOnCancel(paid, money(5000, 'EUR'))).toEqual({
      kind: 'none',
      reason: 'fee_covers_payment',
    });
    expect(refundOnCancel(money(0, 'EUR'), money(0, 'EUR'))).toEqual({
      kind: 'none',
      reason: 'nothing_paid',
    });
  });

  it('provider: Stars for prices in XTR, cards with a provider token, otherwise at the venue', () => {
    expect(chooseProviderKind('XTR', false)).toBe('telegram_stars');
    expect(chooseProviderKind('XTR', true)).toBe('telegram_stars');
    expect(chooseProviderKind('EUR', true)).toBe('telegram');
    expect(chooseProviderKind('EUR', false)).toBe('venue');
  });

  it('payment plan: money ahead only online (deposit with the rest at the venue, or the whole price); at the venue the whole price, nothing ahead', () => {
    const total = money(3000, 'USD');
    const deposit = {
      required: true as const,
      amount: money(600, 'USD'),
      reason: 'deposit_always' as const,
    };
    const prepayment = {
      required: true as const,
      amount: total,
      reason: 'no_show_history' as const,
    };
    for (const provider of ['telegram', 'telegram_stars', 'venue'] as const)
      expect(paymentPlan({ required: false }, total, provider)).toEqual({ kind: 'none' });
    expect(paymentPlan(deposit, total, 'telegram')).toEqual({
      kind: 'online',
      provider: 'telegram',
      purpose: 'deposit',
      amount: money(600, 'USD'),
      dueAtVenue: money(2400, 'USD'),
    });
    expect(paymentPlan(prepayment, total, 'telegram_stars')).toEqual({
      kind: 'online',
      provider: 'telegram_stars',
      purpose: 'prepayment',
      amount: total,
      dueAtVenue: money(0, 'USD'),
    });
    expect(paymentPlan(deposit, total, 'venue')).toEqual({
      kind: 'at_venue',
      waived: 'deposit',
      dueAtVenue: total,
    });
    expect(paymentPlan(prepayment, total, 'venue')).toEqual({
      kind: 'at_venue',
      waived: 'prepayment',
      dueAtVenue: total,
    });
  });

  it('a deposit that rounds to nothing is no deposit', () => {
    const policy = {
      ...DEFAULT_LOCATION_POLICY,
      deposit: { mode: 'always' as const, percent: 1, noShowThreshold: 5 },
    };
    expect(paymentRequirement(policy, { noShowCount: 0 }, money(10, 'XTR'))).toEqual({
      required: false,
    });
    expect(paymentRequirement(policy, { noShowCount: 0 }, money(100, 'XTR'))).toEqual({
      required: true,
      amount: money(1, 'XTR'),
      reason: 'deposit_always',
    });
  });

  it("owners read a mismatched or unmatched charge in the charge's own currency, with what to do", () => {
    const base = {
      start_at: null,
      timezone: null,
      master_name: null,
      client_name: null,
      service_names: null,
      currency: null,
    };
    const text = ownerSummary('en', 'Studio', [
      {
        ...base,
        id: '1',
        kind: 'payment_mismatch',
        detail: {
          amountMinor: 1,
          currency: 'USD',
          expectedMinor: 900,
          expectedCurrency: 'EUR',
          refunded: false,
          providerChargeId: 'prov-1',
        },
      },
      {
        ...base,
        id: '2',
        kind: 'payment_mismatch',
        detail: {
          amountMinor: 1,
          currency: 'XTR',
          expectedMinor: 9,
          expectedCurrency: 'XTR',
          refunded: true,
        },
      },
      {
        ...base,
        id: '3',
        kind: 'payment_unmatched',
        detail: {
          amountMinor: 900,
          currency: 'EUR',
          telegramChargeId: 'tg-3',
          providerChargeId: 'prov-3',
        },
      },
      {
        ...base,
        id: '4',
        kind: 'payment_unmatched',
        detail: { amountMinor: 5, currency: 'not money', telegramChargeId: 'tg-4' },
      },
    ]).split('\n');
    expect(text[1]).toMatch(
      /^⚠️ paid \$0\.01 instead of €9\.00, so not confirmed; refund \$0\.01 by hand \(charge prov-1\)/,
    );
    expect(text[2]).toMatch(
      /^⚠️ paid 1 ⭐ instead of 9 ⭐, so not confirmed; refunded through Telegram/,
    );
    expect(text[3]).toBe(
      '↩️ refund €9.00 by hand: a payment to this bot that matches none of your bookings (charge prov-3)',
    );
    expect(text[4]).toBe(
      '↩️ refund 5 not money by hand: a payment to this bot that matches none of your bookings (charge tg-4)',
    );
  });
});
