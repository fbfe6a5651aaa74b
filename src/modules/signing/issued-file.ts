// A file xaso issued (a signed receipt or result of a dossier), found by the SHA-256 of its bytes: the verification
// page says "this exact file was issued by xaso for dossier …" only when the uploaded bytes hash to one of these.
export interface IssuedFile {
  sha256: string;
  dossierCode: string;
  kind: 'receipt' | 'result';
  title: string;
  unitName: string;
  issuedAt: Date;
  /** The public tracking page of the dossier, when it may be linked from here (no personal data on it). */
  trackingPath?: string | undefined;
  /** The stored bytes, for the page reached by the QR code printed on the file (GET /xac-minh/{sha256}). */
  load?: (() => Promise<Buffer>) | undefined;
}

/** Finds the file xaso issued with this SHA-256 (lower-case hex), or null. */
export type FindIssuedFile = (sha256: string) => Promise<IssuedFile | null>;

/** Until the signed-documents store answers (the lead's integration), no file is known as issued. */
export const findNoIssuedFile: FindIssuedFile = async () => null;
