import { Hono } from 'hono';
import type { Database } from '../db/port.ts';
import type { Logger } from '../tenants/observability/logger.ts';
import type { WebhookHandler } from '../tenants/bots/webhook.ts';
import type { SchedulerHealthReport } from '../tenants/jobs/scheduler-health.ts';
import { problemResponse } from './problem.ts';
import { readCappedBody } from './body.ts';
import { registerJobRoutes, type JobRouteDeps } from './jobs-route.ts';
import { registerLandingRoutes } from './landing-route.ts';
import { registerAdminRoutes } from './admin-routes.ts';
import type { AdminDeps } from '../admin-ui/request.ts';
import { readPlatformHealth } from './platform-health.ts';

export interface AppDeps {
  db: Database;
  logger: Logger;
  /** Monotonic milliseconds, for latencies (performance.now on every runtime). */
  now?: () => number;
  /** Telegram webhooks of the tenant bots. */
  telegram?: WebhookHandler;
  /** Delayed job callbacks from QStash (`POST /jobs/:kind`); absent with the embedded runner. */
  jobs?: JobRouteDeps;
  /** The scheduler's state for `/healthz` (long-running servers). */
  scheduler?: { report(): SchedulerHealthReport };
  /** The admin web under /admin. */
  admin?: AdminDeps;
}

export type AppEnv = { Variables: { correlationId: string; logger: Logger } };

const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** The Hono app: only Web-standard APIs, so Node, Workers and Deno serve the same code. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const now = deps.now ?? (() => performance.now());
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const incoming = c.req.header(CORRELATION_HEADER);
    const correlationId =
      incoming && CORRELATION_ID.test(incoming) ? incoming : crypto.randomUUID();
    const logger = deps.logger.child({ correlation_id: correlationId });
    c.set('correlationId', correlationId);
    c.set('logger', logger);
    const started = now();
    await next();
    // A route may hand the request a correlation id of its own (a job carries the one that caused it).
    c.res.headers.set(CORRELATION_HEADER, c.get('correlationId') ?? correlationId);
    (c.get('logger') ?? logger).info({
      event: 'http_request',
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      latency_ms: Math.round((now() - started) * 100) / 100,
    });
  });

  // 503 only when this instance cannot serve (database): a scheduler that is down degrades the
  // report but keeps the answer 200, so a load balancer still routes Telegram's webhooks here.
  const health = () => readPlatformHealth(deps.db, deps.scheduler, now);
  app.get('/healthz', async (c) => {
    const { serving, ...report } = await health();
    return c.json(report, serving ? 200 : 503);
  });

  registerLandingRoutes(app, health);

  const telegram = deps.telegram;
  if (telegram) {
    // Telegram's own secret header proves the sender; the body is read only after that, capped.
    app.post('/tg/:botId', async (c) => {
      const outcome = await telegram(
        c.req.param('botId'),
        c.req.header('x-telegram-bot-api-secret-token'),
        (limit) => readCappedBody(c.req.raw, limit),
        c.get('logger'),
      );
      // A 200 may carry the press's answerCallbackQuery for Telegram to make (a webhook reply).
      if (outcome.status === 200)
        return outcome.reply !== undefined
          ? c.body(outcome.reply, 200, { 'content-type': 'application/json' })
          : c.body(null, 200);
      return problemResponse(
        {
          title: outcome.reason ?? 'Refused',
          status: outcome.status,
          ...(outcome.problems ? { problems: outcome.problems } : {}),
        },
        outcome.status === 503 ? { 'retry-after': String(outcome.retryAfterSeconds ?? 5) } : {},
      );
    });
  }

  if (deps.jobs) registerJobRoutes(app, deps.jobs);
  if (deps.admin) registerAdminRoutes(app, deps.admin);

  app.notFound((c) =>
    problemResponse({
      title: 'Not found',
      status: 404,
      detail: `No route for ${c.req.method} ${new URL(c.req.url).pathname}`,
    }),
  );

  app.onError((error, c) => {
    const correlationId = c.get('correlationId');
    (c.get('logger') ?? deps.logger).error({ event: 'http_unhandled_error', err: error });
    return problemResponse({
      title: 'Internal error',
      status: 500,
      detail: 'The request failed on our side; retry later or quote the correlation id to support.',
      correlation_id: correlationId,
    });
  });

  return app;
}
