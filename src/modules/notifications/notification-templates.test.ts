// The message texts and the retry schedule, without a database.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAppError } from '../../platform/errors.ts';
import { en } from '../../platform/i18n/en.ts';
import { vi } from '../../platform/i18n/vi.ts';
import { MAX_ATTEMPTS, afterFailure, retryDelayMs } from './delivery-schedule.ts';
import type { NotificationRequest, NotificationTemplate } from './index.ts';
import {
  NOTIFICATION_TEMPLATES,
  TEMPLATE_PARAMS,
  assertValidRequest,
  isValidDestination,
  maskSecrets,
  normaliseDestination,
  renderMessage,
} from './notification-templates.ts';

const TRACKING = 'https://dichvucong.xaso.gov.vn/tra-cuu-ho-so/02647-261201-0001?ma=K7M2QX';

/** Realistic, rather long values: what the dossiers module passes. */
const SAMPLE: Record<string, string> = {
  code: '02647-261201-0001',
  minutes: '5',
  procedureName: 'Đăng ký khai sinh kết hợp đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
  trackingUrl: TRACKING,
  dueAt: '17:00 04/12/2026',
  newDueAt: '17:00 11/12/2026',
  reasons: 'Tờ khai chưa có chữ ký; Thiếu bản sao giấy chứng nhận kết hôn',
  items: 'Bản sao giấy chứng nhận kết hôn; Giấy chứng sinh (bản chính)',
  place: 'Trung tâm Phục vụ hành chính công xã Mường Chà',
  reason: 'Cần xác minh thông tin cư trú với công an xã',
};

function paramsOf(template: NotificationTemplate): Record<string, string> {
  return Object.fromEntries(TEMPLATE_PARAMS[template].map((p) => [p, SAMPLE[p] as string]));
}

function request(overrides: Partial<NotificationRequest> = {}): NotificationRequest {
  return {
    channel: 'sms',
    to: '0912345678',
    template: 'dossier_received',
    params: paramsOf('dossier_received'),
    ...overrides,
  };
}

function assertInvalid(fn: () => void, problem: RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isAppError(error));
    assert.equal(error.code, 'NOTIFICATION_REQUEST_INVALID');
    assert.match(String(error.details.problem), problem);
    return true;
  });
}

