import type { Database } from '../../db/port.ts';
import { asTenant, type TenantScope } from '../../db/scope.ts';
import { insertAudit, type StaffRole } from '../../db/queries/admin.ts';
import {
  activeBotUsername,
  activeOwnerCount,
  businessLocations,
  cancelInvitation,
  deactivateMember,
  lockMember,
  lockOwners,
  setMemberLocations,
  setMemberRole,
  unboundMasters,
} from '../../db/queries/staff.ts';
import type { Claims } from './claims.ts';
import { CLAIM_PREFIX } from './claims.ts';
import {
  checkStaffChange,
  mayInvite,
  mayLimitLocations,
  type BusinessRole,
  type StaffRefusal,
} from './staff-rules.ts';

/** The staff member acting, as their session says. */
export interface StaffActor {
  tenantId: string;
  staffId: string;
  role: StaffRole;
}

const scopeOf = (a: StaffActor): TenantScope => ({
  tenantId: a.tenantId,
  subject: a.staffId,
  appRole: a.role,
});
const businessRole = (role: StaffRole): BusinessRole | undefined =>
  role === 'platform_admin' ? undefined : role;

export type InviteResult =
  | { ok: true; link: string; role: BusinessRole }
  | { ok: false; reason: 'not_allowed' | 'no_bot' | 'master_required' | 'master_taken' };

/**
 * A business's staff, managed by its own staff: invitations by deep link into the business's bot
 * (masters bound to their master row), roles, removal and managers' locations. Every change runs
 * as the business (RLS) with its audit entry in the same transaction.
 */
