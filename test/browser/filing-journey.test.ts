// A citizen files a dossier online on a 360×740 phone, without an account: finds the procedure by typing without
// diacritics, verifies a phone by the code sent to it (read in the development inbox, as a developer would read
// the SMS), fills the draft page by page (once with a mistake), uploads one file per component (a wrong file type
// first, to show the other upload is kept), checks the summary and submits. The desk officer accepts it from the
// queue; the specialist and the leader take it to its result through the API; the citizen follows the tracking
// link the QR code carries, downloads the result and rates it. axe checks every page, error states included; a
// full-page screenshot of each step is kept in test-artifacts/filing-journey/ (gitignored).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { Agent } from '../support/app.ts';
import { command, importTestProcedure, SCAN_PDF, TEST_PROCEDURE_CODE } from '../support/dossiers.ts';
import { assertAccessible, browserAndApp, browserSkip, openPhonePage, signIn, textOf } from './browser.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/filing-journey/', import.meta.url));
const PROCEDURE_NAME = 'Đăng ký khai sinh kết hợp nhận cha, mẹ, con';
const PHONE = '0912 345 678';
const APPLICANT = {
  name: 'Lò Thị Mai',
  idNumber: '010203004567',
  address: 'Thôn Nà Hỏm, xã Bảo Yên, tỉnh Lào Cai',
  phone: '0912345678',
};
const REQUEST_SUMMARY = 'Đăng ký khai sinh cho con trai, kết hợp nhận cha cho con';
const DRAFT_URL = /\/nop-ho-so\/nhap\/([0-9a-f-]{36})\//;
const DONE_URL = /\/nop-ho-so\/da-nop\/(\d{5}-\d{6}-\d{4,})\?ma=([2-9A-Z]{6})$/;
const DOSSIER_URL = /\/can-bo\/ho-so\/(\d{5}-\d{6}-\d{4,})\?thong-bao=/;

let step = 0;

/** A full-page screenshot kept as a test artefact (taken first, so a failing page is kept too), then axe. */
async function checkAndKeep(page: Page, name: string): Promise<void> {
  step += 1;
  await page.screenshot({ path: `${ARTIFACTS}${String(step).padStart(2, '0')}-${name}.png`, fullPage: true });
  await assertAccessible(page);
}

async function clickContinue(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Tiếp tục', exact: true }).click();
}

