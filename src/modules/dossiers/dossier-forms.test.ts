import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeQrCodes, pdfInfo, pdfPages, pdfText, requirePdfTools } from '../../../test/support/pdf.ts';
import type {
  ApologyForm,
  ControlSlipForm,
  DossierFormBase,
  RefusalForm,
  ReceiptForm,
  RegisterForm,
  RegisterRow,
  StopNoticeForm,
  SupplementRequestForm,
} from './dossier-form-data.ts';
import {
  HAND_OFF_LABELS,
  formatFormTime,
  formatPlaceDate,
  registerWorkbook,
  renderApology,
  renderControlSlip,
  renderReceipt,
  renderRefusal,
  renderRegister,
  renderStopNotice,
  renderSupplementRequest,
} from './dossier-forms.ts';

const CENTRE = 'Trung tâm Phục vụ hành chính công xã Bảo Yên';
const TRACKING_URL = 'https://dichvucong.laocai.gov.vn/tra-cuu/000.12.34.H37-261201-0001?k=K7Q2ZP';

// 09:05 on 1 December 2026 in Vietnam (UTC+7).
const RECEIVED_AT = new Date('2026-12-01T02:05:00Z');
const DUE_AT = new Date('2026-12-04T09:30:00Z');

const BASE: DossierFormBase = {
  agency: {
    committeeName: 'Ủy ban nhân dân xã Bảo Yên',
    centreName: CENTRE,
    placeName: 'Bảo Yên',
    provinceName: 'Tỉnh Lào Cai',
  },
  dossierCode: '000.12.34.H37-261201-0001',
  procedure: {
    code: '1.001193.000.00.00.H37',
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
  },
  applicant: {
    name: 'Nguyễn Thị Hồng Nhung',
    idNumber: '010203004567',
    address: 'Thôn Khe Bá, xã Bảo Yên, tỉnh Lào Cai',
    phone: '0912 345 678',
    email: 'nhung.nguyen@example.vn',
  },
  representative: null,
  issuedAt: RECEIVED_AT,
  issuedBy: { name: 'Hoàng Văn Được', title: 'Công chức tiếp nhận hồ sơ' },
};

const RECEIPT: ReceiptForm = {
  ...BASE,
  receiptNumber: '125/TNHS',
  request: 'Đăng ký khai sinh cho con là Nguyễn Minh Khôi, sinh ngày 20/11/2026',
  components: [
    { name: 'Tờ khai đăng ký khai sinh', originals: 1, copies: null, digitised: true },
    { name: 'Giấy chứng sinh', originals: 1, copies: null, digitised: true },
    { name: 'Văn bản ủy quyền theo quy định của pháp luật', originals: null, copies: 1, digitised: false },
  ],
  setsCount: 1,
  processingTimeText: '03 ngày làm việc',
  receivedAt: RECEIVED_AT,
  dueAt: DUE_AT,
  returnPlace: 'Tại Trung tâm Phục vụ hành chính công xã Bảo Yên',
  register: { book: '2026', number: 125 },
  trackingUrl: TRACKING_URL,
  trackingSecret: 'K7Q2ZP',
};

