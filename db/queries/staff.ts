import { z } from 'zod';
import type { Queryable } from '../port.ts';
import { STAFF_ROLES } from './admin.ts';

/** A business's staff and invitations, read and changed as the business itself (RLS). */

const memberSchema = z.object({
  id: z.string(),
  role: z.enum(STAFF_ROLES),
  display_name: z.string(),
  telegram_user_id: z.coerce.number().nullable(),
  active: z.boolean(),
  master_name: z.string().nullable(),
  location_ids: z.array(z.string()).nullable(),
});
export type StaffMember = z.infer<typeof memberSchema>;

/** Active staff first, then by role and name; each with the master row they are and their locations. */
export async function listStaff(q: Queryable, tenantId: string): Promise<StaffMember[]> {
  const rows = await q.query(
    `select s.id, s.role, s.display_name, s.telegram_user_id, s.active,
            (select m.display_name from public.masters m where m.tenant_id = s.tenant_id and m.staff_user_id = s.id limit 1) as master_name,
            (select array_agg(l.location_id::text order by l.location_id) from public.staff_locations l where l.staff_user_id = s.id) as location_ids
     from public.staff_users s
     where s.tenant_id = $1
     order by s.active desc, array_position(array['owner', 'manager', 'master'], s.role), s.display_name, s.id
     limit 500`,
    [tenantId],
  );
  return rows.map((r) => memberSchema.parse(r));
}

/** One member of the business, locked for a change; undefined for anyone else's id. */
export async function lockMember(
  q: Queryable,
  p: { tenantId: string; staffId: string },
): Promise<StaffMember | undefined> {
  const [row] = await q.query(
    `select s.id, s.role, s.display_name, s.telegram_user_id, s.active, null::text as master_name,
            (select array_agg(l.location_id::text order by l.location_id) from public.staff_locations l where l.staff_user_id = s.id) as location_ids
     from public.staff_users s where s.tenant_id = $1 and s.id = $2 for update`,
    [p.tenantId, p.staffId],
  );
  return row ? memberSchema.parse(row) : undefined;
}

/** Locks the business's owners' rows, always in one order (see the staff service). */
export async function lockOwners(q: Queryable, tenantId: string): Promise<void> {
  await q.query(
    "select id from public.staff_users where tenant_id = $1 and role = 'owner' order by id for update",
    [tenantId],
  );
}

/** How many active owners the business has (read after locking the rows a change touches). */
export async function activeOwnerCount(q: Queryable, tenantId: string): Promise<number> {
  const [row] = await q.query<{ n: number }>(
    "select count(*)::int as n from public.staff_users where tenant_id = $1 and role = 'owner' and active",
    [tenantId],
  );
  return row?.n ?? 0;
}

export async function setMemberRole(
  q: Queryable,
  p: { tenantId: string; staffId: string; role: string },
): Promise<void> {
  await q.query('update public.staff_users set role = $3 where tenant_id = $1 and id = $2', [
    p.tenantId,
    p.staffId,
    p.role,
  ]);
}

/** Removes a member: inactive (their sessions end with it), no longer any master's person. */
export async function deactivateMember(
  q: Queryable,
  p: { tenantId: string; staffId: string },
): Promise<void> {
  await q.query('update public.staff_users set active = false where tenant_id = $1 and id = $2', [
    p.tenantId,
    p.staffId,
  ]);
  await q.query(
    'update public.masters set telegram_user_id = null, staff_user_id = null where tenant_id = $1 and staff_user_id = $2',
    [p.tenantId, p.staffId],
  );
  await q.query('delete from public.staff_locations where tenant_id = $1 and staff_user_id = $2', [
    p.tenantId,
    p.staffId,
  ]);
}

/** The locations a manager is limited to (none: all of them). Ids not of this business are refused by the foreign key. */
export async function setMemberLocations(
  q: Queryable,
  p: { tenantId: string; staffId: string; locationIds: string[] },
): Promise<void> {
  await q.query('delete from public.staff_locations where tenant_id = $1 and staff_user_id = $2', [
    p.tenantId,
    p.staffId,
  ]);
  if (p.locationIds.length) {
    await q.query(
      'insert into public.staff_locations (tenant_id, staff_user_id, location_id) select $1, $2, unnest($3::uuid[])',
      [p.tenantId, p.staffId, p.locationIds],
    );
  }
}

const invitationSchema = z.object({
  code_hash: z.string(),
  role: z.enum(['owner', 'manager', 'master']),
  master_name: z.string().nullable(),
  created_at: z.coerce.date(),
  expires_at: z.coerce.date(),
});
export type Invitation = z.infer<typeof invitationSchema>;

/** Invitations nobody has accepted yet and that still work, newest first. */
export async function openInvitations(q: Queryable, tenantId: string): Promise<Invitation[]> {
  const rows = await q.query(
    `select encode(c.code_hash, 'hex') as code_hash, c.role, m.display_name as master_name, c.created_at, c.expires_at
     from public.tenant_claims c left join public.masters m on m.tenant_id = c.tenant_id and m.id = c.master_id
     where c.tenant_id = $1 and c.claimed_at is null and c.expires_at > now()
     order by c.created_at desc limit 100`,
    [tenantId],
  );
  return rows.map((r) => invitationSchema.parse(r));
}

/** Withdraws an open invitation of the business: it stops working at once. */
export async function cancelInvitation(
  q: Queryable,
  p: { tenantId: string; codeHash: string; roles: readonly string[] },
): Promise<Invitation | undefined> {
  const [row] = await q.query(
    `update public.tenant_claims set expires_at = greatest(created_at + interval '1 millisecond', now())
     where tenant_id = $1 and code_hash = decode($2, 'hex') and claimed_at is null and expires_at > now() and role = any($3::text[])
     returning encode(code_hash, 'hex') as code_hash, role, null::text as master_name, created_at, expires_at`,
    [p.tenantId, p.codeHash, p.roles],
  );
  return row ? invitationSchema.parse(row) : undefined;
}

export interface Choice extends Record<string, unknown> {
  id: string;
  name: string;
}

/** Masters of the business nobody is bound to yet (an invitation binds one). */
export async function unboundMasters(q: Queryable, tenantId: string): Promise<Choice[]> {
  return q.query<Choice>(
    'select id, display_name as name from public.masters where tenant_id = $1 and active and staff_user_id is null order by sort_order, display_name limit 500',
    [tenantId],
  );
}

export async function businessLocations(q: Queryable, tenantId: string): Promise<Choice[]> {
  return q.query<Choice>(
    'select id, name from public.locations where tenant_id = $1 and active order by sort_order, name limit 500',
    [tenantId],
  );
}

/** The username of the business's connected bot, where invitations are accepted. */
export async function activeBotUsername(
  q: Queryable,
  tenantId: string,
): Promise<string | undefined> {
  const [row] = await q.query<{ username: string }>(
    "select username from public.tenant_bots where tenant_id = $1 and status = 'active' order by created_at limit 1",
    [tenantId],
  );
  return row?.username;
}
