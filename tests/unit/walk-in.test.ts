import { describe, expect, it } from 'vitest';
import {
  localInstant,
  normalizePhone,
  parseNewClient,
  parseOverrideReason,
  phoneDigitsOf,
} from '../../tenants/board/walk-in.ts';

describe('walk-in input', () => {
  it('normalizes a phone number however it was typed; refuses what is none', () => {
    expect(normalizePhone('+49 (30) 555-12-34')).toBe('+49305551234');
    expect(normalizePhone('0049 30 5551234')).toBe('+49305551234');
    expect(normalizePhone('030 555.12/34')).toBe('0305551234');
    expect(normalizePhone('  ')).toBeUndefined();
    expect(normalizePhone(undefined)).toBeUndefined();
    expect(normalizePhone('12ab34')).toBe(false);
    expect(normalizePhone('+1 23')).toBe(false);
    expect(normalizePhone('+1234567890123456')).toBe(false);
    expect(normalizePhone('++49 30 5551234')).toBe(false);
  });

  it('a search that looks like a phone number gives its digits', () => {
    expect(phoneDigitsOf('(30) 555')).toBe('30555');
    expect(phoneDigitsOf('anna')).toBeUndefined();
    expect(phoneDigitsOf('12')).toBeUndefined();
  });

  it('a new client: a name always, a phone for a phone booking, English unless Russian', () => {
    expect(
      parseNewClient({
        source: 'phone',
        name: ' Anna  P ',
        phone: '+7 999 123 45 67',
        language: 'ru',
      }),
    ).toEqual({
      ok: true,
      client: { source: 'phone', name: 'Anna P', phone: '+79991234567', language: 'ru' },
    });
    expect(parseNewClient({ source: 'walk_in', name: 'Boris', language: 'de' })).toEqual({
      ok: true,
      client: { source: 'walk_in', name: 'Boris', phone: undefined, language: 'en' },
    });
    expect(parseNewClient({ source: 'phone', name: '', phone: '' })).toEqual({
      ok: false,
      problems: { name: 'name', phone: 'phoneNeeded' },
    });
    expect(parseNewClient({ source: 'walk_in', name: 'x'.repeat(201), phone: 'call me' })).toEqual({
      ok: false,
      problems: { name: 'nameLong', phone: 'phone' },
    });
  });

  it('an override reason is required and at most 400 characters', () => {
    expect(parseOverrideReason('  late  bride ')).toEqual({ ok: true, value: 'late bride' });
    expect(parseOverrideReason(' ')).toEqual({ ok: false, problem: 'missing' });
    expect(parseOverrideReason('x'.repeat(401))).toEqual({ ok: false, problem: 'long' });
  });

  it('a local day and time in the zone, DST days included', () => {
    expect(localInstant('2026-03-29', '03:30', 'Europe/Berlin')).toBe(
      Date.parse('2026-03-29T01:30:00Z'),
    );
    expect(localInstant('2026-10-25', '01:30', 'Europe/Berlin')).toBe(
      Date.parse('2026-10-24T23:30:00Z'),
    );
    expect(localInstant('2026-02-30', '10:00', 'Europe/Berlin')).toBeUndefined();
    expect(localInstant('2026-03-01', '9:00', 'Europe/Berlin')).toBeUndefined();
  });
});
