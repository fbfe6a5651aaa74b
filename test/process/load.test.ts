// `npm run load` against the real process: the tool starts src/main.ts on a test database (the demo accounts and
// dossiers of npm start), runs its two phases and its mixed workload briefly at a low rate, stops the app and writes
// its report. Nothing here is a timing: it checks that every kind of request was made and got the reply a browser
// or an API client expects (so the workload's requests are valid), that the officers' actions and the online filings
// really happened in the database, and that the report holds what PERFORMANCE.md says it does.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { isProcessAlive } from '../../src/platform/db/data-dir-lock.ts';
import { errorsOf } from '../../scripts/load/mixed.ts';
import type { LoadReport } from '../../scripts/load/report.ts';
import { KINDS } from '../../scripts/load/workload.ts';
import { createTestDatabase, testAdminUrl } from '../support/database.ts';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function runTool(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/load.ts', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGINT'), 240_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, output });
    }),
  );
}

describe('npm run load', () => {
  test('exercises every kind of the mixed workload with only expected replies, and reports it', async () => {
    const database = await createTestDatabase();
    const url = new URL(testAdminUrl());
    url.pathname = `/${database.description}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-load-test-'));
    const outDir = path.join(dataDir, 'results');
    dirs.push(dataDir);
    try {
      // 12 connections at 5 requests/s each: every kind gets a connection, and a filing journey (about fourteen
      // requests) finishes several times within the 8 measured seconds.
      const { code, output } = await runTool(
        [
          ...['--rate', '60', '--connections', '12', '--duration', '8', '--warmup', '2'],
          ...['--phase-seconds', '1', '--queue-requests', '10', '--data-dir', dataDir, '--out', outDir],
        ],
        {
          ...process.env,
          NODE_ENV: 'development',
          DATABASE_URL: url.toString(),
          XASO_TEST_ADMIN_URL: '',
        },
      );
      assert.equal(code, 0, output);
      const report = JSON.parse(fs.readFileSync(path.join(outDir, 'latest-load.json'), 'utf8')) as LoadReport;
      const written = fs.readdirSync(outDir).filter((f) => /^load-.+\.json$/.test(f));
      assert.equal(written.length, 1, 'one timestamped report beside latest-load.json');

      // Every kind was exercised and every reply was the expected one, in the window and in the warm-up.
      for (const kind of KINDS) {
        const tally = report.mixed.kinds[kind];
        assert.ok(tally.connections >= 1, `${kind}: a connection`);
        assert.ok(tally.replies > 0, `${kind}: replies in the measured window`);
        assert.equal(
          errorsOf(tally),
          0,
          `${kind}: ${JSON.stringify(tally.errors)} ${JSON.stringify(tally.samples)}`,
        );
        assert.equal(tally.expected, tally.replies);
      }
      assert.equal(report.mixed.errorsTotal, 0);
      assert.equal(report.mixed.warmup.errors, 0);
      const labels = new Set(report.mixed.labels.map((l) => `${l.kind}: ${l.label}`));
      for (const label of [
        'tracking: tracking page',
        'tracking: tracking API',
        'catalogue: search page',
        'catalogue: procedure page',
        'queue: queue page',
        'queue: queue API',
        'filing: submit',
        'filing: confirmation page',
      ])
        assert.ok(labels.has(label), `${label} among ${[...labels].join(', ')}`);

      // Finished journeys are real dossiers, submitted online; the officers' actions are in the dossiers' logs.
      assert.ok(report.filing.submitted >= 1, `journeys: ${JSON.stringify(report.filing)}`);
      const { rows: filed } = await database.pool.query<{ status: string; channel: string }>(
        'select status, channel from dossiers where code = any($1)',
        [report.filing.codes],
      );
      assert.equal(filed.length, report.filing.codes.length);
      assert.ok(filed.every((d) => d.status === 'submitted' && d.channel === 'online'));
      for (const action of ['assign', 'process', 'submit-for-approval', 'reject'])
        assert.ok((report.actions.byAction[action] ?? 0) > 0, `${action}: ${JSON.stringify(report.actions)}`);
      const { rows: actionRows } = await database.pool.query<{ n: number }>(
        `select count(*)::int as n from dossier_actions
          where transaction_id not like 'demo-%'
            and action in ('assign', 'process', 'request_supplement', 'receive_supplement', 'submit_for_approval', 'reject')`,
      );
      const done = Object.values(report.actions.byAction).reduce((a, b) => a + b, 0);
      // Each acknowledged action is one entry of a dossier log; a command still in flight when the run stopped may
      // have committed without its reply being counted (one at most per acting connection).
      const logged = actionRows[0]?.n ?? 0;
      assert.ok(
        logged >= done && logged <= done + report.mixed.kinds.actions.connections,
        `${logged} actions logged, ${done} acknowledged`,
      );

      // The isolated phases.
      const tracking = report.phases.tracking!;
      for (const name of ['page', 'api', 'bare', 'bareLookup'] as const) {
        assert.equal(tracking.results[name].length, tracking.rounds);
        for (const round of tracking.results[name]) {
          assert.ok(round.requestsPerSecond > 0, name);
          assert.equal(round.failures, 0, `${name}: replies other than 200`);
        }
      }
      const queue = report.phases.queue!;
      assert.equal(queue.failures, 0);
      assert.equal(queue.pageMs.length + queue.apiMs.length, 10);

      // The report's figures and table; the app was the process measured, and it stopped cleanly.
      assert.ok(report.mixed.repliesPerSecond > 0 && report.mixed.sentPerSecond > 0);
      assert.equal(
        report.mixed.unspreadConnections,
        0,
        'every connection sends in its own slot of the second',
      );
      assert.ok(report.mixed.overall.count > 0 && report.mixed.overall.p95 >= report.mixed.overall.p50);
      assert.ok((report.memory.appRssMaxBytes ?? 0) > 10 * 1024 * 1024);
      assert.ok(report.memory.samples.length >= 10);
      assert.equal(report.memory.postgresPssMaxBytes, undefined, 'an external database has no PSS here');
      assert.ok(report.cpu && report.cpu.generator > 0);
      assert.ok(report.sessions.after >= report.sessions.before);
      assert.equal(report.server.startedByTool, true);
      assert.equal(report.server.stop?.exitCode, 0);
      assert.ok(!isProcessAlive(report.server.pid), 'the app process is gone');
      for (const benchmark of [
        'tracking page requests/s',
        'first queue page p95 (HTML)',
        'mixed: replies/s',
        'mixed: latency p95',
        'mixed: errors',
        'server RSS max (node process)',
      ]) {
        assert.ok(
          report.rows.some((row) => row.benchmark === benchmark),
          benchmark,
        );
        assert.match(report.table, new RegExp(benchmark.replace(/[()/]/g, '\\$&')));
      }
      assert.match(output, /mixed: replies\/s/, 'the table is printed');
    } finally {
      await database.close();
    }
  });
});
