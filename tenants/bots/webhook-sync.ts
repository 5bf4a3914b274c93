import { GrammyError } from 'grammy';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { listServedBots } from '../../db/queries/bots.ts';
import { retryInBackground, type BackgroundTask } from '../jobs/background-retry.ts';
import type { Logger } from '../observability/logger.ts';
import { isTransient } from './errors.ts';
import { ALLOWED_UPDATES } from './onboarding.ts';
import type { BotRegistry } from './registry.ts';

/**
 * TELEGRAM_MODE=webhook at start (Node and Deno; a Worker has no start): every bot Telegram
 * delivers to gets its webhook at `${publicUrl}/tg/<bot id>` with its stored secret, where
 * getWebhookInfo shows another URL or none (a bot polled before, or PUBLIC_URL changed). So
 * switching back from polling needs nothing but a start in webhook mode. Telegram unreachable:
 * retried in the background (`startup_task_retry`); a refusal (an http PUBLIC_URL on
 * api.telegram.org) is logged once per bot with what to do.
 */
export function createWebhookSync(deps: {
  db: Database;
  registry: BotRegistry;
  publicUrl: string;
  logger: Logger;
  firstDelayMs?: number;
}) {
  let task: BackgroundTask | undefined;
  let pending: string[] | undefined;

  async function ensureWebhook(botId: string): Promise<void> {
    const entry = await deps.registry.get(botId);
    if (!entry || entry.row.status !== 'active') return;
    const url = `${deps.publicUrl}/tg/${botId}`;
    const log = deps.logger.child({ tenant_id: entry.row.tenant_id, bot_id: botId });
    const info = await entry.bot.api.getWebhookInfo();
    if (info.url === url) return;
    try {
      await entry.bot.api.setWebhook(url, {
        secret_token: entry.secret,
        allowed_updates: [...ALLOWED_UPDATES],
      });
    } catch (error) {
      if (!(error instanceof GrammyError) || isTransient(error)) throw error;
      log.warn(
        { event: 'webhook_set_refused', url, telegram: error.description },
        `Telegram refused the webhook ${url} for @${entry.row.username} ("${error.description}"): set PUBLIC_URL to this app's public https address, or fetch the updates with TELEGRAM_MODE=polling`,
      );
      return;
    }
    log.info({ event: 'webhook_set', url, ...(info.url ? { previous_url: info.url } : {}) });
  }

  async function syncAll(): Promise<void> {
    pending ??= (await asPlatform(deps.db, (tx) => listServedBots(tx))).map((b) => b.id);
    const failed: string[] = [];
    let lastError: unknown;
    for (const botId of pending) {
      try {
        await ensureWebhook(botId);
      } catch (error) {
        failed.push(botId);
        lastError = error;
      }
    }
    pending = failed;
    if (failed.length)
      throw new Error(`the webhooks of ${failed.length} bot(s) could not be checked`, {
        cause: lastError,
      });
  }

  return {
    start(): void {
      task ??= retryInBackground({
        name: 'webhook_sync',
        logger: deps.logger,
        task: syncAll,
        ...(deps.firstDelayMs ? { firstDelayMs: deps.firstDelayMs } : {}),
      });
    },
    /** No further attempts; one in flight ends on its own (its failure unlogged). */
    async stop(): Promise<void> {
      task?.stop();
    },
  };
}
