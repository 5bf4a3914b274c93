import { Bot, type Transformer } from 'grammy';
import type { User, UserFromGetMe } from 'grammy/types';
import type { Database } from '../../db/port.ts';
import { asPlatform, asTenant, PIPELINED, tenantClaims } from '../../db/scope.ts';
import { findBot, setClientLanguage, type WebhookBotRow } from '../../db/queries/bots.ts';
import { openChatUpdate, saveChatUpdate } from '../../db/queries/chat-updates.ts';
import { createChatReads } from '../../db/chat-reads.ts';
import type { BookingService } from '../booking/booking-service.ts';
import { pickLanguage, translate } from '../i18n/catalog.ts';
import type { PaymentService } from '../payments/payment-service.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { ClaimLostError, TransientError } from './errors.ts';
import { coalesceKind, flowComposer, type FlowContext, type FlowState } from './flow.ts';
import { ChatQueue } from './chat-queue.ts';
import { MAX_CLAIMS, runOf, settleClaim, type UpdateRun } from './update-run.ts';
import { emptySession, type FlowSession } from './navigation.ts';
import { rateLimiter, type OutgoingLimits } from './rate-limit.ts';
import { WEBHOOK_REPLY_METHOD } from './update-delivery.ts';
import { staffComposer, type StaffCommandDeps } from './staff-commands.ts';

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
  /** Sign-in links and claims for the business's staff; absent: the bot has no staff commands. */
  staff?: StaffCommandDeps;
  /** Outgoing message limits of each bot (default: Telegram's). */
  outgoingLimits?: OutgoingLimits;
  /** How many built bots to keep, and for how long (status changes are picked up after that). */
  capacity?: number;
  ttlMs?: number;
}

/** Built bots kept by default: a few KiB each (Benchmarks, tenants in the README). */
export const DEFAULT_BOT_CACHE_SIZE = 2_000;

/** How long an unknown bot id is answered from memory (a bot registered meanwhile waits that long). */
const UNKNOWN_BOT_TTL_MS = 10_000;

export const tokenContext = (botId: string) => `tenant_bots:${botId}:token`;
export const secretContext = (botId: string) => `tenant_bots:${botId}:webhook_secret`;

function parseSession(data: Record<string, unknown>): FlowSession {
  const s = data as Partial<FlowSession>;
  return Array.isArray(s.stack) && s.stack.length > 0 && typeof s.seq === 'number'
    ? (s as FlowSession)
    : { ...emptySession(), ...(typeof s.lang === 'string' ? { lang: s.lang } : {}) };
}

/**
 * Tenant bots by id: each a grammY Bot built once from the stored (decrypted) token and cached
 * bot info (no getMe per update), with the shared flow installed. A bounded cache keeps the
 * recently used ones (the least recently used is dropped first).
 */