describe('notification templates', () => {
  test('every template has a name, a subject, an email and an SMS text in Vietnamese and English', () => {
    for (const template of NOTIFICATION_TEMPLATES) {
      for (const part of ['name', 'subject', 'email', 'sms']) {
        const key = `notification.template.${template}.${part}`;
        assert.ok((vi as Record<string, string>)[key], `vi ${key}`);
        assert.ok((en as Record<string, string>)[key], `en ${key}`);
      }
    }
  });

  test('each template prints every parameter it requires, and nothing is left unfilled', () => {
    for (const template of NOTIFICATION_TEMPLATES) {
      const params = paramsOf(template);
      const email = renderMessage('email', template, params);
      const sms = renderMessage('sms', template, params);
      for (const text of [email.subject ?? '', email.body, sms.body])
        assert.doesNotMatch(text, /\{\w+\}/, `${template}: ${text}`);
      const printed = `${email.subject} ${email.body}`;
      for (const name of TEMPLATE_PARAMS[template])
        assert.ok(printed.includes(params[name] as string), `${template} email prints ${name}`);
      assert.ok(sms.body.includes(params.code as string), `${template} SMS prints the code`);
      assert.equal(sms.subject, null);
    }
  });

  test('an SMS fits in three segments (Vietnamese with diacritics is UCS-2: 67 characters a segment)', () => {
    for (const template of NOTIFICATION_TEMPLATES) {
      const { body } = renderMessage('sms', template, paramsOf(template));
      assert.ok(body.length <= 3 * 67, `${template}: ${body.length} characters: ${body}`);
      assert.doesNotMatch(body, /\n/);
    }
    assert.ok(renderMessage('sms', 'one_time_code', paramsOf('one_time_code')).body.length <= 2 * 67);
  });

  test('the texts use the legal terms with their diacritics', () => {
    const received = renderMessage('email', 'dossier_received', paramsOf('dossier_received'));
    assert.equal(received.subject, 'Đã tiếp nhận hồ sơ 02647-261201-0001');
    assert.match(received.body, /Mã hồ sơ: 02647-261201-0001\n/);
    assert.match(received.body, /Hẹn trả kết quả: 17:00 04\/12\/2026/);
    const supplement = renderMessage('email', 'supplement_requested', paramsOf('supplement_requested'));
    assert.match(supplement.subject ?? '', /^Yêu cầu bổ sung hồ sơ /);
    const apology = renderMessage('email', 'late_apology', paramsOf('late_apology'));
    assert.match(apology.subject ?? '', /^Phiếu xin lỗi và hẹn lại ngày trả kết quả – hồ sơ 02647/);
    assert.match(apology.body, /Ngày hẹn trả kết quả mới: 17:00 11\/12\/2026/);
    assert.match(
      renderMessage('sms', 'one_time_code', { code: '482913', minutes: '5' }).body,
      /^Mã xác thực xã số của bạn: 482913, hiệu lực 5 phút\./,
    );
  });

  test('a newline in a parameter neither breaks an SMS nor makes a second subject line', () => {
    const params = { ...paramsOf('late_apology'), code: '02647-261201-0001\nBcc: x@example.com' };
    assert.doesNotMatch(renderMessage('email', 'late_apology', params).subject ?? '', /\n/);
    assert.doesNotMatch(renderMessage('sms', 'late_apology', params).body, /\n/);
  });

  test('a parameter that looks like a placeholder is printed as it is', () => {
    const { body } = renderMessage('sms', 'dossier_received', {
      ...paramsOf('dossier_received'),
      dueAt: '{code}',
    });
    assert.match(body, /Hẹn trả kết quả: \{code\}\./);
  });

  test('a missing or empty parameter, an unknown template or a bad destination is refused', () => {
    assertValidRequest(request());
    assertValidRequest(request({ params: { ...paramsOf('dossier_received'), extra: 'ignored' } }));
    const { dueAt: _dueAt, ...withoutDue } = paramsOf('dossier_received');
    assertInvalid(() => assertValidRequest(request({ params: withoutDue })), /missing parameter "dueAt"/);
    assertInvalid(
      () => assertValidRequest(request({ params: { ...paramsOf('dossier_received'), code: '  ' } })),
      /missing parameter "code"/,
    );
    assertInvalid(
      () => assertValidRequest(request({ template: 'welcome' as NotificationTemplate })),
      /unknown template/,
    );
    assertInvalid(() => assertValidRequest(request({ to: 'an@example.vn' })), /not a phone/);
    assertInvalid(() => assertValidRequest(request({ channel: 'email', to: '0912345678' })), /not an email/);
    assertInvalid(() => assertValidRequest(request({ unitCode: 'xa-1' })), /unitCode/);
  });

  test('destinations: Vietnamese phone numbers and email addresses', () => {
    for (const phone of ['0912345678', '+84912345678', '0212345678'])
      assert.ok(isValidDestination('sms', phone), phone);
    for (const phone of ['091234567', '09123456789', '84912345678', '0912 345 678', '', '+8491234567a'])
      assert.ok(!isValidDestination('sms', phone), phone);
    assert.ok(isValidDestination('email', 'lo.van.an@example.vn'));
    for (const email of ['lo van an@example.vn', 'an@example', '@example.vn', ''])
      assert.ok(!isValidDestination('email', email), email);
    assert.equal(normaliseDestination('sms', ' 0912 345.678 '), '0912345678');
    assert.equal(normaliseDestination('sms', '(+84) 912-345-678'), '+84912345678');
    assert.equal(normaliseDestination('sms', 'không có'), null);
    assert.equal(normaliseDestination('email', ' an@example.vn '), 'an@example.vn');
    assert.equal(normaliseDestination('email', ''), null);
  });

  test('a one-time code is masked in what the outbox keeps after delivery; other messages are kept whole', () => {
    const params = { code: '482913', minutes: '5' };
    const message = renderMessage('email', 'one_time_code', params);
    const masked = maskSecrets('one_time_code', params, message);
    assert.ok(masked);
    assert.deepEqual(masked.params, { code: '******', minutes: '5' });
    assert.doesNotMatch(`${masked.subject} ${masked.body}`, /482913/);
    assert.match(masked.body, /hiệu lực trong 5 phút/);
    const received = renderMessage('sms', 'dossier_received', paramsOf('dossier_received'));
    assert.equal(maskSecrets('dossier_received', paramsOf('dossier_received'), received), null);
  });
});

describe('retry schedule', () => {
  test('30 s × 2^(attempts − 1), capped at one hour', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n) / 1000),
      [30, 60, 120, 240, 480, 960, 1920, 3600],
    );
    assert.equal(retryDelayMs(40), 3_600_000);
    assert.throws(() => retryDelayMs(0), RangeError);
  });

  test('the sixth failed attempt is final', () => {
    const now = new Date('2026-12-01T02:00:00Z');
    assert.equal(MAX_ATTEMPTS, 6);
    assert.deepEqual(afterFailure(1, now), {
      status: 'pending',
      nextAttemptAt: new Date('2026-12-01T02:00:30Z'),
    });
    assert.deepEqual(afterFailure(5, now), {
      status: 'pending',
      nextAttemptAt: new Date('2026-12-01T02:08:00Z'),
    });
    assert.deepEqual(afterFailure(6, now), { status: 'failed' });
  });
});
