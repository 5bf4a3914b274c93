import { Api, GrammyError, HttpError } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { pgErrorInfo, type Database, type Queryable } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { insertBot, lockBotByTelegramId, updateBotRegistration } from '../../db/queries/bots.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { paymentTokenContext } from './payment-providers.ts';
import { secretContext, tokenContext } from './registry.ts';
import { BOT_TOKEN, generateWebhookSecret } from './secrets.ts';

/** Why a bot could not be connected; the subclasses tell the cases apart. */
export class OnboardingError extends Error {
  override name = 'OnboardingError';
}

/** The text is not shaped like a BotFather token at all (nothing was asked of Telegram). */
export class MalformedTokenError extends OnboardingError {
  override name = 'MalformedTokenError';
}

/** Telegram does not know the token (401/404 on getMe): revoked, mistyped, or from another bot. */
export class BadTokenError extends OnboardingError {
  override name = 'BadTokenError';
}

/** Telegram could not be reached or failed (network, timeout, 429, 5xx): the token may be fine. */
export class TelegramUnreachableError extends OnboardingError {
  override name = 'TelegramUnreachableError';
}

/** The bot belongs to another tenant already. */
export class BotConnectedElsewhereError extends OnboardingError {
  override name = 'BotConnectedElsewhereError';
}

/** Telegram refused the webhook; `description` is Telegram's reason. */
export class WebhookRefusedError extends OnboardingError {
  override name = 'WebhookRefusedError';
  constructor(
    readonly url: string,
    readonly description: string,
  ) {
    const hint = url.startsWith('https://')
      ? "Check that PUBLIC_URL is this app's public address and run this again."
      : 'Telegram delivers updates to a public HTTPS address only: set PUBLIC_URL to one that reaches this app (your domain, or an HTTPS tunnel to this machine), or fetch the updates with long polling instead: TELEGRAM_MODE=polling (no address needed; one server process). Then run this again.';
    super(`Telegram refused the webhook ${url}: "${description}". ${hint} Nothing was changed`);
  }
}

/** The updates the flows handle; Telegram sends nothing else. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'pre_checkout_query'] as const;

/** How long one Bot API call may take here (grammY's default is 500 s). */
const TELEGRAM_TIMEOUT_SECONDS = 20;

