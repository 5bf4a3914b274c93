import { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Database } from '../../db/port.ts';
import { asPlatform, asTenant } from '../../db/scope.ts';
import { claimUpdate, findBot, finishUpdate, loadSession, saveSession, setClientLanguage, upsertClient, type WebhookBotRow } from '../../db/queries/bots.ts';
import { masterForTelegramUser } from '../../db/queries/bookings.ts';
import { catalogStamp } from '../../db/queries/catalog.ts';
import type { BookingService } from '../booking/booking-service.ts';
import { pickLanguage, translate } from '../i18n/catalog.ts';
import type { PaymentService } from '../payments/payment-service.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { TransientError } from './errors.ts';
import { flowComposer, type FlowContext } from './flow.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import { emptySession, type FlowSession } from './navigation.ts';
import { rateLimiter } from './rate-limit.ts';

export interface RegisteredBot {
  row: WebhookBotRow;
  secret: string;
  bot: Bot<FlowContext>;
}

export interface BotRegistryDeps {
  db: Database;
  secrets: SecretBox;
  booking: BookingService;
  /** Invoices, pre-checkout answers and payment settlement; absent: payment steps are skipped. */
  payments?: PaymentService;
  apiRoot: string;
  now: () => number;
  /** How many built bots to keep, and for how long (status changes are picked up after that). */
  capacity?: number;
  ttlMs?: number;
}

export const tokenContext = (botId: string) => `tenant_bots:${botId}:token`;
export const secretContext = (botId: string) => `tenant_bots:${botId}:webhook_secret`;

function parseSession(data: Record<string, unknown>): FlowSession {
  const s = data as Partial<FlowSession>;
  return Array.isArray(s.stack) && s.stack.length > 0 && typeof s.seq === 'number' ? (s as FlowSession) : { ...emptySession(), ...(typeof s.lang === 'string' ? { lang: s.lang } : {}) };
}

/**
 * Tenant bots by id: each a grammY Bot built once from the stored (decrypted) token and cached
 * bot info (no getMe per update), with the shared flow installed. A bounded cache keeps the
 * recently used ones.
 */
