// The province's working calendar through its service and HTTP: seeded from the official notices, the next year
// proposed and marked provisional, edits as audited versions, only province administrators may edit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, createTestApp, type TestApp } from '../../../test/support/app.ts';
import { fixedClock } from '../../platform/clock.ts';
import { isWorkingDay } from './working-calendar.ts';

describe('working calendar', () => {
  let t: TestApp;
  let admin: Agent;
  before(async () => {
    t = await createTestApp({ clock: fixedClock('2026-11-20T03:00:00Z') });
    admin = new Agent(t.app);
    await admin.login('quantri.tinh');
  });
  after(() => t.close());

  test('seeded from the official notices of 2025 and 2026, with 2027 proposed', async () => {
    const calendar = await t.calendar.service.getCurrent('15');
    assert.equal(calendar.version, '15-v1');
    assert.deepEqual(calendar.confirmedYears, [2025, 2026]);
    for (const date of [
      '2026-02-16',
      '2026-02-20',
      '2026-04-27',
      '2026-08-31',
      '2026-09-01',
      '2026-09-02',
      '2025-05-02',
    ]) {
      assert.equal(isWorkingDay(calendar, date), false, `${date} is a day off`);
    }
    for (const date of ['2025-04-26', '2026-08-22', '2026-02-23'])
      assert.equal(isWorkingDay(calendar, date), true, date);
    const proposed = calendar.daysOff.filter((d) => d.date.startsWith('2027-'));
    assert.ok(proposed.length >= 9, 'the 2027 holidays are proposed');
    assert.ok(proposed.every((d) => d.name.endsWith('(dự kiến)')));
    assert.equal(await t.calendar.service.ensureSeeded('15'), false, 'seeding twice changes nothing');
  });

  test('an edit is a new, audited version; the old version stays readable', async () => {
    const response = await admin.command('POST', '/api/calendars/15/changes', {
      kind: 'add-day-off',
      date: '2026-11-24',
      name: 'Ngày Văn hóa Việt Nam',
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().version, '15-v2');
    const current = await t.calendar.service.getCurrent('15');
    assert.equal(isWorkingDay(current, '2026-11-24'), false);
    assert.equal(isWorkingDay(await t.calendar.service.getVersion('15', 1), '2026-11-24'), true);
    const again = await admin.command('POST', '/api/calendars/15/changes', {
      kind: 'add-day-off',
      date: '2026-11-24',
      name: 'x',
    });
    assert.equal(again.statusCode, 409);
    assert.match(again.json().error.message, /đã có trong lịch/);
    const { rows } = await t.database.pool.query(
      "select count(*)::int as n from audit_log where action = 'calendar.changed'",
    );
    assert.equal(rows[0].n, 2, 'the seed and the edit');
  });

  test('confirming a proposed year drops the “dự kiến” marks', async () => {
    const response = await admin.command('POST', '/api/calendars/15/changes', {
      kind: 'confirm-year',
      year: 2027,
    });
    assert.equal(response.statusCode, 200);
    const calendar = response.json();
    assert.ok(calendar.confirmedYears.includes(2027));
    assert.ok(
      calendar.daysOff
        .filter((d: { date: string }) => d.date.startsWith('2027-'))
        .every((d: { name: string }) => !d.name.includes('dự kiến')),
    );
  });

  test('only province administrators edit; everyone may read', async () => {
    const officer = new Agent(t.app);
    await officer.login('motcua.xa1');
    const refused = await officer.command('POST', '/api/calendars/15/changes', {
      kind: 'remove-day-off',
      date: '2026-11-24',
    });
    assert.equal(refused.statusCode, 403);
    const bad = await admin.command('POST', '/api/calendars/15/changes', {
      kind: 'add-day-off',
      date: '24/11/2026',
      name: 'x',
    });
    assert.equal(bad.statusCode, 400);
    const page = await new Agent(t.app).request({ method: 'GET', url: '/lich-lam-viec?nam=2026' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Lịch làm việc năm 2026 – Tỉnh Lào Cai/);
    assert.match(page.body, /Thứ Bảy, 22\/08\/2026/);
    assert.doesNotMatch(page.body, /Sửa lịch/);
  });

  test('the page form edits the calendar with errors next to the fields', async () => {
    const page = await admin.request({ method: 'GET', url: '/lich-lam-viec?nam=2027' });
    assert.match(page.body, /Sửa lịch/);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const bad = await admin.request({
      method: 'POST',
      url: '/lich-lam-viec?nam=2027',
      headers: form,
      payload: new URLSearchParams({
        _csrf: token,
        kind: 'add-make-up-day',
        date: 'hôm nay',
        name: '',
      }).toString(),
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Ngày phải có dạng năm-tháng-ngày/);
    assert.match(bad.body, /Hãy nhập tên ngày nghỉ hoặc ngày làm bù/);
    const good = await admin.request({
      method: 'POST',
      url: '/lich-lam-viec?nam=2027',
      headers: form,
      payload: new URLSearchParams({
        _csrf: token,
        kind: 'add-make-up-day',
        date: '2027-02-20',
        name: 'Làm bù Tết',
      }).toString(),
    });
    assert.equal(good.statusCode, 200);
    assert.match(good.body, /Đã lưu: Thêm ngày làm bù 2027-02-20: Làm bù Tết/);
  });
});

describe('if received now, due on …', () => {
  test('a procedure’s due date for a receipt time, on the province calendar, per channel', async () => {
    // Friday 24/04/2026 at 14:00 Vietnam time; 27/04 is the compensatory day off for Giỗ Tổ, 30/04 and 01/05
    // are holidays: 3 working days after the day of receipt are 28/04, 29/04 and 04/05.
    const t = await createTestApp({ clock: fixedClock('2026-04-24T07:00:00Z') });
    try {
      const parsed = await t.procedures.readCatalogueFile(
        'cong-bo.csv',
        Buffer.from(
          'STT,Mã TTHC,Tên thủ tục,Thời hạn giải quyết,Địa điểm/cách thức thực hiện,Phí/lệ phí,Căn cứ pháp lý\n' +
            'I. Lĩnh vực Hộ tịch,,,,,,\n1,1.001193.000.00.00.H15,Đăng ký khai sinh,03 ngày làm việc,Trực tiếp,Miễn phí,\n',
        ),
      );
      await t.procedures.service.importCatalogue(parsed, {
        fileName: 'cong-bo.csv',
        dryRun: false,
        actor: null,
      });
      const response = await new Agent(t.app).request({
        method: 'GET',
        url: '/api/procedures/1.001193.000.00.00.H15/due-date',
      });
      assert.equal(response.statusCode, 200);
      const [first] = response.json();
      assert.equal(first.ok, true);
      assert.equal(first.calendarVersion, '15-v1');
      const due = new Date(first.dueAt);
      assert.equal(due.toISOString().slice(0, 10), '2026-05-04');
      const page = await new Agent(t.app).request({ method: 'GET', url: '/thu-tuc/1.001193.000.00.00.H15' });
      assert.match(
        page.body,
        /Nếu hồ sơ đầy đủ được tiếp nhận lúc 14:00 24\/04\/2026, hẹn trả kết quả: \d\d:\d\d 04\/05\/2026/,
      );
    } finally {
      await t.close();
    }
  });
});

describe('centre hours and explicit recomputation', () => {
  test('a centre may keep its own working hours; the province default stays for the others', async () => {
    const t = await createTestApp({ clock: fixedClock('2026-11-20T03:00:00Z') });
    try {
      const admin = new Agent(t.app);
      await admin.login('quantri.tinh');
      const set = await admin.command('POST', '/api/calendars/15/changes', {
        kind: 'set-working-hours',
        unitCode: '02671',
        periods: [
          { start: '07:00', end: '11:00' },
          { start: '13:00', end: '16:30' },
        ],
      });
      assert.equal(set.statusCode, 200, set.body);
      assert.deepEqual((await t.calendar.service.getCurrentFor('15', '02671')).workingHours[1], {
        start: '13:00',
        end: '16:30',
      });
      assert.deepEqual((await t.calendar.service.getCurrentFor('15', '02647')).workingHours[1], {
        start: '13:30',
        end: '17:00',
      });
      const overlapping = await admin.command('POST', '/api/calendars/15/changes', {
        kind: 'set-working-hours',
        periods: [
          { start: '07:30', end: '12:00' },
          { start: '11:00', end: '17:00' },
        ],
      });
      assert.equal(overlapping.statusCode, 400);
      assert.match(overlapping.json().error.details.fields[0].message, /không chồng lên nhau/);
      const elsewhere = await admin.command('POST', '/api/calendars/15/changes', {
        kind: 'set-working-hours',
        unitCode: '00004',
        periods: [{ start: '07:30', end: '17:00' }],
      });
      assert.equal(elsewhere.statusCode, 403);
    } finally {
      await t.close();
    }
  });

  test('a calendar edit moves no stored deadline by itself; a recomputation is explicit and audited', async () => {
    const t = await createTestApp({ clock: fixedClock('2026-11-20T03:00:00Z') });
    try {
      const rule = { text: '03 ngày làm việc', value: 3, unit: 'working_day' as const, parsed: true };
      const receivedAt = new Date('2026-11-20T02:00:00Z'); // Friday 20/11/2026, 09:00
      const { computeDueAt } = await import('./deadlines.ts');
      const before = computeDueAt({ receivedAt, rule, calendar: await t.calendar.service.getCurrent('15') });
      assert.ok(before.ok);
      assert.equal(before.dueAt.toISOString().slice(0, 10), '2026-11-25'); // Mon 23, Tue 24, Wed 25
      await t.calendar.service.changeCalendar(
        '15',
        { kind: 'add-day-off', date: '2026-11-24', name: 'Ngày Văn hóa Việt Nam' },
        { userId: null, username: 'test' },
      );
      // Recomputed on version 1 (recorded with the deadline) it is unchanged …
      const same = computeDueAt({ receivedAt, rule, calendar: await t.calendar.service.getVersion('15', 1) });
      assert.ok(same.ok && same.dueAt.getTime() === before.dueAt.getTime());
      // … and only an explicit recomputation moves it, with an audit entry.
      const moved = await t.calendar.service.recomputeDeadline(
        {
          provinceCode: '15',
          unitCode: '02647',
          receivedAt,
          rule,
          pauses: [],
          previous: { dueAt: before.dueAt, calendarVersion: before.inputs.calendarVersion },
          target: { type: 'dossier', id: 'H15.02647-2026-000123' },
          reason: 'Ngày 24/11 được công bố là ngày nghỉ',
        },
        { userId: null, username: 'lanhdao.xa1' },
      );
      assert.ok(moved.ok && !moved.paused);
      assert.equal(moved.dueAt.toISOString().slice(0, 10), '2026-11-26');
      const { rows } = await t.database.pool.query(
        "select details from audit_log where action = 'deadline.recomputed' and target_id = 'H15.02647-2026-000123'",
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0].details.previousCalendarVersion, '15-v1');
      assert.equal(rows[0].details.calendarVersion, '15-v2');
    } finally {
      await t.close();
    }
  });
});
