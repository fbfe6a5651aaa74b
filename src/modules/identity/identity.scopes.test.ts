// What every role may and may not do, through HTTP, with the demo accounts:
//   province 15 (Lào Cai), commune A = 02647 (the desk officer's, specialist's, leader's, clerk's, team member's),
//   commune B = 02671 (another desk officer's), 00004 (Phường Ba Đình, Hà Nội: another province).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, createTestApp, type TestApp } from '../../../test/support/app.ts';

type Expectation = 200 | 201 | 403 | 'login';

interface Case {
  name: string;
  request: (agent: Agent) => Promise<{ statusCode: number; headers: Record<string, unknown> }>;
  expect: Record<string, Expectation>;
}

const ACCOUNTS = [
  'anonymous',
  'congdan',
  'motcua.xa1',
  'chuyenvien.xa1',
  'lanhdao.xa1',
  'vanthu.xa1',
  'tocongnghe.xa1',
  'motcua.xa2',
  'quantri.tinh',
  'quantri.hethong',
] as const;

/** The accounts named may do it (with that answer); anyone else signed in is refused (403); anonymous must sign in. */
function only(allowed: Partial<Record<(typeof ACCOUNTS)[number], Expectation>>): Record<string, Expectation> {
  return Object.fromEntries(
    ACCOUNTS.map((account) => [account, allowed[account] ?? (account === 'anonymous' ? 'login' : 403)]),
  );
}

let counter = 0;
const newUser = (unitCode: string, role = 'desk_officer') => ({
  username: `canbo.moi${++counter}`,
  fullName: 'Cán Bộ Mới',
  password: 'mat-khau-ban-dau',
  role,
  unitCode,
});

const CASES: Case[] = [
  {
    name: 'xem trang quản trị xã A (02647)',
    request: (a) => a.request({ method: 'GET', url: '/quan-tri/don-vi/02647' }),
    expect: only({
      'motcua.xa1': 200,
      'chuyenvien.xa1': 200,
      'lanhdao.xa1': 200,
      'vanthu.xa1': 200,
      'tocongnghe.xa1': 200,
      'quantri.tinh': 200,
      'quantri.hethong': 200,
    }),
  },
  {
    name: 'xem trang quản trị xã B (02671)',
    request: (a) => a.request({ method: 'GET', url: '/quan-tri/don-vi/02671' }),
    expect: only({ 'motcua.xa2': 200, 'quantri.tinh': 200, 'quantri.hethong': 200 }),
  },
  {
    name: 'xem danh sách cán bộ của Phường Ba Đình (tỉnh khác)',
    request: (a) => a.request({ method: 'GET', url: '/api/admin-units/00004/staff' }),
    expect: only({ 'quantri.hethong': 200 }),
  },
  {
    name: 'xem danh sách người dùng',
    request: (a) => a.request({ method: 'GET', url: '/api/users' }),
    expect: only({ 'quantri.tinh': 200, 'quantri.hethong': 200 }),
  },
  {
    name: 'tạo cán bộ một cửa tại xã A',
    request: (a) => a.command('POST', '/api/users', newUser('02647')),
    expect: only({ 'quantri.tinh': 201, 'quantri.hethong': 201 }),
  },
  {
    name: 'tạo cán bộ tại Phường Ba Đình (ngoài tỉnh)',
    request: (a) => a.command('POST', '/api/users', newUser('00004')),
    expect: only({ 'quantri.hethong': 201 }),
  },
  {
    name: 'tạo quản trị hệ thống',
    request: (a) => a.command('POST', '/api/users', newUser('15', 'system_admin')),
    expect: only({ 'quantri.hethong': 201 }),
  },
  {
    name: 'xem nhật ký kiểm tra',
    request: (a) => a.request({ method: 'GET', url: '/api/audit-log' }),
    expect: only({ 'lanhdao.xa1': 200, 'quantri.tinh': 200, 'quantri.hethong': 200 }),
  },
  {
    name: 'tra cứu đơn vị hành chính (công khai)',
    request: (a) => a.request({ method: 'GET', url: '/api/admin-units?q=ba%20dinh' }),
    expect: Object.fromEntries(ACCOUNTS.map((a) => [a, 200])),
  },
];

describe('quyền của từng vai trò, luôn xét tại đơn vị', () => {
  let t: TestApp;
  const agents = new Map<string, Agent>();

  before(async () => {
    t = await createTestApp();
    for (const account of ACCOUNTS) {
      const agent = new Agent(t.app);
      if (account !== 'anonymous') {
        const response = await agent.login(account);
        assert.equal(response.statusCode, 200, `đăng nhập ${account}: ${response.body}`);
      }
      agents.set(account, agent);
    }
  });
  after(() => t.close());

  for (const c of CASES) {
    for (const account of ACCOUNTS) {
      const expected = c.expect[account];
      test(`${account}: ${c.name} → ${expected}`, async () => {
        const response = await c.request(agents.get(account)!);
        if (expected === 'login') {
          // Pages redirect to the sign-in page; the API answers 401.
          assert.ok([303, 401].includes(response.statusCode), `được ${response.statusCode}`);
        } else {
          assert.equal(response.statusCode, expected);
        }
      });
    }
  }

  test('a refused access to another unit is written to the audit log', async () => {
    const agent = agents.get('motcua.xa1')!;
    const response = await agent.request({ method: 'GET', url: '/quan-tri/don-vi/02671' });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /không có quyền truy cập dữ liệu của đơn vị 02671/);
    const { rows } = await t.database.pool.query(
      "select actor_name, unit_code, details from audit_log where action = 'access.denied' and unit_code = '02671' and actor_name = 'motcua.xa1'",
    );
    assert.ok(rows.length >= 1);
    assert.equal(rows[0].details.reason, 'UNIT_ACCESS_DENIED');
  });

  test('the API error shape names the code and a Vietnamese message', async () => {
    const response = await agents.get('quantri.tinh')!.command('POST', '/api/users', newUser('00004'));
    assert.equal(response.statusCode, 403);
    const body = response.json() as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'ROLE_GRANT_OUTSIDE_UNIT');
    assert.match(body.error.message, /ngoài phạm vi/);
  });
});
