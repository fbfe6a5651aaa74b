// The legal forms of the one-stop shop (Thông tư 03/2025/TT-VPCP Phụ lục I, Mẫu 01–07) as A4 PDFs, and the
// register (Mẫu 07) also as a workbook. Pure: the caller passes the data of dossier-form-data.ts, already in
// Vietnamese; nothing here reads the database or the clock.
//
// Layout follows Nghị định 30/2020/NĐ-CP Phụ lục I: Times-compatible face (Tinos) at 13 pt, margins left 30 mm,
// right 15 mm, top and bottom 20 mm; the issuing body top left and the national title and motto top right, each
// with a short rule under it; the place-and-date line in italics under the motto; page numbers top centre from
// page 2 on.
import type { Column } from 'pdfmake/interfaces.js';
import { formatVietnamDateTime } from '../../platform/clock.ts';
import { qrCodeNode } from '../../platform/pdf/pdf-qr.ts';
import {
  PDF_FONTS,
  renderPdf,
  renderPdfDocument,
  spaceAboveAnchor,
  keptTogether,
  type Content,
  type ContentText,
  type PdfDocumentDefinition,
  type TableCell,
  type TableCellProperties,
} from '../../platform/pdf/render-pdf.ts';
import type {
  ApologyForm,
  ControlSlipForm,
  DossierFormBase,
  FormAgency,
  FormPerson,
  HandOffResult,
  ReceiptForm,
  RefusalForm,
  RegisterForm,
  RegisterRow,
  StopNoticeForm,
  SupplementRequestForm,
} from './dossier-form-data.ts';

/** Trước hạn / Đúng hạn / Quá hạn: the words of Mẫu 06 for a step finished before, on or after its due time. */
export const HAND_OFF_LABELS: Record<HandOffResult, string> = {
  early: 'Trước hạn',
  on_time: 'Đúng hạn',
  late: 'Quá hạn',
};

const NOT_GIVEN = '—';

