import { BotError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { claimUpdate, finishUpdate, releaseUpdate } from '../../db/queries/bots.ts';
import { DEFAULT_LANGUAGE, translate } from '../i18n/catalog.ts';
import type { Logger } from '../observability/logger.ts';
import { isTransient } from './errors.ts';
import type { BotRegistry } from './registry.ts';
import { secretsEqual } from './secrets.ts';

export interface WebhookOutcome {
  status: 200 | 400 | 401 | 404 | 503;
  reason?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One Telegram update for one tenant bot: verify the secret, process it once, answer quickly.
 * A handler bug is logged and apologised for (200, so Telegram does not resend it); a transient
 * failure gives the update back and answers 503 so Telegram delivers it again.
 */
export function createWebhookHandler(deps: { db: Database; registry: BotRegistry }) {
  return async function handle(botId: string, secretHeader: string | undefined, body: string, logger: Logger): Promise<WebhookOutcome> {
    try {
      return await handleOnce(botId, secretHeader, body, logger);
    } catch (error) {
      // Before the update was claimed (bot lookup, claim): nothing to give back; Telegram retries.
      if (isTransient(error)) {
        logger.warn({ event: 'webhook_unavailable', err: error });
        return { status: 503, reason: 'temporarily unavailable' };
      }
      throw error;
    }
  };

  async function handleOnce(botId: string, secretHeader: string | undefined, body: string, logger: Logger): Promise<WebhookOutcome> {
    if (!UUID.test(botId)) return { status: 404, reason: 'unknown bot' };
    const entry = await deps.registry.get(botId);
    if (!entry || entry.row.status !== 'active') return { status: 404, reason: 'unknown bot' };
    if (!(await secretsEqual(secretHeader, entry.secret))) {
      logger.warn({ event: 'webhook_forbidden', tenant_id: entry.row.tenant_id });
      return { status: 401, reason: 'secret token mismatch' };
    }
    let update: Update;
    try {
      update = JSON.parse(body) as Update;
    } catch {
      return { status: 400, reason: 'body is not JSON' };
    }
    if (!Number.isSafeInteger(update?.update_id)) return { status: 400, reason: 'no update_id' };
    const log = logger.child({ tenant_id: entry.row.tenant_id, flow: 'bot', update_id: update.update_id });
    const key = { tenantId: entry.row.tenant_id, botId, updateId: update.update_id };

    // Private-chat updates are claimed by the session middleware, in the transaction that loads the
    // session; anything else (and everything of a suspended tenant) is claimed here.
    const claimHere = entry.row.tenant_status === 'suspended' || !isPrivateChat(update);
    if (claimHere && !(await asPlatform(deps.db, (tx) => claimUpdate(tx, key)))) {
      log.info({ event: 'update_duplicate' });
      return { status: 200 };
    }
    const chatId = update.message?.chat.id ?? update.callback_query?.message?.chat.id;
    if (entry.row.tenant_status === 'suspended') {
      if (chatId !== undefined) await entry.bot.api.sendMessage(chatId, translate(entry.row.default_language, 'common.suspended')).catch(() => {});
      await asPlatform(deps.db, (tx) => finishUpdate(tx, key));
      return { status: 200 };
    }
    try {
      await entry.bot.handleUpdate(update);
      // Private-chat updates are marked done together with their session; others here.
      if (claimHere) await asPlatform(deps.db, (tx) => finishUpdate(tx, key));
      return { status: 200 };
    } catch (error) {
      const cause = error instanceof BotError ? error.error : error;
      if (isTransient(cause)) {
        log.warn({ event: 'update_retry_later', err: cause });
        await asPlatform(deps.db, (tx) => releaseUpdate(tx, key)).catch(() => {});
        return { status: 503, reason: 'temporarily unavailable' };
      }
      log.error({ event: 'update_failed', err: cause, user_id: update.message?.from?.id ?? update.callback_query?.from.id });
      const lang = (error instanceof BotError ? (error.ctx as { flow?: { env?: { lang?: string } } }).flow?.env?.lang : undefined) ?? entry.row.default_language ?? DEFAULT_LANGUAGE;
      if (chatId !== undefined) await entry.bot.api.sendMessage(chatId, translate(lang, 'common.error')).catch(() => {});
      if (update.callback_query) await entry.bot.api.answerCallbackQuery(update.callback_query.id).catch(() => {});
      await asPlatform(deps.db, (tx) => finishUpdate(tx, key)).catch(() => {});
      return { status: 200 };
    }
  }
}

function isPrivateChat(update: Update): boolean {
  return (update.message?.chat.type ?? update.callback_query?.message?.chat.type) === 'private' && !!(update.message?.from ?? update.callback_query?.from);
}

export type WebhookHandler = ReturnType<typeof createWebhookHandler>;
