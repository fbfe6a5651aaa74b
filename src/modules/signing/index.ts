// Public face of the signing module: whose keys sign (the key directory: the operator's PKCS#12 files and PKCS#11
// tokens, and outside production a demo CA), the queue that signs receipts and results (document-signing.ts), what
// verification trusts (the province's trusted roots and CRLs, plus the demo CA's root where the demo runs), the
// public verification page and API, and the verifier itself.
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { FileStore } from '../../platform/storage/file-store.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { createDocumentSigning, type BackgroundSigner } from './document-signing.ts';
import type { FindIssuedFile, IssuedFile } from './issued-file.ts';
import { createKeyDirectory } from './key-directory.ts';
import { createHttpTsa } from './timestamp.ts';
import { createTrustService } from './trust.service.ts';
import { verificationRoutes } from './verification.routes.tsx';
import { createVerificationService } from './verification.service.ts';

export type { FindIssuedFile, IssuedFile } from './issued-file.ts';
export type { BackgroundSigner, DocumentSigning, SignedDocument, SigningStep } from './document-signing.ts';
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
  files: FileStore;
  provinceCode: string;
  maxUploadBytes: number;
  keys: {
    /** SIGNING_KEYS_FILE. */
    file: string | undefined;
    /** The SIGNING_SECRET_* variables the key list names. */
    secrets: Readonly<Record<string, string>>;
    /** Where the demo CA lives; undefined: no demo CA (production). */
    demoDir: string | undefined;
  };
  tsaUrl: string | undefined;
  /** Tests may answer "which file did xaso issue" themselves (a fixed file); by default the signed documents do. */
  findIssuedFile?: FindIssuedFile | undefined;
  /** Where documents signed after the answer are signed (a worker thread); absent: in this thread, one at a time. */
  background?: BackgroundSigner | undefined;
}) {
  const keys = createKeyDirectory({
    clock: deps.clock,
    env: deps.keys.secrets,
    keysFile: deps.keys.file,
    demoDir: deps.keys.demoDir,
  });
  const administered = createTrustService(deps);
  // The demo CA's root is trusted where the demo runs (its certificates say "thử nghiệm" on every signature).
  const trust: typeof administered = {
    ...administered,
    async anchors() {
      const [anchors, demo] = await Promise.all([administered.anchors(), keys.demoRoots()]);
      return { ...anchors, roots: [...anchors.roots, ...demo] };
    },
  };
  const documents = createDocumentSigning({
    db: deps.db,
    clock: deps.clock,
    files: deps.files,
    keys,
    trustAnchors: () => trust.anchors(),
    tsa: deps.tsaUrl ? createHttpTsa(deps.tsaUrl) : undefined,
    location: 'Việt Nam',
    background: deps.background,
  });
  async function findIssuedFile(sha256: string): Promise<IssuedFile | null> {
    const issued = await documents.findIssued(sha256);
    if (!issued) return null;
    const unit = await deps.adminUnits.getUnit(issued.unitCode).catch(() => undefined);
    return {
      sha256: issued.sha256,
      dossierCode: issued.dossierCode,
      kind: issued.kind,
      title: issued.title,
      unitName: unit?.fullName ?? issued.unitCode,
      issuedAt: issued.issuedAt,
      load: issued.load,
    };
  }
  const verification = createVerificationService({
    trust,
    clock: deps.clock,
    findIssuedFile: deps.findIssuedFile ?? findIssuedFile,
    maxUploadBytes: deps.maxUploadBytes,
  });
  return {
    trust,
    keys,
    documents,
    verification,
    routes: verificationRoutes({
      verification,
      trust,
      maxUploadBytes: deps.maxUploadBytes,
      issuedFileOfDocument: documents.issuedFileOfDocument,
    }),
  };
}

export type SigningModule = ReturnType<typeof createSigningModule>;
