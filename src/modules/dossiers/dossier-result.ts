// A result document generated from the officer's text when no file is uploaded: the agency's header, the national
// title, the title and content of the result, the dossier it answers, and a QR code to check its signatures.
// Unsigned here; the digital signatures of the approving leader and of the agency are drawn into the signature
// space by the signing module, which shows the result as signed only once both exist and verify.
import { formatVietnamDateTime } from '../../platform/clock.ts';
import { qrCodeNode } from '../../platform/pdf/pdf-qr.ts';
import {
  PDF_FONTS,
  keptTogether,
  renderPdf,
  renderPdfDocument,
  spaceAboveAnchor,
  type Content,
} from '../../platform/pdf/render-pdf.ts';
import type { FormAgency } from './dossier-form-data.ts';

export interface ResultDocumentInput {
  agency: FormAgency;
  dossierCode: string;
  procedureName: string;
  applicantName: string;
  title: string;
  content: string;
  issuedAt: Date;
  /** Who signs for the agency: the leader who approved. */
  signedBy: string;
  /** The public verification page of this document, printed as a QR code. */
  verifyUrl: string;
}

/** A rectangle of a page in PDF points from the bottom left; page 0-based. */
export interface PageRect {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

const MM = 72 / 25.4;
/** Room for the leader's signature and the seal over it, above the name. */
const SIGNATURE_SPACE = 64;

/** The issuing body on the left, the national title and motto on the right (Nghị định 30/2020 Phụ lục I). */
function agencyHeader(agency: FormAgency): Content {
  return {
    columns: [
      {
        width: '45%',
        stack: [
          { text: agency.committeeName.toLocaleUpperCase('vi'), alignment: 'center' },
          { text: agency.centreName.toLocaleUpperCase('vi'), bold: true, alignment: 'center' },
        ],
        fontSize: 12,
      },
      {
        width: '55%',
        stack: [
          { text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', bold: true, alignment: 'center', fontSize: 12 },
          { text: 'Độc lập - Tự do - Hạnh phúc', bold: true, alignment: 'center', fontSize: 13 },
        ],
      },
    ],
  };
}

export async function renderResultDocument(
  input: ResultDocumentInput,
): Promise<{ pdf: Buffer; signatureSpace?: PageRect }> {
  const [time, date] = formatVietnamDateTime(input.issuedAt).split(' ') as [string, string];
  const [day, month, year] = date.split('/');
  const header = agencyHeader(input.agency);
  const rendered = await renderPdfDocument({
    info: {
      title: `${input.title} (hồ sơ ${input.dossierCode})`,
      author: input.agency.centreName,
      subject: input.procedureName,
    },
    pageMargins: [30 * MM, 20 * MM, 15 * MM, 20 * MM],
    defaultStyle: { font: PDF_FONTS.serif, fontSize: 13 },
    content: [
      header,
      {
        text: `${input.agency.placeName}, ngày ${day} tháng ${month} năm ${year}`,
        italics: true,
        alignment: 'right',
        margin: [0, 12, 0, 18],
      },
      { text: input.title.toLocaleUpperCase('vi'), bold: true, fontSize: 14, alignment: 'center' },
      {
        text: `Mã hồ sơ: ${input.dossierCode} · Thủ tục: ${input.procedureName}`,
        alignment: 'center',
        margin: [0, 4, 0, 14],
        fontSize: 12,
      },
      { text: `Người nộp hồ sơ: ${input.applicantName}`, margin: [0, 0, 0, 8] },
      ...input.content.split(/\r?\n/).map((line) => ({ text: line, margin: [0, 0, 0, 4] }) as Content),
      keptTogether(
        {
          columns: [
            {
              width: '50%',
              stack: [
                qrCodeNode(input.verifyUrl, { size: 64, errorCorrection: 'M', alignment: 'left' }),
                { text: 'Quét mã để kiểm tra chữ ký số', italics: true, fontSize: 10 },
              ],
            },
            {
              width: '50%',
              stack: [
                {
                  text: `TM. ${input.agency.committeeName.toLocaleUpperCase('vi')}`,
                  bold: true,
                  alignment: 'center',
                },
                {
                  text: `(Ban hành lúc ${time} ngày ${date})`,
                  italics: true,
                  alignment: 'center',
                  fontSize: 11,
                },
                {
                  text: input.signedBy,
                  bold: true,
                  alignment: 'center',
                  margin: [0, SIGNATURE_SPACE, 0, 0],
                  id: 'anchor:signer',
                },
              ],
            },
          ],
          margin: [0, 24, 0, 0],
        },
        'signature',
      ),
    ],
  });
  const signatureSpace = spaceAboveAnchor(rendered, 'anchor:signer', SIGNATURE_SPACE);
  return signatureSpace ? { pdf: rendered.buffer, signatureSpace } : { pdf: rendered.buffer };
}

export interface SubmissionReceiptInput {
  agency: FormAgency;
  dossierCode: string;
  procedureName: string;
  applicant: { name: string; idNumber: string; address: string; phone: string; email: string };
  filedAt: Date;
  components: { name: string; files: string[] }[];
  trackingUrl: string;
  trackingSecret: string;
}

/**
 * Phiếu nộp hồ sơ trực tuyến: the applicant's proof of what was filed and when. Not the receipt of Mẫu 01, which
 * the desk issues on acceptance, when the deadline starts.
 */
export async function renderSubmissionReceipt(input: SubmissionReceiptInput): Promise<Buffer> {
  const { qrCodeNode } = await import('../../platform/pdf/pdf-qr.ts');
  const filed = formatVietnamDateTime(input.filedAt);
  return renderPdf({
    info: {
      title: `Phiếu nộp hồ sơ trực tuyến (mã hồ sơ ${input.dossierCode})`,
      author: input.agency.centreName,
      subject: input.procedureName,
    },
    pageMargins: [30 * MM, 20 * MM, 15 * MM, 20 * MM],
    defaultStyle: { font: PDF_FONTS.serif, fontSize: 13 },
    content: [
      agencyHeader(input.agency),
      {
        text: 'PHIẾU NỘP HỒ SƠ TRỰC TUYẾN',
        bold: true,
        fontSize: 14,
        alignment: 'center',
        margin: [0, 24, 0, 4],
      },
      { text: `Mã hồ sơ: ${input.dossierCode}`, alignment: 'center', bold: true, margin: [0, 0, 0, 14] },
      { text: `Thủ tục hành chính: ${input.procedureName}` },
      { text: `Người nộp: ${input.applicant.name} · Số định danh cá nhân: ${input.applicant.idNumber}` },
      { text: `Địa chỉ: ${input.applicant.address} · Điện thoại: ${input.applicant.phone || '—'}` },
      { text: `Nộp lúc: ${filed} · Nơi tiếp nhận: ${input.agency.centreName}`, margin: [0, 0, 0, 8] },
      { text: 'Giấy tờ đã nộp:', bold: true },
      {
        ul: input.components.map((c) => `${c.name}: ${c.files.length ? c.files.join(', ') : 'không nộp'}`),
        margin: [0, 0, 0, 8],
      },
      {
        text:
          'Hồ sơ sẽ được cán bộ tiếp nhận kiểm tra. Nếu hồ sơ đầy đủ, hợp lệ, cán bộ tiếp nhận và gửi Giấy tiếp nhận ' +
          'hồ sơ và hẹn trả kết quả; thời hạn giải quyết tính từ lúc tiếp nhận. Nếu cần bổ sung, bạn sẽ được báo ' +
          'những giấy tờ cần bổ sung.',
        margin: [0, 0, 0, 10],
      },
      {
        columns: [
          qrCodeNode(input.trackingUrl, { size: 90 }),
          {
            stack: [
              { text: 'Quét mã QR để tra cứu tình trạng hồ sơ', margin: [0, 20, 0, 4] },
              { text: `Mã tra cứu: ${input.trackingSecret}`, bold: true },
            ],
            margin: [10, 0, 0, 0],
          },
        ],
      },
    ],
  });
}
