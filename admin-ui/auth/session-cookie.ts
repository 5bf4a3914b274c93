/**
 * The admin session cookie: HttpOnly, SameSite=Lax, the whole site's path; Secure (and with the
 * `__Host-` prefix, which browsers bind to this origin) whenever the platform is served over HTTPS.
 * On a laptop's plain-HTTP address a Secure cookie would never come back, so there it is not.
 */
export interface SessionCookie {
  name: string;
  secure: boolean;
  /** The Set-Cookie value that stores `secret` until `maxAgeSeconds`. */
  set(secret: string, maxAgeSeconds: number): string;
  /**
   * The same inside Telegram's web clients, where the Mini App is a cross-site frame: there only a
   * partitioned SameSite=None cookie comes back (HTTPS only; forms still carry the CSRF token).
   */
  setFramed(secret: string, maxAgeSeconds: number): string;
  /** The Set-Cookie value that removes it. */
  clear(): string;
  /** The session secret from a Cookie header, if there is one. */
  read(cookieHeader: string | undefined): string | undefined;
}

export function sessionCookie(publicUrl: string): SessionCookie {
  const secure = new URL(publicUrl).protocol === 'https:';
  const name = secure ? '__Host-slotbot_admin' : 'slotbot_admin';
  const attributes = `Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  return {
    name,
    secure,
    set: (secret, maxAgeSeconds) =>
      `${name}=${secret}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; ${attributes}`,
    setFramed: (secret, maxAgeSeconds) =>
      secure
        ? `${name}=${secret}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; Path=/; HttpOnly; Secure; SameSite=None; Partitioned`
        : `${name}=${secret}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; ${attributes}`,
    clear: () => `${name}=; Max-Age=0; ${attributes}`,
    read(header) {
      for (const part of (header ?? '').split(';')) {
        const at = part.indexOf('=');
        if (at > 0 && part.slice(0, at).trim() === name)
          return part.slice(at + 1).trim() || undefined;
      }
      return undefined;
    },
  };
}
