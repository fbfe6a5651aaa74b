// The catalogue through its service and HTTP: imports of the shipped JSON catalogues and of announcement
// spreadsheets, versions, bad files, search, offerings per centre, pages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { Agent, createTestApp, type TestApp } from '../../../test/support/app.ts';
import { readCatalogueFile } from './procedure-files.ts';

const SEED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../reference-data/procedures');
const ANNOUNCEMENT = path.join(SEED, 'announcement-vinh-long-2637-2025.json');
const NATIONAL = path.join(SEED, 'national-commune-procedures.json');

async function importFile(t: TestApp, file: string, bytes = fs.readFileSync(file), dryRun = false) {
  const parsed = await readCatalogueFile(path.basename(file), bytes);
  return t.procedures.service.importCatalogue(parsed, { fileName: path.basename(file), dryRun, actor: null });
}

async function count(t: TestApp, table: string): Promise<number> {
  const { rows } = await t.database.pool.query(`select count(*)::int as n from ${table}`);
  return rows[0].n;
}

const CSV_HEADER =
  'STT,Mã TTHC,Tên thủ tục,Thời hạn giải quyết,Địa điểm/cách thức thực hiện,Phí/lệ phí,Căn cứ pháp lý';

describe('importing catalogues', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('a dry run reports without saving', async () => {
    const report = await importFile(t, ANNOUNCEMENT, undefined, true);
    assert.equal(report.status, 'dry-run');
    assert.equal(report.created, 12);
    assert.equal(await count(t, 'procedures'), 0);
    assert.equal(await count(t, 'procedure_imports'), 0);
  });

  test('every shipped JSON catalogue imports, and again with no duplicates', async () => {
    const first = await importFile(t, ANNOUNCEMENT);
    assert.equal(first.status, 'imported');
    assert.equal(first.created, 12);
    assert.equal(first.errors.length, 0);
    const national = await importFile(t, NATIONAL);
    assert.equal(national.status, 'imported', JSON.stringify(national.errors.slice(0, 5)));
    assert.equal(national.created, 382);
    const total = await count(t, 'procedures');
    assert.equal(total, 394);

    const again = await importFile(t, ANNOUNCEMENT);
    assert.deepEqual([again.created, again.newVersions, again.unchanged], [0, 0, 12]);
    const nationalAgain = await importFile(t, NATIONAL);
    assert.deepEqual(
      [nationalAgain.created, nationalAgain.newVersions, nationalAgain.unchanged],
      [0, 0, 382],
    );
    assert.equal(await count(t, 'procedures'), total);
    assert.equal(await count(t, 'procedure_versions'), total);
  });

  test('the announcement’s deadlines and fees are read from their text, the original kept', async () => {
    const procedure = await t.procedures.service.getProcedure('2.000908.000.00.00.H61');
    const time = procedure.record.channels[0]!.processingTime;
    assert.equal(time.unit, 'immediate');
    assert.equal(time.cutoff?.time, '15:00');
    assert.match(time.text, /sau 15 giờ/);
    assert.equal(procedure.record.announcedBy, '2637/QĐ-UBND');
    assert.equal(procedure.effectiveFrom, '2025-11-16');
  });

  test('a changed row becomes a new version; the old one stays readable', async () => {
    const data = JSON.parse(fs.readFileSync(ANNOUNCEMENT, 'utf8'));
    data.procedures[0].fee.text = '10.000 đồng/bản';
    const report = await importFile(t, 'sua-doi.json', Buffer.from(JSON.stringify(data)));
    assert.deepEqual([report.created, report.newVersions, report.unchanged], [0, 1, 11]);
    const code = data.procedures[0].code;
    const current = await t.procedures.service.getProcedure(code);
    assert.equal(current.version, 2);
    assert.equal(current.record.channels[0]!.fees[0]!.amountVnd, 10000);
    const first = await t.procedures.service.getProcedure(code, 1);
    assert.equal(first.record.channels[0]!.fees[0]!.free, true);
    const versions = await t.procedures.service.listVersions(code);
    assert.deepEqual(
      versions.map((v) => v.version),
      [2, 1],
    );
  });

  test('the abolished procedure of a decision is withdrawn from the catalogue, its versions kept', async () => {
    const data = JSON.parse(fs.readFileSync(ANNOUNCEMENT, 'utf8'));
    const abolished = data.abolished[0];
    data.procedures.push({
      ...data.procedures[1],
      code: abolished.code,
      baseCode: abolished.baseCode,
      name: abolished.name,
      rowId: 'X',
    });
    await importFile(t, 'truoc-bai-bo.json', Buffer.from(JSON.stringify({ ...data, abolished: [] })));
    const report = await importFile(t, ANNOUNCEMENT);
    assert.equal(report.withdrawn, 1);
    const withdrawn = await t.procedures.service.getProcedure(abolished.code);
    assert.ok(withdrawn.withdrawnAt);
    const search = await t.procedures.service.searchCatalogue({ q: abolished.code, page: 1, pageSize: 5 });
    assert.equal(search.total, 0, 'withdrawn procedures are not offered in the catalogue');
  });

  test('bad files: every bad row reported in Vietnamese, nothing saved', async () => {
    const before = await count(t, 'procedure_versions');
    const csv = [
      CSV_HEADER,
      'I. Lĩnh vực Hộ tịch,,,,,,',
      '1,1.001193,Đăng ký khai sinh,03 ngày làm việc,Trực tiếp tại Bộ phận Một cửa,Miễn phí,Luật Hộ tịch 2014',
      '2,1.001193,Đăng ký khai sinh lần hai,03 ngày làm việc,Trực tiếp,Miễn phí,',
      '3,abc,Thủ tục mã sai,03 ngày làm việc,Trực tiếp,Miễn phí,',
      '4,1.000656,Đăng ký khai tử,03 ngày làm việc,Trực tiếp,-5.000 đồng,',
      '5,1.000894,,03 ngày làm việc,Trực tiếp,Miễn phí,',
    ].join('\n');
    const report = await importFile(t, 'loi.csv', Buffer.from(csv));
    assert.equal(report.status, 'rejected');
    const byRow = report.errors.map((e) => `${e.row}:${e.column}`);
    assert.deepEqual(byRow, ['4:Mã TTHC', '5:Mã TTHC', '6:Phí/lệ phí', '7:Tên thủ tục']);
    assert.match(report.errors[0]!.reason, /trùng với dòng 3/);
    assert.match(report.errors[1]!.reason, /không đúng dạng/);
    assert.match(report.errors[2]!.reason, /Mức phí âm/);
    assert.equal(await count(t, 'procedure_versions'), before);

    const notUtf8 = Buffer.from([...Buffer.from(`${CSV_HEADER}\n1,1.001193,`), 0xc0, 0xe0, 0xff, 0x0a]);
    const encoding = await importFile(t, 'latin.csv', notUtf8);
    assert.match(encoding.errors[0]!.reason, /không ở mã UTF-8/);
    const broken = await importFile(t, 'hong.json', Buffer.from('{"procedures": [}'));
    assert.match(broken.errors[0]!.reason, /không phải JSON hợp lệ/);
    const fake = await importFile(t, 'gia.xlsx', Buffer.from('không phải excel'));
    assert.match(fake.errors[0]!.reason, /không phải bảng tính Excel/);
    const noHeader = await importFile(t, 'khong-tieu-de.csv', Buffer.from('a,b,c\n1,2,3'));
    assert.match(noHeader.errors[0]!.reason, /Không tìm thấy dòng tiêu đề/);
    assert.equal(await count(t, 'procedure_versions'), before);
  });

  test('an announcement spreadsheet (CSV and XLSX) imports with its texts parsed', async () => {
    const rows = [
      ['I. Lĩnh vực Hộ tịch'],
      [
        '1',
        '1.001193.000.00.00.H15',
        'Đăng ký khai sinh',
        '03 ngày làm việc',
        'Trực tiếp tại Bộ phận Một cửa hoặc trực tuyến trên Cổng Dịch vụ công quốc gia',
        'Miễn phí',
        '- Luật Hộ tịch năm 2014\n- Nghị định số 123/2015/NĐ-CP',
      ],
      [
        '2',
        '2.000908.000.00.00.H15',
        'Cấp bản sao từ sổ gốc',
        'Ngay trong ngày; trường hợp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo',
        'Như trên',
        '8.000 đồng/bản',
        'Nghị định số 23/2015/NĐ-CP',
      ],
    ];
    const csv = [CSV_HEADER, ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join(
      '\r\n',
    );
    const fromCsv = await importFile(t, 'cong-bo.csv', Buffer.from(csv));
    assert.equal(fromCsv.status, 'imported', JSON.stringify(fromCsv.errors));
    assert.equal(fromCsv.created, 2);
    const birth = await t.procedures.service.getProcedure('1.001193.000.00.00.H15');
    assert.equal(birth.record.field, 'Hộ tịch');
    assert.deepEqual(
      birth.record.channels.map((c) => c.channel),
      ['in_person', 'online'],
    );
    assert.equal(birth.record.channels[0]!.processingTime.value, 3);
    assert.equal(birth.record.channels[0]!.processingTime.unit, 'working_day');
    assert.equal(birth.record.channels[0]!.fees[0]!.free, true);
    const copy = await t.procedures.service.getProcedure('2.000908.000.00.00.H15');
    assert.equal(copy.record.channels[0]!.fees[0]!.amountVnd, 8000);
    assert.equal(copy.record.channels[0]!.fees[0]!.per, 'bản');
    assert.equal(copy.record.channels[0]!.processingTime.cutoff?.time, '15:00');
    assert.equal(copy.record.channels.length, 2, '“Như trên” repeats the cell above');

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Danh mục');
    sheet.addRow(['QUYẾT ĐỊNH CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH']);
    sheet.addRow(CSV_HEADER.split(','));
    for (const r of rows) sheet.addRow(r);
    sheet.getCell('F5').value = '10.000 đồng/bản'; // row 5: the second procedure
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const fromXlsx = await importFile(t, 'cong-bo.xlsx', xlsx);
    assert.equal(fromXlsx.status, 'imported', JSON.stringify(fromXlsx.errors));
    assert.deepEqual([fromXlsx.created, fromXlsx.newVersions, fromXlsx.unchanged], [0, 1, 1]);
    assert.equal(
      (await t.procedures.service.getProcedure('2.000908.000.00.00.H15')).record.channels[0]!.fees[0]!
        .amountVnd,
      10000,
    );
  });

  test('search ignores diacritics and tolerates typos; codes and fields too; best match first', async () => {
    // The last two are typos (a missing letter, swapped letters): found by trigram similarity.
    for (const q of [
      'dang ky khai sinh',
      'đăng kí khai sinh',
      'Đăng ký khai sinh',
      'dang ki khai sinh',
      'dang ky khai snh',
      'dnag ky khai sinh',
    ]) {
      const result = await t.procedures.service.searchCatalogue({ q, page: 1, pageSize: 5 });
      assert.ok(result.items.length > 0, q);
      assert.match(result.items[0]!.name, /^Đăng ký khai sinh/, `${q} → ${result.items[0]!.name}`);
    }
    const byCode = await t.procedures.service.searchCatalogue({ q: '1.001193', page: 1, pageSize: 5 });
    assert.ok(byCode.items[0]!.code.startsWith('1.001193'));
    const byField = await t.procedures.service.searchCatalogue({
      field: 'Chứng thực',
      page: 1,
      pageSize: 100,
    });
    assert.ok(byField.total >= 12);
    assert.ok(byField.items.every((p) => p.field === 'Chứng thực'));
  });
});

