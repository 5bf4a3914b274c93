import { IANAZone } from 'luxon';
import { minorUnitDigits } from '../money/money.ts';

/**
 * What a person types into the sign-up and first-run forms, checked and turned into what the
 * database stores: a business's slug, a zone, a currency, a price as people write money, a
 * duration, weekly hours. Pure: no I/O, no clock. Each failure is a reason code; the pages say it
 * in the person's language.
 */
export type Parsed<T, R extends string> = { ok: true; value: T } | { ok: false; reason: R };

const ok = <T>(value: T) => ({ ok: true as const, value });
const fail = <R extends string>(reason: R) => ({ ok: false as const, reason });

/** A name as entered: trimmed, inner runs of white space made one, 1..`max` characters. */
export function parseName(
  text: string | undefined,
  max: number,
): Parsed<string, 'empty' | 'too_long'> {
  const name = (text ?? '').replace(/\s+/g, ' ').trim();
  if (!name) return fail('empty');
  if ([...name].length > max) return fail('too_long');
  return ok(name);
}

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ї: 'yi',
  є: 'ye',
  ґ: 'g',
  ў: 'u',
};

/** The tenants table's rule for a slug. */
export const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

/**
 * A slug from a business's name: lowercase latin letters, digits and dashes; Cyrillic is
 * transliterated, accents dropped, anything else becomes a dash. A name with nothing usable left
 * (Chinese, emoji) gets `business-<suffix>`. Uniqueness is the caller's (`withSuffix`).
 */
export function slugFromName(name: string, suffix: string): string {
  const latin = [...name.normalize('NFKC').toLowerCase()]
    .map((ch) => CYRILLIC[ch] ?? ch)
    .join('')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const slug = latin
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return SLUG.test(slug) ? slug : `business-${suffix}`;
}

/** The same slug made distinct: `studio` → `studio-x7k2`. */
export function withSuffix(slug: string, suffix: string): string {
  return `${slug.slice(0, 63 - suffix.length - 1).replace(/-+$/, '')}-${suffix}`;
}

/** The database's own shape check for a zone name (app.is_valid_timezone), before luxon's. */
const ZONE_SHAPE = /^[A-Za-z]+(\/[A-Za-z0-9_+-]+)*$/;

/** An IANA time zone as luxon (and PostgreSQL) know it: "Europe/Berlin". */
export function parseTimeZone(text: string | undefined): Parsed<string, 'empty' | 'unknown'> {
  const zone = (text ?? '').trim();
  if (!zone) return fail('empty');
  if (!ZONE_SHAPE.test(zone) || !IANAZone.isValidZone(zone)) return fail('unknown');
  // The canonical spelling: "europe/berlin" is valid to luxon, the database wants "Europe/Berlin".
  // An alias ("Europe/Kiev") is kept as typed: the database's zone list may know only that name.
  const resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  return ok(resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone);
}

/** The zones to offer in the form (the runtime's list; any valid IANA name is accepted anyway). */
export function timeZoneNames(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? supported('timeZone') : [];
}

/**
 * An ISO 4217 currency code, any case: "eur" → "EUR"; or XTR, Telegram Stars (not ISO 4217, and
 * what Stars payments are priced in: tenants/payments/provider.ts).
 */
export function parseCurrency(text: string | undefined): Parsed<string, 'empty' | 'unknown'> {
  const code = (text ?? '').trim().toUpperCase();
  if (!code) return fail('empty');
  if (!/^[A-Z]{3}$/.test(code)) return fail('unknown');
  if (code === 'XTR') return ok(code);
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  if (supported && !supported('currency').includes(code)) return fail('unknown');
  return ok(code);
}

export type MoneyReason = 'empty' | 'format' | 'too_many_decimals' | 'too_large';

/**
 * A price as people write it, in minor units of `currency`: "25", "25.50", "25,50", "1 250,5",
 * "0". One decimal mark (dot or comma), at most the currency's digits after it (2 for EUR, 0 for
 * JPY); spaces between groups of digits are fine. No signs, no thousands commas (is "1,500" one
 * thousand five hundred or one and a half?).
 */
export function parseMoneyInput(
  text: string | undefined,
  currency: string,
): Parsed<number, MoneyReason> {
  const compact = (text ?? '').replace(/[\s\u00a0\u202f]+/g, '');
  if (!compact) return fail('empty');
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(compact);
  if (!match || match[2] === '') return fail('format');
  const digits = minorUnitDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return fail(digits === 0 ? 'format' : 'too_many_decimals');
  const minor = Number(match[1]! + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor) || minor > 1_000_000_000_000) return fail('too_large');
  return ok(minor);
}

/** How long a service takes, in whole minutes: 1 to 1440 (the database's bounds). */
export function parseDuration(
  text: string | undefined,
): Parsed<number, 'empty' | 'format' | 'range'> {
  const t = (text ?? '').trim();
  if (!t) return fail('empty');
  if (!/^\d{1,5}$/.test(t)) return fail('format');
  const minutes = Number(t);
  return minutes >= 1 && minutes <= 1440 ? ok(minutes) : fail('range');
}

/** "HH:MM" (a time input's value; "9:00" too) as minutes after midnight; "24:00" only as an end. */
export function parseTimeOfDay(
  text: string | undefined,
  asEnd = false,
): Parsed<number, 'empty' | 'format'> {
  const t = (text ?? '').trim();
  if (!t) return fail('empty');
  const match = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (!match) return fail('format');
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (Number(match[2]) > 59 || minutes > 24 * 60 || (minutes === 24 * 60 && !asEnd))
    return fail('format');
  return ok(minutes);
}

export const minutesToTime = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export interface WeeklyHours {
  /** ISO weekdays, 1 = Monday. */
  weekdays: number[];
  start: string;
  end: string;
}

export type HoursReason = 'no_days' | 'start' | 'end' | 'order';

/** The same window on the chosen weekdays ("Mon–Fri 10:00–19:00"): not crossing midnight. */
export function parseWeeklyHours(input: {
  weekdays: readonly string[];
  start?: string;
  end?: string;
}): Parsed<WeeklyHours, HoursReason> {
  const weekdays = [...new Set(input.weekdays.filter((d) => /^[1-7]$/.test(d)).map(Number))].sort();
  if (weekdays.length === 0) return fail('no_days');
  const start = parseTimeOfDay(input.start);
  if (!start.ok) return fail('start');
  const end = parseTimeOfDay(input.end, true);
  if (!end.ok) return fail('end');
  if (end.value <= start.value) return fail('order');
  return ok({ weekdays, start: minutesToTime(start.value), end: minutesToTime(end.value) });
}

/**
 * A master's speed as people write it: "1" (the service's own duration), "0.8" or "0,8" (20 %
 * faster), "1.25" (slower); 0.25 to 4 with at most two decimals (the database's bounds).
 */
export function parseSpeedFactor(
  text: string | undefined,
): Parsed<number, 'empty' | 'format' | 'range'> {
  const t = (text ?? '').trim().replace(',', '.');
  if (!t) return fail('empty');
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(t)) return fail('format');
  const value = Number(t);
  return value >= 0.25 && value <= 4 ? ok(value) : fail('range');
}

/** A duration override: empty for none, else whole minutes like a service's duration. */
export function parseOptionalDuration(
  text: string | undefined,
): Parsed<number | null, 'format' | 'range'> {
  if (!(text ?? '').trim()) return ok(null);
  const parsed = parseDuration(text);
  return parsed.ok ? parsed : fail(parsed.reason === 'empty' ? 'format' : parsed.reason);
}
