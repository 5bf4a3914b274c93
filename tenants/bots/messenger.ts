import { GrammyError, InlineKeyboard } from 'grammy';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { activeBotOfTenant } from '../../db/queries/notices.ts';
import type { BotRegistry } from './registry.ts';

export interface OutgoingMessage {
  chatId: number;
  text: string;
  /** Rows of buttons; `data` is callback data (at most 64 bytes). */
  buttons?: { text: string; data: string }[][];
}

/** sent; unreachable: the user blocked the bot or is gone (no retry will help). */
export type DeliveryOutcome = 'sent' | 'unreachable';

/** One tenant's bot, ready to send; opened before any transaction that waits on the send. */
export interface TenantSender {
  botId: string;
  send(message: OutgoingMessage): Promise<DeliveryOutcome>;
}

/** Messages a tenant's bot sends on its own initiative (reminders, notices), outside any update. */
export interface Messenger {
  /** Undefined when the tenant has no active bot. */
  open(tenantId: string): Promise<TenantSender | undefined>;
}

/** Telegram errors that no retry will fix: blocked by the user, chat gone, user deactivated. */
export function isPermanentChatError(error: unknown): boolean {
  if (!(error instanceof GrammyError)) return false;
  return (
    error.error_code === 403 ||
    (error.error_code === 400 &&
      /chat not found|user not found|PEER_ID_INVALID/i.test(error.description))
  );
}

export function createMessenger(deps: {
  db: Database;
  registry: Pick<BotRegistry, 'get'>;
}): Messenger {
  return {
    async open(tenantId) {
      const botId = await asPlatform(deps.db, (tx) => activeBotOfTenant(tx, tenantId));
      const registered = botId ? await deps.registry.get(botId) : undefined;
      if (!registered) return undefined;
      return {
        botId: registered.row.id,
        async send(message) {
          const keyboard = message.buttons
            ? InlineKeyboard.from(
                message.buttons.map((row) => row.map((b) => InlineKeyboard.text(b.text, b.data))),
              )
            : undefined;
          try {
            await registered.bot.api.sendMessage(
              message.chatId,
              message.text,
              keyboard ? { reply_markup: keyboard } : {},
            );
            return 'sent';
          } catch (error) {
            if (isPermanentChatError(error)) return 'unreachable';
            throw error;
          }
        },
      };
    },
  };
}
