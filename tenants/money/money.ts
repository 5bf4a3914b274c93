/**
 * Money as integer minor units plus a currency code (ISO 4217, or XTR for Telegram Stars). Never
 * floats: arithmetic stays in integers, and sums refuse to mix currencies.
 */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

export class MoneyError extends Error {
  override name = 'MoneyError';
}

export class CurrencyMismatchError extends MoneyError {
  override name = 'CurrencyMismatchError';
  constructor(
    readonly left: string,
    readonly right: string,
  ) {
    super(`cannot combine ${left} and ${right} amounts`);
  }
}

const CURRENCY = /^[A-Z]{3}$/;

const digitsByCurrency = new Map<string, number>([['XTR', 0]]);
const formats = new Map<string, Intl.NumberFormat>();

/** Digits after the decimal point: 2 for EUR, 0 for JPY, 3 for KWD, 0 for Telegram Stars. */
export function minorUnitDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

export function money(amountMinor: number, currency: string): Money {
  if (!Number.isSafeInteger(amountMinor))
    throw new MoneyError(`amount must be a whole number of minor units, got ${amountMinor}`);
  if (!CURRENCY.test(currency))
    throw new MoneyError(`currency must be a three-letter code such as EUR, got "${currency}"`);
  return Object.freeze({ amountMinor, currency });
}

export function zero(currency: string): Money {
  return money(0, currency);
}

export function add(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
  return money(a.amountMinor + b.amountMinor, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
  return money(a.amountMinor - b.amountMinor, a.currency);
}

/** Sum of amounts of one currency; an empty list needs the currency to be said. */
export function sum(amounts: readonly Money[], currency?: string): Money {
  const first = amounts[0]?.currency ?? currency;
  if (!first) throw new MoneyError('the sum of no amounts needs a currency');
  return amounts.reduce(add, zero(first));
}

/** `percent` % of an amount, rounded half up to the minor unit (a 50 % fee of 0.05 is 0.03). */
export function percentOf(amount: Money, percent: number): Money {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100)
    throw new MoneyError(`percent must be a whole number from 0 to 100, got ${percent}`);
  return money(Math.floor((amount.amountMinor * percent + 50) / 100), amount.currency);
}

export function min(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
  return a.amountMinor <= b.amountMinor ? a : b;
}

/** Formats per locale with Intl: "€55.00" (en), "55,00 €" (de), "55,00 €" (ru); Stars as "150 ⭐". */
export function formatMoney(amount: Money, locale: string): string {
  const digits = minorUnitDigits(amount.currency);
  const major = amount.amountMinor / 10 ** digits;
  const key = `${locale}|${amount.currency}`;
  let format = formats.get(key);
  if (!format) {
    format =
      amount.currency === 'XTR'
        ? new Intl.NumberFormat(locale)
        : new Intl.NumberFormat(locale, {
            style: 'currency',
            currency: amount.currency,
            minimumFractionDigits: digits,
            maximumFractionDigits: digits,
          });
    formats.set(key, format);
  }
  return amount.currency === 'XTR' ? `${format.format(major)} ⭐` : format.format(major);
}

/** The amount as a plain decimal with the currency's digits and a point: "25.50", "2500" (JPY), "-1.005" (KWD). */
export function decimalString(amount: Money): string {
  const digits = minorUnitDigits(amount.currency);
  const sign = amount.amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amount.amountMinor);
  if (digits === 0) return `${sign}${abs}`;
  return `${sign}${Math.floor(abs / 10 ** digits)}.${String(abs % 10 ** digits).padStart(digits, '0')}`;
}
