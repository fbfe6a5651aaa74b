import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  decodeQrCodes,
  missingPdfTools,
  pdfInfo,
  pdfPages,
  pdfText,
  requirePdfTools,
} from '../../../test/support/pdf.ts';
import {
  procedurePublicUrl,
  renderCentreSheet,
  renderProcedurePoster,
  type PosterProcedure,
} from './procedure-posters.ts';

const PUBLIC_URL = 'https://dichvucong.laocai.gov.vn';
const CENTRE = 'Trung tâm Phục vụ hành chính công xã Bảo Yên';

const BIRTH: PosterProcedure = {
  code: '1.001193.000.00.00.H12',
  name: 'Đăng ký khai sinh',
  field: 'Hộ tịch',
  processingTime: 'Ngay trong ngày làm việc',
  fees: 'Miễn lệ phí',
  channels: ['trực tiếp', 'trực tuyến', 'qua bưu chính công ích'],
};

const CERTIFIED_COPY: PosterProcedure = {
  code: '2.000815.000.00.00.H12',
  name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của Việt Nam cấp',
  field: 'Chứng thực',
  processingTime: 'Trong ngày; nếu tiếp nhận yêu cầu sau 15 giờ thì trả trong ngày làm việc tiếp theo',
  fees: '2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản',
  channels: ['trực tiếp', 'trực tuyến'],
};

