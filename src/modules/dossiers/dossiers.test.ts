// The dossier lifecycle through the API on a real database, as the demo officers of commune 02647 would drive it:
// intake with a scan, assignment, a supplement that pauses the clock, approval, the result, its return; retries and
// double clicks, refusals, conflicts, overdue marking and the one rescheduling.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, createTestApp, type TestApp } from '../../../test/support/app.ts';
import {
  SCAN_PDF,
  TEST_PROCEDURE_CODE,
  command,
  importTestProcedure,
  intakeBody,
  testProcedureRecord,
  uploadScan,
} from '../../../test/support/dossiers.ts';
import { decodeQrCodes, pdfText, requirePdfTools } from '../../../test/support/pdf.ts';
import { fixedClock } from '../../platform/clock.ts';
import { deriveStatus, type AnyAction } from './dossier-workflow.ts';

describe('dossiers', () => {
  let t: TestApp;
  const clock = fixedClock('2026-12-01T02:00:00Z'); // Tuesday 09:00 in Vietnam
  const desk = () => new Agent(t.app);
  let officer: Agent;
  let specialist: Agent;
  let leader: Agent;
  let otherDesk: Agent;
  let specialistId: string;

  before(async () => {
    // Sessions last 30 days here: the clock jumps days ahead to make dossiers late.
    t = await createTestApp({ clock, env: { SESSION_TTL_HOURS: '720' } });
    await importTestProcedure(t);
    officer = desk();
    specialist = desk();
    leader = desk();
    otherDesk = desk();
    await officer.login('motcua.xa1');
    specialistId = (await specialist.login('chuyenvien.xa1')).json().userId;
    await leader.login('lanhdao.xa1');
    await otherDesk.login('motcua.xa2');
  });
  after(() => t.close());

  async function receive(key: string, overrides: Record<string, unknown> = {}) {
    const upload = await uploadScan(officer, '02647');
    assert.equal(upload.statusCode, 200, upload.body);
    return command(officer, '/api/dossiers', intakeBody(upload.json().id, overrides), key);
  }

  async function act(agent: Agent, code: string, action: string, body: Record<string, unknown>, key: string) {
    return command(agent, `/api/dossiers/${code}/${action}`, body, key);
  }

  test('a dossier goes from the counter to its returned result, every step on the log', async () => {
    const received = await receive('intake-0001');
    assert.equal(received.statusCode, 201, received.body);
    const dossier = received.json();
    assert.match(dossier.code, /^02647-261201-\d{4}$/);
    assert.equal(dossier.status, 'received');
    // 3 working days after Tuesday 01/12 (the day of receipt not counted): Friday 04/12 at 17:00.
    assert.equal(dossier.dueAt, '2026-12-04T10:00:00.000Z');
    assert.equal(dossier.procedure.version, 1);
    assert.deepEqual(dossier.fees, [{ text: '8.000 đồng/bản', amountVnd: 8000, per: 'bản' }]);
    assert.match(dossier.trackingUrl, new RegExp(`/tra-cuu-ho-so/${dossier.code}\\?ma=[2-9A-Z]{6}$`));

    const again = await receive('intake-0001');
    assert.equal(again.statusCode, 201);
    assert.equal(again.json().code, dossier.code, 'a retry with the same key returns the first dossier');

    const code = dossier.code as string;
    let r = await act(officer, code, 'assign', { assigneeId: specialistId }, 'a-1');
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().status, 'processing');
    r = await act(specialist, code, 'process', { note: 'Đã thẩm tra giấy tờ.' }, 'a-2');
    assert.equal(r.statusCode, 200, r.body);

    clock.set('2026-12-02T03:00:00Z'); // Wednesday 10:00
    r = await act(
      specialist,
      code,
      'request-supplement',
      { items: ['Bản sao giấy chứng nhận kết hôn'] },
      'a-3',
    );
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().status, 'awaiting_supplement');
    clock.set('2026-12-07T01:30:00Z'); // Monday 08:30: five days later, the clock stood still meanwhile
    r = await act(officer, code, 'receive-supplement', {}, 'a-4');
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().status, 'processing', 'back to the specialist who asked');
    const moved = new Date(r.json().dueAt).getTime();
    assert.ok(moved > Date.parse('2026-12-04T10:00:00Z'), 'the supplement wait is not counted');

    r = await act(specialist, code, 'submit-for-approval', {}, 'a-5');
    assert.equal(r.json().status, 'awaiting_approval', r.body);
    r = await act(leader, code, 'approve', { note: 'Đồng ý' }, 'a-6');
    assert.equal(r.json().status, 'approved', r.body);
    r = await act(
      leader,
      code,
      'issue-result',
      { resultTitle: 'Giấy khai sinh', resultContent: 'Họ và tên: Lò Văn An\nNgày sinh: 20/11/2026' },
      'a-7',
    );
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().status, 'result_ready');
    r = await act(officer, code, 'return-result', {}, 'a-8');
    assert.equal(r.json().status, 'returned', r.body);
    assert.ok(r.json().finishedAt);

    const detail = (await officer.request({ method: 'GET', url: `/api/dossiers/${code}` })).json();
    const log = detail.actions as { action: AnyAction; status_after: string }[];
    assert.deepEqual(
      log.map((a) => a.action),
      [
        'receive',
        'assign',
        'process',
        'request_supplement',
        'receive_supplement',
        'submit_for_approval',
        'approve',
        'issue_result',
        'return_result',
      ],
    );
    assert.equal(deriveStatus(log), detail.dossier.status, 'the cached status is the one the log gives');
    assert.deepEqual(detail.allowedActions, []);
    assert.equal(detail.files.filter((f: { kind: string }) => f.kind === 'result').length, 1);
    assert.ok(detail.controlSlip.length >= 6, 'every hand-off is on the control slip');
    assert.ok(detail.controlSlip.every((row: { result: string | null; step: string }) => row.step));

    const { rows } = await t.database.pool.query(
      "select count(*)::int as n from audit_log where target_id = $1 and action like 'dossier.%'",
      [code],
    );
    assert.equal(rows[0].n, 9, 'each step audited once, the retried intake not again');
  });

  test('the result file and the scans are served to officers of the dossier only', async () => {
    const r = await receive('intake-files');
    const code = r.json().code as string;
    const detail = (await officer.request({ method: 'GET', url: `/api/dossiers/${code}` })).json();
    const scan = detail.files[0];
    assert.equal(scan.sha256.length, 64);
    const file = await officer.request({ method: 'GET', url: `/can-bo/ho-so/${code}/tep/${scan.id}` });
    assert.equal(file.statusCode, 200);
    assert.deepEqual(file.rawPayload, SCAN_PDF);
    const other = await otherDesk.request({ method: 'GET', url: `/can-bo/ho-so/${code}/tep/${scan.id}` });
    assert.equal(other.statusCode, 403);
  });

  test('double-clicking accept creates one dossier', async () => {
    const upload = (await uploadScan(officer, '02647')).json();
    const body = intakeBody(upload.id);
    const [a, b] = await Promise.all([
      command(officer, '/api/dossiers', body, 'double-click-1'),
      command(officer, '/api/dossiers', body, 'double-click-1'),
    ]);
    assert.equal(a.statusCode, 201, a.body);
    assert.equal(b.statusCode, 201, b.body);
    assert.equal(a.json().code, b.json().code);
    const { rows } = await t.database.pool.query(
      "select count(*)::int as n from dossier_commands where transaction_id = 'double-click-1'",
    );
    assert.equal(rows[0].n, 1);
  });

  test('a command without a transaction id is refused, saying why', async () => {
    const token = await officer.csrfToken();
    const r = await officer.request({
      method: 'POST',
      url: '/api/dossiers',
      payload: intakeBody('00000000-0000-0000-0000-000000000000'),
      headers: { 'x-csrf-token': token },
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error.details.fields[0].message, /Idempotency-Key/);
  });

  test('every bad field is named in Vietnamese and nothing is saved', async () => {
    const before = await t.database.pool.query('select count(*)::int as n from dossiers');
    const upload = (await uploadScan(officer, '02647')).json();
    const r = await command(
      officer,
      '/api/dossiers',
      intakeBody(upload.id, {
        applicant: { name: 'A', idNumber: '12345', address: 'x', phone: '123', email: 'khong-phai-email' },
        components: [{ position: 2, isProvided: true, digitisation: 'scanned', uploadIds: [] }],
      }),
      'bad-fields',
    );
    assert.equal(r.statusCode, 400);
    const fields = Object.fromEntries(
      r.json().error.details.fields.map((f: { field: string; message: string }) => [f.field, f.message]),
    );
    assert.match(fields['applicant.idNumber'], /12 chữ số/);
    assert.match(fields['applicant.name'], /từ 2 đến 200 ký tự/);
    assert.match(fields['applicant.phone'], /10 chữ số/);
    assert.match(fields['applicant.email'], /Thư điện tử/);
    assert.match(fields['applicant.address'], /Địa chỉ/);
    assert.match(fields['components.1'], /Thiếu thành phần bắt buộc “Tờ khai đăng ký khai sinh”/);
    assert.match(fields['components.2.files'], /chưa có tệp/);
    const afterCount = await t.database.pool.query('select count(*)::int as n from dossiers');
    assert.equal(afterCount.rows[0].n, before.rows[0].n);
  });

  test('an upload that is not a scan is refused by its content; what was uploaded before stays', async () => {
    const good = (await uploadScan(officer, '02647')).json();
    const fake = await uploadScan(officer, '02647', 'to-khai.pdf', Buffer.from('MZ not a pdf at all'));
    assert.equal(fake.statusCode, 415);
    assert.match(fake.json().error.message, /chỉ nhận bản quét PDF, JPEG hoặc PNG/);
    const r = await command(officer, '/api/dossiers', intakeBody(good.id), 'after-bad-upload');
    assert.equal(r.statusCode, 201, r.body);
  });

  test('a desk officer may ask for completion (Mẫu 02) or refuse (Mẫu 03) at the counter, with reasons', async () => {
    const upload = (await uploadScan(officer, '02647')).json();
    const noReason = await command(
      officer,
      '/api/dossiers',
      intakeBody(upload.id, { decision: 'refuse_at_intake' }),
      'refuse-0',
    );
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.json().error.details.fields[0].message, /lý do từ chối/);
    const refused = await command(
      officer,
      '/api/dossiers',
      intakeBody(upload.id, { decision: 'refuse_at_intake', reasons: ['Không thuộc thẩm quyền của xã'] }),
      'refuse-1',
    );
    assert.equal(refused.statusCode, 201, refused.body);
    assert.equal(refused.json().status, 'refused');
    assert.equal(refused.json().dueAt, null);
    const pdf = await officer.request({
      method: 'GET',
      url: `/can-bo/ho-so/${refused.json().code}/mau-03.pdf`,
    });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const noReceipt = await officer.request({
      method: 'GET',
      url: `/can-bo/ho-so/${refused.json().code}/mau-01.pdf`,
    });
    assert.equal(noReceipt.statusCode, 409, 'a refused dossier has no receipt');
  });

  test('an action the status does not accept answers 409 with the allowed ones; a wrong role 403', async () => {
    const code = (await receive('intake-409')).json().code as string;
    const early = await act(leader, code, 'approve', {}, 'x-1');
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().error.code, 'DOSSIER_ACTION_NOT_ALLOWED');
    assert.ok(early.json().error.details.allowed.includes('assign'));
    assert.match(early.json().error.message, /Phân công xử lý/);
    const wrongRole = await act(specialist, code, 'return-result', {}, 'x-2');
    assert.equal(wrongRole.statusCode, 403);
    assert.equal(wrongRole.json().error.code, 'DOSSIER_ROLE_NOT_ALLOWED');
    assert.match(wrongRole.json().error.message, /Cán bộ một cửa/);
  });

  test('an officer of another commune is refused and the attempt audited', async () => {
    const code = (await receive('intake-other')).json().code as string;
    const r = await act(otherDesk, code, 'assign', { assigneeId: specialistId }, 'o-1');
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().error.code, 'UNIT_ACCESS_DENIED');
    const view = await otherDesk.request({ method: 'GET', url: `/api/dossiers/${code}` });
    assert.equal(view.statusCode, 403);
    const { rows } = await t.database.pool.query(
      "select count(*)::int as n from audit_log where action = 'access.denied' and unit_code = '02647' and details->>'attempted' = 'dossiers.view'",
    );
    assert.ok(rows[0].n >= 1);
  });

  test('two officers acting at once: one wins, the other gets a clear conflict', async () => {
    const code = (await receive('intake-race')).json().code as string;
    const version = (await officer.request({ method: 'GET', url: `/api/dossiers/${code}` })).json().dossier
      .version;
    const [a, b] = await Promise.all([
      act(officer, code, 'assign', { assigneeId: specialistId, expectedVersion: version }, 'race-a'),
      act(leader, code, 'assign', { assigneeId: specialistId, expectedVersion: version }, 'race-b'),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    assert.deepEqual(statuses, [200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    assert.equal(loser.json().error.code, 'DOSSIER_CHANGED');
    assert.match(loser.json().error.message, /vừa được người khác cập nhật/);
  });

  test('a transaction id reused for another command is refused', async () => {
    const code = (await receive('intake-reuse')).json().code as string;
    await act(officer, code, 'assign', { assigneeId: specialistId }, 'reuse-1');
    const r = await act(specialist, code, 'process', { note: 'x' }, 'reuse-1');
    assert.equal(r.statusCode, 422);
    assert.equal(r.json().error.code, 'DOSSIER_TRANSACTION_REUSED');
  });

  test('due soon and overdue are marked by the job; the apology reschedules once (Mẫu 04)', async () => {
    clock.set('2026-12-01T02:00:00Z');
    const code = (await receive('intake-late')).json().code as string; // due Friday 04/12 17:00
    const tooEarly = await act(
      leader,
      code,
      'reschedule',
      { newDueAt: '2026-12-09T10:00:00Z', reasons: ['Chờ xác minh'] },
      'late-0',
    );
    assert.equal(tooEarly.statusCode, 409);
    assert.match(tooEarly.json().error.message, /còn trong hạn/);

    clock.set('2026-12-03T02:00:00Z'); // Thursday: one working day left
    let marked = await t.dossiers.service.markDeadlines();
    let state = (await officer.request({ method: 'GET', url: `/api/dossiers/${code}` })).json().dossier
      .deadlineState;
    assert.equal(state, 'due_soon');
    assert.ok(marked.dueSoon >= 1);

    clock.set('2026-12-07T02:00:00Z'); // Monday after: overdue
    marked = await t.dossiers.service.markDeadlines();
    assert.ok(marked.overdue >= 1);
    const queue = await leader.request({
      method: 'GET',
      url: '/api/dossiers?scope=unit&unit=02647&deadline=overdue',
    });
    assert.ok(
      queue.json().items.some((d: { code: string }) => d.code === code),
      'the leader sees it in the overdue filter',
    );
    state = (await officer.request({ method: 'GET', url: `/api/dossiers/${code}` })).json().dossier
      .deadlineState;
    assert.equal(state, 'overdue');

    const moved = await act(
      leader,
      code,
      'reschedule',
      { newDueAt: '2026-12-09T10:00:00Z', reasons: ['Chờ xác minh của Công an xã'] },
      'late-1',
    );
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().dueAt, '2026-12-09T10:00:00.000Z');
    assert.equal(moved.json().originalDueAt, '2026-12-04T10:00:00.000Z');
    assert.equal(moved.json().rescheduled, true);
    clock.set('2026-12-10T02:00:00Z');
    const twice = await act(
      leader,
      code,
      'reschedule',
      { newDueAt: '2026-12-11T10:00:00Z', reasons: ['Lần hai'] },
      'late-2',
    );
    assert.equal(twice.statusCode, 409);
    assert.match(twice.json().error.message, /không quá một lần/);

    const secret = new URL(moved.json().trackingUrl).searchParams.get('ma');
    const tracking = await desk().request({ method: 'GET', url: `/api/tracking/${code}?ma=${secret}` });
    assert.equal(tracking.statusCode, 200);
    assert.match(tracking.json().apology.reason, /Chờ xác minh/, 'the applicant sees the apology');
    assert.equal(tracking.json().applicant, undefined, 'no personal data on the tracking answer');
    const guessed = await desk().request({ method: 'GET', url: `/api/tracking/${code}?ma=AAAAAA` });
    assert.equal(guessed.statusCode, 404);
    clock.set('2026-12-01T02:00:00Z');
  });

  test('the receipt (Mẫu 01) carries the dossier and a QR code to its tracking page', async (ctx) => {
    if (!requirePdfTools(ctx)) return;
    const dossier = (await receive('intake-pdf')).json();
    const pdf = await officer.request({ method: 'GET', url: `/can-bo/ho-so/${dossier.code}/mau-01.pdf` });
    assert.equal(pdf.statusCode, 200);
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
    for (const expected of [
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      dossier.code,
      'Lò Thị Mai',
      '010203004567',
      'Đăng ký khai sinh kết hợp nhận cha, mẹ, con',
      'Tờ khai đăng ký khai sinh',
      '17:00 ngày 04/12/2026',
      '09:00 ngày 01/12/2026',
    ])
      assert.ok(text.includes(expected), `Mẫu 01 shows “${expected}”`);
    const codes = await decodeQrCodes(pdf.rawPayload);
    assert.deepEqual(
      codes.map((c) => c.data),
      [dossier.trackingUrl],
      'the QR code decodes to the tracking URL',
    );
  });

  test('the register (Mẫu 07) lists the period’s dossiers as PDF and XLSX', async (ctx) => {
    if (!requirePdfTools(ctx)) return;
    const pdf = await officer.request({
      method: 'GET',
      url: '/can-bo/so-theo-doi.pdf?don_vi=02647&tu=2026-12-01&den=2026-12-31',
    });
    assert.equal(pdf.statusCode, 200, pdf.body);
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
    assert.match(text, /SỔ THEO DÕI HỒ SƠ/);
    assert.match(text, /02647-261201-0001/);
    const xlsx = await officer.request({
      method: 'GET',
      url: '/can-bo/so-theo-doi.xlsx?don_vi=02647&tu=2026-12-01&den=2026-12-31',
    });
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    const bad = await officer.request({
      method: 'GET',
      url: '/can-bo/so-theo-doi.pdf?don_vi=02647&tu=2026-12-31&den=2026-12-01',
    });
    assert.equal(bad.statusCode, 400);
  });

  test('the queue is sorted by due date and the procedure has the default workflow', async () => {
    const queue = await officer.request({
      method: 'GET',
      url: '/api/dossiers?scope=unit&unit=02647&pageSize=50',
    });
    assert.equal(queue.statusCode, 200, queue.body);
    const dues = queue.json().items.map((d: { dueAt: string | null }) => d.dueAt ?? '9999');
    assert.deepEqual([...dues].sort(), dues);
    const workflow = await officer.request({
      method: 'GET',
      url: `/api/procedures/${TEST_PROCEDURE_CODE}/workflow`,
    });
    assert.equal(workflow.json().steps.length, 4);
  });

  test('the model produces the national portal’s dossier fields (DongBoHoSoMC, QuaTrinhXuLy)', async () => {
    clock.set('2026-12-01T02:00:00Z');
    const code = (await receive('intake-portal')).json().code as string;
    await act(officer, code, 'assign', { assigneeId: specialistId }, 'p-1');
    await act(specialist, code, 'request-supplement', { items: ['Giấy chứng sinh bản chính'] }, 'p-2');
    clock.set('2026-12-02T02:00:00Z');
    await act(officer, code, 'receive-supplement', {}, 'p-3');
    const deskUser = (await t.database.pool.query("select id from users where username = 'motcua.xa1'"))
      .rows[0].id;
    const principal = (await t.identity.service.loadPrincipal(deskUser))!;
    const portal = await t.dossiers.service.portalDossier(principal, code, {
      requestId: 'test',
      ip: '127.0.0.1',
    });
    assert.equal(portal.MaHoSo, code);
    assert.equal(portal.MaTTHC, TEST_PROCEDURE_CODE);
    assert.equal(portal.KenhThucHien, 1);
    assert.equal(portal.SoGiayToChuHoSo, '010203004567');
    assert.equal(portal.NgayTiepNhan, '20261201090000');
    assert.equal(portal.HoSoCoThanhPhanSoHoa, 1);
    assert.equal(portal.TaiLieuNop.length, 1);
    assert.equal(portal.TaiLieuNop[0]!.DuocSoHoa, 1);
    assert.deepEqual(portal.DanhSachLePhi, [
      { TenPhiLePhi: '8.000 đồng/bản', MaPhiLePhi: '1', HinhThucThu: 1, Gia: 8000, LoaiPhiLePhi: 1 },
    ]);
    assert.equal(portal.DanhSachHoSoBoSung.length, 1);
    assert.equal(portal.DanhSachHoSoBoSung[0]!.NgayHenTraTruoc, '20261204170000');
    assert.ok(portal.DanhSachHoSoBoSung[0]!.NgayHenTraMoi! > '20261204170000', 'the new due date is later');
    assert.deepEqual(
      portal.QuaTrinhXuLy.map((q) => q.NoiDungXuLy),
      ['Tiếp nhận hồ sơ', 'Phân công xử lý', 'Yêu cầu bổ sung hồ sơ', 'Nhận hồ sơ bổ sung'],
    );
    assert.equal(portal.TrangThaiHoSo, 'Đang xử lý');
  });

  test('a failure in the middle of a step leaves the dossier as it was committed', async () => {
    const code = (await receive('intake-crash')).json().code as string;
    const before = (await officer.request({ method: 'GET', url: `/api/dossiers/${code}` })).json();
    // The audit entry is the last write of a step: make it fail for this dossier only, as a crash would.
    await t.database.pool.query(`
      create function fail_audit_for_test() returns trigger language plpgsql as $$
      begin
        if new.target_id = '${code}' then raise exception 'simulated crash'; end if;
        return new;
      end $$;
      create trigger fail_audit_for_test before insert on audit_log for each row execute function fail_audit_for_test();`);
    try {
      const r = await act(officer, code, 'assign', { assigneeId: specialistId }, 'crash-1');
      assert.equal(r.statusCode, 500);
    } finally {
      await t.database.pool.query(
        'drop trigger fail_audit_for_test on audit_log; drop function fail_audit_for_test()',
      );
    }
    const after = (await officer.request({ method: 'GET', url: `/api/dossiers/${code}` })).json();
    assert.equal(after.dossier.status, 'received');
    assert.equal(after.dossier.version, before.dossier.version);
    assert.equal(after.actions.length, before.actions.length);
    const retried = await act(officer, code, 'assign', { assigneeId: specialistId }, 'crash-1');
    assert.equal(
      retried.statusCode,
      200,
      'the retry with the same transaction id acts now, since nothing was saved',
    );
    assert.equal(retried.json().status, 'processing');
  });

  test('a retry is answered as the first for 30 days; then the id is forgotten and a stale retry refused', async () => {
    clock.set('2026-12-01T02:00:00Z');
    const received = (await receive('intake-retention')).json();
    const code = received.code as string;
    // As the dossier page's forms do, the command carries the version it was made on.
    const assign = { assigneeId: specialistId, expectedVersion: received.version };
    const first = await act(officer, code, 'assign', assign, 'retention-assign');
    assert.equal(first.statusCode, 200, first.body);
    try {
      clock.set('2026-12-30T02:00:00Z'); // 29 days later: still kept
      assert.equal(await t.dossiers.service.pruneCommands(), 0);
      const retry = await act(officer, code, 'assign', assign, 'retention-assign');
      assert.equal(retry.statusCode, 200, 'within the window the retry answers as the first did');
      assert.equal(retry.json().version, first.json().version);

      clock.set('2027-01-01T03:00:00Z'); // 31 days after the commands
      const pruned = await t.dossiers.service.pruneCommands();
      assert.ok(pruned >= 2, `pruned ${pruned}`);
      const { rows } = await t.database.pool.query(
        "select count(*)::int as n from dossier_commands where created_at < '2026-12-02T03:00:00Z'",
      );
      assert.equal(rows[0].n, 0, 'nothing older than the window is kept');
      const late = await act(officer, code, 'assign', assign, 'retention-assign');
      assert.equal(late.statusCode, 409, 'a new command now, refused: the dossier has moved on');
      assert.equal(late.json().error.code, 'DOSSIER_CHANGED');
      const detail = (await officer.request({ method: 'GET', url: `/api/dossiers/${code}` })).json();
      assert.equal(
        detail.actions.filter((a: { action: string }) => a.action === 'assign').length,
        1,
        'assigned once',
      );
      assert.ok(
        detail.actions.every((a: { transaction_id: string }) => a.transaction_id),
        'the log keeps every transaction id',
      );
    } finally {
      clock.set('2026-12-01T02:00:00Z');
    }
  });

  test('a dossier keeps the components of the procedure version it was received under', async () => {
    const code = (await receive('intake-components')).json().code as string;
    const record = testProcedureRecord();
    await importTestProcedure(t, {
      components: [{ ...record.components[0]!, name: 'Tờ khai đăng ký khai sinh (mẫu mới)', copies: 1 }],
    });
    const kept = (await officer.request({ method: 'GET', url: `/api/dossiers/${code}` })).json();
    assert.deepEqual(
      kept.components.map((c: Record<string, unknown>) => [
        c.position,
        c.name,
        c.originals,
        c.copies,
        c.is_required,
      ]),
      [
        [1, 'Tờ khai đăng ký khai sinh', 1, 0, true],
        [2, 'Giấy chứng sinh', 1, 0, false],
      ],
    );
    const { rows } = await t.database.pool.query(
      'select position, is_provided, digitisation from dossier_components where dossier_code = $1 order by 1',
      [code],
    );
    assert.deepEqual(rows, [
      { position: 1, is_provided: true, digitisation: 'scanned' },
      { position: 2, is_provided: true, digitisation: 'shown_only' },
    ]);
    const upload = (await uploadScan(officer, '02647')).json();
    const later = await command(
      officer,
      '/api/dossiers',
      {
        ...intakeBody(upload.id),
        components: [{ position: 1, isProvided: true, digitisation: 'scanned', uploadIds: [upload.id] }],
      },
      'intake-components-2',
    );
    assert.equal(later.statusCode, 201, later.body);
    const changed = (
      await officer.request({ method: 'GET', url: `/api/dossiers/${later.json().code}` })
    ).json();
    assert.deepEqual(
      changed.components.map((c: Record<string, unknown>) => [c.name, c.copies]),
      [['Tờ khai đăng ký khai sinh (mẫu mới)', 1]],
    );
  });
});
