// `npm run bench`: the performance figures of docs/PERFORMANCE.md. Every figure stands beside a baseline measured
// in the same run on the same machine (a bare `node`, a bare Fastify server of the same version), as a ratio of
// medians over several rounds, so runs on different machines compare by their ratios. It only reports: no test
// asserts a timing.
//   npm run bench                   about three minutes on 2 cores
//   BENCH_SECONDS=10 npm run bench  longer load rounds (default 5 s each)
//   BENCH_ONLY=dossiers npm run bench, or node --import tsx scripts/bench.ts --only=dossiers
//                                   only the dossier figures (intake, queues over 100,000 open dossiers)
//   BENCH_ONLY=tracking npm run bench   only the tracking lookups beside the bare routes, on demo data
//   BENCH_ONLY=pages npm run bench, or node --import tsx scripts/bench.ts --only=pages
//                                   only the page timings of the online-filing journey in a throttled Chromium
// The servers run as child processes in their own process groups and the load generator (autocannon) runs here,
// so load and server never share an event loop. Every child is stopped and every temporary directory removed,
// also on an error or a Ctrl-C.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import autocannonUntyped from 'autocannon';
import {
  APP_LISTENING,
  Child,
  START_TIMEOUT_MS,
  ROOT,
  figure,
  formatMiB,
  formatMs,
  formatRatio,
  liveChildren,
  machine,
  makeRow,
  percentile,
  postgresMemory,
  postmasterPid,
  procStatusBytes,
  renderTable,
  startBare,
  stopLeftoverPostgres,
  waitForOk,
  wholeNumber,
  within,
  writeBareFastifyProbe,
  type Row,
  type Started,
} from './bench-support.ts';
import { createPool } from '../src/platform/db/database.ts';
import { embeddedUrl } from './load/app-process.ts';
import { trackingPhase, type TrackingPhase } from './load/phases.ts';
import { phaseRows as trackingRows } from './load/report.ts';
import { benchCatalogue, p50, p95 } from './bench-catalogue.ts';
import { benchDeadlines } from './bench-deadlines.ts';
import { benchSigning } from './bench-signing.ts';
import { benchDossiers, type DossiersBench } from './bench-dossiers.ts';
import { benchPages, PAGE_BUDGET_MS, type PagesResult } from './bench-pages.ts';

interface AutocannonResult {
  requests: { average: number; total: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonRun {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void,
  ): void;
}
type Autocannon = (
  options: { url: string; connections: number; duration: number },
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonRun;
// The subset of autocannon used here, with the response-time listener typed as this script reads it.
const autocannon = autocannonUntyped as unknown as Autocannon;

const RESULTS_DIR = path.join(ROOT, 'bench-results');

const START_ROUNDS = 3;
const RESTART_ROUNDS = 5;
const LOAD_ROUNDS = 3;
const CONNECTIONS = 50;
const WARMUP_SECONDS = 1;

/** Lines src/main.ts and the embedded-server supervisor print at the end of each startup step. */
const MARKERS = {
  initdb: /^Đã khởi tạo cụm PostgreSQL nhúng/,
  postgres: /^PostgreSQL nhúng sẵn sàng/,
  migrations: /^Đã áp dụng \d+ migration/,
  units: /^Đã nạp \d+ đơn vị hành chính/,
  demo: /^Tài khoản mẫu/,
  listening: APP_LISTENING,
} as const;
type Marker = keyof typeof MARKERS | 'spawn' | 'ready';
type Phase = readonly [label: string, from: Marker, to: Marker];

const FIRST_START_PHASES: readonly Phase[] = [
  ['node, tsx, imports, initdb', 'spawn', 'initdb'],
  ['PostgreSQL start', 'initdb', 'postgres'],
  ['create database, migrations', 'postgres', 'migrations'],
  ['load 3,355 admin units', 'migrations', 'units'],
  ['demo accounts', 'units', 'demo'],
  ['build HTTP app, listen', 'demo', 'listening'],
  ['first GET /ready', 'listening', 'ready'],
];
const RESTART_PHASES: readonly Phase[] = [
  ['node, tsx, imports, PostgreSQL start', 'spawn', 'postgres'],
  ['checks, demo accounts, HTTP app, listen', 'postgres', 'listening'],
  ['first GET /ready', 'listening', 'ready'],
];

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** Milliseconds from spawn to exit of a process that should exit by itself with code 0. */
async function timeToExit(name: string, args: string[]): Promise<number> {
  const child = new Child(name, args);
  if ((await within(child.exited, START_TIMEOUT_MS, 'timeout')) === 'timeout') {
    await child.stop();
    throw new Error(`${name} did not exit within ${START_TIMEOUT_MS / 1000} s.`);
  }
  if (child.exitCode !== 0) throw new Error(`${name} exited with code ${child.exitCode}:\n${child.tail()}`);
  return performance.now() - child.startedAt;
}

// --- the app and its embedded PostgreSQL ----------------------------------------------------------------------

const dataDirs = new Set<string>();

function appEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    DEMO_DATA: 'true',
  };
  // The bench measures the embedded server, and must never write demo accounts into a real database.
  delete env.DATABASE_URL;
  delete env.EMBEDDED_PG_PORT;
  return env;
}