describe(
  'a guest files a dossier online and tracks it to its result, in a browser',
  { skip: browserSkip() },
  () => {
    const fixture = browserAndApp();

    before(async () => {
      await importTestProcedure(fixture.server.testApp);
      fs.rmSync(ARTIFACTS, { recursive: true, force: true });
      fs.mkdirSync(ARTIFACTS, { recursive: true });
    });

    const newPage = (t: TestContext) => openPhonePage(t, fixture.browser, fixture.server.baseUrl);

    test('find, verify, fill, upload, submit; the desk accepts; the citizen tracks and rates it', async (t) => {
      const { testApp } = fixture.server;

      // 1. The guest finds the procedure by typing without diacritics.
      const guest = await newPage(t);
      await guest.goto('/thu-tuc');
      await guest.getByLabel(/^Tìm thủ tục/).fill('dang ky khai sinh');
      await guest.getByRole('button', { name: 'Tìm kiếm' }).click();
      await guest.waitForURL(/q=dang\+ky\+khai\+sinh/);
      await checkAndKeep(guest, 'catalogue-search');
      await guest.getByRole('link', { name: PROCEDURE_NAME, exact: true }).click();
      await guest.waitForURL(/\/thu-tuc\/1\.999001/);
      assert.equal(await textOf(guest, 'h1'), PROCEDURE_NAME);
      await checkAndKeep(guest, 'procedure');

      // 2. Filing starts with the papers to have ready and a phone to verify.
      await guest.getByRole('link', { name: 'Nộp hồ sơ trực tuyến', exact: true }).click();
      await guest.waitForURL(`**/nop-ho-so/${TEST_PROCEDURE_CODE}`);
      assert.equal(await textOf(guest, 'h1'), `Nộp hồ sơ trực tuyến: ${PROCEDURE_NAME}`);
      assert.match(await textOf(guest, 'main'), /Tờ khai đăng ký khai sinh/, 'the papers to have ready');
      await checkAndKeep(guest, 'filing-start');

      const contact = guest.getByLabel('Số điện thoại di động hoặc thư điện tử');
      await contact.fill('12345');
      await guest.getByRole('button', { name: 'Gửi mã xác minh' }).click();
      await guest.getByRole('alert').waitFor();
      assert.match(await textOf(guest, '[id="contact-error"]'), /Nhập số điện thoại di động/);
      assert.equal(await contact.getAttribute('aria-invalid'), 'true');
      await checkAndKeep(guest, 'filing-start-error');

      await contact.fill(PHONE);
      await guest.getByRole('button', { name: 'Gửi mã xác minh' }).click();
      assert.match(await guest.getByRole('status').innerText(), /Đã gửi mã xác minh qua tin nhắn SMS/);
      const codeInput = guest.getByLabel('Mã xác minh');
      assert.match(await textOf(guest, '[id="code-hint"]'), /0912345678/);
      await checkAndKeep(guest, 'code');

      // The development inbox shows a message once it is delivered: run the delivery the periodic job would run,
      // then read the SMS there, in another tab of the same phone.
      await testApp.notifications.service.deliverDue();
      const inbox = await guest.context().newPage();
      await inbox.goto('/hop-thu-thu-nghiem?den=0912345678');
      const sms = await textOf(inbox, 'ul.results li:first-child dd.pre');
      const otp = /\b(\d{6})\b/.exec(sms)?.[1];
      assert.ok(otp, `the SMS carries a 6-digit code: “${sms}”`);
      await checkAndKeep(inbox, 'dev-inbox');
      await inbox.close();

      await codeInput.fill(otp === '000000' ? '111111' : '000000');
      await guest.getByRole('button', { name: 'Xác minh và tiếp tục' }).click();
      await guest.getByRole('alert').waitFor();
      assert.match(await textOf(guest, '[id="code-error"]'), /Mã xác minh không đúng/);
      await checkAndKeep(guest, 'code-error');
      await codeInput.fill(otp);
      await guest.getByRole('button', { name: 'Xác minh và tiếp tục' }).click();

      // 3. The draft, page by page.
      await guest.waitForURL(/\/nop-ho-so\/nhap\/[0-9a-f-]{36}\/noi-nop$/);
      const draft = DRAFT_URL.exec(guest.url())![1]!;
      const base = `/nop-ho-so/nhap/${draft}`;
      assert.equal(await textOf(guest, 'h1'), 'Nộp hồ sơ ở đâu?');
      await checkAndKeep(guest, 'centre');
      await clickContinue(guest);
      await guest.getByRole('alert').waitFor();
      assert.match(await textOf(guest, '[id="centre-error"]'), /Chọn xã, phường, đặc khu/);
      await checkAndKeep(guest, 'centre-error');
      await guest.getByLabel('Trung tâm tiếp nhận hồ sơ').selectOption('02647');
      await clickContinue(guest);

      await guest.waitForURL(`**${base}/nguoi-nop`);
      assert.equal(await textOf(guest, 'h1'), 'Người nộp hồ sơ');
      await checkAndKeep(guest, 'applicant');
      await guest.getByLabel('Họ và tên (tên tổ chức)').fill(APPLICANT.name);
      const idNumber = guest.getByLabel(/^Số định danh cá nhân/);
      await idNumber.fill('0102');
      await guest.getByLabel('Địa chỉ').fill(APPLICANT.address);
      await guest.getByLabel('Số điện thoại').fill(APPLICANT.phone);
      await clickContinue(guest);
      const summary = guest.getByRole('alert');
      await summary.waitFor();
      assert.match(await summary.innerText(), /Có lỗi cần sửa/);
      assert.equal(await summary.locator('a[href="#applicant.idNumber"]').count(), 1);
      assert.equal(
        await textOf(guest, '[id="applicant.idNumber-error"]'),
        'Số định danh cá nhân phải gồm đúng 12 chữ số (số căn cước công dân).',
      );
      assert.equal(await idNumber.getAttribute('aria-invalid'), 'true');
      assert.match((await idNumber.getAttribute('aria-describedby')) ?? '', /applicant\.idNumber-error/);
      assert.equal(await idNumber.inputValue(), '0102', 'the wrong value is kept to be corrected');
      assert.equal(await guest.getByLabel('Họ và tên (tên tổ chức)').inputValue(), APPLICANT.name);
      await checkAndKeep(guest, 'applicant-error');
      // The error summary's link takes the focus to the field (no script: a fragment link to its id).
      await summary.locator('a[href="#applicant.idNumber"]').click();
      await idNumber.fill(APPLICANT.idNumber);
      await clickContinue(guest);

      await guest.waitForURL(`**${base}/cau-hoi/requestSummary`);
      assert.equal(await textOf(guest, 'h1'), 'Nội dung yêu cầu giải quyết');
      await checkAndKeep(guest, 'question');
      await guest.getByLabel('Nội dung yêu cầu giải quyết').fill('ab');
      await clickContinue(guest);
      await guest.getByRole('alert').waitFor();
      assert.match(await textOf(guest, '[id="requestSummary-error"]'), /cần ít nhất 5 ký tự/);
      await checkAndKeep(guest, 'question-error');
      await guest.getByLabel('Nội dung yêu cầu giải quyết').fill(REQUEST_SUMMARY);
      await clickContinue(guest);

      // 4. One upload form per component; a refused file keeps the other upload.
      await guest.waitForURL(`**${base}/giay-to`);
      assert.equal(await textOf(guest, 'h1'), 'Tải lên giấy tờ');
      await checkAndKeep(guest, 'documents');
      const first = guest.getByRole('region', { name: /^1\. Tờ khai đăng ký khai sinh/ });
      const second = guest.getByRole('region', { name: /^2\. Giấy chứng sinh/ });
      await first
        .getByLabel('Chọn tệp cho “Tờ khai đăng ký khai sinh”')
        .setInputFiles({ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: SCAN_PDF });
      await first.getByRole('button', { name: 'Tải lên' }).click();
      // Post/redirect/get: back on the documents page, so a reload never uploads the file again.
      await guest.waitForURL(`**${base}/giay-to?da-tai=*`);
      assert.equal(await guest.getByRole('status').innerText(), 'Đã tải lên “to-khai.pdf”.');
      assert.match(await textOf(guest, 'main'), /Đã tải lên: to-khai\.pdf/);
      await checkAndKeep(guest, 'documents-first-uploaded');

      await second.getByLabel('Chọn tệp cho “Giấy chứng sinh”').setInputFiles({
        name: 'giay-chung-sinh.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('Đây không phải bản quét, chỉ là chữ.'),
      });
      await second.getByRole('button', { name: 'Tải lên' }).click();
      await guest.waitForURL(`**${base}/giay-to/2`);
      await guest.getByRole('alert').waitFor();
      assert.match(await textOf(guest, '[id="file-2-error"]'), /chỉ nhận bản quét PDF, JPEG hoặc PNG/);
      assert.equal(await second.getByLabel(/^Chọn tệp/).getAttribute('aria-invalid'), 'true');
      assert.equal(await guest.getByRole('alert').locator('a[href="#file-2"]').count(), 1);
      assert.equal(
        await textOf(guest, 'section:has(#c-1) ul.uploads li'),
        'Đã tải lên: to-khai.pdf Xóa to-khai.pdf',
        'the first upload is kept',
      );
      await checkAndKeep(guest, 'documents-wrong-type');
      await second
        .getByLabel('Chọn tệp cho “Giấy chứng sinh”')
        .setInputFiles({ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: SCAN_PDF });
      await second.getByRole('button', { name: 'Tải lên' }).click();
      await guest.getByRole('status').filter({ hasText: 'Đã tải lên “giay-chung-sinh.pdf”.' }).waitFor();
      assert.equal(await guest.locator('ul.uploads li').count(), 2);
      await checkAndKeep(guest, 'documents-both-uploaded');
      await guest.getByRole('link', { name: 'Tiếp tục', exact: true }).click();

      // 5. The summary, then submit.
      await guest.waitForURL(`**${base}/kiem-tra`);
      assert.equal(await textOf(guest, 'h1'), 'Kiểm tra lại trước khi nộp');
      const answers = await textOf(guest, 'dl.summary');
      for (const expected of [
        APPLICANT.name,
        APPLICANT.idNumber,
        REQUEST_SUMMARY,
        'to-khai.pdf',
        'giay-chung-sinh.pdf',
      ])
        assert.ok(answers.includes(expected), `the summary shows “${expected}”`);
      assert.equal(
        await guest.getByRole('link', { name: 'Sửa Nội dung yêu cầu giải quyết' }).getAttribute('href'),
        `${base}/cau-hoi/requestSummary`,
        'each “Sửa” link names the answer it changes',
      );
      await checkAndKeep(guest, 'summary');
      await guest.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();

      await guest.waitForURL(DONE_URL);
      const [, code, secret] = DONE_URL.exec(guest.url())! as unknown as [string, string, string];
      assert.equal(await textOf(guest, 'h1'), 'Đã nộp hồ sơ');
      const panel = await textOf(guest, '.panel');
      assert.match(panel, new RegExp(`Mã hồ sơ:\\s+${code}`));
      assert.match(panel, new RegExp(`Mã tra cứu:\\s+${secret}`));
      await checkAndKeep(guest, 'confirmation');
      const receiptLink = guest.getByRole('link', { name: 'Tải phiếu nộp hồ sơ (PDF)' });
      const receipt = await guest.request.get((await receiptLink.getAttribute('href'))!);
      assert.equal(receipt.status(), 200);
      assert.equal(receipt.headers()['content-type'], 'application/pdf');
      assert.equal((await receipt.body()).subarray(0, 4).toString(), '%PDF');

      // 6. The desk officer finds it waiting in the queue and accepts it.
      const desk = await newPage(t);
      await signIn(desk, 'motcua.xa1');
      await desk.goto('/can-bo/ho-so');
      const row = desk.locator('table.queue tbody tr', { hasText: code });
      assert.match(await row.innerText(), /Đã nộp trực tuyến, chờ tiếp nhận/);
      await checkAndKeep(desk, 'desk-queue');
      await row.getByRole('link', { name: code }).click();
      await desk.waitForURL(`**/can-bo/ho-so/${code}`);
      const files = await textOf(desk, 'main table');
      for (const name of ['to-khai.pdf', 'giay-chung-sinh.pdf'])
        assert.ok(files.includes(name), `the officer sees the uploaded ${name}`);
      await checkAndKeep(desk, 'desk-dossier');
      const accept = desk.locator('details.action').filter({
        has: desk.locator('summary', { hasText: /^Tiếp nhận hồ sơ trực tuyến$/ }),
      });
      await accept.locator('summary').click();
      await accept
        .locator('form')
        .getByRole('button', { name: 'Tiếp nhận hồ sơ trực tuyến', exact: true })
        .click();
      await desk.waitForURL(DOSSIER_URL);
      assert.equal(await desk.getByRole('status').innerText(), 'Đã ghi nhận: Tiếp nhận hồ sơ trực tuyến.');
      assert.match(await textOf(desk, 'dl.summary'), /Đã tiếp nhận, chờ phân công/);
      await checkAndKeep(desk, 'desk-accepted');

      // 7. Through the API: assigned, processed, approved, the result issued and returned.
      const deskApi = new Agent(testApp.app);
      await deskApi.login('motcua.xa1');
      const specialist = new Agent(testApp.app);
      await specialist.login('chuyenvien.xa1');
      const leader = new Agent(testApp.app);
      await leader.login('lanhdao.xa1');
      const specialistId = (
        await testApp.database.pool.query<{ id: string }>(
          "select id from users where username = 'chuyenvien.xa1'",
        )
      ).rows[0]!.id;
      const steps: [Agent, string, Record<string, unknown>][] = [
        [deskApi, 'assign', { assigneeId: specialistId }],
        [specialist, 'submit-for-approval', {}],
        [leader, 'approve', {}],
        [leader, 'issue-result', { resultTitle: 'Giấy khai sinh', resultContent: 'Họ và tên: Lò Văn An' }],
        [deskApi, 'return-result', {}],
      ];
      for (const [agent, action, payload] of steps) {
        const done = await command(agent, `/api/dossiers/${code}/${action}`, payload, `${action}-${code}`);
        assert.equal(done.statusCode, 200, `${action}: ${done.body}`);
      }

      // 8. The citizen opens the link the QR code carries: the status, the result, the rating form.
      const api = await desk.request.get(`/api/dossiers/${code}`);
      assert.equal(api.status(), 200);
      const trackingUrl = new URL(
        ((await api.json()) as { dossier: { trackingUrl: string } }).dossier.trackingUrl,
      );
      assert.equal(trackingUrl.searchParams.get('ma'), secret, 'the QR link carries the tracking code');
      await guest.goto(`${trackingUrl.pathname}${trackingUrl.search}`);
      assert.equal(await textOf(guest, 'h1'), `Tình trạng hồ sơ ${code}`);
      assert.match(await textOf(guest, 'dl.summary'), /Đã trả kết quả/);
      const publicText = await textOf(guest, 'main');
      for (const personal of [APPLICANT.name, APPLICANT.idNumber, APPLICANT.address])
        assert.ok(!publicText.includes(personal), `the tracking page does not show “${personal}”`);
      await guest.getByRole('heading', { name: 'Kết quả giải quyết' }).waitFor();
      const resultLink = guest.locator('main a[href*="/ket-qua/"]');
      assert.equal(await resultLink.count(), 1, 'the result is offered for download');
      const result = await guest.request.get((await resultLink.getAttribute('href'))!);
      assert.equal(result.status(), 200);
      assert.equal((await result.body()).subarray(0, 4).toString(), '%PDF');
      await checkAndKeep(guest, 'tracking');

      // Sending without a choice says what is missing next to the choices.
      await guest.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await guest.waitForURL(/loi=danh-gia/);
      assert.equal(await textOf(guest, '[id="rating-error"]'), 'Chọn một mức đánh giá.');
      await checkAndKeep(guest, 'tracking-rating-error');

      const rating = guest.getByRole('region', { name: 'Đánh giá mức độ hài lòng' });
      assert.equal(
        await rating
          .getByRole('group', { name: 'Bạn có hài lòng với việc giải quyết hồ sơ này không?' })
          .getAttribute('aria-describedby'),
        'rating-error',
        'the error is read with the choices',
      );
      await rating.getByLabel('Hài lòng', { exact: true }).check();
      await guest.getByLabel('Góp ý (không bắt buộc)').fill('Nhanh, chu đáo, không phải đi lại.');
      await guest.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await guest.waitForURL(/thong-bao=da-danh-gia/);
      assert.equal(await guest.getByRole('status').innerText(), 'Cảm ơn bạn đã đánh giá: Hài lòng.');
      assert.equal(await guest.locator('input[name="rating"]').count(), 0, 'rated once, the form is gone');
      await checkAndKeep(guest, 'tracking-rated');
    });
  },
);
