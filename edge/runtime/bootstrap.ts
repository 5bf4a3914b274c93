import { join } from 'node:path';
import type { Database } from '../../db/port.ts';
import { openPostgres } from '../../db/postgres.ts';
import { openEmbeddedDatabase } from '../../db/node/embedded-database.ts';
import { applySeedOnce, createMigrator } from '../../db/migrations.ts';
import { loadMigrations, loadSeed } from '../../db/node/migration-files.ts';
import type { Logger } from '../../tenants/observability/logger.ts';
import { loadConfig, type AppConfig, type Env } from '../config.ts';
import { createApp } from '../app.ts';
import { adminDepsFor } from '../admin-deps.ts';
import { bootstrapPlatformAdmin } from '../../tenants/admin/platform-admins.ts';
import { withEmbeddedEncryptionKey } from './local-key.ts';
import { createSecretBox, type SecretBox } from '../../tenants/security/secret-box.ts';
import { createWebhookHandler } from '../../tenants/bots/webhook.ts';
import { telegramUpdatesFor, type TelegramUpdates } from './telegram-updates.ts';
import { connectBotToTenant } from '../../tenants/bots/onboarding.ts';
import { createServices, type Services } from '../../tenants/services.ts';
import { createJobRunner, type JobRunner } from '../../tenants/jobs/embedded-runner.ts';
import { jobRoutesFor, monitoredSchedulerFor } from '../scheduling.ts';
import { seedDigests } from '../../tenants/jobs/handlers/digest-admin.ts';
import { digestSeedingDue, runMaintenance } from '../../tenants/jobs/maintenance.ts';
import { retryInBackground } from '../../tenants/jobs/background-retry.ts';
import type { SchedulerMonitor } from '../../tenants/jobs/scheduler-health.ts';

export interface Platform {
  config: AppConfig;
  db: Database;
  logger: Logger;
  app: ReturnType<typeof createApp>;
  databaseLabel: string;
  services: Services;
  /** The embedded job runner (SCHEDULER=local); started by the server entries. */
  runner?: JobRunner;
  /** The scheduler's health, as `/healthz` reports it. */
  scheduler: SchedulerMonitor;
  /** TELEGRAM_MODE's background work (polling, or the webhooks' check); started by the server entries. */
  telegramUpdates: TelegramUpdates;
  /** Stops the background work (digest seeding, Telegram polling, the runner) and closes the database. */
  shutdown(): Promise<void>;
}

/** Expired holds are swept this often besides their own jobs (a job lost to a crash frees the slot anyway). */
const HOLD_SWEEP_MS = 30_000;

/**
 * Opens the configured database: PostgreSQL at DATABASE_URL, else PGlite under DATA_DIR, held by
 * this process alone (`command` names it to a second process that is refused).
 */
export async function openConfiguredDatabase(
  config: AppConfig,
  command: string,
): Promise<Database> {
  if (config.databaseUrl)
    return openPostgres(config.databaseUrl, { poolMode: config.databasePoolMode });
  return openEmbeddedDatabase(join(config.dataDir, 'pglite'), command);
}

/**
 * Start-up shared by the Node and Deno servers: config (throws ConfigError), database, migrations,
 * the demo seed on the embedded default, and the app. Workers skip this: they serve an
 * already-migrated database.
 */
