import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Telegram Bot API server: accepts the methods the bots call, records
 * them, keeps each chat's messages (so tests can press their buttons) and answers in the Bot API's
 * shape, including Telegram's "message is not modified" refusal.
 */
export interface StubMessage {
  message_id: number;
  date: number;
  chat: { id: number; type: 'private' };
  from: { id: number; is_bot: true; first_name: string; username: string };
  text: string;
  reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] };
}

export interface StubInvoice {
  token: string;
  chatId: number;
  title: string;
  description: string;
  payload: string;
  currency: string;
  prices: { label: string; amount: number }[];
  providerToken?: string;
}

export interface StubStarTransaction {
  id: string;
  amount: number;
  date: number;
  source?: {
    type: 'user';
    transaction_type: 'invoice_payment';
    user: { id: number; is_bot: false; first_name: string };
    invoice_payload?: string;
  };
  receiver?: {
    type: 'user';
    transaction_type: 'invoice_payment';
    user: { id: number; is_bot: false; first_name: string };
  };
}

export interface StubCall {
  token: string;
  method: string;
  params: Record<string, unknown>;
}

/** A file a bot uploaded (multipart/form-data), as Telegram would have received it. */
export interface StubFile {
  token: string;
  chatId: number;
  method: string;
  /** The parameter that referred to it (`document`, `photo`, ...). */
  field: string;
  filename: string;
  bytes: Uint8Array;
  /** The bytes decoded as UTF-8. */
  text: string;
  caption?: string;
}

interface MultipartPart {
  name: string;
  filename?: string;
  bytes: Buffer;
}

/** A minimal multipart/form-data reader (grammY writes `filename=` unquoted, so no strict parser). */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    const disposition = /content-disposition:\s*form-data\s*;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const param = (key: string) =>
      new RegExp(`(?:^|;)\\s*${key}=(?:"([^"]*)"|([^;]*))`, 'i').exec(disposition);
    const name = param('name');
    const filename = param('filename');
    parts.push({
      name: (name?.[1] ?? name?.[2] ?? '').trim(),
      ...(filename ? { filename: (filename[1] ?? filename[2] ?? '').trim() } : {}),
      bytes: part.subarray(split + 4),
    });
    at = next;
  }
  return parts;
}

/** An update a user sent, waiting in the stand-in until the bot confirms it (getUpdates offset). */
interface QueuedUpdate {
  update: Record<string, unknown> & { update_id: number };
  confirmed: () => void;
  dropped: (reason: string) => void;
}

/** One bot's getUpdates side: its unconfirmed updates and the long poll waiting for them, if any. */
interface PollState {
  queue: QueuedUpdate[];
  /** Every update below this id is confirmed (the highest offset a getUpdates call gave). */
  confirmedBelow: number;
  waiting?: {
    res: ServerResponse;
    offset: number;
    limit: number;
    timer: ReturnType<typeof setTimeout>;
  };
}

/** One getUpdates answer: the offset it was called with and the update ids it returned. */
export interface StubFetch {
  token: string;
  offset: number;
  ids: number[];
}

const CONFLICT_OTHER_POLL =
  'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
const CONFLICT_WEBHOOK =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

export class TelegramStub {
  readonly calls: StubCall[] = [];
  readonly files: StubFile[] = [];
  readonly webhooks = new Map<string, { url: string; secret: string }>();
  private readonly bots = new Map<string, { id: number; username: string }>();
  private readonly chats = new Map<string, StubMessage[]>();
  private readonly answered = new Set<string>();
  /** Invoices sent (sendInvoice), in order. */
  readonly invoices: StubInvoice[] = [];
  /** The bot's Telegram Stars ledger (getStarTransactions); tests add incoming payments. */
  readonly starTransactions: StubStarTransaction[] = [];
  private nextMessageId = 1000;
  private readonly failures = new Map<
    string,
    { status: number; description: string; times: number }
  >();
  private readonly delays = new Map<string, { ms: number; times: number }>();
  private readonly holds = new Map<string, Promise<void>>();
  private readonly polls = new Map<string, PollState>();
  /** Every getUpdates answer with updates or without, in order. */
  readonly fetches: StubFetch[] = [];
  /** Long polls whose caller went away before they were answered (an aborted getUpdates). */
  abandonedPolls = 0;
  private server?: Server;
  apiRoot = '';
  /** Like api.telegram.org: setWebhook refuses a URL that is not https (self-hosted servers allow http). */
  requireHttpsWebhook = false;