async function startApp(dataDir: string): Promise<Started> {
  dataDirs.add(dataDir);
  const child = new Child('xaso', ['--import', 'tsx', 'src/main.ts'], appEnv(dataDir));
  const { match } = await child.waitForLine(APP_LISTENING, 'its "xaso đang chạy" line', START_TIMEOUT_MS);
  const port = Number(match[1]);
  const readyAt = await waitForOk(child, port, '/ready');
  return { child, port, readyAt, readyMs: readyAt - child.startedAt };
}

/** Milliseconds of each startup step, from the time each step's line reached the bench. */
function phasesOf(started: Started, phases: readonly Phase[]): Record<string, number> {
  const at = (marker: Marker): number | undefined => {
    if (marker === 'spawn') return started.child.startedAt;
    if (marker === 'ready') return started.readyAt;
    return started.child.findLine(MARKERS[marker])?.at;
  };
  const result: Record<string, number> = {};
  for (const [label, from, to] of phases) {
    const start = at(from);
    const end = at(to);
    if (start !== undefined && end !== undefined) result[label] = end - start;
  }
  return result;
}

async function removeDataDir(dataDir: string): Promise<void> {
  await stopLeftoverPostgres(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
  dataDirs.delete(dataDir);
}

// --- load -----------------------------------------------------------------------------------------------------

interface LoadRound {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: number;
}

/** One autocannon run. Latencies are taken from every 2xx response (autocannon's own histogram has no p95). */
async function load(url: string, seconds: number): Promise<LoadRound> {
  const latencies: number[] = [];
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const run = autocannon({ url, connections: CONNECTIONS, duration: seconds }, (error, done) =>
      error ? reject(error) : resolve(done),
    );
    run.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (Number(statusCode) >= 200 && Number(statusCode) < 300) latencies.push(responseTimeMs);
    });
  });
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: result.requests.average,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

// --- the run --------------------------------------------------------------------------------------------------

let workDir: string | undefined;

function benchSeconds(): number {
  const raw = process.env.BENCH_SECONDS?.trim();
  if (!raw) return 5;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 120) {
    throw new Error(`BENCH_SECONDS="${raw}": must be a whole number of seconds from 1 to 120.`);
  }
  return seconds;
}

/**
 * Tracking lookups (issue 8: at least half the bare route): the tracking page and API of the demo dossiers, in
 * closed loop, beside a bare Fastify /health and a bare Fastify + pg route doing the same lookup (the load test's
 * tracking phase, on the demo data of the running app).
 */
async function benchTracking(app: Started, dataDir: string, seconds: number): Promise<TrackingPhase> {
  const databaseUrl = app.child.pid === undefined ? undefined : embeddedUrl(dataDir, app.child.pid);
  if (!databaseUrl) throw new Error(`No embedded PostgreSQL of the app in ${dataDir}.`);
  const pool = createPool(databaseUrl, 1);
  try {
    const { rows } = await pool.query<{ code: string; tracking_secret: string; status: string }>(
      'select code, tracking_secret, status from dossiers order by code limit 100',
    );
    if (rows.length === 0) throw new Error('The demo data has no dossiers to track.');
    progress(
      `tracking: ${rows.length} demo dossiers, page and API beside bare Fastify and bare Fastify + pg`,
    );
    return await trackingPhase({
      baseUrl: `http://127.0.0.1:${app.port}`,
      databaseUrl,
      targets: rows.map((r) => ({ code: r.code, secret: r.tracking_secret, status: r.status })),
      seconds,
      workDir: workDir!,
      log: progress,
    });
  } finally {
    await pool.end();
  }
}

