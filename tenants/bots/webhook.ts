import type { Database } from '../../db/port.ts';
import type { Logger } from '../observability/logger.ts';
import { isTransient } from './errors.ts';
import type { BotRegistry } from './registry.ts';
import { secretsEqual } from './secrets.ts';
import {
  createUpdateDelivery,
  DEFAULT_UPDATE_LEASE_SECONDS,
  type DeliveryOutcome,
} from './update-delivery.ts';

export { DEFAULT_UPDATE_LEASE_SECONDS };

export interface WebhookOutcome {
  status: DeliveryOutcome['status'] | 401 | 404 | 413;
  reason?: string;
  /** For 503: when a redelivery may find the update free. */
  retryAfterSeconds?: number;
  /** For 400: what is wrong with the update, field by field. */
  problems?: string[];
  /** For 200: a Bot API call (JSON with `method`) to send as the response's body (see DeliveryOutcome). */
  reply?: string;
}

/** The request body, read only once the sender is known: at most `limit` bytes, else `too_large`. */
export type BodyReader = (
  limit: number,
) => Promise<{ ok: true; text: string } | { ok: false; reason: 'too_large' }>;

/**
 * Telegram updates are small (a message is at most 4,096 characters, a caption 1,024, a button's
 * data 64 bytes); 256 KiB holds any real one many times over.
 */
export const MAX_UPDATE_BYTES = 256 * 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One Telegram update posted to a tenant bot's webhook: the bot and its secret are checked before
 * the body is read; the body is capped and parsed; then it is one delivery like any other
 * (`update-delivery.ts`: validated, claimed once, handled; 200 only once its effect is committed,
 * 503 so that Telegram sends it again). A 200 may carry the button press's answer as a webhook
 * reply (`reply`).
 */
export function createWebhookHandler(deps: {
  db: Database;
  registry: BotRegistry;
  leaseSeconds?: number;
}) {
  // The response is the one place a webhook reply can go: button presses are answered in it.
  const deliver = createUpdateDelivery({
    db: deps.db,
    webhookReplies: true,
    ...(deps.leaseSeconds !== undefined ? { leaseSeconds: deps.leaseSeconds } : {}),
  });

  return async function handle(
    botId: string,
    secretHeader: string | undefined,
    readBody: BodyReader,
    logger: Logger,
  ): Promise<WebhookOutcome> {
    try {
      return await handleOnce(botId, secretHeader, readBody, logger);
    } catch (error) {
      // The bot's lookup failed (database unreachable): nothing was claimed; Telegram retries.
      if (isTransient(error)) {
        logger.warn({ event: 'webhook_unavailable', err: error });
        return { status: 503, reason: 'temporarily unavailable', retryAfterSeconds: 5 };
      }
      throw error;
    }
  };

  async function handleOnce(
    botId: string,
    secretHeader: string | undefined,
    readBody: BodyReader,
    logger: Logger,
  ): Promise<WebhookOutcome> {
    if (!UUID.test(botId)) return { status: 404, reason: 'unknown bot' };
    const entry = await deps.registry.get(botId);
    if (!entry || entry.row.status !== 'active') return { status: 404, reason: 'unknown bot' };
    if (!(await secretsEqual(secretHeader, entry.secret))) {
      logger.warn({ event: 'webhook_forbidden', tenant_id: entry.row.tenant_id });
      return { status: 401, reason: 'secret token mismatch' };
    }
    const body = await readBody(MAX_UPDATE_BYTES);
    if (!body.ok) {
      logger.warn({
        event: 'webhook_body_too_large',
        tenant_id: entry.row.tenant_id,
        limit_bytes: MAX_UPDATE_BYTES,
      });
      return { status: 413, reason: `an update is at most ${MAX_UPDATE_BYTES} bytes` };
    }
    let json: unknown;
    try {
      json = JSON.parse(body.text);
    } catch {
      return { status: 400, reason: 'body is not JSON' };
    }
    return deliver(entry, json, logger);
  }
}

export type WebhookHandler = ReturnType<typeof createWebhookHandler>;
