// npm run seed:scale on the test database: 2,000 dossiers over the 3,321 communes (a year of history, so the work
// in progress is a visible share), appended to a database that already holds a dossier, then checked against the
// rules the service keeps: every status, the status derived from every action log, the officers' roles, unique
// codes and register numbers with counters ahead of them, a new intake afterwards, a generated specialist's queue,
// the downloads, the indexes and constraints as the migrations made them, and the same data from the same seed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SCALE_PASSWORD } from '../../scripts/seed-scale/accounts.ts';
import { time } from '../../scripts/seed-scale/copy-text.ts';
import { UsageError, parseCount, parseOptions } from '../../scripts/seed-scale/options.ts';
import { SeedRefusedError, seedScale, type SeedSummary } from '../../scripts/seed-scale/run.ts';
import { importShippedCatalogues } from '../../src/demo-data.ts';
import { DOSSIER_STATUSES, type IntakeInput } from '../../src/modules/dossiers/index.ts';
import {
  COMMAND_RETENTION_DAYS,
  deriveStatus,
  type AnyAction,
} from '../../src/modules/dossiers/dossier-workflow.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createLocalFileStore } from '../../src/platform/storage/file-store.ts';
import { foldText } from '../../src/platform/text.ts';
import { Agent, createTestApp, type TestApp } from '../support/app.ts';

// Tuesday 24/11/2026, 15:00 in Vietnam: most of the day's dossiers are in.
const NOW = '2026-11-24T08:00:00Z';
const OPTIONS = { dossiers: 2000, years: 1, seed: 7, until: null, workers: 1 };
const info = { requestId: 'seed-scale-test', ip: '127.0.0.1' };
const COUNTER_PROCEDURE = '2.000815.000.00.00.H61';

function intake(name: string): IntakeInput {
  return {
    procedureCode: COUNTER_PROCEDURE,
    channel: 'in_person',
    decision: 'receive',
    applicant: {
      kind: 'person',
      name,
      idNumber: '015190001234',
      address: 'Thôn 2, xã Bảo Yên, tỉnh Lào Cai',
      phone: '0912000111',
      email: '',
    },
    representative: null,
    requestSummary: '',
    setsCount: 1,
    returnMethod: 'at_centre',
    processingUnitCode: null,
    components: [],
    reasons: [],
    manualDueAt: null,
  };
}

/** A test database with the shipped catalogue and one dossier received at 02647 today, as a demo would have. */
async function databaseWithADossier(): Promise<TestApp> {
  const t = await createTestApp({ clock: fixedClock(NOW) });
  await importShippedCatalogues(t.procedures);
  const desk = await t.identity.service.loadPrincipal(
    (await t.identity.service.findUserIdByUsername('motcua.xa1'))!,
  );
  await t.dossiers.service.receiveDossier(desk!, '02647', intake('Lò Thị Mai'), info, 'before-seeding');
  return t;
}

async function seed(t: TestApp, options = OPTIONS): Promise<SeedSummary> {
  return seedScale(
    { config: t.config, database: t.database, clock: fixedClock(NOW), log: () => {}, progress: () => {} },
    options,
  );
}

async function definitions(t: TestApp) {
  const indexes = await t.database.pool.query(
    `select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 1, 2`,
  );
  const constraints = await t.database.pool.query(
    `select conrelid::regclass::text as table_name, conname, contype, pg_get_constraintdef(oid) as definition,
            convalidated
       from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2`,
  );
  const tables = await t.database.pool.query(
    `select tablename from pg_tables where schemaname = 'public' order by 1`,
  );
  return { indexes: indexes.rows, constraints: constraints.rows, tables: tables.rows };
}

/** Every bulk table's rows in key order, hashed: the generated data of a run. */
async function digest(t: TestApp): Promise<Record<string, string>> {
  const keys: Record<string, string> = {
    dossiers: 'unit_code, code',
    dossier_actions: 'unit_code, dossier_code, seq',
    dossier_commands: 'unit_code, dossier_code, transaction_id',
    dossier_components: 'unit_code, dossier_code, position',
    dossier_files: 'unit_code, dossier_code, id',
    dossier_ratings: 'unit_code, dossier_code',
    dossier_counters: 'unit_code, scope',
  };
  const result: Record<string, string> = {};
  for (const [table, order] of Object.entries(keys)) {
    const code = table === 'dossiers' ? 'code' : 'dossier_code';
    const where = table === 'dossier_counters' ? '' : `where ${code} not like '02647-261124-0001'`;
    const { rows } = await t.database.pool.query<{ md5: string }>(
      `select md5(string_agg(r::text, E'\\n' order by ${order})) as md5 from ${table} r ${where}`,
    );
    result[table] = rows[0]!.md5;
  }
  return result;
}

