import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../../edge/app.ts';
import type { Database } from '../../db/port.ts';
import { registerBot, setPaymentToken } from '../../tenants/bots/onboarding.ts';
import { createWebhookHandler } from '../../tenants/bots/webhook.ts';
import { createLogger, jsonLineWriter, type Logger } from '../../tenants/observability/logger.ts';
import { createSecretBox, type SecretBox } from '../../tenants/security/secret-box.ts';
import {
  createEmbeddedScheduler,
  createJobRunner,
  type JobRunner,
} from '../../tenants/jobs/embedded-runner.ts';
import { createServices, type Services } from '../../tenants/services.ts';
import type { OutgoingLimits } from '../../tenants/bots/rate-limit.ts';
import { TelegramStub } from './telegram-stub.ts';
import { freePort } from './process.ts';
import { adminDepsFor } from '../../edge/admin-deps.ts';
import { AdminClient, linkIn } from './admin-client.ts';
import { ChatUser, postUpdate, type BotEndpoint } from './chat-user.ts';

export { ChatUser, type ScreenSnapshot } from './chat-user.ts';

/** The real app (Hono + grammY + PostgreSQL) on a local port, talking to the Telegram stand-in. */
export class BotHarness implements BotEndpoint {
  readonly stub = new TelegramStub();
  readonly logs: Record<string, unknown>[] = [];
  /** Ids of the callback queries the webhook accepted (200), to check each was answered. */
  readonly presses: string[] = [];
  baseUrl = '';
  botId = '';
  token = '';
  /** Shifts the platform's clock (not the host's): jobs and holds see `Date.now() + offsetMs`. */
  offsetMs = 0;
  readonly now = () => Date.now() + this.offsetMs;
  services!: Services;
  /** The embedded job runner, polled by hand (`runJobs`), never on a timer. */
  runner!: JobRunner;
  private server?: ServerType;
  private readonly instances: ServerType[] = [];

  constructor(
    private readonly db: Database,
    private readonly options: {
      notifyWindowMs?: number;
      leaseSeconds?: number;
      outgoingLimits?: OutgoingLimits;
      telegramMode?: 'webhook' | 'polling';
      botCacheSize?: number;
    } = {},
  ) {}

  /** Connects a payment provider token to the bot, stored encrypted as onboarding does. */
  async setPaymentToken(token: string): Promise<void> {
    await setPaymentToken(
      { db: this.db, secrets: await createSecretBox(this.secretKey) },
      { botId: this.botId, token },
    );
  }

  /** Runs every job due at the platform's current time; returns how many ran. */
  async runJobs(): Promise<number> {
    let total = 0;
    for (let ran = await this.runner.runDue(); ran > 0; ran = await this.runner.runDue())
      total += ran;
    return total;
  }

  private readonly secretKey = new Uint8Array(32).fill(5);

  /** The secret box the app encrypts bot tokens with, for bots written straight to the database. */
  secretBox(): Promise<SecretBox> {
    return createSecretBox(this.secretKey);
  }

  async start(
    tenantId: string,
    token = `${7_000_000 + Math.floor(Math.random() * 1_000_000)}:AAE${'x'.repeat(32)}`,
  ): Promise<void> {
    await this.startWithoutBot();
    this.stub.addBot(token, 'studio_test_bot');
    const secrets = await createSecretBox(this.secretKey);
    const { botId } = await registerBot(
      { db: this.db, secrets, apiRoot: this.stub.apiRoot, publicUrl: this.baseUrl },
      { tenantId, token },
    );
    this.useBot(botId, token);
  }

  /** The stand-in and the app with no bot connected yet (the sign-up page connects one). */
  async startWithoutBot(): Promise<void> {
    await this.stub.start();
    const { server, url, services, logger } = await this.serveApp(this.db);
    this.server = server;
    this.baseUrl = url;
    this.services = services;
    this.runner = createJobRunner({
      db: this.db,
      dispatcher: services.dispatcher,
      logger,
      now: this.now,
      visibilityMs: 30_000,
    });
  }

