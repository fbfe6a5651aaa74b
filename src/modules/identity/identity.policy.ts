// Pure: may this principal do this at this unit? Every check names the unit (a grant at a province covers the
// province and its communes; a system administrator's grant covers every unit).
import { GRANTABLE_ROLES, PERMISSIONS, type Permission, type Role } from './roles.ts';

export interface UnitRef {
  code: string;
  /** The province of a commune; null for a province. */
  parentCode: string | null;
}

export interface Grant {
  id: string;
  role: Role;
  unitCode: string | null;
}

export interface Principal {
  userId: string;
  username: string;
  fullName: string;
  grants: Grant[];
}

export function grantCovers(grant: Grant, unit: UnitRef): boolean {
  if (grant.role === 'system_admin') return true;
  if (grant.unitCode === null) return false;
  return grant.unitCode === unit.code || grant.unitCode === unit.parentCode;
}

function rolesFor(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission];
}

/** True if some role of the principal carries the permission, at any unit. */
export function hasPermissionSomewhere(principal: Principal, permission: Permission): boolean {
  return principal.grants.some((g) => rolesFor(permission).includes(g.role));
}

export function can(principal: Principal, permission: Permission, unit: UnitRef): boolean {
  return principal.grants.some((g) => rolesFor(permission).includes(g.role) && grantCovers(g, unit));
}

/** The roles the principal holds at `unit` (through a grant at the unit, its province, or system-wide). */
export function rolesAt(principal: Principal, unit: UnitRef): Role[] {
  return [...new Set(principal.grants.filter((g) => grantCovers(g, unit)).map((g) => g.role))];
}

export type GrantDecision = 'allowed' | 'role-not-grantable' | 'outside-unit';

/** May the principal grant (or revoke) `role` at `unit`? */
export function decideRoleGrant(principal: Principal, role: Role, unit: UnitRef): GrantDecision {
  const granting = principal.grants.filter((g) => GRANTABLE_ROLES[g.role]?.includes(role));
  if (granting.length === 0) return 'role-not-grantable';
  return granting.some((g) => grantCovers(g, unit)) ? 'allowed' : 'outside-unit';
}

/** Units (codes) at which the principal holds the permission; `all` for a system administrator. */
export function unitsWithPermission(
  principal: Principal,
  permission: Permission,
): { all: boolean; codes: string[] } {
  const grants = principal.grants.filter((g) => rolesFor(permission).includes(g.role));
  return {
    all: grants.some((g) => g.role === 'system_admin'),
    codes: grants.flatMap((g) => (g.unitCode ? [g.unitCode] : [])),
  };
}
