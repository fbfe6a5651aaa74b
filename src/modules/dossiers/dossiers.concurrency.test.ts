// Many workflow actions at once: more transactions in flight than the pool has connections must all commit. A
// transaction that asked the pool for a second connection (reference data read inside it) would wait for the
// others' connections while holding its own, and with enough of them at once every request would hang.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, createTestApp, type TestApp } from '../../../test/support/app.ts';
import { command, importTestProcedure, intakeBody, uploadScan } from '../../../test/support/dossiers.ts';
import { fixedClock } from '../../platform/clock.ts';

describe('workflow actions at once, more than the pool has connections', () => {
  let t: TestApp;
  let officer: Agent;
  const clock = fixedClock('2026-12-01T02:00:00Z');
  before(async () => {
    t = await createTestApp({ clock });
    await importTestProcedure(t);
    officer = new Agent(t.app);
    await officer.login('motcua.xa1');
  });
  after(() => t.close());

  test('receiving the supplements of 3 × pool-size dossiers at once: every one commits, deadlines recomputed', async () => {
    const count = 3 * t.database.pool.options.max!;
    const codes: string[] = [];
    for (let i = 0; i < count; i++) {
      const upload = await uploadScan(officer, '02647');
      const r = await command(officer, '/api/dossiers', intakeBody(upload.json().id), `many-${i}`);
      assert.equal(r.statusCode, 201, r.body);
      const code = r.json().code as string;
      const asked = await command(
        officer,
        `/api/dossiers/${code}/request-supplement`,
        { items: ['Giấy chứng sinh bản chính'] },
        `many-${i}-ask`,
      );
      assert.equal(asked.statusCode, 200, asked.body);
      codes.push(code);
    }
    clock.set('2026-12-02T02:00:00Z');
    const desk = (await t.identity.service.loadPrincipal(
      (await t.database.pool.query("select id from users where username = 'motcua.xa1'")).rows[0].id,
    ))!;
    const results = await Promise.all(
      codes.map((code, i) =>
        t.dossiers.service.act(
          desk,
          code,
          'receive_supplement',
          {},
          { requestId: `many-${i}`, ip: '127.0.0.1' },
          `many-${i}-back`,
        ),
      ),
    );
    assert.equal(results.length, count);
    for (const dossier of results) {
      assert.equal(dossier.status, 'received');
      assert.ok(dossier.dueAt, 'the due date recomputed after the pause');
    }
  });

  test('the same command sent twice at once (a retry while the first is in flight): both answer with its result', async () => {
    // A new day since the first test: a new session.
    officer = new Agent(t.app);
    await officer.login('motcua.xa1');
    const upload = await uploadScan(officer, '02647');
    const r = await command(officer, '/api/dossiers', intakeBody(upload.json().id), 'twice-intake');
    assert.equal(r.statusCode, 201, r.body);
    const code = r.json().code as string;
    const desk = (await t.identity.service.loadPrincipal(
      (await t.database.pool.query("select id from users where username = 'motcua.xa1'")).rows[0].id,
    ))!;
    const send = () =>
      t.dossiers.service.act(
        desk,
        code,
        'request_supplement',
        { items: ['Giấy chứng sinh bản chính'] },
        { requestId: 'twice', ip: '127.0.0.1' },
        'twice-ask',
      );
    const [first, second] = await Promise.all([send(), send()]);
    assert.equal(first.status, 'awaiting_supplement');
    assert.equal(second.status, 'awaiting_supplement');
    assert.equal(first.version, second.version);
    const { rows } = await t.database.pool.query(
      "select count(*)::int as n from dossier_actions where dossier_code = $1 and action = 'request_supplement'",
      [code],
    );
    assert.equal(rows[0].n, 1, 'one action in the log');
  });
});
