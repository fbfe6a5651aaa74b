// PAdES signing of a PDF (baseline B-B, or B-T with a timestamp): xaso's own writer (placeholder.ts) appends an
// incremental update with the signature dictionary (SubFilter ETSI.CAdES.detached, /Contents left empty), its field
// and, when asked, a visible appearance; the byte range around /Contents is hashed and signed as a detached CMS
// (cms.ts), and the CMS is written into /Contents. Nothing before the update changes, so a document already signed
// keeps its earlier signatures valid.
import { AppError } from '../../platform/errors.ts';
import { PDF_FONTS, renderPdf } from '../../platform/pdf/render-pdf.ts';
import type { Content } from '../../platform/pdf/render-pdf.ts';
import type { SignatureAppearance } from './appearance.ts';
import { createDetachedCms } from './cms.ts';
import { addSignaturePlaceholder, BYTE_RANGE_PLACEHOLDER } from './placeholder.ts';
import type { KeySigner } from './signer.ts';
import type { TimestampAuthority } from './timestamp.ts';

export type { SignatureAppearance } from './appearance.ts';

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
  /** Where and how the signature shows (appearance.ts builds it by the rules of NĐ 30/2020); invisible without. */
  appearance?: SignatureAppearance | undefined;
}

/**
 * The appearance as a one-page PDF of exactly the widget's size, laid out by pdfmake so the Vietnamese text is set
 * in an embedded subset of Tinos and a transparent PNG keeps its soft mask; placeholder.ts imports the page as the
 * widget's form XObject. pdfmake measures from the top left, the appearance from the bottom left.
 */
async function renderAppearance(appearance: SignatureAppearance): Promise<Buffer> {
  const { width, height } = appearance.rect;
  const fontSize = appearance.fontSize ?? 10;
  const content: Content[] = [];
  if (appearance.image) {
    const at = appearance.imageRect ?? { x: 0, y: 0, width, height };
    content.push({
      image: `data:image/png;base64,${appearance.image.toString('base64')}`,
      width: at.width,
      height: at.height,
      absolutePosition: { x: at.x, y: height - at.y - at.height },
    });
  }
  if (appearance.lines.length > 0) {
    const lineHeight = fontSize * 1.2;
    const top = appearance.image ? Math.max(0, height - appearance.lines.length * lineHeight - 2) : 2;
    content.push({
      stack: appearance.lines.map((line) => ({ text: line })),
      absolutePosition: { x: 2, y: top },
      alignment: appearance.image ? 'center' : 'left',
      width: width - 4,
    } as Content);
  }
  return renderPdf({
    info: { title: 'Hình thể hiện chữ ký số', author: 'xaso' },
    pageSize: { width, height },
    pageMargins: [0, 0, 0, 0],
    defaultStyle: { font: PDF_FONTS.serif, fontSize, lineHeight: 1, color: 'black' },
    content,
  });
}

/** Writes the byte range and the CMS over it into the placeholder the update at `from` holds. */
async function fillSignature(
  prepared: Buffer,
  from: number,
  sign: (signedBytes: Buffer) => Promise<Buffer>,
): Promise<Buffer> {
  const rangeAt = prepared.indexOf(BYTE_RANGE_PLACEHOLDER, from, 'latin1');
  const contentsAt = prepared.indexOf('/Contents <', rangeAt, 'latin1');
  if (rangeAt < 0 || contentsAt < 0) throw new Error('the placeholder is missing');
  const start = contentsAt + '/Contents '.length;
  const end = prepared.indexOf('>', start) + 1;
  const byteRange = `/ByteRange [0 ${start} ${end} ${prepared.length - end}]`;
  const output = Buffer.from(prepared);
  output.write(byteRange.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' '), rangeAt, 'latin1');
  const cms = await sign(Buffer.concat([output.subarray(0, start), output.subarray(end)]));
  const room = end - start - 2;
  if (cms.length * 2 > room) throw new Error(`the CMS (${cms.length} bytes) does not fit the placeholder`);
  output.write(cms.toString('hex').padEnd(room, '0'), start + 1, 'latin1');
  return output;
}

export async function signPdf(pdf: Buffer, key: KeySigner, request: SignatureRequest): Promise<Buffer> {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new AppError('PDF_INVALID', { reason: 'tệp không phải PDF' });
  const appearance = request.appearance;
  const prepared = addSignaturePlaceholder(pdf, {
    name: request.name,
    reason: request.reason,
    location: request.location,
    contactInfo: request.contactInfo,
    signingTime: request.signingTime,
    signatureLength: SIGNATURE_LENGTH,
    widget: appearance && {
      page: appearance.page,
      rect: appearance.rect,
      appearancePdf: await renderAppearance(appearance),
    },
  });
  return fillSignature(prepared, pdf.length, (bytes) => createDetachedCms(bytes, key, request.tsa));
}
