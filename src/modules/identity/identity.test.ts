// Sign-in, sessions, CSRF and account administration through HTTP, with their failure cases.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, createTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/support/app.ts';
import { fixedClock } from '../../platform/clock.ts';

function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The CSRF token a page's form carries. */
function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(match, 'the page has a CSRF field');
  return match[1]!;
}

describe('sign-in and sessions', () => {
  let t: TestApp;
  const clock = fixedClock('2026-11-20T02:00:00Z');
  before(async () => {
    t = await createTestApp({ clock, env: { LOGIN_MAX_FAILURES: '3' } });
  });
  after(() => t.close());

  test('wrong credentials: 401, Vietnamese message, nothing about which part was wrong', async () => {
    const agent = new Agent(t.app);
    for (const [username, password] of [
      ['motcua.xa1', 'sai-mat-khau'],
      ['khong.ton.tai', DEMO_PASSWORD],
    ]) {
      const response = await agent.login(username!, password);
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().error.code, 'INVALID_CREDENTIALS');
      assert.equal(
        response.json().error.message,
        'Tên đăng nhập hoặc mật khẩu không đúng. Hãy kiểm tra và thử lại.',
      );
    }
  });

  test('the sign-in form: missing fields and a wrong password are shown next to the fields', async () => {
    const agent = new Agent(t.app);
    const page = await agent.request({ method: 'GET', url: '/dang-nhap' });
    const empty = await agent.request({
      method: 'POST',
      url: '/dang-nhap',
      headers: FORM,
      payload: formBody({ _csrf: csrfFrom(page.body) }),
    });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Vui lòng nhập tên đăng nhập\./);
    assert.match(empty.body, /Vui lòng nhập mật khẩu\./);
    const wrong = await agent.request({
      method: 'POST',
      url: '/dang-nhap',
      headers: FORM,
      payload: formBody({ _csrf: csrfFrom(empty.body), username: 'vanthu.xa1', password: 'nham' }),
    });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /Tên đăng nhập hoặc mật khẩu không đúng/);
    assert.match(wrong.body, /value="vanthu.xa1"/, 'the username typed is kept');
    const right = await agent.request({
      method: 'POST',
      url: '/dang-nhap',
      headers: FORM,
      payload: formBody({
        _csrf: csrfFrom(wrong.body),
        username: 'vanthu.xa1',
        password: DEMO_PASSWORD,
        next: '/quan-tri/don-vi/02647',
      }),
    });
    assert.equal(right.statusCode, 303);
    assert.equal(right.headers.location, '/quan-tri/don-vi/02647');
  });

  test('a form without its CSRF token is refused and changes nothing', async () => {
    const agent = new Agent(t.app);
    await agent.request({ method: 'GET', url: '/dang-nhap' });
    const response = await agent.request({
      method: 'POST',
      url: '/dang-nhap',
      headers: FORM,
      payload: formBody({ username: 'motcua.xa1', password: DEMO_PASSWORD }),
    });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /thiếu mã bảo vệ \(CSRF\)/);
    const me = await agent.request({ method: 'GET', url: '/api/me' });
    assert.equal(me.statusCode, 401);

    const admin = new Agent(t.app);
    await admin.login('quantri.tinh');
    const before = await t.database.pool.query('select count(*)::int as n from users');
    const api = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: {
        username: 'khong.csrf',
        fullName: 'Không CSRF',
        password: 'mat-khau-dai-du',
        role: 'desk_officer',
        unitCode: '02647',
      },
    });
    assert.equal(api.statusCode, 403);
    assert.equal(api.json().error.code, 'CSRF_INVALID');
    const afterCount = await t.database.pool.query('select count(*)::int as n from users');
    assert.equal(afterCount.rows[0].n, before.rows[0].n);
  });

  test('sign-in is throttled after repeated failures, with a Vietnamese message saying how long to wait', async () => {
    const agent = new Agent(t.app);
    for (let i = 0; i < 3; i++)
      assert.equal((await agent.login('chuyenvien.xa1', `sai-${i}`)).statusCode, 401);
    const blocked = await agent.login('chuyenvien.xa1');
    assert.equal(blocked.statusCode, 429);
    assert.equal(blocked.json().error.code, 'LOGIN_THROTTLED');
    assert.match(blocked.json().error.message, /thử lại sau 15 phút/);
    clock.set('2026-11-20T02:16:00Z');
    assert.equal((await agent.login('chuyenvien.xa1')).statusCode, 200, 'the window has passed');
  });

  test('sessions expire after the idle time, and the sign-in page says so', async () => {
    clock.set('2026-11-20T03:00:00Z');
    const agent = new Agent(t.app);
    assert.equal((await agent.login('lanhdao.xa1')).statusCode, 200);
    assert.equal((await agent.request({ method: 'GET', url: '/api/me' })).statusCode, 200);
    clock.set('2026-11-20T12:00:00Z'); // 9 hours later, the idle time is 8
    const page = await agent.request({ method: 'GET', url: '/tai-khoan' });
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/dang-nhap?thong-bao=het-han&next=%2Ftai-khoan');
    const login = await agent.request({ method: 'GET', url: page.headers.location as string });
    assert.match(login.body, /Phiên đăng nhập đã hết hạn/);
    const api = await agent.request({ method: 'GET', url: '/api/me' });
    assert.equal(api.statusCode, 401);
    assert.equal(api.json().error.code, 'NOT_AUTHENTICATED');
  });

  test('an administrator can end all sessions of a user at once', async () => {
    clock.set('2026-11-21T01:00:00Z');
    const officer = new Agent(t.app);
    assert.equal((await officer.login('motcua.xa2')).statusCode, 200);
    const admin = new Agent(t.app);
    await admin.login('quantri.tinh');
    const { rows } = await t.database.pool.query("select id from users where username = 'motcua.xa2'");
    const revoked = await admin.command('POST', `/api/users/${rows[0].id}/revoke-sessions`);
    assert.equal(revoked.statusCode, 200);
    assert.ok(revoked.json().revoked >= 1);
    assert.equal((await officer.request({ method: 'GET', url: '/api/me' })).statusCode, 401);
  });

  test('sign-out ends the session; sign-in issues a new session id', async () => {
    clock.set('2026-11-21T02:00:00Z');
    const agent = new Agent(t.app);
    await agent.request({ method: 'GET', url: '/dang-nhap' });
    const anonymousSessions = await t.database.pool.query('select count(*)::int as n from sessions');
    await agent.login('tocongnghe.xa1');
    const me = await agent.request({ method: 'GET', url: '/api/me' });
    assert.equal(me.json().username, 'tocongnghe.xa1');
    const out = await agent.command('DELETE', '/api/session');
    assert.equal(out.statusCode, 204);
    assert.equal((await agent.request({ method: 'GET', url: '/api/me' })).statusCode, 401);
    const sessions = await t.database.pool.query(
      'select count(*)::int as n from sessions where user_id is not null',
    );
    assert.equal(sessions.rows[0].n >= 0, true);
    assert.ok(anonymousSessions.rows[0].n >= 1);
  });
});