// Printed strings, Vietnamese only, in the words of Thông tư 03/2025/TT-VPCP and Nghị định 118/2025/NĐ-CP (the web's
// strings are in platform/i18n).
const TEXT = {
  nationalTitle: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  motto: 'Độc lập - Tự do - Hạnh phúc',
  number: (number: string) => `Số: ${number}`,
  dossierCode: 'Mã hồ sơ',
  honorific: 'ông/bà',
  signHint: '(Ký và ghi rõ họ tên)',
  signAndSealHint: '(Ký, ghi rõ họ tên và đóng dấu)',
  recipients: 'Nơi nhận:',
  asAbove: '- Như trên;',
  archive: '- Lưu: VT, hồ sơ.',
  scanHint: 'Quét mã QR để tra cứu tình trạng hồ sơ',
  trackingSecret: (secret: string) => `Mã tra cứu: ${secret}`,
  page: (current: number, total: number) => `Trang ${current}/${total}`,
  person: {
    name: 'Tên tổ chức, cá nhân',
    idNumber: 'Số định danh cá nhân/tổ chức',
    address: 'Địa chỉ',
    phone: 'Số điện thoại',
    email: 'Email',
    representative: 'Người nộp hồ sơ theo ủy quyền',
    authorisation: 'Văn bản ủy quyền',
  },
  procedure: 'Thủ tục hành chính',
  procedureCode: 'mã thủ tục',
  request: 'Nội dung yêu cầu giải quyết',
  receivedAt: 'Thời gian nhận hồ sơ',
  receipt: {
    title: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
    name: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
    receivedFrom: (centre: string) => `${centre} tiếp nhận hồ sơ của:`,
    components: 'Thành phần hồ sơ nộp gồm:',
    componentColumns: ['STT', 'Tên giấy tờ', 'Bản chính', 'Bản sao', 'Đã số hóa'],
    digitised: 'Có',
    notDigitised: 'Không',
    noComponents: 'Không có giấy tờ kèm theo.',
    setsCount: (count: number) => `Số lượng hồ sơ: ${pad2(count)} bộ`,
    processingTime: 'Thời gian giải quyết hồ sơ theo quy định là',
    dueAt: 'Thời gian trả kết quả giải quyết hồ sơ',
    noDueAt: 'không áp dụng thời hạn (cơ quan giải quyết sẽ thông báo khi có kết quả)',
    returnPlace: 'Đăng ký nhận kết quả tại',
    register: (book: string, number: number) =>
      `Vào Sổ theo dõi hồ sơ, ${bookLabel(book)}, Số thứ tự: ${number}`,
    applicantSigns: 'NGƯỜI NỘP HỒ SƠ',
    receiverSigns: 'NGƯỜI TIẾP NHẬN HỒ SƠ',
  },
  supplement: {
    title: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
    name: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
    dossierOf: 'Hồ sơ của',
    received: (at: string, centre: string) => `Lúc ${at}, ${centre} đã tiếp nhận hồ sơ nêu trên.`,
    atReception:
      'Qua kiểm tra, hồ sơ chưa đầy đủ, hợp lệ. Đề nghị ông/bà hoàn thiện hồ sơ với các nội dung sau:',
    whileProcessing:
      'Trong quá trình giải quyết, hồ sơ cần được bổ sung. Đề nghị ông/bà bổ sung hồ sơ với các nội dung sau:',
    reason: 'Lý do',
    clockPaused: 'Thời gian chờ bổ sung hồ sơ không tính vào thời hạn giải quyết hồ sơ.',
    contact: (officer: string, title: string, centre: string) =>
      `Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ ${officer} (${title}), ${centre} để được hướng dẫn.`,
    signs: 'NGƯỜI HƯỚNG DẪN',
  },
  refusal: {
    title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
    name: 'Phiếu từ chối tiếp nhận giải quyết hồ sơ',
    grounds: (centre: string) =>
      `Căn cứ quy định của thủ tục hành chính nêu trên, ${centre} không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`,
    closing: 'Xin thông báo để ông/bà được biết và thực hiện./.',
    signs: 'NGƯỜI TIẾP NHẬN HỒ SƠ',
  },
  apology: {
    title: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
    name: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả',
    addressee: 'Kính gửi',
    received: (at: string, centre: string, procedure: string, idNumber: string, code: string) =>
      `Lúc ${at}, ${centre} tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính ${procedure} của ông/bà (số định danh cá nhân/tổ chức: ${idNumber}); mã hồ sơ: ${code}.`,
    originalDue: (at: string) => `Thời gian hẹn trả kết quả giải quyết hồ sơ: ${at}.`,
    late: (centre: string, reason: string) =>
      `Tuy nhiên đến nay, ${centre} chưa trả kết quả giải quyết hồ sơ cho ông/bà. Lý do: ${reason}`,
    sorry: (centre: string, at: string) =>
      `Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của ông/bà. ${centre} xin lỗi ông/bà và hẹn lại thời gian trả kết quả giải quyết hồ sơ vào: ${at}.`,
    closing: 'Rất mong nhận được sự thông cảm của ông/bà vì sự chậm trễ này./.',
  },
  stop: {
    title: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
    name: 'Thông báo dừng giải quyết hồ sơ',
    received: (at: string | null, centre: string, procedure: string, code: string) =>
      `${at ? `Lúc ${at}, ` : ''}${centre} đã tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính ${procedure} của ông/bà; mã hồ sơ: ${code}.`,
    requested: (at: string, reason: string) =>
      `Lúc ${at}, ông/bà có yêu cầu dừng giải quyết hồ sơ nêu trên. Lý do: ${reason}`,
    // Thông tư 03/2025/TT-VPCP Điều 7 (as summarised; full text not at hand): the notice is issued only while no
    // decision or result exists yet.
    decision: (centre: string) =>
      `Đến thời điểm ông/bà yêu cầu, hồ sơ chưa có quyết định, kết quả giải quyết. ${centre} thông báo dừng giải quyết hồ sơ nêu trên theo yêu cầu của ông/bà.`,
    closing: 'Xin thông báo để ông/bà được biết./.',
  },
  controlSlip: {
    title: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
    name: 'Phiếu kiểm soát quá trình giải quyết hồ sơ',
    handlingBody: 'Cơ quan (bộ phận) giải quyết hồ sơ',
    coordinatingBodies: 'Cơ quan phối hợp giải quyết hồ sơ',
    none: 'Không',
    receivedAt: 'Thời gian nhận hồ sơ',
    dueAt: 'Thời gian hẹn trả kết quả',
    columns: [
      'Tên cơ quan/bộ phận',
      'Thời gian giao, nhận hồ sơ',
      'Kết quả giải quyết hồ sơ (Trước hạn/Đúng hạn/Quá hạn)',
      'Ghi chú',
    ],
    give: 'Giao',
    receive: 'Nhận',
    stepDue: 'Hạn',
    noRows: 'Chưa có lần giao, nhận hồ sơ nào.',
  },
  register: {
    title: 'SỔ THEO DÕI HỒ SƠ',
    name: 'Sổ theo dõi hồ sơ',
    sheet: 'Sổ theo dõi hồ sơ',
    period: (from: string, to: string) => `Từ ngày ${from} đến ngày ${to}`,
    columns: [
      'STT',
      'Mã hồ sơ',
      'Tên TTHC',
      'Tên tổ chức, cá nhân',
      'Địa chỉ, số điện thoại',
      'Cơ quan chủ trì giải quyết',
      'Nhận hồ sơ (ngày)',
      'Hẹn trả kết quả',
      'Ngày trả kết quả',
      'Ghi chú',
    ],
    empty: 'Không có hồ sơ nào trong kỳ.',
  },
  subject: (form: string) => `${form}, Phụ lục I Thông tư 03/2025/TT-VPCP`,
};

