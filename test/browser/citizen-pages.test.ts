// What a citizen does on a cheap phone (360×740): the home page, finding a commune, switching language. Every page
// is checked with axe. Also the page-weight budget of the citizen pages, and a screenshot (/tmp/xaso-units.png) for a
// person to look at.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertAccessible,
  browserSkip,
  gzippedPageWeight,
  browserAndApp,
  openPhonePage,
  textOf,
} from './browser.ts';

// A citizen page plus its CSS must fit a slow mobile connection: 30 KB gzipped on the first visit.
const PAGE_WEIGHT_BUDGET = 30 * 1024;
const SCREENSHOT_PATH = '/tmp/xaso-units.png';

describe('citizen pages in a browser', { skip: browserSkip() }, () => {
  const fixture = browserAndApp();

  test('the home page is in Vietnamese and leads to the administrative units', async (t) => {
    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl);
    await page.goto('/');

    assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
    assert.equal(await page.title(), 'Dịch vụ công trực tuyến cấp xã – xã số');
    assert.equal(await textOf(page, 'h1'), 'Dịch vụ công trực tuyến cấp xã');
    await assertAccessible(page);

    await page.getByRole('link', { name: 'Tra cứu đơn vị hành chính' }).click();
    await page.waitForURL('**/don-vi-hanh-chinh');
    assert.equal(await textOf(page, 'h1'), 'Đơn vị hành chính');
  });

  test('a citizen finds Phường Ba Đình by typing without diacritics, then browses a province', async (t) => {
    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl);
    await page.goto('/don-vi-hanh-chinh');
    assert.equal(await textOf(page, 'h1'), 'Đơn vị hành chính');
    assert.equal(await textOf(page, 'h2'), 'Tỉnh, thành phố');
    await assertAccessible(page);

    await page.getByLabel(/^Tìm theo tên/).fill('ba dinh');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.getByRole('heading', { name: /^Kết quả tìm kiếm “ba dinh”/ }).waitFor();
    assert.equal(await page.getByLabel(/^Tìm theo tên/).inputValue(), 'ba dinh');
    await assertAccessible(page);

    await page.getByRole('link', { name: 'Phường Ba Đình', exact: true }).click();
    await page.waitForURL(/\/don-vi-hanh-chinh\/\d{5}$/);
    assert.equal(await textOf(page, 'h1'), 'Phường Ba Đình');
    assert.match(await textOf(page, 'dl.summary'), /Phường/);
    await assertAccessible(page);

    await page.goto('/don-vi-hanh-chinh');
    const laoCai = page.getByRole('row').filter({ has: page.getByRole('cell', { name: '15', exact: true }) });
    await laoCai.getByRole('link').click();
    await page.waitForURL('**/don-vi-hanh-chinh?tinh=15');
    assert.equal(await textOf(page, 'h2'), 'Xã, phường, đặc khu thuộc Tỉnh Lào Cai');
    assert.ok((await page.locator('tbody tr').count()) > 50, 'the communes of Lào Cai are listed');
    await assertAccessible(page);
  });

  test('the language switch shows the same page in English and back in Vietnamese', async (t) => {
    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl);
    await page.goto('/don-vi-hanh-chinh');

    await page.getByRole('link', { name: 'English' }).click();
    await page.locator('html[lang="en"]').waitFor();
    assert.equal(page.url(), `${fixture.server.baseUrl}/don-vi-hanh-chinh`);
    assert.equal(await textOf(page, 'h1'), 'Administrative units');
    await assertAccessible(page);

    await page.getByRole('link', { name: 'Tiếng Việt' }).click();
    await page.locator('html[lang="vi"]').waitFor();
    assert.equal(await textOf(page, 'h1'), 'Đơn vị hành chính');
  });

  test('a screenshot of the units page at phone size, for a person to look at', async (t) => {
    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl);
    await page.goto('/don-vi-hanh-chinh');
    await page.screenshot({ path: SCREENSHOT_PATH });
  });

  for (const path of ['/', '/don-vi-hanh-chinh?tinh=15']) {
    test(`${path} weighs at most 30 KB gzipped with its CSS`, async () => {
      const weight = await gzippedPageWeight(`${fixture.server.baseUrl}${path}`);
      console.log(
        `page weight ${path}: HTML ${weight.html} B + CSS ${weight.css} B = ${weight.total} B gzipped`,
      );
      assert.ok(
        weight.total <= PAGE_WEIGHT_BUDGET,
        `${path} weighs ${weight.total} B gzipped, over the ${PAGE_WEIGHT_BUDGET} B budget`,
      );
    });
  }
});