export function createBotRegistry(deps: BotRegistryDeps) {
  const capacity = deps.capacity ?? 500;
  const ttl = deps.ttlMs ?? 5 * 60_000;
  const cache = new Map<string, { bot: RegisteredBot; loadedAt: number }>();
  const chats = new KeyedMutex();
  const features = flowComposer();

  function build(row: WebhookBotRow, token: string): Bot<FlowContext> {
    // The tenant's catalog lists as read for `stamp`; a new stamp starts afresh (see FlowEnv.memo).
    let catalog = { stamp: '', lists: new Map<string, Promise<unknown>>() };
    const bot = new Bot<FlowContext>(token, { botInfo: row.bot_info as unknown as UserFromGetMe, client: { apiRoot: deps.apiRoot } });
    bot.api.config.use(rateLimiter());
    const scope = (userId: number) => ({ tenantId: row.tenant_id, subject: `tg:${userId}`, appRole: 'client' });

    // Telegram waits at most 10 seconds for this answer: no session, just the check.
    bot.on('pre_checkout_query', async (ctx) => {
      const query = ctx.preCheckoutQuery;
      const verdict = deps.payments
        ? await deps.payments.preCheckout({ tenantId: row.tenant_id, telegramUserId: query.from.id, invoicePayload: query.invoice_payload, currency: query.currency, totalAmount: query.total_amount })
        : ({ ok: false, reason: 'hold_gone' } as const);
      if (verdict.ok) {
        await ctx.answerPreCheckoutQuery(true);
        return;
      }
      const lang = pickLanguage(query.from.language_code, row.default_language);
      const reason = { hold_gone: 'payment.holdGone', amount_changed: 'payment.amountChanged', not_valid_here: 'payment.notValidHere' } as const;
      await ctx.answerPreCheckoutQuery(false, { error_message: translate(lang, reason[verdict.reason]) });
    });

    // Session per (bot, chat), one update of a chat at a time; the flow state rides on ctx.flow.
    bot.use(async (ctx, next) => {
      const chatId = ctx.chat?.id;
      const from = ctx.from;
      if (chatId === undefined || !from || ctx.chat?.type !== 'private') return;
      await chats.run(`${row.id}:${chatId}`, async () => {
        // The update's claim, then who is writing, their session, whether they are a master and
        // the catalog's stamp: one transaction. A simultaneous duplicate waits on the claim's key
        // and then finds it taken. The reads after the claim do not depend on each other and are
        // sent together (one round trip).
        const claimed = await asTenant(deps.db, scope(from.id), async (tx) => {
          if (!(await claimUpdate(tx, { tenantId: row.tenant_id, botId: row.id, updateId: ctx.update.update_id }))) return undefined;
          return Promise.all([
            upsertClient(tx, {
              tenantId: row.tenant_id,
              telegramUserId: from.id,
              ...(from.first_name ? { firstName: from.first_name } : {}),
              ...(from.last_name ? { lastName: from.last_name } : {}),
              ...(from.username ? { username: from.username } : {}),
              language: pickLanguage(from.language_code, row.default_language),
            }),
            loadSession(tx, row.id, chatId),
            masterForTelegramUser(tx, row.tenant_id, from.id),
            catalogStamp(tx, row.tenant_id),
          ]);
        });
        if (!claimed) return; // a duplicate delivery: handled (or being handled) already
        const [client, stored, master, stamp] = claimed;
        if (stamp !== catalog.stamp) catalog = { stamp, lists: new Map() };
        const session = parseSession(stored.data);
        const state = {
          session,
          env: {
            lang: session.lang ?? client.language,
            t: (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate(state.env.lang, key, vars),
            tenantId: row.tenant_id,
            tenantName: row.tenant_name,
            botId: row.id,
            telegramUserId: from.id,
            clientId: client.id,
            db: deps.db,
            booking: deps.booking,
            ...(deps.payments ? { payments: deps.payments } : {}),
            correlationId: `tg:${row.id}:${ctx.update.update_id}`,
            now: deps.now,
            seq: session.seq,
            memo: catalog.lists,
            ...(master ? { master } : {}),
            setLanguage: async (lang: string) => {
              state.env.lang = lang;
              state.session.lang = lang;
              await asTenant(deps.db, scope(from.id), (tx) => setClientLanguage(tx, client.id, lang));
            },
          },
        };
        ctx.flow = state;
        await next();
        // The session and the update's "done" mark are written together.
        const saved = await asTenant(deps.db, scope(from.id), async (tx) => {
          const ok = await saveSession(tx, { tenantId: row.tenant_id, botId: row.id, chatId, data: ctx.flow.session, version: stored.version });
          if (ok) await finishUpdate(tx, { botId: row.id, updateId: ctx.update.update_id });
          return ok;
        });
        if (!saved) throw new TransientError('the chat session changed concurrently; the update will be delivered again');
      });
    });
    bot.use(features);
    return bot;
  }

  return {
    async get(botId: string): Promise<RegisteredBot | undefined> {
      const hit = cache.get(botId);
      if (hit && deps.now() - hit.loadedAt < ttl) return hit.bot;
      const row = await asPlatform(deps.db, (tx) => findBot(tx, botId));
      if (!row) {
        cache.delete(botId);
        return undefined;
      }
      const [token, secret] = await Promise.all([deps.secrets.decrypt(row.token_ciphertext, tokenContext(row.id)), deps.secrets.decrypt(row.webhook_secret_ciphertext, secretContext(row.id))]);
      const entry = { row, secret, bot: build(row, token) };
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
      cache.set(botId, { bot: entry, loadedAt: deps.now() });
      return entry;
    },
  };
}

export type BotRegistry = ReturnType<typeof createBotRegistry>;
