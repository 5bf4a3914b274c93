import { ConfigError, loadConfig, type AppConfig, type Env } from '../config.ts';
import { openPostgres } from '../../db/postgres.ts';
import type { Database } from '../../db/port.ts';
import { WORKER_POSTGRES_OPTIONS } from './worker-database.ts';
import { createApp } from '../app.ts';
import { adminDepsFor } from '../admin-deps.ts';
import { problemResponse } from '../problem.ts';
import { createLogger, jsonLineWriter, type Level, type Logger } from '../../tenants/observability/logger.ts';
import { createSecretBox, type SecretBox } from '../../tenants/security/secret-box.ts';
import { createWebhookHandler } from '../../tenants/bots/webhook.ts';
import { createServices, type Services } from '../../tenants/services.ts';
import { digestSeedingDue, runMaintenance, type MaintenanceReport } from '../../tenants/jobs/maintenance.ts';
import { jobRoutesFor, schedulerFor } from '../scheduling.ts';

/** A configuration this platform can serve: with a database URL. */
type Served = AppConfig & { databaseUrl: string };

/** Hands work that may outlive the response (closing the connection) to the platform. */
export type WaitUntil = (promise: Promise<unknown>) => void;

/** How long a cron tick keeps taking due jobs (a Cron Trigger may run for minutes; the next tick comes in one). */
const CRON_JOBS_MS = 45_000;

/**
 * The app on a platform that runs code per request and keeps nothing running in between:
 * Cloudflare Workers (`worker.ts`) and Supabase Edge Functions (`supabase/functions/slotbot`).
 * There is no start-up: the database is already migrated (`npm run migrate -- up` from Node), the
 * configuration is parsed once per isolate (plain data), and each request, or each cron tick,
 * opens its own connection (`WORKER_POSTGRES_OPTIONS`) and closes it when done: on Workers a
 * connection cannot outlive the request that opened it.
 */
export function requestScopedApp(platform: string) {
  let cached: { env: Env; config: AppConfig } | undefined;

  /** The configuration, or the problems that stop this platform from serving (logged one a line). */
  function configured(env: Env): Served | undefined {
    let config: AppConfig;
    try {
      if (cached?.env !== env) cached = { env, config: loadConfig(env) };
      config = cached.config;
    } catch (error) {
      const problems = error instanceof ConfigError ? error.problems : [String(error)];
      for (const problem of problems) console.error(`Configuration error: ${problem}`);
      return undefined;
    }
    const refused = refusal(config, platform);
    if (refused) {
      console.error(`Configuration error: ${refused}`);
      return undefined;
    }
    return config as Served;
  }

  async function open(config: Served): Promise<{ db: Database; logger: Logger; secrets: SecretBox; services: Services }> {
    const logger = createLogger({ level: config.logLevel as Level | 'silent', writer: jsonLineWriter((line) => console.log(line)) });
    const db = openPostgres(config.databaseUrl, { ...WORKER_POSTGRES_OPTIONS, poolMode: config.databasePoolMode });
    try {
      const secrets = await createSecretBox(config.encryptionKey);
      const now = () => Date.now();
      // SCHEDULER=local: jobs are rows of the jobs table, run by the cron tick (`tick`) or by a
      // Node or Deno server on the same database.
      const services = createServices({ db, logger, secrets, scheduler: schedulerFor(config, db, logger), apiRoot: config.telegramApiRoot, now, publicUrl: config.publicUrl });
      return { db, logger, secrets, services };
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  return {
    /** Serves one request over its own connection, closed after the response. */
    async fetch(request: Request, env: Env, waitUntil: WaitUntil): Promise<Response> {
      const config = configured(env);
      if (!config) return problemResponse({ title: 'Service misconfigured', status: 500, detail: 'The operator must fix the configuration; see the logs.' });
      const { db, logger, secrets, services } = await open(config);
      try {
        const now = () => Date.now();
        const jobs = jobRoutesFor(config, services.dispatcher);
        const admin = adminDepsFor({ db, logger, services, onboarding: { db, secrets, apiRoot: config.telegramApiRoot, publicUrl: config.publicUrl, mode: config.telegramMode }, now });
        return await createApp({ db, logger, telegram: createWebhookHandler({ db, registry: services.registry, leaseSeconds: config.updateLeaseSeconds }), admin, ...(jobs ? { jobs } : {}) }).fetch(request);
      } finally {
        waitUntil(db.close());
      }
    },

    /**
     * One cron tick (`scheduledTime`, epoch ms): the upkeep of `tenants/jobs/maintenance.ts` over
     * its own connection. Expired holds are swept; with SCHEDULER=local the due jobs are run (with
     * QStash they are QStash's to deliver); the tick at 00:00 UTC seeds the daily digests. Throws
     * when the configuration is unusable or a step failed, so the platform records a failed run.
     */
    async tick(scheduledTime: number, env: Env): Promise<MaintenanceReport> {
      const config = configured(env);
      if (!config) throw new Error('the configuration is unusable; see the errors above');
      const { db, logger, services } = await open(config);
      try {
        const now = () => Date.now();
        const report = await runMaintenance(
          { db, booking: services.booking, dispatcher: services.dispatcher, scheduler: services.scheduler, logger, now },
          {
            sweepHolds: true,
            ...(config.scheduler.kind === 'local' ? { runDueJobs: { until: now() + CRON_JOBS_MS } } : {}),
            seedDigests: digestSeedingDue(scheduledTime),
          },
        );
        logger.info({
          event: 'cron_tick',
          scheduled_at: new Date(scheduledTime).toISOString(),
          holds_released: report.holdsReleased,
          jobs_run: report.jobsRun,
          digests_seeded: report.digestsSeeded,
          failed: report.failed.map((f) => f.step),
        });
        if (report.failed.length) throw new Error(`maintenance failed: ${report.failed.map((f) => f.step).join(', ')}`, { cause: report.failed[0]!.error });
        return report;
      } finally {
        await db.close();
      }
    },
  };
}

/** What a request-scoped platform cannot do although the configuration allows it elsewhere. */
function refusal(config: AppConfig, platform: string): string | undefined {
  if (config.telegramMode === 'polling') {
    return `TELEGRAM_MODE=polling cannot run on ${platform}: it only answers requests and cannot hold a long poll; use TELEGRAM_MODE=webhook (the default) here, or run the Node server (\`TELEGRAM_MODE=polling npm start\`)`;
  }
  if (config.connectBot) return `BOT_TOKEN is read by the Node and Deno servers at start; on ${platform} connect a bot with \`npm run bot:register\``;
  if (!config.databaseUrl) return `DATABASE_URL is required on ${platform}: the embedded database runs on Node only`;
  return undefined;
}