describe('catalogue over HTTP', () => {
  let t: TestApp;
  let admin: Agent;
  before(async () => {
    t = await createTestApp();
    await importFile(t, ANNOUNCEMENT);
    await importFile(t, NATIONAL);
    admin = new Agent(t.app);
    await admin.login('quantri.tinh');
  });
  after(() => t.close());

  test('the API searches and reads procedures; unknown codes are a Vietnamese 404', async () => {
    const anonymous = new Agent(t.app);
    const list = (
      await anonymous.request({ method: 'GET', url: '/api/procedures?q=khai%20sinh&pageSize=3' })
    ).json();
    assert.ok(list.total > 0);
    const one = await anonymous.request({ method: 'GET', url: `/api/procedures/${list.items[0].code}` });
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().record.code, list.items[0].code);
    const missing = await anonymous.request({ method: 'GET', url: '/api/procedures/9.999999' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.json().error.message, /Không có thủ tục hành chính nào mang mã “9.999999”/);
  });

  test('the province enables procedures per commune centre; a desk officer may not', async () => {
    const enable = await admin.command('POST', '/api/admin-units/02647/procedures', {
      enable: ['2.000908.000.00.00.H61', '1.004884'],
      disable: [],
    });
    assert.equal(enable.statusCode, 200, enable.body);
    assert.equal(enable.json().enabled, 2);
    const listed = await admin.request({ method: 'GET', url: '/api/admin-units/02647/procedures' });
    assert.equal(listed.statusCode, 200, listed.body);
    const offered = listed.json();
    assert.deepEqual(offered.map((p: { code: string }) => p.code).sort(), [
      '1.004884',
      '2.000908.000.00.00.H61',
    ]);
    const officer = new Agent(t.app);
    await officer.login('motcua.xa1');
    const refused = await officer.command('POST', '/api/admin-units/02647/procedures', {
      enable: ['1.004884'],
      disable: [],
    });
    assert.equal(refused.statusCode, 403);
    const unknown = await admin.command('POST', '/api/admin-units/02647/procedures', {
      enable: ['9.999999'],
      disable: [],
    });
    assert.equal(unknown.statusCode, 404);
  });

  test('a centre’s own catalogue page, the completeness filter, and e-forms given with a procedure', async () => {
    await admin.command('POST', '/api/admin-units/02647/procedures', { enable: ['1.004884'], disable: [] });
    const centre = await new Agent(t.app).request({ method: 'GET', url: '/thu-tuc?xa=02647' });
    assert.equal(centre.statusCode, 200);
    assert.match(centre.body, /<h1>Thủ tục hành chính tại Phường Lào Cai<\/h1>/);
    assert.match(centre.body, /href="\/don-vi-hanh-chinh\/02647\/thu-tuc.pdf"/);
    assert.match(centre.body, /đăng ký lại khai sinh/);

    const incomplete = (
      await admin.request({ method: 'GET', url: '/api/procedures?incomplete=true&pageSize=500' })
    ).json();
    assert.ok(incomplete.total > 0);
    assert.ok(incomplete.items.every((p: { missingComponents: string[] }) => p.missingComponents.length > 0));
    // The announcement's table carries no components, steps or subjects: all of its rows are incomplete.
    const vinhLong = await t.procedures.service.getProcedure('2.000908.000.00.00.H61');
    assert.deepEqual(vinhLong.missingComponents.sort(), ['components', 'steps', 'subjects']);

    const data = JSON.parse(fs.readFileSync(ANNOUNCEMENT, 'utf8'));
    data.procedures = [data.procedures[0]];
    data.procedures[0].eForm = {
      type: 'object',
      properties: { hoTen: { type: 'string', title: 'Họ và tên' } },
    };
    const withForm = await importFile(t, 'bieu-mau.json', Buffer.from(JSON.stringify(data)));
    assert.equal(withForm.newVersions, 1);
    assert.deepEqual(
      (await t.procedures.service.getProcedure(data.procedures[0].code)).record.eForm,
      data.procedures[0].eForm,
    );
    data.procedures[0].eForm = ['không phải schema'];
    const badForm = await importFile(t, 'bieu-mau-sai.json', Buffer.from(JSON.stringify(data)));
    assert.equal(badForm.status, 'rejected');
    assert.match(badForm.errors[0]!.reason, /JSON Schema/);
  });

  test('the province chooses a centre’s procedures in a page; a desk officer may not', async () => {
    const page = await admin.request({ method: 'GET', url: '/quan-tri/thu-tuc/don-vi/02671' });
    assert.equal(page.statusCode, 200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const saved = await admin.request({
      method: 'POST',
      url: '/quan-tri/thu-tuc/don-vi/02671',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([
        ['_csrf', token],
        ['codes', '1.004884'],
        ['codes', '2.000908.000.00.00.H61'],
        ['codes', ''],
      ]).toString(),
    });
    assert.equal(saved.statusCode, 200);
    assert.match(saved.body, /Đã lưu: bật 2, tắt 0 thủ tục/);
    assert.deepEqual((await t.procedures.service.listOfferings('02671')).sort(), [
      '1.004884',
      '2.000908.000.00.00.H61',
    ]);
    const token2 = /name="_csrf" value="([^"]+)"/.exec(saved.body)![1]!;
    const unticked = await admin.request({
      method: 'POST',
      url: '/quan-tri/thu-tuc/don-vi/02671',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([
        ['_csrf', token2],
        ['codes', '1.004884'],
        ['codes', ''],
      ]).toString(),
    });
    assert.match(unticked.body, /Đã lưu: bật 0, tắt 1 thủ tục/);
    const officer = new Agent(t.app);
    await officer.login('motcua.xa2');
    assert.equal(
      (await officer.request({ method: 'GET', url: '/quan-tri/thu-tuc/don-vi/02671' })).statusCode,
      403,
    );
  });

  test('public pages: the catalogue with filters and a procedure page in plain Vietnamese', async () => {
    const agent = new Agent(t.app);
    const catalogue = await agent.request({ method: 'GET', url: '/thu-tuc?q=khai+sinh&cap=xa' });
    assert.equal(catalogue.statusCode, 200);
    assert.match(catalogue.body, /đăng ký khai sinh/);
    const page = await agent.request({ method: 'GET', url: '/thu-tuc/2.000908.000.00.00.H61' });
    assert.equal(page.statusCode, 200);
    for (const heading of [
      'Mất bao lâu',
      'Phí, lệ phí',
      'Cần chuẩn bị những gì',
      'Nộp hồ sơ ở đâu, bằng cách nào',
      'Căn cứ pháp lý',
    ]) {
      assert.match(page.body, new RegExp(heading));
    }
    const versions = await agent.request({ method: 'GET', url: '/thu-tuc/2.000908.000.00.00.H61/phien-ban' });
    assert.equal(versions.statusCode, 200);
    const missing = await agent.request({ method: 'GET', url: '/thu-tuc/9.999999' });
    assert.equal(missing.statusCode, 404);
  });

  test('the administrator page imports an uploaded file (multipart, with CSRF)', async () => {
    const page = await admin.request({ method: 'GET', url: '/quan-tri/thu-tuc/nhap' });
    assert.equal(page.statusCode, 200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const boundary = '----xaso';
    const csv = `${CSV_HEADER}\nI. Lĩnh vực Chứng thực,,,,,,\n1,2.000815.000.00.00.H15,Chứng thực bản sao từ bản chính,Trong ngày,Trực tiếp,2.000 đồng/trang,\n`;
    const body = [
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cong-bo.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n`,
      `--${boundary}--\r\n`,
    ].join('');
    const response = await admin.request({
      method: 'POST',
      url: '/quan-tri/thu-tuc/nhap',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.from(body),
    });
    assert.equal(response.statusCode, 200, response.body.slice(0, 500));
    assert.match(response.body, /Đã nhập 1 thủ tục: 1 mới/);
    const officer = new Agent(t.app);
    await officer.login('motcua.xa1');
    assert.equal((await officer.request({ method: 'GET', url: '/quan-tri/thu-tuc/nhap' })).statusCode, 403);
  });
});

describe('posters and centre sheets over HTTP', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { PUBLIC_URL: 'https://motcua.laocai.gov.vn' } });
    await importFile(t, ANNOUNCEMENT);
    await importFile(t, NATIONAL);
    const admin = new Agent(t.app);
    await admin.login('quantri.tinh');
    const { items } = await t.procedures.service.searchCatalogue({
      field: 'Hộ tịch',
      page: 1,
      pageSize: 100,
    });
    await admin.command('POST', '/api/admin-units/02647/procedures', {
      enable: items.map((p) => p.code),
      disable: [],
    });
  });
  after(() => t.close());

  test('a procedure’s poster: Vietnamese text intact, its QR code leads to the procedure’s public page', async (context) => {
    const { requirePdfTools, pdfText, decodeQrCodes } = await import('../../../test/support/pdf.ts');
    if (!requirePdfTools(context)) return;
    const response = await new Agent(t.app).request({
      method: 'GET',
      url: '/thu-tuc/2.000908.000.00.00.H61/ap-phich.pdf',
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/pdf');
    const pdf = response.rawPayload;
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    assert.match(text, /Cấp bản sao từ sổ gốc/);
    assert.match(text, /2\.000908\.000\.00\.00\.H61/);
    const codes = await decodeQrCodes(pdf);
    assert.deepEqual(
      codes.map((c) => c.data),
      ['https://motcua.laocai.gov.vn/thu-tuc/2.000908.000.00.00.H61'],
    );
  });

  test('a commune centre’s sheet lists what it offers, each with its QR code', async (context) => {
    const { requirePdfTools, pdfText, decodeQrCodes } = await import('../../../test/support/pdf.ts');
    if (!requirePdfTools(context)) return;
    const response = await new Agent(t.app).request({
      method: 'GET',
      url: '/don-vi-hanh-chinh/02647/thu-tuc.pdf',
    });
    assert.equal(response.statusCode, 200);
    const pdf = response.rawPayload;
    const text = await pdfText(pdf);
    assert.match(
      text.replace(/\s+/g, ' '),
      /Danh mục thủ tục hành chính tại Trung tâm Phục vụ hành chính công/,
    );
    const codes = await decodeQrCodes(pdf, { firstPage: 1, lastPage: 1 });
    assert.ok(codes.length >= 5);
    for (const code of codes)
      assert.match(code.data, /^https:\/\/motcua\.laocai\.gov\.vn\/thu-tuc\/[0-9.A-Z]+$/);
    const unknown = await new Agent(t.app).request({
      method: 'GET',
      url: '/don-vi-hanh-chinh/99999/thu-tuc.pdf',
    });
    assert.equal(unknown.statusCode, 404);
  });
});
