/**
 * Headers of every HTML page: a CSP that allows this origin's stylesheet and images and nothing
 * else (no scripts at all, no inline styles), no framing, no sniffing, no referrer.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function pageHeaders(language: string): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-language': language,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

/**
 * The admin pages' headers: the same CSP, but framable by Telegram's web clients (the Mini App
 * runs in their frame there); one bundled script where a page needs it (`script`); never cached;
 * the referrer only to this site.
 */
export function adminPageHeaders(
  language: string,
  options: { script: boolean },
): Record<string, string> {
  const csp =
    CONTENT_SECURITY_POLICY.replace(
      "frame-ancestors 'none'",
      'frame-ancestors https://web.telegram.org https://*.web.telegram.org',
    ) + (options.script ? "; script-src 'self'; connect-src 'self'" : '');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-language': language,
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    // Not no-referrer: under it browsers send `Origin: null` with the pages' own forms, and the
    // origin check needs the real one. Same-origin keeps sign-in links' paths from other sites.
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}