/** pdftotext keeps line breaks and column gaps; a sentence is checked with its whitespace collapsed. */
function collapse(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('procedure poster', () => {
  it('prints the procedure with its diacritics intact and a QR code to exactly its public page', async (t) => {
    if (!requirePdfTools(t)) return;
    for (const procedure of [BIRTH, CERTIFIED_COPY]) {
      const pdf = await renderProcedurePoster(procedure, { publicUrl: PUBLIC_URL, centreName: CENTRE });
      const url = `${PUBLIC_URL}/thu-tuc/${procedure.code}`;

      assert.equal(await pdfPages(pdf), 1);
      const info = await pdfInfo(pdf);
      assert.match(info['Page size']!, /\(A4\)/);
      assert.equal(info.Title, `${procedure.name} (${procedure.code})`);
      assert.equal(info.Author, CENTRE);

      const text = collapse(await pdfText(pdf));
      for (const expected of [
        procedure.name,
        procedure.code,
        `Thời hạn giải quyết: ${procedure.processingTime}`,
        `Phí, lệ phí: ${procedure.fees}`,
        `Cách nộp: ${procedure.channels.join(', ')}`,
        url,
        'Quét mã QR để xem thành phần hồ sơ, thời hạn và lệ phí',
        CENTRE.toLocaleUpperCase('vi'),
      ]) {
        assert.ok(text.includes(expected), `"${expected}" missing from:\n${text}`);
      }

      const codes = await decodeQrCodes(pdf);
      assert.deepEqual(
        codes.map((code) => code.data),
        [url],
      );
    }
  });

  it('encodes the code in the URL and takes decomposed text and a trailing slash', async (t) => {
    if (!requirePdfTools(t)) return;
    const pdf = await renderProcedurePoster(
      { ...BIRTH, code: 'XA 01/2025', name: BIRTH.name.normalize('NFD') },
      { publicUrl: `${PUBLIC_URL}/` },
    );
    assert.deepEqual(
      (await decodeQrCodes(pdf)).map((code) => code.data),
      [`${PUBLIC_URL}/thu-tuc/XA%2001%2F2025`],
    );
    assert.ok((await pdfText(pdf)).includes('Đăng ký khai sinh'));
  });

  it('stays on one page when the texts are long, setting them smaller or, past that, cutting them short', async (t) => {
    if (!requirePdfTools(t)) return;
    for (const times of [4, 40]) {
      const pdf = await renderProcedurePoster(
        {
          ...CERTIFIED_COPY,
          fees: CERTIFIED_COPY.fees.repeat(times),
          processingTime: CERTIFIED_COPY.processingTime.repeat(times),
        },
        { publicUrl: PUBLIC_URL, centreName: CENTRE },
      );
      assert.equal(await pdfPages(pdf), 1);
      assert.equal((await decodeQrCodes(pdf)).length, 1);
      assert.equal(collapse(await pdfText(pdf)).includes('xem đầy đủ qua mã QR'), times === 40);
    }
  });
});

describe('centre sheet', () => {
  const names = [
    'Đăng ký khai sinh',
    'Đăng ký kết hôn',
    'Đăng ký khai tử',
    'Cấp bản sao trích lục hộ tịch',
    CERTIFIED_COPY.name,
    'Chứng thực chữ ký trong các giấy tờ, văn bản',
    'Đăng ký thường trú',
    'Giải quyết chế độ trợ cấp thờ cúng liệt sĩ',
    'Xác nhận hợp đồng tiếp cận nguồn gen và chia sẻ lợi ích',
  ];
  const fields = ['Hộ tịch', 'Chứng thực', 'Cư trú', 'Người có công', 'Đa dạng sinh học'];
  const procedures: PosterProcedure[] = Array.from({ length: 152 }, (_, index) => ({
    // National codes and localised ones (the longest form a code takes).
    code: index % 2 === 0 ? `1.00${1200 + index}` : `2.00${1300 + index}.000.00.00.H12`,
    name: `${names[index % names.length]} (số ${index + 1})`,
    field: fields[index % fields.length]!,
    processingTime: index % 3 === 0 ? '03 ngày làm việc' : 'Ngay trong ngày làm việc',
    fees: index % 4 === 0 ? 'Miễn phí' : '8.000 đồng/bản',
    channels: ['trực tiếp', 'trực tuyến'],
  }));
  let pdf: Buffer;
  let pageCount: number;

  before(async () => {
    if (missingPdfTools().length > 0) return;
    pdf = await renderCentreSheet(
      { centreName: CENTRE, unitCode: '02839', procedures },
      { publicUrl: PUBLIC_URL },
    );
    pageCount = await pdfPages(pdf);
  });

  it('lists every procedure over numbered A4 pages', async (t) => {
    if (!requirePdfTools(t)) return;
    assert.ok(pageCount > 1, `${pageCount} page(s)`);
    const info = await pdfInfo(pdf);
    assert.match(info['Page size']!, /\(A4\)/);
    assert.equal(info.Title, `Danh mục thủ tục hành chính tại ${CENTRE}`);

    const firstPage = await pdfText(pdf, { firstPage: 1, lastPage: 1 });
    assert.ok(collapse(firstPage).includes(`Danh mục thủ tục hành chính tại ${CENTRE}`), firstPage);
    assert.match(firstPage, new RegExp(`Trang 1/${pageCount}\\b`));
    const lastPage = await pdfText(pdf, { firstPage: pageCount, lastPage: pageCount });
    assert.match(lastPage, new RegExp(`Trang ${pageCount}/${pageCount}\\b`));

    // Raw order keeps a cell's wrapped lines together, so a long name reads whole.
    const text = collapse(await pdfText(pdf, { mode: 'raw' }));
    const missing = procedures.filter((procedure) => !text.includes(procedure.name));
    assert.deepEqual(
      missing.map((procedure) => procedure.name),
      [],
    );
    for (const code of ['1.001200', '2.001301.000.00.00.H12']) assert.ok(text.includes(code), code);
  });

  it('gives each row on a page a QR code to that row’s procedure, in order', async (t) => {
    if (!requirePdfTools(t)) return;
    const firstPageText = collapse(await pdfText(pdf, { firstPage: 1, lastPage: 1, mode: 'raw' }));
    const onFirstPage = procedures.filter((procedure) => firstPageText.includes(procedure.name));
    assert.ok(onFirstPage.length >= 5, `${onFirstPage.length} rows on page 1`);
    assert.deepEqual(onFirstPage, procedures.slice(0, onFirstPage.length));

    const codes = await decodeQrCodes(pdf, { firstPage: 1, lastPage: 1 });
    assert.deepEqual(
      codes.map((code) => code.data),
      onFirstPage.map((procedure) => procedurePublicUrl(PUBLIC_URL, procedure.code)),
    );
  });
});
