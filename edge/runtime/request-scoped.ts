import { ConfigError, loadConfig, type AppConfig, type Env } from '../config.ts';
import { openPostgres } from '../../db/postgres.ts';
import { createRequestRoutedDatabase } from './request-routed.ts';
import { ArrayTypeCache } from '../../db/postgres-array-types.ts';
import { databaseUrlOf, HYPERDRIVE_BINDING, WORKER_POSTGRES_OPTIONS } from './worker-database.ts';
import { createApp } from '../app.ts';
import { adminDepsFor } from '../admin-deps.ts';
import { problemResponse } from '../problem.ts';
import {
  createLogger,
  jsonLineWriter,
  type Level,
  type Logger,
} from '../../tenants/observability/logger.ts';
import { createSecretBox } from '../../tenants/security/secret-box.ts';
import { createWebhookHandler } from '../../tenants/bots/webhook.ts';
import { createServices, type Services } from '../../tenants/services.ts';
import {
  digestSeedingDue,
  runMaintenance,
  type MaintenanceReport,
} from '../../tenants/jobs/maintenance.ts';
import { jobRoutesFor, schedulerFor } from '../scheduling.ts';

/** A configuration this platform can serve: with a database URL. */
type Served = AppConfig & { databaseUrl: string };

/** What the platform hands each request: its variables and secrets (strings) and bindings (Hyperdrive). */
export type PlatformEnv = Readonly<Record<string, unknown>>;

/** Hands work that may outlive the response (closing the connection) to the platform. */
export type WaitUntil = (promise: Promise<unknown>) => void;

/** How long a cron tick keeps taking due jobs (a Cron Trigger may run for minutes; the next tick comes in one). */
const CRON_JOBS_MS = 45_000;

/** Everything kept between requests: plain data and objects that hold no connection. */
interface Wiring {
  config: Served;
  logger: Logger;
  services: Services;
  app: ReturnType<typeof createApp>;
}

/** The configuration's inputs: the string variables, with DATABASE_URL taken from Hyperdrive when bound. */
function settingsOf(env: PlatformEnv): Env {
  const settings: Env = {};
  for (const [name, value] of Object.entries(env))
    if (typeof value === 'string') settings[name] = value;
  const url = databaseUrlOf(env);
  if (url) settings.DATABASE_URL = url;
  return settings;
}