export async function bootstrap(
  env: Env,
  makeLogger: (config: AppConfig) => Logger,
  command = 'npm start',
): Promise<Platform> {
  const config = loadConfig(withEmbeddedEncryptionKey(env));
  const logger = makeLogger(config);
  const db = await openConfiguredDatabase(config, command);
  const secrets = await createSecretBox(config.encryptionKey);
  try {
    const applied = await createMigrator(db, await loadMigrations()).up();
    if (applied.length)
      logger.info({ event: 'migrations_applied', versions: applied.map((m) => m.version) });
    if (!config.databaseUrl && (await applySeedOnce(db, 'demo', await loadSeed()))) {
      logger.info({ event: 'demo_seeded', tenant: 'demo' });
    }
    if (config.connectBot) await connectStartBot(config, db, secrets, logger);
    if (config.platformAdminTelegramId) {
      await bootstrapPlatformAdmin(db, { telegramUserId: config.platformAdminTelegramId });
      logger.info(
        { event: 'platform_admin_bootstrapped' },
        'PLATFORM_ADMIN_TELEGRAM_ID is a platform admin: send /admin to a connected bot to sign in',
      );
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const databaseLabel = config.databaseUrl
    ? `PostgreSQL at ${db.location}`
    : `embedded PGlite at ${db.location}`;
  const now = () => Date.now();
  const monitor = monitoredSchedulerFor(config, db, logger);
  const scheduler = monitor.scheduler;
  const services = createServices({
    db,
    logger,
    secrets,
    scheduler,
    apiRoot: config.telegramApiRoot,
    now,
    publicUrl: config.publicUrl,
    botCacheSize: config.botCacheSize,
  });
  const telegram = createWebhookHandler({
    db,
    registry: services.registry,
    leaseSeconds: config.updateLeaseSeconds,
  });
  const jobs = jobRoutesFor(config, services.dispatcher);
  const onboarding = {
    db,
    secrets,
    apiRoot: config.telegramApiRoot,
    publicUrl: config.publicUrl,
    mode: config.telegramMode,
  };
  const telegramUpdates = telegramUpdatesFor(config, { db, logger, registry: services.registry });
  const admin = adminDepsFor({
    db,
    logger,
    services,
    onboarding,
    now,
    botConnected: () => telegramUpdates.botConnected(),
  });
  const app = createApp({
    db,
    logger,
    telegram,
    scheduler: monitor,
    admin,
    ...(jobs ? { jobs } : {}),
  });
  // QStash may be down or refuse the token: the server serves Telegram regardless, the digests
  // are seeded once the scheduler answers, and /healthz says so meanwhile.
  const seeded = monitor.waitingFor('digest_seeding');
  const seeding = retryInBackground({
    name: 'digest_seeding',
    logger,
    task: async () => {
      await seedDigests(db, scheduler, now());
      seeded();
    },
  });
  const platform = {
    config,
    db,
    logger,
    app,
    databaseLabel,
    services,
    scheduler: monitor,
    telegramUpdates,
  };
  if (config.scheduler.kind === 'qstash') {
    return {
      ...platform,
      async shutdown() {
        seeding.stop();
        await telegramUpdates.stop();
        await db.close();
      },
    };
  }
  // The runner runs the due jobs; every 30 s the upkeep the Worker's cron does (tenants/jobs/maintenance.ts)
  // sweeps expired holds, and restarts the digest chains after each UTC midnight (new tenants
  // get theirs without a restart; start-up seeded today's).
  let lastSweep = 0;
  let lastSeeding = now();
  const maintenance = {
    db,
    booking: services.booking,
    dispatcher: services.dispatcher,
    scheduler,
    logger,
    now,
  };
  const runner = createJobRunner({
    db,
    dispatcher: services.dispatcher,
    logger,
    now,
    afterPoll: async () => {
      const at = now();
      if (at - lastSweep < HOLD_SWEEP_MS) return;
      lastSweep = at;
      const seed = digestSeedingDue(at, lastSeeding);
      const report = await runMaintenance(maintenance, { sweepHolds: true, seedDigests: seed });
      if (seed && !report.failed.some((f) => f.step === 'seed_digests')) lastSeeding = at;
    },
  });
  return {
    ...platform,
    runner,
    async shutdown() {
      seeding.stop();
      await telegramUpdates.stop();
      await runner.stop();
      await db.close();
    },
  };
}

/**
 * BOT_TOKEN: the bot joins the tenant BOT_TENANT as `bot:register` would (in webhook mode with its
 * webhook set); the same token again on the next start keeps the same bot. A failure stops start-up.
 */
async function connectStartBot(
  config: AppConfig,
  db: Database,
  secrets: SecretBox,
  logger: Logger,
): Promise<void> {
  const { token, tenant } = config.connectBot!;
  try {
    const { username } = await connectBotToTenant(
      {
        db,
        secrets,
        apiRoot: config.telegramApiRoot,
        publicUrl: config.publicUrl,
        mode: config.telegramMode,
      },
      { tenantSlug: tenant, token },
    );
    logger.info(
      { event: 'bot_connected', tenant, username },
      `@${username} is connected to ${tenant}`,
    );
  } catch (error) {
    throw new Error(
      `BOT_TOKEN could not be connected to the tenant "${tenant}" (BOT_TENANT): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
