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

  for (const path of [
    '/thu-tuc',
    '/thu-tuc?q=khai+sinh',
    '/thu-tuc/1.004884',
    '/thu-tuc/2.000908.000.00.00.H61',
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