/** Turns a failed Bot API call into the onboarding error that says what happened. */
function telegramFailure(error: unknown, apiRoot: string, method: string, url?: string): Error {
  if (error instanceof GrammyError) {
    if (error.error_code === 401 || error.error_code === 404) {
      return new BadTokenError(
        `Telegram did not accept this token (${error.error_code}: ${error.description}); copy it again from @BotFather`,
      );
    }
    if (error.error_code === 400 && url !== undefined)
      return new WebhookRefusedError(url, error.description);
    if (error.error_code === 429 || error.error_code >= 500) {
      return new TelegramUnreachableError(
        `Telegram answered ${error.error_code}: ${error.description} (${method}); nothing was changed, run this again later`,
      );
    }
    return new OnboardingError(
      `Telegram refused ${method} (${error.error_code}: ${error.description}); nothing was changed`,
    );
  }
  if (error instanceof HttpError) {
    const cause = error.error instanceof Error ? error.error.message : String(error.error);
    return new TelegramUnreachableError(
      `could not reach Telegram at ${apiRoot} (${method}: ${cause}); nothing was changed, run this again once it answers`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

export interface OnboardingDeps {
  db: Database;
  secrets: SecretBox;
  apiRoot: string;
  publicUrl: string;
  /** `polling` (TELEGRAM_MODE): no webhook is set; the polling server fetches the bot's updates. Default `webhook`. */
  mode?: 'webhook' | 'polling';
}

/** A bot as getMe described it, found (or not) among the bots connected here, row-locked. */
export interface BotToJoin {
  me: UserFromGetMe;
  /** The business the bot is connected to already, if any. */
  connectedTo: string | undefined;
}

/**
 * Picks the business a bot joins, inside the registration's transaction (after getMe, before the
 * bot's row and its webhook): it may write (a new business, its claim code), and all of it is
 * rolled back with the registration. Throwing refuses the bot.
 */
export type ChooseTenant<T> = (
  tx: Queryable,
  bot: BotToJoin,
) => Promise<{ tenantId: string; result: T }>;

export interface Registered {
  botId: string;
  username: string;
  tenantId: string;
  webhookUrl?: string;
}

/**
 * Connects a business's own bot, all or nothing: getMe checks the token; then, in one
 * transaction, the bot's row is written (the token encrypted, a fresh webhook secret, the bot's
 * info) and setWebhook points the bot at `${publicUrl}/tg/<bot id>` with that secret; the row is
 * committed only once Telegram accepted the webhook. Running it again for the same business keeps
 * the bot's id, stores the (possibly new) token and sets the webhook again with a new secret; a bot
 * connected to another business is refused. In polling mode no webhook is set (`webhookUrl` is
 * absent): the polling server removes any webhook and fetches the updates Telegram holds.
 */
export async function registerBot(
  deps: OnboardingDeps,
  input: { tenantId: string; token: string },
): Promise<Registered> {
  return registerBotInto(deps, {
    token: input.token,
    async choose(_tx, bot) {
      if (bot.connectedTo !== undefined && bot.connectedTo !== input.tenantId)
        throw connectedElsewhere(bot.me);
      return { tenantId: input.tenantId, result: undefined };
    },
  });
}

export function connectedElsewhere(me: UserFromGetMe): BotConnectedElsewhereError {
  return new BotConnectedElsewhereError(
    `@${me.username} is already connected to another business; disconnect it there first, or create another bot with @BotFather`,
  );
}

/**
 * `registerBot` where the business is decided with the bot in hand (sign-up: a new business, or
 * the unclaimed one this bot already joined), in the same transaction as everything else.
 */
export async function registerBotInto<T>(
  deps: OnboardingDeps,
  input: { token: string; choose: ChooseTenant<T> },
): Promise<Registered & { result: T }> {
  const token = input.token.trim();
  if (!BOT_TOKEN.test(token))
    throw new MalformedTokenError(
      'that does not look like a BotFather token (digits, a colon, then 30+ letters, digits, _ or -)',
    );
  const api = new Api(token, { apiRoot: deps.apiRoot, timeoutSeconds: TELEGRAM_TIMEOUT_SECONDS });
  let me: UserFromGetMe;
  try {
    me = await api.getMe();
  } catch (error) {
    throw telegramFailure(error, deps.apiRoot, 'getMe');
  }
  return asPlatform(deps.db, async (tx) => {
    // Row-locked: a second registration of this bot waits for this one to commit or roll back.
    const existing = await lockBotByTelegramId(tx, me.id);
    const { tenantId, result } = await input.choose(tx, { me, connectedTo: existing?.tenant_id });
    if (existing && existing.tenant_id !== tenantId) throw connectedElsewhere(me);
    const botId = existing?.id ?? crypto.randomUUID();
    const secret = generateWebhookSecret();
    await writeBot(tx, deps.secrets, { botId, isNew: !existing, tenantId, token, secret, me });
    if (deps.mode === 'polling') return { botId, username: me.username, tenantId, result };
    const webhookUrl = `${deps.publicUrl.replace(/\/+$/, '')}/tg/${botId}`;
    try {
      // A bot new here starts clean; on a re-run the updates Telegram holds are customers' messages.
      await api.setWebhook(webhookUrl, {
        secret_token: secret,
        allowed_updates: [...ALLOWED_UPDATES],
        drop_pending_updates: !existing,
      });
    } catch (error) {
      throw telegramFailure(error, deps.apiRoot, 'setWebhook', webhookUrl);
    }
    return { botId, username: me.username, tenantId, webhookUrl, result };
  });
}

/** `registerBot` for the tenant with this slug (the CLI's and BOT_TOKEN's way of naming it). */
export async function connectBotToTenant(
  deps: OnboardingDeps,
  input: { tenantSlug: string; token: string },
): Promise<Registered> {
  const [tenant] = await asPlatform(deps.db, (tx) =>
    tx.query<{ id: string }>('select id from public.tenants where slug = $1', [input.tenantSlug]),
  );
  if (!tenant) throw new OnboardingError(`no tenant with slug "${input.tenantSlug}"`);
  return registerBot(deps, { tenantId: tenant.id, token: input.token });
}

async function writeBot(
  tx: Queryable,
  secrets: SecretBox,
  p: {
    botId: string;
    isNew: boolean;
    tenantId: string;
    token: string;
    secret: string;
    me: UserFromGetMe;
  },
): Promise<void> {
  const row = {
    id: p.botId,
    tenantId: p.tenantId,
    telegramBotId: p.me.id,
    username: p.me.username,
    tokenCiphertext: await secrets.encrypt(p.token, tokenContext(p.botId)),
    secretCiphertext: await secrets.encrypt(p.secret, secretContext(p.botId)),
    botInfo: p.me,
  };
  if (!p.isNew) return updateBotRegistration(tx, row);
  try {
    await insertBot(tx, row);
  } catch (error) {
    // Two first registrations of one bot at once: the other one committed while this one waited.
    if (pgErrorInfo(error)?.code === '23505')
      throw new OnboardingError(
        `@${p.me.username} was connected by another run just now; run this again to see where`,
      );
    throw error;
  }
}

/** BotFather's payment provider tokens: `<digits>:<TEST|LIVE>:<secret>`. */
const PROVIDER_TOKEN = /^\d+:(TEST|LIVE):[A-Za-z0-9_-]{8,}$/;

/** A provider token checked for its shape and encrypted for one bot's row (never stored in clear). */
export async function encryptPaymentToken(
  secrets: SecretBox,
  input: { botId: string; token: string },
): Promise<string> {
  const token = input.token.trim();
  if (!PROVIDER_TOKEN.test(token))
    throw new MalformedTokenError(
      'that does not look like a payment provider token from @BotFather (digits:TEST:... or digits:LIVE:...)',
    );
  return secrets.encrypt(token, paymentTokenContext(input.botId));
}

/**
 * Connects the payment provider BotFather gave the bot (Payments → a provider → token): stored
 * encrypted and bound to the bot's row; card invoices use it from then on.
 */
export async function setPaymentToken(
  deps: { db: Database; secrets: SecretBox },
  input: { botId: string; token: string },
): Promise<void> {
  const ciphertext = await encryptPaymentToken(deps.secrets, input);
  const rows = await asPlatform(deps.db, (tx) =>
    tx.query(
      'update public.tenant_bots set payment_token_ciphertext = $2 where id = $1 returning id',
      [input.botId, ciphertext],
    ),
  );
  if (rows.length === 0) throw new OnboardingError(`no bot ${input.botId}`);
}
