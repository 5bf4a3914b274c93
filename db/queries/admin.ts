import { z } from 'zod';
import type { Queryable } from '../port.ts';

/** Staff, sign-in links, sessions, claim codes, platform settings and the audit log of the admin web. */

export const STAFF_ROLES = ['platform_admin', 'owner', 'manager', 'master'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

const staffSchema = z.object({
  id: z.string(),
  tenant_id: z.string().nullable(),
  role: z.enum(STAFF_ROLES),
  display_name: z.string(),
  telegram_user_id: z.coerce.number().nullable(),
  language: z.string(),
});
export type StaffRow = z.infer<typeof staffSchema>;

const STAFF = 's.id, s.tenant_id, s.role, s.display_name, s.telegram_user_id, s.language';

/** The active staff member a Telegram user is in a business, if any. */
export async function tenantStaffByTelegram(
  q: Queryable,
  tenantId: string,
  telegramUserId: number,
): Promise<StaffRow | undefined> {
  const [row] = await q.query(
    `select ${STAFF} from public.staff_users s where s.tenant_id = $1 and s.telegram_user_id = $2 and s.active`,
    [tenantId, telegramUserId],
  );
  return row ? staffSchema.parse(row) : undefined;
}

/** The active platform admin a Telegram user is, if any. */
export async function platformAdminByTelegram(
  q: Queryable,
  telegramUserId: number,
): Promise<StaffRow | undefined> {
  const [row] = await q.query(
    `select ${STAFF} from public.staff_users s where s.tenant_id is null and s.role = 'platform_admin' and s.telegram_user_id = $1 and s.active`,
    [telegramUserId],
  );
  return row ? staffSchema.parse(row) : undefined;
}

/** Creates (or reactivates) a platform admin for a Telegram user; the first one comes from the CLI. */
export async function upsertPlatformAdmin(
  q: Queryable,
  p: { telegramUserId: number; displayName: string; language: string },
): Promise<StaffRow> {
  const [row] = await q.query(
    `insert into public.staff_users (tenant_id, role, display_name, telegram_user_id, language)
     values (null, 'platform_admin', $2, $1, $3)
     on conflict (telegram_user_id) where tenant_id is null and telegram_user_id is not null
     do update set active = true, display_name = excluded.display_name
     returning id, tenant_id, role, display_name, telegram_user_id, language`,
    [p.telegramUserId, p.displayName, p.language],
  );
  return staffSchema.parse(row);
}

/** Adds a Telegram user to a business's staff in `role`, or gives an existing member that role. */
export async function upsertTenantStaff(
  q: Queryable,
  p: {
    tenantId: string;
    telegramUserId: number;
    role: Exclude<StaffRole, 'platform_admin'>;
    displayName: string;
    language: string;
  },
): Promise<StaffRow> {
  const [row] = await q.query(
    `insert into public.staff_users (tenant_id, role, display_name, telegram_user_id, language)
     values ($1, $2, $3, $4, $5)
     on conflict (tenant_id, telegram_user_id) where tenant_id is not null and telegram_user_id is not null
     -- An owner stays owner whatever invitation they also accept.
     do update set role = case when staff_users.role = 'owner' and staff_users.active then 'owner' else excluded.role end, active = true
     returning id, tenant_id, role, display_name, telegram_user_id, language`,
    [p.tenantId, p.role, p.displayName, p.telegramUserId, p.language],
  );
  return staffSchema.parse(row);
}

export async function insertLoginLink(
  q: Queryable,
  p: { secretHash: string; staffUserId: string; tenantId: string | null; expiresAt: Date },
): Promise<void> {
  await q.query(
    "insert into public.admin_login_links (secret_hash, staff_user_id, tenant_id, expires_at) values (decode($1, 'hex'), $2, $3, $4)",
    [p.secretHash, p.staffUserId, p.tenantId, p.expiresAt.toISOString()],
  );
}

/**
 * Uses a sign-in link: only once, only before it expires, only while its staff member is still
 * active. Undefined otherwise (unknown, used, expired, staff gone) — one answer for all, on purpose.
 */
export async function consumeLoginLink(
  q: Queryable,
  secretHash: string,
): Promise<StaffRow | undefined> {
  const [row] = await q.query(
    `with used as (
       update public.admin_login_links set used_at = now()
       where secret_hash = decode($1, 'hex') and used_at is null and expires_at > now()
       returning staff_user_id, tenant_id
     )
     select ${STAFF} from used join public.staff_users s on s.id = used.staff_user_id
     where s.active and s.tenant_id is not distinct from used.tenant_id`,
    [secretHash],
  );
  return row ? staffSchema.parse(row) : undefined;
}

export async function insertSession(
  q: Queryable,
  p: {
    secretHash: string;
    staffUserId: string;
    tenantId: string | null;
    via: 'login_link' | 'mini_app';
    userAgent: string | null;
    expiresAt: Date;
  },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `insert into public.admin_sessions (secret_hash, staff_user_id, tenant_id, via, user_agent, expires_at)
     values (decode($1, 'hex'), $2, $3, $4, left($5, 300), $6) returning id`,
    [p.secretHash, p.staffUserId, p.tenantId, p.via, p.userAgent, p.expiresAt.toISOString()],
  );
  return row!.id;
}

