import { describe, expect, it } from 'vitest';
import {
  parseCurrency,
  parseDuration,
  parseMoneyInput,
  parseName,
  parseTimeOfDay,
  parseTimeZone,
  parseWeeklyHours,
  SLUG,
  slugFromName,
  timeZoneNames,
  withSuffix,
} from '../../tenants/admin/setup-input.ts';
import { clientAddress } from '../../tenants/admin/signup.ts';

const value = <T>(r: { ok: true; value: T } | { ok: false; reason: string }) =>
  r.ok ? r.value : `!${r.reason}`;

describe('what people type into sign-up and the first-run forms', () => {
  it('prices as people write money, in the currency’s minor units', () => {
    expect(value(parseMoneyInput('25', 'EUR'))).toBe(2500);
    expect(value(parseMoneyInput('25.50', 'EUR'))).toBe(2550);
    expect(value(parseMoneyInput('25,50', 'EUR'))).toBe(2550);
    expect(value(parseMoneyInput('25,5', 'EUR'))).toBe(2550);
    expect(value(parseMoneyInput(' 1 250,50 ', 'RUB'))).toBe(125050);
    expect(value(parseMoneyInput('1\u00a0250', 'RUB'))).toBe(125000);
    expect(value(parseMoneyInput('0', 'EUR'))).toBe(0);
    expect(value(parseMoneyInput('0.05', 'EUR'))).toBe(5);
    expect(value(parseMoneyInput('2500', 'JPY'))).toBe(2500);
    expect(value(parseMoneyInput('1.250', 'KWD'))).toBe(1250);
    expect(value(parseMoneyInput('', 'EUR'))).toBe('!empty');
    expect(value(parseMoneyInput('   ', 'EUR'))).toBe('!empty');
    expect(value(parseMoneyInput('25.505', 'EUR'))).toBe('!too_many_decimals');
    expect(value(parseMoneyInput('25.5', 'JPY'))).toBe('!format');
    expect(value(parseMoneyInput('-5', 'EUR'))).toBe('!format');
    expect(value(parseMoneyInput('25.', 'EUR'))).toBe('!format');
    expect(value(parseMoneyInput('1,250.50', 'EUR'))).toBe('!format');
    expect(value(parseMoneyInput('€25', 'EUR'))).toBe('!format');
    expect(value(parseMoneyInput('1e3', 'EUR'))).toBe('!format');
    expect(value(parseMoneyInput('99999999999999999', 'EUR'))).toBe('!too_large');
  });

  it('IANA zones as the database accepts them, in their canonical spelling', () => {
    expect(value(parseTimeZone('Europe/Berlin'))).toBe('Europe/Berlin');
    expect(value(parseTimeZone(' America/New_York '))).toBe('America/New_York');
    expect(value(parseTimeZone('europe/moscow'))).toBe('Europe/Moscow');
    expect(value(parseTimeZone('UTC'))).toBe('UTC');
    expect(value(parseTimeZone('Mars/Olympus'))).toBe('!unknown');
    expect(value(parseTimeZone('+03:00'))).toBe('!unknown');
    expect(value(parseTimeZone("Europe/Berlin'; drop table x"))).toBe('!unknown');
    expect(value(parseTimeZone(''))).toBe('!empty');
    expect(timeZoneNames()).toContain('Europe/Berlin');
  });

  it('ISO 4217 currencies, any case', () => {
    expect(value(parseCurrency('eur'))).toBe('EUR');
    expect(value(parseCurrency(' RUB '))).toBe('RUB');
    expect(value(parseCurrency('XYZ'))).toBe('!unknown');
    expect(value(parseCurrency('xtr'))).toBe('XTR'); // Telegram Stars
    expect(value(parseCurrency('EURO'))).toBe('!unknown');
    expect(value(parseCurrency('€'))).toBe('!unknown');
    expect(value(parseCurrency(''))).toBe('!empty');
  });

  it('durations, times of day and weekly hours', () => {
    expect(value(parseDuration('45'))).toBe(45);
    expect(value(parseDuration('0'))).toBe('!range');
    expect(value(parseDuration('1441'))).toBe('!range');
    expect(value(parseDuration('45.5'))).toBe('!format');
    expect(value(parseDuration(''))).toBe('!empty');
    expect(value(parseTimeOfDay('9:30'))).toBe(570);
    expect(value(parseTimeOfDay('24:00'))).toBe('!format');
    expect(value(parseTimeOfDay('24:00', true))).toBe(1440);
    expect(value(parseTimeOfDay('10:60'))).toBe('!format');
    expect(
      parseWeeklyHours({
        weekdays: ['5', '1', '2', '3', '4', '1', '9'],
        start: '10:00',
        end: '19:00',
      }),
    ).toEqual({ ok: true, value: { weekdays: [1, 2, 3, 4, 5], start: '10:00', end: '19:00' } });
    expect(parseWeeklyHours({ weekdays: ['6'], start: '9:00', end: '24:00' })).toEqual({
      ok: true,
      value: { weekdays: [6], start: '09:00', end: '24:00' },
    });
    expect(value(parseWeeklyHours({ weekdays: [], start: '10:00', end: '19:00' }))).toBe(
      '!no_days',
    );
    expect(value(parseWeeklyHours({ weekdays: ['1'], start: '', end: '19:00' }))).toBe('!start');
    expect(value(parseWeeklyHours({ weekdays: ['1'], start: '10:00', end: 'late' }))).toBe('!end');
    expect(value(parseWeeklyHours({ weekdays: ['1'], start: '19:00', end: '10:00' }))).toBe(
      '!order',
    );
  });

  it('names: trimmed, white space folded, bounded', () => {
    expect(value(parseName('  Studio \n Anna ', 200))).toBe('Studio Anna');
    expect(value(parseName('   ', 200))).toBe('!empty');
    expect(value(parseName('x'.repeat(201), 200))).toBe('!too_long');
  });

  it('slugs: latin, transliterated Cyrillic, accents dropped, a fallback when nothing is left', () => {
    expect(slugFromName('Studio Anna', 'abcd')).toBe('studio-anna');
    expect(slugFromName('Салон «Красота» №1', 'abcd')).toBe('salon-krasota-no1');
    expect(slugFromName('Щётка и Ёж', 'abcd')).toBe('shchetka-i-ezh');
    expect(slugFromName('Café Zürich', 'abcd')).toBe('cafe-zurich');
    expect(slugFromName('美容院', 'abcd')).toBe('business-abcd');
    expect(slugFromName('A', 'abcd')).toBe('business-abcd');
    const long = slugFromName('Very '.repeat(30), 'abcd');
    expect(long.length).toBeLessThanOrEqual(48);
    for (const slug of [
      long,
      withSuffix(long, 'x7k2'),
      withSuffix('a'.repeat(63), 'x7k2'),
      slugFromName('--Ölmühle--', 'q'),
    ])
      expect(slug).toMatch(SLUG);
    expect(withSuffix('studio', 'x7k2')).toBe('studio-x7k2');
  });

  it('the client address: Cloudflare’s header, else the first hop of X-Forwarded-For, else one shared bucket', () => {
    const headers = (h: Record<string, string>) => (name: string) => h[name];
    expect(
      clientAddress(
        headers({ 'cf-connecting-ip': '203.0.113.7', 'x-forwarded-for': '198.51.100.1' }),
      ),
    ).toBe('203.0.113.7');
    expect(clientAddress(headers({ 'x-forwarded-for': ' 198.51.100.1 , 10.0.0.1' }))).toBe(
      '198.51.100.1',
    );
    expect(clientAddress(headers({}))).toBe('unknown');
  });
});
