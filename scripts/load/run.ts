// One load test from start to end: the server (started or attached), the sample of the data, the sign-ins, the two
// isolated phases, the mixed workload, the server stopped, the report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { createPool } from '../../src/platform/db/database.ts';
import { ROOT, machine } from '../bench-support.ts';
import { attachServer, redact, startServer, stopServer, type ServerUnderLoad } from './app-process.ts';
import { loadConnectionsFor, runMixed } from './mixed.ts';
import { DatabaseWaits } from './db-waits.ts';
import { Monitor } from './monitor.ts';
import type { LoadOptions } from './options.ts';
import { queuePhase, trackingPhase, type QueuePhase, type TrackingPhase } from './phases.ts';
import { seededRandom } from './random.ts';
import { GOALS, mixedRows, phaseRows, renderRows, type LoadReport } from './report.ts';
import { sampleDatabase, type Officer } from './sample.ts';
import { signInAll } from './sessions.ts';
import {
  KINDS,
  actionsPlan,
  assignKinds,
  cataloguePlan,
  dealDossiers,
  filingPlan,
  queuePlan,
  trackingPlan,
  type ActionCounts,
  type FilingCounts,
  type Kind,
  type Plan,
  type StaffSession,
  type UnitSessions,
} from './workload.ts';

const DOSSIERS_PER_UNIT = 8;

function packageVersion(name: string): string {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}
const SPECIALISTS_PER_UNIT = 2;

/** What a Ctrl-C must stop and close, whatever step the run is at. */
export interface Running {
  server?: ServerUnderLoad;
  pool?: pg.Pool;
  workDir?: string;
}

async function countSessions(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('select count(*)::text as n from sessions');
  return Number(rows[0]?.n ?? 0);
}

function countOf(kinds: readonly Kind[], kind: Kind): number {
  return kinds.filter((k) => k === kind).length;
}

/** Officers in an order that changes commune at every step. */
function interleaveByUnit(lists: Officer[][]): Officer[] {
  const out: Officer[] = [];
  for (let i = 0; lists.some((list) => i < list.length); i++)
    for (const list of lists) if (list[i]) out.push(list[i]!);
  return out;
}