const sessionSchema = staffSchema.extend({
  session_id: z.string(),
  staff_id: z.string(),
  tenant_name: z.string().nullable(),
  tenant_status: z.string().nullable(),
  idle: z.coerce.number(),
});
export type SessionRow = z.infer<typeof sessionSchema>;

/**
 * The live session of a cookie's secret: not revoked, not expired, not idle too long, its staff
 * member still active. Marks it seen (at most once a minute, to spare the writes).
 */
export async function liveSession(
  q: Queryable,
  secretHash: string,
  idleSeconds: number,
): Promise<SessionRow | undefined> {
  const [row] = await q.query(
    `with live as (
       select a.id, a.staff_user_id, a.tenant_id, extract(epoch from now() - a.last_seen_at) as idle
       from public.admin_sessions a
       where a.secret_hash = decode($1, 'hex') and a.revoked_at is null and a.expires_at > now()
         and a.last_seen_at > now() - make_interval(secs => $2)
     ), seen as (
       update public.admin_sessions set last_seen_at = now()
       where id = (select id from live where idle > 60) returning id
     )
     select live.id as session_id, s.id as staff_id, ${STAFF}, t.name as tenant_name, t.status as tenant_status, live.idle
     from live join public.staff_users s on s.id = live.staff_user_id
     left join public.tenants t on t.id = live.tenant_id
     where s.active and s.tenant_id is not distinct from live.tenant_id`,
    [secretHash, idleSeconds],
  );
  return row ? sessionSchema.parse(row) : undefined;
}

export async function revokeSession(
  q: Queryable,
  p: { sessionId: string; staffUserId: string },
): Promise<boolean> {
  const rows = await q.query(
    'update public.admin_sessions set revoked_at = now() where id = $1 and staff_user_id = $2 and revoked_at is null returning 1',
    [p.sessionId, p.staffUserId],
  );
  return rows.length === 1;
}

