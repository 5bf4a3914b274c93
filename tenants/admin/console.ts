import { DateTime } from 'luxon';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { insertAudit, readSetting, writeSetting } from '../../db/queries/admin.ts';
import {
  deleteTenant,
  discardJobRow,
  insertTenant,
  lockJob,
  lockTenantState,
  retryJobRow,
  updateTenantState,
  type JobState,
  type TenantState,
} from '../../db/queries/console.ts';
import {
  BadTokenError,
  BotConnectedElsewhereError,
  OnboardingError,
  registerBot,
  TelegramUnreachableError,
  WebhookRefusedError,
  type OnboardingDeps,
} from '../bots/onboarding.ts';
import { BOT_TOKEN } from '../bots/secrets.ts';
import { CLAIM_PREFIX, type Claims } from './claims.ts';

/**
 * What platform admins do to businesses and jobs. Each change locks its row, checks that it
 * applies, changes it and writes the audit entry (before/after) in one transaction.
 */

/** Who acts: the platform admin's staff id and the request's correlation id (both in the audit). */
export interface Actor {
  staffId: string;
  correlationId: string;
}

export type Outcome<T> =
  { kind: 'done'; before: T; after: T } | { kind: 'not_found' } | { kind: 'unchanged'; state: T };

export const TENANT_ACTIONS = [
  'approve',
  'suspend',
  'resume',
  'maintenance_on',
  'maintenance_off',
] as const;
export type TenantAction = (typeof TENANT_ACTIONS)[number];

export type TenantChange =
  | { action: 'approve' | 'resume' | 'maintenance_off' }
  | { action: 'suspend'; reason: string }
  | { action: 'maintenance_on'; reason: string; until: Date | null };

/** The state after `change`, or undefined when it does not apply to `s` (pure: the one rule). */
export function nextTenantState(
  s: TenantState,
  change: TenantChange,
):
  | {
      status: TenantState['status'];
      maintenance: boolean;
      maintenanceMessage: string | null;
      maintenanceUntil: Date | null;
    }
  | undefined {
  const keep = {
    status: s.status,
    maintenance: s.maintenance,
    maintenanceMessage: s.maintenance_message,
    maintenanceUntil: s.maintenance_until ? new Date(s.maintenance_until) : null,
  };
  switch (change.action) {
    case 'approve':
      return s.status === 'pending' ? { ...keep, status: 'active' } : undefined;
    case 'suspend':
      return s.status === 'suspended' ? undefined : { ...keep, status: 'suspended' };
    case 'resume':
      return s.status === 'suspended' ? { ...keep, status: 'active' } : undefined;
    case 'maintenance_on':
      return {
        ...keep,
        maintenance: true,
        maintenanceMessage: change.reason,
        maintenanceUntil: change.until,
      };
    case 'maintenance_off':
      return s.maintenance
        ? { ...keep, maintenance: false, maintenanceMessage: null, maintenanceUntil: null }
        : undefined;
  }
}