export async function runLoadTest(
  options: LoadOptions,
  running: Running,
  log: (message: string) => void,
): Promise<LoadReport> {
  const startedAt = performance.now();
  const host = machine();
  const loadAtStart = os.loadavg();
  const random = seededRandom(options.seed);

  log(
    options.attach
      ? `đo máy chủ có sẵn ${options.attach.url} (PID ${options.attach.pid})`
      : 'khởi động xaso…',
  );
  const server = options.attach ? await attachServer(options, options.attach) : await startServer(options);
  running.server = server;
  log(`máy chủ ${server.baseUrl}, PID ${server.pid}; cơ sở dữ liệu: ${server.databaseDescription}`);
  // The tool's own sessions are named, so the wait sampler leaves them out.
  const toolUrl = new URL(server.databaseUrl);
  toolUrl.searchParams.set('application_name', 'xaso-load');
  const pool = createPool(toolUrl.toString(), 4);
  running.pool = pool;

  const loadConnections = loadConnectionsFor(options.rate, options.connections);
  const planned = assignKinds(loadConnections, {});
  log('lấy mẫu dữ liệu (hồ sơ, cán bộ, công dân, thủ tục)…');
  const sample = await sampleDatabase(
    pool,
    {
      trackingTargets: 5000,
      units: Math.max(4, Math.ceil(countOf(planned, 'queue') / (SPECIALISTS_PER_UNIT + 2))),
      // Each commune is four sign-ins (an argon2id verification each): enough communes for one open dossier per
      // acting connection, a few more on data where open dossiers are rare.
      maxUnits: 120,
      openDossiers: countOf(planned, 'actions'),
      dossiersPerUnit: DOSSIERS_PER_UNIT,
      citizens: Math.max(1, Math.min(100, countOf(planned, 'filing'))),
      procedures: 300,
    },
    options.seed,
    random,
  );
  if (sample.trackingTargets.length === 0)
    throw new Error(
      'Cơ sở dữ liệu chưa có hồ sơ nào để tra cứu: hãy tạo dữ liệu bằng `npm run seed:scale -- --dossiers N` ' +
        '(hoặc dùng dữ liệu mẫu của `npm start`).',
    );
  const kinds = assignKinds(loadConnections, {
    actions: sample.openDossiers.length,
    queue: sample.units.length > 0 ? loadConnections : 0,
    filing: sample.citizens.length > 0 && sample.filingProcedures.length > 0 ? loadConnections : 0,
    catalogue: sample.catalogueProcedures.length > 0 ? loadConnections : 0,
  });
  for (const kind of KINDS)
    if (countOf(kinds, kind) < countOf(planned, kind))
      log(
        `cảnh báo: dữ liệu chỉ đủ cho ${countOf(kinds, kind)} kết nối "${kind}" (dự kiến ${countOf(planned, kind)}); ` +
          'phần còn lại chuyển sang tra cứu hồ sơ',
      );

  const unitOfficers = sample.units.map((u) => [
    u.desk,
    ...u.specialists.slice(0, SPECIALISTS_PER_UNIT),
    u.leader,
  ]);
  const officers = interleaveByUnit(unitOfficers);
  const usernames = [...officers.map((o) => o.username), ...sample.citizens];
  log(
    `đăng nhập ${usernames.length} tài khoản (${officers.length} cán bộ ở ${sample.units.length} xã, ${sample.citizens.length} công dân)…`,
  );
  const signedIn = await signInAll(server.baseUrl, usernames);
  const sessionOf = (username: string) => signedIn.get(username)!;
  const staff: StaffSession[] = officers.map((officer) => ({
    officer,
    session: sessionOf(officer.username),
  }));
  const teams = new Map<string, UnitSessions>(
    sample.units.map((u) => [
      u.unitCode,
      {
        desk: sessionOf(u.desk.username),
        specialists: u.specialists.slice(0, SPECIALISTS_PER_UNIT).map((s) => sessionOf(s.username)),
        leader: sessionOf(u.leader.username),
      },
    ]),
  );
  const sessionsBefore = await countSessions(pool);

  let tracking: TrackingPhase | undefined;
  let queue: QueuePhase | undefined;
  if (options.phaseSeconds > 0) {
    running.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-load-'));
    log('phép đo riêng 1: tra cứu hồ sơ (vòng kín) bên cạnh route Fastify trần');
    tracking = await trackingPhase({
      baseUrl: server.baseUrl,
      databaseUrl: server.databaseUrl,
      targets: sample.trackingTargets,
      seconds: options.phaseSeconds,
      workDir: running.workDir,
      log,
    });
    if (staff.length > 0) {
      log(`phép đo riêng 2: trang hàng đợi đầu tiên, ${options.queueRequests} yêu cầu tuần tự`);
      queue = await queuePhase({ baseUrl: server.baseUrl, staff, requests: options.queueRequests, log });
    }
  }

  const filing: FilingCounts = { started: 0, submitted: 0, abandoned: 0, codes: [] };
  const actions: ActionCounts = { byAction: {}, retried: 0, retired: 0 };
  const hands = dealDossiers(sample.openDossiers, countOf(kinds, 'actions'), random);
  const next = { actions: 0, queue: 0, filing: 0 };
  const plans: Plan[] = kinds.map((kind) => {
    switch (kind) {
      case 'tracking':
        return trackingPlan(sample.trackingTargets, random);
      case 'catalogue':
        return cataloguePlan(sample.catalogueProcedures, random);
      case 'queue':
        return queuePlan(staff[next.queue++ % staff.length]!);
      case 'filing':
        return filingPlan(
          sessionOf(sample.citizens[next.filing++ % sample.citizens.length]!),
          sample.filingProcedures,
          random,
          filing,
        );
      case 'actions':
        return actionsPlan(hands[next.actions++]!, teams, actions);
    }
  });

  log(
    `tải hỗn hợp: ${options.rate} yêu cầu/giây, ${options.connections} kết nối, ` +
      `${options.warmupSeconds} + ${options.durationSeconds} giây`,
  );
  const monitor = new Monitor(server.pid, server.embeddedDataDir);
  monitor.start();
  const databaseWaits = new DatabaseWaits(pool);
  const mixed = await runMixed({
    baseUrl: server.baseUrl,
    rate: options.rate,
    connections: options.connections,
    warmupSeconds: options.warmupSeconds,
    durationSeconds: options.durationSeconds,
    plans,
    monitor,
    onWindowStart: () => databaseWaits.start(),
    log,
  });
  const waits = databaseWaits.stop();
  const cpu = monitor.cpuSinceWindowStart();
  monitor.stop();
  const sessionsAfter = await countSessions(pool);
  const loadAtEnd = os.loadavg();
  await pool.end();
  running.pool = undefined;
  const stop = await stopServer(server);
  if (stop) log(`đã dừng xaso (SIGINT → thoát sau ${Math.round(stop.stopMs)} ms, mã ${stop.exitCode})`);
  if (stop && stop.exitCode !== 0)
    log(`xaso không dừng sạch; các dòng cuối của nó:\n${server.child!.tail(30)}`);

  const defined = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
  const rss = defined(monitor.samples.map((s) => s.appRssBytes));
  const pss = defined(monitor.samples.map((s) => s.postgresPssBytes));
  const sockets = defined(monitor.samples.map((s) => s.appSockets));
  const memory: LoadReport['memory'] = {
    appRssMaxBytes: rss.length ? Math.max(...rss) : undefined,
    appRssEndBytes: rss.at(-1),
    appSocketsMax: sockets.length ? Math.max(...sockets) : undefined,
    postgresPssMaxBytes: pss.length ? Math.max(...pss) : undefined,
    postgresProcesses: monitor.samples.findLast((s) => s.postgresProcesses !== undefined)?.postgresProcesses,
    samples: monitor.samples,
  };

  const rows = [...phaseRows(tracking, queue), ...mixedRows(mixed, filing, actions, memory, cpu, waits)];
  const table = renderRows(rows);
  const date = new Date(Date.now()).toISOString();
  const statuses = Object.entries(sample.data.trackingStatuses)
    .sort((a, b) => b[1] - a[1])
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  const header = [
    `xaso load test (npm run load), ${date}`,
    `machine: ${host.description}`,
    `load average at start: ${loadAtStart.map((v) => v.toFixed(2)).join(', ')}; at the end: ${loadAtEnd.map((v) => v.toFixed(2)).join(', ')}`,
    `server: PID ${server.pid}, ${server.child ? 'started by the load test' : 'attached'} at ${server.baseUrl}; ${server.databaseDescription}` +
      (server.child
        ? `; admission limit MAX_REQUESTS_IN_FLIGHT=${process.env.MAX_REQUESTS_IN_FLIGHT ?? '64 (the default)'}`
        : ''),
    `data: about ${sample.data.dossiers.toLocaleString('en-US')} dossiers; ${sample.data.communesWithStaff} communes with desk, specialist and leader accounts; ` +
      `tracking sample of ${sample.trackingTargets.length} (${statuses}); ${sample.openDossiers.length} open dossiers of ${sample.units.length} communes for the actions; ` +
      `${sample.filingProcedures.length} procedures filed online, ${sample.catalogueProcedures.length} on procedure pages`,
    `load generator: autocannon ${packageVersion('autocannon')} in this process, on the same ${host.cores} cores as the server and PostgreSQL; Fastify ${packageVersion('fastify')}`,
    `goals (issue 8, on 10 million dossiers): ${GOALS.rate} req/s over ${GOALS.connections} connections, p95 ≤ ${GOALS.p95Ms} ms, ` +
      `no errors, RSS < 500 MB; tracking ≥ ${GOALS.trackingVersusBare}× the bare route; first queue page p95 ≤ ${GOALS.queuePageP95Ms} ms`,
    'latencies: milliseconds from a request’s send to its reply; figures of the phases are medians of rounds (min–max in brackets)',
  ];

  return {
    date,
    durationSeconds: Math.round((performance.now() - startedAt) / 1000),
    machine: host,
    loadAverage: { start: loadAtStart, end: loadAtEnd },
    options: {
      ...options,
      attach: options.attach ?? null,
      databaseUrl: options.databaseUrl ? redact(options.databaseUrl) : null,
    },
    server: {
      pid: server.pid,
      startedByTool: server.child !== undefined,
      database: server.databaseDescription,
      stop,
    },
    data: {
      ...sample.data,
      trackingTargets: sample.trackingTargets.length,
      units: sample.units.map((u) => u.unitCode),
      openDossiers: sample.openDossiers.length,
      citizens: sample.citizens.length,
      filingProcedures: sample.filingProcedures.map((p) => p.code),
      catalogueProcedures: sample.catalogueProcedures.length,
      signedIn: signedIn.size,
    },
    phases: { tracking, queue },
    mixed,
    filing,
    actions,
    memory,
    cpu,
    waits,
    sessions: { before: sessionsBefore, after: sessionsAfter },
    rows: rows.map(({ cells, ...row }) => ({ ...row, display: cells })),
    table,
    header,
  };
}
