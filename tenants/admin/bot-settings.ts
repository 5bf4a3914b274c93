import type { Database } from '../../db/port.ts';
import { asTenant } from '../../db/scope.ts';
import { insertAudit } from '../../db/queries/admin.ts';
import {
  listTenantBots,
  lockTenantBot,
  setBotPaymentCiphertext,
  type TenantBot,
} from '../../db/queries/tenant-bots.ts';
import {
  connectedElsewhere,
  encryptPaymentToken,
  OnboardingError,
  registerBotInto,
  type OnboardingDeps,
} from '../bots/onboarding.ts';
import type { StaffActor } from './staff.ts';

/** The token is of another bot than the one being changed: rotation keeps the same bot. */
export class WrongBotError extends OnboardingError {
  override name = 'WrongBotError';
  constructor(readonly expected: string) {
    super(`that token belongs to another bot than @${expected}`);
  }
}

const scopeOf = (a: StaffActor) => ({ tenantId: a.tenantId, subject: a.staffId, appRole: a.role });

/**
 * A business's bot settings, for its owner: a new token for the same bot (BotFather → Revoke;
 * the row's secrets re-encrypted, a new webhook secret), connecting a bot when there is none, and
 * the card payment provider's token (stored encrypted; never shown again). Audited without the
 * tokens; the built bots are dropped so the next update uses the new settings.
 */
export function createBotSettings(deps: {
  db: Database;
  onboarding: OnboardingDeps;
  forgetTenant(tenantId: string): void;
  botConnected(): void;
}) {
  const { db } = deps;

  /** Runs a registration for `actor`'s business; `expect` names the bot it must be. */
  async function register(
    actor: StaffActor,
    token: string,
    expect: TenantBot | undefined,
    action: 'bot.token_rotate' | 'bot.connect',
  ): Promise<{ username: string }> {
    const registered = await registerBotInto(deps.onboarding, {
      token,
      async choose(tx, bot) {
        if (expect && bot.me.id !== expect.telegram_bot_id)
          throw new WrongBotError(expect.username);
        if (bot.connectedTo !== undefined && bot.connectedTo !== actor.tenantId)
          throw connectedElsewhere(bot.me);
        await insertAudit(tx, {
          tenantId: actor.tenantId,
          actorStaffId: actor.staffId,
          actorRole: actor.role,
          action,
          targetKind: 'bot',
          ...(expect ? { targetId: expect.id } : {}),
          after: { username: bot.me.username },
        });
        return { tenantId: actor.tenantId, result: undefined };
      },
    });
    deps.forgetTenant(actor.tenantId);
    if (!expect) deps.botConnected();
    return { username: registered.username };
  }

  const bots = (actor: StaffActor): Promise<TenantBot[]> =>
    asTenant(db, scopeOf(actor), (tx) => listTenantBots(tx, actor.tenantId));

  return {
    bots,

    /** A new token of the same bot; undefined when the bot is not this business's. */
    async rotateToken(
      actor: StaffActor,
      botId: string,
      token: string,
    ): Promise<{ username: string } | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(botId)) return undefined;
      const bot = (await bots(actor)).find((b) => b.id === botId);
      if (!bot) return undefined;
      return register(actor, token, bot, 'bot.token_rotate');
    },

    /** Connects a bot to a business that has none yet. */
    connect(actor: StaffActor, token: string): Promise<{ username: string }> {
      return register(actor, token, undefined, 'bot.connect');
    },

    /** Card payments on (a provider token) or off (null); false when the bot is not this business's. */
    async setPayments(actor: StaffActor, botId: string, token: string | null): Promise<boolean> {
      if (!/^[0-9a-f-]{36}$/i.test(botId)) return false;
      const ciphertext =
        token === null
          ? null
          : await encryptPaymentToken(deps.onboarding.secrets, { botId, token });
      const changed = await asTenant(db, scopeOf(actor), async (tx) => {
        const bot = await lockTenantBot(tx, { tenantId: actor.tenantId, botId });
        if (!bot) return false;
        await setBotPaymentCiphertext(tx, { tenantId: actor.tenantId, botId, ciphertext });
        await insertAudit(tx, {
          tenantId: actor.tenantId,
          actorStaffId: actor.staffId,
          actorRole: actor.role,
          action: ciphertext ? 'bot.payments_on' : 'bot.payments_off',
          targetKind: 'bot',
          targetId: botId,
          before: { card_payments: bot.card_payments },
          after: { card_payments: ciphertext !== null },
        });
        return true;
      });
      if (changed) deps.forgetTenant(actor.tenantId);
      return changed;
    },
  };
}

export type BotSettings = ReturnType<typeof createBotSettings>;
