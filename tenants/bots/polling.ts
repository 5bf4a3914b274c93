import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { listServedBots } from '../../db/queries/bots.ts';
import type { Logger } from '../observability/logger.ts';
import { startBotPoller, type BotPoller } from './bot-poller.ts';
import type { BotRegistry } from './registry.ts';
import type { UpdateDelivery } from './update-delivery.ts';

export interface PollingDeps {
  db: Database;
  registry: BotRegistry;
  deliver: UpdateDelivery;
  apiRoot: string;
  logger: Logger;
  /** Telegram's long poll: how long one getUpdates waits for an update (default 25 s). */
  pollTimeoutSeconds?: number;
  /** How often the list of bots is read again (default 30 s). */
  refreshMs?: number;
  batchLimit?: number;
  /** The pause after a 409 from another poller of the same bot (default 5 s, jittered). */
  conflictDelayMs?: number;
  random?: () => number;
}

export interface PollingRunner {
  start(): void;
  /** Reads the list of bots now (a bot was just connected: poll it without waiting for the next read). */
  refreshNow(): void;
  /** Stops every bot's poller (long polls aborted, batches in hand finished and confirmed). */
  stop(): Promise<void>;
}

/**
 * TELEGRAM_MODE=polling: one poller (`bot-poller.ts`) per bot Telegram delivers to (every active
 * bot of a pending, active or suspended tenant). The list is read at start and every `refreshMs`: a bot
 * connected meanwhile (`bot:register`, the admin pages) is polled from the next read, a bot
 * disabled or removed stops being polled. Telegram serves one getUpdates per bot at a time, so
 * polling is for one process; a second one gets 409s (logged, paused).
 */
export function createPollingRunner(deps: PollingDeps): PollingRunner {
  const refreshMs = deps.refreshMs ?? 30_000;
  const pollers = new Map<string, BotPoller>();
  const stopping = new Set<Promise<void>>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let refreshing: Promise<void> | undefined;
  let asked: Promise<void> = Promise.resolve();
  let saidNoBots = false;

  async function refresh(): Promise<void> {
    let bots: Awaited<ReturnType<typeof listServedBots>>;
    try {
      bots = await asPlatform(deps.db, (tx) => listServedBots(tx));
    } catch (error) {
      deps.logger.warn({ event: 'polling_refresh_failed', err: error });
      return;
    }
    if (stopped) return;
    const listed = new Set(bots.map((b) => b.id));
    for (const bot of bots) {
      if (pollers.has(bot.id)) continue;
      const logger = deps.logger.child({ tenant_id: bot.tenant_id, bot_id: bot.id });
      pollers.set(
        bot.id,
        startBotPoller({
          botId: bot.id,
          registry: deps.registry,
          deliver: deps.deliver,
          apiRoot: deps.apiRoot,
          logger,
          pollTimeoutSeconds: deps.pollTimeoutSeconds ?? 25,
          batchLimit: deps.batchLimit ?? 100,
          conflictDelayMs: deps.conflictDelayMs ?? 5000,
          idleMs: refreshMs,
          random: deps.random ?? Math.random,
        }),
      );
    }
    for (const [id, poller] of pollers) {
      if (listed.has(id)) continue;
      pollers.delete(id);
      deps.logger.info({
        event: 'polling_stopped',
        bot_id: id,
        reason: 'the bot was disabled or removed',
      });
      const stop = poller.stop().finally(() => stopping.delete(stop));
      stopping.add(stop);
    }
    if (bots.length === 0 && !saidNoBots) {
      deps.logger.info(
        { event: 'polling_no_bots' },
        'No bot is connected yet: start with BOT_TOKEN=<token from @BotFather> (it joins the tenant BOT_TENANT, default demo), or run `npm run bot:register -- --tenant <slug> --token <token>`',
      );
    }
    saidNoBots = bots.length === 0;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      refreshing = refresh().finally(schedule);
    }, refreshMs);
  }

  return {
    start() {
      refreshing = refresh().finally(schedule);
    },
    refreshNow() {
      if (stopped) return;
      // After any read in flight, so two reads never start a poller for one bot twice.
      asked = Promise.all([asked, refreshing]).then(refresh);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all([refreshing, asked]);
      clearTimeout(timer);
      await Promise.all([...[...pollers.values()].map((p) => p.stop()), ...stopping]);
      pollers.clear();
    },
  };
}
