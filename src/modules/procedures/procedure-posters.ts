// Printed notices for a commune centre: a wall poster for one procedure and the list of every procedure the centre
// handles, each with a QR code to the procedure's public page, where the dossier components, time and fees are
// always current. Pure: the caller passes the procedures with their texts already written in Vietnamese.
import { qrCodeNode } from '../../platform/pdf/pdf-qr.ts';
import {
  PDF_FONTS,
  renderPdf,
  renderPdfDocument,
  type Content,
  type ContentText,
  type PdfDocumentDefinition,
  type TableCell,
  type TableCellProperties,
} from '../../platform/pdf/render-pdf.ts';

export interface PosterProcedure {
  code: string;
  name: string;
  field: string;
  /** "03 ngày làm việc". */
  processingTime: string;
  /** "8.000 đồng/bản", "Miễn phí". */
  fees: string;
  /** "trực tiếp", "trực tuyến", "qua bưu chính công ích". */
  channels: string[];
}

// The catalogue (platform/i18n) holds the web's strings; these are the printed ones, Vietnamese only, in the
// words of Nghị định 118/2025 and the procedure records.
const TEXT = {
  procedureHeading: 'THỦ TỤC HÀNH CHÍNH',
  code: 'Mã thủ tục',
  field: 'Lĩnh vực',
  processingTime: 'Thời hạn giải quyết',
  fees: 'Phí, lệ phí',
  channels: 'Cách nộp',
  scanHint: 'Quét mã QR để xem thành phần hồ sơ, thời hạn và lệ phí',
  notStated: 'Xem chi tiết qua mã QR',
  shortened: 'xem đầy đủ qua mã QR',
  posterSubject: 'Thông tin thủ tục hành chính',
  sheetSubject: (unitCode: string) => `Danh mục thủ tục hành chính, mã đơn vị hành chính ${unitCode}`,
  sheetTitle: (centre: string) => `Danh mục thủ tục hành chính tại ${centre}`,
  sheetSubtitle: (unitCode: string, count: number) =>
    `Mã đơn vị hành chính: ${unitCode} · ${count} thủ tục · Quét mã QR ở mỗi dòng để xem thành phần hồ sơ, thời hạn và lệ phí`,
  columns: ['STT', 'Tên thủ tục hành chính', 'Mã thủ tục', 'Thời hạn giải quyết', 'Phí, lệ phí', 'Mã QR'],
  page: (current: number, total: number) => `Trang ${current}/${total}`,
  author: (centre: string | undefined) => centre ?? 'Trung tâm Phục vụ hành chính công',
};

const INK = '#1a1a1a';
const ACCENT = '#12366b';
const MUTED = '#555555';

/** The public page of a procedure, the address every QR code on these notices carries. */
export function procedurePublicUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/thu-tuc/${encodeURIComponent(code)}`;
}

/** One A4 page for the wall: the procedure in large type and a QR code big enough to scan from a step away. */
export async function renderProcedurePoster(
  input: PosterProcedure,
  options: { publicUrl: string; centreName?: string; createdAt?: Date },
): Promise<Buffer> {
  // A long name or fee text is set smaller until the poster fits on one page; past that the texts are cut short,
  // since the QR code leads to the full record anyway.
  for (const scale of [1, 0.9, 0.8, 0.7, 0.6, 0.5]) {
    const rendered = await renderPdfDocument(posterDefinition(input, options, scale));
    if (rendered.pageCount <= 1) return rendered.buffer;
  }
  const shortened = {
    ...input,
    name: shorten(input.name, 250),
    processingTime: shorten(input.processingTime, 400),
    fees: shorten(input.fees, 400),
  };
  return renderPdf(posterDefinition(shortened, options, 0.5));
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length).trimEnd()}… (${TEXT.shortened})`;
}

function posterDefinition(
  input: PosterProcedure,
  options: { publicUrl: string; centreName?: string; createdAt?: Date },
  scale: number,
): PdfDocumentDefinition {
  const url = procedurePublicUrl(options.publicUrl, input.code);
  const size = (points: number) => Math.round(points * scale * 10) / 10;
  const nameSize = size(input.name.length <= 40 ? 34 : input.name.length <= 90 ? 28 : 23);
  const fact = (label: string, value: string): Content => ({
    text: [{ text: `${label}: `, bold: true, color: ACCENT }, { text: value.trim() || TEXT.notStated }],
    fontSize: size(16),
    margin: [0, size(3), 0, size(3)],
  });
  const content: Content[] = [];
  if (options.centreName) {
    content.push(
      {
        text: options.centreName.toLocaleUpperCase('vi'),
        bold: true,
        fontSize: size(13),
        color: ACCENT,
        alignment: 'center',
      },
      rule(499, size(6), size(14)),
    );
  }
  content.push(
    {
      text: TEXT.procedureHeading,
      fontSize: size(12),
      characterSpacing: 2,
      color: MUTED,
      alignment: 'center',
      margin: [0, 0, 0, size(6)],
    },
    { text: input.name, bold: true, fontSize: nameSize, lineHeight: 1.1, alignment: 'center', color: INK },
    {
      text: [
        { text: `${TEXT.code}: `, color: MUTED },
        { text: input.code, bold: true },
        { text: `   ·   ${TEXT.field}: `, color: MUTED },
        { text: input.field },
      ],
      fontSize: size(13),
      alignment: 'center',
      margin: [0, size(10), 0, size(16)],
    },
    {
      table: {
        widths: ['*'],
        body: [
          [
            {
              stack: [
                fact(TEXT.processingTime, input.processingTime),
                fact(TEXT.fees, input.fees),
                fact(TEXT.channels, input.channels.join(', ')),
              ],
              margin: [size(10), size(8), size(10), size(8)],
            },
          ],
        ],
      },
      layout: {
        fillColor: () => '#f1f4f9',
        hLineColor: () => ACCENT,
        vLineColor: () => ACCENT,
        hLineWidth: () => 0,
        vLineWidth: (index) => (index === 0 ? 4 : 0),
      },
    },
    qrCodeNode(url, {
      size: size(250),
      errorCorrection: 'Q',
      alignment: 'center',
      margin: [0, size(24), 0, size(4)],
    }),
    { text: url, fontSize: size(12), alignment: 'center', color: MUTED },
    {
      text: TEXT.scanHint,
      bold: true,
      fontSize: size(15),
      alignment: 'center',
      color: ACCENT,
      margin: [0, size(10), 0, 0],
    },
  );
  return {
    pageMargins: [48, 48, 48, 40],
    info: {
      title: `${input.name} (${input.code})`,
      author: TEXT.author(options.centreName),
      subject: TEXT.posterSubject,
      ...(options.createdAt ? { creationDate: options.createdAt } : {}),
    },
    defaultStyle: { font: PDF_FONTS.sans },
    content,
  };
}

