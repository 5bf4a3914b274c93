import { BotError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Database } from '../../db/port.ts';
import { asPlatform, PIPELINED } from '../../db/scope.ts';
import { finishUpdate, releaseUpdate, renewUpdateLease } from '../../db/queries/bots.ts';
import { DEFAULT_LANGUAGE, translate } from '../i18n/catalog.ts';
import type { Logger } from '../observability/logger.ts';
import { isTransient } from './errors.ts';
import type { RegisteredBot } from './registry.ts';
import { checkUpdate } from './update-schema.ts';
import { staffCommandOf } from './staff-commands.ts';
import { attachRun, claimFor, holdsClaim, newUpdateRun, type UpdateRun } from './update-run.ts';

/**
 * What became of one delivery of an update, in the webhook's status codes: 200 done (its effect
 * is committed, now or by an earlier delivery), 400 refused for good (not a valid update), 503
 * retry later (another delivery holds it, or a retry may succeed). The webhook adds its own
 * refusals (401, 404, 413) before a delivery starts.
 */
export interface DeliveryOutcome {
  status: 200 | 400 | 503;
  reason?: string;
  /** For 503: when a redelivery may find the update free. */
  retryAfterSeconds?: number;
  /** For 400: what is wrong with the update, field by field. */
  problems?: string[];
  /**
   * For 200, with webhook replies on: the Bot API call (JSON with `method`) for Telegram to make
   * when it gets the answer, this delivery's answer to the update's button press.
   */
  reply?: string;
}

/** The one Bot API method answered in the webhook's response: its result is never needed. */
export const WEBHOOK_REPLY_METHOD = 'answerCallbackQuery';

/** How long a delivery's claim on an update lasts unless renewed (a third of it, while it works). */
export const DEFAULT_UPDATE_LEASE_SECONDS = 30;

/**
 * One delivery of one update to a tenant's bot, wherever it came from (a webhook request or a
 * getUpdates answer): the update is validated, claimed once and handled. The answer is 200 only
 * when the update's effect is committed (now or by an earlier delivery); while another delivery
 * holds a live claim, or a retry may still succeed, it is 503. A bug in a handler is logged and
 * apologised for (200: a retry would fail the same way).
 *
 * With `webhookReplies` (the webhook, which has an HTTP response to carry it) the update's
 * answerCallbackQuery is only captured while it is handled and goes back as the outcome's `reply`,
 * with a 200 of this delivery alone: a 503 drops it (the redelivery answers). Polling has no
 * response: there it stays a call of its own.
 */
