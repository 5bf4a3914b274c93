import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import {
  consumeLoginLink,
  insertAudit,
  insertLoginLink,
  insertSession,
  listSessions,
  liveSession,
  platformAdminByTelegram,
  revokeSession,
  tenantStaffByTelegram,
  type SessionListItem,
  type StaffRole,
  type StaffRow,
} from '../../db/queries/admin.ts';
import { randomSecret, sha256Hex } from '../security/tokens.ts';
import { checkInitData, type InitDataCheck } from './mini-app.ts';

/** Who is signed in: a staff member of one business (or a platform admin), through one session. */
export interface AdminIdentity {
  sessionId: string;
  staffId: string;
  role: StaffRole;
  /** The business the session works in; null for a platform admin. */
  tenantId: string | null;
  tenantName: string | null;
  tenantStatus: string | null;
  displayName: string;
  language: string;
}

export interface AdminAuthOptions {
  /** A sign-in link is good for this long (Telegram shows it at once; 10 minutes by default). */
  loginLinkMinutes?: number;
  /** A session ends this long after sign-in at the latest (7 days)... */
  sessionHours?: number;
  /** ...or after this long without a request (12 hours). */
  idleHours?: number;
  /** How old a Mini App's launch data may be (1 hour). */
  initDataMaxAgeSeconds?: number;
}

export type SignIn =
  | { ok: true; cookieSecret: string; identity: AdminIdentity }
  | { ok: false; reason: 'link_invalid' | 'not_staff' | InitDataCheckFailure };
type InitDataCheckFailure = Extract<InitDataCheck, { ok: false }>['reason'];

const identityOf = (
  sessionId: string,
  s: StaffRow,
  tenant: { name: string | null; status: string | null },
): AdminIdentity => ({
  sessionId,
  staffId: s.id,
  role: s.role,
  tenantId: s.tenant_id,
  tenantName: tenant.name,
  tenantStatus: tenant.status,
  displayName: s.display_name,
  language: s.language,
});

/**
 * Sign-in for the admin web with Telegram identity: one-time links sent by a business's bot, the
 * Mini App's signed launch data, and server-side sessions (the cookie holds a random secret, the
 * database its hash; revocable, expiring, new on every sign-in). Every sign-in is audited.
 */
export function createAdminAuth(deps: {
  db: Database;
  now: () => number;
  options?: AdminAuthOptions;
}) {
  const o = {
    loginLinkMinutes: 10,
    sessionHours: 24 * 7,
    idleHours: 12,
    initDataMaxAgeSeconds: 3600,
    ...deps.options,
  };
  const { db } = deps;

  async function openSession(
    staff: StaffRow,
    via: 'login_link' | 'mini_app',
    userAgent: string | null,
  ): Promise<SignIn> {
    const cookieSecret = randomSecret();
    const expiresAt = new Date(deps.now() + o.sessionHours * 3_600_000);
    const { sessionId, tenant } = await asPlatform(db, async (tx) => {
      const id = await insertSession(tx, {
        secretHash: await sha256Hex(cookieSecret),
        staffUserId: staff.id,
        tenantId: staff.tenant_id,
        via,
        userAgent,
        expiresAt,
      });
      await insertAudit(tx, {
        tenantId: staff.tenant_id,
        actorStaffId: staff.id,
        actorRole: staff.role,
        action: 'session.sign_in',
        targetKind: 'session',
        targetId: id,
        after: { via },
      });
      const [t] = staff.tenant_id
        ? await tx.query<{ name: string; status: string }>(
            'select name, status from public.tenants where id = $1',
            [staff.tenant_id],
          )
        : [];
      return { sessionId: id, tenant: { name: t?.name ?? null, status: t?.status ?? null } };
    });
    return { ok: true, cookieSecret, identity: identityOf(sessionId, staff, tenant) };
  }

  return {
    /** How long a new session lasts at most (the cookie's Max-Age). */
    sessionSeconds: o.sessionHours * 3600,

    /**
     * A one-time sign-in link's secret for whoever `telegramUserId` is in the business (or on the
     * platform); undefined when they are neither.
     */
    async issueLoginLink(p: {
      tenantId: string;
      telegramUserId: number;
    }): Promise<string | undefined> {
      return asPlatform(db, async (tx) => {
        const staff =
          (await tenantStaffByTelegram(tx, p.tenantId, p.telegramUserId)) ??
          (await platformAdminByTelegram(tx, p.telegramUserId));
        if (!staff) return undefined;
        const secret = randomSecret();
        await insertLoginLink(tx, {
          secretHash: await sha256Hex(secret),
          staffUserId: staff.id,
          tenantId: staff.tenant_id,
          expiresAt: new Date(deps.now() + o.loginLinkMinutes * 60_000),
        });
        return secret;
      });
    },

    /** Uses a sign-in link (once, in time, its staff still active) and opens a session. */
    async signInWithLink(secret: string, userAgent: string | null): Promise<SignIn> {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return { ok: false, reason: 'link_invalid' };
      const staff = await asPlatform(db, async (tx) =>
        consumeLoginLink(tx, await sha256Hex(secret)),
      );
      if (!staff) return { ok: false, reason: 'link_invalid' };
      return openSession(staff, 'login_link', userAgent);
    },

    /**
     * Opens a session from a Mini App opened in `bot`: its launch data must be signed with that
     * bot's token and fresh, and its user staff of the bot's business (or a platform admin).
     */
    async signInWithMiniApp(
      initData: string,
      bot: { tenantId: string; token: string },
      userAgent: string | null,
    ): Promise<SignIn> {
      const check = await checkInitData(initData, bot.token, deps.now(), o.initDataMaxAgeSeconds);
      if (!check.ok) return { ok: false, reason: check.reason };
      const staff = await asPlatform(
        db,
        async (tx) =>
          (await tenantStaffByTelegram(tx, bot.tenantId, check.user.id)) ??
          (await platformAdminByTelegram(tx, check.user.id)),
      );
      if (!staff) return { ok: false, reason: 'not_staff' };
      return openSession(staff, 'mini_app', userAgent);
    },

    /** Who a session cookie's secret belongs to, while the session lives. */
    async identify(cookieSecret: string | undefined): Promise<AdminIdentity | undefined> {
      if (!cookieSecret || !/^[A-Za-z0-9_-]{20,100}$/.test(cookieSecret)) return undefined;
      const row = await asPlatform(db, async (tx) =>
        liveSession(tx, await sha256Hex(cookieSecret), o.idleHours * 3600),
      );
      return row
        ? identityOf(row.session_id, row, { name: row.tenant_name, status: row.tenant_status })
        : undefined;
    },

    /** Ends one of the signed-in person's own sessions (this one, or another device's). */
    async signOut(identity: AdminIdentity, sessionId = identity.sessionId): Promise<boolean> {
      return asPlatform(db, async (tx) => {
        const revoked = await revokeSession(tx, { sessionId, staffUserId: identity.staffId });
        if (revoked)
          await insertAudit(tx, {
            tenantId: identity.tenantId,
            actorStaffId: identity.staffId,
            actorRole: identity.role,
            action: 'session.sign_out',
            targetKind: 'session',
            targetId: sessionId,
          });
        return revoked;
      });
    },

    sessions(identity: AdminIdentity): Promise<SessionListItem[]> {
      return asPlatform(db, (tx) => listSessions(tx, identity.staffId));
    },
  };
}

export type AdminAuth = ReturnType<typeof createAdminAuth>;