  /** Updates (`deliver`, `user(...)`) go to this bot from now on. */
  useBot(botId: string, token: string): void {
    this.botId = botId;
    this.token = token;
  }

  /** One more instance of the app (own bot registry and chat mutex) for the same bots and stand-in. */
  private async serveApp(
    db: Database,
  ): Promise<{ server: ServerType; url: string; services: Services; logger: Logger }> {
    const secrets = await createSecretBox(this.secretKey);
    const logger = createLogger({
      level: 'info',
      writer: jsonLineWriter((line) => this.logs.push(JSON.parse(line) as Record<string, unknown>)),
    });
    // The address is chosen first: the bots' sign-in links point at it.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const services = createServices({
      db,
      logger,
      secrets,
      scheduler: createEmbeddedScheduler(db),
      apiRoot: this.stub.apiRoot,
      now: this.now,
      publicUrl: url,
      ...(this.options.notifyWindowMs ? { notifyWindowMs: this.options.notifyWindowMs } : {}),
      ...(this.options.outgoingLimits ? { outgoingLimits: this.options.outgoingLimits } : {}),
      ...(this.options.botCacheSize ? { botCacheSize: this.options.botCacheSize } : {}),
    });
    const onboarding = {
      db,
      secrets,
      apiRoot: this.stub.apiRoot,
      publicUrl: url,
      ...(this.options.telegramMode ? { mode: this.options.telegramMode } : {}),
    };
    const admin = adminDepsFor({ db, logger, services, onboarding, now: this.now });
    const app = createApp({
      db,
      logger,
      admin,
      telegram: createWebhookHandler({
        db,
        registry: services.registry,
        ...(this.options.leaseSeconds ? { leaseSeconds: this.options.leaseSeconds } : {}),
      }),
    });
    let server: ServerType | undefined;
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve());
    });
    return { server: server!, url, services, logger };
  }

  /**
   * A second instance of the platform over `db` (e.g. the same database), as a second server
   * process would be: it shares no in-process state with the first. Returns its base URL; pass
   * it to `deliver`.
   */
  async startInstance(db: Database = this.db): Promise<string> {
    const { server, url } = await this.serveApp(db);
    this.instances.push(server);
    return url;
  }

  async stop(): Promise<void> {
    for (const server of this.instances) await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => this.server?.close(resolve));
    await this.stub.stop();
  }

  /** Delivers an update to the webhook as Telegram would; returns the HTTP status. */
  async deliver(
    update: Record<string, unknown>,
    secret = this.stub.webhooks.get(this.token)!.secret,
    baseUrl = this.baseUrl,
  ): Promise<number> {
    const status = await postUpdate(`${baseUrl}/tg/${this.botId}`, secret, update, {
      telegram: { stub: this.stub, token: this.token },
    });
    const press = (update.callback_query as { id?: string } | undefined)?.id;
    if (press && status === 200 && !this.presses.includes(press)) this.presses.push(press);
    return status;
  }

  /**
   * POSTs any body to the bot's webhook with the bot's secret (or `secret`), as a forger could. The
   * raw answer: a webhook reply in it is not made at the stand-in (`stub.applyWebhookReply` does).
   */
  post(
    body: BodyInit,
    init: { secret?: string | null; botId?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const secret =
      init.secret === undefined ? this.stub.webhooks.get(this.token)!.secret : init.secret;
    return fetch(`${this.baseUrl}/tg/${init.botId ?? this.botId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
        ...init.headers,
      },
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
  }

  /** A staff member signs in to the admin web as a person does: `/admin` to the bot, then its link. */
  async signIn(telegramId: number): Promise<AdminClient> {
    const u = this.user(telegramId);
    await u.send('/admin');
    const browser = new AdminClient(this.baseUrl);
    const done = await browser.signInWithLink(linkIn(u.lastMessage().text));
    if (done.status !== 303) throw new Error(`sign-in of ${telegramId} answered ${done.status}`);
    return browser;
  }

  user(id: number, languageCode = 'en', firstName = `User${id}`): ChatUser {
    return new ChatUser(this, id, languageCode, firstName);
  }
}