/** Every procedure of a centre, one table row each with a small QR code; A4 pages numbered "Trang x/y". */
export async function renderCentreSheet(
  input: { centreName: string; unitCode: string; procedures: PosterProcedure[] },
  options: { publicUrl: string; createdAt?: Date },
): Promise<Buffer> {
  const cell = (text: string, extra: Partial<ContentText & TableCellProperties> = {}): TableCell => ({
    text,
    verticalAlignment: 'middle',
    ...extra,
  });
  const header = TEXT.columns.map((label) =>
    cell(label, { bold: true, alignment: 'center', fontSize: 9.5, fillColor: '#e6ecf5' }),
  );
  const rows = input.procedures.map((procedure, index): TableCell[] => [
    cell(String(index + 1), { alignment: 'center' }),
    {
      stack: [
        { text: procedure.name, bold: true },
        { text: procedure.field, italics: true, fontSize: 8.5, color: MUTED },
      ],
      verticalAlignment: 'middle' as const,
    },
    // Codes such as 1.001193.000.00.00.H12 have no break opportunity: a smaller size keeps them on one line.
    cell(procedure.code, { fontSize: 8, alignment: 'center' }),
    cell(procedure.processingTime || TEXT.notStated),
    cell(procedure.fees || TEXT.notStated),
    qrCodeNode(procedurePublicUrl(options.publicUrl, procedure.code), {
      size: QR_CELL_SIZE,
      quietZone: 2,
      alignment: 'center',
    }),
  ]);
  const gridColor = '#8a8a8a';
  return renderPdf({
    pageMargins: [34, 36, 34, 44],
    info: {
      title: TEXT.sheetTitle(input.centreName),
      author: input.centreName,
      subject: TEXT.sheetSubject(input.unitCode),
      ...(options.createdAt ? { creationDate: options.createdAt } : {}),
    },
    defaultStyle: { font: PDF_FONTS.serif, fontSize: 10, lineHeight: 1.1, color: INK },
    content: [
      {
        text: input.centreName.toLocaleUpperCase('vi'),
        bold: true,
        fontSize: 12,
        alignment: 'center',
        color: ACCENT,
      },
      rule(527, 4, 10),
      { text: TEXT.sheetTitle(input.centreName), bold: true, fontSize: 15, alignment: 'center' },
      {
        text: TEXT.sheetSubtitle(input.unitCode, input.procedures.length),
        italics: true,
        fontSize: 10,
        alignment: 'center',
        color: MUTED,
        margin: [0, 4, 0, 10],
      },
      {
        table: {
          headerRows: 1,
          dontBreakRows: true,
          widths: [20, '*', 80, 78, 78, QR_CELL_SIZE + 6],
          body: [header, ...rows],
        },
        layout: {
          hLineWidth: () => 0.5,
          vLineWidth: () => 0.5,
          hLineColor: () => gridColor,
          vLineColor: () => gridColor,
          paddingLeft: () => 3,
          paddingRight: () => 3,
          paddingTop: () => 3,
          paddingBottom: () => 3,
        },
      },
    ],
    footer: (currentPage, pageCount) => ({
      columns: [
        { text: `${input.centreName} · ${options.publicUrl.replace(/\/+$/, '')}`, color: MUTED },
        { text: TEXT.page(currentPage, pageCount), alignment: 'right', width: 'auto' },
      ],
      fontSize: 9,
      margin: [34, 14, 34, 0],
    }),
  });
}

/**
 * 52 pt (18 mm) with a 2-module quiet zone (the cell padding adds more): modules of about 0.4 mm for a version 4
 * or 5 code, which a phone reads at arm's length and pdftoppm at 150 dpi still resolves.
 */
const QR_CELL_SIZE = 52;

function rule(width: number, above: number, below: number): Content {
  return {
    canvas: [{ type: 'line', x1: 0, y1: 0, x2: width, y2: 0, lineWidth: 0.8, lineColor: ACCENT }],
    margin: [0, above, 0, below],
  };
}
