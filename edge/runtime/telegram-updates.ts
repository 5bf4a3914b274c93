import type { Database } from '../../db/port.ts';
import { createPollingRunner } from '../../tenants/bots/polling.ts';
import type { BotRegistry } from '../../tenants/bots/registry.ts';
import { createUpdateDelivery } from '../../tenants/bots/update-delivery.ts';
import { createWebhookSync } from '../../tenants/bots/webhook-sync.ts';
import type { Logger } from '../../tenants/observability/logger.ts';
import type { AppConfig } from '../config.ts';

/** How a long-running server gets Telegram's updates besides its webhook route. */
export interface TelegramUpdates {
  start(): void;
  /** A bot was connected just now (sign-up): polling reads the bots again at once; webhooks need nothing. */
  botConnected(): void;
  stop(): Promise<void>;
}

/**
 * TELEGRAM_MODE for the Node and Deno servers: `polling` fetches every bot's updates (and removes
 * their webhooks); `webhook` points each bot's webhook at this app where it points elsewhere.
 */
export function telegramUpdatesFor(
  config: AppConfig,
  deps: { db: Database; logger: Logger; registry: BotRegistry },
): TelegramUpdates {
  if (config.telegramMode === 'polling') {
    const deliver = createUpdateDelivery({ db: deps.db, leaseSeconds: config.updateLeaseSeconds });
    const runner = createPollingRunner({
      db: deps.db,
      registry: deps.registry,
      deliver,
      apiRoot: config.telegramApiRoot,
      logger: deps.logger,
    });
    return {
      start: () => runner.start(),
      stop: () => runner.stop(),
      botConnected: () => runner.refreshNow(),
    };
  }
  const sync = createWebhookSync({
    db: deps.db,
    registry: deps.registry,
    publicUrl: config.publicUrl,
    logger: deps.logger,
  });
  return { start: () => sync.start(), stop: () => sync.stop(), botConnected: () => {} };
}
