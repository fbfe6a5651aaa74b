// The load test's table, in the bench's format (scripts/bench-support.ts), and its JSON.
import fs from 'node:fs';
import path from 'node:path';
import {
  figure,
  formatMiB,
  formatMs,
  makeRow,
  renderTable,
  wholeNumber,
  type Row,
} from '../bench-support.ts';
import type { MixedResult, Tally } from './mixed.ts';
import type { WaitReport } from './db-waits.ts';
import type { CpuUse, MemorySample } from './monitor.ts';
import type { QueuePhase, TrackingPhase } from './phases.ts';
import { KINDS, KIND_NAMES, SHARES, type ActionCounts, type FilingCounts } from './workload.ts';

/** The goals of issue 8, reported against (never asserted: a timing depends on the machine). */
export const GOALS = {
  rate: 1000,
  connections: 2000,
  p95Ms: 300,
  rssBytes: 500 * 1024 * 1024,
  trackingVersusBare: 0.5,
  queuePageP95Ms: 20,
} as const;

export interface LoadReport {
  date: string;
  durationSeconds: number;
  machine: { description: string; cpu: string; cores: number; memoryBytes: number; node: string };
  loadAverage: { start: number[]; end: number[] };
  options: Record<string, unknown>;
  server: {
    pid: number;
    startedByTool: boolean;
    database: string;
    stop?: { stopMs: number; exitCode: number | null } | undefined;
  };
  data: Record<string, unknown>;
  phases: { tracking?: TrackingPhase | undefined; queue?: QueuePhase | undefined };
  mixed: MixedResult;
  filing: Omit<FilingCounts, 'codes'> & { codes: string[] };
  actions: ActionCounts;
  memory: {
    appRssMaxBytes: number | undefined;
    appRssEndBytes: number | undefined;
    appSocketsMax: number | undefined;
    postgresPssMaxBytes: number | undefined;
    postgresProcesses: number | undefined;
    samples: MemorySample[];
  };
  cpu: CpuUse | undefined;
  waits: WaitReport;
  sessions: { before: number; after: number };
  rows: (Omit<Row, 'cells'> & { display: Row['cells'] })[];
  table: string;
  header: string[];
}

const yesNo = (ok: boolean) => (ok ? 'yes' : 'no');
const perSecond = (value: number) => wholeNumber.format(value);

function errorText(t: Pick<Tally, 'errors'>): string {
  const parts = Object.entries(t.errors.byStatus).map(([status, n]) => `${n} × ${status}`);
  if (t.errors.timeout) parts.push(`${t.errors.timeout} timeouts`);
  if (t.errors.socket) parts.push(`${t.errors.socket} socket errors`);
  if (t.errors.closed) parts.push(`${t.errors.closed} closed without reply`);
  if (t.errors.garbled) parts.push(`${t.errors.garbled} replies without a status (after a timeout)`);
  return parts.length ? parts.join(', ') : 'none';
}

function latencyNotes(t: Tally, seconds: number): string {
  if (t.replies === 0) return `no replies; errors: ${errorText(t)}`;
  return (
    `p50 ${formatMs(t.latency.p50)}, p99 ${formatMs(t.latency.p99)}, max ${formatMs(t.latency.max)}; ` +
    `${wholeNumber.format(t.replies)} replies, ${(t.replies / seconds).toFixed(1)}/s; errors: ${errorText(t)}`
  );
}

