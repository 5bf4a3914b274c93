/**
 * Who may do what to a business's staff. Pure: the staff service applies these with the rows it
 * has locked, so two owners demoting each other at once cannot leave the business without one.
 */
export type BusinessRole = 'owner' | 'manager' | 'master';
export type StaffRefusal = 'not_allowed' | 'last_owner' | 'not_found';

/** Owners invite anyone; managers invite masters; masters nobody. */
export function mayInvite(actor: BusinessRole, role: BusinessRole): boolean {
  if (actor === 'owner') return true;
  return actor === 'manager' && role === 'master';
}

/** The roles `actor` may offer in an invitation, in the order a form lists them. */
export function invitableRoles(actor: BusinessRole): BusinessRole[] {
  return (['manager', 'master', 'owner'] as const).filter((role) => mayInvite(actor, role));
}

/**
 * A change of role or a removal: only owners make them, and the business keeps at least one active
 * owner (an owner may step down only while another one remains).
 */
export function checkStaffChange(p: {
  actor: BusinessRole;
  target: { role: BusinessRole; active: boolean };
  newRole?: BusinessRole;
  removing?: boolean;
  activeOwners: number;
}): StaffRefusal | undefined {
  if (p.actor !== 'owner') return 'not_allowed';
  const losesOwner =
    p.target.role === 'owner' &&
    p.target.active &&
    (p.removing === true || (p.newRole !== undefined && p.newRole !== 'owner'));
  if (losesOwner && p.activeOwners <= 1) return 'last_owner';
  return undefined;
}

/** Location limits apply to managers only: owners see everything, masters only their own visits. */
export function mayLimitLocations(actor: BusinessRole, target: BusinessRole): boolean {
  return actor === 'owner' && target === 'manager';
}
