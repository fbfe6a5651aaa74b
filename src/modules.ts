// Wires the modules to each other. Used by the composition root (main.ts) and by the tests, so both run the same
// graph; no module creates another by itself.
import path from 'node:path';
import type { Config } from './config.ts';
import { createAdminUnitsModule } from './modules/admin-units/index.ts';
import { createCalendarModule } from './modules/calendar/index.ts';
import { createIdentityModule } from './modules/identity/index.ts';
import { createDossiersModule } from './modules/dossiers/index.ts';
import { createFeedbackModule } from './modules/feedback/index.ts';
import { createNotificationsModule } from './modules/notifications/index.ts';
import { createProceduresModule } from './modules/procedures/index.ts';
import { createSigningModule, type BackgroundSigner, type FindIssuedFile } from './modules/signing/index.ts';
import type { Clock } from './platform/clock.ts';
import type { Db } from './platform/db/database.ts';
import { createLocalFileStore } from './platform/storage/file-store.ts';

export function createModules({
  config,
  db,
  clock,
  findIssuedFile,
  backgroundSigner,
}: {
  config: Config;
  db: Db;
  clock: Clock;
  /** Tests only: which file xaso issued under a SHA-256 (by default the signed documents answer). */
  findIssuedFile?: FindIssuedFile;
  /** Signs receipts after their intake off this thread (src/signing-worker.ts); absent: in this thread. */
  backgroundSigner?: BackgroundSigner;
}) {
  const adminUnits = createAdminUnitsModule({ db, clock });
  const identity = createIdentityModule({
    db,
    clock,
    adminUnits: adminUnits.service,
    loginMaxFailures: config.loginMaxFailures,
    sessionTtlHours: config.sessionTtlHours,
  });
  const calendar = createCalendarModule({
    db,
    clock,
    adminUnits: adminUnits.service,
    identity: identity.service,
    provinceCode: config.provinceCode,
  });
  const procedures = createProceduresModule({
    db,
    clock,
    adminUnits: adminUnits.service,
    identity: identity.service,
    provinceCode: config.provinceCode,
    publicUrl: config.publicUrl,
    calendar: calendar.service,
  });
  const notifications = createNotificationsModule({
    db,
    clock,
    adminUnits: adminUnits.service,
    identity: identity.service,
    smtpUrl: config.smtpUrl,
    smtpFrom: config.smtpFrom,
    devInbox: config.env !== 'production',
  });
  const files = createLocalFileStore(config.storageDir);
  const signing = createSigningModule({
    db,
    clock,
    adminUnits: adminUnits.service,
    identity: identity.service,
    files,
    provinceCode: config.provinceCode,
    maxUploadBytes: config.maxUploadMiB * 1024 * 1024,
    keys: {
      file: config.signingKeysFile,
      secrets: config.signingSecrets,
      demoDir: config.signingDemo ? path.join(config.signingDir, 'demo-ca') : undefined,
    },
    tsaUrl: config.tsaUrl,
    findIssuedFile,
    background: backgroundSigner,
  });
  const dossiers = createDossiersModule({
    db,
    clock,
    adminUnits: adminUnits.service,
    identity: identity.service,
    procedures: procedures.service,
    calendar: calendar.service,
    files,
    signing: signing.documents,
    provinceCode: config.provinceCode,
    publicUrl: config.publicUrl,
    maxUploadBytes: config.maxUploadMiB * 1024 * 1024,
    notifications: notifications.service,
  });
  const feedback = createFeedbackModule({
    db,
    clock,
    adminUnits: adminUnits.service,
    identity: identity.service,
    calendar: calendar.service,
    provinceCode: config.provinceCode,
  });
  return {
    adminUnits,
    identity,
    procedures,
    calendar,
    notifications,
    dossiers,
    feedback,
    signing,
  };
}

export type Modules = ReturnType<typeof createModules>;
