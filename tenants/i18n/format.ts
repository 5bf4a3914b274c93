import { formatMoney, type Money } from '../money/money.ts';

/**
 * Locale-aware formatting in the location's timezone: dates, times, durations, prices. One format
 * per locale for a time of day everywhere (buttons, messages, reminders, digests, calendar files):
 * the locale's own hour style ("9:00 AM", "9:00"), never a padded one in one place and not another.
 */
const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const DAY: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(
  locale: string,
  zone: string,
  kind: 'when' | 'time' | 'day',
): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${kind}`;
  let format = dateFormats.get(key);
  if (!format) {
    const options = kind === 'when' ? { ...DAY, ...TIME } : kind === 'time' ? TIME : DAY;
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    if (dateFormats.size > 2_000) dateFormats.clear();
    dateFormats.set(key, format);
  }
  return format;
}

/** A day and time: "Wed, Dec 2, 9:00 AM". */
export function formatWhen(epochMs: number, zone: string, locale: string): string {
  return dateFormat(locale, zone, 'when').format(epochMs);
}

/**
 * A visit from start to end: "Wed, Dec 2, 9:00 AM – 9:45 AM", the end as a time of day when it is
 * the same local day. Built from the two formats above rather than Intl's formatRange, which
 * writes times differently inside a range in some locales ("09:00–09:45" in Russian).
 */
export function formatVisit(startMs: number, endMs: number, zone: string, locale: string): string {
  const day = dateFormat(locale, zone, 'day');
  const sameDay = day.format(startMs) === day.format(endMs - 1);
  return `${formatWhen(startMs, zone, locale)} – ${sameDay ? formatTime(endMs, zone, locale) : formatWhen(endMs, zone, locale)}`;
}

/** A zone as people say it: "Eastern Time", "Центральная Европа". */
export function formatZone(zone: string, locale: string, atMs: number): string {
  const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'longGeneric' })
    .formatToParts(atMs)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/** A local date (ISO, no zone): "Wed, Dec 2". */
export function formatDay(isoDate: string, locale: string): string {
  return dateFormat(locale, 'UTC', 'day').format(Date.parse(`${isoDate}T12:00:00Z`));
}

/** A time of day: "9:00 AM". */
export function formatTime(epochMs: number, zone: string, locale: string): string {
  return dateFormat(locale, zone, 'time').format(epochMs);
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
