import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { createTestDatabase } from '../../../test/support/database.ts';
import { canonicalJson } from './audit-chain.ts';
import { appendAudit, verifyAuditChain } from './audit.service.ts';

let database: Database;
const clock = fixedClock('2026-11-20T03:00:00.000Z');

before(async () => {
  database = await createTestDatabase();
  for (let i = 1; i <= 5; i++) {
    await database.db.transaction((tx) =>
      appendAudit(tx, clock, {
        actorName: 'tester',
        unitCode: '02647',
        action: 'test.entry',
        targetType: 'thing',
        targetId: String(i),
        details: { n: i, nested: { b: 2, a: [1, 'hai'] } },
      }),
    );
  }
});
after(() => database.close());

test('canonical JSON sorts keys at every depth', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }),
    '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
  );
});

test('an untouched chain verifies', async () => {
  assert.deepEqual(await verifyAuditChain(database.db), { ok: true, entries: 5 });
});

test('the log refuses updates and deletes', async () => {
  await assert.rejects(database.pool.query("update audit_log set action = 'x' where seq = 1"), /append-only/);
  await assert.rejects(database.pool.query('delete from audit_log where seq = 1'), /append-only/);
});

test('an entry rolled back with its transaction leaves no trace', async () => {
  await assert.rejects(
    database.db.transaction(async (tx) => {
      await appendAudit(tx, clock, { action: 'will.roll.back' });
      throw new Error('the change failed');
    }),
  );
  assert.deepEqual(await verifyAuditChain(database.db), { ok: true, entries: 5 });
});

test('concurrent writers keep one unbroken chain', async () => {
  await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      database.db.transaction((tx) => appendAudit(tx, clock, { action: 'concurrent', targetId: String(i) })),
    ),
  );
  assert.deepEqual(await verifyAuditChain(database.db), { ok: true, entries: 15 });
});

test('a tampered entry is detected and named (someone with superuser rights bypasses the trigger)', async () => {
  await database.pool.query('alter table audit_log disable trigger audit_log_no_update_or_delete');
  await database.pool.query(`update audit_log set details = '{"n": 99}' where seq = 3`);
  assert.deepEqual(await verifyAuditChain(database.db), {
    ok: false,
    entries: 2,
    brokenSeq: 3,
    reason: 'hash',
  });

  // Re-hashing the edited entry does not help: the next entry's link breaks instead.
  const { rows } = await database.pool.query('select * from audit_log where seq = 3');
  const { hashEntry } = await import('./audit-chain.ts');
  const row = rows[0];
  const rehashed = hashEntry(row.prev_hash, {
    seq: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    unitCode: row.unit_code,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: row.details,
    requestId: row.request_id,
  });
  await database.pool.query('update audit_log set hash = $1 where seq = 3', [rehashed]);
  assert.deepEqual(await verifyAuditChain(database.db), {
    ok: false,
    entries: 3,
    brokenSeq: 4,
    reason: 'link',
  });

  await database.pool.query('delete from audit_log where seq = 2');
  const result = await verifyAuditChain(database.db);
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.brokenSeq, 2);
  await database.pool.query('alter table audit_log enable trigger audit_log_no_update_or_delete');
});