export function createPlatformConsole(deps: {
  db: Database;
  now: () => number;
  claims: Claims;
  onboarding: OnboardingDeps;
  forgetTenant(tenantId: string): void;
}) {
  return {
    /** Approve, suspend, resume, maintenance on or off; the business's bots see it at their next update. */
    async changeTenant(
      actor: Actor,
      tenantId: string,
      change: TenantChange,
    ): Promise<Outcome<TenantState>> {
      const outcome = await asPlatform(deps.db, async (tx): Promise<Outcome<TenantState>> => {
        const before = await lockTenantState(tx, tenantId);
        if (!before) return { kind: 'not_found' };
        const next = nextTenantState(before, change);
        if (!next) return { kind: 'unchanged', state: before };
        const after = await updateTenantState(tx, tenantId, next);
        const reason = 'reason' in change ? { reason: change.reason } : {};
        await insertAudit(tx, {
          tenantId,
          actorStaffId: actor.staffId,
          actorRole: 'platform_admin',
          action: `tenant.${change.action}`,
          targetKind: 'tenant',
          targetId: tenantId,
          before: stateForAudit(before),
          after: { ...stateForAudit(after), ...reason },
          correlationId: actor.correlationId,
        });
        return { kind: 'done', before, after };
      });
      if (outcome.kind === 'done') deps.forgetTenant(tenantId);
      return outcome;
    },

    /**
     * A new business, open at once, with its bot when a BotFather token is given (connected by
     * `registerBot`, the one way bots are connected) and then an owner invitation (claim code).
     * All or nothing: a token Telegram refuses removes the business again.
     */
    async createTenant(
      actor: Actor,
      input: NewTenant,
    ): Promise<
      | { kind: 'created'; tenantId: string; bot?: { username: string; claimLink: string } }
      | { kind: 'slug_taken' }
      | { kind: 'bot_failed'; problem: BotProblem }
    > {
      const created = await asPlatform(deps.db, async (tx) => {
        const row = await insertTenant(tx, {
          name: input.name,
          slug: input.slug,
          defaultLanguage: input.defaultLanguage,
          status: 'active',
        });
        if (!row) return undefined;
        await insertAudit(tx, {
          tenantId: row.id,
          actorStaffId: actor.staffId,
          actorRole: 'platform_admin',
          action: 'tenant.create',
          targetKind: 'tenant',
          targetId: row.id,
          after: {
            name: input.name,
            slug: input.slug,
            default_language: input.defaultLanguage,
            status: 'active',
          },
          correlationId: actor.correlationId,
        });
        return row;
      });
      if (!created) return { kind: 'slug_taken' };
      if (!input.botToken) return { kind: 'created', tenantId: created.id };
      try {
        const bot = await this.connectBot(actor, created.id, input.botToken);
        const claimLink = await this.inviteOwner(actor, created.id);
        return {
          kind: 'created',
          tenantId: created.id,
          bot: { username: bot.username, claimLink: claimLink! },
        };
      } catch (error) {
        if (!(error instanceof OnboardingError)) throw error;
        await asPlatform(deps.db, (tx) => deleteTenant(tx, created.id));
        return { kind: 'bot_failed', problem: botProblem(error) };
      }
    },

    /** Connects a business's bot (BotFather token) through `registerBot`; audited once connected. */
    async connectBot(
      actor: Actor,
      tenantId: string,
      token: string,
    ): Promise<{ botId: string; username: string }> {
      const bot = await registerBot(deps.onboarding, { tenantId, token });
      await asPlatform(deps.db, (tx) =>
        insertAudit(tx, {
          tenantId,
          actorStaffId: actor.staffId,
          actorRole: 'platform_admin',
          action: 'bot.connect',
          targetKind: 'bot',
          targetId: bot.botId,
          after: { username: bot.username },
          correlationId: actor.correlationId,
        }),
      );
      deps.forgetTenant(tenantId);
      return { botId: bot.botId, username: bot.username };
    },

    /**
     * An owner invitation: a one-time claim code, as the deep link into the business's (first
     * active) bot. Undefined when the business has no active bot to press Start in.
     */
    async inviteOwner(actor: Actor, tenantId: string): Promise<string | undefined> {
      return asPlatform(deps.db, async (tx) => {
        const [bot] = await tx.query<{ username: string }>(
          "select username from public.tenant_bots where tenant_id = $1 and status = 'active' order by created_at, id limit 1",
          [tenantId],
        );
        if (!bot) return undefined;
        const code = await deps.claims.create(
          { tenantId, role: 'owner', createdBy: actor.staffId },
          tx,
        );
        await insertAudit(tx, {
          tenantId,
          actorStaffId: actor.staffId,
          actorRole: 'platform_admin',
          action: 'tenant.invite_owner',
          targetKind: 'tenant',
          targetId: tenantId,
          after: { role: 'owner', bot: bot.username },
          correlationId: actor.correlationId,
        });
        return `https://t.me/${bot.username}?start=${CLAIM_PREFIX}${code}`;
      });
    },

    /**
     * Retry: back to pending, due now, with a fresh set of attempts (a dead job had used them
     * all). Discard: `discarded`, kept with its last error, never run. Only a dead job or a failing
     * one waiting for its next attempt; a running one is left to its worker.
     */
    async changeJob(
      actor: Actor,
      jobId: string,
      action: 'retry' | 'discard',
    ): Promise<Outcome<JobState>> {
      return asPlatform(deps.db, async (tx): Promise<Outcome<JobState>> => {
        const before = await lockJob(tx, jobId);
        if (!before) return { kind: 'not_found' };
        const inTrouble =
          before.status === 'dead' || (before.status === 'pending' && before.attempts > 0);
        if (!inTrouble) return { kind: 'unchanged', state: before };
        const now = new Date(deps.now());
        const after =
          action === 'retry'
            ? await retryJobRow(tx, jobId, now)
            : await discardJobRow(tx, jobId, now);
        await insertAudit(tx, {
          tenantId: before.tenant_id,
          actorStaffId: actor.staffId,
          actorRole: 'platform_admin',
          action: `job.${action}`,
          targetKind: 'job',
          targetId: jobId,
          before: jobForAudit(before),
          after: jobForAudit(after),
          correlationId: actor.correlationId,
        });
        return { kind: 'done', before, after };
      });
    },

    async signupMode(): Promise<SignupMode> {
      const value = await asPlatform(deps.db, (tx) => readSetting(tx, 'signup_mode'));
      return SIGNUP_MODES.includes(value as SignupMode) ? (value as SignupMode) : 'open';
    },

    async setSignupMode(actor: Actor, mode: SignupMode): Promise<Outcome<SignupMode>> {
      return asPlatform(deps.db, async (tx): Promise<Outcome<SignupMode>> => {
        await tx.query(
          "select 1 from public.platform_settings where key = 'signup_mode' for update",
        );
        const stored = await readSetting(tx, 'signup_mode');
        const before = SIGNUP_MODES.includes(stored as SignupMode)
          ? (stored as SignupMode)
          : 'open';
        if (before === mode) return { kind: 'unchanged', state: before };
        await writeSetting(tx, 'signup_mode', mode);
        await insertAudit(tx, {
          tenantId: null,
          actorStaffId: actor.staffId,
          actorRole: 'platform_admin',
          action: 'platform.signup_mode',
          targetKind: 'setting',
          targetId: 'signup_mode',
          before: { signup_mode: before },
          after: { signup_mode: mode },
          correlationId: actor.correlationId,
        });
        return { kind: 'done', before, after: mode };
      });
    },
  };
}

