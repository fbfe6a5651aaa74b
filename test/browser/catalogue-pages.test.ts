// The procedure catalogue as a citizen uses it on a 360×740 phone: search without diacritics, filters, a
// procedure page in plain Vietnamese, with and without JavaScript; axe on each page and the weight budget.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, test } from 'node:test';
import {
  assertAccessible,
  browserAndApp,
  browserSkip,
  gzippedPageWeight,
  openPhonePage,
  signIn,
  textOf,
} from './browser.ts';

const PAGE_WEIGHT_BUDGET = 30 * 1024;
const SEED = new URL('../../reference-data/procedures/', import.meta.url);

describe('the procedure catalogue in a browser', { skip: browserSkip() }, () => {
  const fixture = browserAndApp();

  before(async () => {
    const { procedures } = fixture.server.testApp;
    for (const file of ['national-commune-procedures.json', 'announcement-vinh-long-2637-2025.json']) {
      const parsed = await procedures.readCatalogueFile(file, fs.readFileSync(new URL(file, SEED)));
      await procedures.service.importCatalogue(parsed, { fileName: file, dryRun: false, actor: null });
    }
  });

  test('a citizen finds a procedure by typing without diacritics and reads what to bring, how long, how much', async (t) => {
    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl);
    await page.goto('/thu-tuc');
    assert.equal(await textOf(page, 'h1'), 'Thủ tục hành chính');
    await assertAccessible(page);

    await page.getByLabel(/^Tìm thủ tục/).fill('dang ki lai khai sinh');
    await page.getByLabel('Lĩnh vực').selectOption('Hộ tịch');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.waitForURL(/q=dang\+ki\+lai\+khai\+sinh/);
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Thủ tục đăng ký lại khai sinh', exact: true }).click();
    await page.waitForURL('**/thu-tuc/1.004884');
    assert.equal(await textOf(page, 'h1'), 'Thủ tục đăng ký lại khai sinh');
    for (const heading of [
      'Mất bao lâu',
      'Phí, lệ phí',
      'Cần chuẩn bị những gì',
      'Nộp hồ sơ ở đâu, bằng cách nào',
    ]) {
      await page.getByRole('heading', { name: heading }).waitFor();
    }
    await assertAccessible(page);
  });

  test('the catalogue works without JavaScript', async (t) => {
    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl, {
      javaScriptEnabled: false,
    });
    await page.goto('/thu-tuc');
    await page.getByLabel(/^Tìm thủ tục/).fill('chung thuc ban sao');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.waitForURL(/q=chung\+thuc/);
    assert.match(await textOf(page, 'ul.results'), /Chứng thực bản sao/);
  });

  test('the province administrator imports an announcement table and chooses a centre’s procedures', async (t) => {
    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl);
    await signIn(page, 'quantri.tinh');
    await page.goto('/quan-tri/thu-tuc/nhap');
    assert.equal(await textOf(page, 'h1'), 'Nhập danh mục thủ tục hành chính');
    await assertAccessible(page);

    // A bad file first: the rejection lists every bad row, in Vietnamese, and the page stays accessible.
    const header =
      'STT,Mã TTHC,Tên thủ tục,Thời hạn giải quyết,Địa điểm/cách thức thực hiện,Phí/lệ phí,Căn cứ pháp lý';
    const bad = `${header}\nI. Lĩnh vực Hộ tịch,,,,,,\n1,1.00119,Đăng ký khai sinh,03 ngày làm việc,Trực tiếp,Miễn phí,\n`;
    await page
      .getByLabel(/^Tệp danh mục/)
      .setInputFiles({ name: 'loi.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Nhập danh mục' }).click();
    await page.getByRole('heading', { name: /Tệp bị từ chối: 1 lỗi/ }).waitFor();
    assert.match(await textOf(page, '.error-summary'), /Mã “1.00119” không đúng dạng/);
    await assertAccessible(page);

    const good = `${header}\nI. Lĩnh vực Hộ tịch,,,,,,\n1,1.001193.000.00.00.H15,Đăng ký khai sinh,03 ngày làm việc,Trực tiếp hoặc trực tuyến,Miễn phí,Luật Hộ tịch năm 2014\n`;
    await page
      .getByLabel(/^Tệp danh mục/)
      .setInputFiles({ name: 'cong-bo.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByRole('button', { name: 'Nhập danh mục' }).click();
    await page.getByText('Đã nhập 1 thủ tục: 1 mới').waitFor();
    await assertAccessible(page);

    await page.goto('/quan-tri/thu-tuc/don-vi/02647');
    assert.equal(await textOf(page, 'h1'), 'Thủ tục tiếp nhận tại Phường Lào Cai');
    await assertAccessible(page);
    await page.getByLabel(/^Đăng ký khai sinh/).check();
    await page.getByRole('button', { name: 'Lưu danh mục của trung tâm' }).click();
    await page.getByText(/Đã lưu: bật 1, tắt 0 thủ tục/).waitFor();
    await page.goto('/thu-tuc?xa=02647');
    assert.match(await textOf(page, 'ul.results'), /Đăng ký khai sinh/);
    await assertAccessible(page);

    // The working calendar with its edit forms, and a procedure page's "if received now" line.
    await page.goto('/lich-lam-viec?nam=2026');
    assert.equal(await textOf(page, 'h1'), 'Lịch làm việc năm 2026 – Tỉnh Lào Cai');
    await page.getByRole('heading', { name: 'Sửa lịch' }).waitFor();
    await assertAccessible(page);
    await page.goto('/thu-tuc/1.001193.000.00.00.H15');
    assert.match(await textOf(page, 'main'), /Nếu hồ sơ đầy đủ được tiếp nhận lúc .*, hẹn trả kết quả: /);
  });

  test('the public working calendar', async (t) => {
    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl);
    await page.goto('/lich-lam-viec?nam=2027');
    assert.match(await textOf(page, 'main'), /dự kiến theo Bộ luật Lao động 2019/);
    await assertAccessible(page);
  });

  for (const path of [
    '/thu-tuc',
    '/thu-tuc?q=khai+sinh',
    '/thu-tuc/1.004884',
    '/thu-tuc/2.000908.000.00.00.H61',
    '/lich-lam-viec',
  ]) {
    test(`${path} weighs at most 30 KB gzipped with its CSS`, async () => {
      const weight = await gzippedPageWeight(`${fixture.server.baseUrl}${path}`);
      console.log(
        `page weight ${path}: HTML ${weight.html} B + CSS ${weight.css} B = ${weight.total} B gzipped`,
      );
      assert.ok(weight.total <= PAGE_WEIGHT_BUDGET, `${path} weighs ${weight.total} B gzipped`);
    });
  }
});
