// What the province trusts when a signature is verified: root certificates of the certification service providers
// (tổ chức cung cấp dịch vụ chứng thực; for public-service signatures the root of Ban Cơ yếu Chính phủ, NĐ 68/2024,
// DOMAIN §11) and the certificate revocation lists (CRL) of the authorities under them. Province administrators
// (signing.manage at the province) add and remove roots and upload CRLs; each change is audited in its transaction.
//
// A CRL is accepted only when its signature verifies with a trusted root, or with an intermediate CA certificate
// uploaded beside it that a trusted root issued (a sub-CA's CRL is signed by the sub-CA, not the root). The verifier
// then uses, per issuer, the newest CRL and only when it verifies against the certificate's actual issuer, so a CRL
// can never revoke what its signer did not issue.
import crypto from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { IdentityService, Principal, RequestInfo } from '../identity/index.ts';
import { sha256Hex } from '../../platform/storage/file-store.ts';
import { parseCertificate } from './der.ts';
import * as repo from './trust.repo.ts';
import { distinguishedName, isCaCertificate, isCrlSignedBy, parseCrl, type TrustAnchors } from './verify.ts';

export interface TrustedRootView {
  id: string;
  name: string;
  subject: string;
  sha256: string;
  notBefore: Date;
  notAfter: Date;
  addedAt: Date;
}

export interface CrlView {
  id: string;
  sha256: string;
  issuerName: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
  revokedCount: number;
  addedAt: Date;
}

/** A root certificate file is small; anything larger is not one. */
const MAX_CERTIFICATE_BYTES = 64 * 1024;

/** How long `anchors()` is reused: another app server sees a change within this time; this one at once. */
const ANCHORS_TTL_MS = 60_000;

function invalid(field: string, key: string, params?: Record<string, string>): never {
  throw new AppError('VALIDATION_FAILED', { fields: [{ field, key, params: { field, ...params } }] });
}

/** A PEM block's bytes (the first of `label`), or the bytes themselves when they are not PEM. */
function derOf(bytes: Buffer, label: 'CERTIFICATE' | 'X509 CRL'): Buffer {
  const text = bytes.subarray(0, 4 * 1024 * 1024).toString('latin1');
  const pem = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(text);
  return pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : bytes;
}

function readCertificate(bytes: Buffer): crypto.X509Certificate | null {
  if (bytes.length === 0 || bytes.length > MAX_CERTIFICATE_BYTES) return null;
  try {
    return new crypto.X509Certificate(derOf(bytes, 'CERTIFICATE'));
  } catch {
    return null;
  }
}

function subjectOf(certificate: crypto.X509Certificate): string {
  try {
    return distinguishedName(parseCertificate(certificate.raw).subject);
  } catch {
    return certificate.subject.split('\n').reverse().join(', ');
  }
}

function rootView(row: repo.TrustedRootRow): TrustedRootView {
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    sha256: row.sha256,
    notBefore: row.not_before,
    notAfter: row.not_after,
    addedAt: row.added_at,
  };
}

function crlView(row: repo.CrlRow): CrlView {
  return {
    id: row.id,
    sha256: row.sha256,
    issuerName: row.issuer_name,
    thisUpdate: row.this_update,
    nextUpdate: row.next_update,
    revokedCount: row.revoked_count,
    addedAt: row.added_at,
  };
}

