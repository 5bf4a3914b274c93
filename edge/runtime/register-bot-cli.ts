import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { openConfiguredDatabase } from './bootstrap.ts';
import { withEmbeddedEncryptionKey } from './local-key.ts';
import { createSecretBox } from '../../tenants/security/secret-box.ts';
import { connectBotToTenant, setPaymentToken } from '../../tenants/bots/onboarding.ts';
import { createMigrator } from '../../db/migrations.ts';
import { loadMigrations } from '../../db/node/migration-files.ts';

/**
 * Connects a business's BotFather token to a tenant (until the owners' admin pages do it):
 *   npm run bot:register -- --tenant demo --token 123456:ABC... [--payment-token 284685063:TEST:...]
 * The payment token (BotFather → Payments) turns on card invoices; Stars need none.
 * The webhook goes to PUBLIC_URL, resolved exactly as the server resolves it (same variables, same
 * defaults: unset on the embedded database, http://localhost:$PORT). Telegram itself accepts only
 * a public https address. With TELEGRAM_MODE=polling no webhook is set: the polling server fetches
 * the bot's updates. Running it again for the same business is safe.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      token: { type: 'string' },
      'payment-token': { type: 'string' },
    },
  });
  if (!values.tenant || !values.token) {
    process.stderr.write(
      'Usage: npm run bot:register -- --tenant <tenant slug> --token <BotFather token> [--payment-token <provider token>]\n',
    );
    process.exit(2);
  }
  const config = loadConfig(withEmbeddedEncryptionKey(process.env));
  const db = await openConfiguredDatabase(config, 'npm run bot:register');
  try {
    await createMigrator(db, await loadMigrations()).up();
    const secrets = await createSecretBox(config.encryptionKey);
    const deps = {
      db,
      secrets,
      apiRoot: config.telegramApiRoot,
      publicUrl: config.publicUrl,
      mode: config.telegramMode,
    };
    const { botId, username, webhookUrl } = await connectBotToTenant(deps, {
      tenantSlug: values.tenant,
      token: values.token,
    });
    if (webhookUrl === undefined) {
      process.stdout.write(
        `@${username} is connected. TELEGRAM_MODE=polling: no webhook was set; \`TELEGRAM_MODE=polling npm start\` fetches its updates.\n`,
      );
    } else {
      const origin = !config.publicUrlIsDefault
        ? ''
        : ` (PUBLIC_URL is not set: the default for PORT ${config.port}, where \`npm start\` listens with the same variables)`;
      process.stdout.write(`@${username} is connected: webhook ${webhookUrl}${origin}\n`);
    }
    if (values['payment-token']) {
      await setPaymentToken({ db, secrets }, { botId, token: values['payment-token'] });
      process.stdout.write('Card payments are on (provider token stored encrypted).\n');
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError)
    for (const p of error.problems) process.stderr.write(`Configuration error: ${p}\n`);
  else
    process.stderr.write(
      `Could not connect the bot: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  process.exit(1);
});
