import { Client } from '@upstash/qstash';
import type { Logger } from '../observability/logger.ts';
import type { JobKind, JobRequest, Scheduler } from './types.ts';

/**
 * The QStash adapter of the scheduler port: each job is one message published to
 * `${publicUrl}/jobs/<kind>`, held by QStash until `runAt` (not-before) and deduplicated on the job's
 * key. QStash delivers at least once and retries any non-2xx answer; idempotency stays with the
 * handlers. Web-standard APIs only: this runs on Workers, Deno and Node.
 */
export interface QstashSchedulerOptions {
  token: string;
  /** QStash's API endpoint (`QSTASH_URL`); QStash's own when absent. */
  baseUrl?: string;
  /** Where QStash reaches this app (`PUBLIC_URL`); callbacks go to `${publicUrl}/jobs/<kind>`. */
  publicUrl: string;
  /**
   * How often QStash redelivers after a non-2xx answer. 3 is the SDK's default and the most the
   * free plan allows (paid plans allow more; QStash caps it at the plan's limit).
   */
  retries?: number;
  /** Epoch ms; only used to tell a due job (deliver now) from a future one. */
  now?: () => number;
  /** Retries of the publish request itself on network errors (the SDK's own; default 5). */
  publishRetry?: false | { retries?: number; backoff?: (retryCount: number) => number };
  logger?: Logger;
}

/** The JSON body of every job message; `POST /jobs/:kind` validates the same shape. */
export interface JobMessageBody {
  key: string;
  payload: Record<string, unknown>;
  tenantId?: string;
  correlationId?: string;
}

export const DEFAULT_QSTASH_RETRIES = 3;
/** As in `JobRequest.key`; `POST /jobs/:kind` checks the same limit. */
export const MAX_KEY_LENGTH = 200;

export function jobCallbackUrl(publicUrl: string, kind: JobKind): string {
  return `${publicUrl.replace(/\/+$/, '')}/jobs/${kind}`;
}

/**
 * QStash's not-before is whole unix seconds. A job due now or in the past gets none (QStash then
 * delivers at once); a future one is rounded up so it never fires before `runAt`.
 */
export function notBeforeSeconds(runAt: number, now: number): number | undefined {
  if (!Number.isFinite(runAt))
    throw new RangeError(`runAt must be epoch milliseconds, got ${runAt}`);
  return runAt > now ? Math.ceil(runAt / 1000) : undefined;
}

const SAFE_CHARS = /[^A-Za-z0-9-]/g;
const READABLE_LENGTH = 64;

/**
 * The deduplication id for a job key. QStash refuses some characters in deduplication ids (a ':'
 * is answered with 400 "DeduplicationId cannot contain ':'", and our keys look like
 * `hold_expire:<booking id>`), and documents neither the allowed set nor a length limit. So the id
 * is built from `[A-Za-z0-9_-]` only, deterministically: a readable part (the key with every other
 * character, '_' included, turned into '_', cut to 64 characters) for the QStash console, then '-'
 * and the first 128 bits of SHA-256(key) in hex, which is what keeps two different keys apart.
 * At most 97 characters. The same key always gives the same id.
 */
export async function deduplicationId(key: string): Promise<string> {
  if (key.length === 0) throw new RangeError('a job key must not be empty');
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)),
  );
  const hex = Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${key.replace(SAFE_CHARS, '_').slice(0, READABLE_LENGTH)}-${hex}`;
}

export function createQstashScheduler(options: QstashSchedulerOptions): Scheduler {
  const retries = options.retries ?? DEFAULT_QSTASH_RETRIES;
  if (!Number.isInteger(retries) || retries < 0)
    throw new RangeError(`retries must be a whole number >= 0, got ${retries}`);
  const now = options.now ?? (() => Date.now());
  const client = new Client({
    token: options.token,
    ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {}),
    // Never switch to the SDK's local dev server because of a stray QSTASH_DEV variable.
    devMode: false,
    enableTelemetry: false,
    ...(options.publishRetry !== undefined ? { retry: options.publishRetry } : {}),
  });

  return {
    async schedule(job: JobRequest): Promise<void> {
      // The callback refuses longer keys (400), which QStash would retry into its dead-letter queue.
      if (job.key.length > MAX_KEY_LENGTH)
        throw new RangeError(
          `a job key has at most ${MAX_KEY_LENGTH} characters, got ${job.key.length}`,
        );
      const body: JobMessageBody = {
        key: job.key,
        payload: job.payload,
        ...(job.tenantId !== undefined ? { tenantId: job.tenantId } : {}),
        ...(job.correlationId !== undefined ? { correlationId: job.correlationId } : {}),
      };
      const notBefore = notBeforeSeconds(job.runAt, now());
      const url = jobCallbackUrl(options.publicUrl, job.kind);
      const response = await client.publishJSON({
        url,
        body,
        deduplicationId: await deduplicationId(job.key),
        retries,
        ...(notBefore !== undefined ? { notBefore } : {}),
      });
      options.logger?.info({
        event: 'job_scheduled',
        job_kind: job.kind,
        job_key: job.key,
        run_at: new Date(job.runAt).toISOString(),
        message_id: response.messageId,
        deduplicated: response.deduplicated === true,
        ...(job.tenantId ? { tenant_id: job.tenantId } : {}),
        ...(job.correlationId ? { correlation_id: job.correlationId } : {}),
      });
    },
  };
}

/**
 * A failed publish in words an operator can act on (for `/healthz`); never the token. The Client
 * throws an error with the HTTP status when QStash answered, and fetch's TypeError when it could
 * not be reached (after the Client's own retries).
 */
export function describeQstashFailure(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof status === 'number') {
    if (status === 401 || status === 403)
      return `QStash refused the token (${status}): check QSTASH_TOKEN`;
    return `QStash answered ${status}: ${message.slice(0, 200)}`;
  }
  if (error instanceof TypeError) {
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    const why =
      typeof cause?.code === 'string'
        ? cause.code
        : typeof cause?.message === 'string'
          ? cause.message
          : undefined;
    return `QStash unreachable at the configured QSTASH_URL: ${message}${why ? ` (${why})` : ''}`;
  }
  return `QStash publish failed: ${error instanceof Error ? `${error.name}: ` : ''}${message}`;
}