export function createStaffService(deps: { db: Database; claims: Claims }) {
  const { db } = deps;

  return {
    async invite(
      actor: StaffActor,
      p: { role: BusinessRole; masterId?: string },
    ): Promise<InviteResult> {
      const role = businessRole(actor.role);
      if (!role || !mayInvite(role, p.role)) return { ok: false, reason: 'not_allowed' };
      if (p.role === 'master' && !p.masterId) return { ok: false, reason: 'master_required' };
      return asTenant(db, scopeOf(actor), async (tx) => {
        const username = await activeBotUsername(tx, actor.tenantId);
        if (!username) return { ok: false as const, reason: 'no_bot' as const };
        if (
          p.role === 'master' &&
          !(await unboundMasters(tx, actor.tenantId)).some((m) => m.id === p.masterId)
        )
          return { ok: false as const, reason: 'master_taken' as const };
        const code = await deps.claims.create(
          {
            tenantId: actor.tenantId,
            role: p.role,
            createdBy: actor.staffId,
            ...(p.masterId && p.role === 'master' ? { masterId: p.masterId } : {}),
          },
          tx,
        );
        await insertAudit(tx, {
          tenantId: actor.tenantId,
          actorStaffId: actor.staffId,
          actorRole: actor.role,
          action: 'staff.invite',
          targetKind: 'invitation',
          after: {
            role: p.role,
            ...(p.masterId && p.role === 'master' ? { master_id: p.masterId } : {}),
          },
        });
        return {
          ok: true as const,
          role: p.role,
          link: `https://t.me/${username}?start=${CLAIM_PREFIX}${code}`,
        };
      });
    },

    /** Withdraws an open invitation the actor could have made (a manager: masters' only). */
    async cancelInvitation(actor: StaffActor, codeHash: string): Promise<boolean> {
      const role = businessRole(actor.role);
      if (!role || !/^[0-9a-f]{64}$/.test(codeHash)) return false;
      const roles = (['owner', 'manager', 'master'] as const).filter((r) => mayInvite(role, r));
      if (!roles.length) return false;
      return asTenant(db, scopeOf(actor), async (tx) => {
        const cancelled = await cancelInvitation(tx, { tenantId: actor.tenantId, codeHash, roles });
        if (!cancelled) return false;
        await insertAudit(tx, {
          tenantId: actor.tenantId,
          actorStaffId: actor.staffId,
          actorRole: actor.role,
          action: 'staff.invitation_cancel',
          targetKind: 'invitation',
          before: { role: cancelled.role },
        });
        return true;
      });
    },

    async changeRole(
      actor: StaffActor,
      staffId: string,
      newRole: BusinessRole,
    ): Promise<StaffRefusal | undefined> {
      return change(actor, staffId, async (tx, target, owners, role) => {
        const refusal = checkStaffChange({
          actor: role,
          target: { role: target.role as BusinessRole, active: target.active },
          newRole,
          activeOwners: owners,
        });
        if (refusal) return refusal;
        await setMemberRole(tx, { tenantId: actor.tenantId, staffId, role: newRole });
        if (newRole !== 'manager')
          await setMemberLocations(tx, { tenantId: actor.tenantId, staffId, locationIds: [] });
        await insertAudit(tx, {
          tenantId: actor.tenantId,
          actorStaffId: actor.staffId,
          actorRole: actor.role,
          action: 'staff.role',
          targetKind: 'staff',
          targetId: staffId,
          before: { role: target.role },
          after: { role: newRole },
        });
        return undefined;
      });
    },

    async remove(actor: StaffActor, staffId: string): Promise<StaffRefusal | undefined> {
      return change(actor, staffId, async (tx, target, owners, role) => {
        if (!target.active) return undefined;
        const refusal = checkStaffChange({
          actor: role,
          target: { role: target.role as BusinessRole, active: true },
          removing: true,
          activeOwners: owners,
        });
        if (refusal) return refusal;
        await deactivateMember(tx, { tenantId: actor.tenantId, staffId });
        await insertAudit(tx, {
          tenantId: actor.tenantId,
          actorStaffId: actor.staffId,
          actorRole: actor.role,
          action: 'staff.remove',
          targetKind: 'staff',
          targetId: staffId,
          before: { role: target.role, active: true },
          after: { active: false },
        });
        return undefined;
      });
    },

    async limitLocations(
      actor: StaffActor,
      staffId: string,
      locationIds: string[],
    ): Promise<StaffRefusal | undefined> {
      return change(actor, staffId, async (tx, target, _owners, role) => {
        if (!mayLimitLocations(role, target.role as BusinessRole)) return 'not_allowed';
        const known = new Set((await businessLocations(tx, actor.tenantId)).map((l) => l.id));
        if (!locationIds.every((id) => known.has(id))) return 'not_found';
        await setMemberLocations(tx, { tenantId: actor.tenantId, staffId, locationIds });
        await insertAudit(tx, {
          tenantId: actor.tenantId,
          actorStaffId: actor.staffId,
          actorRole: actor.role,
          action: 'staff.locations',
          targetKind: 'staff',
          targetId: staffId,
          before: { locations: target.location_ids ?? 'all' },
          after: { locations: locationIds.length ? locationIds : 'all' },
        });
        return undefined;
      });
    },
  };

  /** Locks the business's owners and the target, then applies `fn` (which checks and writes). */
  function change(
    actor: StaffActor,
    staffId: string,
    fn: (
      tx: Parameters<Parameters<typeof asTenant>[2]>[0],
      target: NonNullable<Awaited<ReturnType<typeof lockMember>>>,
      owners: number,
      role: BusinessRole,
    ) => Promise<StaffRefusal | undefined>,
  ) {
    const role = businessRole(actor.role);
    if (!role) return Promise.resolve('not_allowed' as const);
    if (!/^[0-9a-f-]{36}$/i.test(staffId)) return Promise.resolve('not_found' as const);
    return asTenant(db, scopeOf(actor), async (tx) => {
      // The owners' rows first, in one order for every change: two demotions at once cannot both
      // see the other still an owner.
      await lockOwners(tx, actor.tenantId);
      const target = await lockMember(tx, { tenantId: actor.tenantId, staffId });
      if (!target) return 'not_found' as const;
      return fn(tx, target, await activeOwnerCount(tx, actor.tenantId), role);
    });
  }
}

export type StaffService = ReturnType<typeof createStaffService>;