describe('account administration', () => {
  let t: TestApp;
  let admin: Agent;
  before(async () => {
    t = await createTestApp();
    admin = new Agent(t.app);
    await admin.login('quantri.tinh');
  });
  after(() => t.close());

  test('a malformed body names each field in Vietnamese and creates nothing', async () => {
    const response = await admin.command('POST', '/api/users', {
      username: 'Có Dấu',
      fullName: 'X',
      password: 'ngan',
      email: 'khong-phai-email',
      phone: '123',
      role: 'thu_truong',
      unitCode: 'abc',
    });
    assert.equal(response.statusCode, 400);
    const body = response.json();
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    const fields = body.error.details.fields.map((f: { field: string }) => f.field).sort();
    assert.deepEqual(fields, ['email', 'fullName', 'password', 'phone', 'role', 'unitCode', 'username']);
    assert.ok(
      body.error.details.fields.every((f: { message: string }) =>
        /[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/.test(f.message),
      ),
    );
    const missing = await admin.command('POST', '/api/users', { username: 'a' });
    assert.equal(missing.statusCode, 400);
    assert.ok(missing.json().error.details.fields.some((f: { field: string }) => f.field === 'fullName'));
  });

  test('create, grant, refuse duplicates and unknown units, revoke — each audited', async () => {
    const created = await admin.command('POST', '/api/users', {
      username: 'chuyenvien.moi',
      fullName: 'Phạm Thị Thu',
      password: 'mat-khau-ban-dau',
      role: 'specialist',
      unitCode: '02647',
    });
    assert.equal(created.statusCode, 201);
    const user = created.json();
    assert.equal(user.grants[0].role, 'specialist');
    assert.equal('passwordHash' in user, false);

    const taken = await admin.command('POST', '/api/users', {
      username: 'CHUYENVIEN.MOI'.toLowerCase(),
      fullName: 'Trùng Tên',
      password: 'mat-khau-ban-dau',
      role: 'specialist',
      unitCode: '02647',
    });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().error.code, 'USERNAME_TAKEN');

    const unknownUnit = await admin.command('POST', `/api/users/${user.id}/role-grants`, {
      role: 'leader',
      unitCode: '99999',
    });
    assert.equal(unknownUnit.statusCode, 404);
    assert.match(unknownUnit.json().error.message, /Không có đơn vị hành chính nào mang mã “99999”/);

    const grant = await admin.command('POST', `/api/users/${user.id}/role-grants`, {
      role: 'leader',
      unitCode: '02671',
    });
    assert.equal(grant.statusCode, 201);
    const again = await admin.command('POST', `/api/users/${user.id}/role-grants`, {
      role: 'leader',
      unitCode: '02671',
    });
    assert.equal(again.statusCode, 409);
    const outside = await admin.command('POST', `/api/users/${user.id}/role-grants`, {
      role: 'leader',
      unitCode: '00004',
    });
    assert.equal(outside.statusCode, 403);
    assert.equal(outside.json().error.code, 'ROLE_GRANT_OUTSIDE_UNIT');

    const revoke = await admin.command('POST', `/api/users/${user.id}/role-grants/${grant.json().id}/revoke`);
    assert.equal(revoke.statusCode, 204);
    const twice = await admin.command('POST', `/api/users/${user.id}/role-grants/${grant.json().id}/revoke`);
    assert.equal(twice.statusCode, 404);

    const { rows } = await t.database.pool.query(
      'select action from audit_log where target_id = $1 order by seq',
      [user.id],
    );
    assert.deepEqual(
      rows.map((r) => r.action),
      ['user.created', 'role.granted', 'role.revoked'],
    );
    const refused = await t.database.pool.query(
      "select count(*)::int as n from audit_log where action = 'access.denied' and unit_code = '00004'",
    );
    assert.equal(refused.rows[0].n, 1);
  });

  test('the new account can sign in with its initial password and sees its unit', async () => {
    const agent = new Agent(t.app);
    assert.equal((await agent.login('chuyenvien.moi', 'mat-khau-ban-dau')).statusCode, 200);
    assert.equal((await agent.request({ method: 'GET', url: '/quan-tri/don-vi/02647' })).statusCode, 200);
  });

  test('the audit page names each action in Vietnamese', async () => {
    const page = await admin.request({ method: 'GET', url: '/quan-tri/nhat-ky' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<td>Tạo tài khoản<\/td>/);
    assert.doesNotMatch(page.body, /<td>user\.created<\/td>/);
  });

  test('the user-admin form re-shows what was typed with errors next to the fields', async () => {
    const page = await admin.request({ method: 'GET', url: '/quan-tri/nguoi-dung' });
    assert.equal(page.statusCode, 200);
    const response = await admin.request({
      method: 'POST',
      url: '/quan-tri/nguoi-dung',
      headers: FORM,
      payload: formBody({
        _csrf: csrfFrom(page.body),
        username: 'motcua.xa1',
        fullName: 'Trùng Lặp',
        password: 'mat-khau-ban-dau',
        role: 'desk_officer',
        unitCode: '02647',
      }),
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Tên đăng nhập “motcua.xa1” đã được dùng/);
    assert.match(response.body, /value="Trùng Lặp"/);
    assert.doesNotMatch(response.body, /value="mat-khau-ban-dau"/, 'a password is never echoed back');
  });
});

describe('housekeeping', () => {
  test('expired sessions and day-old sign-in attempts are purged', async () => {
    const clock = fixedClock('2026-11-20T02:00:00Z');
    const t = await createTestApp({ clock });
    try {
      const agent = new Agent(t.app);
      await agent.login('motcua.xa1');
      await agent.login('motcua.xa1', 'sai');
      clock.set('2026-11-21T03:00:00Z');
      const purged = await t.identity.service.purgeExpired();
      assert.ok(purged.sessions >= 1);
      assert.equal(purged.loginAttempts, 2);
      const left = await t.database.pool.query('select count(*)::int as n from sessions');
      assert.equal(left.rows[0].n, 0);
    } finally {
      await t.close();
    }
  });
});

describe('malformed requests', () => {
  test('unparseable JSON, missing and oversized fields get Vietnamese messages naming the field', async () => {
    const t = await createTestApp();
    try {
      const agent = new Agent(t.app);
      const token = await agent.csrfToken();
      const broken = await agent.request({
        method: 'POST',
        url: '/api/session',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        payload: '{"username": "motcua.xa1", ',
      });
      assert.equal(broken.statusCode, 400);
      assert.equal(broken.json().error.code, 'VALIDATION_FAILED');
      assert.equal(
        broken.json().error.details.fields[0].message,
        'Không đọc được nội dung gửi lên (JSON sai cú pháp hoặc rỗng).',
      );
      const missing = await agent.command('POST', '/api/session', { username: 'x'.repeat(101) });
      const messages = missing
        .json()
        .error.details.fields.map((f: { message: string }) => f.message)
        .sort();
      assert.deepEqual(messages, [
        'Thiếu trường “password”: trường này bắt buộc.',
        'Trường “username” dài quá 100 ký tự.',
      ]);
    } finally {
      await t.close();
    }
  });
});