describe('seed:scale options', () => {
  test('counts are written with underscores, as powers of ten, or plainly', () => {
    assert.equal(parseCount('1_000_000'), 1_000_000);
    assert.equal(parseCount('1e6'), 1_000_000);
    assert.equal(parseCount('10000000'), 10_000_000);
    assert.equal(parseCount('1.5'), null);
    assert.equal(parseCount('mười'), null);
    assert.deepEqual(parseOptions(['--dossiers', '1e6']), {
      dossiers: 1_000_000,
      years: 5,
      seed: 1,
      until: null,
      workers: null,
    });
    assert.equal(parseOptions(['--dossiers=2000', '--years', '2', '--seed', '9']).seed, 9);
  });

  test('a wrong option is refused with a Vietnamese message', () => {
    assert.throws(
      () => parseOptions([]),
      (e: unknown) => e instanceof UsageError && /Thiếu --dossiers/.test(e.message),
    );
    assert.throws(() => parseOptions(['--dossiers', '0']), UsageError);
    assert.throws(() => parseOptions(['--dossiers', '100', '--years', '0']), UsageError);
    assert.throws(() => parseOptions(['--dossiers', '100', '--nam', '2']), /Không hiểu tham số/);
    assert.throws(() => parseOptions(['--dossiers']), /cần một giá trị/);
  });

  test('timestamps are written as Date.toISOString writes them', () => {
    for (const ms of [0, 1, 999, 86_399_999, 1_764_547_200_123, 1_795_000_000_000.7])
      assert.equal(time(ms), new Date(Math.floor(ms)).toISOString());
  });
});

