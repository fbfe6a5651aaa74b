// Verifying a signed PDF in a browser at phone size: the province administrator adds the test CA through the
// trusted-roots page, then anyone uploads a signed PDF on /xac-minh — once with JavaScript switched off (the form
// must work without it) and once with axe checking the form, the report and an error state. Full-page screenshots
// are kept in test-artifacts/verification/ (gitignored).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { renderPdf } from '../../src/platform/pdf/render-pdf.ts';
import { signPdf } from '../../src/modules/signing/pades.ts';
import { createP12Signer } from '../../src/modules/signing/signer.ts';
import { createTestPki, TEST_P12_PASSWORD, type TestPki } from '../support/test-pki.ts';
import { assertAccessible, browserAndApp, browserSkip, openPhonePage, signIn, textOf } from './browser.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/verification/', import.meta.url));

async function keep(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

describe('verifying a signed PDF in a browser', { skip: browserSkip() }, () => {
  const fixture = browserAndApp();
  let pki: TestPki;
  let files: { signed: string; caPem: string; leaf: string; notPdf: string };

  before(async () => {
    pki = createTestPki();
    const document = await renderPdf({
      info: { title: 'Kết quả giải quyết (thử ký)', author: 'xaso' },
      content: [{ text: 'Kết quả giải quyết thủ tục hành chính — bản thử ký số.' }],
    });
    const signed = await signPdf(document, createP12Signer(pki.issue('leader').p12, TEST_P12_PASSWORD), {
      name: 'Giàng A Páo',
      reason: 'Ký số kết quả',
      location: 'Bảo Yên, Lào Cai',
      contactInfo: 'motcua@baoyen.laocai.gov.vn',
      signingTime: new Date(Math.floor(Date.now() / 1000) * 1000 + 2000),
    });
    files = {
      signed: path.join(pki.dir, 'ket-qua-da-ky.pdf'),
      caPem: path.join(pki.dir, 'ca.crt'),
      leaf: path.join(pki.dir, 'khong-phai-ca.crt'),
      notPdf: path.join(pki.dir, 'anh.pdf'),
    };
    fs.writeFileSync(files.signed, signed);
    fs.writeFileSync(files.leaf, pki.leafOnlyPem());
    fs.writeFileSync(files.notPdf, 'không phải PDF');
  });
  after(() => pki.close());

  test('the administrator adds the CA; the page then reports the signature as trusted; axe passes', async (t) => {
    const admin = await openPhonePage(t, fixture.browser, fixture.server.baseUrl);
    await signIn(admin, 'quantri.tinh');
    await admin.getByRole('link', { name: 'Chứng thư số tin cậy' }).click();
    await admin.waitForURL('**/quan-tri/chung-thu-tin-cay');
    assert.equal(await textOf(admin, 'h1'), 'Chứng thư số gốc được tỉnh tin cậy');
    await assertAccessible(admin);

    await admin.getByLabel('Tệp chứng thư số gốc (.cer, .crt, .pem)').setInputFiles(files.leaf);
    await admin.getByRole('button', { name: 'Thêm vào danh sách tin cậy' }).click();
    await admin.locator('.error-summary').waitFor();
    await keep(admin, '1-tin-cay-loi');
    await assertAccessible(admin);

    await admin.getByLabel('Tên hiển thị').fill('CA thử nghiệm của tỉnh');
    await admin.getByLabel('Tệp chứng thư số gốc (.cer, .crt, .pem)').setInputFiles(files.caPem);
    await admin.getByRole('button', { name: 'Thêm vào danh sách tin cậy' }).click();
    await admin.getByText('Đã thêm chứng thư số gốc vào danh sách tin cậy.').waitFor();
    await keep(admin, '2-tin-cay');
    await assertAccessible(admin);

    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl);
    await page.goto('/xac-minh');
    await assertAccessible(page);
    await page.getByLabel('Tệp PDF cần kiểm tra').setInputFiles(files.notPdf);
    await page.getByRole('button', { name: 'Kiểm tra chữ ký số' }).click();
    await page.getByText('Tệp này không phải tệp PDF.').first().waitFor();
    await keep(page, '3-khong-phai-pdf');
    await assertAccessible(page);

    await page.getByLabel('Tệp PDF cần kiểm tra').setInputFiles(files.signed);
    await page.getByRole('button', { name: 'Kiểm tra chữ ký số' }).click();
    await page.getByRole('heading', { name: 'Kết quả kiểm tra chữ ký số' }).waitFor();
    const report = await textOf(page, 'main');
    assert.match(report, /Chữ ký số thứ 1: hợp lệ/);
    assert.match(report, /Tài liệu không bị thay đổi sau khi ký/);
    assert.match(report, /Chứng thư số được tỉnh tin cậy/);
    assert.match(report, /Giàng A Páo \(chứng thư thử nghiệm leader\)/);
    await keep(page, '4-ket-qua');
    await assertAccessible(page);
  });

  test('the public page works without JavaScript', async (t) => {
    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl, {
      javaScriptEnabled: false,
    });
    await page.goto('/xac-minh');
    await page.getByLabel('Tệp PDF cần kiểm tra').setInputFiles(files.signed);
    await page.getByRole('button', { name: 'Kiểm tra chữ ký số' }).click();
    await page.getByRole('heading', { name: 'Kết quả kiểm tra chữ ký số' }).waitFor();
    assert.match(await textOf(page, 'main'), /Tài liệu không bị thay đổi sau khi ký/);
    await keep(page, '5-khong-javascript');
  });
});
