import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { openConfiguredDatabase } from './bootstrap.ts';
import { withEmbeddedEncryptionKey } from './local-key.ts';
import { createMigrator } from '../../db/migrations.ts';
import { loadMigrations } from '../../db/node/migration-files.ts';
import { bootstrapPlatformAdmin } from '../../tenants/admin/platform-admins.ts';

/**
 * Makes a Telegram user a platform admin:
 *   npm run admin:bootstrap -- --telegram-id 123456789 [--name "Ann"] [--language ru]
 * They then send /admin to any business's bot connected here and get a sign-in link. On the
 * embedded database stop `npm start` first (one process per data directory), or start it with
 * PLATFORM_ADMIN_TELEGRAM_ID=123456789 instead.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'telegram-id': { type: 'string' },
      name: { type: 'string' },
      language: { type: 'string' },
    },
  });
  const id = values['telegram-id'];
  if (!id || !/^[1-9]\d{0,15}$/.test(id)) {
    process.stderr.write(
      'Usage: npm run admin:bootstrap -- --telegram-id <your Telegram user id> [--name <name>] [--language en|ru]\n(@userinfobot in Telegram tells you your id.)\n',
    );
    process.exit(2);
  }
  const language = values.language ?? 'en';
  if (!['en', 'ru'].includes(language)) {
    process.stderr.write('--language: expected en or ru\n');
    process.exit(2);
  }
  const config = loadConfig(withEmbeddedEncryptionKey(process.env));
  const db = await openConfiguredDatabase(config, 'npm run admin:bootstrap');
  try {
    await createMigrator(db, await loadMigrations()).up();
    await bootstrapPlatformAdmin(db, {
      telegramUserId: Number(id),
      ...(values.name ? { displayName: values.name } : {}),
      language,
    });
    process.stdout.write(
      `Telegram user ${id} is a platform admin. Send /admin to any bot connected here for a sign-in link (${config.publicUrl}/admin).\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError)
    for (const p of error.problems) process.stderr.write(`Configuration error: ${p}\n`);
  else
    process.stderr.write(
      `Could not make the platform admin: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  process.exit(1);
});
