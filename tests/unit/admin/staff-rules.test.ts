import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkStaffChange,
  invitableRoles,
  mayInvite,
  mayLimitLocations,
  type BusinessRole,
} from '../../../tenants/admin/staff-rules.ts';

const ROLES: BusinessRole[] = ['owner', 'manager', 'master'];

describe('staff rules', () => {
  it('owners invite anyone, managers masters only, masters nobody', () => {
    expect(invitableRoles('owner')).toEqual(['manager', 'master', 'owner']);
    expect(invitableRoles('manager')).toEqual(['master']);
    expect(invitableRoles('master')).toEqual([]);
    expect(mayInvite('manager', 'manager')).toBe(false);
  });

  it('only owners change roles or remove people', () => {
    for (const actor of ['manager', 'master'] as const) {
      expect(
        checkStaffChange({
          actor,
          target: { role: 'master', active: true },
          newRole: 'manager',
          activeOwners: 3,
        }),
      ).toBe('not_allowed');
      expect(
        checkStaffChange({
          actor,
          target: { role: 'master', active: true },
          removing: true,
          activeOwners: 3,
        }),
      ).toBe('not_allowed');
    }
  });

  it('never leaves a business without an active owner, whatever the change', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ROLES),
        fc.boolean(),
        fc.option(fc.constantFrom(...ROLES), { nil: undefined }),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        (targetRole, active, newRole, removing, owners) => {
          // The owners counted include the target when it is an active owner.
          const activeOwners = targetRole === 'owner' && active ? Math.max(owners, 1) : owners;
          const refusal = checkStaffChange({
            actor: 'owner',
            target: { role: targetRole, active },
            ...(newRole ? { newRole } : {}),
            removing,
            activeOwners,
          });
          const ownerLost =
            targetRole === 'owner' &&
            active &&
            (removing || (newRole !== undefined && newRole !== 'owner'));
          const ownersAfter = activeOwners - (ownerLost && refusal === undefined ? 1 : 0);
          expect(ownersAfter).toBeGreaterThanOrEqual(1);
          if (!ownerLost) expect(refusal).toBeUndefined();
        },
      ),
    );
  });

  it('location limits are for managers, set by owners', () => {
    expect(mayLimitLocations('owner', 'manager')).toBe(true);
    expect(mayLimitLocations('owner', 'master')).toBe(false);
    expect(mayLimitLocations('manager', 'manager')).toBe(false);
  });
});
