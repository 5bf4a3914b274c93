import { en, type MessageKey } from './en.ts';
import { ru } from './ru.ts';

/**
 * Message catalogs, bundled as modules (Workers have no file system). Adding a language is adding
 * one catalog here; a test fails when any catalog misses a key or a placeholder.
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Catalog = Record<MessageKey, string | PluralForms>;

export const CATALOGS: Record<string, Catalog> = { en, ru };
export const LANGUAGES: { code: string; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'ru', name: 'Русский' },
];
export const DEFAULT_LANGUAGE = 'en';

export type { MessageKey };

/** The supported language closest to a Telegram `language_code` ("ru-RU" -> "ru"). */
export function pickLanguage(code: string | undefined, fallback = DEFAULT_LANGUAGE): string {
  const base = code?.toLowerCase().split(/[-_]/)[0];
  return base && CATALOGS[base] ? base : fallback;
}

const pluralRules = new Map<string, Intl.PluralRules>();

/** The message for `key` in `locale` with `{placeholders}` filled; plural forms pick by `count`. */
export function translate(
  locale: string,
  key: MessageKey,
  vars: Record<string, string | number> = {},
): string {
  const entry = (CATALOGS[locale] ?? CATALOGS[DEFAULT_LANGUAGE]!)[key];
  let text: string;
  if (typeof entry === 'string') {
    text = entry;
  } else {
    let rules = pluralRules.get(locale);
    if (!rules) {
      rules = new Intl.PluralRules(locale);
      pluralRules.set(locale, rules);
    }
    text = entry[rules.select(Number(vars.count ?? 0))] ?? entry.other;
  }
  return text.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in vars ? String(vars[name]) : match,
  );
}