/** Small scripts the baselines run: a bare Fastify server, an empty module, the modules src/main.ts imports. */
function writeProbes(dir: string): { bare: string; empty: string; modules: string; fastifyVersion: string } {
  const { script: bare, fastifyVersion } = writeBareFastifyProbe(dir);
  const empty = path.join(dir, 'empty.mjs');
  fs.writeFileSync(empty, '');
  // The same modules src/main.ts imports, read from its source so the probe follows it; import only, no I/O.
  const mainSource = fs.readFileSync(path.join(ROOT, 'src', 'main.ts'), 'utf8');
  const specifiers = [...mainSource.matchAll(/from '(\.\/[^']+)'/g)].map((match) => match[1] ?? '');
  if (specifiers.length === 0)
    throw new Error('Found no imports in src/main.ts for the module-loading probe.');
  const modules = path.join(dir, 'main-imports.mjs');
  fs.writeFileSync(
    modules,
    specifiers
      .map(
        (specifier) =>
          `await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'src', specifier)).href)});`,
      )
      .join('\n') + '\nprocess.exit(0);\n',
  );
  return { bare, empty, modules, fastifyVersion };
}

const PARTS = ['dossiers', 'pages', 'tracking'] as const;
type Part = (typeof PARTS)[number];

/** The part to run alone: `--only=dossiers|pages` or BENCH_ONLY=dossiers|pages; undefined runs everything. */
function benchOnly(): Part | undefined {
  const argument = process.argv
    .slice(2)
    .find((arg) => arg.startsWith('--only='))
    ?.slice('--only='.length);
  const raw = (argument ?? process.env.BENCH_ONLY)?.trim();
  if (!raw) return undefined;
  const part = PARTS.find((name) => name === raw);
  if (part) return part;
  throw new Error(
    `BENCH_ONLY="${raw}": the parts that run alone are ${PARTS.map((name) => `"${name}"`).join(' and ')}.`,
  );
}

/** The dossier figures, on their own embedded PostgreSQL under the work directory (stopped by the clean-up too). */
async function runDossiers(): Promise<DossiersBench & { loadAverageAtStart: number[] }> {
  const loadAverageAtStart = os.loadavg();
  const dir = path.join(workDir ?? os.tmpdir(), 'dossiers');
  dataDirs.add(dir);
  try {
    return { loadAverageAtStart, ...(await benchDossiers(progress, dir)) };
  } finally {
    await removeDataDir(dir);
  }
}

/** The page timings, on their own embedded PostgreSQL under the work directory (stopped by the clean-up too). */
async function runPages(): Promise<{ loadAverageAtStart: number[]; result: PagesResult }> {
  const loadAverageAtStart = os.loadavg();
  const dir = path.join(workDir ?? os.tmpdir(), 'pages');
  dataDirs.add(dir);
  try {
    const result = await benchPages(progress, dir);
    if ('skipped' in result) progress(result.skipped);
    return { loadAverageAtStart, result };
  } finally {
    await removeDataDir(dir);
  }
}

function pagesHeader(pages: PagesResult): string[] {
  if ('skipped' in pages) return [];
  const { throttling: t, viewport } = pages;
  return [
    `pages: Chromium ${pages.chromium}, ${viewport.width}×${viewport.height}; DevTools throttling ${t.downloadKbit} kbit/s down, ` +
      `${t.uploadKbit} kbit/s up, +${t.latencyMs} ms latency, CPU ${t.cpuSlowdown}× slower; ${pages.rounds} rounds, ` +
      `each a fresh context; usable = the later of load and first contentful paint`,
  ];
}