  /**
   * The next `times` calls of `method` fail as Telegram answers a failure: e.g. 502 Bad Gateway (a
   * retry may work) or 400 with a description (it will not).
   */
  failNext(method: string, failure: { status: number; description: string }, times = 1): void {
    this.failures.set(method, { ...failure, times });
  }

  /** What getWebhookInfo reports as the bot's last delivery error (Telegram's last_error_date/message). */
  readonly webhookErrors = new Map<string, { date: number; message: string }>();

  /** `method` answers normally again. */
  stopFailing(method: string): void {
    this.failures.delete(method);
  }

  /**
   * A user's update for the bot with `token`, fetched by the bot's getUpdates as Telegram holds
   * it: resolves once the bot confirmed it (a getUpdates call with a higher offset), rejects when
   * it is dropped (setWebhook or deleteWebhook with drop_pending_updates).
   */
  enqueueUpdate(token: string, update: Record<string, unknown>): Promise<void> {
    const id = update.update_id;
    if (typeof id !== 'number') throw new Error('an update needs a numeric update_id');
    const state = this.pollsOf(token);
    if (id < state.confirmedBelow)
      throw new Error(
        `update ${id} is below the confirmed offset ${state.confirmedBelow}: Telegram's update ids only grow`,
      );
    return new Promise<void>((confirmed, reject) => {
      state.queue.push({
        update: update as QueuedUpdate['update'],
        confirmed,
        dropped: (reason) => reject(new Error(reason)),
      });
      state.queue.sort((a, b) => a.update.update_id - b.update.update_id);
      // Answered on the next turn, so that updates enqueued together come in one batch.
      setImmediate(() => this.answerWaitingPoll(token));
    });
  }

  /** Updates of the bot not yet confirmed by its getUpdates, oldest first. */
  pendingUpdates(token: string): number[] {
    return this.pollsOf(token).queue.map((q) => q.update.update_id);
  }

  /** The offset below which every update of the bot is confirmed. */
  confirmedOffset(token: string): number {
    return this.pollsOf(token).confirmedBelow;
  }

  /** Whether a getUpdates call of the bot is waiting (long poll) right now. */
  isPolling(token: string): boolean {
    const waiting = this.pollsOf(token).waiting;
    return waiting !== undefined && !waiting.res.socket?.destroyed;
  }

  private pollsOf(token: string): PollState {
    let state = this.polls.get(token);
    if (!state) {
      state = { queue: [], confirmedBelow: 0 };
      this.polls.set(token, state);
    }
    return state;
  }

  private dropPending(token: string, why: string): void {
    const state = this.pollsOf(token);
    for (const q of state.queue.splice(0))
      q.dropped(`update ${q.update.update_id} dropped: ${why}`);
  }

