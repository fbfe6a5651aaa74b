// Public face of the procedures module (thủ tục hành chính): the catalogue, its versions and imports, the
// procedures each commune centre offers.
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { proceduresRoutes } from './procedures.routes.tsx';
import { readCatalogueFile } from './procedure-files.ts';
import { createProceduresService } from './procedures.service.ts';

export type { CutoffRule, ProcedureRecord, ProcessingTimeRule, TimeUnit } from './procedure-record.ts';
export type { ImportReport, ProceduresService } from './procedures.service.ts';
export { readCatalogueFile };
export { describeFees, describeProcessingTime } from './procedure-text.ts';

export function createProceduresModule(deps: {
  db: Db;
  clock: Clock;
  adminUnits: AdminUnitsService;
  identity: IdentityService;
  provinceCode: string;
  publicUrl: string;
  calendar: CalendarService;
}) {
  const service = createProceduresService(deps);
  return {
    service,
    readCatalogueFile,
    routes: proceduresRoutes({
      service,
      identity: deps.identity,
      adminUnits: deps.adminUnits,
      provinceCode: deps.provinceCode,
      publicUrl: deps.publicUrl,
    }),
  };
}

export type ProceduresModule = ReturnType<typeof createProceduresModule>;
