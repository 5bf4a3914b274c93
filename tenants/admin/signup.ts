import type { Queryable } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { insertAudit, readSetting } from '../../db/queries/admin.ts';
import {
  insertSignupTenant,
  markSignupSucceeded,
  recordSignupAttempt,
  renewUnclaimedTenant,
  tenantHasStaff,
} from '../../db/queries/signup.ts';
import { connectedElsewhere, registerBotInto, type OnboardingDeps } from '../bots/onboarding.ts';
import { randomSecret, sha256Hex } from '../security/tokens.ts';
import type { Claims } from './claims.ts';
import { CLAIM_PREFIX } from './claims.ts';
import { slugFromName, withSuffix } from './setup-input.ts';

/** Whether businesses may sign up by themselves (platform setting `signup_mode`). */
export type SignupMode = 'open' | 'approval' | 'closed';

export async function signupMode(q: Queryable): Promise<SignupMode> {
  const value = await readSetting(q, 'signup_mode');
  return value === 'approval' || value === 'closed' ? value : value === 'open' ? 'open' : 'closed';
}

/** How many attempts an address may make and how many businesses may sign up, per window. */
export interface SignupLimits {
  windowSeconds: number;
  perAddress: number;
  platformSignUps: number;
}

export const SIGNUP_LIMITS: SignupLimits = {
  windowSeconds: 3600,
  perAddress: 5,
  platformSignUps: 100,
};

/**
 * The client's address as the edge in front reports it: Cloudflare's `cf-connecting-ip`, else
 * the first hop of `x-forwarded-for`, else "unknown" (everyone without one shares a bucket).
 * Behind no proxy these headers are whatever the client sends: run the platform behind one.
 */
export function clientAddress(header: (name: string) => string | undefined): string {
  const cf = header('cf-connecting-ip')?.trim();
  if (cf) return cf.slice(0, 100);
  const first = header('x-forwarded-for')?.split(',')[0]?.trim();
  return first ? first.slice(0, 100) : 'unknown';
}

export type SignupOutcome =
  | {
      kind: 'created';
      tenantId: string;
      slug: string;
      status: 'active' | 'pending';
      username: string;
      claimLink: string;
      renewed: boolean;
    }
  | { kind: 'closed' }
  | { kind: 'rate_limited'; scope: 'address' | 'platform'; retryAt: Date };

/** The key that makes stored address hashes useless without this database (a random platform setting). */
async function addressSalt(q: Queryable): Promise<string> {
  const existing = await readSetting(q, 'signup_address_salt');
  if (typeof existing === 'string') return existing;
  await q.query(
    "insert into public.platform_settings (key, value) values ('signup_address_salt', to_jsonb($1::text)) on conflict (key) do nothing",
    [randomSecret(32)],
  );
  return String(await readSetting(q, 'signup_address_salt'));
}

export interface SignupDeps {
  onboarding: OnboardingDeps;
  claims: Claims;
  now: () => number;
  limits?: SignupLimits;
}

/**
 * A business signs up with its BotFather token: the mode is checked, the attempt counted (per
 * address and platform-wide, in the database), then in ONE registration (tenants/bots/onboarding:
 * getMe, then a transaction around the bot's row and setWebhook) the business is created (active,
 * or pending when sign-ups need approval) with an owner claim code, and audited. A bot already
 * here whose business nobody claimed yet gets a fresh code for that business (the first page was
 * lost); one whose business has staff is refused as connected elsewhere. Onboarding errors
 * (malformed or bad token, Telegram unreachable, refused webhook) are thrown as they are and
 * leave nothing behind but the counted attempt.
 */
export async function signUp(
  deps: SignupDeps,
  input: { name: string; token: string; language: string; address: string; correlationId?: string },
): Promise<SignupOutcome> {
  const limits = deps.limits ?? SIGNUP_LIMITS;
  const { db } = deps.onboarding;
  const gate = await asPlatform(db, async (tx) => {
    const mode = await signupMode(tx);
    if (mode === 'closed') return { closed: true as const };
    const ipHash = await sha256Hex(`${await addressSalt(tx)}:${input.address}`);
    const { recorded, window } = await recordSignupAttempt(tx, { ipHash, ...limits });
    return { closed: false as const, mode, recorded, window };
  });
  if (gate.closed) return { kind: 'closed' };
  if (!gate.recorded) {
    const byAddress = gate.window.fromAddress >= limits.perAddress;
    const retryAt =
      (byAddress ? gate.window.addressFreesAt : gate.window.platformFreesAt) ??
      new Date(deps.now() + limits.windowSeconds * 1000);
    return { kind: 'rate_limited', scope: byAddress ? 'address' : 'platform', retryAt };
  }
  const attemptId = gate.recorded;
  const status = gate.mode === 'approval' ? 'pending' : 'active';

  const registered = await registerBotInto(deps.onboarding, {
    token: input.token,
    async choose(tx, bot) {
      let tenant: { id: string; slug: string; status: 'active' | 'pending'; renewed: boolean };
      if (bot.connectedTo !== undefined) {
        if (await tenantHasStaff(tx, bot.connectedTo)) throw connectedElsewhere(bot.me);
        const renewed = await renewUnclaimedTenant(tx, {
          tenantId: bot.connectedTo,
          name: input.name,
          language: input.language,
        });
        tenant = {
          id: bot.connectedTo,
          slug: renewed.slug,
          status: renewed.status === 'pending' ? 'pending' : 'active',
          renewed: true,
        };
      } else {
        const base = slugFromName(input.name, randomSuffix());
        let id: string | undefined;
        let slug = base;
        for (let i = 0; i < 5 && !id; i++) {
          slug = i === 0 ? base : withSuffix(base, randomSuffix());
          id = await insertSignupTenant(tx, {
            slug,
            name: input.name,
            status,
            language: input.language,
          });
        }
        if (!id) throw new Error('sign-up: no free slug after 5 tries');
        tenant = { id, slug, status, renewed: false };
      }
      const code = await deps.claims.create(
        { tenantId: tenant.id, role: 'owner', createdBy: null },
        tx,
      );
      await markSignupSucceeded(tx, attemptId);
      await insertAudit(tx, {
        tenantId: tenant.id,
        actorStaffId: null,
        actorRole: 'system',
        action: tenant.renewed ? 'tenant.signup_renewed' : 'tenant.signup',
        targetKind: 'tenant',
        targetId: tenant.id,
        after: { name: input.name, slug: tenant.slug, status: tenant.status, bot: bot.me.username },
        ...(input.correlationId ? { correlationId: input.correlationId } : {}),
      });
      return { tenantId: tenant.id, result: { ...tenant, code } };
    },
  });
  const t = registered.result;
  return {
    kind: 'created',
    tenantId: t.id,
    slug: t.slug,
    status: t.status,
    username: registered.username,
    claimLink: `https://t.me/${registered.username}?start=${CLAIM_PREFIX}${t.code}`,
    renewed: t.renewed,
  };
}

/** Four characters of [a-z0-9] for slugs. */
function randomSuffix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(
    crypto.getRandomValues(new Uint8Array(4)),
    (b) => alphabet[b % alphabet.length],
  ).join('');
}
