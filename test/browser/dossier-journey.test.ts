// One dossier from the counter to its returned result, as the demo officers of commune 02647 (province 15) do it on a
// 360×740 phone: the desk officer receives it (after a first try with mistakes) and prints Mẫu 01, the specialist
// processes it and asks for a supplement, the desk receives the supplement, the leader approves and issues the
// result, the desk returns it; the register lists it and the public tracking page shows its status without personal
// data. axe checks every page, error states included; a full-page screenshot of each step is kept in
// test-artifacts/dossier-journey/ (gitignored). The intake also runs once with JavaScript switched off.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, test, type TestContext } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { importTestProcedure, SCAN_PDF, TEST_PROCEDURE_CODE } from '../support/dossiers.ts';
import { pdfText, requirePdfTools } from '../support/pdf.ts';
import { assertAccessible, browserAndApp, browserSkip, openPhonePage, signIn, textOf } from './browser.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/dossier-journey/', import.meta.url));
const PROCEDURE_NAME = 'Đăng ký khai sinh kết hợp nhận cha, mẹ, con';
const APPLICANT = {
  name: 'Hoàng Thị Thu Hường',
  idNumber: '015186004321',
  address: 'Tổ 12, phường Lào Cai, tỉnh Lào Cai',
  phone: '0987654321',
};
const DOSSIER_URL = /\/can-bo\/ho-so\/(\d{5}-\d{6}-\d{4,})\?thong-bao=/;

/** A full-page screenshot kept as a test artefact (taken first, so a failing page is kept too), then axe. */
async function checkAndKeep(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
  await assertAccessible(page);
}

/** The form of one action on the dossier page, opened the way an officer does: by its summary. */
async function openAction(page: Page, label: string): Promise<Locator> {
  const details = page.locator('details.action').filter({
    has: page.locator('summary', { hasText: new RegExp(`^${label}$`) }),
  });
  if (!(await details.evaluate((d) => (d as unknown as { open: boolean }).open)))
    await details.locator('summary').click();
  return details;
}

/** Submits an action's form and waits for the dossier page that says it was done. */
async function doAction(page: Page, label: string, fill?: (form: Locator) => Promise<void>): Promise<void> {
  const details = await openAction(page, label);
  await fill?.(details);
  await details.locator('form').getByRole('button', { name: label, exact: true }).click();
  await page.waitForURL(DOSSIER_URL);
  assert.equal(await page.getByRole('status').innerText(), `Đã ghi nhận: ${label}.`);
}

/** The status on the dossier page, without the deadline tag beside it. */
async function statusOf(page: Page): Promise<string> {
  const status = page.locator('dl.summary dt:text-is("Trạng thái") + dd');
  const tag = (await status.locator('.tag').count()) > 0 ? await status.locator('.tag').innerText() : '';
  return (await status.innerText()).replace(tag, '').trim();
}