export function createBotRegistry(deps: BotRegistryDeps) {
  const capacity = deps.capacity ?? DEFAULT_BOT_CACHE_SIZE;
  const ttl = deps.ttlMs ?? 5 * 60_000;
  const cache = new Map<string, { bot: RegisteredBot; loadedAt: number }>();
  const chats = new ChatQueue();
  const loading = new Map<string, Promise<RegisteredBot | undefined>>();
  const limiters = new Map<string, Transformer>();
  const unknown = new Map<string, number>();
  const features = flowComposer();

  function build(row: WebhookBotRow, token: string): Bot<FlowContext> {
    // The tenant's catalog lists as read for `stamp`; a new stamp starts afresh (see FlowEnv.memo).
    let catalog = { stamp: '', lists: new Map<string, Promise<unknown>>() };
    // A call to Telegram that hangs would hold the chat's line and the update's lease: 20 s at most.
    // A press's answer may go in the webhook's response, when the delivery gives an envelope.
    const bot = new Bot<FlowContext>(token, {
      botInfo: row.bot_info as unknown as UserFromGetMe,
      client: {
        apiRoot: deps.apiRoot,
        timeoutSeconds: 20,
        canUseWebhookReply: (method) => method === WEBHOOK_REPLY_METHOD,
      },
    });
    // The outgoing limits belong to the bot, not to one build of it: a rebuild keeps the buckets.
    let limiter = limiters.get(row.id);
    if (!limiter) {
      if (limiters.size >= capacity * 2) limiters.delete(limiters.keys().next().value!);
      limiter = rateLimiter(deps.outgoingLimits ?? {});
      limiters.set(row.id, limiter);
    }
    bot.api.config.use(limiter);
    const scope = (userId: number) => ({
      tenantId: row.tenant_id,
      subject: `tg:${userId}`,
      appRole: 'client',
    });

    // Telegram waits at most 10 seconds for this answer: no session, just the check.
    bot.on('pre_checkout_query', async (ctx) => {
      const query = ctx.preCheckoutQuery;
      const verdict = deps.payments
        ? await deps.payments.preCheckout({
            tenantId: row.tenant_id,
            telegramUserId: query.from.id,
            invoicePayload: query.invoice_payload,
            currency: query.currency,
            totalAmount: query.total_amount,
          })
        : ({ ok: false, reason: 'hold_gone' } as const);
      if (verdict.ok) {
        await ctx.answerPreCheckoutQuery(true);
        return;
      }
      const lang = pickLanguage(query.from.language_code, row.default_language);
      const reason = {
        hold_gone: 'payment.holdGone',
        amount_changed: 'payment.amountChanged',
        not_valid_here: 'payment.notValidHere',
      } as const;
      await ctx.answerPreCheckoutQuery(false, {
        error_message: translate(lang, reason[verdict.reason]),
      });
    });

    // `/admin` and claim links: the staff's way into the admin web (no booking session).
    if (deps.staff)
      bot.use(
        staffComposer(deps.staff, {
          tenantId: row.tenant_id,
          botId: row.id,
          defaultLanguage: row.default_language,
        }),
      );

    // Session per (bot, chat), one update of a chat at a time; the flow state rides on ctx.flow.
    bot.use(async (ctx, next) => {
      const chatId = ctx.chat?.id;
      const from = ctx.from;
      // The flow answers messages and button presses in private chats; nothing else has a session.
      if (
        chatId === undefined ||
        !from ||
        ctx.chat?.type !== 'private' ||
        !(ctx.message || ctx.callbackQuery)
      )
        return;
      const run = runOf(ctx.update);
      if (!run)
        throw new Error('an update reached the session middleware without a delivery (UpdateRun)');
      const queued = await chats.run(
        `${row.id}:${chatId}`,
        () => handleInSession(ctx, next, run, chatId, from),
        coalesceKind(ctx),
      );
      if (!queued.ran) run.coalesced = true;
    });

    async function handleInSession(
      ctx: FlowContext,
      next: () => Promise<void>,
      run: UpdateRun,
      chatId: number,
      from: User,
    ): Promise<void> {
      // The update's claim, who is writing, their session, whether they are a master and the
      // catalog's stamp: one statement (app.open_chat_update), one round trip. A simultaneous
      // duplicate waits on the claim's row and then finds it taken, and reads nothing.
      const claimedHere = run.claim?.kind === 'claimed' ? run.claim : undefined;
      const chat = { tenantId: row.tenant_id, botId: row.id, chatId, userId: from.id };
      const claims = tenantClaims(scope(from.id));
      const opened = await openChatUpdate(deps.db, claims, {
        ...chat,
        updateId: run.key.updateId,
        // Claimed already by the webhook (an update it claims itself that also has a private chat).
        ...(claimedHere
          ? {}
          : {
              claim: { token: run.token, leaseSeconds: run.leaseSeconds, maxClaims: MAX_CLAIMS },
            }),
        ...(from.first_name ? { firstName: from.first_name } : {}),
        ...(from.last_name ? { lastName: from.last_name } : {}),
        ...(from.username ? { username: from.username } : {}),
        language: pickLanguage(from.language_code, row.default_language),
      });
      if (opened.claim) settleClaim(run, opened.claim);
      // Not claimed: handled already, or being handled (the webhook answers from run.claim).
      if (!opened.read) return;
      const { client, session: stored, master, catalogStamp: stamp } = opened.read;
      if (stamp !== catalog.stamp) catalog = { stamp, lists: new Map() };
      const session = parseSession(stored.data);
      const state: FlowState = {
        session,
        shown: false,
        env: {
          lang: session.lang ?? client.language,
          t: (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
            translate(state.env.lang, key, vars),
          tenantId: row.tenant_id,
          tenantName: row.tenant_name,
          botId: row.id,
          telegramUserId: from.id,
          clientId: client.id,
          reads: createChatReads(deps.db, {
            tenantId: row.tenant_id,
            telegramUserId: from.id,
            clientId: client.id,
            ...(master ? { masterId: master.id } : {}),
          }),
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
            await asTenant(
              deps.db,
              scope(from.id),
              (tx) => setClientLanguage(tx, client.id, lang),
              PIPELINED,
            );
          },
        },
      };
      ctx.flow = state;
      // A delivery whose claim was taken over (its lease ran out) must not go on talking to the
      // chat alongside the one that took it: its calls to Telegram fail from then on.
      ctx.api.config.use((prev, method, payload, signal) => {
        if (run.lost)
          throw new ClaimLostError(
            `the claim on update ${run.key.updateId} was taken over; ${method} not sent`,
          );
        return prev(method, payload, signal);
      });
      // The session is saved with the update's "done" mark in one statement (app.save_chat_update):
      // only while this delivery still holds the claim, and a session changed meanwhile leaves
      // the update not done.
      const save = async () => {
        const outcome = await saveChatUpdate(deps.db, claims, {
          ...chat,
          updateId: run.key.updateId,
          token: run.token,
          data: ctx.flow.session,
          version: stored.version,
        });
        if (outcome === 'lost') throw new ClaimLostError();
        return outcome;
      };
      try {
        await next();
      } catch (error) {
        // The chat already shows the new screen: the session must match it whatever failed after
        // (a file that could not be sent), and the update is done: a redelivery would find that
        // screen's button outdated. The webhook apologises for what is missing.
        if (state.shown && (await save().catch(() => 'conflict' as const)) === 'saved')
          run.finished = true;
        throw error;
      }
      if ((await save()) === 'conflict')
        throw new TransientError(
          'the chat session changed concurrently; the update will be delivered again',
        );
      run.finished = true;
    }

    bot.use(features);
    return bot;
  }

  async function load(botId: string): Promise<RegisteredBot | undefined> {
    const row = await asPlatform(deps.db, (tx) => findBot(tx, botId), PIPELINED);
    if (!row) {
      cache.delete(botId);
      // Unknown ids are remembered briefly: requests for made-up bots cost no query each.
      if (unknown.size >= capacity) unknown.delete(unknown.keys().next().value!);
      unknown.set(botId, deps.now());
      return undefined;
    }
    const [token, secret] = await Promise.all([
      deps.secrets.decrypt(row.token_ciphertext, tokenContext(row.id)),
      deps.secrets.decrypt(row.webhook_secret_ciphertext, secretContext(row.id)),
    ]);
    const entry = { row, secret, bot: build(row, token) };
    if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    cache.set(botId, { bot: entry, loadedAt: deps.now() });
    return entry;
  }

  return {
    /** How many built bots are kept now (at most the capacity). */
    size(): number {
      return cache.size;
    },

    /** Drops a business's built bots, so the next update reads its status (suspended, resumed) again. */
    forgetTenant(tenantId: string): void {
      for (const [id, entry] of cache) if (entry.bot.row.tenant_id === tenantId) cache.delete(id);
    },

    /**
     * The bot, built once per id: concurrent first updates of a bot share one build (and so one
     * chat line and one set of outgoing limits).
     */
    async get(botId: string): Promise<RegisteredBot | undefined> {
      const hit = cache.get(botId);
      if (hit && deps.now() - hit.loadedAt < ttl) {
        // Least recently used goes first when the cache is full: a bot in use moves to the end.
        cache.delete(botId);
        cache.set(botId, hit);
        return hit.bot;
      }
      const missed = unknown.get(botId);
      if (missed !== undefined && deps.now() - missed < UNKNOWN_BOT_TTL_MS) return undefined;
      unknown.delete(botId);
      let pending = loading.get(botId);
      if (!pending) {
        pending = load(botId).finally(() => loading.delete(botId));
        loading.set(botId, pending);
      }
      return pending;
    },
  };
}

export type BotRegistry = ReturnType<typeof createBotRegistry>;
