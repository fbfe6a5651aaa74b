// Public face of the admin-units module (đơn vị hành chính): other modules import only this file.
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { adminUnitsRoutes } from './admin-units.routes.tsx';
import { createAdminUnitsService } from './admin-units.service.ts';

export type { AdminUnit, AdminUnitsService } from './admin-units.service.ts';

export function createAdminUnitsModule(deps: { db: Db; clock: Clock }) {
  const service = createAdminUnitsService(deps);
  return { service, routes: adminUnitsRoutes(service) };
}

export type AdminUnitsModule = ReturnType<typeof createAdminUnitsModule>;