describe('a dossier from the counter to its returned result, in a browser', { skip: browserSkip() }, () => {
  const fixture = browserAndApp();

  before(async () => {
    await importTestProcedure(fixture.server.testApp);
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  const newPage = (t: TestContext, options?: { javaScriptEnabled?: boolean }) =>
    openPhonePage(t, fixture.browser, fixture.server.baseUrl, options);

  test('desk, specialist and leader take one dossier through every step; the register and tracking show it', async (t) => {
    if (!requirePdfTools(t)) return;

    // 1. The desk officer receives the dossier at the counter.
    const desk = await newPage(t);
    await signIn(desk, 'motcua.xa1');
    await desk
      .getByRole('navigation', { name: 'Điều hướng chính' })
      .getByRole('link', { name: 'Hồ sơ' })
      .click();
    await desk.waitForURL('**/can-bo/ho-so');
    assert.equal(await textOf(desk, 'h1'), 'Hồ sơ cần xử lý');
    await checkAndKeep(desk, '01-desk-queue');

    await desk.getByRole('link', { name: 'Tiếp nhận hồ sơ mới' }).click();
    await desk.waitForURL('**/can-bo/ho-so/tiep-nhan?don_vi=02647');
    // The test procedure is not on the centre's list: the officer searches for it, typing without diacritics.
    assert.match(await textOf(desk, 'main'), /hãy tìm thủ tục theo tên/);
    await checkAndKeep(desk, '02-intake-choose-procedure');
    await desk.getByLabel(/^Tìm thủ tục/).fill('khai sinh nhan cha me con');
    await desk.getByRole('button', { name: 'Tìm kiếm' }).click();
    await desk.waitForURL(/q=khai\+sinh/);
    await desk.getByRole('link', { name: PROCEDURE_NAME, exact: true }).click();
    await desk.waitForURL(`**/can-bo/ho-so/tiep-nhan?don_vi=02647&thu_tuc=${TEST_PROCEDURE_CODE}`);
    assert.equal(await textOf(desk, 'h1'), 'Tiếp nhận hồ sơ tại quầy');
    await checkAndKeep(desk, '03-intake-form');

    const applicant = desk.getByRole('group', { name: 'Người nộp hồ sơ (chủ hồ sơ)' });
    const components = desk.getByRole('group', { name: 'Thành phần hồ sơ' });
    await applicant.getByLabel('Họ và tên (tên tổ chức)').fill(APPLICANT.name);
    await applicant.getByLabel(/^Số định danh cá nhân/).fill('12345');
    await applicant.getByLabel('Địa chỉ').fill(APPLICANT.address);
    await applicant.getByLabel('Số điện thoại').fill(APPLICANT.phone);
    await components.getByLabel(/^1\. Tờ khai đăng ký khai sinh/).check();
    await components.getByLabel('Số hóa: 1. Tờ khai đăng ký khai sinh').selectOption('scanned');
    await components
      .getByLabel('Bản quét: 1. Tờ khai đăng ký khai sinh')
      .setInputFiles({ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: SCAN_PDF });
    await components.getByLabel(/^2\. Giấy chứng sinh/).check();
    await components.getByLabel('Số hóa: 2. Giấy chứng sinh').selectOption('shown_only');
    await components.getByLabel('Bản quét: 2. Giấy chứng sinh').setInputFiles({
      name: 'giay-chung-sinh.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('Đây không phải bản quét, chỉ là chữ.'),
    });
    await desk.getByRole('button', { name: 'Tiếp nhận và in giấy hẹn (Mẫu 01)' }).click();

    const summary = desk.getByRole('alert');
    await summary.waitFor();
    assert.match(await summary.innerText(), /Có lỗi cần sửa/);
    const idInput = applicant.getByLabel(/^Số định danh cá nhân/);
    assert.equal(
      await textOf(desk, '[id="applicant.idNumber-error"]'),
      'Số định danh cá nhân phải gồm đúng 12 chữ số (số căn cước công dân).',
    );
    assert.equal(await idInput.getAttribute('aria-invalid'), 'true');
    assert.match((await idInput.getAttribute('aria-describedby')) ?? '', /applicant\.idNumber-error/);
    assert.equal(await idInput.inputValue(), '12345', 'the wrong value is kept to be corrected');
    assert.equal(await applicant.getByLabel('Họ và tên (tên tổ chức)').inputValue(), APPLICANT.name);
    assert.equal(await applicant.getByLabel('Địa chỉ').inputValue(), APPLICANT.address);
    assert.match(
      await textOf(desk, '[id="components.2.files-error"]'),
      /chỉ nhận bản quét PDF, JPEG hoặc PNG/,
      'the refused file is named next to its component',
    );
    assert.equal(await summary.locator('a[href="#applicant.idNumber"]').count(), 1);
    assert.equal(await summary.locator('a[href="#components.2.files"]').count(), 1);
    assert.equal(
      await textOf(desk, '.component:has([id="components.1"]) ul.uploads'),
      'Đã tải lên: to-khai.pdf',
      'the good scan is kept and not asked for again',
    );
    assert.ok(await components.getByLabel(/^1\. Tờ khai/).isChecked());
    assert.equal(await components.getByLabel('Số hóa: 2. Giấy chứng sinh').inputValue(), 'shown_only');
    await checkAndKeep(desk, '04-intake-errors');

    await idInput.fill(APPLICANT.idNumber);
    await desk.getByRole('button', { name: 'Tiếp nhận và in giấy hẹn (Mẫu 01)' }).click();
    await desk.waitForURL(DOSSIER_URL);
    const code = DOSSIER_URL.exec(desk.url())![1]!;
    assert.match(code, /^02647-\d{6}-\d{4}$/);
    assert.equal(await textOf(desk, 'h1'), `Hồ sơ ${code}`);
    assert.equal(await desk.getByRole('status').innerText(), 'Đã ghi nhận: Tiếp nhận hồ sơ.');
    assert.equal(await statusOf(desk), 'Đã tiếp nhận, chờ phân công');
    await checkAndKeep(desk, '05-received');

    const receiptLink = desk.getByRole('link', { name: /^Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả/ });
    const receipt = await desk.request.get((await receiptLink.getAttribute('href'))!);
    assert.equal(receipt.status(), 200);
    assert.equal(receipt.headers()['content-type'], 'application/pdf');
    const receiptPdf = await receipt.body();
    assert.equal(receiptPdf.subarray(0, 4).toString(), '%PDF');
    const receiptText = (await pdfText(receiptPdf)).replace(/\s+/g, ' ');
    for (const expected of [code, APPLICANT.name, APPLICANT.idNumber, PROCEDURE_NAME])
      assert.ok(receiptText.includes(expected), `Mẫu 01 shows “${expected}”`);

    await openAction(desk, 'Phân công xử lý');
    await checkAndKeep(desk, '06-assign-form');
    await doAction(desk, 'Phân công xử lý', async (form) => {
      await form.getByLabel('Chuyên viên xử lý').selectOption({ label: 'Hoàng Thị Lan (chuyên viên, mẫu)' });
    });
    assert.equal(await statusOf(desk), 'Đang giải quyết');
    assert.match(await textOf(desk, 'dl.summary'), /Chuyên viên xử lý\s+Hoàng Thị Lan/);

    // 2. The specialist finds it in their own queue, records the processing and asks for a supplement.
    const specialist = await newPage(t);
    await signIn(specialist, 'chuyenvien.xa1');
    await specialist.getByRole('link', { name: 'Hồ sơ', exact: true }).click();
    await specialist.waitForURL('**/can-bo/ho-so');
    const mine = specialist.getByRole('link', { name: 'Được giao cho tôi' });
    assert.equal(await mine.getAttribute('aria-current'), 'page', 'a specialist starts on their own queue');
    const row = specialist.locator('table.queue tbody tr', { hasText: code });
    assert.match(await row.innerText(), new RegExp(APPLICANT.name));
    await checkAndKeep(specialist, '07-specialist-queue');
    await row.getByRole('link', { name: code }).click();
    await specialist.waitForURL(`**/can-bo/ho-so/${code}`);

    // An empty processing note is refused next to the field, and the form stays open to fix it.
    const processForm = await openAction(specialist, 'Ghi ý kiến xử lý');
    await processForm.locator('form').getByRole('button', { name: 'Ghi ý kiến xử lý' }).click();
    await specialist.locator('details.action[open] .field-error').waitFor();
    assert.equal(await textOf(specialist, 'details.action[open] .field-error'), 'Ghi nội dung xử lý.');
    assert.equal(
      await specialist.getByLabel('Nội dung xử lý').getAttribute('aria-invalid'),
      'true',
      'the empty note is marked',
    );
    await checkAndKeep(specialist, '08-process-error');

    await doAction(specialist, 'Ghi ý kiến xử lý', (form) =>
      form.getByLabel('Nội dung xử lý').fill('Đã thẩm tra tờ khai và giấy chứng sinh, đủ điều kiện.'),
    );
    await doAction(specialist, 'Yêu cầu bổ sung hồ sơ', (form) =>
      form.getByLabel('Giấy tờ cần bổ sung').fill('Bản sao giấy chứng nhận kết hôn của cha mẹ'),
    );
    assert.equal(await statusOf(specialist), 'Chờ bổ sung hồ sơ');
    assert.match(await textOf(specialist, 'ol.history'), /Cần bổ sung: Bản sao giấy chứng nhận kết hôn/);
    await specialist.getByRole('link', { name: /^Mẫu 02 — Phiếu yêu cầu bổ sung/ }).waitFor();
    await checkAndKeep(specialist, '09-supplement-requested');

    // 3. The applicant brings the missing paper to the counter.
    await desk.goto(`/can-bo/ho-so/${code}`);
    await doAction(desk, 'Nhận hồ sơ bổ sung');
    assert.equal(await statusOf(desk), 'Đang giải quyết');
    await checkAndKeep(desk, '10-supplement-received');

    // 4. The specialist submits it for approval.
    await specialist.goto(`/can-bo/ho-so/${code}`);
    await doAction(specialist, 'Trình phê duyệt');
    assert.equal(await statusOf(specialist), 'Chờ phê duyệt');

    // 5. The leader approves and issues the result, written in the form and generated as a PDF.
    const leader = await newPage(t);
    await signIn(leader, 'lanhdao.xa1');
    await leader.getByRole('link', { name: 'Hồ sơ', exact: true }).click();
    await leader.waitForURL('**/can-bo/ho-so');
    await leader.locator('table.queue').getByRole('link', { name: code }).click();
    await leader.waitForURL(`**/can-bo/ho-so/${code}`);
    await checkAndKeep(leader, '11-leader-dossier');
    await doAction(leader, 'Phê duyệt', (form) =>
      form.getByLabel('Ghi chú (không bắt buộc)').fill('Đồng ý.'),
    );
    assert.equal(await statusOf(leader), 'Đã phê duyệt, chờ ban hành kết quả');
    const issue = await openAction(leader, 'Ban hành kết quả');
    await checkAndKeep(leader, '12-issue-result-form');
    await doAction(leader, 'Ban hành kết quả', async () => {
      await issue.getByLabel('Tên văn bản kết quả').fill('Giấy khai sinh');
      await issue
        .getByLabel('Nội dung kết quả')
        .fill('Họ và tên: Hoàng Văn Minh\nNgày sinh: 20/11/2026\nNơi sinh: Bệnh viện đa khoa tỉnh Lào Cai');
    });
    assert.equal(await statusOf(leader), 'Đã có kết quả, chờ trả');
    const resultLink = leader.getByRole('link', { name: /^Kết quả giải quyết: / });
    const result = await leader.request.get((await resultLink.getAttribute('href'))!);
    assert.equal(result.status(), 200);
    const resultPdf = await result.body();
    assert.equal(resultPdf.subarray(0, 4).toString(), '%PDF');
    assert.match((await pdfText(resultPdf)).replace(/\s+/g, ' '), /Hoàng Văn Minh/);
    await checkAndKeep(leader, '13-result-issued');

    // 6. The desk returns the result to the applicant.
    await desk.goto(`/can-bo/ho-so/${code}`);
    await doAction(desk, 'Trả kết quả');
    assert.equal(await statusOf(desk), 'Đã trả kết quả');
    assert.equal(await desk.locator('details.action').count(), 0, 'nothing is left to do');
    await checkAndKeep(desk, '14-returned');

    // 7. The register (Mẫu 07) of this month lists it as returned.
    await desk.getByRole('link', { name: 'Hồ sơ', exact: true }).click();
    await desk.getByRole('link', { name: 'Sổ theo dõi hồ sơ (Mẫu 07)' }).click();
    await desk.waitForURL('**/can-bo/so-theo-doi?don_vi=02647');
    const registerRow = desk.locator('main table tbody tr', { hasText: code });
    assert.match(await registerRow.innerText(), /Đã trả kết quả/);
    assert.match(await registerRow.innerText(), new RegExp(APPLICANT.name));
    await checkAndKeep(desk, '15-register');

    // 8. The applicant follows the receipt's tracking link: the status, none of their personal data.
    const api = await desk.request.get(`/api/dossiers/${code}`);
    assert.equal(api.status(), 200);
    const trackingUrl = new URL(
      ((await api.json()) as { dossier: { trackingUrl: string } }).dossier.trackingUrl,
    );
    assert.ok(
      receiptText.includes(trackingUrl.searchParams.get('ma')!),
      'the receipt carries the tracking code',
    );
    const citizen = await newPage(t);
    await citizen.goto(`${trackingUrl.pathname}${trackingUrl.search}`);
    assert.equal(await textOf(citizen, 'h1'), `Tình trạng hồ sơ ${code}`);
    assert.match(await textOf(citizen, 'dl.summary'), /Đã trả kết quả/);
    const publicText = await textOf(citizen, 'main');
    for (const personal of Object.values(APPLICANT))
      assert.ok(!publicText.includes(personal), `the tracking page does not show “${personal}”`);
    await checkAndKeep(citizen, '16-tracking');
  });

  test('the intake form works with JavaScript switched off', async (t) => {
    const page = await newPage(t, { javaScriptEnabled: false });
    await signIn(page, 'motcua.xa1');
    await page.goto(`/can-bo/ho-so/tiep-nhan?don_vi=02647&thu_tuc=${TEST_PROCEDURE_CODE}`);
    const applicant = page.getByRole('group', { name: 'Người nộp hồ sơ (chủ hồ sơ)' });
    const components = page.getByRole('group', { name: 'Thành phần hồ sơ' });
    await applicant.getByLabel('Họ và tên (tên tổ chức)').fill('Lù Văn Páo');
    await applicant.getByLabel(/^Số định danh cá nhân/).fill('015090001234');
    await applicant.getByLabel('Địa chỉ').fill('Tổ 3, phường Lào Cai, tỉnh Lào Cai');
    await applicant.getByLabel('Số điện thoại').fill('0912 345 678');
    await components.getByLabel(/^1\. Tờ khai đăng ký khai sinh/).check();
    await components.getByLabel('Bản quét: 1. Tờ khai đăng ký khai sinh').setInputFiles({
      name: 'to-khai.pdf',
      mimeType: 'application/pdf',
      buffer: SCAN_PDF,
    });
    await page.getByRole('button', { name: 'Tiếp nhận và in giấy hẹn (Mẫu 01)' }).click();
    await page.waitForURL(DOSSIER_URL);
    const code = DOSSIER_URL.exec(page.url())![1]!;
    assert.equal(await textOf(page, 'h1'), `Hồ sơ ${code}`);
    assert.match(await textOf(page, 'dl.summary'), /Lù Văn Páo/);
    assert.match(await textOf(page, 'main table'), /to-khai\.pdf/, 'the scan is on the dossier');
  });
});