describe('seed:scale', () => {
  let t: TestApp;
  let summary: SeedSummary;
  let before_: Awaited<ReturnType<typeof definitions>>;
  let generated: Record<string, string>;

  before(async () => {
    t = await databaseWithADossier();
    before_ = await definitions(t);
    summary = await seed(t);
    generated = await digest(t);
  });
  after(() => t.close());

  test('never writes into a production database', async () => {
    await assert.rejects(
      seedScale(
        {
          config: { ...t.config, env: 'production' },
          database: t.database,
          clock: fixedClock(NOW),
          log: () => {},
          progress: () => {},
        },
        OPTIONS,
      ),
      (e: unknown) => e instanceof SeedRefusedError && /production/.test(e.message),
    );
  });

  test('makes the dossiers asked for, in every status, mostly finished', async () => {
    assert.equal(summary.dossiers, 2000);
    const { rows } = await t.database.pool.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from dossiers where code <> '02647-261124-0001' group by 1`,
    );
    const counts = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    assert.equal(
      rows.reduce((s, r) => s + r.n, 0),
      2000,
    );
    for (const status of DOSSIER_STATUSES)
      assert.ok(counts[status], `no dossier is ${status}: ${JSON.stringify(counts)}`);
    assert.ok(counts.returned! > 1600, `returned: ${counts.returned}`);
    assert.ok(summary.openShare > 0.01 && summary.openShare < 0.1, `open share ${summary.openShare}`);
    assert.ok(summary.lateShare > 0.02 && summary.lateShare < 0.12, `late share ${summary.lateShare}`);
  });

  test('every action log gives the cached status, in order, each step a command of the right officer', async () => {
    const { rows } = await t.database.pool.query<{
      unit_code: string;
      code: string;
      status: string;
      version: number;
      updated_at: Date;
      actions: { seq: number; action: AnyAction; status_after: string; at: string; txn: string }[];
    }>(
      `select d.unit_code, d.code, d.status, d.version, d.updated_at,
              json_agg(json_build_object('seq', a.seq, 'action', a.action, 'status_after', a.status_after,
                'at', a.at, 'txn', a.transaction_id) order by a.seq) as actions
         from dossiers d join dossier_actions a on a.unit_code = d.unit_code and a.dossier_code = d.code
        group by 1, 2`,
    );
    assert.equal(rows.length, 2001);
    for (const d of rows) {
      assert.equal(deriveStatus(d.actions), d.status, d.code);
      assert.deepEqual(
        d.actions.map((a) => a.seq),
        d.actions.map((_, i) => i + 1),
        d.code,
      );
      assert.equal(d.version, d.actions.length, d.code);
      assert.equal(d.actions.at(-1)!.status_after, d.status, d.code);
      for (let i = 1; i < d.actions.length; i++)
        assert.ok(Date.parse(d.actions[i]!.at) > Date.parse(d.actions[i - 1]!.at), `${d.code}: time order`);
      assert.equal(new Date(d.actions.at(-1)!.at).getTime(), d.updated_at.getTime(), d.code);
    }
    const checks = await t.database.pool.query<Record<string, number>>(
      `select
         (select count(*)::int from dossier_actions a where a.at >= $1 and not exists (select 1 from dossier_commands c
            where c.unit_code = a.unit_code and c.transaction_id = a.transaction_id and c.dossier_code = a.dossier_code
              and c.action = a.action and c.created_at = a.at)) as actions_without_command,
         (select count(*)::int from dossier_commands)
           - (select count(*)::int from dossier_actions where at >= $1) as extra_commands,
         (select count(*)::int from dossier_commands where created_at < $1) as commands_past_retention,
         (select count(*)::int from dossier_actions a where a.actor_role <> 'citizen' and not exists (
            select 1 from role_grants g where g.user_id = a.actor_id and g.role = a.actor_role
               and g.unit_code = a.acting_unit_code and g.revoked_at is null)) as actions_without_role,
         (select count(*)::int from dossier_actions a where a.actor_role = 'citizen' and not exists (
            select 1 from dossiers d where d.unit_code = a.unit_code and d.code = a.dossier_code
               and d.owner_user_id = a.actor_id)) as citizens_not_owners,
         (select count(*)::int from dossiers d where d.assigned_to is not null and not exists (
            select 1 from role_grants g where g.user_id = d.assigned_to and g.role = 'specialist'
               and g.unit_code = d.processing_unit_code)) as assignees_not_specialists,
         (select count(*)::int from dossiers where (finished_at is null) <> (status in
            ('submitted', 'received', 'processing', 'awaiting_supplement', 'awaiting_approval', 'approved',
             'result_ready'))) as finished_mismatch,
         (select count(*)::int from dossiers where status in ('returned', 'result_ready') and not exists (
            select 1 from dossier_files f where f.unit_code = dossiers.unit_code and f.dossier_code = dossiers.code
               and f.kind = 'result')) as results_without_file,
         (select count(*)::int from dossier_ratings r join dossiers d on d.unit_code = r.unit_code
            and d.code = r.dossier_code where d.status <> 'returned' or r.rated_at < d.returned_at) as bad_ratings,
         (select count(*)::int from dossiers where received_at is not null and (due_at is null
            or original_due_at is null or due_at < original_due_at and not rescheduled)) as bad_due_dates,
         (select count(*)::int from dossiers where channel = 'online' and owner_user_id is null) as online_without_owner`,
      [new Date(Date.parse(NOW) - COMMAND_RETENTION_DAYS * 86_400_000)],
    );
    for (const [name, n] of Object.entries(checks.rows[0]!)) assert.equal(n, 0, name);
  });

  test('applicants are folded for search as the service folds them', async () => {
    const { rows } = await t.database.pool.query<{
      applicant: Record<string, string>;
      applicant_search: string;
    }>('select applicant, applicant_search from dossiers order by code limit 300');
    for (const r of rows) {
      const a = r.applicant;
      assert.equal(r.applicant_search, foldText(`${a.name} ${a.idNumber} ${a.phone}`));
      assert.match(a.phone!, /^0\d{9}$/);
      assert.match(a.idNumber!, a.kind === 'person' ? /^\d{12}$/ : /^\d{10}$/);
    }
  });

  test('codes and register numbers follow the existing ones, and the counters are ahead of them', async () => {
    const { rows } = await t.database.pool.query<Record<string, number>>(
      `select
         (select count(*)::int from dossiers where code !~ ('^' || unit_code || '-[0-9]{6}-[0-9]{4,}$')) as bad_codes,
         (select count(*)::int from (select unit_code, register_book, register_number from dossiers
            group by 1, 2, 3 having count(*) > 1) x) as duplicate_numbers,
         (select count(*)::int from (select unit_code, register_book, max(register_number) as n, count(*) as c
            from dossiers group by 1, 2) x where n <> c) as register_gaps,
         (select count(*)::int from (select unit_code, register_book, max(register_number) as n from dossiers
            group by 1, 2) x left join dossier_counters c on c.unit_code = x.unit_code and c.scope = x.register_book
            where c.value is distinct from x.n) as year_counters_behind,
         (select count(*)::int from (select unit_code, '20' || substr(code, 7, 2) || '-' || substr(code, 9, 2) || '-'
              || substr(code, 11, 2) as day, max(split_part(code, '-', 3)::int) as n from dossiers group by 1, 2) x
            left join dossier_counters c on c.unit_code = x.unit_code and c.scope = x.day
            where x.day >= '2026-10-24' and c.value is distinct from x.n) as day_counters_behind`,
    );
    for (const [name, n] of Object.entries(rows[0]!)) assert.equal(n, 0, name);
    // Register numbers follow filing time inside each unit and year (the one demo dossier came first).
    const order = await t.database.pool.query<{ n: number }>(
      `select count(*)::int as n from (select register_number, lag(register_number) over w as previous
         from dossiers where code <> '02647-261124-0001' window w as (partition by unit_code, register_book
         order by filed_at)) x where previous is not null and register_number <> previous + 1`,
    );
    assert.equal(order.rows[0]!.n, 0);
  });

  test('a counter intake after seeding continues the day and year sequences of the centre', async () => {
    const { rows } = await t.database.pool.query<{ unit_code: string; last: number; number: number }>(
      `select unit_code, max(split_part(code, '-', 3)::int) as last,
              (select max(register_number) from dossiers x where x.unit_code = d.unit_code and register_book = '2026')
                as number
         from dossiers d where code like '_____-261124-%' group by 1 order by count(*) desc, 1 limit 1`,
    );
    const { unit_code: unit, last, number } = rows[0]!;
    const desk = await t.identity.service.loadPrincipal(
      (await t.identity.service.findUserIdByUsername(`motcua.${unit}`))!,
    );
    const received = await t.dossiers.service.receiveDossier(
      desk!,
      unit,
      intake('Hà Văn Sơn'),
      info,
      'after-seeding',
    );
    assert.equal(received.code, `${unit}-261124-${String(last + 1).padStart(4, '0')}`);
    assert.equal(received.register.number, number + 1);
    assert.equal(received.status, 'received');
    const returnMethods = await t.database.pool.query<{ n: number }>(
      `select count(*)::int as n from dossiers where unit_code = $1 and channel = 'in_person'
          and return_method like 'Tại %' and return_method <> $2`,
      [unit, received.returnMethod],
    );
    assert.equal(returnMethods.rows[0]!.n, 0, 'the return place is written as the service writes it');
  });

  test('a generated specialist signs in with the scale password and sees a queue', async () => {
    const { rows } = await t.database.pool.query<{ username: string; unit: string }>(
      `select u.username, d.processing_unit_code as unit from dossiers d join users u on u.id = d.assigned_to
        where d.finished_at is null and u.username like 'chuyenvien%' limit 1`,
    );
    const { username, unit } = rows[0]!;
    const agent = new Agent(t.app);
    const login = await agent.login(username, SCALE_PASSWORD);
    assert.equal(login.statusCode, 200, login.body);
    const principal = await t.identity.service.loadPrincipal(login.json().userId);
    const queue = await t.dossiers.service.listQueue(
      principal!,
      { scope: 'mine', unitCode: unit, page: 1, pageSize: 20 },
      info,
    );
    assert.ok(queue.items.length > 0, 'the queue is empty');
    const citizen = await new Agent(t.app).login('congdan.1', SCALE_PASSWORD);
    assert.equal(citizen.statusCode, 200, citizen.body);
  });

  test('every file row points at a scan in the store, and a result downloads from the tracking page', async () => {
    const { rows } = await t.database.pool.query<{ sha256: string; n: number }>(
      'select sha256, count(*)::int as n from dossier_files group by 1',
    );
    assert.equal(rows.length, 1);
    const bytes = await createLocalFileStore(t.config.storageDir).get(rows[0]!.sha256);
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const returned = await t.database.pool.query<{ code: string; tracking_secret: string; id: string }>(
      `select d.code, d.tracking_secret, f.id from dossiers d join dossier_files f
          on f.unit_code = d.unit_code and f.dossier_code = d.code and f.kind = 'result'
        where d.status = 'returned' limit 1`,
    );
    const r = returned.rows[0]!;
    const file = await t.dossiers.service.getResultFile(r.code, r.tracking_secret, r.id);
    assert.deepEqual(file.bytes, bytes);
  });

  test('leaves the indexes and constraints as the migrations made them, and one audit entry', async () => {
    assert.deepEqual(await definitions(t), before_);
    const audit = await t.database.pool.query<{ action: string; details: { dossiers: number } }>(
      `select action, details from audit_log where action like 'seed.%'`,
    );
    assert.deepEqual(
      audit.rows.map((r) => [r.action, r.details.dossiers]),
      [['seed.scale.generated', 2000]],
    );
  });

  test('runs again on the same database: existing accounts are kept, nothing collides', async () => {
    const again = await seed(t, { ...OPTIONS, dossiers: 300, seed: 8 });
    assert.equal(again.dossiers, 300);
    assert.equal(again.rows.users_and_role_grants, 0);
    const { rows } = await t.database.pool.query<{ n: number }>('select count(*)::int as n from dossiers');
    assert.equal(rows[0]!.n, 2000 + 300 + 2);
    assert.deepEqual(await definitions(t), before_);
  });

  test('the same seed gives the same data', async () => {
    const other = await databaseWithADossier();
    try {
      await seed(other);
      const again = await digest(other);
      for (const table of Object.keys(generated)) assert.ok(again[table], table);
      assert.deepEqual(again, generated);
    } finally {
      await other.close();
    }
  });
});