/** "hh:mm dd/mm/yyyy" in Vietnam time, as the forms print every instant; "—" when there is none. */
export function formatFormTime(at: Date | null): string {
  return at ? formatVietnamDateTime(at) : NOT_GIVEN;
}

/**
 * "Bảo Yên, ngày 01 tháng 12 năm 2026" in Vietnam time. Nghị định 30/2020 Phụ lục I: days below 10 and the months 1
 * and 2 take a leading zero ("ngày 05 tháng 02", but "tháng 3").
 */
export function formatPlaceDate(placeName: string, at: Date): string {
  const { day, month, year } = vietnamDate(at);
  const monthText = Number(month) <= 2 ? month : String(Number(month));
  return `${placeName}, ngày ${day} tháng ${monthText} năm ${year}`;
}

/** Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with a QR code to the tracking page. */
export async function renderReceipt(form: ReceiptForm): Promise<Buffer> {
  return (await renderReceiptLaidOut(form)).pdf;
}

/**
 * Mẫu 01 and where its receiver's signature space lies (page 0-based, PDF points from the bottom left): the
 * centre's digital signature is drawn there when the receipt is signed.
 */
export async function renderReceiptLaidOut(form: ReceiptForm): Promise<{
  pdf: Buffer;
  signatureSpace?: { page: number; x: number; y: number; width: number; height: number };
}> {
  const text = TEXT.receipt;
  const componentTable: Content =
    form.components.length === 0
      ? paragraph(text.noComponents, { margin: [18, 0, 0, 4] })
      : {
          table: {
            headerRows: 1,
            dontBreakRows: true,
            widths: [26, '*', 56, 48, 54],
            body: [
              text.componentColumns.map((label) => cell(label, { bold: true, alignment: 'center' })),
              ...form.components.map((component, index): TableCell[] => [
                cell(String(index + 1), { alignment: 'center' }),
                cell(component.name),
                cell(countText(component.originals), { alignment: 'center' }),
                cell(countText(component.copies), { alignment: 'center' }),
                cell(component.digitised ? text.digitised : text.notDigitised, { alignment: 'center' }),
              ]),
            ],
          },
          layout: GRID,
          fontSize: 12,
          margin: [0, 2, 0, 6],
        };
  const filer = form.representative ?? form.applicant;
  const content: Content[] = [
    ...formHeading(form, text.title, form.receiptNumber),
    paragraph(text.receivedFrom(form.agency.centreName)),
    ...personLines(form.applicant, TEXT.person.name),
    ...representativeLines(form),
    labelled(TEXT.procedure, procedureText(form)),
    labelled(TEXT.request, form.request),
    paragraph(`1. ${text.components}`),
    componentTable,
    {
      columns: [
        {
          width: '*',
          stack: [
            paragraph(`2. ${text.setsCount(form.setsCount)}`),
            paragraph(`3. ${text.processingTime}: ${form.processingTimeText}`),
            paragraph(`4. ${TEXT.receivedAt}: ${formatSentenceTime(form.receivedAt)}`),
            paragraph(`5. ${text.dueAt}: ${form.dueAt ? formatSentenceTime(form.dueAt) : text.noDueAt}`),
            paragraph(`6. ${text.returnPlace}: ${form.returnPlace}`),
            paragraph(text.register(form.register.book, form.register.number), { italics: true }),
          ],
        },
        trackingBlock(form.trackingUrl, form.trackingSecret),
      ],
      columnGap: 10,
    },
    // Kept on one page (not `unbreakable`, which would hide where the receiver's signature space lies).
    keptTogether(
      {
        columns: [
          signature(text.applicantSigns, TEXT.signHint, filer.name),
          signature(text.receiverSigns, TEXT.signHint, form.issuedBy.name, 'anchor:receiver'),
        ],
        margin: [0, 10, 0, 0],
      },
      'signatures',
    ),
  ];
  const rendered = await renderPdfDocument(formDocument(form, text.name, 'Mẫu số 01', content));
  // The space is the right one of two equal columns, between the hint and the name.
  const signatureSpace = spaceAboveAnchor(rendered, 'anchor:receiver', SIGNATURE_SPACE);
  return signatureSpace ? { pdf: rendered.buffer, signatureSpace } : { pdf: rendered.buffer };
}

