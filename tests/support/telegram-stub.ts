import { createServer, type Server } from 'node:http';
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

export interface StubCall {
  token: string;
  method: string;
  params: Record<string, unknown>;
}

export class TelegramStub {
  readonly calls: StubCall[] = [];
  readonly webhooks = new Map<string, { url: string; secret: string }>();
  private readonly bots = new Map<string, { id: number; username: string }>();
  private readonly chats = new Map<string, StubMessage[]>();
  private nextMessageId = 1000;
  private server?: Server;
  apiRoot = '';

  addBot(token: string, username: string): void {
    this.bots.set(token, { id: Number(token.split(':')[0]), username });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
        const reply = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        };
        if (!match) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
        const [, token, method] = match as unknown as [string, string, string];
        const params = body ? (JSON.parse(body) as Record<string, unknown>) : {};
        this.calls.push({ token, method, params });
        const bot = this.bots.get(token);
        if (!bot) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
        const result = this.answer(token, bot, method, params);
        if ('error' in result) return reply(400, { ok: false, error_code: 400, description: result.error });
        reply(200, { ok: true, result: result.ok });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.apiRoot = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private answer(token: string, bot: { id: number; username: string }, method: string, p: Record<string, unknown>): { ok: unknown } | { error: string } {
    const from = { id: bot.id, is_bot: true as const, first_name: bot.username, username: bot.username };
    switch (method) {
      case 'getMe':
        return { ok: { ...from, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } };
      case 'setWebhook':
        this.webhooks.set(token, { url: String(p.url), secret: String(p.secret_token) });
        return { ok: true };
      case 'sendMessage': {
        const message: StubMessage = { message_id: ++this.nextMessageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(p.chat_id), type: 'private' }, from, text: String(p.text), ...(p.reply_markup ? { reply_markup: p.reply_markup as StubMessage['reply_markup'] } : {}) };
        this.messages(token, message.chat.id).push(message);
        return { ok: message };
      }
      case 'editMessageText': {
        const message = this.messages(token, Number(p.chat_id)).find((m) => m.message_id === Number(p.message_id));
        if (!message) return { error: 'Bad Request: message to edit not found' };
        if (message.text === p.text && JSON.stringify(message.reply_markup ?? null) === JSON.stringify(p.reply_markup ?? null)) {
          return { error: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message' };
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

  callsOf(method: string): StubCall[] {
    return this.calls.filter((c) => c.method === method);
  }
}
