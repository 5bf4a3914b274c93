import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../edge/app.ts';
import type { Database } from '../../db/port.ts';
import { registerBot, setPaymentToken } from '../../tenants/bots/onboarding.ts';
import { createWebhookHandler } from '../../tenants/bots/webhook.ts';
import { createLogger, jsonLineWriter, type Logger } from '../../tenants/observability/logger.ts';
import { createSecretBox } from '../../tenants/security/secret-box.ts';
import { createEmbeddedScheduler, createJobRunner, type JobRunner } from '../../tenants/jobs/embedded-runner.ts';
import { createServices, type Services } from '../../tenants/services.ts';
import type { OutgoingLimits } from '../../tenants/bots/rate-limit.ts';
import { TelegramStub, type StubInvoice, type StubMessage } from './telegram-stub.ts';

let updateIds = 1;

/** The real app (Hono + grammY + PostgreSQL) on a local port, talking to the Telegram stand-in. */
export class BotHarness {
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
    private readonly options: { notifyWindowMs?: number; leaseSeconds?: number; outgoingLimits?: OutgoingLimits } = {},
  ) {}

  /** Connects a payment provider token to the bot, stored encrypted as onboarding does. */
  async setPaymentToken(token: string): Promise<void> {
    await setPaymentToken({ db: this.db, secrets: await createSecretBox(this.secretKey) }, { botId: this.botId, token });
  }

  /** Runs every job due at the platform's current time; returns how many ran. */
  async runJobs(): Promise<number> {
    let total = 0;
    for (let ran = await this.runner.runDue(); ran > 0; ran = await this.runner.runDue()) total += ran;
    return total;
  }

  private readonly secretKey = new Uint8Array(32).fill(5);

  async start(tenantId: string, token = `${7_000_000 + Math.floor(Math.random() * 1_000_000)}:AAE${'x'.repeat(32)}`): Promise<void> {
    await this.stub.start();
    this.stub.addBot(token, 'studio_test_bot');
    this.token = token;
    const secrets = await createSecretBox(this.secretKey);
    const { server, url, services, logger } = await this.serveApp(this.db);
    this.server = server;
    this.baseUrl = url;
    this.services = services;
    this.runner = createJobRunner({ db: this.db, dispatcher: services.dispatcher, logger, now: this.now, visibilityMs: 30_000 });
    const { botId } = await registerBot({ db: this.db, secrets, apiRoot: this.stub.apiRoot, publicUrl: this.baseUrl }, { tenantId, token });
    this.botId = botId;
  }

  /** One more instance of the app (own bot registry and chat mutex) for the same bots and stand-in. */
  private async serveApp(db: Database): Promise<{ server: ServerType; url: string; services: Services; logger: Logger }> {
    const secrets = await createSecretBox(this.secretKey);
    const logger = createLogger({ level: 'info', writer: jsonLineWriter((line) => this.logs.push(JSON.parse(line) as Record<string, unknown>)) });
    const services = createServices({
      db,
      logger,
      secrets,
      scheduler: createEmbeddedScheduler(db),
      apiRoot: this.stub.apiRoot,
      now: this.now,
      ...(this.options.notifyWindowMs ? { notifyWindowMs: this.options.notifyWindowMs } : {}),
      ...(this.options.outgoingLimits ? { outgoingLimits: this.options.outgoingLimits } : {}),
    });
    const app = createApp({ db, logger, telegram: createWebhookHandler({ db, registry: services.registry, ...(this.options.leaseSeconds ? { leaseSeconds: this.options.leaseSeconds } : {}) }) });
    let server: ServerType | undefined;
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    return { server: server!, url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, services, logger };
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
  async deliver(update: Record<string, unknown>, secret = this.stub.webhooks.get(this.token)!.secret, baseUrl = this.baseUrl): Promise<number> {
    const res = await fetch(`${baseUrl}/tg/${this.botId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
    });
    await res.arrayBuffer();
    const press = (update.callback_query as { id?: string } | undefined)?.id;
    if (press && res.status === 200 && !this.presses.includes(press)) this.presses.push(press);
    return res.status;
  }

  /** POSTs any body to the bot's webhook with the bot's secret (or `secret`), as a forger could. */
  post(body: BodyInit, init: { secret?: string | null; botId?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const secret = init.secret === undefined ? this.stub.webhooks.get(this.token)!.secret : init.secret;
    return fetch(`${this.baseUrl}/tg/${init.botId ?? this.botId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }), ...init.headers },
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
  }

  user(id: number, languageCode = 'en', firstName = `User${id}`): ChatUser {
    return new ChatUser(this, id, languageCode, firstName);
  }
}

