/** Random secrets for links, codes and sessions, and the SHA-256 the database keeps instead. */

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** `bytes` random bytes as base64url text (32 bytes: 43 characters, 256 bits). */
export function randomSecret(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Lowercase hex of SHA-256 of the text's UTF-8 bytes. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** HMAC-SHA256 of `message` under `key`, as raw bytes. */
export async function hmacSha256(
  key: Uint8Array<ArrayBuffer> | string,
  message: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const raw = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  const k = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(message)));
}

export const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
export const base64Url = toBase64Url;

/**
 * Equal strings, compared without an early exit: every character of `given` is looked at whatever
 * the outcome, so the time taken depends on the length of what was sent, never on `expected` (its
 * length included) or on how much of it matched. No hashing: it runs on every webhook request, and
 * two WebCrypto digests cost more than the rest of the check.
 */
export async function secretsEqual(given: string | undefined, expected: string): Promise<boolean> {
  if (given === undefined || expected.length === 0) return false;
  let diff = given.length ^ expected.length;
  for (let i = 0; i < given.length; i++)
    diff |= given.charCodeAt(i) ^ expected.charCodeAt(i % expected.length);
  return diff === 0;
}