export function createTrustService(deps: {
  db: Db;
  clock: Clock;
  identity: IdentityService;
  adminUnits: AdminUnitsService;
  provinceCode: string;
}) {
  const { db, clock } = deps;
  let cached: { at: number; anchors: Promise<Required<TrustAnchors> & { intermediates: Buffer[] }> } | null =
    null;

  async function assertManager(actor: Principal, info: RequestInfo) {
    await deps.identity.assertCan(
      actor,
      'signing.manage',
      await deps.adminUnits.getUnit(deps.provinceCode),
      info,
    );
  }

  async function loadAnchors() {
    const [roots, crls] = await Promise.all([repo.listActiveRoots(db), repo.newestCrlsByIssuer(db)]);
    const rootShas = new Set(roots.map((r) => r.sha256));
    return {
      roots: roots.map((r) => r.certificate),
      crls: crls.map((c) => c.der),
      // Intermediates a CRL was checked with, offered to the verifier for signatures that do not carry them.
      intermediates: crls.map((c) => c.issuer_certificate).filter((der) => !rootShas.has(sha256Hex(der))),
    };
  }

  return {
    /** The administrators' view: the active roots and every CRL. */
    async overview(
      actor: Principal,
      info: RequestInfo,
    ): Promise<{ roots: TrustedRootView[]; crls: CrlView[] }> {
      await assertManager(actor, info);
      const [roots, crls] = await Promise.all([repo.listActiveRoots(db), repo.listCrls(db)]);
      return { roots: roots.map(rootView), crls: crls.map(crlView) };
    },

    async getRoot(actor: Principal, id: string, info: RequestInfo): Promise<TrustedRootView> {
      await assertManager(actor, info);
      const row = (await repo.listActiveRoots(db)).find((r) => r.id === id);
      if (!row) throw new AppError('TRUSTED_ROOT_NOT_FOUND');
      return rootView(row);
    },

    /**
     * The roots and CRLs for the verifier. Read once a minute at most; a change made through this service is seen
     * at once here.
     */
    anchors(): Promise<Required<TrustAnchors> & { intermediates: Buffer[] }> {
      const now = Date.now();
      if (!cached || now - cached.at > ANCHORS_TTL_MS) {
        const anchors = loadAnchors();
        cached = { at: now, anchors };
        anchors.catch(() => {
          cached = null;
        });
      }
      return cached.anchors;
    },

    /** Adds a root certificate (PEM or DER). Refuses a file that is not a certificate, a non-CA, a duplicate. */
    async addRoot(
      actor: Principal,
      input: { name: string; file: Buffer | undefined },
      info: RequestInfo,
    ): Promise<TrustedRootView> {
      await assertManager(actor, info);
      const name = input.name.trim();
      if (!input.file || input.file.length === 0) invalid('certificate', 'trust.v.file');
      const certificate = readCertificate(input.file);
      if (!certificate) invalid('certificate', 'trust.v.unreadable');
      if (!isCaCertificate(certificate)) invalid('certificate', 'trust.v.notCa');
      const der = certificate.raw;
      const sha256 = sha256Hex(der);
      const subject = subjectOf(certificate);
      const label = (name || subject).slice(0, 200);
      if (name.length > 200) invalid('name', 'trust.v.name');
      return db.transaction(async (tx) => {
        if (await repo.findActiveRootBySha256(tx, sha256))
          invalid('certificate', 'trust.v.duplicate', { sha256 });
        const row = {
          id: crypto.randomUUID(),
          name: label,
          certificate: der,
          sha256,
          subject,
          notBefore: new Date(certificate.validFrom),
          notAfter: new Date(certificate.validTo),
          addedAt: clock.now(),
          addedBy: actor.userId,
        };
        await repo.insertRoot(tx, row);
        await appendAudit(tx, clock, {
          actorId: actor.userId,
          actorName: actor.username,
          unitCode: deps.provinceCode,
          action: 'trust.root.added',
          targetType: 'trusted_root',
          targetId: row.id,
          details: { name: label, subject, sha256, notAfter: row.notAfter.toISOString() },
          requestId: info.requestId,
        });
        cached = null;
        return {
          id: row.id,
          name: label,
          subject,
          sha256,
          notBefore: row.notBefore,
          notAfter: row.notAfter,
          addedAt: row.addedAt,
        };
      });
    },

    /** Stops trusting a root (the row is kept, marked removed). */
    async removeRoot(actor: Principal, id: string, info: RequestInfo): Promise<TrustedRootView> {
      await assertManager(actor, info);
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('TRUSTED_ROOT_NOT_FOUND');
      return db.transaction(async (tx) => {
        const row = await repo.markRootRemoved(tx, id, clock.now(), actor.userId);
        if (!row) throw new AppError('TRUSTED_ROOT_NOT_FOUND');
        await appendAudit(tx, clock, {
          actorId: actor.userId,
          actorName: actor.username,
          unitCode: deps.provinceCode,
          action: 'trust.root.removed',
          targetType: 'trusted_root',
          targetId: row.id,
          details: { name: row.name, subject: row.subject, sha256: row.sha256 },
          requestId: info.requestId,
        });
        cached = null;
        return rootView(row);
      });
    },

    /**
     * Adds a CRL (DER or PEM). Its signature must verify with a trusted root, or with `issuerCertificate`: an
     * intermediate CA certificate issued by a trusted root.
     */
    async addCrl(
      actor: Principal,
      input: { file: Buffer | undefined; issuerCertificate?: Buffer | undefined },
      info: RequestInfo,
    ): Promise<CrlView> {
      await assertManager(actor, info);
      if (!input.file || input.file.length === 0) invalid('crl', 'trust.v.crlFile');
      const der = derOf(input.file, 'X509 CRL');
      let parsed: ReturnType<typeof parseCrl>;
      try {
        parsed = parseCrl(der);
      } catch {
        invalid('crl', 'trust.v.crlUnreadable');
      }
      const roots = (await repo.listActiveRoots(db)).map((r) => new crypto.X509Certificate(r.certificate));
      let signer = roots.find((root) => isCrlSignedBy(parsed.crl, root));
      if (!signer && input.issuerCertificate && input.issuerCertificate.length > 0) {
        const intermediate = readCertificate(input.issuerCertificate);
        if (!intermediate || !isCaCertificate(intermediate))
          invalid('issuerCertificate', 'trust.v.issuerUnreadable');
        const issuedByRoot = roots.some(
          (root) => intermediate.checkIssued(root) && intermediate.verify(root.publicKey),
        );
        if (!issuedByRoot) invalid('issuerCertificate', 'trust.v.issuerUntrusted');
        if (isCrlSignedBy(parsed.crl, intermediate)) signer = intermediate;
      }
      if (!signer) invalid('crl', 'trust.v.crlSignature');
      const sha256 = sha256Hex(der);
      const issuerDer = signer.raw;
      return db.transaction(async (tx) => {
        if (await repo.crlExists(tx, sha256)) invalid('crl', 'trust.v.crlDuplicate');
        const row = {
          id: crypto.randomUUID(),
          sha256,
          issuerName: parsed.issuer,
          issuerSha256: sha256Hex(issuerDer),
          issuerCertificate: issuerDer,
          der,
          thisUpdate: parsed.thisUpdate,
          nextUpdate: parsed.nextUpdate,
          revokedCount: parsed.crl.revokedCertificates?.length ?? 0,
          addedAt: clock.now(),
          addedBy: actor.userId,
        };
        await repo.insertCrl(tx, row);
        await appendAudit(tx, clock, {
          actorId: actor.userId,
          actorName: actor.username,
          unitCode: deps.provinceCode,
          action: 'trust.crl.added',
          targetType: 'certificate_revocation_list',
          targetId: row.id,
          details: {
            issuer: row.issuerName,
            sha256,
            thisUpdate: row.thisUpdate.toISOString(),
            revokedCount: row.revokedCount,
          },
          requestId: info.requestId,
        });
        cached = null;
        return {
          id: row.id,
          sha256,
          issuerName: row.issuerName,
          thisUpdate: row.thisUpdate,
          nextUpdate: row.nextUpdate,
          revokedCount: row.revokedCount,
          addedAt: row.addedAt,
        };
      });
    },
  };
}

export type TrustService = ReturnType<typeof createTrustService>;