export type PlatformConsole = ReturnType<typeof createPlatformConsole>;

export const SIGNUP_MODES = ['open', 'approval', 'closed'] as const;
export type SignupMode = (typeof SIGNUP_MODES)[number];

const stateForAudit = (s: TenantState) => ({
  status: s.status,
  maintenance: s.maintenance,
  maintenance_message: s.maintenance_message,
  maintenance_until: s.maintenance_until,
});
const jobForAudit = (j: JobState) => ({
  status: j.status,
  attempts: j.attempts,
  run_at: j.run_at,
  last_error: j.last_error,
});

export interface NewTenant {
  name: string;
  slug: string;
  defaultLanguage: 'en' | 'ru';
  botToken?: string;
}

/** Why a field of the new-business form is refused (message keys; the page words them). */
export type NewTenantProblem =
  'name_required' | 'name_long' | 'slug_format' | 'language' | 'token_format';

export function checkNewTenant(
  fields: Record<string, string>,
): { ok: true; value: NewTenant } | { ok: false; errors: Record<string, NewTenantProblem> } {
  const errors: Record<string, NewTenantProblem> = {};
  const name = (fields.name ?? '').trim();
  const slug = (fields.slug ?? '').trim().toLowerCase();
  const language = fields.language ?? '';
  const token = (fields.token ?? '').trim();
  if (!name) errors.name = 'name_required';
  else if (name.length > 200) errors.name = 'name_long';
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) errors.slug = 'slug_format';
  if (language !== 'en' && language !== 'ru') errors.language = 'language';
  if (token && !BOT_TOKEN.test(token)) errors.token = 'token_format';
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      slug,
      defaultLanguage: language as 'en' | 'ru',
      ...(token ? { botToken: token } : {}),
    },
  };
}

export type MaintenanceProblem = 'reason_required' | 'reason_long' | 'until_format' | 'until_past';

/** A reason for clients (1–500 characters) and an optional end, typed as local time in `zone`. */
export function checkMaintenance(
  fields: Record<string, string>,
  zone: string,
  now: number,
):
  | { ok: true; reason: string; until: Date | null }
  | { ok: false; errors: Record<string, MaintenanceProblem> } {
  const errors: Record<string, MaintenanceProblem> = {};
  const reason = (fields.reason ?? '').trim();
  if (!reason) errors.reason = 'reason_required';
  else if (reason.length > 500) errors.reason = 'reason_long';
  let until: Date | null = null;
  const typed = (fields.until ?? '').trim();
  if (typed) {
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(typed)
      ? DateTime.fromISO(typed, { zone })
      : undefined;
    if (!at?.isValid) errors.until = 'until_format';
    else if (at.toMillis() <= now) errors.until = 'until_past';
    else until = at.toJSDate();
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, reason, until };
}

export function checkReason(
  fields: Record<string, string>,
): { ok: true; reason: string } | { ok: false; error: 'reason_required' | 'reason_long' } {
  const reason = (fields.reason ?? '').trim();
  if (!reason) return { ok: false, error: 'reason_required' };
  if (reason.length > 500) return { ok: false, error: 'reason_long' };
  return { ok: true, reason };
}

/** Why a token was refused, for the page to word: what Telegram said, in the reader's language. */
export type BotProblem =
  | { kind: 'token_bad' | 'token_unreachable' | 'token_elsewhere' | 'token_format' }
  | { kind: 'token_refused'; reason: string };

export function botProblem(error: OnboardingError): BotProblem {
  if (error instanceof BadTokenError) return { kind: 'token_bad' };
  if (error instanceof TelegramUnreachableError) return { kind: 'token_unreachable' };
  if (error instanceof BotConnectedElsewhereError) return { kind: 'token_elsewhere' };
  if (error instanceof WebhookRefusedError)
    return { kind: 'token_refused', reason: error.description };
  return { kind: 'token_format' };
}
