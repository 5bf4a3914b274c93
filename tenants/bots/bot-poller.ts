import { Api, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../observability/logger.ts';
import { ALLOWED_UPDATES } from './onboarding.ts';
import type { BotRegistry, RegisteredBot } from './registry.ts';
import type { UpdateDelivery } from './update-delivery.ts';

export interface BotPollerOptions {
  botId: string;
  registry: BotRegistry;
  deliver: UpdateDelivery;
  apiRoot: string;
  /** Carries the bot's `tenant_id` and `bot_id`. */
  logger: Logger;
  /** How long one getUpdates waits for an update (Telegram's long poll). */
  pollTimeoutSeconds: number;
  /** At most this many updates per getUpdates (Telegram: 1–100). */
  batchLimit: number;
  /** The pause after a 409 from another poller of the same bot. */
  conflictDelayMs: number;
  /** The wait while the bot cannot be loaded (the runner stops a bot gone from the list). */
  idleMs: number;
  random: () => number;
}

export interface BotPoller {
  /** Ends the long poll at once, lets a batch in hand finish, confirms it to Telegram, and resolves. */
  stop(): Promise<void>;
}

/** grammY's types name the abort-controller package's AbortSignal on Node; the platform's is the same thing. */
type ApiSignal = Parameters<Api['getUpdates']>[1];
const apiSignal = (s: AbortSignal) => s as unknown as ApiSignal;

type Answer = { kind: 'done' } | { kind: 'retry'; afterSeconds: number };

/**
 * Fetches one bot's updates with getUpdates and hands each to the same delivery as the webhook.
 *
 * Telegram confirms every update below the `offset` of the next getUpdates call, so the offset only
 * ever moves past a run of updates that were all answered done (the webhook's 200; an invalid
 * update, the webhook's 400, counts as done: it would never pass). An update answered "retry
 * later" (the webhook's 503) stops the offset there: it and everything after it are fetched again,
 * after its Retry-After, and handled in order again; those after it that were already answered
 * done are not handed to the delivery again (and would be found done by their claims anyway).
 *
 * A batch's updates are handed to the delivery together, in update_id order, as Telegram's
 * concurrent webhook requests would be: each chat's line keeps their order and folds a flood
 * (`chat-queue.ts`); the next getUpdates waits until the batch is answered.
 */
export function startBotPoller(o: BotPollerOptions): BotPoller {
  const controller = new AbortController();
  const signal = controller.signal;
  let stopped = false;
  /** The next update to fetch; undefined until a batch was answered (Telegram starts at the oldest unconfirmed). */
  let offset: number | undefined;
  /** The offset Telegram last heard: what it has confirmed. */
  let sentOffset: number | undefined;
  /** Updates at or above `offset` that were answered done, while one before them waits for a retry. */
  const answeredAhead = new Set<number>();
  let started = false;
  let webhookRemoved = false;
  let failures = 0;
  let api: { token: string; api: Api } | undefined;

  const apiFor = (token: string): Api => {
    // Its own client: a long poll outlasts the bots' 20-second limit on a call.
    if (api?.token !== token)
      api = {
        token,
        api: new Api(token, { apiRoot: o.apiRoot, timeoutSeconds: o.pollTimeoutSeconds + 15 }),
      };
    return api.api;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });

  async function loop(): Promise<void> {
    while (!stopped) {
      try {
        const entry = await o.registry.get(o.botId);
        // Stopped while awaiting: no further call. (A signal aborted before a Bot API call starts
        // does not stop that call, so the flag is checked before each one.)
        if (stopped) break;
        if (!entry || entry.row.status !== 'active') {
          await sleep(o.idleMs);
          continue;
        }
        const bot = apiFor(entry.bot.token);
        if (!webhookRemoved) {
          // Updates cannot be fetched while a webhook is set; the ones Telegram holds are kept.
          await bot.deleteWebhook({ drop_pending_updates: false }, apiSignal(signal));
          webhookRemoved = true;
          if (!started) {
            started = true;
            o.logger.info(
              { event: 'polling_started', username: entry.row.username },
              `Polling Telegram for @${entry.row.username}: open https://t.me/${entry.row.username}`,
            );
          }
        }
        if (stopped) break;
        // Telegram confirms the updates below the offset when it receives the call, also one that
        // is then given up (a stop aborts the long poll): nothing is left for `confirmAnswered`.
        sentOffset = offset;
        const updates = await bot.getUpdates(
          {
            ...(offset !== undefined ? { offset } : {}),
            limit: o.batchLimit,
            timeout: o.pollTimeoutSeconds,
            allowed_updates: [...ALLOWED_UPDATES],
          },
          apiSignal(signal),
        );
        failures = 0;
        if (updates.length === 0) continue;
        const retryAfterSeconds = await answerBatch(entry, updates);
        if (retryAfterSeconds !== undefined) await sleep(retryAfterSeconds * 1000);
      } catch (error) {
        if (stopped) break;
        await sleep(pauseAfter(error));
      }
    }
  }

  /** Hands the batch to the delivery and moves `offset` past the updates answered done, in order; the wait before a retry, if any. */
  async function answerBatch(entry: RegisteredBot, updates: Update[]): Promise<number | undefined> {
    const batch = [...updates].sort((a, b) => a.update_id - b.update_id);
    const answers = await Promise.all(
      batch.map((update) =>
        answeredAhead.has(update.update_id)
          ? ({ kind: 'done' } as const)
          : deliverOne(entry, update),
      ),
    );
    let retryAfter: number | undefined;
    batch.forEach((update, i) => {
      const answer = answers[i]!;
      if (answer.kind === 'retry') retryAfter ??= answer.afterSeconds;
      else if (retryAfter === undefined) offset = update.update_id + 1;
      else answeredAhead.add(update.update_id);
    });
    for (const id of answeredAhead)
      if (offset !== undefined && id < offset) answeredAhead.delete(id);
    return retryAfter;
  }

  async function deliverOne(entry: RegisteredBot, update: Update): Promise<Answer> {
    // What an inbound request is to the webhook, a fetched update is here: its own correlation id.
    const log = o.logger.child({ correlation_id: crypto.randomUUID() });
    try {
      const outcome = await o.deliver(entry, update, log);
      return outcome.status === 503
        ? { kind: 'retry', afterSeconds: outcome.retryAfterSeconds ?? 5 }
        : { kind: 'done' };
    } catch (error) {
      // What the webhook answers 500 (a failure outside the handlers): Telegram would send it again.
      log.error({ event: 'update_delivery_failed', update_id: update.update_id, err: error });
      return { kind: 'retry', afterSeconds: 5 };
    }
  }

  /** Logs why a getUpdates (or deleteWebhook) failed and says how long to wait before the next. */
  function pauseAfter(error: unknown): number {
    const jitter = (ms: number) => Math.round(ms / 2 + (ms / 2) * o.random());
    if (error instanceof GrammyError && error.error_code === 409) {
      if (/webhook/i.test(error.description)) {
        webhookRemoved = false;
        o.logger.warn(
          { event: 'polling_webhook_active' },
          'A webhook was set for this bot meanwhile (a server in webhook mode, or bot:register without TELEGRAM_MODE=polling); removing it again',
        );
        return jitter(2000);
      }
      const ms = jitter(o.conflictDelayMs);
      o.logger.warn(
        { event: 'polling_conflict', retry_in_ms: ms, telegram: error.description },
        `Another process is fetching this bot's updates (Telegram: 409 ${error.description}). Polling is for one process: stop the other one, or run every process in webhook mode; trying again in ${Math.ceil(ms / 1000)} s`,
      );
      return ms;
    }
    failures += 1;
    if (error instanceof GrammyError && error.error_code === 429)
      return (error.parameters.retry_after ?? 5) * 1000;
    if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
      const ms = jitter(Math.min(60_000, 5000 * 2 ** (failures - 1)));
      o.logger.warn(
        { event: 'polling_unauthorized', retry_in_ms: ms },
        `Telegram refused this bot's token (${error.error_code}: ${error.description}): it was revoked or replaced; connect the new one with \`npm run bot:register\``,
      );
      return ms;
    }
    const ms = jitter(Math.min(30_000, 1000 * 2 ** (failures - 1)));
    o.logger.warn({ event: 'polling_failed', retry_in_ms: ms, err: error });
    return ms;
  }

  /** Tells Telegram what the last batch confirmed, so that a restart does not fetch it again. */
  async function confirmAnswered(): Promise<void> {
    if (!api || offset === undefined || offset === sentOffset) return;
    await api.api
      .getUpdates(
        { offset, limit: 1, timeout: 0, allowed_updates: [...ALLOWED_UPDATES] },
        apiSignal(AbortSignal.timeout(3000)),
      )
      .catch(() => {});
  }

  const done = loop().then(confirmAnswered);
  return {
    async stop() {
      stopped = true;
      controller.abort();
      await done;
    },
  };
}