/** Mẫu 02: Phiếu yêu cầu bổ sung (while processing) or hoàn thiện (at the counter) hồ sơ. */
export async function renderSupplementRequest(form: SupplementRequestForm): Promise<Buffer> {
  const text = TEXT.supplement;
  const content: Content[] = [
    ...formHeading(form, text.title),
    ...personLines(form.applicant, text.dossierOf),
    ...representativeLines(form),
    labelled(TEXT.procedure, procedureText(form)),
  ];
  if (form.receivedAt) {
    content.push(paragraph(text.received(formatSentenceTime(form.receivedAt), form.agency.centreName)));
  }
  content.push(
    paragraph(form.atReception ? text.atReception : text.whileProcessing),
    numberedList(form.items),
    labelled(text.reason, form.reason),
  );
  // The wait for a supplement is not counted against the processing time; the applicant is told so in writing.
  if (!form.atReception) content.push(paragraph(text.clockPaused, { italics: true }));
  content.push(paragraph(text.contact(form.issuedBy.name, form.issuedBy.title, form.agency.centreName)), {
    columns: [
      trackingBlock(form.trackingUrl, null, 150),
      signature(text.signs, TEXT.signHint, form.issuedBy.name),
    ],
    columnGap: 12,
    margin: [0, 10, 0, 0],
    unbreakable: true,
  });
  return renderPdf(formDocument(form, text.name, 'Mẫu số 02', content));
}

/** Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export async function renderRefusal(form: RefusalForm): Promise<Buffer> {
  const text = TEXT.refusal;
  const content: Content[] = [
    ...formHeading(form, text.title),
    paragraph(TEXT.receipt.receivedFrom(form.agency.centreName)),
    ...personLines(form.applicant, TEXT.person.name),
    ...representativeLines(form),
    labelled(TEXT.procedure, procedureText(form)),
  ];
  if (form.receivedAt) content.push(labelled(TEXT.receivedAt, formatSentenceTime(form.receivedAt)));
  content.push(
    paragraph(text.grounds(form.agency.centreName)),
    numberedList(form.reasons),
    paragraph(text.closing),
    {
      columns: [{ text: '', width: '*' }, signature(text.signs, TEXT.signHint, form.issuedBy.name)],
      margin: [0, 10, 0, 0],
      unbreakable: true,
    },
  );
  return renderPdf(formDocument(form, text.name, 'Mẫu số 03', content));
}

/** Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả, signed by the head of the agency. */
export async function renderApology(form: ApologyForm): Promise<Buffer> {
  const text = TEXT.apology;
  const centre = form.agency.centreName;
  const content: Content[] = [
    ...formHeading(form, text.title),
    {
      text: [{ text: `${text.addressee}: ` }, { text: form.applicant.name, bold: true }],
      alignment: 'center',
      margin: [0, 0, 0, 8],
    },
    prose(
      text.received(
        formatSentenceTime(form.receivedAt),
        centre,
        form.procedure.name,
        orNotGiven(form.applicant.idNumber),
        form.dossierCode,
      ),
    ),
    prose(text.originalDue(formatSentenceTime(form.originalDueAt))),
    prose(text.late(centre, form.reason)),
    prose(text.sorry(centre, formatSentenceTime(form.newDueAt))),
    prose(text.closing),
    closingBlock(signature(form.signedBy.title, TEXT.signAndSealHint, form.signedBy.name)),
  ];
  return renderPdf(formDocument(form, text.name, 'Mẫu số 04', content));
}

/** Mẫu 05: Thông báo dừng giải quyết hồ sơ, at the applicant's request. */
export async function renderStopNotice(form: StopNoticeForm): Promise<Buffer> {
  const text = TEXT.stop;
  const centre = form.agency.centreName;
  const content: Content[] = [
    ...formHeading(form, text.title),
    {
      text: [{ text: `${TEXT.apology.addressee}: ` }, { text: form.applicant.name, bold: true }],
      alignment: 'center',
      margin: [0, 0, 0, 8],
    },
    prose(
      text.received(
        form.receivedAt ? formatSentenceTime(form.receivedAt) : null,
        centre,
        form.procedure.name,
        form.dossierCode,
      ),
    ),
    prose(text.requested(formatSentenceTime(form.requestedAt), form.reason)),
    prose(text.decision(centre)),
    prose(text.closing),
    closingBlock(signature(form.issuedBy.title, TEXT.signHint, form.issuedBy.name)),
  ];
  return renderPdf(formDocument(form, text.name, 'Mẫu số 05', content));
}

