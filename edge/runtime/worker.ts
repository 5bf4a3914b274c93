import { requestScopedApp, type PlatformEnv } from './request-scoped.ts';

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** What a Cron Trigger hands the `scheduled` handler (Cloudflare's `ScheduledController`). */
interface ScheduledController {
  /** The cron expression that fired. */
  readonly cron: string;
  /** When the tick was due, epoch ms (a whole minute). */
  readonly scheduledTime: number;
}

const platform = requestScopedApp('Workers');

/**
 * Cloudflare Workers entry: `fetch` serves each request over its own connection (through
 * Hyperdrive when wrangler.toml binds `HYPERDRIVE`, else to DATABASE_URL), with the services and
 * their caches kept in the isolate between requests (see `request-scoped.ts`); `scheduled` is the Cron Trigger of wrangler.toml (`[triggers] crons`),
 * which runs the platform's upkeep (`tenants/jobs/maintenance.ts`): expired holds swept, due jobs
 * run with SCHEDULER=local, the daily digests seeded on the tick at 00:00 UTC. The tick is awaited,
 * not left to `waitUntil`, so a failure marks the Cron run failed.
 */
export default {
  fetch(request: Request, env: PlatformEnv, ctx: ExecutionContext): Promise<Response> {
    return platform.fetch(request, env, (promise) => ctx.waitUntil(promise));
  },
  async scheduled(
    controller: ScheduledController,
    env: PlatformEnv,
    _ctx: ExecutionContext,
  ): Promise<void> {
    await platform.tick(controller.scheduledTime, env);
  },
};
