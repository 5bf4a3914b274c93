import { Api } from 'grammy';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { insertBot } from '../../db/queries/bots.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { paymentTokenContext } from './payment-providers.ts';
import { secretContext, tokenContext } from './registry.ts';
import { BOT_TOKEN, generateWebhookSecret } from './secrets.ts';

export class OnboardingError extends Error {
  override name = 'OnboardingError';
}

/** The updates the flows handle; Telegram sends nothing else. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'pre_checkout_query'] as const;

/**
 * Connects a business's own bot: checks the BotFather token with getMe, stores it encrypted with
 * a fresh webhook secret and the bot's info, and points the bot's webhook at this platform.
 */
export async function registerBot(
  deps: { db: Database; secrets: SecretBox; apiRoot: string; publicUrl: string },
  input: { tenantId: string; token: string },
): Promise<{ botId: string; username: string }> {
  const token = input.token.trim();
  if (!BOT_TOKEN.test(token)) throw new OnboardingError('that does not look like a BotFather token (digits, a colon, then 30+ letters, digits, _ or -)');
  const api = new Api(token, { apiRoot: deps.apiRoot });
  let me: Awaited<ReturnType<Api['getMe']>>;
  try {
    me = await api.getMe();
  } catch {
    throw new OnboardingError('Telegram did not accept this token; copy it again from @BotFather');
  }
  const botId = crypto.randomUUID();
  const secret = generateWebhookSecret();
  await asPlatform(deps.db, async (tx) =>
    insertBot(tx, {
      id: botId,
      tenantId: input.tenantId,
      telegramBotId: me.id,
      username: me.username,
      tokenCiphertext: await deps.secrets.encrypt(token, tokenContext(botId)),
      secretCiphertext: await deps.secrets.encrypt(secret, secretContext(botId)),
      botInfo: me,
    }),
  );
  await api.setWebhook(`${deps.publicUrl}/tg/${botId}`, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: true });
  return { botId, username: me.username };
}

/** BotFather's payment provider tokens: `<digits>:<TEST|LIVE>:<secret>`. */
const PROVIDER_TOKEN = /^\d+:(TEST|LIVE):[A-Za-z0-9_-]{8,}$/;

/**
 * Connects the payment provider BotFather gave the bot (Payments → a provider → token): stored
 * encrypted and bound to the bot's row; card invoices use it from then on.
 */
export async function setPaymentToken(deps: { db: Database; secrets: SecretBox }, input: { botId: string; token: string }): Promise<void> {
  const token = input.token.trim();
  if (!PROVIDER_TOKEN.test(token)) throw new OnboardingError('that does not look like a payment provider token from @BotFather (digits:TEST:... or digits:LIVE:...)');
  const ciphertext = await deps.secrets.encrypt(token, paymentTokenContext(input.botId));
  const rows = await asPlatform(deps.db, (tx) => tx.query('update public.tenant_bots set payment_token_ciphertext = $2 where id = $1 returning id', [input.botId, ciphertext]));
  if (rows.length === 0) throw new OnboardingError(`no bot ${input.botId}`);
}
