// Public face of the identity module: accounts, roles granted at units, sessions, sign-in.
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { identityRoutes } from './identity.routes.tsx';
import { createIdentityService } from './identity.service.ts';
import { PostgresSessionStore } from './session-store.ts';

export { SESSION_COOKIE } from './session-store.ts';

export { hasPermissionSomewhere, can, rolesAt, type Principal, type UnitRef } from './identity.policy.ts';
export type { RequestInfo } from './identity.service.ts';
export { requireActor } from './identity.routes.tsx';
export type { IdentityService, UserView } from './identity.service.ts';
export { ROLES, STAFF_ROLES, PERMISSIONS, type Role, type Permission } from './roles.ts';

export function createIdentityModule(deps: {
  db: Db;
  clock: Clock;
  adminUnits: AdminUnitsService;
  loginMaxFailures: number;
  sessionTtlHours: number;
}) {
  const service = createIdentityService(deps);
  return {
    service,
    sessionStore: new PostgresSessionStore(deps.db, deps.clock, deps.sessionTtlHours * 3600_000),
    routes: identityRoutes(service, deps.adminUnits),
  };
}

export type IdentityModule = ReturnType<typeof createIdentityModule>;