/** Mẫu 06: Phiếu kiểm soát quá trình giải quyết hồ sơ, one row per hand-off as the system recorded it. */
export async function renderControlSlip(form: ControlSlipForm): Promise<Buffer> {
  const text = TEXT.controlSlip;
  const header = text.columns.map((label) => cell(label, { bold: true, alignment: 'center' }));
  const rows = form.rows.map((row, index): TableCell[] => [
    {
      stack: [
        { text: `${index + 1}. ${text.give}: ${party(row.giver)}` },
        { text: `${text.receive}: ${party(row.receiver)}` },
        { text: `(${row.step})`, italics: true, fontSize: 11 },
      ],
    },
    {
      stack: [
        { text: formatFormTime(row.handedAt) },
        ...(row.stepDueAt
          ? [{ text: `${text.stepDue}: ${formatFormTime(row.stepDueAt)}`, italics: true, fontSize: 11 }]
          : []),
      ],
      alignment: 'center',
    },
    cell(row.result ? HAND_OFF_LABELS[row.result] : NOT_GIVEN, { alignment: 'center' }),
    cell(row.note),
  ]);
  const facts: Column = {
    stack: [
      ...personLines(form.applicant, TEXT.person.name).slice(0, 2),
      labelled(TEXT.procedure, procedureText(form)),
      labelled(text.handlingBody, form.handlingBody),
      labelled(
        text.coordinatingBodies,
        form.coordinatingBodies.length > 0 ? form.coordinatingBodies.join('; ') : text.none,
      ),
      labelled(text.receivedAt, formatSentenceTime(form.receivedAt)),
      labelled(text.dueAt, form.dueAt ? formatSentenceTime(form.dueAt) : TEXT.receipt.noDueAt),
    ],
    width: '*',
  };
  const content: Content[] = [
    ...formHeading(form, text.title),
    {
      columns: [facts, trackingBlock(form.trackingUrl, null, 110)],
      columnGap: 10,
    },
    form.rows.length === 0
      ? paragraph(text.noRows, { italics: true })
      : {
          table: {
            headerRows: 1,
            dontBreakRows: true,
            widths: ['*', 98, 90, 72],
            body: [header, ...rows],
          },
          layout: GRID,
          fontSize: 12,
          margin: [0, 6, 0, 0],
        },
  ];
  return renderPdf(formDocument(form, text.name, 'Mẫu số 06', content));
}

/** Mẫu 07: Sổ theo dõi hồ sơ on A4 landscape, the column headings repeated on every page, "Trang x/y" below. */
export async function renderRegister(form: RegisterForm): Promise<Buffer> {
  const text = TEXT.register;
  const small = (value: string, extra: Partial<ContentText & TableCellProperties> = {}) =>
    cell(value, { fontSize: 9.5, ...extra });
  const header = text.columns.map((label) => small(label, { bold: true, alignment: 'center' }));
  // The column numbers under the headings, as registers print them, so a page torn out can still be read.
  const numbers = text.columns.map((_, index) =>
    small(`(${index + 1})`, { italics: true, alignment: 'center', fontSize: 8.5 }),
  );
  const rows = form.rows.map((row): TableCell[] =>
    registerCells(row).map((value, column) =>
      small(value, {
        alignment: column === 0 || (column >= 6 && column <= 8) ? 'center' : 'left',
        // Codes such as 000.12.34.H37-261201-0001 have no space to break at: smaller keeps them on one line.
        ...(column === 1 ? { fontSize: 8.5 } : {}),
      }),
    ),
  );
  const body =
    rows.length > 0
      ? rows
      : [
          [
            small(text.empty, { colSpan: text.columns.length, italics: true }),
            ...text.columns.slice(1).map(() => ''),
          ],
        ];
  const content: Content[] = [
    nationalHeader(form.agency, null, form.issuedAt, LANDSCAPE_WIDTH),
    title(text.title),
    {
      text: `${bookLabel(form.book)} · ${text.period(vietnamDateText(form.from), vietnamDateText(form.to))}`,
      alignment: 'center',
      italics: true,
      margin: [0, 0, 0, 8],
    },
    {
      table: {
        headerRows: 2,
        dontBreakRows: true,
        widths: [20, 100, '*', 70, 82, 64, 50, 50, 50, 56],
        body: [header, numbers, ...body],
      },
      layout: {
        ...GRID,
        paddingLeft: () => 3,
        paddingRight: () => 3,
        paddingTop: () => 2,
        paddingBottom: () => 2,
      },
    },
  ];
  return renderPdf({
    pageOrientation: 'landscape',
    pageMargins: PAGE_MARGINS,
    info: {
      title: `${text.name}, ${bookLabel(form.book)} (${form.agency.centreName})`,
      author: form.agency.centreName,
      subject: TEXT.subject('Mẫu số 07'),
      creationDate: form.issuedAt,
    },
    defaultStyle: { font: PDF_FONTS.serif, fontSize: 13, lineHeight: 1.15 },
    content,
    footer: (currentPage, pageCount) => ({
      columns: [
        { text: `${form.agency.centreName} · ${bookLabel(form.book)}`, italics: true },
        { text: TEXT.page(currentPage, pageCount), alignment: 'right', width: 'auto' },
      ],
      fontSize: 10,
      margin: [PAGE_MARGINS[0], 20, PAGE_MARGINS[2], 0],
    }),
  });
}

