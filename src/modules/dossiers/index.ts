// Public face of the dossiers module (hồ sơ of the one-stop shop): counter intake, the workflow's actions, work
// queues, overdue marking, the legal forms Mẫu 01–07 and the public tracking of a dossier.
import type { Clock } from '../../platform/clock.ts';
import type { DocumentSigning } from '../signing/document-signing.ts';
import type { Db } from '../../platform/db/database.ts';
import type { FileStore } from '../../platform/storage/file-store.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { NotificationsService } from '../notifications/index.ts';
import type { ProceduresService } from '../procedures/index.ts';
import { dossiersRoutes } from './dossiers.routes.tsx';
import { createDossiersService } from './dossiers.service.ts';
import { createOnlineFiling } from './online-filing.ts';

export type { DossiersService, DossierView, IntakeInput, ActionInput } from './dossiers.service.ts';
export { DOSSIER_ACTIONS, DOSSIER_STATUSES, DEFAULT_WORKFLOW } from './dossier-workflow.ts';
export type { DossierAction, DossierStatus, WorkflowDefinition } from './dossier-workflow.ts';

export function createDossiersModule(deps: {
  db: Db;
  clock: Clock;
  adminUnits: AdminUnitsService;
  identity: IdentityService;
  procedures: ProceduresService;
  calendar: CalendarService;
  files: FileStore;
  provinceCode: string;
  publicUrl: string;
  maxUploadBytes: number;
  notifications: NotificationsService;
  signing?: DocumentSigning;
}) {
  const service = createDossiersService(deps);
  const filing = createOnlineFiling({ ...deps, dossiers: service });
  return {
    service,
    filing,
    routes: dossiersRoutes({
      service,
      filing,
      identity: deps.identity,
      adminUnits: deps.adminUnits,
      procedures: deps.procedures,
      provinceCode: deps.provinceCode,
      maxUploadBytes: deps.maxUploadBytes,
    }),
  };
}

export type DossiersModule = ReturnType<typeof createDossiersModule>;