export interface SessionListItem extends Record<string, unknown> {
  id: string;
  via: string;
  user_agent: string | null;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

/** A staff member's live sessions, newest first. */
export async function listSessions(q: Queryable, staffUserId: string): Promise<SessionListItem[]> {
  const rows = await q.query<SessionListItem>(
    `select id, via, user_agent, created_at, last_seen_at, expires_at from public.admin_sessions
     where staff_user_id = $1 and revoked_at is null and expires_at > now() order by created_at desc limit 50`,
    [staffUserId],
  );
  return rows.map((r) => ({
    ...r,
    created_at: new Date(r.created_at),
    last_seen_at: new Date(r.last_seen_at),
    expires_at: new Date(r.expires_at),
  }));
}

export type ClaimRole = 'owner' | 'manager' | 'master';

export async function insertClaim(
  q: Queryable,
  p: {
    codeHash: string;
    tenantId: string;
    role: ClaimRole;
    masterId?: string;
    createdBy: string | null;
    expiresAt: Date;
  },
): Promise<void> {
  await q.query(
    "insert into public.tenant_claims (code_hash, tenant_id, role, master_id, created_by, expires_at) values (decode($1, 'hex'), $2, $3, $4, $5, $6)",
    [p.codeHash, p.tenantId, p.role, p.masterId ?? null, p.createdBy, p.expiresAt.toISOString()],
  );
}

/** Uses a claim code of a business: once, before it expires. Undefined otherwise. */
export async function consumeClaim(
  q: Queryable,
  p: { codeHash: string; tenantId: string },
): Promise<{ role: ClaimRole; master_id: string | null } | undefined> {
  const [row] = await q.query<{ role: ClaimRole; master_id: string | null }>(
    `update public.tenant_claims set claimed_at = now()
     where code_hash = decode($1, 'hex') and tenant_id = $2 and claimed_at is null and expires_at > now() returning role, master_id`,
    [p.codeHash, p.tenantId],
  );
  return row;
}

/** Makes a staff member the person of a master row (and of no other in the business). */
export async function bindMaster(
  q: Queryable,
  p: { tenantId: string; masterId: string; staffUserId: string; telegramUserId: number },
): Promise<void> {
  await q.query(
    'update public.masters set telegram_user_id = null, staff_user_id = null where tenant_id = $1 and (telegram_user_id = $2 or staff_user_id = $3) and id <> $4',
    [p.tenantId, p.telegramUserId, p.staffUserId, p.masterId],
  );
  await q.query(
    'update public.masters set telegram_user_id = $2, staff_user_id = $3 where tenant_id = $1 and id = $4',
    [p.tenantId, p.telegramUserId, p.staffUserId, p.masterId],
  );
}

export async function markClaimedBy(
  q: Queryable,
  p: { codeHash: string; staffUserId: string },
): Promise<void> {
  await q.query(
    "update public.tenant_claims set claimed_by = $2 where code_hash = decode($1, 'hex')",
    [p.codeHash, p.staffUserId],
  );
}

export async function readSetting(q: Queryable, key: string): Promise<unknown> {
  const [row] = await q.query<{ value: unknown }>(
    'select value from public.platform_settings where key = $1',
    [key],
  );
  return row?.value;
}

export async function writeSetting(q: Queryable, key: string, value: unknown): Promise<void> {
  await q.query(
    `insert into public.platform_settings (key, value) values ($1, $2::jsonb)
     on conflict (key) do update set value = excluded.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
}

export interface AuditEntry {
  tenantId: string | null;
  actorStaffId: string | null;
  actorRole: StaffRole | 'system';
  action: string;
  targetKind?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
  correlationId?: string;
}

export async function insertAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(
    `insert into public.audit_log (tenant_id, actor_staff_id, actor_role, action, target_kind, target_id, before, after, correlation_id)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)`,
    [
      e.tenantId,
      e.actorStaffId,
      e.actorRole,
      e.action,
      e.targetKind ?? null,
      e.targetId ?? null,
      e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after),
      e.correlationId ?? null,
    ],
  );
}

export interface AuditItem extends Record<string, unknown> {
  id: string;
  tenant_id: string | null;
  tenant_name: string | null;
  actor_name: string | null;
  actor_role: string;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  before: unknown;
  after: unknown;
  at: Date;
}

/**
 * Audit entries, newest first, `limit` at a time before the cursor `beforeId` (keyset). `tenantId`
 * limits them to one business (a business's own view runs as that tenant: RLS limits it anyway).
 */
export async function listAudit(
  q: Queryable,
  p: { tenantId?: string; beforeId?: string; limit: number },
): Promise<AuditItem[]> {
  const rows = await q.query<AuditItem>(
    `select a.id::text, a.tenant_id, t.name as tenant_name, s.display_name as actor_name, a.actor_role, a.action, a.target_kind, a.target_id, a.before, a.after, a.at
     from public.audit_log a
     left join public.tenants t on t.id = a.tenant_id
     left join public.staff_users s on s.id = a.actor_staff_id
     where ($1::uuid is null or a.tenant_id = $1) and ($2::bigint is null or a.id < $2::bigint)
     order by a.id desc limit $3`,
    [p.tenantId ?? null, p.beforeId ?? null, p.limit],
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at) }));
}
