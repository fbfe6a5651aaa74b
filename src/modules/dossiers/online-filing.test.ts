// Filing online as a guest verified by a one-time code, through the pages (HTML forms, no JavaScript): the draft
// saved page by page, a refused upload that keeps the others, a submit retried without a second dossier, the desk's
// acceptance starting the deadline, tracking with the result and the one rating; and a citizen's own dossiers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, createTestApp, type TestApp } from '../../../test/support/app.ts';
import {
  SCAN_PDF,
  TEST_PROCEDURE_CODE,
  command,
  importTestProcedure,
  multipartFile,
  postForm,
} from '../../../test/support/dossiers.ts';
import { fixedClock } from '../../platform/clock.ts';

describe('filing online', () => {
  let t: TestApp;
  const clock = fixedClock('2026-12-01T02:00:00Z');
  let guest: Agent;
  let desk: Agent;

  before(async () => {
    t = await createTestApp({ clock, env: { SESSION_TTL_HOURS: '720' } });
    await importTestProcedure(t);
    guest = new Agent(t.app);
    desk = new Agent(t.app);
    await desk.login('motcua.xa1');
  });
  after(() => t.close());

  const form = postForm;

  async function upload(agent: Agent, url: string, name: string, bytes: Buffer) {
    const token = await agent.csrfToken();
    const { body, contentType } = multipartFile(name, bytes);
    return agent.request({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': contentType, 'x-csrf-token': token },
    });
  }

  async function lastCode(destination: string): Promise<string> {
    const { rows } = await t.database.pool.query(
      `select params->>'code' as code from notification_outbox
       where destination = $1 and template = 'one_time_code' order by created_at desc limit 1`,
      [destination],
    );
    assert.ok(rows[0]?.code, 'the code went to the outbox');
    return rows[0].code as string;
  }

  let code = '';
  let secret = '';

  test('a guest verifies a phone, fills the draft page by page and submits it once', async () => {
    const start = await guest.request({ method: 'GET', url: `/nop-ho-so/${TEST_PROCEDURE_CODE}` });
    assert.equal(start.statusCode, 200);
    assert.match(start.body, /Nộp hồ sơ trực tuyến/);
    assert.match(start.body, /Tờ khai đăng ký khai sinh/, 'the papers to have ready');

    const bad = await form(guest, `/nop-ho-so/${TEST_PROCEDURE_CODE}/ma`, { contact: '12345' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Nhập số điện thoại di động/);

    const sent = await form(guest, `/nop-ho-so/${TEST_PROCEDURE_CODE}/ma`, { contact: '0912 345 678' });
    assert.equal(sent.statusCode, 200, sent.body);
    const challengeId = /name="challengeId" value="([0-9a-f-]{36})"/.exec(sent.body)?.[1];
    assert.ok(challengeId);
    const wrong = await form(guest, `/nop-ho-so/${TEST_PROCEDURE_CODE}/xac-minh`, {
      challengeId,
      code: '000000',
      contact: '0912345678',
    });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /Mã xác minh không đúng/);
    const verified = await form(guest, `/nop-ho-so/${TEST_PROCEDURE_CODE}/xac-minh`, {
      challengeId,
      code: await lastCode('0912345678'),
      contact: '0912345678',
    });
    assert.equal(verified.statusCode, 303, verified.body);
    const draft = /\/nop-ho-so\/nhap\/([0-9a-f-]{36})/.exec(verified.headers.location as string)![1]!;
    const base = `/nop-ho-so/nhap/${draft}`;

    let r = await guest.request({ method: 'GET', url: base });
    assert.equal(r.headers.location, `${base}/noi-nop`);
    r = await form(guest, `${base}/noi-nop`, { centre: '02647' });
    assert.equal(r.headers.location, `${base}/nguoi-nop`);

    r = await form(guest, `${base}/nguoi-nop`, {
      'applicant.name': 'Lò Thị Mai',
      'applicant.idNumber': '0102',
      'applicant.address': 'Thôn Nà Hỏm',
      'applicant.phone': '0912345678',
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /Số định danh cá nhân phải gồm đúng 12 chữ số/);
    assert.match(r.body, /value="Lò Thị Mai"/, 'what was typed is kept');
    r = await form(guest, `${base}/nguoi-nop`, {
      'applicant.name': 'Lò Thị Mai',
      'applicant.idNumber': '010203004567',
      'applicant.address': 'Thôn Nà Hỏm, xã Bảo Yên',
      'applicant.phone': '0912345678',
    });
    assert.equal(r.headers.location, `${base}/cau-hoi/requestSummary`, 'one question per page follows');
    r = await form(guest, `${base}/cau-hoi/requestSummary`, { requestSummary: 'ab' });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /cần ít nhất 5 ký tự/);
    r = await form(guest, `${base}/cau-hoi/requestSummary`, {
      requestSummary: 'Đăng ký khai sinh cho con trai',
    });
    assert.equal(r.headers.location, `${base}/giay-to`);

    r = await upload(guest, `${base}/giay-to/1`, 'to-khai.pdf', SCAN_PDF);
    assert.equal(r.statusCode, 303, 'post/redirect/get: a reload does not upload again');
    r = await guest.request({ method: 'GET', url: r.headers.location as string });
    assert.match(r.body, /Đã tải lên “to-khai.pdf”/);
    r = await upload(guest, `${base}/giay-to/2`, 'giay-chung-sinh.pdf', Buffer.from('not a scan'));
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /chỉ nhận bản quét PDF, JPEG hoặc PNG/);
    assert.match(r.body, /Đã tải lên: to-khai.pdf/, 'the first upload is still there');
    r = await upload(guest, `${base}/giay-to/2`, 'giay-chung-sinh.pdf', SCAN_PDF);
    assert.equal(r.statusCode, 303);

    r = await guest.request({ method: 'GET', url: `${base}/kiem-tra` });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /Đăng ký khai sinh cho con trai/);
    const [first, second] = await Promise.all([
      form(guest, `${base}/nop`, {}),
      form(guest, `${base}/nop`, {}),
    ]);
    assert.equal(first.statusCode, 303, first.body);
    assert.equal(second.statusCode, 303, second.body);
    assert.equal(first.headers.location, second.headers.location, 'a double submit makes one dossier');
    const done = /\/nop-ho-so\/da-nop\/(\d{5}-\d{6}-\d{4,})\?ma=([2-9A-Z]{6})/.exec(
      first.headers.location as string,
    )!;
    code = done[1]!;
    secret = done[2]!;
    const again = await form(guest, `${base}/nop`, {});
    assert.equal(again.headers.location, first.headers.location, 'a retry after a lost answer too');
    const { rows } = await t.database.pool.query(
      'select count(*)::int as n from dossiers where owner_contact = $1',
      ['sms:0912345678'],
    );
    assert.equal(rows[0].n, 1);

    const confirmation = await guest.request({ method: 'GET', url: first.headers.location as string });
    assert.equal(confirmation.statusCode, 200);
    assert.match(confirmation.body, new RegExp(code));
    assert.match(confirmation.body, /Việc tiếp theo/);
    const pdf = await guest.request({
      method: 'GET',
      url: `/nop-ho-so/da-nop/${code}/phieu.pdf?ma=${secret}`,
    });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const mine = await guest.request({ method: 'GET', url: '/ho-so-cua-toi' });
    assert.match(mine.body, new RegExp(code), 'the guest sees the dossier among theirs');
  });

  test('the desk accepts it: received now, the deadline starts, the applicant is told', async () => {
    clock.set('2026-12-01T03:00:00Z');
    const detail = (await desk.request({ method: 'GET', url: `/api/dossiers/${code}` })).json();
    assert.equal(detail.dossier.status, 'submitted');
    assert.equal(detail.dossier.dueAt, null, 'no deadline before acceptance');
    assert.ok(detail.allowedActions.includes('accept'));
    assert.equal(detail.files.length, 2);
    const accepted = await command(desk, `/api/dossiers/${code}/accept`, {}, 'accept-1');
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json().status, 'received');
    assert.equal(accepted.json().receivedAt, '2026-12-01T03:00:00.000Z');
    assert.equal(accepted.json().dueAt, '2026-12-04T10:00:00.000Z');
    const { rows } = await t.database.pool.query(
      'select template from notification_outbox where dossier_code = $1 order by created_at',
      [code],
    );
    assert.deepEqual(
      rows.map((r) => r.template),
      ['dossier_submitted', 'dossier_received'],
    );
  });

  test('the result is downloaded from the tracking page and rated once', async () => {
    const specialistId = (
      await t.database.pool.query("select id from users where username = 'chuyenvien.xa1'")
    ).rows[0].id;
    const leader = new Agent(t.app);
    await leader.login('lanhdao.xa1');
    const specialist = new Agent(t.app);
    await specialist.login('chuyenvien.xa1');
    const step = async (agent: Agent, action: string, body: Record<string, unknown>) => {
      const r = await command(agent, `/api/dossiers/${code}/${action}`, body, `${action}-${code}`);
      assert.equal(r.statusCode, 200, r.body);
    };
    await step(desk, 'assign', { assigneeId: specialistId });
    await step(specialist, 'submit-for-approval', {});
    await step(leader, 'approve', {});
    await step(leader, 'issue-result', {
      resultTitle: 'Giấy khai sinh',
      resultContent: 'Họ và tên: Lò Văn An',
    });
    const early = await form(guest, `/tra-cuu-ho-so/${code}/danh-gia`, { ma: secret, rating: 'satisfied' });
    assert.equal(early.statusCode, 409, 'not before the result is returned');
    await step(desk, 'return-result', {});

    const page = await guest.request({ method: 'GET', url: `/tra-cuu-ho-so/${code}?ma=${secret}` });
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /010203004567/, 'no personal data on the tracking page');
    const link = /href="(\/tra-cuu-ho-so\/[^"]+\/ket-qua\/[^"]+)"/
      .exec(page.body)?.[1]
      ?.replace(/&amp;/g, '&');
    assert.ok(link, 'the result is offered for download');
    const result = await guest.request({ method: 'GET', url: link });
    assert.equal(result.statusCode, 200);
    assert.equal(result.rawPayload.subarray(0, 5).toString(), '%PDF-');

    const rated = await form(guest, `/tra-cuu-ho-so/${code}/danh-gia`, {
      ma: secret,
      rating: 'satisfied',
      comment: 'Nhanh, chu đáo',
    });
    assert.equal(rated.statusCode, 303);
    const thanks = await guest.request({ method: 'GET', url: rated.headers.location as string });
    assert.match(thanks.body, /Cảm ơn bạn đã đánh giá: Hài lòng/);
    assert.doesNotMatch(thanks.body, /name="rating"/, 'rated once, the form is gone');
    const twice = await form(guest, `/tra-cuu-ho-so/${code}/danh-gia`, {
      ma: secret,
      rating: 'dissatisfied',
    });
    assert.equal(twice.statusCode, 409);
    const wrongSecret = await form(guest, `/tra-cuu-ho-so/${code}/danh-gia`, {
      ma: 'AAAAAA',
      rating: 'neutral',
    });
    assert.equal(wrongSecret.statusCode, 404);
  });

  test('a signed-in citizen files with the account and sees it among their dossiers', async () => {
    const citizen = new Agent(t.app);
    await citizen.login('congdan');
    const started = await form(citizen, `/nop-ho-so/${TEST_PROCEDURE_CODE}/bat-dau`, {});
    assert.equal(started.statusCode, 303);
    const mine = await citizen.request({ method: 'GET', url: '/ho-so-cua-toi' });
    assert.match(mine.body, /Hồ sơ đang soạn/);
    assert.match(
      mine.body,
      /Đăng ký khai sinh kết hợp nhận cha, mẹ, con/,
      'the draft is listed to come back to',
    );
    const other = await guest.request({ method: 'GET', url: started.headers.location as string });
    assert.equal(other.statusCode, 404, 'nobody else opens the draft');
  });

  test('at the counter the applicant rates on the officer’s tablet, once the result is returned', async () => {
    const fromTracking = await t.database.pool.query(
      'select channel from dossier_ratings where dossier_code = $1',
      [code],
    );
    assert.equal(fromTracking.rows[0].channel, 'tracking');
    const page = await desk.request({ method: 'GET', url: `/can-bo/danh-gia/${code}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Cảm ơn bạn đã đánh giá: Hài lòng/, 'already rated from the tracking page');
    const other = new Agent(t.app);
    await other.login('motcua.xa2');
    const refused = await other.request({ method: 'GET', url: `/can-bo/danh-gia/${code}` });
    assert.equal(refused.statusCode, 403, 'an officer of another commune cannot open it');
    const twice = await form(desk, `/can-bo/danh-gia/${code}`, { rating: 'neutral' });
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /đã được đánh giá/);
  });

  test('a 21 MB scan is taken; one over the limit is refused on the page, keeping the draft', async () => {
    const citizen = new Agent(t.app);
    await citizen.login('congdan');
    const started = await form(citizen, `/nop-ho-so/${TEST_PROCEDURE_CODE}/bat-dau`, {});
    const base = /\/nop-ho-so\/nhap\/[0-9a-f-]{36}/.exec(started.headers.location as string)![0];
    await form(citizen, `${base}/noi-nop`, { centre: '02671' });
    const big = Buffer.concat([SCAN_PDF, Buffer.alloc(21 * 1024 * 1024, 0x20)]);
    const ok = await upload(citizen, `${base}/giay-to/1`, 'ban-quet-lon.pdf', big);
    assert.equal(ok.statusCode, 303);
    const after = await citizen.request({ method: 'GET', url: ok.headers.location as string });
    assert.match(after.body, /Đã tải lên “ban-quet-lon.pdf”/);
    const tooBig = await upload(
      citizen,
      `${base}/giay-to/2`,
      'qua-lon.pdf',
      Buffer.concat([SCAN_PDF, Buffer.alloc(26 * 1024 * 1024, 0x20)]),
    );
    assert.equal(tooBig.statusCode, 400);
    assert.match(tooBig.body, /lớn quá 25 MB/);
    assert.match(tooBig.body, /Đã tải lên: ban-quet-lon.pdf/, 'the first file is kept');
  });

  test('the desk may return an online filing with what to complete; the applicant is told', async () => {
    const citizen = new Agent(t.app);
    await citizen.login('congdan');
    const started = await form(citizen, `/nop-ho-so/${TEST_PROCEDURE_CODE}/bat-dau`, {});
    const base = /\/nop-ho-so\/nhap\/[0-9a-f-]{36}/.exec(started.headers.location as string)![0];
    await form(citizen, `${base}/noi-nop`, { centre: '02647' });
    await form(citizen, `${base}/nguoi-nop`, {
      'applicant.name': 'Lý Thị Sinh',
      'applicant.idNumber': '010299001111',
      'applicant.address': 'Thôn Phố Cũ, xã Bảo Yên',
      'applicant.phone': '0911222333',
    });
    await form(citizen, `${base}/cau-hoi/requestSummary`, {
      requestSummary: 'Đăng ký khai sinh cho con gái',
    });
    const missing = await form(citizen, `${base}/nop`, {});
    assert.equal(missing.statusCode, 400, 'the required paper is missing');
    assert.match(missing.body, /Chưa tải lên giấy tờ bắt buộc “Tờ khai đăng ký khai sinh”/);
    await upload(citizen, `${base}/giay-to/1`, 'to-khai.pdf', SCAN_PDF);
    const done = await form(citizen, `${base}/nop`, {});
    const filed = /da-nop\/([\d-]+)\?/.exec(done.headers.location as string)![1]!;
    const noReason = await command(desk, `/api/dossiers/${filed}/return-online`, {}, `ret-0-${filed}`);
    assert.equal(noReason.statusCode, 400);
    const returned = await command(
      desk,
      `/api/dossiers/${filed}/return-online`,
      { reasons: ['Tờ khai thiếu chữ ký của người đi khai sinh'] },
      `ret-1-${filed}`,
    );
    assert.equal(returned.statusCode, 200, returned.body);
    assert.equal(returned.json().status, 'returned_for_completion');
    const { rows } = await t.database.pool.query(
      "select body from notification_outbox where dossier_code = $1 and template = 'dossier_returned_online'",
      [filed],
    );
    assert.match(rows[0].body, /cần hoàn thiện/, 'told by SMS, with the link to the reasons');
    const secret = new URL(returned.json().trackingUrl).searchParams.get('ma');
    const tracking = await citizen.request({ method: 'GET', url: `/tra-cuu-ho-so/${filed}?ma=${secret}` });
    assert.match(
      tracking.body,
      /Tờ khai thiếu chữ ký của người đi khai sinh/,
      'the tracking page says what to complete',
    );
    const mine = await citizen.request({ method: 'GET', url: '/ho-so-cua-toi' });
    assert.match(mine.body, new RegExp(filed));
    assert.match(mine.body, /Đã hướng dẫn hoàn thiện hồ sơ/);
  });
});