/** pdftotext keeps line breaks and column gaps; a sentence is checked with its whitespace collapsed. */
function collapse(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The text in drawing order (a table cell's wrapped lines stay together), whitespace collapsed. */
async function formText(pdf: Buffer, range: { firstPage?: number; lastPage?: number } = {}): Promise<string> {
  return collapse(await pdfText(pdf, { ...range, mode: 'raw' }));
}

function assertIncludes(text: string, expected: string[]): void {
  for (const wanted of expected) assert.ok(text.includes(wanted), `"${wanted}" missing from:\n${text}`);
}

/** What every form about one dossier prints: the national header, the dossier and the applicant. */
const COMMON = [
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  'UBND XÃ BẢO YÊN',
  'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ BẢO YÊN',
  'Bảo Yên, ngày 01 tháng 12 năm 2026',
  'Mã hồ sơ: 000.12.34.H37-261201-0001',
  'Nguyễn Thị Hồng Nhung',
  'Đăng ký khai sinh',
];

async function assertInfo(pdf: Buffer, title: string): Promise<void> {
  const info = await pdfInfo(pdf);
  assert.match(info['Page size']!, /\(A4\)/);
  assert.equal(info.Title, `${title} (mã hồ sơ 000.12.34.H37-261201-0001)`);
  assert.equal(info.Author, CENTRE);
}

describe('form texts', () => {
  it('prints instants as hh:mm dd/mm/yyyy in Vietnam time, and a dash for none', () => {
    assert.equal(formatFormTime(new Date('2026-12-01T02:05:00Z')), '09:05 01/12/2026');
    // 23:30 UTC on 31 December is already the next year in Vietnam.
    assert.equal(formatFormTime(new Date('2026-12-31T23:30:00Z')), '06:30 01/01/2027');
    assert.equal(formatFormTime(null), '—');
    assert.deepEqual(HAND_OFF_LABELS, { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Quá hạn' });
  });

  it('writes the place and date with a leading zero for days below 10 and the months 1 and 2 only', () => {
    assert.equal(formatPlaceDate('Bảo Yên', RECEIVED_AT), 'Bảo Yên, ngày 01 tháng 12 năm 2026');
    assert.equal(
      formatPlaceDate('Bảo Yên', new Date('2026-02-05T03:00:00Z')),
      'Bảo Yên, ngày 05 tháng 02 năm 2026',
    );
    assert.equal(
      formatPlaceDate('Bảo Yên', new Date('2026-03-15T03:00:00Z')),
      'Bảo Yên, ngày 15 tháng 3 năm 2026',
    );
    // 18:00 UTC on 28 February is 01:00 on 1 March in Vietnam.
    assert.equal(
      formatPlaceDate('Sa Pa', new Date('2026-02-28T18:00:00Z')),
      'Sa Pa, ngày 01 tháng 3 năm 2026',
    );
  });
});

describe('Mẫu 01: giấy tiếp nhận hồ sơ và hẹn trả kết quả', () => {
  it('prints the receipt on one page with its components, times and a QR code to exactly the tracking page', async (t) => {
    if (!requirePdfTools(t)) return;
    const pdf = await renderReceipt(RECEIPT);
    assert.equal(await pdfPages(pdf), 1);
    await assertInfo(pdf, 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả');

    const text = await formText(pdf);
    assertIncludes(text, [
      ...COMMON,
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      'Số: 125/TNHS',
      'Số định danh cá nhân/tổ chức: 010203004567',
      'Địa chỉ: Thôn Khe Bá, xã Bảo Yên, tỉnh Lào Cai',
      'Số điện thoại: 0912 345 678',
      'Email: nhung.nguyen@example.vn',
      'Nội dung yêu cầu giải quyết: Đăng ký khai sinh cho con là Nguyễn Minh Khôi, sinh ngày 20/11/2026',
      'Tờ khai đăng ký khai sinh',
      'Giấy chứng sinh',
      'Văn bản ủy quyền theo quy định của pháp luật',
      'Đã số hóa',
      'Số lượng hồ sơ: 01 bộ',
      'Thời gian giải quyết hồ sơ theo quy định là: 03 ngày làm việc',
      'Thời gian nhận hồ sơ: 09:05 ngày 01/12/2026',
      'Thời gian trả kết quả giải quyết hồ sơ: 16:30 ngày 04/12/2026',
      'Đăng ký nhận kết quả tại: Tại Trung tâm Phục vụ hành chính công xã Bảo Yên',
      'Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: 125',
      'NGƯỜI NỘP HỒ SƠ',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
      '(Ký và ghi rõ họ tên)',
      'Hoàng Văn Được',
      'Quét mã QR để tra cứu tình trạng hồ sơ',
      'Mã tra cứu: K7Q2ZP',
    ]);
    assert.ok(!text.includes('ủy quyền:'), 'no authorisation lines without a representative');

    const codes = await decodeQrCodes(pdf);
    assert.deepEqual(
      codes.map((code) => code.data),
      [TRACKING_URL],
    );
  });

  it('adds the representative and the authorisation, and says so when no due time applies', async (t) => {
    if (!requirePdfTools(t)) return;
    const pdf = await renderReceipt({
      ...RECEIPT,
      representative: {
        name: 'Trần Văn Quý',
        idNumber: '015088001234',
        address: 'Tổ 5, phường Cốc Lếu, tỉnh Lào Cai',
        phone: '0987 654 321',
        email: '',
        authorisationDocument: 'Văn bản ủy quyền số 15/UQ ngày 28/11/2026, chứng thực tại UBND xã Bảo Yên',
      },
      dueAt: null,
    });
    assert.ok((await pdfPages(pdf)) <= 2);
    const text = await formText(pdf);
    assertIncludes(text, [
      'Người nộp hồ sơ theo ủy quyền: Trần Văn Quý',
      'Số định danh cá nhân/tổ chức: 015088001234',
      'Email: —',
      'Văn bản ủy quyền: Văn bản ủy quyền số 15/UQ ngày 28/11/2026, chứng thực tại UBND xã Bảo Yên',
      'Thời gian trả kết quả giải quyết hồ sơ: không áp dụng thời hạn',
    ]);
    // The person who signs as filer is the representative.
    assert.ok(text.indexOf('Trần Văn Quý', text.indexOf('NGƯỜI NỘP HỒ SƠ')) > 0);
  });

  it('flows a long list of components onto a second page with the page number at the top', async (t) => {
    if (!requirePdfTools(t)) return;
    const components = Array.from({ length: 20 }, (_, index) => ({
      name: `Giấy tờ chứng minh thứ ${index + 1} theo quy định của thủ tục hành chính`,
      originals: 1,
      copies: 2,
      digitised: index % 2 === 0,
    }));
    const pdf = await renderReceipt({ ...RECEIPT, components });
    assert.equal(await pdfPages(pdf), 2);
    // Nghị định 30/2020: the number top centre from page 2 on (layout mode reads the page top down).
    assert.match(await pdfText(pdf, { firstPage: 2, lastPage: 2 }), /^\s*2\s*\n/);
    assert.doesNotMatch(await pdfText(pdf, { firstPage: 1, lastPage: 1 }), /^\s*1\s*\n/);
    const second = await formText(pdf, { firstPage: 2, lastPage: 2 });
    // The component table goes on with its column headings repeated.
    assertIncludes(second, ['STT Tên giấy tờ Bản chính Bản sao Đã số hóa', 'Mã tra cứu: K7Q2ZP']);
    assert.deepEqual(
      (await decodeQrCodes(pdf)).map((code) => code.data),
      [TRACKING_URL],
    );
  });
});

describe('Mẫu 02: phiếu yêu cầu bổ sung, hoàn thiện hồ sơ', () => {
  const form: SupplementRequestForm = {
    ...BASE,
    receivedAt: RECEIVED_AT,
    items: [
      'Bản sao Giấy chứng nhận kết hôn của cha, mẹ',
      'Tờ khai ghi đầy đủ nơi sinh theo Giấy chứng sinh',
    ],
    reason: 'Tờ khai ghi nơi sinh chưa khớp với Giấy chứng sinh',
    atReception: false,
    trackingUrl: TRACKING_URL,
  };

  it('lists the items and the reason, and says the wait does not count against the deadline', async (t) => {
    if (!requirePdfTools(t)) return;
    const pdf = await renderSupplementRequest(form);
    assert.equal(await pdfPages(pdf), 1);
    await assertInfo(pdf, 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ');
    const text = await formText(pdf);
    assertIncludes(text, [
      ...COMMON,
      'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      `Lúc 09:05 ngày 01/12/2026, ${CENTRE} đã tiếp nhận hồ sơ nêu trên.`,
      'Đề nghị ông/bà bổ sung hồ sơ với các nội dung sau:',
      '1. Bản sao Giấy chứng nhận kết hôn của cha, mẹ',
      '2. Tờ khai ghi đầy đủ nơi sinh theo Giấy chứng sinh',
      'Lý do: Tờ khai ghi nơi sinh chưa khớp với Giấy chứng sinh',
      'Thời gian chờ bổ sung hồ sơ không tính vào thời hạn giải quyết hồ sơ.',
      'NGƯỜI HƯỚNG DẪN',
      'Hoàng Văn Được',
    ]);
    assert.deepEqual(
      (await decodeQrCodes(pdf)).map((code) => code.data),
      [TRACKING_URL],
    );
  });

  it('asks to complete the dossier at the counter, before it is accepted', async (t) => {
    if (!requirePdfTools(t)) return;
    const pdf = await renderSupplementRequest({ ...form, atReception: true, receivedAt: null });
    const text = await formText(pdf);
    assertIncludes(text, ['Đề nghị ông/bà hoàn thiện hồ sơ với các nội dung sau:']);
    assert.ok(!text.includes('đã tiếp nhận hồ sơ nêu trên'));
    assert.ok(!text.includes('không tính vào thời hạn'));
  });
});

describe('Mẫu 03: phiếu từ chối tiếp nhận giải quyết hồ sơ', () => {
  it('prints every reason', async (t) => {
    if (!requirePdfTools(t)) return;
    const form: RefusalForm = {
      ...BASE,
      receivedAt: RECEIVED_AT,
      reasons: [
        'Việc khai sinh đã được đăng ký tại Ủy ban nhân dân xã Phúc Khánh',
        'Người yêu cầu không thuộc đối tượng được đăng ký khai sinh tại xã theo quy định của Luật Hộ tịch',
      ],
    };
    const pdf = await renderRefusal(form);
    assert.equal(await pdfPages(pdf), 1);
    await assertInfo(pdf, 'Phiếu từ chối tiếp nhận giải quyết hồ sơ');
    const text = await formText(pdf);
    assertIncludes(text, [
      ...COMMON,
      'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
      'Thời gian nhận hồ sơ: 09:05 ngày 01/12/2026',
      'không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:',
      '1. Việc khai sinh đã được đăng ký tại Ủy ban nhân dân xã Phúc Khánh',
      '2. Người yêu cầu không thuộc đối tượng được đăng ký khai sinh tại xã theo quy định của Luật Hộ tịch',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
    ]);
  });
});

describe('Mẫu 04: phiếu xin lỗi và hẹn lại ngày trả kết quả', () => {
  it('is addressed to the applicant, gives the old and the new date and the reason, signed by the head', async (t) => {
    if (!requirePdfTools(t)) return;
    const form: ApologyForm = {
      ...BASE,
      issuedAt: new Date('2026-12-03T08:00:00Z'),
      receivedAt: RECEIVED_AT,
      originalDueAt: DUE_AT,
      newDueAt: new Date('2026-12-08T09:30:00Z'),
      reason: 'Cần xác minh thông tin nơi sinh với Ủy ban nhân dân xã Phúc Khánh',
      signedBy: { name: 'Lê Thị Thu Hà', title: 'Giám đốc' },
    };
    const pdf = await renderApology(form);
    assert.equal(await pdfPages(pdf), 1);
    await assertInfo(pdf, 'Phiếu xin lỗi và hẹn lại ngày trả kết quả');
    const text = await formText(pdf);
    assertIncludes(text, [
      ...COMMON.filter((line) => !line.startsWith('Bảo Yên, ngày')),
      'Bảo Yên, ngày 03 tháng 12 năm 2026',
      'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
      'Kính gửi: Nguyễn Thị Hồng Nhung',
      'Lúc 09:05 ngày 01/12/2026',
      'số định danh cá nhân/tổ chức: 010203004567',
      'mã hồ sơ: 000.12.34.H37-261201-0001',
      'Thời gian hẹn trả kết quả giải quyết hồ sơ: 16:30 ngày 04/12/2026.',
      'Lý do: Cần xác minh thông tin nơi sinh với Ủy ban nhân dân xã Phúc Khánh',
      'hẹn lại thời gian trả kết quả giải quyết hồ sơ vào: 16:30 ngày 08/12/2026.',
      'GIÁM ĐỐC',
      '(Ký, ghi rõ họ tên và đóng dấu)',
      'Lê Thị Thu Hà',
      'Nơi nhận:',
    ]);
  });
});

describe('Mẫu 05: thông báo dừng giải quyết hồ sơ', () => {
  it('gives when and why the applicant asked to stop', async (t) => {
    if (!requirePdfTools(t)) return;
    const form: StopNoticeForm = {
      ...BASE,
      issuedAt: new Date('2026-12-02T03:00:00Z'),
      receivedAt: RECEIVED_AT,
      requestedAt: new Date('2026-12-02T01:40:00Z'),
      reason: 'Gia đình đã đăng ký khai sinh cho cháu tại nơi cư trú của người cha',
      issuedBy: { name: 'Hoàng Văn Được', title: 'Phó Giám đốc' },
    };
    const pdf = await renderStopNotice(form);
    assert.equal(await pdfPages(pdf), 1);
    await assertInfo(pdf, 'Thông báo dừng giải quyết hồ sơ');
    const text = await formText(pdf);
    assertIncludes(text, [
      ...COMMON.filter((line) => !line.startsWith('Bảo Yên, ngày')),
      'Bảo Yên, ngày 02 tháng 12 năm 2026',
      'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
      'Kính gửi: Nguyễn Thị Hồng Nhung',
      'Lúc 09:05 ngày 01/12/2026',
      'Lúc 08:40 ngày 02/12/2026, ông/bà có yêu cầu dừng giải quyết hồ sơ nêu trên.',
      'Lý do: Gia đình đã đăng ký khai sinh cho cháu tại nơi cư trú của người cha',
      'thông báo dừng giải quyết hồ sơ nêu trên',
      'PHÓ GIÁM ĐỐC',
      'Hoàng Văn Được',
    ]);
  });
});

describe('Mẫu 06: phiếu kiểm soát quá trình giải quyết hồ sơ', () => {
  const form: ControlSlipForm = {
    ...BASE,
    handlingBody: 'Công chức Tư pháp - Hộ tịch xã Bảo Yên',
    coordinatingBodies: ['Ủy ban nhân dân xã Phúc Khánh'],
    receivedAt: RECEIVED_AT,
    dueAt: DUE_AT,
    trackingUrl: TRACKING_URL,
    rows: [
      {
        step: 'Tiếp nhận hồ sơ',
        giver: { name: 'Hoàng Văn Được', unit: 'Bộ phận tiếp nhận và trả kết quả' },
        receiver: { name: 'Phạm Thị Lý', unit: 'Công chức Tư pháp - Hộ tịch' },
        handedAt: new Date('2026-12-01T02:20:00Z'),
        stepDueAt: new Date('2026-12-01T09:30:00Z'),
        result: 'early',
        note: '',
      },
      {
        step: 'Thẩm định hồ sơ',
        giver: { name: 'Phạm Thị Lý', unit: 'Công chức Tư pháp - Hộ tịch' },
        receiver: { name: 'Lê Thị Thu Hà', unit: 'Lãnh đạo Ủy ban nhân dân xã' },
        handedAt: new Date('2026-12-03T09:30:00Z'),
        stepDueAt: new Date('2026-12-03T09:30:00Z'),
        result: 'on_time',
        note: 'Đã xác minh nơi sinh',
      },
      {
        step: 'Phê duyệt kết quả',
        giver: { name: 'Lê Thị Thu Hà', unit: 'Lãnh đạo Ủy ban nhân dân xã' },
        receiver: { name: 'Hoàng Văn Được', unit: 'Bộ phận tiếp nhận và trả kết quả' },
        handedAt: new Date('2026-12-04T10:15:00Z'),
        stepDueAt: new Date('2026-12-04T08:30:00Z'),
        result: 'late',
        note: 'Chờ ký số',
      },
    ],
  };

  it('prints each hand-off with its giver, receiver, time and result, and a QR code to the tracking page', async (t) => {
    if (!requirePdfTools(t)) return;
    const pdf = await renderControlSlip(form);
    assert.equal(await pdfPages(pdf), 1);
    await assertInfo(pdf, 'Phiếu kiểm soát quá trình giải quyết hồ sơ');
    const text = await formText(pdf);
    assertIncludes(text, [
      ...COMMON,
      'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
      'Cơ quan (bộ phận) giải quyết hồ sơ: Công chức Tư pháp - Hộ tịch xã Bảo Yên',
      'Cơ quan phối hợp giải quyết hồ sơ: Ủy ban nhân dân xã Phúc Khánh',
      'Thời gian nhận hồ sơ: 09:05 ngày 01/12/2026',
      'Thời gian hẹn trả kết quả: 16:30 ngày 04/12/2026',
      'Tên cơ quan/bộ phận',
      'Thời gian giao, nhận hồ sơ',
      'Ghi chú',
    ]);
    // Each row on its own: the column heading names all three results, so a row is read up to the next one.
    const expected = [
      ['1. Giao: Hoàng Văn Được (Bộ phận tiếp nhận và trả kết quả)', '09:20 01/12/2026', 'Trước hạn'],
      ['2. Giao: Phạm Thị Lý (Công chức Tư pháp - Hộ tịch)', '16:30 03/12/2026', 'Đúng hạn'],
      ['3. Giao: Lê Thị Thu Hà (Lãnh đạo Ủy ban nhân dân xã)', '17:15 04/12/2026', 'Quá hạn'],
    ];
    const receivers = [
      'Nhận: Phạm Thị Lý (Công chức Tư pháp - Hộ tịch)',
      'Nhận: Lê Thị Thu Hà (Lãnh đạo Ủy ban nhân dân xã)',
      'Nhận: Hoàng Văn Được (Bộ phận tiếp nhận và trả kết quả)',
    ];
    for (const [index, [giver, time, result]] of expected.entries()) {
      const start = text.indexOf(giver!);
      assert.ok(start >= 0, `row ${index + 1} missing from:\n${text}`);
      const next = expected[index + 1];
      const end = next ? text.indexOf(next[0]!) : text.length;
      const row = text.slice(start, end);
      assertIncludes(row, [receivers[index]!, time!, result!]);
      for (const other of Object.values(HAND_OFF_LABELS).filter((label) => label !== result)) {
        assert.ok(!row.includes(other), `row ${index + 1} shows "${other}": ${row}`);
      }
    }
    assertIncludes(text, ['Đã xác minh nơi sinh', 'Chờ ký số']);

    assert.deepEqual(
      (await decodeQrCodes(pdf)).map((code) => code.data),
      [TRACKING_URL],
    );
  });
});

describe('Mẫu 07: sổ theo dõi hồ sơ', () => {
  const rows: RegisterRow[] = Array.from({ length: 60 }, (_, index) => ({
    index: index + 1,
    dossierCode: `000.12.34.H37-261201-${String(index + 1).padStart(4, '0')}`,
    procedureName: index % 3 === 0 ? 'Đăng ký khai sinh' : 'Chứng thực bản sao từ bản chính giấy tờ, văn bản',
    applicantName: `Nguyễn Văn Thành ${index + 1}`,
    addressPhone: 'Thôn Khe Bá, xã Bảo Yên; 0912 345 678',
    processingBody: 'UBND xã Bảo Yên',
    receivedAt: new Date(Date.UTC(2026, 11, 1, 2, 5) + index * 3_600_000),
    dueAt: DUE_AT,
    returnedAt: index % 2 === 0 ? new Date('2026-12-04T08:00:00Z') : null,
    note: index % 2 === 0 ? 'Đã trả kết quả' : 'Đang giải quyết',
  }));
  const form: RegisterForm = {
    agency: BASE.agency,
    book: 'Quyển số 2026',
    from: new Date('2026-11-30T17:00:00Z'),
    to: new Date('2026-12-31T16:59:00Z'),
    rows,
    issuedAt: new Date('2026-12-31T09:00:00Z'),
  };

  it('lays 60 dossiers over several landscape pages, headings on each, numbered "Trang x/y"', async (t) => {
    if (!requirePdfTools(t)) return;
    const pdf = await renderRegister(form);
    const pages = await pdfPages(pdf);
    assert.ok(pages >= 2, `${pages} page(s)`);
    const info = await pdfInfo(pdf);
    assert.match(info['Page size']!, /^841\.89 x 595\.28 pts \(A4\)/);
    assert.equal(info.Title, `Sổ theo dõi hồ sơ, Quyển số: 2026 (${CENTRE})`);
    assert.equal(info.Author, CENTRE);

    const text = await formText(pdf);
    assertIncludes(text, [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'SỔ THEO DÕI HỒ SƠ',
      'Quyển số: 2026',
      'Từ ngày 01/12/2026 đến ngày 31/12/2026',
    ]);
    for (const row of rows) {
      assertIncludes(text, [row.dossierCode, row.applicantName, formatFormTime(row.receivedAt)]);
    }
    assertIncludes(text, ['Đăng ký khai sinh', '16:30 04/12/2026', '15:00 04/12/2026', 'Đang giải quyết']);

    for (let page = 1; page <= pages; page++) {
      const pageText = await formText(pdf, { firstPage: page, lastPage: page });
      assertIncludes(pageText, [
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
        `Trang ${page}/${pages}`,
      ]);
    }
  });

  it('exports the same register as a workbook', async () => {
    const { default: Excel } = await import('exceljs');
    const workbook = new Excel.Workbook();
    await workbook.xlsx.load((await registerWorkbook(form)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    assert.equal(sheet.name, 'Sổ theo dõi hồ sơ');
    assert.equal(sheet.getCell('A1').text, 'SỔ THEO DÕI HỒ SƠ');
    assert.match(sheet.getCell('A2').text, /Quyển số: 2026 · Từ ngày 01\/12\/2026 đến ngày 31\/12\/2026/);
    const header = (sheet.getRow(3).values as unknown[]).slice(1);
    assert.deepEqual(header, [
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
    ]);
    assert.equal(sheet.rowCount, 3 + rows.length);
    const first = (sheet.getRow(4).values as unknown[]).slice(1);
    assert.deepEqual(first, [
      1,
      '000.12.34.H37-261201-0001',
      'Đăng ký khai sinh',
      'Nguyễn Văn Thành 1',
      'Thôn Khe Bá, xã Bảo Yên; 0912 345 678',
      'UBND xã Bảo Yên',
      '09:05 01/12/2026',
      '16:30 04/12/2026',
      '15:00 04/12/2026',
      'Đã trả kết quả',
    ]);
    // Not yet returned: the cell is left blank.
    assert.equal(sheet.getRow(5).getCell(9).text, '');
    assert.equal(sheet.getRow(5).getCell(10).text, 'Đang giải quyết');
  });
});
