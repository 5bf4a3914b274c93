import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator } from '../../db/migrations.ts';
import { loadMigrations } from '../../db/node/migration-files.ts';
import { openPglite } from '../../db/pglite.ts';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import {
  BadTokenError,
  BotConnectedElsewhereError,
  registerBot,
  TelegramUnreachableError,
  WebhookRefusedError,
} from '../../tenants/bots/onboarding.ts';
import { secretContext } from '../../tenants/bots/registry.ts';
import { createSecretBox, type SecretBox } from '../../tenants/security/secret-box.ts';
import { createBookingWorld } from '../support/booking-world.ts';
import { migratedPostgres } from '../support/pg.ts';
import { freePort, runScript } from '../support/process.ts';
import { TelegramStub } from '../support/telegram-stub.ts';

/**
 * Connecting a bot is all or nothing and can be run again: Telegram is asked first (getMe), the
 * rows are written in a transaction that commits only once setWebhook was accepted, and a second
 * run for the same business converges. Each failure says which it is.
 */
let counter = 0;
const newToken = () =>
  `${5_100_000 + Math.floor(Math.random() * 800_000) + counter++}:AAE${'r'.repeat(32)}`;

describe('registerBot against the Telegram stand-in', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let secrets: SecretBox;
  let tenantA = '';
  let tenantB = '';
  const telegram = new TelegramStub();

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('bot_register'));
    secrets = await createSecretBox(new Uint8Array(32).fill(9));
    tenantA = (await createBookingWorld(db, { masters: 1, clients: 0 })).tenantId;
    tenantB = (await createBookingWorld(db, { masters: 1, clients: 0 })).tenantId;
    await telegram.start();
  });
  afterAll(async () => {
    await telegram.stop();
    await cleanup();
  });

  const register = (
    token: string,
    tenantId = tenantA,
    publicUrl = 'https://bots.example.test',
    apiRoot = telegram.apiRoot,
  ) => registerBot({ db, secrets, apiRoot, publicUrl }, { tenantId, token });
  const rowsOf = (token: string) =>
    asPlatform(db, (tx) =>
      tx.query<{
        id: string;
        tenant_id: string;
        status: string;
        webhook_secret_ciphertext: string;
      }>(
        'select id, tenant_id, status, webhook_secret_ciphertext from tenant_bots where telegram_bot_id = $1',
        [Number(token.split(':')[0])],
      ),
    );
  const storedSecret = async (token: string) => {
    const [row] = await rowsOf(token);
    return secrets.decrypt(row!.webhook_secret_ciphertext, secretContext(row!.id));
  };

  it('a refused setWebhook leaves nothing behind, says what Telegram said, and a re-run succeeds', async () => {
    const token = newToken();
    telegram.addBot(token, 'refused_once_bot');
    telegram.requireHttpsWebhook = true;
    try {
      const refused = await register(token, tenantA, 'http://localhost:8787').catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(WebhookRefusedError);
      const message = (refused as Error).message;
      expect(message).toContain('Telegram refused the webhook http://localhost:8787/tg/');
      expect(message).toContain(
        'Bad Request: bad webhook: An HTTPS URL must be provided for webhook',
      );
      expect(message).toMatch(/public HTTPS address.*PUBLIC_URL/);
      expect(await rowsOf(token)).toEqual([]);

      const { botId } = await register(token, tenantA, 'https://bots.example.test');
      expect(await rowsOf(token)).toMatchObject([
        { id: botId, tenant_id: tenantA, status: 'active' },
      ]);
      expect(telegram.webhooks.get(token)).toEqual({
        url: `https://bots.example.test/tg/${botId}`,
        secret: await storedSecret(token),
      });
    } finally {
      telegram.requireHttpsWebhook = false;
    }
  });

  it('running it again for the same business keeps the bot, sets the webhook again and rotates the secret on both sides', async () => {
    const token = newToken();
    telegram.addBot(token, 'rerun_bot');
    const first = await register(token);
    const firstSecret = await storedSecret(token);
    const second = await register(token);
    expect(second.botId).toBe(first.botId);
    expect(await rowsOf(token)).toHaveLength(1);
    const secondSecret = await storedSecret(token);
    expect(secondSecret).not.toBe(firstSecret);
    expect(telegram.webhooks.get(token)).toEqual({
      url: `https://bots.example.test/tg/${first.botId}`,
      secret: secondSecret,
    });
    // Pending updates are dropped only when the bot is new here: a re-run keeps the customers' messages.
    const drops = telegram
      .callsOf('setWebhook')
      .filter((c) => c.token === token)
      .map((c) => c.params.drop_pending_updates ?? false);
    expect(drops).toEqual([true, false]);

    // A refusal on a re-run changes nothing either: the stored secret is still the one Telegram has.
    telegram.requireHttpsWebhook = true;
    try {
      await expect(register(token, tenantA, 'http://localhost:8787')).rejects.toBeInstanceOf(
        WebhookRefusedError,
      );
    } finally {
      telegram.requireHttpsWebhook = false;
    }
    expect(await storedSecret(token)).toBe(secondSecret);
    expect(telegram.webhooks.get(token)!.secret).toBe(secondSecret);
  });

  it('the same bot for another business is refused with that reason, and nothing changes', async () => {
    const token = newToken();
    telegram.addBot(token, 'taken_bot');
    const { botId } = await register(token, tenantA);
    const before = { webhook: telegram.webhooks.get(token), secret: await storedSecret(token) };
    const taken = await register(token, tenantB).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(BotConnectedElsewhereError);
    expect((taken as Error).message).toBe(
      '@taken_bot is already connected to another business; disconnect it there first, or create another bot with @BotFather',
    );
    expect(await rowsOf(token)).toMatchObject([{ id: botId, tenant_id: tenantA }]);
    expect({ webhook: telegram.webhooks.get(token), secret: await storedSecret(token) }).toEqual(
      before,
    );
  });

  it('a token Telegram does not know is a bad token', async () => {
    const token = newToken();
    const error = await register(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadTokenError);
    expect((error as Error).message).toBe(
      'Telegram did not accept this token (401: Unauthorized); copy it again from @BotFather',
    );
    expect(await rowsOf(token)).toEqual([]);
  });

  it('Telegram unreachable or failing (stopped, 5xx) is not a bad token, and leaves nothing', async () => {
    const token = newToken();
    telegram.addBot(token, 'unreachable_bot');
    const stopped = new TelegramStub();
    await stopped.start();
    await stopped.stop();
    const down = await register(token, tenantA, 'https://bots.example.test', stopped.apiRoot).catch(
      (e: unknown) => e,
    );
    expect(down).toBeInstanceOf(TelegramUnreachableError);
    expect((down as Error).message).toMatch(
      new RegExp(
        `^could not reach Telegram at ${stopped.apiRoot.replace(/[.]/g, '\\.')} \\(getMe: .+\\); nothing was changed, run this again once it answers$`,
      ),
    );

    telegram.failNext('getMe', { status: 502, description: 'Bad Gateway' }, Infinity);
    try {
      const failing = await register(token).catch((e: unknown) => e);
      expect(failing).toBeInstanceOf(TelegramUnreachableError);
      expect((failing as Error).message).toContain('Telegram answered 502: Bad Gateway');
    } finally {
      telegram.stopFailing('getMe');
    }
    telegram.failNext(
      'setWebhook',
      { status: 500, description: 'Internal Server Error' },
      Infinity,
    );
    try {
      await expect(register(token)).rejects.toBeInstanceOf(TelegramUnreachableError);
    } finally {
      telegram.stopFailing('setWebhook');
    }
    expect(await rowsOf(token)).toEqual([]);
    await register(token);
    expect(await rowsOf(token)).toHaveLength(1);
  });
});