export interface ScreenSnapshot {
  text: string;
  buttons: string[][];
}

const invoiceTotal = (invoice: StubInvoice) => invoice.prices.reduce((sum, x) => sum + x.amount, 0);

export class ChatUser {
  constructor(
    private readonly h: BotHarness,
    readonly id: number,
    readonly languageCode: string,
    readonly firstName: string,
  ) {}

  private get from() {
    return { id: this.id, is_bot: false, first_name: this.firstName, language_code: this.languageCode };
  }

  messageUpdate(text: string): Record<string, unknown> {
    return {
      update_id: updateIds++,
      message: {
        message_id: updateIds,
        date: Math.floor(Date.now() / 1000),
        chat: { id: this.id, type: 'private', first_name: this.firstName },
        from: this.from,
        text,
        ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] } : {}),
      },
    };
  }

  async send(text: string): Promise<number> {
    return this.h.deliver(this.messageUpdate(text));
  }

  lastMessage(): StubMessage {
    return this.h.stub.last(this.h.token, this.id);
  }

  screen(): ScreenSnapshot {
    const m = this.lastMessage();
    return { text: m.text, buttons: (m.reply_markup?.inline_keyboard ?? []).map((row) => row.map((b) => b.text)) };
  }

  /** The update for pressing the button whose label contains `label` (on the last message, or `message`). */
  pressUpdate(label: string | RegExp, message = this.lastMessage()): Record<string, unknown> {
    const button = (message.reply_markup?.inline_keyboard ?? []).flat().find((b) => (typeof label === 'string' ? b.text.includes(label) : label.test(b.text)));
    if (!button) throw new Error(`no button "${String(label)}" in: ${JSON.stringify(message.reply_markup?.inline_keyboard.map((r) => r.map((b) => b.text)))}\n${message.text}`);
    return {
      update_id: updateIds++,
      callback_query: { id: String(updateIds), from: this.from, message, chat_instance: 'ci', data: button.callback_data },
    };
  }

  /** Telegram asking the bot before charging for `invoice` (pre_checkout_query). */
  preCheckoutUpdate(invoice: StubInvoice, totalAmount = invoiceTotal(invoice)): Record<string, unknown> {
    return {
      update_id: updateIds++,
      pre_checkout_query: { id: `pcq${updateIds}`, from: this.from, currency: invoice.currency, total_amount: totalAmount, invoice_payload: invoice.payload },
    };
  }

  /**
   * The service message Telegram sends once `invoice` is paid (successful_payment); `charged`
   * overrides what Telegram reports as charged (by default the invoice's total and currency).
   */
  paymentUpdate(invoice: StubInvoice, chargeId: string, charged: { totalAmount?: number; currency?: string; providerChargeId?: string } = {}): Record<string, unknown> {
    return {
      update_id: updateIds++,
      message: {
        message_id: updateIds,
        date: Math.floor(Date.now() / 1000),
        chat: { id: this.id, type: 'private', first_name: this.firstName },
        from: this.from,
        successful_payment: {
          currency: charged.currency ?? invoice.currency,
          total_amount: charged.totalAmount ?? invoiceTotal(invoice),
          invoice_payload: invoice.payload,
          telegram_payment_charge_id: chargeId,
          provider_payment_charge_id: charged.providerChargeId ?? `prov-${chargeId}`,
        },
      },
    };
  }

  /** Delivers a prepared update (see preCheckoutUpdate, paymentUpdate) to the webhook. */
  deliver(update: Record<string, unknown>): Promise<number> {
    return this.h.deliver(update);
  }

  /** Every message the bot sent this user (screens, notices, reminders), oldest first. */
  messages(): StubMessage[] {
    return this.h.stub.messages(this.h.token, this.id);
  }

  async press(label: string | RegExp, message?: StubMessage): Promise<number> {
    return this.h.deliver(this.pressUpdate(label, message));
  }
}
