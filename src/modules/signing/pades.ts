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

/**
 * A text of the signature dictionary (/Name, /Reason, /Location, /ContactInfo), written without diacritics:
 * @signpdf/placeholder-plain 3.3 encodes a non-ASCII string as the UTF-8 bytes of its UTF-16 form, which no reader
 * decodes. These entries are informative; the signer's legal name is the certificate's, which readers show from it
 * (pdfsig, our verifier) with its diacritics. Revisit with a placeholder writer that emits PDF text strings.
 */
function pdfText(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '?');
}

export async function signPdf(pdf: Buffer, key: KeySigner, request: SignatureRequest): Promise<Buffer> {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new AppError('PDF_INVALID', { reason: 'tệp không phải PDF' });
  let prepared: Buffer;
  try {
    prepared = plainAddPlaceholder({
      pdfBuffer: pdf,
      reason: pdfText(request.reason),
      contactInfo: pdfText(request.contactInfo),
      name: pdfText(request.name),
      location: pdfText(request.location),
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