describe('npm run bot:register', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'slotbot-register-'));
  const telegram = new TelegramStub();
  const token = newToken();
  let port = 0;

  beforeAll(async () => {
    const db = await openPglite(join(dataDir, 'pglite'));
    await createMigrator(db, await loadMigrations()).up();
    await db.query("insert into tenants (slug, name) values ('studio', 'Studio')");
    await db.close();
    await telegram.start();
    telegram.addBot(token, 'cli_studio_bot');
    port = await freePort();
  });
  afterAll(async () => {
    await telegram.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cli = (env: Record<string, string>, t = token) =>
    runScript('edge/runtime/register-bot-cli.ts', ['--tenant', 'studio', '--token', t], {
      DATA_DIR: dataDir,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      ...env,
    });
  const oneLine = (stderr: string) => {
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0]!;
  };

  it('sets the webhook where the server listens by the same rule (PUBLIC_URL, else PORT) and prints it', async () => {
    const done = await cli({ PORT: String(port) });
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    const url = telegram.webhooks.get(token)!.url;
    expect(url).toMatch(new RegExp(`^http://localhost:${port}/tg/[0-9a-f-]{36}$`));
    expect(done.stdout).toContain(`@cli_studio_bot is connected: webhook ${url}`);
    expect(done.stdout).toContain(`PUBLIC_URL is not set: the default for PORT ${port}`);

    const again = await cli({ PUBLIC_URL: 'https://bots.example.test/' });
    expect(again.code).toBe(0);
    expect(telegram.webhooks.get(token)!.url).toBe(
      url.replace(`http://localhost:${port}`, 'https://bots.example.test'),
    );
    expect(again.stdout).toContain(`webhook ${telegram.webhooks.get(token)!.url}`);
    expect(again.stdout).not.toContain('PUBLIC_URL is not set');
  });

  it('says in one line what went wrong: webhook refused, bad token, Telegram unreachable', async () => {
    const key = readFileSync(join(dataDir, 'encryption.key'), 'utf8').trim();
    const before = telegram.webhooks.get(token);
    telegram.requireHttpsWebhook = true;
    try {
      const refused = await cli({ PORT: String(port) });
      expect(refused.code).toBe(1);
      expect(oneLine(refused.stderr)).toMatch(
        /^Could not connect the bot: Telegram refused the webhook http:\/\/localhost:\d+\/tg\/\S+: "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"\. .*PUBLIC_URL/,
      );
      expect(refused.stderr).toContain(
        'or fetch the updates with long polling instead: TELEGRAM_MODE=polling',
      );
      expect(refused.stdout).not.toContain('connected');
    } finally {
      telegram.requireHttpsWebhook = false;
    }
    expect(telegram.webhooks.get(token)).toEqual(before);

    const bad = await cli({}, newToken());
    expect(bad.code).toBe(1);
    expect(oneLine(bad.stderr)).toBe(
      'Could not connect the bot: Telegram did not accept this token (401: Unauthorized); copy it again from @BotFather',
    );

    const down = await cli({ TELEGRAM_API_ROOT: `http://127.0.0.1:${await freePort()}` });
    expect(down.code).toBe(1);
    expect(oneLine(down.stderr)).toMatch(
      /^Could not connect the bot: could not reach Telegram at http:\/\/127\.0\.0\.1:\d+ \(getMe: .+\); nothing was changed/,
    );

    // Nothing of the failed runs stuck: the stored secret still opens the webhook Telegram has.
    const db = await openPglite(join(dataDir, 'pglite'));
    try {
      const rows = await db.query<{ id: string; webhook_secret_ciphertext: string }>(
        'select id, webhook_secret_ciphertext from tenant_bots',
      );
      expect(rows).toHaveLength(1);
      const box = await createSecretBox(Uint8Array.from(Buffer.from(key, 'base64')));
      expect(
        await box.decrypt(rows[0]!.webhook_secret_ciphertext, secretContext(rows[0]!.id)),
      ).toBe(before!.secret);
    } finally {
      await db.close();
    }
  });

  it('with TELEGRAM_MODE=polling connects the bot without a webhook, whatever PUBLIC_URL is, and says so', async () => {
    const polled = newToken();
    telegram.addBot(polled, 'cli_polling_bot');
    telegram.requireHttpsWebhook = true;
    try {
      const done = await cli({ TELEGRAM_MODE: 'polling', PORT: String(port) }, polled);
      expect(done.stderr).toBe('');
      expect(done.code).toBe(0);
      expect(done.stdout.trim()).toBe(
        '@cli_polling_bot is connected. TELEGRAM_MODE=polling: no webhook was set; `TELEGRAM_MODE=polling npm start` fetches its updates.',
      );
    } finally {
      telegram.requireHttpsWebhook = false;
    }
    expect(telegram.callsOf('setWebhook').filter((c) => c.token === polled)).toEqual([]);
    const db = await openPglite(join(dataDir, 'pglite'));
    try {
      expect(
        await db.query('select username, status from tenant_bots where telegram_bot_id = $1', [
          Number(polled.split(':')[0]),
        ]),
      ).toEqual([{ username: 'cli_polling_bot', status: 'active' }]);
    } finally {
      await db.close();
    }
  });
});
