import { base64Url, hmacSha256, secretsEqual } from '../../tenants/security/tokens.ts';

/**
 * CSRF protection of every state-changing form: the token is an HMAC of the session's own secret
 * (which only the cookie holds), so a page of another site can neither read nor forge it; each
 * form carries it in `_csrf`, and each POST must bring it back.
 */
export async function csrfToken(sessionSecret: string): Promise<string> {
  return base64Url(await hmacSha256(sessionSecret, 'slotbot admin csrf'));
}

export async function csrfValid(
  sessionSecret: string,
  given: string | undefined,
): Promise<boolean> {
  return secretsEqual(given, await csrfToken(sessionSecret));
}

/**
 * Whether a POST comes from our own pages: its Origin (or, lacking one, Referer) is this
 * platform's. A request with neither is let through to the token check (some clients send none),
 * unless the route has no token to check (`required`).
 */
export function sameOrigin(
  publicUrl: string,
  origin: string | undefined,
  referer: string | undefined,
  required = false,
): boolean {
  const ours = new URL(publicUrl).origin;
  if (origin !== undefined) return origin === ours;
  if (referer !== undefined) {
    try {
      return new URL(referer).origin === ours;
    } catch {
      return false;
    }
  }
  return !required;
}