export function phaseRows(tracking: TrackingPhase | undefined, queue: QueuePhase | undefined): Row[] {
  const rows: Row[] = [];
  if (tracking) {
    const rps = (name: keyof TrackingPhase['results']) =>
      tracking.results[name].map((r) => r.requestsPerSecond);
    const p95Of = (name: keyof TrackingPhase['results']) =>
      figure(tracking.results[name].map((r) => r.p95))?.median ?? Number.NaN;
    const failures = (name: keyof TrackingPhase['results']) =>
      tracking.results[name].reduce((sum, r) => sum + r.failures, 0);
    const bare = figure(rps('bare'))?.median ?? Number.NaN;
    for (const [name, label] of [
      ['page', 'tracking page requests/s'],
      ['api', 'tracking API requests/s'],
    ] as const) {
      const xaso = figure(rps(name))?.median ?? Number.NaN;
      rows.push(
        makeRow({
          benchmark: label,
          unit: 'req/s',
          xaso: rps(name),
          baseline: rps('bare'),
          baselineName: 'bare Fastify /health',
          format: perSecond,
          showRange: true,
          notes:
            `higher is better; goal ≥ ${GOALS.trackingVersusBare}×: ${yesNo(xaso / bare >= GOALS.trackingVersusBare)}; ` +
            `p95 ${formatMs(p95Of(name))}; non-200 ${failures(name)}` +
            (name === 'page'
              ? `; closed loop, ${tracking.connections} connections, ${tracking.rounds} × ${tracking.seconds} s interleaved`
              : ''),
        }),
      );
    }
    rows.push(
      makeRow({
        benchmark: 'tracking API vs the bare lookup',
        unit: 'req/s',
        xaso: rps('api'),
        baseline: rps('bareLookup'),
        baselineName: 'bare Fastify + pg lookup',
        format: perSecond,
        showRange: true,
        notes: `the same primary-key lookup and secret check in a bare Fastify route (pg pool of 10); p95 ${formatMs(p95Of('bareLookup'))}; non-200 ${failures('bareLookup')}`,
      }),
    );
  }
  if (queue) {
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    const at = (values: number[], p: number) => {
      const s = sorted(values);
      return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
    };
    for (const [values, label] of [
      [queue.pageMs, 'first queue page p95 (HTML)'],
      [queue.apiMs, 'first queue page p95 (API)'],
    ] as const) {
      rows.push(
        makeRow({
          benchmark: label,
          unit: 'ms',
          xaso: [at(values, 95)],
          format: formatMs,
          notes:
            `p50 ${formatMs(at(values, 50))}, max ${formatMs(at(values, 100))}` +
            (label.includes('HTML')
              ? `; goal ≤ ${GOALS.queuePageP95Ms} ms: ${yesNo(at(values, 95) <= GOALS.queuePageP95Ms)}`
              : '') +
            `; ${values.length} of ${queue.requests} sequential requests (page and API in turn) by ${queue.officers} officers at ${queue.communes} communes; non-200 ${queue.failures}`,
        }),
      );
    }
  }
  return rows;
}

