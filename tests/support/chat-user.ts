import { httpPost } from './http-post.ts';
import type { StubInvoice, StubMessage, TelegramStub } from './telegram-stub.ts';

let updateIds = 1;

/** Where a chat's updates go, and the Telegram stand-in that recorded the bot's messages. */
export interface BotEndpoint {
  readonly stub: TelegramStub;
  /** The bot's token: the key of its chats in the stand-in. */
  readonly token: string;
  /** Delivers an update as Telegram would; resolves to the HTTP status. */
  deliver(update: Record<string, unknown>): Promise<number>;
}

/**
 * POSTs an update to a bot's webhook URL with its secret header, as Telegram does; resolves to the
 * status. A 200 whose JSON body names a Bot API `method` (a webhook reply) is made on the bot's
 * behalf at `telegram`, as Telegram makes it; without `telegram` such an answer fails the post.
 */
export async function postUpdate(
  url: string,
  secret: string,
  update: Record<string, unknown>,
  options: { timeoutMs?: number; telegram?: { stub: TelegramStub; token: string } } = {},
): Promise<number> {
  const res = await httpPost(
    url,
    { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    JSON.stringify(update),
    options.timeoutMs,
  );
  const reply = webhookReplyOf(res.status, res.headers['content-type'] ?? null, res.body);
  if (reply !== undefined) {
    if (!options.telegram)
      throw new Error(
        `the webhook answered with a Bot API call but no stand-in makes it: ${reply}`,
      );
    options.telegram.stub.applyWebhookReply(options.telegram.token, reply);
  }
  return res.status;
}

/** The Bot API call a webhook's answer asks Telegram to make, if any (only a 200 counts, as at Telegram). */
export function webhookReplyOf(
  status: number,
  contentType: string | null,
  body: string,
): string | undefined {
  if (status !== 200 || !contentType?.startsWith('application/json') || !body) return undefined;
  const parsed = JSON.parse(body) as { method?: unknown };
  return typeof parsed.method === 'string' ? body : undefined;
}

/**
 * A bot served by another process: updates go to the webhook URL and with the secret that the
 * bot's setWebhook call left in the stand-in. A delivery that gets no answer within `timeoutMs`
 * fails (a hung webhook shows as an error, not as a stuck test).
 */
export function webhookEndpoint(
  stub: TelegramStub,
  token: string,
  timeoutMs = 15_000,
): BotEndpoint {
  return {
    stub,
    token,
    deliver(update) {
      const hook = stub.webhooks.get(token);
      if (!hook) throw new Error('the bot has no webhook: setWebhook was not called');
      return postUpdate(hook.url, hook.secret, update, {
        timeoutMs,
        telegram: { stub, token },
      });
    },
  };
}

/**
 * A bot that fetches its updates itself (TELEGRAM_MODE=polling): an update is put in the
 * stand-in's queue, as Telegram keeps it for getUpdates, and the delivery resolves to 200 once the
 * bot confirmed it (its next getUpdates offset is past it), the polling counterpart of the
 * webhook's 200. One not confirmed within `timeoutMs` fails the delivery.
 */
export function pollingEndpoint(
  stub: TelegramStub,
  token: string,
  timeoutMs = 15_000,
): BotEndpoint {
  return {
    stub,
    token,
    async deliver(update) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `update ${String(update.update_id)} was not confirmed within ${timeoutMs} ms (confirmed below ${stub.confirmedOffset(token)}, pending ${JSON.stringify(stub.pendingUpdates(token))})`,
              ),
            ),
          timeoutMs,
        );
      });
      try {
        await Promise.race([stub.enqueueUpdate(token, update), late]);
        return 200;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export interface ScreenSnapshot {
  text: string;
  buttons: string[][];
}

const invoiceTotal = (invoice: StubInvoice) => invoice.prices.reduce((sum, x) => sum + x.amount, 0);

/**
 * A Telegram user in a private chat with one bot: sends messages and presses the buttons of the
 * messages the bot sent (as the stand-in recorded them), through whatever serves the bot's webhook.
 */
export class ChatUser {
  constructor(
    private readonly h: BotEndpoint,
    readonly id: number,
    readonly languageCode: string,
    readonly firstName: string,
  ) {}

  private get from() {
    return {
      id: this.id,
      is_bot: false,
      first_name: this.firstName,
      language_code: this.languageCode,
    };
  }

  /** A message from this user in their private chat, with `content` (text, a payment, ...). */
  private message(content: Record<string, unknown>): Record<string, unknown> {
    return {
      update_id: updateIds++,
      message: {
        message_id: updateIds,
        date: Math.floor(Date.now() / 1000),
        chat: { id: this.id, type: 'private', first_name: this.firstName },
        from: this.from,
        ...content,
      },
    };
  }

  messageUpdate(text: string): Record<string, unknown> {
    return this.message({
      text,
      ...(text.startsWith('/')
        ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] }
        : {}),
    });
  }

  async send(text: string): Promise<number> {
    return this.h.deliver(this.messageUpdate(text));
  }

  lastMessage(): StubMessage {
    return this.h.stub.last(this.h.token, this.id);
  }

  screen(): ScreenSnapshot {
    const m = this.lastMessage();
    return {
      text: m.text,
      buttons: (m.reply_markup?.inline_keyboard ?? []).map((row) => row.map((b) => b.text)),
    };
  }

  /** The update for pressing the button whose label contains `label` (on the last message, or `message`). */
  pressUpdate(label: string | RegExp, message = this.lastMessage()): Record<string, unknown> {
    const button = (message.reply_markup?.inline_keyboard ?? [])
      .flat()
      .find((b) => (typeof label === 'string' ? b.text.includes(label) : label.test(b.text)));
    if (!button)
      throw new Error(
        `no button "${String(label)}" in: ${JSON.stringify(message.reply_markup?.inline_keyboard.map((r) => r.map((b) => b.text)))}\n${message.text}`,
      );
    return {
      update_id: updateIds++,
      callback_query: {
        id: String(updateIds),
        from: this.from,
        message,
        chat_instance: 'ci',
        data: button.callback_data,
      },
    };
  }

  /** Telegram asking the bot before charging for `invoice` (pre_checkout_query). */
  preCheckoutUpdate(
    invoice: StubInvoice,
    totalAmount = invoiceTotal(invoice),
  ): Record<string, unknown> {
    return {
      update_id: updateIds++,
      pre_checkout_query: {
        id: `pcq${updateIds}`,
        from: this.from,
        currency: invoice.currency,
        total_amount: totalAmount,
        invoice_payload: invoice.payload,
      },
    };
  }

  /**
   * The service message Telegram sends once `invoice` is paid (successful_payment); `charged`
   * overrides what Telegram reports as charged (by default the invoice's total and currency).
   */
  paymentUpdate(
    invoice: StubInvoice,
    chargeId: string,
    charged: { totalAmount?: number; currency?: string; providerChargeId?: string } = {},
  ): Record<string, unknown> {
    return this.message({
      successful_payment: {
        currency: charged.currency ?? invoice.currency,
        total_amount: charged.totalAmount ?? invoiceTotal(invoice),
        invoice_payload: invoice.payload,
        telegram_payment_charge_id: chargeId,
        provider_payment_charge_id: charged.providerChargeId ?? `prov-${chargeId}`,
      },
    });
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
