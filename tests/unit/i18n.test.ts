import { describe, expect, it } from 'vitest';
import { CATALOGS, LANGUAGES, pickLanguage, translate } from '../../tenants/i18n/catalog.ts';
import { formatDuration, formatTime } from '../../tenants/i18n/format.ts';

const placeholders = (value: unknown): string[] => {
  const texts =
    typeof value === 'string' ? [value] : Object.values(value as Record<string, string>);
  return [...new Set(texts.flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort();
};

describe('message catalogs', () => {
  const reference = CATALOGS.en!;
  for (const { code } of LANGUAGES) {
    it(`${code} has every key with the same placeholders`, () => {
      const catalog = CATALOGS[code]!;
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(reference).sort());
      for (const key of Object.keys(reference) as (keyof typeof reference)[]) {
        expect(placeholders(catalog[key]), `${code} ${key}`).toEqual(placeholders(reference[key]));
        expect(
          String(
            typeof catalog[key] === 'string'
              ? catalog[key]
              : (catalog[key] as { other: string }).other,
          ).trim().length,
          `${code} ${key}`,
        ).toBeGreaterThan(0);
      }
    });
  }

  it('fills placeholders and picks plural forms per locale', () => {
    expect(
      translate('en', 'services.selected', { count: 1, duration: '1 hr', price: '€55.00' }),
    ).toBe('1 service · 1 hr · €55.00');
    expect(translate('en', 'services.selected', { count: 2, duration: 'x', price: 'y' })).toBe(
      '2 services · x · y',
    );
    expect(translate('ru', 'services.selected', { count: 1, duration: 'x', price: 'y' })).toBe(
      '1 услуга · x · y',
    );
    expect(translate('ru', 'services.selected', { count: 3, duration: 'x', price: 'y' })).toBe(
      '3 услуги · x · y',
    );
    expect(translate('ru', 'services.selected', { count: 5, duration: 'x', price: 'y' })).toBe(
      '5 услуг · x · y',
    );
  });

  it('maps Telegram language codes to a supported language', () => {
    expect(pickLanguage('ru-RU')).toBe('ru');
    expect(pickLanguage('en')).toBe('en');
    expect(pickLanguage('de')).toBe('en');
    expect(pickLanguage(undefined, 'ru')).toBe('ru');
  });

  it('formats durations and times per locale and zone', () => {
    expect(formatDuration(75, 'en')).toBe('1 hr 15 min');
    expect(formatDuration(45, 'ru')).toBe('45 мин');
    expect(formatTime(Date.parse('2026-06-15T08:30:00Z'), 'Europe/Berlin', 'ru')).toBe('10:30');
    expect(formatTime(Date.parse('2026-06-15T08:30:00Z'), 'America/New_York', 'en')).toBe(
      '4:30 AM',
    );
  });
});