const fingerprintOf = (settings: Env) =>
  JSON.stringify(Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The app on a platform that runs code per request and keeps nothing running in between:
 * Cloudflare Workers (`worker.ts`) and Supabase Edge Functions (`supabase/functions/slotbot`).
 * There is no start-up: the database is already migrated (`npm run migrate -- up` from Node).
 *
 * What an isolate keeps between requests, for as long as the platform's variables stay the same:
 * the configuration, the logger, the secret box (its imported key), the services with their
 * caches (built bots, catalog lists, booking catalogs, outgoing limits), the app and the
 * database's array types (so a request's connection does not fetch them). All of them
 * are built over a request-routed database (`edge/runtime/request-routed.ts`): each request, or cron tick,
 * opens its own connection (`WORKER_POSTGRES_OPTIONS`, through Hyperdrive when bound), every call
 * made while serving it goes over that connection, and it is closed when done: on Workers a
 * connection cannot outlive the request that opened it. The caches are invalidated as on Node
 * (catalog stamps, `forgetTenant` on status changes in this isolate, the registry's TTL elsewhere).
 */
export function requestScopedApp(platform: string) {
  const routed = createRequestRoutedDatabase();
  // The database's array types, fetched by the isolate's first connection: the connections of
  // later requests skip postgres.js's type query.
  const arrayTypes = new ArrayTypeCache();
  let kept: { env: PlatformEnv; fingerprint: string; wiring: Promise<Wiring> } | undefined;

  /** The configuration, or the problems that stop this platform from serving (logged one a line). */
  function configured(settings: Env): Served | undefined {
    let config: AppConfig;
    try {
      config = loadConfig(settings);
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

  async function wire(config: Served): Promise<Wiring> {
    const db = routed.db;
    const logger = createLogger({
      level: config.logLevel as Level | 'silent',
      writer: jsonLineWriter((line) => console.log(line)),
    });
    const secrets = await createSecretBox(config.encryptionKey);
    const now = () => Date.now();
    // SCHEDULER=local: jobs are rows of the jobs table, run by the cron tick (`tick`) or by a
    // Node or Deno server on the same database.
    const services = createServices({
      db,
      logger,
      secrets,
      scheduler: schedulerFor(config, db, logger),
      apiRoot: config.telegramApiRoot,
      now,
      publicUrl: config.publicUrl,
      botCacheSize: config.botCacheSize,
    });
    const jobs = jobRoutesFor(config, services.dispatcher);
    const admin = adminDepsFor({
      db,
      logger,
      services,
      onboarding: {
        db,
        secrets,
        apiRoot: config.telegramApiRoot,
        publicUrl: config.publicUrl,
        mode: config.telegramMode,
      },
      now,
    });
    const app = createApp({
      db,
      logger,
      telegram: createWebhookHandler({
        db,
        registry: services.registry,
        leaseSeconds: config.updateLeaseSeconds,
      }),
      admin,
      ...(jobs ? { jobs } : {}),
    });
    return { config, logger, services, app };
  }

  /**
   * The isolate's wiring for `env`: built on the first request and kept while the variables are
   * the same (the env object is compared first, then its contents); undefined when the
   * configuration is unusable (logged on every request, so the operator sees it).
   */
  function wiringFor(env: PlatformEnv): Promise<Wiring> | undefined {
    if (kept?.env === env) return kept.wiring;
    const settings = settingsOf(env);
    const fingerprint = fingerprintOf(settings);
    if (kept?.fingerprint === fingerprint) {
      kept.env = env;
      return kept.wiring;
    }
    const config = configured(settings);
    if (!config) return undefined;
    const wiring = wire(config);
    const entry = { env, fingerprint, wiring };
    kept = entry;
    // A failed build is not kept: the next request tries again.
    wiring.catch(() => {
      if (kept === entry) kept = undefined;
    });
    return wiring;
  }

  /** This request's own connection: Hyperdrive's when bound, else DATABASE_URL's. */
  const connect = (env: PlatformEnv, config: Served) =>
    openPostgres(databaseUrlOf(env) ?? config.databaseUrl, {
      ...WORKER_POSTGRES_OPTIONS,
      poolMode: config.databasePoolMode,
      arrayTypes,
    });

  return {
    /** Serves one request over its own connection, closed after the response. */
    async fetch(request: Request, env: PlatformEnv, waitUntil: WaitUntil): Promise<Response> {
      const wiring = wiringFor(env);
      if (!wiring)
        return problemResponse({
          title: 'Service misconfigured',
          status: 500,
          detail: 'The operator must fix the configuration; see the logs.',
        });
      const { config, app } = await wiring;
      const db = connect(env, config);
      try {
        return await routed.run(db, async () => app.fetch(request));
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
    async tick(scheduledTime: number, env: PlatformEnv): Promise<MaintenanceReport> {
      const wiring = wiringFor(env);
      if (!wiring) throw new Error('the configuration is unusable; see the errors above');
      const { config, logger, services } = await wiring;
      const db = connect(env, config);
      try {
        return await routed.run(db, async () => {
          const now = () => Date.now();
          const report = await runMaintenance(
            {
              db: routed.db,
              booking: services.booking,
              dispatcher: services.dispatcher,
              scheduler: services.scheduler,
              logger,
              now,
            },
            {
              sweepHolds: true,
              ...(config.scheduler.kind === 'local'
                ? { runDueJobs: { until: now() + CRON_JOBS_MS } }
                : {}),
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
          if (report.failed.length)
            throw new Error(`maintenance failed: ${report.failed.map((f) => f.step).join(', ')}`, {
              cause: report.failed[0]!.error,
            });
          return report;
        });
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
  if (config.connectBot)
    return `BOT_TOKEN is read by the Node and Deno servers at start; on ${platform} connect a bot with \`npm run bot:register\``;
  if (!config.databaseUrl)
    return `DATABASE_URL (or, on Workers, a Hyperdrive binding named ${HYPERDRIVE_BINDING}) is required on ${platform}: the embedded database runs on Node only`;
  return undefined;
}
