import { DateTime } from 'luxon';

/**
 * What staff type when they book for a client on the phone or at the desk: the client (name,
 * phone, language) and, for an owner's override, a local time and a reason. Pure: no clock, no I/O.
 */

export type WalkInSource = 'phone' | 'walk_in';
export type ClientLanguage = 'en' | 'ru';

export interface NewClient {
  source: WalkInSource;
  name: string;
  /** Normalized: `+` and digits for an international number, digits alone for a local one. */
  phone: string | undefined;
  language: ClientLanguage;
}

export type ClientProblem = 'name' | 'nameLong' | 'phone' | 'phoneNeeded';

/** Phone numbers have at most 15 digits (E.164); fewer than 5 is no number. */
const MIN_DIGITS = 5;
const MAX_DIGITS = 15;

/**
 * A phone number as typed (`+49 (30) 123-45`, `0049 30 12345`, `030 12345`) in one form: `+` and
 * the digits when it is international (`+` or `00` in front), else the digits. Undefined: empty.
 * `false`: not a phone number (letters, too few or too many digits).
 */
export function normalizePhone(value: string | undefined): string | undefined | false {
  const text = (value ?? '').trim();
  if (!text) return undefined;
  if (!/^\+?[0-9 ().\-/]+$/.test(text)) return false;
  let digits = text.replace(/[^0-9]/g, '');
  let international = text.startsWith('+');
  if (!international && digits.startsWith('00')) {
    international = true;
    digits = digits.slice(2);
  }
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return false;
  return international ? `+${digits}` : digits;
}

/** The digits of a search that looks like a phone number (at least 3), for matching any way it was typed. */
export function phoneDigitsOf(search: string): string | undefined {
  const text = search.trim();
  if (!/^\+?[0-9 ().\-/]+$/.test(text)) return undefined;
  const digits = text.replace(/[^0-9]/g, '');
  return digits.length >= 3 ? digits : undefined;
}

export function parseNewClient(
  values: Record<string, string | undefined>,
):
  | { ok: true; client: NewClient }
  | { ok: false; problems: Partial<Record<'name' | 'phone', ClientProblem>> } {
  const source: WalkInSource = values.source === 'walk_in' ? 'walk_in' : 'phone';
  const name = (values.name ?? '').replace(/\s+/g, ' ').trim();
  const phone = normalizePhone(values.phone);
  const problems: Partial<Record<'name' | 'phone', ClientProblem>> = {};
  if (!name) problems.name = 'name';
  else if (name.length > 200) problems.name = 'nameLong';
  if (phone === false) problems.phone = 'phone';
  else if (phone === undefined && source === 'phone') problems.phone = 'phoneNeeded';
  if (problems.name || problems.phone) return { ok: false, problems };
  return {
    ok: true,
    client: {
      source,
      name,
      phone: phone || undefined,
      language: values.language === 'ru' ? 'ru' : 'en',
    },
  };
}

/** A reason for booking outside the schedule: required, at most 400 characters (what book_slot takes). */
export function parseOverrideReason(
  value: string | undefined,
): { ok: true; value: string } | { ok: false; problem: 'missing' | 'long' } {
  const text = (value ?? '').replace(/\s+/g, ' ').trim();
  if (!text) return { ok: false, problem: 'missing' };
  if (text.length > 400) return { ok: false, problem: 'long' };
  return { ok: true, value: text };
}

/**
 * A local day and wall time (`HH:MM`) in `zone` as an instant; undefined when either is not one.
 * In a DST gap the clock time does not exist: luxon moves it forward, and so does this.
 */
export function localInstant(day: string, time: string, zone: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^\d{2}:\d{2}$/.test(time)) return undefined;
  const at = DateTime.fromISO(`${day}T${time}`, { zone });
  return at.isValid ? at.toMillis() : undefined;
}

/** A local date as `YYYY-MM-DD` that exists. */
export const isLocalDate = (day: string | undefined): day is string =>
  !!day && /^\d{4}-\d{2}-\d{2}$/.test(day) && DateTime.fromISO(day).isValid;
