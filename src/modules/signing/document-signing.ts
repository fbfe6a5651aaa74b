// Signing the documents xaso issues, as a queue (migrations/0012_signed_documents.sql). The caller records what is
// to be signed, and by whom in order, inside its own transaction; `attempt` then signs one step at a time: the key
// of the step's holder signs (PAdES, with a timestamp when a TSA is configured), the new file is verified with
// xaso's verifier against the trusted roots, and only then stored and recorded. A failure (no key, a locked token,
// an expired certificate, the TSA down, a signature that does not verify) is recorded with its Vietnamese reason
// and the time of the next try, and leaves the steps already done as they were: nothing is half-signed. The
// periodic job retries what is due; an officer may retry at once.
import crypto from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { formatVietnamIso, type Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db/database.ts';
import { queryRows } from '../../platform/db/rows.ts';
import { AppError, errorMessage, isAppError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n/index.ts';
import type { FileStore } from '../../platform/storage/file-store.ts';
import {
  authorityAppearance,
  electronicCopyAppearance,
  sealAppearance,
  type SignatureAppearance,
} from './appearance.ts';
import { parseCertificate } from './der.ts';
import type { Holder, KeyDirectory, SigningIdentity } from './key-directory.ts';
import { signPdf } from './pades.ts';
import type { TimestampAuthority } from './timestamp.ts';
import { allowsSigning, verifyPdfSignatures, type TrustAnchors } from './verify.ts';

export type SignedDocumentKind = 'receipt' | 'result';
export type SignerRole = 'centre' | 'leader' | 'agency';

export interface SigningStep {
  role: SignerRole;
  holder: Holder;
}

/** A rectangle of the page in PDF points (origin bottom left), 0-based page. */
export interface LayoutRect {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where each signer's appearance goes, when xaso laid the document out; absent: the signature is invisible. */
export type SignatureLayout = Partial<Record<SignerRole, LayoutRect>>;

export interface SignedDocument {
  unitCode: string;
  id: string;
  dossierCode: string;
  kind: SignedDocumentKind;
  title: string;
  fileName: string;
  status: 'pending' | 'signed' | 'failed';
  steps: SigningStep[];
  doneSteps: number;
  /** The file as it stands: signed by `doneSteps` signers (null before the first). */
  currentSha256: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  signedAt: Date | null;
  signatures: { role: SignerRole; signer: string; certificate: string; at: string; timestamped: boolean }[];
  fileId: string | null;
}

/** Renders the unsigned source of a document whose source is made at its first attempt (a Mẫu 01 receipt). */
export type SourceRenderer = (
  document: SignedDocument,
) => Promise<{ pdf: Buffer; layout?: SignatureLayout | undefined }>;

/**
 * Nghị định 30/2020 as DOMAIN §10 applies it. The centre signs a receipt in the receiver's signature space (its
 * name and the time as text). The leader's handwritten-signature image, or the name and time, goes in the result's
 * signature space; the agency's seal overlaps about a third of that signature on its left, or, without a seal
 * image, its name and time go below the signer's name. A document xaso did not lay out (an uploaded scan) gets the
 * leader's signature invisible and the agency's as an electronic copy: top right of page 1, with the ISO 8601 time.
 */
function appearanceOf({
  role,
  holder,
  rect,
  image,
  signingTime,
}: {
  role: SignerRole;
  holder: Holder;
  rect: LayoutRect | undefined;
  image: Buffer | undefined;
  signingTime: Date;
}): SignatureAppearance | undefined {
  if (role === 'agency' && !rect)
    return electronicCopyAppearance({
      copyForm: 'BẢN SAO ĐIỆN TỬ',
      copyingAgency: holder.name,
      copiedAt: signingTime,
    });
  if (!rect) return undefined;
  const block = { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
  if (role === 'agency') {
    if (!image) {
      const height = 30;
      return {
        page: rect.page,
        rect: { x: rect.x, y: rect.y - 18 - height, width: rect.width, height },
        lines: [`Cơ quan: ${holder.name}`, `Thời gian ký: ${formatVietnamIso(signingTime)}`],
        fontSize: 10,
      };
    }
    // Where the leader's signature image lands: centred in the block, as wide as the block allows.
    const width = Math.min(block.width, block.height * 3);
    const personal = { x: block.x + (block.width - width) / 2, y: block.y, width, height: block.height };
    return sealAppearance({
      personalSignature: personal,
      page: rect.page,
      agencyName: holder.name,
      signingTime,
      sealImage: image,
    });
  }
  return authorityAppearance({
    signatureBlock: block,
    page: rect.page,
    signerName: holder.name,
    signingTime,
    signatureImage: role === 'leader' ? image : undefined,
  });
}

interface Row {
  unit_code: string;
  id: string;
  dossier_code: string;
  kind: SignedDocumentKind;
  title: string;
  file_name: string;
  source_sha256: string | null;
  layout: SignatureLayout | null;
  file_id: string | null;
  steps: SigningStep[];
  done_steps: number;
  current_sha256: string | null;
  status: SignedDocument['status'];
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
  signed_at: Date | null;
  signatures: SignedDocument['signatures'];
}

const rows = (db: Executor, query: SQL) => queryRows<Row>(db, query);

function present(row: Row): SignedDocument {
  return {
    unitCode: row.unit_code,
    id: row.id,
    dossierCode: row.dossier_code,
    kind: row.kind,
    title: row.title,
    fileName: row.file_name,
    status: row.status,
    steps: row.steps,
    doneSteps: row.done_steps,
    currentSha256: row.current_sha256,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    signedAt: row.signed_at,
    signatures: row.signatures,
    fileId: row.file_id,
  };
}

/** Seconds until the next try after `attempts` failures: 30 s, 1, 2, 4, 8 minutes… at most 30 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(30 * 2 ** Math.max(0, attempts - 1), 30 * 60);
}

/** While an attempt runs, the row is leased this long, so a crashed attempt is picked up again later. */
const LEASE_SECONDS = 120;

const vi = translator('vi');

function reasonOf(error: unknown): string {
  if (isAppError(error)) return errorMessage(vi, error);
  return `Lỗi không lường trước khi ký số: ${error instanceof Error ? error.message : String(error)}`;
}

/** The checks a certificate must pass before it signs: valid now, and allowed to sign (key usage). */
export function assertCertificateUsable(der: Buffer, now: Date): void {
  const certificate = new crypto.X509Certificate(der);
  const holder = certificate.subject.match(/CN=([^\n]+)/)?.[1] ?? certificate.subject;
  if (now < new Date(certificate.validFrom))
    throw new AppError('SIGNING_CERTIFICATE_INVALID', {
      holder,
      reason: `chứng thư số chưa có hiệu lực (từ ${new Date(certificate.validFrom).toISOString()})`,
    });
  if (now > new Date(certificate.validTo))
    throw new AppError('SIGNING_CERTIFICATE_INVALID', {
      holder,
      reason: `chứng thư số đã hết hạn ngày ${new Date(certificate.validTo).toISOString().slice(0, 10)}`,
    });
  if (!allowsSigning(parseCertificate(der)))
    throw new AppError('SIGNING_CERTIFICATE_INVALID', {
      holder,
      reason:
        'chứng thư số không được phép dùng để ký (thiếu digitalSignature/nonRepudiation trong keyUsage)',
    });
}

/** Signs a queued document elsewhere (a worker thread with its own connections); settles when it is done. */
export interface BackgroundSigner {
  sign(unitCode: string, id: string): Promise<void>;
}

export function createDocumentSigning(deps: {
  db: Db;
  clock: Clock;
  files: FileStore;
  keys: KeyDirectory;
  /** What the province trusts (administered roots and CRLs, and the demo CA's root where the demo runs). */
  trustAnchors: () => Promise<TrustAnchors>;
  tsa?: TimestampAuthority | undefined;
  location: string;
  background?: BackgroundSigner | undefined;
}) {
  const { db, clock, files, keys } = deps;
  const renderers = new Map<SignedDocumentKind, SourceRenderer>();

  async function load(unitCode: string, id: string, executor: Executor = db): Promise<Row | undefined> {
    const [row] = await rows(
      executor,
      sql`select * from signed_documents where unit_code = ${unitCode} and id = ${id}::uuid`,
    );
    return row;
  }

  /** One signer's signature over `pdf`, verified before it is returned. */
  async function signStep(
    pdf: Buffer,
    step: SigningStep,
    identity: SigningIdentity,
    document: Row,
    layout: SignatureLayout | null,
    now: Date,
  ): Promise<{ pdf: Buffer; certificate: string; timestamped: boolean }> {
    const chain = await identity.signer.certificateChain();
    assertCertificateUsable(chain[0]!, now);
    const appearance = appearanceOf({
      role: step.role,
      holder: step.holder,
      rect: layout?.[step.role],
      image: identity.image,
      signingTime: now,
    });
    const reason =
      step.role === 'centre'
        ? `Ký số ${document.title.toLocaleLowerCase('vi')} của hồ sơ ${document.dossier_code}`
        : step.role === 'leader'
          ? `Người có thẩm quyền ký ${document.title.toLocaleLowerCase('vi')} hồ sơ ${document.dossier_code}`
          : `Chữ ký số của cơ quan trên ${document.title.toLocaleLowerCase('vi')} hồ sơ ${document.dossier_code}`;
    const signed = await signPdf(pdf, identity.signer, {
      name: step.holder.name,
      reason,
      location: deps.location,
      contactInfo: step.holder.kind === 'person' ? step.holder.unitName : step.holder.name,
      signingTime: now,
      tsa: deps.tsa,
      ...(appearance ? { appearance } : {}),
    });
    // The new signature must hold in every respect the verifier checks (trust, validity, key usage, revocation) and
    // cover the whole file; the earlier ones must still match their bytes (their trust was judged when they were made,
    // or by whoever made them).
    const report = verifyPdfSignatures(signed, await deps.trustAnchors(), now);
    const newest = report.signatures.at(-1);
    const problems = [
      ...report.signatures
        .slice(0, -1)
        .filter((s) => !(s.isDigestValid && s.isSignatureValid))
        .flatMap((s) => s.problems.map((p) => `chữ ký ${s.index}: ${p}`)),
      ...(!newest
        ? ['không thấy chữ ký vừa tạo']
        : [
            ...newest.problems,
            ...(newest.coversWholeFile ? [] : ['chữ ký mới không bao trùm toàn bộ tệp']),
          ].map((p) => `chữ ký ${newest.index}: ${p}`)),
    ];
    if (problems.length > 0) throw new AppError('SIGNING_NOT_VERIFIED', { reason: problems.join('; ') });
    return {
      pdf: signed,
      certificate: new crypto.X509Certificate(chain[0]!).subject.replace(/\n/g, ', '),
      timestamped: Boolean(report.signatures.at(-1)?.timestampTime),
    };
  }

  /**
   * One attempt at the document's remaining steps. Returns the document as it stands afterwards; a failure is
   * recorded on it (status failed, lastError, nextAttemptAt), not thrown, so callers show it rather than lose it.
   * `force` tries even before the next attempt is due (an officer's "ký lại").
   */
  async function attempt(unitCode: string, id: string, force = false): Promise<SignedDocument> {
    const now = clock.now();
    const leaseUntil = new Date(now.getTime() + LEASE_SECONDS * 1000);
    const [claimed] = await rows(
      db,
      sql`update signed_documents set attempts = attempts + 1, next_attempt_at = ${leaseUntil}
          where unit_code = ${unitCode} and id = ${id}::uuid and status <> 'signed'
            and (${force} or next_attempt_at is null or next_attempt_at <= ${now})
          returning *`,
    );
    if (!claimed) {
      const row = await load(unitCode, id);
      if (!row) throw new AppError('NOT_FOUND');
      return present(row);
    }
    let row = claimed;
    try {
      let layout = row.layout;
      let current: Buffer;
      if (row.current_sha256) current = await files.get(row.current_sha256);
      else if (row.source_sha256) current = await files.get(row.source_sha256);
      else {
        const render = renderers.get(row.kind);
        if (!render) throw new Error(`không có cách tạo ${row.kind}`);
        const source = await render(present(row));
        current = source.pdf;
        layout = source.layout ?? null;
        const sha = await files.put(source.pdf);
        const [rendered] = await rows(
          db,
          sql`update signed_documents set source_sha256 = ${sha}, layout = ${layout ? JSON.stringify(layout) : null}::jsonb
              where unit_code = ${unitCode} and id = ${id}::uuid returning *`,
        );
        row = rendered!;
      }
      for (let index = row.done_steps; index < row.steps.length; index++) {
        const step = row.steps[index]!;
        const identity = await keys.identityFor(step.holder);
        const signedAt = clock.now();
        const result = await signStep(current, step, identity, row, layout, signedAt);
        const sha = await files.put(result.pdf);
        const entry = {
          role: step.role,
          signer: step.holder.name,
          certificate: result.certificate,
          at: signedAt.toISOString(),
          timestamped: result.timestamped,
        };
        // Each step is recorded as soon as it verifies: a later failure keeps it, and the next try goes on from it.
        const [stepped] = await rows(
          db,
          sql`update signed_documents set done_steps = ${index + 1}, current_sha256 = ${sha},
                signatures = signatures || ${JSON.stringify([entry])}::jsonb
              where unit_code = ${unitCode} and id = ${id}::uuid and done_steps = ${index} returning *`,
        );
        if (!stepped) throw new Error('văn bản đã được một tiến trình khác ký tiếp');
        row = stepped;
        current = result.pdf;
      }
      const finished = row;
      const signedAt = clock.now();
      const done = await db.transaction(async (tx) => {
        const [updated] = await rows(
          tx,
          sql`update signed_documents set status = 'signed', signed_at = ${signedAt}, next_attempt_at = null,
                last_error = null
              where unit_code = ${unitCode} and id = ${id}::uuid returning *`,
        );
        await tx.execute(sql`insert into issued_files (sha256, unit_code, document_id, dossier_code, kind, title, issued_at)
          values (${finished.current_sha256}, ${unitCode}, ${id}::uuid, ${finished.dossier_code}, ${finished.kind},
            ${finished.title}, ${signedAt})
          on conflict (sha256) do nothing`);
        if (finished.file_id)
          await tx.execute(sql`update dossier_files set sha256 = ${finished.current_sha256},
              size_bytes = ${current.length}
            where unit_code = ${unitCode} and id = ${finished.file_id}::uuid`);
        return updated!;
      });
      return present(done);
    } catch (error) {
      const reason = reasonOf(error);
      const next = new Date(clock.now().getTime() + retryDelaySeconds(row.attempts) * 1000);
      const [failed] = await rows(
        db,
        sql`update signed_documents set status = 'failed', last_error = ${reason}, next_attempt_at = ${next}
            where unit_code = ${unitCode} and id = ${id}::uuid returning *`,
      );
      return present(failed!);
    }
  }

  // Documents signed after the caller has answered, one at a time in the order they were asked for: in the worker
  // thread where there is one (npm start), so rendering and signing never hold up this thread's requests; else in
  // this thread. A burst of intakes waits here rather than in each request. If the process stops (or the worker
  // fails) first, they stay pending and the periodic job signs them.
  const inFlight = new Map<string, Promise<unknown>>();
  let queueTail: Promise<unknown> = Promise.resolve();

  function later(unitCode: string, dossierCode: string, id: string): void {
    const key = `${unitCode}/${dossierCode}`;
    const sign = async (): Promise<unknown> =>
      deps.background ? deps.background.sign(unitCode, id) : attempt(unitCode, id);
    const run = queueTail.then(sign).catch(() => undefined);
    queueTail = run;
    inFlight.set(key, run);
    void run.then(() => {
      if (inFlight.get(key) === run) inFlight.delete(key);
    });
  }

  return {
    /**
     * Signs the document after the caller's commit without waiting for it (a receipt at intake): the response goes
     * out at once, and whoever next shows the dossier waits for it with `settled`.
     */
    later,

    /** Waits for the signings of the dossier asked for with `later` in this process (at most `timeoutMs`). */
    async settled(unitCode: string, dossierCode: string, timeoutMs = 10_000): Promise<void> {
      const run = inFlight.get(`${unitCode}/${dossierCode}`);
      if (!run) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([run, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },

    /** Waits until every signing asked for with `later` is done (a clean stop; benchmarks). */
    async idle(): Promise<void> {
      let tail: Promise<unknown>;
      do {
        tail = queueTail;
        await tail;
      } while (tail !== queueTail);
    },

    /** Registers how documents of `kind` without a stored source are rendered (the dossiers module, for Mẫu 01). */
    registerSource(kind: SignedDocumentKind, render: SourceRenderer): void {
      renderers.set(kind, render);
    },

    /** Records a document to be signed, in the caller's transaction; `attempt` signs it after the commit. */
    async enqueue(
      tx: Executor,
      input: {
        /** Chosen by the caller when the document must name itself (a result's QR code); else a new one. */
        id?: string | undefined;
        unitCode: string;
        dossierCode: string;
        kind: SignedDocumentKind;
        title: string;
        fileName: string;
        steps: SigningStep[];
        sourceSha256?: string | undefined;
        layout?: SignatureLayout | undefined;
        fileId?: string | undefined;
      },
    ): Promise<string> {
      const id = input.id ?? crypto.randomUUID();
      await tx.execute(sql`insert into signed_documents (unit_code, id, dossier_code, kind, title, file_name,
          source_sha256, layout, file_id, steps, status, created_at, next_attempt_at)
        values (${input.unitCode}, ${id}::uuid, ${input.dossierCode}, ${input.kind}, ${input.title},
          ${input.fileName}, ${input.sourceSha256 ?? null},
          ${input.layout ? JSON.stringify(input.layout) : null}::jsonb, ${input.fileId ?? null}::uuid,
          ${JSON.stringify(input.steps)}::jsonb, 'pending', ${clock.now()}, ${clock.now()})`);
      return id;
    },

    attempt,

    /** Tries every document whose next attempt is due (the periodic job); returns how many were signed. */
    async attemptDue(limit = 20): Promise<{ signed: number; failed: number }> {
      const due = await rows(
        db,
        sql`select unit_code, id from signed_documents
            where status <> 'signed' and next_attempt_at <= ${clock.now()}
            order by next_attempt_at limit ${limit}`,
      );
      let signed = 0;
      let failed = 0;
      for (const d of due) {
        // In the signing worker where there is one, like the signings after an answer: never this thread's CPU.
        if (deps.background) await deps.background.sign(d.unit_code, d.id).catch(() => undefined);
        const result = deps.background
          ? present((await load(d.unit_code, d.id))!)
          : await attempt(d.unit_code, d.id);
        if (result.status === 'signed') signed++;
        else failed++;
      }
      return { signed, failed };
    },

    async get(unitCode: string, id: string): Promise<SignedDocument | undefined> {
      const row = await load(unitCode, id);
      return row ? present(row) : undefined;
    },

    async listForDossier(unitCode: string, dossierCode: string): Promise<SignedDocument[]> {
      const found = await rows(
        db,
        sql`select * from signed_documents where unit_code = ${unitCode} and dossier_code = ${dossierCode}
            order by created_at`,
      );
      return found.map(present);
    },

    /** The signed file of a finished document. */
    async signedFile(document: SignedDocument): Promise<Buffer> {
      if (document.status !== 'signed' || !document.currentSha256) throw new AppError('NOT_FOUND');
      return files.get(document.currentSha256);
    },

    /** Which dossier xaso issued the file with this SHA-256 for (the public verification page asks). */
    async findIssued(sha256: string) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
      const [found] = await queryRows<{
        sha256: string;
        unit_code: string;
        document_id: string;
        dossier_code: string;
        kind: SignedDocumentKind;
        title: string;
        issued_at: Date;
      }>(
        db,
        sql`select sha256, unit_code, document_id, dossier_code, kind, title, issued_at
            from issued_files where sha256 = ${sha256}`,
      );
      if (!found) return null;
      return {
        sha256: found.sha256,
        unitCode: found.unit_code,
        documentId: found.document_id,
        dossierCode: found.dossier_code,
        kind: found.kind,
        title: found.title,
        issuedAt: found.issued_at,
        load: () => files.get(found.sha256),
      };
    },

    /** The signed file of a document, by the id a generated result prints in its QR code; null until signed. */
    async issuedFileOfDocument(id: string): Promise<string | null> {
      if (!/^[0-9a-f-]{36}$/.test(id)) return null;
      const result = await db.execute(
        sql`select sha256 from issued_files where document_id = ${id}::uuid limit 1`,
      );
      return (result.rows[0] as { sha256: string } | undefined)?.sha256 ?? null;
    },
  };
}

export type DocumentSigning = ReturnType<typeof createDocumentSigning>;
