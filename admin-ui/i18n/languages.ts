/** The web pages' languages, as the bots speak them. The first is the fallback. */
export const WEB_LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'ru', name: 'Русский' },
] as const;
export type WebLanguage = (typeof WEB_LANGUAGES)[number]['code'];

const isWebLanguage = (code: string): code is WebLanguage =>
  WEB_LANGUAGES.some((l) => l.code === code);

/**
 * The page's language: `?lang=` when it names one we have, else the best of the browser's
 * `Accept-Language` (highest q, then the order given; `ru-RU` counts as `ru`), else English.
 */
export function negotiateLanguage(
  override: string | undefined,
  acceptLanguage: string | undefined,
): WebLanguage {
  const wanted = override?.trim().toLowerCase();
  if (wanted && isWebLanguage(wanted)) return wanted;
  let best: { code: WebLanguage; q: number } | undefined;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const code = tag.trim().toLowerCase().split('-')[0] ?? '';
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!isWebLanguage(code) || !(q > 0)) continue;
    if (!best || q > best.q) best = { code, q };
  }
  return best?.code ?? WEB_LANGUAGES[0].code;
}
