/** Webhook secrets: generated per bot, compared in constant time (Web Crypto only). */
export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  // Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -.
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Equal strings, compared without an early exit: both are hashed first so lengths never leak. */
export async function secretsEqual(given: string | undefined, expected: string): Promise<boolean> {
  if (given === undefined) return false;
  const enc = new TextEncoder();
  const [a, b] = await Promise.all([crypto.subtle.digest('SHA-256', enc.encode(given)), crypto.subtle.digest('SHA-256', enc.encode(expected))]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

export const BOT_TOKEN = /^(\d{3,20}):[A-Za-z0-9_-]{30,64}$/;
