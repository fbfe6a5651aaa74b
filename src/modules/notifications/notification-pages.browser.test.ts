// The notification pages in Chromium at phone size, with axe: a tester finds the one-time code sent to a phone in
// the development inbox; the province administrator reads the failures. Skipped without Chromium (browser.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertAccessible,
  browserAndApp,
  browserSkip,
  openPhonePage,
  signIn,
  textOf,
} from '../../../test/browser/browser.ts';
import { systemClock } from '../../platform/clock.ts';
import { createNotificationsModule } from './index.ts';

describe('notification pages in a browser', { skip: browserSkip() }, () => {
  const fixture = browserAndApp();

  test('a tester finds the code sent to a phone; an administrator sees what failed', async (t) => {
    const app = fixture.server.testApp;
    const notifications = app.notifications.service;
    await notifications.enqueue(app.database.db, [
      {
        channel: 'sms',
        to: '0912345678',
        template: 'one_time_code',
        params: { code: '482913', minutes: '5' },
      },
      {
        channel: 'email',
        to: 'lo.van.an@example.vn',
        template: 'supplement_requested',
        params: {
          code: '02647-261201-0001',
          items: 'Bản sao giấy chứng nhận kết hôn',
          trackingUrl: 'http://localhost/tra-cuu-ho-so/02647-261201-0001?ma=K7M2QX',
        },
        dossierCode: '02647-261201-0001',
        unitCode: '02647',
      },
    ]);
    await notifications.deliverDue();

    const page = await openPhonePage(t, fixture.browser, fixture.server.baseUrl);
    await page.goto('/hop-thu-thu-nghiem');
    assert.equal(await textOf(page, 'h1'), 'Hộp thư thử nghiệm');
    await assertAccessible(page);
    await page.getByLabel(/^Người nhận/).fill('5678');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL('**/hop-thu-thu-nghiem?den=5678');
    assert.match(await textOf(page, 'ul.results'), /Mã xác thực xã số của bạn: 482913/);
    assert.doesNotMatch(await textOf(page, 'ul.results'), /lo\.van\.an/);
    await assertAccessible(page);

    // A production-like server without SMTP or SMS gateway: the next messages fail and wait for a retry.
    const unconfigured = createNotificationsModule({
      db: app.database.db,
      clock: systemClock,
      adminUnits: app.adminUnits.service,
      identity: app.identity.service,
      smtpUrl: undefined,
      smtpFrom: 'xaso <khong-tra-loi@xaso.local>',
      devInbox: false,
    });
    await notifications.enqueue(app.database.db, [
      {
        channel: 'email',
        to: 'chi.mai@example.vn',
        template: 'result_ready',
        params: {
          code: '02647-261201-0002',
          procedureName: 'Đăng ký khai sinh',
          place: 'Trung tâm Phục vụ hành chính công xã',
          trackingUrl: 'http://localhost/tra-cuu-ho-so/02647-261201-0002?ma=P3R8TW',
        },
        dossierCode: '02647-261201-0002',
        unitCode: '02647',
      },
    ]);
    await unconfigured.service.deliverDue();

    await signIn(page, 'quantri.tinh');
    await page.goto('/quan-tri/thong-bao');
    assert.equal(await textOf(page, 'h1'), 'Thông báo gửi người dân');
    assert.match(await textOf(page, 'table'), /Chưa cấu hình máy chủ thư \(SMTP_URL\)/);
    assert.match(await textOf(page, 'table'), /Đang thử gửi lại/);
    await assertAccessible(page);
  });
});
