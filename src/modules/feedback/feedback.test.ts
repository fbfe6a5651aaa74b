// PAKN on a real database: submitted with its deadlines on the working calendar, handled by the commune's officers
// (answered, then published; or refused), on-time flags for QĐ 766 indicator 5.2, refused for another commune.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, createTestApp, type TestApp } from '../../../test/support/app.ts';
import { postForm } from '../../../test/support/dossiers.ts';
import { fixedClock } from '../../platform/clock.ts';

describe('phản ánh, kiến nghị', () => {
  let t: TestApp;
  const clock = fixedClock('2026-12-01T02:00:00Z'); // Tuesday 09:00
  let citizen: Agent;
  let officer: Agent;

  before(async () => {
    t = await createTestApp({ clock, env: { SESSION_TTL_HOURS: '720' } });
    citizen = new Agent(t.app);
    officer = new Agent(t.app);
    await officer.login('motcua.xa1');
  });
  after(() => t.close());

  const form = postForm;

  test('a citizen sends one; bad fields are named and nothing is saved', async () => {
    const bad = await form(citizen, '/phan-anh-kien-nghi', {
      unitCode: '',
      content: 'ngắn',
      senderName: 'A',
      senderContact: 'x',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Chọn xã, phường, đặc khu nhận phản ánh/);
    assert.match(bad.body, /từ 10 đến 5.000 ký tự/);
    assert.equal((await t.database.pool.query('select count(*)::int as n from feedback_items')).rows[0].n, 0);
    const sent = await form(citizen, '/phan-anh-kien-nghi', {
      unitCode: '02647',
      kind: 'phan_anh',
      content: 'Cán bộ hẹn trả kết quả nhưng đến hẹn chưa có kết quả.',
      senderName: 'Lò Thị Mai',
      senderContact: '0912345678',
      dossierCode: '02647-261201-0001',
    });
    assert.equal(sent.statusCode, 200);
    assert.match(sent.body, /Đã nhận phản ánh, kiến nghị số PAKN-02647-2026-0001/);
    const { rows } = await t.database.pool.query('select reject_by, answer_by from feedback_items');
    // 2 and 15 working days after Tuesday 01/12/2026, ending at 17:00.
    assert.equal(new Date(rows[0].reject_by).toISOString(), '2026-12-03T10:00:00.000Z');
    assert.equal(new Date(rows[0].answer_by).toISOString(), '2026-12-22T10:00:00.000Z');
  });

  test('the commune answers and publishes it; the public sees the answer without the sender', async () => {
    const list = await officer.request({ method: 'GET', url: '/can-bo/phan-anh/02647' });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /PAKN-02647-2026-0001/);
    const id = /\/can-bo\/phan-anh\/02647\/([0-9a-f-]{36})\/tra-loi/.exec(list.body)![1]!;
    const empty = await form(officer, `/can-bo/phan-anh/02647/${id}/tra-loi`, { text: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Ghi câu trả lời/);
    clock.set('2026-12-02T02:00:00Z');
    const answered = await form(officer, `/can-bo/phan-anh/02647/${id}/tra-loi`, {
      text: 'Hồ sơ chậm do chờ xác minh; Trung tâm đã gửi Phiếu xin lỗi và hẹn lại ngày trả kết quả.',
    });
    assert.equal(answered.statusCode, 303);
    const published = await form(officer, `/can-bo/phan-anh/02647/${id}/cong-khai`, {});
    assert.equal(published.statusCode, 303);
    const again = await form(officer, `/can-bo/phan-anh/02647/${id}/tra-loi`, { text: 'Trả lời lần hai' });
    assert.equal(again.statusCode, 409, 'answered once');
    const items = await t.feedback.service.listForUnit(
      (await t.identity.service.loadPrincipal(
        (await t.database.pool.query("select id from users where username='motcua.xa1'")).rows[0].id,
      ))!,
      '02647',
      { requestId: 't', ip: '127.0.0.1' },
    );
    assert.deepEqual(items[0]!.onTime, { reject: null, answer: true, publish: true });
    const page = await citizen.request({ method: 'GET', url: '/phan-anh-kien-nghi' });
    assert.match(page.body, /Trung tâm đã gửi Phiếu xin lỗi/);
    assert.doesNotMatch(page.body, /0912345678/, 'the sender’s contact is never shown');
  });

  test('an officer of another commune cannot see or handle them', async () => {
    const other = new Agent(t.app);
    await other.login('motcua.xa2');
    const r = await other.request({ method: 'GET', url: '/can-bo/phan-anh/02647' });
    assert.equal(r.statusCode, 403);
  });
});
