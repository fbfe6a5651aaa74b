// Verifying a PDF for anyone: the province's trust anchors, the verifier, and whether xaso issued this exact file.
import type { Clock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import type { FindIssuedFile, IssuedFile } from './issued-file.ts';
import type { TrustService } from './trust.service.ts';
import { verifyPdfSignatures, type VerificationReport } from './verify.ts';

export interface VerificationResult {
  report: VerificationReport;
  issuedFile: IssuedFile | null;
}

export function createVerificationService(deps: {
  trust: TrustService;
  clock: Clock;
  findIssuedFile: FindIssuedFile;
  maxUploadBytes: number;
}) {
  const limit = Math.round(deps.maxUploadBytes / 1024 / 1024);

  async function verify(pdf: Buffer): Promise<VerificationResult> {
    const report = verifyPdfSignatures(pdf, await deps.trust.anchors(), deps.clock.now());
    return { report, issuedFile: await deps.findIssuedFile(report.sha256) };
  }

  return {
    /**
     * Verifies an uploaded file. Too large → PDF_TOO_LARGE; not a PDF or encrypted → PDF_INVALID with the
     * verifier's Vietnamese reason; anything else (damaged, unsigned, crafted) is a report with its problems.
     */
    async verifyUpload(pdf: Buffer): Promise<VerificationResult> {
      if (pdf.length > deps.maxUploadBytes) throw new AppError('PDF_TOO_LARGE', { limit });
      if (pdf.length === 0) throw new AppError('PDF_INVALID', { reason: 'tệp rỗng' });
      const result = await verify(pdf);
      if (!result.report.isPdf || result.report.isEncrypted) {
        const reason = result.report.problems[0] ?? 'tệp không đọc được';
        throw new AppError('PDF_INVALID', {
          reason: reason.charAt(0).toLowerCase() + reason.slice(1).replace(/\.$/, ''),
          sentence: reason,
        });
      }
      return result;
    },

    /** The stored bytes of the file xaso issued under this SHA-256, for download; null when unknown. */
    async issuedFileBytes(sha256: string): Promise<{ issuedFile: IssuedFile; bytes: Buffer } | null> {
      const issuedFile = await deps.findIssuedFile(sha256);
      return issuedFile?.load ? { issuedFile, bytes: await issuedFile.load() } : null;
    },

    /**
     * The file xaso issued under this SHA-256 (the QR code printed on it leads here), verified from the stored
     * bytes when the lookup can load them; null when unknown.
     */
    async verifyIssued(
      sha256: string,
    ): Promise<{ issuedFile: IssuedFile; report: VerificationReport | null; bytes: Buffer | null } | null> {
      const issuedFile = await deps.findIssuedFile(sha256);
      if (!issuedFile) return null;
      if (!issuedFile.load) return { issuedFile, report: null, bytes: null };
      const bytes = await issuedFile.load();
      const report = verifyPdfSignatures(bytes, await deps.trust.anchors(), deps.clock.now());
      return { issuedFile, report, bytes };
    },
  };
}

export type VerificationService = ReturnType<typeof createVerificationService>;