  /**
   * getUpdates as Telegram serves it: an offset confirms every update below it; the answer holds
   * the updates from the offset on (at most `limit`), at once when there are any, else when one
   * arrives within `timeout` seconds, else empty. A second call while one waits ends the first
   * with 409; so does a webhook that is set.
   */
  private getUpdates(
    token: string,
    p: Record<string, unknown>,
    res: ServerResponse,
    reply: (status: number, payload: unknown) => void,
  ): void {
    if (this.webhooks.has(token))
      return reply(409, { ok: false, error_code: 409, description: CONFLICT_WEBHOOK });
    const state = this.pollsOf(token);
    if (state.waiting) {
      const previous = state.waiting;
      clearTimeout(previous.timer);
      state.waiting = undefined;
      previous.res.writeHead(409, { 'content-type': 'application/json' });
      previous.res.end(
        JSON.stringify({ ok: false, error_code: 409, description: CONFLICT_OTHER_POLL }),
      );
    }
    const offset = Number(p.offset ?? 0);
    if (offset > state.confirmedBelow) {
      state.confirmedBelow = offset;
      while (state.queue.length && state.queue[0]!.update.update_id < offset)
        state.queue.shift()!.confirmed();
    }
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)));
    const timeout = Math.max(0, Number(p.timeout ?? 0));
    if (state.queue.length > 0 || timeout === 0)
      return reply(200, { ok: true, result: this.fetch(token, offset, limit) });
    const waiting = {
      res,
      offset,
      limit,
      timer: setTimeout(() => this.answerWaitingPoll(token, true), timeout * 1000),
    };
    state.waiting = waiting;
    // The poller went away (aborted, or its process died): nobody waits any more.
    res.on('close', () => {
      if (state.waiting === waiting) {
        clearTimeout(waiting.timer);
        state.waiting = undefined;
        this.abandonedPolls += 1;
      }
    });
  }

  private answerWaitingPoll(token: string, timedOut = false): void {
    const state = this.pollsOf(token);
    const waiting = state.waiting;
    if (!waiting || (!timedOut && state.queue.length === 0)) return;
    clearTimeout(waiting.timer);
    state.waiting = undefined;
    waiting.res.writeHead(200, { 'content-type': 'application/json' });
    waiting.res.end(
      JSON.stringify({ ok: true, result: this.fetch(token, waiting.offset, waiting.limit) }),
    );
  }

  private fetch(token: string, offset: number, limit: number): Record<string, unknown>[] {
    const updates = this.pollsOf(token)
      .queue.slice(0, limit)
      .map((q) => q.update);
    this.fetches.push({ token, offset, ids: updates.map((u) => u.update_id) });
    return updates;
  }

  fetchesOf(token: string): StubFetch[] {
    return this.fetches.filter((f) => f.token === token);
  }

  /** The next `times` calls of `method` are answered only after `ms` (a slow Telegram). */
  delayNext(method: string, ms: number, times = 1): void {
    this.delays.set(method, { ms, times });
  }

  /** The next call of `method` is answered only once `release()` is called (Telegram stalls). */
  holdNext(method: string): { release(): void } {
    let release!: () => void;
    this.holds.set(method, new Promise<void>((r) => (release = r)));
    return { release: () => release() };
  }

  addBot(token: string, username: string): void {
    this.bots.set(token, { id: Number(token.split(':')[0]), username });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
        const reply = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        };
        if (!match) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
        const [, token, method] = match as unknown as [string, string, string];
        const contentType = req.headers['content-type'] ?? '';
        let params: Record<string, unknown>;
        let uploads: MultipartPart[] = [];
        if (contentType.startsWith('multipart/form-data')) {
          // Uploads: plain fields are strings (objects as JSON), files are parts named by attach://<id>.
          const parts = parseMultipart(body, contentType);
          params = {};
          for (const part of parts.filter((p) => p.filename === undefined)) {
            const text = part.bytes.toString('utf8');
            params[part.name] = /^[[{]/.test(text) ? (JSON.parse(text) as unknown) : text;
          }
          uploads = parts.filter((p) => p.filename !== undefined);
        } else {
          params = body.length
            ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>)
            : {};
        }
        this.calls.push({ token, method, params });
        const failure = this.failures.get(method);
        if (failure && failure.times > 0) {
          failure.times -= 1;
          return reply(failure.status, {
            ok: false,
            error_code: failure.status,
            description: failure.description,
          });
        }
        const bot = this.bots.get(token);
        if (!bot) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
        for (const [field, value] of Object.entries(params)) {
          const upload =
            typeof value === 'string' && value.startsWith('attach://')
              ? uploads.find((u) => u.name === value.slice('attach://'.length))
              : undefined;
          if (!upload) continue;
          this.files.push({
            token,
            chatId: Number(params.chat_id),
            method,
            field,
            filename: upload.filename!,
            bytes: new Uint8Array(upload.bytes),
            text: upload.bytes.toString('utf8'),
            ...(typeof params.caption === 'string' ? { caption: params.caption } : {}),
          });
        }
        if (method === 'getUpdates') return this.getUpdates(token, params, res, reply);
        const result = this.answer(token, bot, method, params);
        const respond = () =>
          'error' in result
            ? reply(400, { ok: false, error_code: 400, description: result.error })
            : reply(200, { ok: true, result: result.ok });
        const delay = this.delays.get(method);
        const hold = this.holds.get(method);
        if (hold) {
          this.holds.delete(method);
          void hold.then(respond);
        } else if (delay && delay.times > 0) {
          delay.times -= 1;
          setTimeout(respond, delay.ms);
        } else {
          respond();
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.apiRoot = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /**
   * A webhook's answer that named a Bot API method (a webhook reply): Telegram makes that call for
   * the bot, as if the bot had sent it, and nobody learns how it went. Recorded like any call.
   */
  applyWebhookReply(token: string, body: string): void {
    const { method, ...params } = JSON.parse(body) as Record<string, unknown>;
    if (typeof method !== 'string') throw new Error(`a webhook reply without a method: ${body}`);
    this.calls.push({ token, method, params });
    const failure = this.failures.get(method);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      return;
    }
    const bot = this.bots.get(token);
    if (bot) this.answer(token, bot, method, params);
  }

  async stop(): Promise<void> {
    for (const token of this.polls.keys()) this.answerWaitingPoll(token, true);
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private answer(
    token: string,
    bot: { id: number; username: string },
    method: string,
    p: Record<string, unknown>,
  ): { ok: unknown } | { error: string } {
    const from = {
      id: bot.id,
      is_bot: true as const,
      first_name: bot.username,
      username: bot.username,
    };
    switch (method) {
      case 'getMe':
        return {
          ok: {
            ...from,
            can_join_groups: true,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
          },
        };
      case 'setWebhook':
        if (this.requireHttpsWebhook && !String(p.url).startsWith('https://'))
          return { error: 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook' };
        this.webhooks.set(token, { url: String(p.url), secret: String(p.secret_token) });
        if (p.drop_pending_updates) this.dropPending(token, 'setWebhook with drop_pending_updates');
        return { ok: true };
      case 'deleteWebhook':
        this.webhooks.delete(token);
        if (p.drop_pending_updates)
          this.dropPending(token, 'deleteWebhook with drop_pending_updates');
        return { ok: true };
      case 'getWebhookInfo':
        return {
          ok: {
            url: this.webhooks.get(token)?.url ?? '',
            has_custom_certificate: false,
            pending_update_count: this.pollsOf(token).queue.length,
            ...(this.webhookErrors.has(token)
              ? {
                  last_error_date: this.webhookErrors.get(token)!.date,
                  last_error_message: this.webhookErrors.get(token)!.message,
                }
              : {}),
          },
        };
      case 'sendMessage': {
        const message: StubMessage = {
          message_id: ++this.nextMessageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(p.chat_id), type: 'private' },
          from,
          text: String(p.text),
          ...(p.reply_markup
            ? { reply_markup: p.reply_markup as StubMessage['reply_markup'] }
            : {}),
        };
        this.messages(token, message.chat.id).push(message);
        return { ok: message };
      }
      case 'answerCallbackQuery': {
        // Like Telegram: a query is answered once; a second answer is refused.
        const id = String(p.callback_query_id);
        if (this.answered.has(id))
          return {
            error:
              'Bad Request: query is too old and response timeout expired or query ID is invalid',
          };
        this.answered.add(id);
        return { ok: true };
      }
      case 'sendDocument': {
        // Documents are kept apart from the chat's screens (they carry no buttons); see `files`.
        const file = this.files.at(-1);
        if (typeof p.document !== 'string' || !file || !p.document.startsWith('attach://'))
          return { error: 'Bad Request: there is no document in the request' };
        return {
          ok: {
            message_id: ++this.nextMessageId,
            date: Math.floor(Date.now() / 1000),
            chat: { id: Number(p.chat_id), type: 'private' },
            from,
            document: {
              file_id: `doc${this.nextMessageId}`,
              file_unique_id: `u${this.nextMessageId}`,
              file_name: file.filename,
              file_size: file.bytes.length,
            },
            ...(typeof p.caption === 'string' ? { caption: p.caption } : {}),
          },
        };
      }
      case 'sendInvoice': {
        const prices = p.prices as { label: string; amount: number }[];
        const currency = String(p.currency);
        if (
          !Array.isArray(prices) ||
          prices.length === 0 ||
          prices.some((x) => !Number.isInteger(x.amount) || x.amount <= 0)
        )
          return { error: 'Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID' };
        if (currency === 'XTR' ? p.provider_token : !p.provider_token)
          return { error: 'Bad Request: PAYMENT_PROVIDER_INVALID' };
        if (
          String(p.title).length > 32 ||
          String(p.description).length > 255 ||
          String(p.payload).length > 128
        )
          return { error: 'Bad Request: invoice field too long' };
        const invoice: StubInvoice = {
          token,
          chatId: Number(p.chat_id),
          title: String(p.title),
          description: String(p.description),
          payload: String(p.payload),
          currency,
          prices,
          ...(p.provider_token ? { providerToken: String(p.provider_token) } : {}),
        };
        this.invoices.push(invoice);
        const total = prices.reduce((sum, x) => sum + x.amount, 0);
        return {
          ok: {
            message_id: ++this.nextMessageId,
            date: Math.floor(Date.now() / 1000),
            chat: { id: invoice.chatId, type: 'private' },
            from,
            invoice: {
              title: invoice.title,
              description: invoice.description,
              start_parameter: '',
              currency,
              total_amount: total,
            },
          },
        };
      }
      case 'answerPreCheckoutQuery':
        return { ok: true };
      case 'getStarTransactions': {
        const offset = Number(p.offset ?? 0);
        const limit = Number(p.limit ?? 100);
        return { ok: { transactions: this.starTransactions.slice(offset, offset + limit) } };
      }
      case 'refundStarPayment': {
        const charge = String(p.telegram_payment_charge_id);
        const paid = this.starTransactions.find(
          (t) => t.id === charge && t.source?.user.id === Number(p.user_id),
        );
        if (!paid) return { error: 'Bad Request: CHARGE_NOT_FOUND' };
        if (this.starTransactions.some((t) => t.id === charge && t.receiver))
          return { error: 'Bad Request: CHARGE_ALREADY_REFUNDED' };
        this.starTransactions.push({
          id: charge,
          amount: paid.amount,
          date: Math.floor(Date.now() / 1000),
          receiver: { type: 'user', transaction_type: 'invoice_payment', user: paid.source!.user },
        });
        return { ok: true };
      }
      case 'editMessageText': {
        const message = this.messages(token, Number(p.chat_id)).find(
          (m) => m.message_id === Number(p.message_id),
        );
        if (!message) return { error: 'Bad Request: message to edit not found' };
        if (
          message.text === p.text &&
          JSON.stringify(message.reply_markup ?? null) === JSON.stringify(p.reply_markup ?? null)
        ) {
          return {
            error:
              'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
          };
        }
        message.text = String(p.text);
        if (p.reply_markup) message.reply_markup = p.reply_markup as StubMessage['reply_markup'];
        else delete message.reply_markup;
        return { ok: message };
      }
      default:
        return { ok: true };
    }
  }

  messages(token: string, chatId: number): StubMessage[] {
    const key = `${token}:${chatId}`;
    if (!this.chats.has(key)) this.chats.set(key, []);
    return this.chats.get(key)!;
  }

  last(token: string, chatId: number): StubMessage {
    const list = this.messages(token, chatId);
    if (!list.length) throw new Error(`no message in chat ${chatId}`);
    return list[list.length - 1]!;
  }

  filesOf(token: string, chatId: number): StubFile[] {
    return this.files.filter((f) => f.token === token && f.chatId === chatId);
  }

  callsOf(method: string): StubCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Drops what was recorded except each chat's last message (what a button press is made on), so
   * that a long benchmark run does not grow the process's memory with the stand-in's records.
   */
  forget(): void {
    this.calls.length = 0;
    this.files.length = 0;
    this.answered.clear();
    for (const [key, list] of this.chats) if (list.length > 1) this.chats.set(key, list.slice(-1));
  }
}
