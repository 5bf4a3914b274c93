import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  CurrencyMismatchError,
  formatMoney,
  minorUnitDigits,
  money,
  MoneyError,
  percentOf,
  sum,
  zero,
} from '../../tenants/money/money.ts';

describe('money', () => {
  it('holds whole minor units of a currency and refuses anything else', () => {
    expect(money(5500, 'EUR')).toEqual({ amountMinor: 5500, currency: 'EUR' });
    expect(() => money(55.5, 'EUR')).toThrow(MoneyError);
    expect(() => money(1, 'eur')).toThrow('three-letter code');
    expect(() => money(Number.MAX_SAFE_INTEGER + 1, 'EUR')).toThrow(MoneyError);
  });

  it('adds and sums within one currency, and refuses mixed currencies', () => {
    expect(sum([money(100, 'EUR'), money(250, 'EUR')])).toEqual(money(350, 'EUR'));
    expect(sum([], 'USD')).toEqual(zero('USD'));
    expect(() => sum([])).toThrow('needs a currency');
    expect(() => add(money(1, 'EUR'), money(1, 'USD'))).toThrow(CurrencyMismatchError);
    expect(() => sum([money(1, 'EUR'), money(1, 'USD')])).toThrow(
      'cannot combine EUR and USD amounts',
    );
  });

  it('is associative and exact, unlike floats', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 50 }),
        (amounts) => {
          const total = sum(
            amounts.map((a) => money(a, 'EUR')),
            'EUR',
          );
          expect(total.amountMinor).toBe(amounts.reduce((s, a) => s + a, 0));
          expect(
            sum(
              [...amounts].reverse().map((a) => money(a, 'EUR')),
              'EUR',
            ),
          ).toEqual(total);
        },
      ),
    );
  });

  it('takes percentages rounded half up to the minor unit', () => {
    expect(percentOf(money(5, 'EUR'), 50)).toEqual(money(3, 'EUR'));
    expect(percentOf(money(5500, 'EUR'), 30)).toEqual(money(1650, 'EUR'));
    expect(percentOf(money(999, 'JPY'), 33)).toEqual(money(330, 'JPY'));
    expect(() => percentOf(money(1, 'EUR'), 101)).toThrow(MoneyError);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 100 }),
        (amount, p) => {
          const part = percentOf(money(amount, 'EUR'), p).amountMinor;
          expect(Math.abs(part - (amount * p) / 100)).toBeLessThanOrEqual(0.5);
          expect(part).toBeLessThanOrEqual(amount);
        },
      ),
    );
  });

  it('knows minor units per currency', () => {
    expect([
      minorUnitDigits('EUR'),
      minorUnitDigits('JPY'),
      minorUnitDigits('KWD'),
      minorUnitDigits('XTR'),
    ]).toEqual([2, 0, 3, 0]);
  });

  it('formats per locale', () => {
    expect(formatMoney(money(5500, 'EUR'), 'en')).toBe('€55.00');
    expect(formatMoney(money(5500, 'EUR'), 'de').replace(/\s/g, ' ')).toBe('55,00 €');
    expect(formatMoney(money(123456, 'USD'), 'ru').replace(/\s/g, ' ')).toBe('1 234,56 $');
    expect(formatMoney(money(1500, 'JPY'), 'en')).toBe('¥1,500');
    expect(formatMoney(money(150, 'XTR'), 'en')).toBe('150 ⭐');
  });
});
