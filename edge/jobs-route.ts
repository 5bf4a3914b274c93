import type { Hono } from 'hono';
import { z } from 'zod';
import {
  isJobKind,
  JOB_KINDS,
  type JobDelivery,
  type JobDispatcher,
} from '../tenants/jobs/types.ts';
import type { VerifySignature } from '../tenants/jobs/qstash-signature.ts';
import { MAX_KEY_LENGTH } from '../tenants/jobs/qstash-scheduler.ts';
import type { AppEnv } from './app.ts';
import { problemResponse } from './problem.ts';
import { readCappedBody } from './body.ts';

export interface JobRouteDeps {
  dispatcher: JobDispatcher;
  /** Checks the `Upstash-Signature` over the raw body and the URL the job was published to. */
  verifySignature: VerifySignature;
  /**
   * `PUBLIC_URL`: the signed URL is rebuilt from it, never from the incoming Host, which a proxy
   * may rewrite (and which a forger controls).
   */
  publicUrl: string;
}

/** The body the QStash scheduler publishes (`JobMessageBody`). */
const jobMessage = z.object({
  key: z.string().min(1).max(MAX_KEY_LENGTH),
  payload: z.record(z.string(), z.unknown()),
  tenantId: z.string().min(1).optional(),
  correlationId: z.string().optional(),
});

const CORRELATION_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** The messages the scheduler publishes are a key and a few ids; 64 KiB is far beyond any of them. */
export const MAX_JOB_BODY_BYTES = 64 * 1024;

/**
 * `POST /jobs/:kind`: QStash's delayed callbacks. Signature first (401, nothing dispatched), then
 * the kind (404), then the body (400); a valid job goes to the dispatcher. `done` answers 200; a
 * retry request or a failure answers 5xx, which makes QStash deliver again later.
 */
export function registerJobRoutes(app: Hono<AppEnv>, deps: JobRouteDeps): void {
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');

  app.post('/jobs/:kind', async (c) => {
    const requestUrl = new URL(c.req.url);
    // The raw path segment (not Hono's decoded parameter), so the URL checked is the one signed.
    const rawKind = requestUrl.pathname.slice(requestUrl.pathname.lastIndexOf('/') + 1);
    const signedUrl = `${publicUrl}/jobs/${rawKind}${requestUrl.search}`;
    const signature = c.req.header('upstash-signature');
    // Unsigned: refused before a byte of the body is read. Signed: the body is read, capped.
    const read =
      signature === undefined ? undefined : await readCappedBody(c.req.raw, MAX_JOB_BODY_BYTES);
    if (read && !read.ok) {
      c.get('logger').warn({
        event: 'job_body_too_large',
        path: requestUrl.pathname,
        limit_bytes: MAX_JOB_BODY_BYTES,
      });
      return problemResponse({
        title: 'Job body too large',
        status: 413,
        detail: `A job message is at most ${MAX_JOB_BODY_BYTES} bytes.`,
      });
    }
    const body = read?.ok ? read.text : '';

    if (!(await deps.verifySignature({ signature, body, url: signedUrl }))) {
      c.get('logger').warn({
        event: 'job_signature_rejected',
        path: requestUrl.pathname,
        signed: c.req.header('upstash-signature') !== undefined,
      });
      return problemResponse({
        title: 'Invalid signature',
        status: 401,
        detail: `The Upstash-Signature header is missing or does not verify for ${signedUrl} and this body.`,
      });
    }

    const kind = c.req.param('kind');
    if (!isJobKind(kind)) {
      return problemResponse({
        title: 'Unknown job kind',
        status: 404,
        detail: `No job kind ${JSON.stringify(kind)}; this version handles ${JOB_KINDS.join(', ')}.`,
      });
    }

    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return problemResponse({
        title: 'Invalid job body',
        status: 400,
        detail: 'The body is not valid JSON.',
      });
    }
    const parsed = jobMessage.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`,
      );
      return problemResponse({
        title: 'Invalid job body',
        status: 400,
        detail: `Expected { key, payload, tenantId?, correlationId? }: ${problems.join('; ')}.`,
        problems,
      });
    }

    const message = parsed.data;
    const retried = c.req.header('upstash-retried');
    const correlationId =
      message.correlationId && CORRELATION_ID.test(message.correlationId)
        ? message.correlationId
        : c.get('correlationId');
    const delivery: JobDelivery = {
      kind,
      key: message.key,
      payload: message.payload,
      ...(message.tenantId !== undefined ? { tenantId: message.tenantId } : {}),
      attempt: retried !== undefined && /^\d{1,6}$/.test(retried) ? 1 + Number(retried) : 1,
      correlationId,
    };
    // The job's correlation id follows this request's remaining log lines (http_request included).
    const logger = c.get('logger').child({
      correlation_id: correlationId,
      job_kind: kind,
      job_key: delivery.key,
      ...(delivery.tenantId ? { tenant_id: delivery.tenantId } : {}),
    });
    c.set('correlationId', correlationId);
    c.set('logger', logger);

    let result;
    try {
      result = await deps.dispatcher.dispatch(delivery, logger);
    } catch (error) {
      logger.error({ event: 'job_failed', attempt: delivery.attempt, err: error });
      return problemResponse({
        title: 'Job failed',
        status: 500,
        detail: 'The job handler failed; QStash will deliver it again.',
        correlation_id: correlationId,
      });
    }
    if (result.status === 'done') return c.json({ status: 'done', outcome: result.outcome }, 200);

    logger.warn({ event: 'job_retry_requested', attempt: delivery.attempt, reason: result.reason });
    // QStash schedules redeliveries with its own backoff; Retry-After is a hint for anyone reading.
    const retryAfter: Record<string, string> =
      result.afterMs !== undefined
        ? { 'retry-after': String(Math.max(1, Math.ceil(result.afterMs / 1000))) }
        : {};
    return problemResponse(
      {
        title: 'Job will be retried',
        status: 503,
        detail: result.reason,
        correlation_id: correlationId,
      },
      retryAfter,
    );
  });
}
