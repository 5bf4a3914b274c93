import { DateTime } from 'luxon';
import { formatMoney, type Money } from '../money/money.ts';

/** Locale-aware formatting in the location's timezone: dates, times, durations, prices. */
export function formatWhen(epochMs: number, zone: string, locale: string): string {
  return DateTime.fromMillis(epochMs, { zone }).setLocale(locale).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function formatDay(isoDate: string, locale: string): string {
  return DateTime.fromISO(isoDate, { zone: 'UTC' }).setLocale(locale).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' });
}

export function formatTime(epochMs: number, zone: string, locale: string): string {
  return DateTime.fromMillis(epochMs, { zone }).setLocale(locale).toLocaleString(DateTime.TIME_SIMPLE);
}

// Building an Intl formatter costs far more than using one: keep them per locale and unit.
const unitFormats = new Map<string, Intl.NumberFormat>();
function unitFormat(locale: string, unit: 'hour' | 'minute'): Intl.NumberFormat {
  const key = `${locale}|${unit}`;
  let format = unitFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' });
    unitFormats.set(key, format);
  }
  return format;
}

export function formatDuration(minutes: number, locale: string): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const unit = (value: number, u: 'hour' | 'minute') => unitFormat(locale, u).format(value);
  if (h === 0) return unit(m, 'minute');
  return m === 0 ? unit(h, 'hour') : `${unit(h, 'hour')} ${unit(m, 'minute')}`;
}

export function formatPrice(amount: Money, locale: string): string {
  return formatMoney(amount, locale);
}
