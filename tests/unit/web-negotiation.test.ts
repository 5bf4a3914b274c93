import { describe, expect, it } from 'vitest';
import { negotiateLanguage } from '../../admin-ui/i18n/languages.ts';
import { prefersJson } from '../../edge/landing-route.ts';

describe('the web pages speak the browser’s language', () => {
  it.each([
    [undefined, undefined, 'en'],
    [undefined, 'ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7', 'ru'],
    [undefined, 'de-DE,de;q=0.9,en;q=0.5,ru;q=0.4', 'en'],
    [undefined, 'en;q=0.5, ru;q=0.7', 'ru'],
    [undefined, 'ru;q=0, de', 'en'],
    [undefined, 'uk, de', 'en'],
    [undefined, 'RU', 'ru'],
    ['ru', 'en-US,en', 'ru'],
    [' EN ', 'ru', 'en'],
    ['xx', 'ru', 'ru'],
  ] as [string | undefined, string | undefined, string][])(
    '?lang=%s, Accept-Language %s -> %s',
    (override, header, expected) => {
      expect(negotiateLanguage(override, header)).toBe(expected);
    },
  );
});

describe('GET / answers JSON only to a client that asks for it', () => {
  it.each([
    [undefined, false],
    ['*/*', false],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', false],
    ['application/json', true],
    ['application/json, text/plain, */*', true],
    ['text/html, application/json', false],
    ['text/html;q=0.5, application/json', true],
    ['application/json;q=0', false],
  ] as [string | undefined, boolean][])('Accept %s -> JSON %s', (accept, expected) => {
    expect(prefersJson(accept)).toBe(expected);
  });
});
