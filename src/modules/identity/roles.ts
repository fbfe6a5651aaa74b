// Roles and what each may do. A permission is always checked at a unit (identity.policy.ts).
export const ROLES = [
  'citizen',
  'desk_officer',
  'specialist',
  'leader',
  'records_clerk',
  'community_team_member',
  'province_admin',
  'system_admin',
] as const;

export type Role = (typeof ROLES)[number];

export const STAFF_ROLES = ROLES.filter((r) => r !== 'citizen') as Exclude<Role, 'citizen'>[];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export const PERMISSIONS = {
  /** See the unit's administration page: its staff and their roles. */
  'unit.administration.view': [
    'desk_officer',
    'specialist',
    'leader',
    'records_clerk',
    'community_team_member',
    'province_admin',
    'system_admin',
  ],
  /** Create staff accounts, grant and revoke roles, end a user's sessions, at units in scope. */
  'users.manage': ['province_admin', 'system_admin'],
  /** Import the procedure catalogue and see its import reports (the province's announcements). */
  'procedures.manage': ['province_admin', 'system_admin'],
  /** Choose which procedures a commune centre offers. */
  'procedures.offer': ['province_admin', 'system_admin'],
  /** Edit the province's working calendar (days off, make-up days, working hours, confirming a year). */
  'calendar.manage': ['province_admin', 'system_admin'],
  /** Receive dossiers at the counter of a centre (Mẫu 01, 02, 03). */
  'dossiers.receive': ['desk_officer'],
  /** See the dossiers received or processed at a unit, their files and forms, and its register (Mẫu 07). */
  'dossiers.view': [
    'desk_officer',
    'specialist',
    'leader',
    'records_clerk',
    'province_admin',
    'system_admin',
  ],
  /** See each unit's load (open, due soon, overdue dossiers) across the units in scope. */
  'dossiers.oversee': ['leader', 'province_admin', 'system_admin'],
  /** Read the audit log entries of units in scope. */
  'audit.view': ['leader', 'province_admin', 'system_admin'],
  /** Administer what signature verification trusts: the province's trusted root certificates and CRLs. */
  'signing.manage': ['province_admin', 'system_admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Which roles a holder of `granterRole` may grant (always within the units the granter's own grant covers). */
export const GRANTABLE_ROLES: Partial<Record<Role, readonly Role[]>> = {
  province_admin: [
    'desk_officer',
    'specialist',
    'leader',
    'records_clerk',
    'community_team_member',
    'province_admin',
  ],
  system_admin: STAFF_ROLES,
};
