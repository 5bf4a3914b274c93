import { parseDuration, parseMoneyInput, parseName } from '../tenants/admin/setup-input.ts';
import { minorUnitDigits } from '../tenants/money/money.ts';
import { SIGNUP_MESSAGES } from './i18n/signup-messages.ts';
import { WEB_LANGUAGES, type WebLanguage } from './i18n/languages.ts';

export type Errors = Record<string, string | undefined>;

export interface ServiceInput {
  name: string;
  durationMin: number;
  priceMinor: number;
  /** Translations of the name: language → name (the name as entered is the fallback). */
  names: Record<string, string>;
}

/**
 * A service's form as typed (the checklist's and the editor's): its name, duration and price as
 * people write money in `currency`, and optional names per language (`name_en`, `name_ru`).
 * Either the values to store or, per field, what to fix, in the reader's language.
 */
export function checkServiceForm(
  lang: WebLanguage,
  values: Record<string, string>,
  currency: string,
): { ok: true; value: ServiceInput } | { ok: false; errors: Errors } {
  const e = SIGNUP_MESSAGES[lang].setup.errors;
  const name = parseName(values.name, 100);
  const duration = parseDuration(values.duration);
  const price = parseMoneyInput(values.price, currency);
  const errors: Errors = {
    name: name.ok ? undefined : e.name[name.reason],
    duration: duration.ok ? undefined : e.duration[duration.reason],
    price: price.ok ? undefined : e.price(price.reason, currency, minorUnitDigits(currency)),
  };
  const names: Record<string, string> = {};
  for (const { code } of WEB_LANGUAGES) {
    const field = `name_${code}`;
    if (!values[field]?.trim()) continue;
    const translated = parseName(values[field], 100);
    if (translated.ok) names[code] = translated.value;
    else errors[field] = e.name[translated.reason];
  }
  if (!name.ok || !duration.ok || !price.ok || Object.values(errors).some(Boolean))
    return { ok: false, errors };
  return {
    ok: true,
    value: { name: name.value, durationMin: duration.value, priceMinor: price.value, names },
  };
}