function pageRows(pages: PagesResult): Row[] {
  if ('skipped' in pages)
    return [
      makeRow({
        benchmark: 'page usable on slow 3G',
        unit: 'ms',
        xaso: [],
        format: formatMs,
        notes: pages.skipped,
      }),
    ];
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const floor = pages.baseline.samples.map((s) => s.usableMs);
  return pages.pages.map((page, index) => {
    const median = (pick: (s: (typeof page.samples)[number]) => number) =>
      figure(page.samples.map(pick))?.median ?? Number.NaN;
    const usable = median((s) => s.usableMs);
    const paints = page.samples.map((s) => s.firstContentfulPaintMs ?? Number.NaN);
    const fcp = figure(paints)?.median;
    return makeRow({
      benchmark: `page usable: ${page.label}`,
      unit: 'ms',
      xaso: page.samples.map((s) => s.usableMs),
      baseline: floor,
      baselineName: 'bare 1 KB page',
      format: formatMs,
      showRange: true,
      notes:
        `DCL ${formatMs(median((s) => s.domContentLoadedMs))}, load ${formatMs(median((s) => s.loadMs))}, ` +
        `FCP ${fcp === undefined ? 'n/a' : formatMs(fcp)}; ` +
        `${kb(median((s) => s.htmlGzipBytes) + pages.css.gzipBytes)} gz HTML+CSS, ${kb(median((s) => s.wireBytes))} sent; ` +
        `≤ 2 s: ${usable <= PAGE_BUDGET_MS ? 'yes' : 'no'}` +
        (page.samples[0]?.redirects ? `; ${page.samples[0].redirects} redirect(s) after the POST` : '') +
        (index === 0 ? `; ${page.how}` : ''),
    });
  });
}

function dossierRows(dossiers: DossiersBench): Row[] {
  const { intake, queue, data } = dossiers;
  const perSecond = (value: number) => wholeNumber.format(value);
  // The rounds' own ratios show how much the machine moved the figure.
  const roundRatios = ({ service, baseline }: { service: number[]; baseline: number[] }) => {
    const ratios = service.map((value, i) => value / (baseline[i] ?? Number.NaN)).sort((x, y) => x - y);
    return `rounds' ratios ${formatRatio(ratios[0])}–${formatRatio(ratios[ratios.length - 1])}`;
  };
  const queueRows = queue.variants.map((variant, index) =>
    makeRow({
      benchmark: `dossier queue p95: ${variant.label}`,
      unit: 'ms',
      xaso: [p95(variant.serviceMs)],
      baseline: [p95(variant.lookupMs)],
      baselineName: 'primary-key lookup',
      format: formatMs,
      notes:
        `p50 ${formatMs(p50(variant.serviceMs))} (lookup ${formatMs(p50(variant.lookupMs))}); over HTTP p50 ` +
        `${formatMs(p50(variant.httpMs))}, p95 ${formatMs(p95(variant.httpMs))}; ${wholeNumber.format(variant.total)} match` +
        (index === 0
          ? `; ${variant.serviceMs.length} first pages of ${queue.pageSize} each, listQueue with its count, ${wholeNumber.format(data.open)} open dossiers`
          : ''),
    }),
  );
  return [
    makeRow({
      benchmark: 'counter intake, one at a time',
      unit: 'dossiers/s',
      xaso: intake.sequential.service,
      baseline: intake.sequential.baseline,
      baselineName: 'plain INSERTs',
      format: perSecond,
      showRange: true,
      notes: `higher is better; ${intake.rounds} × ${intake.perRound} receiveDossier (one scan) vs its 9 rows as plain SQL, a transaction each, same pool; ${roundRatios(intake.sequential)}`,
    }),
    makeRow({
      benchmark: `counter intake, ${intake.inFlight} in flight`,
      unit: 'dossiers/s',
      xaso: intake.concurrent.service,
      baseline: intake.concurrent.baseline,
      baselineName: 'plain INSERTs',
      format: perSecond,
      showRange: true,
      notes: `the same, ${intake.inFlight} at a time at one centre (its counters and the audit chain serialise the commits); ${roundRatios(intake.concurrent)}`,
    }),
    makeRow({
      benchmark: 'counter intake, until its receipt is signed',
      unit: 'dossiers/s',
      xaso: intake.sequential.signed,
      baseline: intake.sequential.baseline,
      baselineName: 'plain INSERTs',
      format: perSecond,
      showRange: true,
      notes: `the one-at-a-time rounds counted until the last Mẫu 01 of the round was rendered, signed (demo PKCS#12 key) and verified, one at a time after the answers; ${intake.inFlight} in flight: ${perSecond(p50(intake.concurrent.signed))}/s`,
    }),
    ...queueRows,
  ];
}