export function createUpdateDelivery(deps: {
  db: Database;
  leaseSeconds?: number;
  webhookReplies?: boolean;
}) {
  const leaseSeconds = deps.leaseSeconds ?? DEFAULT_UPDATE_LEASE_SECONDS;

  return async function deliver(
    entry: RegisteredBot,
    json: unknown,
    logger: Logger,
  ): Promise<DeliveryOutcome> {
    try {
      const checked = checkUpdate(json);
      if (!checked.ok) {
        logger.warn({
          event: 'update_invalid',
          tenant_id: entry.row.tenant_id,
          problems: checked.problems,
        });
        return { status: 400, reason: 'not a valid Telegram update', problems: checked.problems };
      }
      return await handleUpdate(
        entry,
        checked.update,
        logger.child({
          tenant_id: entry.row.tenant_id,
          flow: 'bot',
          update_id: checked.update.update_id,
        }),
      );
    } catch (error) {
      // Before the update was claimed: nothing to give back; a redelivery may succeed.
      if (isTransient(error)) {
        logger.warn({ event: 'update_unavailable', err: error });
        return { status: 503, reason: 'temporarily unavailable', retryAfterSeconds: 5 };
      }
      throw error;
    }
  };

  async function handleUpdate(
    entry: RegisteredBot,
    update: Update,
    log: Logger,
  ): Promise<DeliveryOutcome> {
    const run = newUpdateRun(
      { tenantId: entry.row.tenant_id, botId: entry.row.id, updateId: update.update_id },
      leaseSeconds,
    );
    // Private-chat updates are claimed by the session middleware, in the transaction that loads the
    // session; anything else (staff commands, everything of a business not open) is claimed here.
    // A suspended or pending business's bot only says so, but its staff still get into the admin.
    const staffCommand = staffCommandOf(update) !== undefined;
    const closed = entry.row.tenant_status !== 'active' && !staffCommand;
    const claimHere = closed || staffCommand || !isPrivateChat(update);
    if (
      claimHere &&
      (await asPlatform(deps.db, (tx) => claimFor(tx, run), PIPELINED)).kind !== 'claimed'
    )
      return answerFor(run, log);
    const chatId = update.message?.chat.id ?? update.callback_query?.message?.chat.id;
    // grammY hands the update's first answerCallbackQuery to `send` instead of calling Telegram
    // (canUseWebhookReply in registry.ts) and resolves it as done; it goes out with a 200 only.
    const captured: { reply?: string } = {};
    const envelope = deps.webhookReplies
      ? {
          send: (body: string) => {
            captured.reply = body;
          },
        }
      : undefined;
    const withReply = (outcome: DeliveryOutcome): DeliveryOutcome =>
      outcome.status === 200 && captured.reply !== undefined
        ? { ...outcome, reply: captured.reply }
        : outcome;
    /** Stops a press's spinner once: unless the handler answered it, in the response or by a call. */
    const answerPress = async (): Promise<void> => {
      if (!update.callback_query || captured.reply !== undefined) return;
      if (envelope)
        captured.reply = JSON.stringify({
          method: WEBHOOK_REPLY_METHOD,
          callback_query_id: update.callback_query.id,
        });
      else await entry.bot.api.answerCallbackQuery(update.callback_query.id).catch(() => {});
    };
    if (closed) {
      if (chatId !== undefined)
        await entry.bot.api
          .sendMessage(chatId, translate(entry.row.default_language, 'common.suspended'))
          .catch(() => {});
      await answerPress();
      await finish(run);
      return withReply({ status: 200 });
    }
    attachRun(update, run);
    const lease = keepLeased(run, log);
    try {
      await entry.bot.handleUpdate(update, envelope);
      if (claimHere) await finish(run);
      return withReply(answerFor(run, log));
    } catch (error) {
      const cause = error instanceof BotError ? error.error : error;
      // A retry may succeed unless the update is done already (its screen was shown and saved).
      if (isTransient(cause) && !run.finished) {
        log.warn({ event: 'update_retry_later', err: cause });
        if (holdsClaim(run))
          await asPlatform(deps.db, (tx) =>
            releaseUpdate(tx, { ...run.key, token: run.token }),
          ).catch(() => {});
        return { status: 503, reason: 'temporarily unavailable', retryAfterSeconds: 5 };
      }
      log.error({
        event: 'update_failed',
        err: cause,
        user_id: update.message?.from?.id ?? update.callback_query?.from.id,
      });
      const lang =
        (error instanceof BotError
          ? (error.ctx as { flow?: { env?: { lang?: string } } }).flow?.env?.lang
          : undefined) ??
        entry.row.default_language ??
        DEFAULT_LANGUAGE;
      if (chatId !== undefined)
        await entry.bot.api.sendMessage(chatId, translate(lang, 'common.error')).catch(() => {});
      await answerPress();
      if (holdsClaim(run)) await finish(run).catch(() => {});
      return withReply({ status: 200 });
    } finally {
      lease.stop();
    }
  }

  async function finish(run: UpdateRun): Promise<void> {
    if (
      await asPlatform(
        deps.db,
        (tx) => finishUpdate(tx, { ...run.key, token: run.token }),
        PIPELINED,
      )
    )
      run.finished = true;
  }

  /** The answer once handling returned: by what the claim found, or what this delivery did. */
  function answerFor(run: UpdateRun, log: Logger): DeliveryOutcome {
    if (run.coalesced) {
      log.info({ event: 'update_coalesced' });
      return { status: 200 };
    }
    const claim = run.claim;
    if (!claim) return { status: 200 }; // nothing for the bot in it (no private chat, no handler)
    switch (claim.kind) {
      case 'claimed':
        if (run.finished) return { status: 200 };
        // Handled but not marked done: the claim was lost to a takeover meanwhile.
        log.warn({ event: 'update_claim_lost' });
        return { status: 503, reason: 'handled elsewhere meanwhile', retryAfterSeconds: 5 };
      case 'done':
        log.info({ event: 'update_duplicate' });
        return { status: 200 };
      case 'busy':
        // Another delivery is at it (or died holding it): Telegram must come back, not be told "done".
        log.info({ event: 'update_in_flight', retry_after_s: claim.retryAfterSeconds });
        return {
          status: 503,
          reason: 'this update is being handled; deliver it again later',
          retryAfterSeconds: claim.retryAfterSeconds,
        };
      case 'abandoned':
        log.error({ event: 'update_abandoned' });
        return { status: 200 };
    }
  }

  /** Renews the claim's lease while the update is handled, so no redelivery takes over a live handler. */
  function keepLeased(run: UpdateRun, log: Logger): { stop(): void } {
    const timer = setInterval(
      () => {
        if (!holdsClaim(run)) return;
        asPlatform(deps.db, (tx) =>
          renewUpdateLease(tx, { ...run.key, token: run.token, leaseSeconds: run.leaseSeconds }),
        ).then(
          (held) => {
            if (held || !holdsClaim(run)) return;
            run.lost = true;
            log.warn({ event: 'update_lease_lost' });
          },
          (error: unknown) => log.warn({ event: 'update_lease_renewal_failed', err: error }),
        );
      },
      (run.leaseSeconds * 1000) / 3,
    );
    return { stop: () => clearInterval(timer) };
  }
}

function isPrivateChat(update: Update): boolean {
  return (
    (update.message?.chat.type ?? update.callback_query?.message?.chat.type) === 'private' &&
    !!(update.message?.from ?? update.callback_query?.from)
  );
}

export type UpdateDelivery = ReturnType<typeof createUpdateDelivery>;