/**
 * Mẫu 07 as an XLSX workbook: a title row, a row naming the centre, book and period, the column headings (frozen,
 * and repeated on every printed page), then one row per dossier. Instants are text in hh:mm dd/mm/yyyy, as on
 * paper; a missing one is left blank, so "(Trống)" in a filter finds the dossiers not yet returned.
 */
export async function registerWorkbook(form: RegisterForm): Promise<Buffer> {
  // Loaded on first use: exceljs is large and only an export needs it.
  const { default: Excel } = await import('exceljs');
  const text = TEXT.register;
  const workbook = new Excel.Workbook();
  workbook.creator = form.agency.centreName;
  workbook.created = form.issuedAt;
  workbook.title = `${text.name}, ${bookLabel(form.book)}`;
  const headerRow = 3;
  const sheet = workbook.addWorksheet(text.sheet, {
    views: [{ state: 'frozen', ySplit: headerRow }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
  });
  const widths = [6, 28, 40, 24, 32, 26, 17, 17, 17, 24];
  sheet.columns = widths.map((width) => ({ width }));
  const columnCount = text.columns.length;

  sheet.addRow([text.title]);
  sheet.mergeCells(1, 1, 1, columnCount);
  sheet.getRow(1).font = { bold: true, size: 14 };
  sheet.getRow(1).alignment = { horizontal: 'center' };
  sheet.addRow([
    `${form.agency.centreName} · ${bookLabel(form.book)} · ${text.period(vietnamDateText(form.from), vietnamDateText(form.to))}`,
  ]);
  sheet.mergeCells(2, 1, 2, columnCount);
  sheet.getRow(2).font = { italic: true };
  sheet.getRow(2).alignment = { horizontal: 'center' };

  const header = sheet.addRow(text.columns);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  for (const row of form.rows) {
    const cells: (string | number)[] = registerCells(row, '');
    cells[0] = row.index;
    sheet.addRow(cells).alignment = { vertical: 'top', wrapText: true };
  }
  const thin = { style: 'thin' as const };
  for (let rowNumber = headerRow; rowNumber <= sheet.rowCount; rowNumber++) {
    for (let column = 1; column <= columnCount; column++) {
      sheet.getCell(rowNumber, column).border = { top: thin, left: thin, bottom: thin, right: thin };
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------------------------
// Layout

const MM = 72 / 25.4;
const CM = 10 * MM;
/** Nghị định 30/2020 Phụ lục I: left 30 mm, top 20 mm, right 15 mm, bottom 20 mm (pdfmake order: l, t, r, b). */
const PAGE_MARGINS: [number, number, number, number] = [30 * MM, 20 * MM, 15 * MM, 20 * MM];
const A4 = { width: 595.28, height: 841.89 };
const PORTRAIT_WIDTH = A4.width - PAGE_MARGINS[0] - PAGE_MARGINS[2];
const LANDSCAPE_WIDTH = A4.height - PAGE_MARGINS[0] - PAGE_MARGINS[2];
/** The issuing body's column of the header; the national title takes the rest (it needs about 260 pt at 12 pt). */
const AGENCY_COLUMN = 205;

const GRID = {
  hLineWidth: () => 0.6,
  vLineWidth: () => 0.6,
  hLineColor: () => '#000000',
  vLineColor: () => '#000000',
  paddingLeft: () => 4,
  paddingRight: () => 4,
  paddingTop: () => 2,
  paddingBottom: () => 2,
};

function formDocument(
  form: DossierFormBase,
  name: string,
  formNumber: string,
  content: Content[],
): PdfDocumentDefinition {
  return {
    pageMargins: PAGE_MARGINS,
    info: {
      title: `${name} (${TEXT.dossierCode.toLocaleLowerCase('vi')} ${form.dossierCode})`,
      author: form.agency.centreName,
      subject: TEXT.subject(formNumber),
      keywords: form.dossierCode,
      creationDate: form.issuedAt,
    },
    defaultStyle: { font: PDF_FONTS.serif, fontSize: 13, lineHeight: 1.15 },
    // Nghị định 30/2020: the page number top centre, none on the first page.
    header: (currentPage) =>
      currentPage > 1
        ? { text: String(currentPage), alignment: 'center', fontSize: 13, margin: [0, 10 * MM, 0, 0] }
        : null,
    content,
  };
}

/** The national header, the title and "Mã hồ sơ: …", shared by Mẫu 01–06. */
function formHeading(form: DossierFormBase, formTitle: string, number: string | null = null): Content[] {
  return [
    nationalHeader(form.agency, number, form.issuedAt, PORTRAIT_WIDTH),
    title(formTitle),
    {
      text: [{ text: `${TEXT.dossierCode}: ` }, { text: form.dossierCode, bold: true }],
      alignment: 'center',
      margin: [0, 0, 0, 10],
    },
  ];
}

/**
 * Top left the committee (upper case) and the centre (bold, upper case) with a short rule and "Số: …"; top right
 * the national title and motto (bold) with a rule as long as the motto, and the place and date in italics.
 */
function nationalHeader(agency: FormAgency, number: string | null, issuedAt: Date, width: number): Content {
  const right = width - AGENCY_COLUMN;
  return {
    stack: [
      {
        columns: [
          {
            width: AGENCY_COLUMN,
            stack: [
              { text: committeeLine(agency.committeeName) },
              { text: agency.centreName.toLocaleUpperCase('vi'), bold: true },
              centredRule(60),
            ],
          },
          {
            width: right,
            stack: [
              { text: TEXT.nationalTitle, bold: true },
              { text: TEXT.motto, bold: true, fontSize: 13 },
              centredRule(170),
            ],
          },
        ],
        columnGap: 0,
        alignment: 'center',
        fontSize: 12,
        lineHeight: 1.1,
      },
      {
        columns: [
          { width: AGENCY_COLUMN, text: number ? TEXT.number(number) : '', alignment: 'center' },
          {
            width: right,
            text: formatPlaceDate(agency.placeName, issuedAt),
            italics: true,
            alignment: 'center',
          },
        ],
        columnGap: 0,
        margin: [0, 6, 0, 0],
      },
    ],
    margin: [0, 0, 0, 14],
  };
}

/**
 * "UBND XÃ BẢO YÊN": the People's Committee abbreviated as Nghị định 30/2020 Phụ lục III allows for the governing
 * body's line, so that it fits the header's narrow column.
 */
function committeeLine(committeeName: string): string {
  return committeeName
    .normalize('NFC')
    .replace(/^\s*(ủy|uỷ) ban nhân dân\s+/iu, 'UBND ')
    .toLocaleUpperCase('vi');
}

/** A short rule centred in its column (pdfmake centres a canvas by its drawn width). */
function centredRule(length: number): Content {
  return {
    canvas: [{ type: 'line', x1: 0, y1: 0, x2: length, y2: 0, lineWidth: 0.6 }],
    alignment: 'center',
    margin: [0, 3, 0, 0],
  };
}

function title(text: string): Content {
  return { text, bold: true, fontSize: 14, alignment: 'center', margin: [0, 0, 0, 2] };
}

function paragraph(text: string, extra: Partial<ContentText> = {}): ContentText {
  return { text, alignment: 'justify', margin: [0, 0, 0, 3], ...extra };
}

/** A sentence of a letter (Mẫu 04, 05): justified, its first line indented 1 cm as Nghị định 30/2020 sets them. */
function prose(text: string): ContentText {
  return paragraph(text, { leadingIndent: 1 * CM });
}

function labelled(label: string, value: string): ContentText {
  // Left-aligned: a short labelled line justified across a narrow column opens wide gaps between its words.
  return paragraph(`${label}: ${orNotGiven(value)}`, { alignment: 'left' });
}

function personLines(person: FormPerson, nameLabel: string): Content[] {
  return [
    { text: [{ text: `${nameLabel}: ` }, { text: person.name, bold: true }], margin: [0, 0, 0, 3] },
    labelled(TEXT.person.idNumber, person.idNumber),
    labelled(TEXT.person.address, person.address),
    paragraph(
      `${TEXT.person.phone}: ${orNotGiven(person.phone)}      ${TEXT.person.email}: ${orNotGiven(person.email)}`,
    ),
  ];
}

/** When the dossier is filed under an authorisation: who filed it, and the document that authorises them. */
function representativeLines(form: DossierFormBase): Content[] {
  if (!form.representative) return [];
  return [
    ...personLines(form.representative, TEXT.person.representative),
    labelled(TEXT.person.authorisation, form.representative.authorisationDocument),
  ];
}

function procedureText(form: DossierFormBase): string {
  return `${form.procedure.name} (${TEXT.procedureCode}: ${form.procedure.code})`;
}

function numberedList(items: string[]): Content {
  return {
    stack: items.map((item, index) => ({
      columns: [
        { text: `${index + 1}.`, width: 18 },
        { text: item, width: '*', alignment: 'justify' },
      ],
      columnGap: 0,
      margin: [14, 0, 0, 3],
    })),
    margin: [0, 0, 0, 3],
  };
}

/** The room left for a handwritten signature (and the seal) above the signer's name, in points. */
export const SIGNATURE_SPACE = 56;

function signature(heading: string, hint: string, name: string, anchor?: string): Column {
  return {
    stack: [
      { text: heading.toLocaleUpperCase('vi'), bold: true },
      { text: hint, italics: true },
      // Room for a handwritten signature, and the seal where there is one.
      { text: name, bold: true, margin: [0, SIGNATURE_SPACE, 0, 0], ...(anchor ? { id: anchor } : {}) },
    ],
    alignment: 'center',
    width: '*',
  };
}

/** Nơi nhận on the left, the signature on the right, as Nghị định 30/2020 places them. */
function closingBlock(signed: Column): Content {
  return {
    columns: [
      {
        width: 190,
        stack: [
          { text: TEXT.recipients, bold: true, italics: true, fontSize: 12 },
          { text: TEXT.asAbove, fontSize: 11 },
          { text: TEXT.archive, fontSize: 11 },
        ],
      },
      signed,
    ],
    margin: [0, 10, 0, 0],
    unbreakable: true,
  };
}

/**
 * The QR code to the tracking page above its caption, and the tracking secret where the form shows one. The address
 * itself is not printed: it is long, it carries the secret, and the code and the dossier code say the same.
 */
function trackingBlock(url: string, secret: string | null, width = 120): Column {
  return {
    stack: [
      qrCodeNode(url, { size: QR_SIZE, errorCorrection: 'M', alignment: 'center' }),
      { text: TEXT.scanHint, italics: true },
      ...(secret
        ? [{ text: TEXT.trackingSecret(secret), bold: true, fontSize: 12, margin: [0, 2, 0, 0] }]
        : []),
    ],
    width,
    alignment: 'center',
    fontSize: 10,
    lineHeight: 1.05,
    unbreakable: true,
  } as Column;
}

/** 84 pt (about 30 mm): modules of about 2 mm for a tracking address, read by a phone from arm's length. */
const QR_SIZE = 84;

function cell(text: string, extra: Partial<ContentText & TableCellProperties> = {}): TableCell {
  return { text, ...extra };
}

function party(person: { name: string; unit: string }): string {
  return person.unit ? `${person.name} (${person.unit})` : person.name;
}

function registerCells(row: RegisterRow, missing = NOT_GIVEN): string[] {
  const time = (at: Date | null) => (at ? formatFormTime(at) : missing);
  return [
    String(row.index),
    row.dossierCode,
    row.procedureName,
    row.applicantName,
    row.addressPhone,
    row.processingBody,
    time(row.receivedAt),
    time(row.dueAt),
    time(row.returnedAt),
    row.note,
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Texts

/** "09:05 ngày 01/12/2026": an instant inside a sentence, as the forms' "… giờ … phút, ngày …" reads. */
function formatSentenceTime(at: Date): string {
  const [time, date] = formatVietnamDateTime(at).split(' ');
  return `${time} ngày ${date}`;
}

function vietnamDate(at: Date): { day: string; month: string; year: string } {
  const [day = '', month = '', year = ''] = (formatVietnamDateTime(at).split(' ')[1] ?? '').split('/');
  return { day, month, year };
}

function vietnamDateText(at: Date): string {
  const { day, month, year } = vietnamDate(at);
  return `${day}/${month}/${year}`;
}

/** The data passes the book either as "2026" or as "Quyển số 2026"; the form prints "Quyển số: 2026" once. */
function bookLabel(book: string): string {
  const number = book.replace(/^\s*quyển\s+số\s*:?\s*/iu, '').trim();
  return `Quyển số: ${number}`;
}

function countText(count: number | null): string {
  return count === null || count === 0 ? NOT_GIVEN : pad2(count);
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

function orNotGiven(value: string): string {
  return value.trim() === '' ? NOT_GIVEN : value;
}
