// PAdES signing of a PDF (baseline B-B): a signature placeholder with SubFilter ETSI.CAdES.detached is added as an
// incremental update (@signpdf/placeholder-plain), the byte range around it is hashed and signed as a detached CMS
// (cms.ts), and the CMS is written into the placeholder (@signpdf/signpdf). Nothing before the update changes, so
// a document already signed keeps its earlier signatures valid.
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { AppError } from '../../platform/errors.ts';
import { createDetachedCms } from './cms.ts';
import type { KeySigner } from './signer.ts';
import type { TimestampAuthority } from './timestamp.ts';

/** Room for the CMS in the placeholder, in bytes: a chain of three 2048-bit certificates and a timestamp fit. */
const SIGNATURE_LENGTH = 16_384;

export interface SignatureRequest {
  /** Who signs, as the signature dictionary's /Name shows it. */
  name: string;
  /** Why ("Ký số giấy tiếp nhận hồ sơ"), /Reason. */
  reason: string;
  location: string;
  contactInfo: string;
  /** The claimed signing time (/M). */
  signingTime: Date;
  /** With a time-stamping authority the signature is PAdES B-T (a trusted time of signing); without, B-B. */
  tsa?: TimestampAuthority | undefined;
}

class CmsSigner extends Signer {
  constructor(
    private readonly key: KeySigner,
    private readonly tsa: TimestampAuthority | undefined,
  ) {
    super();
  }

  override async sign(content: Buffer): Promise<Buffer> {
    return createDetachedCms(content, this.key, this.tsa);
  }
}

export async function signPdf(pdf: Buffer, key: KeySigner, request: SignatureRequest): Promise<Buffer> {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new AppError('PDF_INVALID', { reason: 'tệp không phải PDF' });
  let prepared: Buffer;
  try {
    prepared = plainAddPlaceholder({
      pdfBuffer: pdf,
      reason: request.reason,
      contactInfo: request.contactInfo,
      name: request.name,
      location: request.location,
      signingTime: request.signingTime,
      signatureLength: SIGNATURE_LENGTH,
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
      appName: 'xaso',
    });
  } catch (error) {
    throw new AppError('PDF_INVALID', {
      reason: `không thêm được chỗ ký vào PDF (${error instanceof Error ? error.message : String(error)})`,
    });
  }
  return new SignPdf().sign(prepared, new CmsSigner(key, request.tsa), request.signingTime);
}
