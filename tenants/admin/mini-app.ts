import { hex, hmacSha256, secretsEqual } from '../security/tokens.ts';

/** The Telegram user a Mini App was opened by, as its signed launch data says. */
export interface MiniAppUser {
  id: number;
  firstName: string;
  languageCode?: string;
}

export type InitDataCheck =
  | { ok: true; user: MiniAppUser; authDate: number }
  | { ok: false; reason: 'malformed' | 'bad_hash' | 'stale' | 'no_user' };

/**
 * Checks a Mini App's `initData` as Telegram documents it: the data-check-string (every field but
 * `hash`, `key=value`, sorted by key, joined by newlines) signed with HMAC-SHA-256 under the key
 * HMAC-SHA-256("WebAppData", bot token); and `auth_date` no older than `maxAgeSeconds`. Only
 * then is the user in it believed. Web Crypto only.
 */
export async function checkInitData(
  initData: string,
  botToken: string,
  nowMs: number,
  maxAgeSeconds: number,
): Promise<InitDataCheck> {
  if (initData.length === 0 || initData.length > 8192) return { ok: false, reason: 'malformed' };
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(initData);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const hash = params.get('hash');
  if (!hash || !/^[0-9a-f]{64}$/.test(hash)) return { ok: false, reason: 'malformed' };
  const fields = [...params.entries()].filter(([key]) => key !== 'hash');
  if (new Set(fields.map(([key]) => key)).size !== fields.length)
    return { ok: false, reason: 'malformed' };
  const dataCheckString = fields
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
  const secretKey = await hmacSha256('WebAppData', botToken);
  const expected = hex(await hmacSha256(secretKey, dataCheckString));
  if (!(await secretsEqual(hash, expected))) return { ok: false, reason: 'bad_hash' };
  const authDate = Number(params.get('auth_date'));
  if (!Number.isSafeInteger(authDate) || authDate <= 0) return { ok: false, reason: 'malformed' };
  const age = nowMs / 1000 - authDate;
  if (age > maxAgeSeconds || age < -60) return { ok: false, reason: 'stale' };
  let user: unknown;
  try {
    user = JSON.parse(params.get('user') ?? 'null');
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const u = user as { id?: unknown; first_name?: unknown; language_code?: unknown } | null;
  if (!u || !Number.isSafeInteger(u.id) || (u.id as number) <= 0)
    return { ok: false, reason: 'no_user' };
  return {
    ok: true,
    authDate,
    user: {
      id: u.id as number,
      firstName: typeof u.first_name === 'string' ? u.first_name : '',
      ...(typeof u.language_code === 'string' ? { languageCode: u.language_code } : {}),
    },
  };
}

/** Signs launch data as Telegram would: for tests and the stand-in (the same rule, the other way). */
export async function signInitData(
  fields: Record<string, string>,
  botToken: string,
): Promise<string> {
  const entries = Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const dataCheckString = entries.map(([k, v]) => `${k}=${v}`).join('\n');
  const hash = hex(await hmacSha256(await hmacSha256('WebAppData', botToken), dataCheckString));
  return new URLSearchParams([...entries, ['hash', hash]]).toString();
}
