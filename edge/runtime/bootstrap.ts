import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../db/port.ts';
import { openPostgres } from '../../db/postgres.ts';
import { openPglite } from '../../db/pglite.ts';
import { applySeedOnce, createMigrator } from '../../db/migrations.ts';
import { loadMigrations, loadSeed } from '../../db/node/migration-files.ts';
import type { Logger } from '../../tenants/observability/logger.ts';
import { loadConfig, type AppConfig, type Env } from '../config.ts';
import { createApp } from '../app.ts';
import { withEmbeddedEncryptionKey } from './local-key.ts';
import { createSecretBox } from '../../tenants/security/secret-box.ts';
import { createBookingService } from '../../tenants/booking/booking-service.ts';
import { createBotRegistry } from '../../tenants/bots/registry.ts';
import { createWebhookHandler } from '../../tenants/bots/webhook.ts';

export interface Platform {
  config: AppConfig;
  db: Database;
  logger: Logger;
  app: ReturnType<typeof createApp>;
  databaseLabel: string;
}

/** Opens the configured database: PostgreSQL at DATABASE_URL, else PGlite under DATA_DIR. */
export async function openConfiguredDatabase(config: AppConfig): Promise<Database> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  const dir = join(config.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  return openPglite(dir);
}

/**
 * Start-up shared by the Node and Deno servers: config (throws ConfigError), database, migrations,
 * the demo seed on the embedded default, and the app. Workers skip this: they serve an
 * already-migrated database.
 */
export async function bootstrap(env: Env, makeLogger: (config: AppConfig) => Logger): Promise<Platform> {
  const config = loadConfig(withEmbeddedEncryptionKey(env));
  const logger = makeLogger(config);
  const db = await openConfiguredDatabase(config);
  try {
    const applied = await createMigrator(db, await loadMigrations()).up();
    if (applied.length) logger.info({ event: 'migrations_applied', versions: applied.map((m) => m.version) });
    if (!config.databaseUrl && (await applySeedOnce(db, 'demo', await loadSeed()))) {
      logger.info({ event: 'demo_seeded', tenant: 'demo' });
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const databaseLabel = config.databaseUrl ? `PostgreSQL at ${db.location}` : `embedded PGlite at ${db.location}`;
  const secrets = await createSecretBox(config.encryptionKey);
  const booking = createBookingService({ db, logger, now: () => Date.now() });
  const registry = createBotRegistry({ db, secrets, booking, apiRoot: config.telegramApiRoot, now: () => Date.now() });
  const telegram = createWebhookHandler({ db, registry });
  return { config, db, logger, app: createApp({ db, logger, telegram }), databaseLabel };
}