/** Prints the table and writes it with everything measured as JSON; `tag` names a partial run's files. */
function writeReport(options: {
  started: number;
  host: ReturnType<typeof machine>;
  loadAtStart: number[];
  headerLines: string[];
  rows: Row[];
  details: Record<string, unknown>;
  tag?: string;
}): void {
  // A ratio over a zero baseline means nothing (errors: 0 and 0).
  for (const row of options.rows) if (row.unit === 'count') row.cells.ratio = '—';
  const finishedAt = new Date(Date.now());
  const table = renderTable(options.rows);
  process.stdout.write(
    [
      '',
      `xaso bench${options.tag ? ` (${options.tag} only)` : ''}, ${finishedAt.toISOString()}`,
      `machine: ${options.host.description}`,
      `load average at start: ${options.loadAtStart.map((value) => value.toFixed(2)).join(', ')}`,
      'baselines measured in this run; figures are medians (min–max in brackets); ratio = xaso / baseline',
      ...options.headerLines,
      '',
      table,
      '',
    ].join('\n'),
  );
  const report = {
    date: finishedAt.toISOString(),
    durationSeconds: Math.round((performance.now() - options.started) / 1000),
    machine: options.host,
    loadAverageAtStart: options.loadAtStart,
    ...(options.tag ? { only: options.tag } : {}),
    ...options.details,
    rows: options.rows.map(({ cells, ...row }) => ({ ...row, display: cells })),
    table,
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const suffix = options.tag ? `-${options.tag}` : '';
  const file = path.join(
    RESULTS_DIR,
    `bench${suffix}-${finishedAt.toISOString().replace(/[:.]/g, '-')}.json`,
  );
  const latest = `latest${suffix}.json`;
  fs.writeFileSync(file, json);
  fs.writeFileSync(path.join(RESULTS_DIR, latest), json);
  process.stdout.write(`written: ${path.relative(ROOT, file)} and bench-results/${latest}\n`);
}

async function run(): Promise<void> {
  const only = benchOnly();
  const seconds = benchSeconds();
  const host = machine();
  // Other work on the machine moves every figure; recorded so that a noisy run can be recognised.
  const loadAtStart = os.loadavg();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-bench-'));
  // As root the embedded PostgreSQL runs as the user postgres, which must be able to reach its data directory.
  fs.chmodSync(workDir, 0o711);
  const started = performance.now();
  if (only === 'pages') {
    const pages = await runPages();
    writeReport({
      started,
      host,
      loadAtStart,
      headerLines: pagesHeader(pages.result),
      rows: pageRows(pages.result),
      details: { pages },
      tag: only,
    });
    return;
  }
  if (only === 'dossiers') {
    const dossiers = await runDossiers();
    writeReport({
      started,
      host,
      loadAtStart,
      headerLines: [],
      rows: dossierRows(dossiers),
      details: { dossiers },
      tag: only,
    });
    return;
  }
  if (only === 'tracking') {
    const dataDir = path.join(workDir, 'data-tracking');
    const app = await startApp(dataDir);
    const tracking = await benchTracking(app, dataDir, seconds);
    await app.child.stop();
    await removeDataDir(dataDir);
    writeReport({
      started,
      host,
      loadAtStart,
      headerLines: [],
      rows: trackingRows(tracking, undefined),
      details: { tracking },
      tag: only,
    });
    return;
  }
  const probes = writeProbes(workDir);

  const samples = {
    nodeBare: [] as number[],
    tsxEmpty: [] as number[],
    mainImports: [] as number[],
    bareStart: [] as number[],
    bareStop: [] as number[],
    firstStart: [] as number[],
    restart: [] as number[],
    appStop: [] as number[],
    firstPhases: [] as Record<string, number>[],
    restartPhases: [] as Record<string, number>[],
  };

  // Rounds interleave xaso and its baselines so that a drift of the machine affects both alike. The first start
  // of round 0 leaves the data directory every restart reuses.
  const keptDir = path.join(workDir, 'data-restarts');
  for (let round = 0; round < RESTART_ROUNDS; round++) {
    progress(`startup round ${round + 1}/${RESTART_ROUNDS}`);
    samples.mainImports.push(await timeToExit('main.ts imports', ['--import', 'tsx', probes.modules]));
    samples.tsxEmpty.push(await timeToExit('empty module', ['--import', 'tsx', probes.empty]));
    samples.nodeBare.push(await timeToExit('node -e 0', ['-e', '0']));
    const bare = await startBare(probes.bare);
    samples.bareStart.push(bare.readyMs);
    samples.bareStop.push(await bare.child.stop());

    if (round < START_ROUNDS) {
      const dataDir = round === 0 ? keptDir : path.join(workDir, `data-first-${round}`);
      const first = await startApp(dataDir);
      samples.firstStart.push(first.readyMs);
      samples.firstPhases.push(phasesOf(first, FIRST_START_PHASES));
      await first.child.stop();
      if (first.child.exitCode !== 0) progress(`xaso exited with code ${first.child.exitCode} after SIGINT.`);
      if (await stopLeftoverPostgres(dataDir)) progress('warning: the app left its PostgreSQL running.');
      if (dataDir !== keptDir) await removeDataDir(dataDir);
    }

    const again = await startApp(keptDir);
    samples.restart.push(again.readyMs);
    samples.restartPhases.push(phasesOf(again, RESTART_PHASES));
    samples.appStop.push(await again.child.stop());
    if (again.child.exitCode !== 0) progress(`xaso exited with code ${again.child.exitCode} after SIGINT.`);
    if (await stopLeftoverPostgres(keptDir)) progress('warning: the app left its PostgreSQL running.');
  }

  progress(`/health load: ${LOAD_ROUNDS} rounds × ${seconds} s per target, ${CONNECTIONS} connections`);
  const app = await startApp(keptDir);
  const bare = await startBare(probes.bare);
  const appUrl = `http://127.0.0.1:${app.port}/health`;
  const bareUrl = `http://127.0.0.1:${bare.port}/health`;
  await load(appUrl, WARMUP_SECONDS);
  await load(bareUrl, WARMUP_SECONDS);
  const appRounds: LoadRound[] = [];
  const bareRounds: LoadRound[] = [];
  for (let round = 0; round < LOAD_ROUNDS; round++) {
    progress(`load round ${round + 1}/${LOAD_ROUNDS}`);
    appRounds.push(await load(appUrl, seconds));
    bareRounds.push(await load(bareUrl, seconds));
  }
  const appRss = procStatusBytes(app.child.pid, 'VmRSS');
  const bareRss = procStatusBytes(bare.child.pid, 'VmRSS');
  const postgres = postgresMemory(keptDir);
  await bare.child.stop();
  const tracking = await benchTracking(app, keptDir, seconds);
  await app.child.stop();
  await stopLeftoverPostgres(keptDir);

  const catalogue = await benchCatalogue(progress);
  progress('deadlines: computations per second on the province calendar');
  const deadlines = benchDeadlines();
  progress('signing: PAdES signatures per second with a PKCS#12 key and on a PKCS#11 token (SoftHSM2)');
  const signing = await benchSigning();
  const dossiers = await runDossiers();
  const pages = await runPages();

  // --- the table ---
  const nodeBare = figure(samples.nodeBare);
  const tsxEmpty = figure(samples.tsxEmpty);
  const versusNode = (values: number[]) => {
    const xaso = figure(values);
    return xaso && nodeBare
      ? `${formatRatio(xaso.median / nodeBare.median)} node -e 0 (${formatMs(nodeBare.median)})`
      : '';
  };
  const phaseRows = (phases: readonly Phase[], measured: Record<string, number>[]): Row[] =>
    phases.map(([label]) =>
      makeRow({
        benchmark: `  · ${label}`,
        unit: 'ms',
        xaso: measured.map((round) => round[label] ?? Number.NaN),
        format: formatMs,
      }),
    );
  const bareName = 'bare Fastify';
  const loadRow = (benchmark: string, pick: (round: LoadRound) => number, notes = '') =>
    makeRow({
      benchmark,
      unit: 'ms',
      xaso: appRounds.map(pick),
      baseline: bareRounds.map(pick),
      baselineName: bareName,
      format: formatMs,
      notes,
    });
  const failures = (round: LoadRound) => round.errors + round.timeouts + round.non2xx;
  const sum = (rounds: LoadRound[], pick: (round: LoadRound) => number) =>
    rounds.reduce((total, round) => total + pick(round), 0);

  const rows: Row[] = [
    makeRow({
      benchmark: 'start, empty data dir → /ready 200',
      unit: 'ms',
      xaso: samples.firstStart,
      baseline: samples.bareStart,
      baselineName: `${bareName} → 1st 200`,
      format: formatMs,
      showRange: true,
      notes: `${START_ROUNDS} rounds, fresh dir each; ${versusNode(samples.firstStart)}`,
    }),
    ...phaseRows(FIRST_START_PHASES, samples.firstPhases),
    makeRow({
      benchmark: 'restart, same data dir → /ready 200',
      unit: 'ms',
      xaso: samples.restart,
      baseline: samples.bareStart,
      baselineName: `${bareName} → 1st 200`,
      format: formatMs,
      showRange: true,
      notes: `${RESTART_ROUNDS} rounds after a clean SIGINT stop; ${versusNode(samples.restart)}`,
    }),
    ...phaseRows(RESTART_PHASES, samples.restartPhases),
    makeRow({
      benchmark: 'clean stop, SIGINT → exit',
      unit: 'ms',
      xaso: samples.appStop,
      baseline: samples.bareStop,
      baselineName: bareName,
      format: formatMs,
      showRange: true,
      notes: 'xaso: drain HTTP, close pool, stop PostgreSQL (checkpoint)',
    }),
    makeRow({
      benchmark: "import main.ts's modules (tsx)",
      unit: 'ms',
      xaso: samples.mainImports,
      baseline: samples.tsxEmpty,
      baselineName: 'empty module (tsx)',
      format: formatMs,
      showRange: true,
      notes: `node --import tsx, import only, no I/O; the empty module is ${tsxEmpty && nodeBare ? formatRatio(tsxEmpty.median / nodeBare.median) : '—'} node -e 0`,
    }),
    makeRow({
      benchmark: '/health requests/s',
      unit: 'req/s',
      xaso: appRounds.map((round) => round.requestsPerSecond),
      baseline: bareRounds.map((round) => round.requestsPerSecond),
      baselineName: bareName,
      format: (value) => wholeNumber.format(value),
      showRange: true,
      notes: `higher is better; ${LOAD_ROUNDS} × ${seconds} s alternating, ${CONNECTIONS} connections`,
    }),
    ...trackingRows(tracking, undefined),
    loadRow('/health latency p50', (round) => round.p50),
    loadRow('/health latency p95', (round) => round.p95),
    loadRow('/health latency p99', (round) => round.p99),
    makeRow({
      benchmark: '/health errors + timeouts + non-2xx',
      unit: 'count',
      xaso: [sum(appRounds, failures)],
      baseline: [sum(bareRounds, failures)],
      baselineName: bareName,
      format: (value) => wholeNumber.format(value),
      notes: `of ${wholeNumber.format(sum(appRounds, (round) => round.requests))} and ${wholeNumber.format(sum(bareRounds, (round) => round.requests))} requests`,
    }),
    makeRow({
      benchmark: 'catalogue search p50',
      unit: 'ms',
      xaso: [p50(catalogue.searchMs)],
      baseline: [p50(catalogue.lookupMs)],
      baselineName: 'primary-key lookup',
      format: formatMs,
      notes: `${catalogue.searchMs.length} searches over ${wholeNumber.format(catalogue.procedures)} procedures (folded text, trigrams, ranking, count), same pool`,
    }),
    makeRow({
      benchmark: 'catalogue search p95',
      unit: 'ms',
      xaso: [p95(catalogue.searchMs)],
      baseline: [p95(catalogue.lookupMs)],
      baselineName: 'primary-key lookup',
      format: formatMs,
      notes: 'select * from procedures where code = $1, alternated with the searches',
    }),
    makeRow({
      benchmark: 'deadline computations per second',
      unit: 'ops/s',
      xaso: deadlines.engine,
      baseline: deadlines.naive,
      baselineName: 'naive Date + n days',
      format: (value) => wholeNumber.format(value),
      showRange: true,
      notes:
        'higher is better; working days, calendar days, working hours, same-day with 15:00 cut-off; 5 × 1 s',
    }),
    makeRow({
      benchmark: 'PAdES signatures per second (PKCS#12)',
      unit: 'ops/s',
      xaso: signing?.pades ?? [],
      baseline: signing?.rsaOnly ?? [],
      baselineName: 'RSA-2048 signature alone',
      format: (value) => wholeNumber.format(value),
      showRange: true,
      notes: signing
        ? `higher is better; B-B of a ${Math.round(signing.pdfBytes / 1024)} KB PDF: placeholder, CMS, signature; 5 × 1 s`
        : 'skipped: no openssl to make a test certificate',
    }),
    makeRow({
      benchmark: 'PAdES signatures per second (PKCS#11, SoftHSM2)',
      unit: 'ops/s',
      xaso: signing?.pkcs11 ?? [],
      baseline: signing?.pades ?? [],
      baselineName: 'same with the PKCS#12 key',
      format: (value) => wholeNumber.format(value),
      showRange: true,
      notes: !signing
        ? 'skipped: no openssl to make a test certificate'
        : signing.pkcs11Skipped
          ? `skipped: ${signing.pkcs11Skipped}`
          : 'higher is better; same key and PDF on a SoftHSM2 token, one session, the token hashes; same rounds',
    }),
    makeRow({
      benchmark: 'RSS after the load (node process)',
      unit: 'bytes',
      xaso: appRss === undefined ? [] : [appRss],
      baseline: bareRss === undefined ? [] : [bareRss],
      baselineName: bareName,
      format: formatMiB,
      notes: postgres
        ? `plus embedded PostgreSQL: ${postgres.processes} processes, ${formatMiB(postgres.pssBytes)} PSS`
        : '',
    }),
    ...dossierRows(dossiers),
    ...pageRows(pages.result),
  ];

  writeReport({
    started,
    host,
    loadAtStart,
    headerLines: [
      `Fastify ${probes.fastifyVersion}; load generator: autocannon in the bench process, servers in child processes`,
      ...pagesHeader(pages.result),
    ],
    rows,
    details: {
      settings: {
        benchSeconds: seconds,
        connections: CONNECTIONS,
        startRounds: START_ROUNDS,
        restartRounds: RESTART_ROUNDS,
        loadRounds: LOAD_ROUNDS,
        fastify: probes.fastifyVersion,
      },
      load: { xaso: appRounds, bareFastify: bareRounds },
      tracking,
      memory: { xasoRssBytes: appRss, bareFastifyRssBytes: bareRss, postgres },
      catalogue,
      deadlines,
      signing,
      dossiers,
      pages,
    },
  });
}

// --- clean-up, whatever happens -------------------------------------------------------------------------------

async function cleanUp(): Promise<void> {
  for (const child of [...liveChildren]) await child.stop().catch(() => {});
  for (const dir of [...dataDirs]) await stopLeftoverPostgres(dir).catch(() => false);
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
}

let cleaning: Promise<void> | undefined;
const cleanUpOnce = () => (cleaning ??= cleanUp());

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping the servers and removing the temporary files…`);
    void cleanUpOnce().finally(() => process.exit(130));
  });
}
// Last resort if the bench dies without the clean-up above: nothing it started may outlive it.
process.once('exit', () => {
  for (const child of liveChildren) child.process.kill('SIGKILL');
  for (const dir of dataDirs) {
    const pid = postmasterPid(dir);
    if (pid !== undefined) process.kill(pid, 'SIGINT');
  }
});

let exitCode = 0;
try {
  await run();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = 1;
} finally {
  await cleanUpOnce();
}
process.exit(exitCode);
