import { randomSecret } from '../security/tokens.ts';

export { secretsEqual } from '../security/tokens.ts';

/** A bot's webhook secret: Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -. */
export function generateWebhookSecret(): string {
  return randomSecret(32);
}

export const BOT_TOKEN = /^(\d{3,20}):[A-Za-z0-9_-]{30,64}$/;