export function mixedRows(
  mixed: MixedResult,
  filing: FilingCounts,
  actions: ActionCounts,
  memory: LoadReport['memory'],
  cpu: CpuUse | undefined,
  waits: WaitReport,
): Row[] {
  const seconds = mixed.windowSeconds;
  const rows: Row[] = [
    makeRow({
      benchmark: 'mixed: replies/s',
      unit: 'req/s',
      xaso: [mixed.repliesPerSecond],
      baseline: [mixed.rate],
      baselineName: 'offered',
      format: perSecond,
      notes:
        `sent ${perSecond(mixed.sentPerSecond)}/s (busiest tenth of a second ${mixed.sentInBusiestTenth}, even ${(mixed.rate / 10).toFixed(0)}); ` +
        `${mixed.loadConnections} connections at ` +
        `${mixed.requestsPerConnectionPerSecond.toFixed(2)} req/s each + ${mixed.idleConnections} idle ` +
        `(${mixed.idle.opened} opened, ${mixed.idle.closedEarly} closed early) = ${mixed.connectionsAsked} asked; ` +
        `${seconds.toFixed(1)} s measured after ${mixed.warmupSeconds} s warm-up`,
    }),
    makeRow({
      benchmark: 'mixed: answered as asked/s',
      unit: 'req/s',
      xaso: [(mixed.overall.count - mixed.errorsByType.status - mixed.errorsByType.garbled) / seconds],
      baseline: [mixed.rate],
      baselineName: 'offered',
      format: perSecond,
      notes:
        'replies with the expected status (a 503 of the admission limit, or any other unexpected status, is not); ' +
        'the throughput the users got',
    }),
    makeRow({
      benchmark: 'mixed: latency p50',
      unit: 'ms',
      xaso: [mixed.overall.p50],
      format: formatMs,
      notes: `${wholeNumber.format(mixed.overall.count)} replies; from the request's send to its reply`,
    }),
    makeRow({
      benchmark: 'mixed: latency p95',
      unit: 'ms',
      xaso: [mixed.overall.p95],
      format: formatMs,
      notes: `goal ≤ ${GOALS.p95Ms} ms: ${yesNo(mixed.overall.p95 <= GOALS.p95Ms)}`,
    }),
    makeRow({
      benchmark: 'mixed: latency p99',
      unit: 'ms',
      xaso: [mixed.overall.p99],
      format: formatMs,
      notes:
        `autocannon's own histogram (whole run, warm-up included, corrected for coordinated omission): ` +
        `p50 ${formatMs(mixed.autocannon.latency.p50)}, p97.5 ${formatMs(mixed.autocannon.latency.p97_5)}, ` +
        `p99 ${formatMs(mixed.autocannon.latency.p99)}`,
    }),
    makeRow({
      benchmark: 'mixed: latency max',
      unit: 'ms',
      xaso: [mixed.overall.max],
      format: formatMs,
      notes: `${mixed.inFlightAtEnd} requests still in flight when autocannon stopped (not counted)`,
    }),
    makeRow({
      benchmark: 'mixed: errors',
      unit: 'count',
      xaso: [mixed.errorsTotal],
      format: (value) => wholeNumber.format(value),
      notes:
        `goal 0: ${yesNo(mixed.errorsTotal === 0)}; unexpected status ${mixed.errorsByType.status}, timeouts ` +
        `${mixed.errorsByType.timeout}, socket errors ${mixed.errorsByType.socket}, closed without reply ` +
        `${mixed.errorsByType.closed}, replies without a status ${mixed.errorsByType.garbled}; ` +
        `warm-up: ${mixed.warmup.errors} of ${wholeNumber.format(mixed.warmup.replies)}`,
    }),
  ];
  for (const kind of KINDS) {
    const t = mixed.kinds[kind];
    let extra = '';
    if (kind === 'filing')
      extra = `; journeys: ${filing.started} started, ${filing.submitted} submitted (dossiers created), ${filing.abandoned} abandoned`;
    if (kind === 'actions')
      extra = `; done: ${
        Object.entries(actions.byAction)
          .map(([action, n]) => `${action} ${n}`)
          .join(', ') || 'none'
      }; ${actions.retried} resent with the same Idempotency-Key`;
    rows.push(
      makeRow({
        benchmark: `· ${KIND_NAMES[kind]} (${Math.round(SHARES[kind] * 100)}%) p95`,
        unit: 'ms',
        xaso: [t.latency.p95],
        format: formatMs,
        notes: `${t.connections} connections; ${latencyNotes(t, seconds)}${extra}`,
      }),
    );
    for (const label of mixed.labels.filter((l) => l.kind === kind).sort((a, b) => b.replies - a.replies))
      rows.push(
        makeRow({
          benchmark: `    · ${label.label}`,
          unit: 'ms',
          xaso: [label.latency.p95],
          format: formatMs,
          notes: latencyNotes(label, seconds),
        }),
      );
  }
  rows.push(
    makeRow({
      benchmark: 'server RSS max (node process)',
      unit: 'bytes',
      xaso: memory.appRssMaxBytes === undefined ? [] : [memory.appRssMaxBytes],
      format: formatMiB,
      notes:
        `goal < ${formatMiB(GOALS.rssBytes)}: ${yesNo((memory.appRssMaxBytes ?? Infinity) < GOALS.rssBytes)}; ` +
        `at the end ${memory.appRssEndBytes === undefined ? 'n/a' : formatMiB(memory.appRssEndBytes)}; sampled every second; ` +
        (memory.postgresPssMaxBytes === undefined
          ? 'PostgreSQL not measured (not embedded)'
          : `plus embedded PostgreSQL: ${memory.postgresProcesses} processes, ${formatMiB(memory.postgresPssMaxBytes)} PSS at most`) +
        `; open sockets of the app at most ${memory.appSocketsMax ?? 'n/a'}`,
    }),
    makeRow({
      benchmark: 'CPU during the window (cores)',
      unit: 'cores',
      xaso: cpu?.app === undefined ? [] : [cpu.app],
      format: (value) => value.toFixed(2),
      notes: cpu
        ? `the app's node process; PostgreSQL ${cpu.postgres === undefined ? 'n/a' : cpu.postgres.toFixed(2)}, ` +
          `load generator ${cpu.generator.toFixed(2)}, all on the same cores`
        : '',
    }),
    makeRow({
      benchmark: 'database: sessions at work',
      unit: 'count',
      xaso: [
        Object.entries(waits.meanByState).reduce((sum, [state, n]) => sum + (state === 'idle' ? 0 : n), 0),
      ],
      format: (value) => value.toFixed(1),
      notes:
        `mean per sample of pg_stat_activity (${waits.samples} samples, every 0.5 s, ${waits.missed} missed); ` +
        `by state: ${describeCounts(waits.meanByState)}; waiting on: ${describeCounts(waits.meanByWait)}` +
        (waits.lockWaiters.length
          ? `; waiting for a lock: ${waits.lockWaiters.map((w) => `${w.sightings} × “${w.query}”`).join('; ')}`
          : '; no statement waited for a lock'),
    }),
  );
  return rows;
}

function describeCounts(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([key, n]) => `${key} ${n.toFixed(2)}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** Count rows have no meaningful ratio. */
export function renderRows(rows: Row[]): string {
  for (const row of rows) if (row.unit === 'count') row.cells.ratio = row.baseline ? '—' : '';
  return renderTable(rows);
}

export function writeLoadReport(outDir: string, report: LoadReport): { file: string; latest: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const file = path.join(outDir, `load-${report.date.replace(/[:.]/g, '-')}.json`);
  const latest = path.join(outDir, 'latest-load.json');
  fs.writeFileSync(file, json);
  fs.writeFileSync(latest, json);
  return { file, latest };
}
