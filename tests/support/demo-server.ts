import type { Browser } from 'playwright-core';
import { applySeedOnce } from '../../db/migrations.ts';
import { loadSeed } from '../../db/node/migration-files.ts';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { linkIn } from './admin-client.ts';
import { launchChromium, openWatchedPage, type Device, type WatchedPage } from './browser.ts';
import { ChatUser, webhookEndpoint } from './chat-user.ts';
import { migratedPostgres } from './pg.ts';
import { freePort, startServer, type Running } from './process.ts';
import { TelegramStub } from './telegram-stub.ts';

/**
 * What the admin browser tests start from: the platform as its own process on a fresh database
 * with the demo business, its bot connected to the Telegram stand-in (webhook), an owner who signs
 * in through the bot's /admin link, and Chromium.
 */
export class DemoAdminServer {
  readonly stub = new TelegramStub();
  readonly token = `${7_300_000 + Math.floor(Math.random() * 1_000_000)}:AAE${'d'.repeat(32)}`;
  base = '';
  db!: Database;
  browser!: Browser;
  private server?: Running;
  private cleanup?: () => Promise<void>;

  private constructor(readonly ownerTelegramId: number) {}

  /** Starts everything; `name` names the test database. */
  static async start(name: string, ownerTelegramId: number): Promise<DemoAdminServer> {
    const s = new DemoAdminServer(ownerTelegramId);
    const pg = await migratedPostgres(name);
    s.db = pg.db;
    s.cleanup = pg.cleanup;
    await applySeedOnce(pg.db, 'demo', await loadSeed());
    await asPlatform(pg.db, (tx) =>
      tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id, language) select id, 'owner', 'Olga Petrova', $1, 'en' from tenants where slug = 'demo'",
        [ownerTelegramId],
      ),
    );
    await s.stub.start();
    s.stub.addBot(s.token, 'demo_salon_bot');
    const port = await freePort();
    s.base = `http://127.0.0.1:${port}`;
    s.server = await startServer({
      DATABASE_URL: pg.url,
      PUBLIC_URL: s.base,
      ENCRYPTION_KEY: Buffer.alloc(32, 6).toString('base64'),
      PORT: String(port),
      TELEGRAM_API_ROOT: s.stub.apiRoot,
      BOT_TOKEN: s.token,
      BOT_TENANT: 'demo',
    });
    s.browser = await launchChromium();
    return s;
  }

  /** A person in the demo bot's chat (updates go to the server's webhook). */
  chat(telegramId: number, language = 'en', firstName = 'Olga'): ChatUser {
    return new ChatUser(webhookEndpoint(this.stub, this.token), telegramId, language, firstName);
  }

  /** The link the bot sends a staff member for /admin. */
  async adminLink(language = 'en', telegramId = this.ownerTelegramId): Promise<string> {
    const person = this.chat(telegramId, language);
    const status = await person.send('/admin');
    if (status !== 200) throw new Error(`/admin answered ${status}`);
    return linkIn(person.lastMessage().text);
  }

  /** A browser page signed in as the owner (the link opened, "Sign in" pressed), on /admin. */
  async signedInPage(device: Device, locale = 'en-US'): Promise<WatchedPage> {
    const watched = await openWatchedPage(this.browser, device, { locale });
    await watched.page.goto(await this.adminLink(locale.slice(0, 2)));
    await watched.page.getByRole('button', { name: /Sign in|Войти/ }).click();
    await watched.page.waitForURL(`${this.base}/admin`);
    return watched;
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.server?.stop();
    await this.stub.stop();
    await this.cleanup?.();
  }
}
