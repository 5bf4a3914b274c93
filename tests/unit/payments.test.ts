import { describe, expect, it } from 'vitest';
import { money } from '../../tenants/money/money.ts';
import { chooseProviderKind } from '../../tenants/payments/provider.ts';
import { refundOnCancel } from '../../tenants/payments/refunds.ts';

describe('payment rules', () => {
  it('refund on cancel: everything in the free window, paid minus fee later, nothing when the fee covers it', () => {
    const paid = money(2250, 'EUR');
    expect(refundOnCancel(paid, money(0, 'EUR'))).toEqual({ kind: 'refund', amount: paid, full: true });
    expect(refundOnCancel(paid, money(1000, 'EUR'))).toEqual({ kind: 'refund', amount: money(1250, 'EUR'), full: false });
    expect(refundOnCancel(paid, money(2250, 'EUR'))).toEqual({ kind: 'none', reason: 'fee_covers_payment' });
    expect(refundOnCancel(paid, money(5000, 'EUR'))).toEqual({ kind: 'none', reason: 'fee_covers_payment' });
    expect(refundOnCancel(money(0, 'EUR'), money(0, 'EUR'))).toEqual({ kind: 'none', reason: 'nothing_paid' });
  });

  it('provider: Stars for prices in XTR, cards with a provider token, otherwise at the venue', () => {
    expect(chooseProviderKind('XTR', false)).toBe('telegram_stars');
    expect(chooseProviderKind('XTR', true)).toBe('telegram_stars');
    expect(chooseProviderKind('EUR', true)).toBe('telegram');
    expect(chooseProviderKind('EUR', false)).toBe('venue');
  });
});
