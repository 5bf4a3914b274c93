/** @jsxImportSource hono/jsx */
import { timeZoneNames } from '../tenants/admin/setup-input.ts';
import { TextField } from './form-fields.tsx';

/**
 * A location's zone and currency fields (the first-run checklist's and the locations editor's):
 * text inputs with the runtime's IANA zones and common currencies as suggestions (a datalist:
 * searchable as one types, no script); whatever is typed is checked on the server
 * (tenants/admin/setup-input.ts).
 */

/** Common ISO 4217 codes first, then XTR (Telegram Stars); any valid code is accepted anyway. */
const COMMON_CURRENCIES = [
  'EUR',
  'USD',
  'GBP',
  'RUB',
  'UAH',
  'KZT',
  'BYN',
  'UZS',
  'GEL',
  'AMD',
  'AZN',
  'TRY',
  'PLN',
  'CZK',
  'CHF',
  'SEK',
  'NOK',
  'DKK',
  'ILS',
  'AED',
  'INR',
  'CNY',
  'JPY',
  'KRW',
  'CAD',
  'AUD',
  'BRL',
  'MXN',
  'XTR',
];

function currencyName(lang: string, code: string): string {
  if (code === 'XTR') return 'Telegram Stars';
  try {
    return new Intl.DisplayNames([lang], { type: 'currency' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function ZoneField(props: {
  label: string;
  hint: string;
  value: string | undefined;
  error: string | undefined;
}) {
  return (
    <>
      <TextField
        name="timezone"
        label={props.label}
        hint={props.hint}
        value={props.value}
        error={props.error}
        required
        list="zones"
        placeholder="Europe/Berlin"
        autocomplete="off"
        maxlength={64}
        verbatim
      />
      <datalist id="zones">
        {timeZoneNames().map((z) => (
          <option value={z} />
        ))}
      </datalist>
    </>
  );
}

export function CurrencyField(props: {
  lang: string;
  label: string;
  hint: string;
  value: string | undefined;
  error: string | undefined;
}) {
  return (
    <>
      <TextField
        name="currency"
        label={props.label}
        hint={props.hint}
        value={props.value}
        error={props.error}
        required
        maxlength={3}
        list="currencies"
        placeholder="EUR"
        autocomplete="off"
        verbatim
      />
      <datalist id="currencies">
        {COMMON_CURRENCIES.map((c) => (
          <option value={c}>{currencyName(props.lang, c)}</option>
        ))}
      </datalist>
    </>
  );
}
