import { ConfigError, loadConfig, type AppConfig, type Env } from '../config.ts';
import { openPostgres } from '../../db/postgres.ts';
import { WORKER_POSTGRES_OPTIONS } from './worker-database.ts';
import { createApp } from '../app.ts';
import { adminDepsFor } from '../admin-deps.ts';
import { problemResponse } from '../problem.ts';
import { createLogger, jsonLineWriter, type Level } from '../../tenants/observability/logger.ts';
import { createSecretBox } from '../../tenants/security/secret-box.ts';
import { createWebhookHandler } from '../../tenants/bots/webhook.ts';
import { createServices } from '../../tenants/services.ts';
import { jobRoutesFor, schedulerFor } from '../scheduling.ts';

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** Parsed once per isolate: config is plain data, no connection. */
let cached: { env: Env; config: AppConfig } | undefined;

function configFor(env: Env): AppConfig {
  if (cached?.env !== env) cached = { env, config: loadConfig(env) };
  return cached.config;
}

/** What a Worker cannot do although the configuration allows it elsewhere. */
function workerRefusal(config: AppConfig): string | undefined {
  if (config.telegramMode === 'polling') {
    return 'TELEGRAM_MODE=polling cannot run on Workers: a Worker only answers requests and cannot hold a long poll; use TELEGRAM_MODE=webhook (the default) here, or run the Node server (`TELEGRAM_MODE=polling npm start`)';
  }
  if (config.connectBot) return 'BOT_TOKEN is read by the Node and Deno servers at start; on Workers connect a bot with `npm run bot:register`';
  return undefined;
}

/**
 * Cloudflare Workers entry. A connection cannot outlive its request on Workers, so each request
 * opens one (`WORKER_POSTGRES_OPTIONS`) and closes it after the response.
 */
export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let config: AppConfig;
    try {
      config = configFor(env);
    } catch (error) {
      const problems = error instanceof ConfigError ? error.problems : [String(error)];
      for (const problem of problems) console.error(`Configuration error: ${problem}`);
      return problemResponse({ title: 'Service misconfigured', status: 500, detail: 'The operator must fix the configuration; see the logs.' });
    }
    const refused = workerRefusal(config);
    if (refused) {
      console.error(`Configuration error: ${refused}`);
      return problemResponse({ title: 'Service misconfigured', status: 500, detail: 'The operator must fix the configuration; see the logs.' });
    }
    if (!config.databaseUrl) {
      console.error('Configuration error: DATABASE_URL is required on Workers: the embedded database runs on Node only');
      return problemResponse({ title: 'Service misconfigured', status: 500, detail: 'The operator must set DATABASE_URL.' });
    }
    const level = config.logLevel;
    const logger = createLogger({ level: level as Level | 'silent', writer: jsonLineWriter((line) => console.log(line)) });
    const db = openPostgres(config.databaseUrl, { ...WORKER_POSTGRES_OPTIONS, poolMode: config.databasePoolMode });
    try {
      // SCHEDULER=local writes jobs to the database for an embedded runner (`npm start`) elsewhere.
      const now = () => Date.now();
      const secrets = await createSecretBox(config.encryptionKey);
      const services = createServices({ db, logger, secrets, scheduler: schedulerFor(config, db, logger), apiRoot: config.telegramApiRoot, now, publicUrl: config.publicUrl });
      const jobs = jobRoutesFor(config, services.dispatcher);
      const admin = adminDepsFor({ db, logger, services, onboarding: { db, secrets, apiRoot: config.telegramApiRoot, publicUrl: config.publicUrl, mode: config.telegramMode }, now });
      return await createApp({ db, logger, telegram: createWebhookHandler({ db, registry: services.registry, leaseSeconds: config.updateLeaseSeconds }), admin, ...(jobs ? { jobs } : {}) }).fetch(request);
    } finally {
      ctx.waitUntil(db.close());
    }
  },
};
