// Public face of the signing module: what verification trusts (the province's trusted roots and CRLs), the public
// verification page and API, and the verifier itself. Signing documents joins it here (the signing service).
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { findNoIssuedFile, type FindIssuedFile } from './issued-file.ts';
import { createTrustService } from './trust.service.ts';
import { verificationRoutes } from './verification.routes.tsx';
import { createVerificationService } from './verification.service.ts';

export type { FindIssuedFile, IssuedFile } from './issued-file.ts';
export type { CrlView, TrustedRootView, TrustService } from './trust.service.ts';
export type { VerificationResult, VerificationService } from './verification.service.ts';
export {
  verifyPdfSignatures,
  type SignatureReport,
  type TrustAnchors,
  type VerificationReport,
} from './verify.ts';

export function createSigningModule(deps: {
  db: Db;
  clock: Clock;
  adminUnits: AdminUnitsService;
  identity: IdentityService;
  provinceCode: string;
  maxUploadBytes: number;
  /**
   * Finds a file xaso issued by its SHA-256. The signed-documents store will answer it; until it is wired, nothing
   * is found. Tests pass a fake here: an in-process seam for the part not built yet, not a mock of our own code.
   */
  findIssuedFile?: FindIssuedFile | undefined;
}) {
  const trust = createTrustService(deps);
  const verification = createVerificationService({
    trust,
    clock: deps.clock,
    findIssuedFile: deps.findIssuedFile ?? findNoIssuedFile,
    maxUploadBytes: deps.maxUploadBytes,
  });
  return {
    trust,
    verification,
    routes: verificationRoutes({ verification, trust, maxUploadBytes: deps.maxUploadBytes }),
  };
}

export type SigningModule = ReturnType<typeof createSigningModule>;
