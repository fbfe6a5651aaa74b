// Helpers shared by `npm run bench` (scripts/bench.ts) and `npm run load` (scripts/load.ts): child processes in
// their own process groups, readiness polling, the bare Fastify baseline, the embedded PostgreSQL's processes and
// memory, and the figures and table both print.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const READY_POLL_MS = 20;
export const START_TIMEOUT_MS = 180_000;
export const STOP_TIMEOUT_MS = 30_000;

/** The line src/main.ts prints once it listens. */
export const APP_LISTENING = /xaso đang chạy tại http:\/\/localhost:(\d+)/;
const BARE_LISTENING = /^listening (\d+)$/;

function warn(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Resolves with the promise's value, or with `fallback` after `ms`; the timer never outlives the race. */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

// --- child processes ------------------------------------------------------------------------------------------

export interface Line {
  at: number;
  text: string;
}

export const liveChildren = new Set<Child>();

/** A node child process in its own process group (a terminal Ctrl-C reaches only the bench, which stops it). */
export class Child {
  readonly startedAt = performance.now();
  readonly process: ChildProcess;
  readonly lines: Line[] = [];
  readonly exited: Promise<void>;
  hasExited = false;
  exitCode: number | null = null;
  private readonly watchers = new Set<() => void>();

  constructor(
    readonly name: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.process = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    liveChildren.add(this);
    for (const stream of [this.process.stdout, this.process.stderr]) {
      let buffer = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
          this.lines.push({ at, text: buffer.slice(0, end) });
          buffer = buffer.slice(end + 1);
        }
        this.notify();
      });
    }
    this.exited = new Promise((resolve) => {
      const onEnd = (code: number | null) => {
        if (this.hasExited) return;
        this.hasExited = true;
        this.exitCode = code;
        liveChildren.delete(this);
        this.notify();
        resolve();
      };
      this.process.once('exit', onEnd);
      this.process.once('error', (error) => {
        this.lines.push({ at: performance.now(), text: String(error) });
        onEnd(null);
      });
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }

  tail(count = 15): string {
    return this.lines
      .slice(-count)
      .map((line) => `    ${line.text}`)
      .join('\n');
  }

  findLine(pattern: RegExp): { at: number; match: RegExpMatchArray } | undefined {
    for (const line of this.lines) {
      const match = line.text.match(pattern);
      if (match) return { at: line.at, match };
    }
    return undefined;
  }

  /** Waits for the first output line matching `pattern`; fails if the child exits or the time runs out. */
  waitForLine(
    pattern: RegExp,
    what: string,
    timeoutMs: number,
  ): Promise<{ at: number; match: RegExpMatchArray }> {
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        this.watchers.delete(check);
      };
      const check = () => {
        const found = this.findLine(pattern);
        if (found) {
          finish();
          resolve(found);
        } else if (this.hasExited) {
          finish();
          reject(new Error(`${this.name} exited (code ${this.exitCode}) before ${what}:\n${this.tail()}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${this.name}: no ${what} after ${timeoutMs / 1000} s:\n${this.tail()}`));
      }, timeoutMs);
      this.watchers.add(check);
      check();
    });
  }

  /** SIGINT, then wait for the exit (SIGKILL after 30 s). Returns the milliseconds from SIGINT to exit. */
  async stop(): Promise<number> {
    if (this.hasExited) return 0;
    const signalledAt = performance.now();
    this.process.kill('SIGINT');
    if ((await within(this.exited, STOP_TIMEOUT_MS, 'timeout')) === 'timeout') {
      warn(`${this.name} (PID ${this.pid}) did not stop within 30 s of SIGINT; killing it.`);
      this.process.kill('SIGKILL');
      await this.exited;
    }
    return performance.now() - signalledAt;
  }
}

/** The status of a GET on 127.0.0.1, or undefined if nothing answered. A fresh connection each time. */
export function getStatus(port: number, urlPath: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: urlPath, agent: false, timeout: 2000 },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode));
        response.once('error', () => resolve(undefined));
      },
    );
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(undefined));
  });
}

/** Polls every 20 ms until GET answers 200; returns the moment it did. */
export async function waitForOk(child: Child, port: number, urlPath: string): Promise<number> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    if ((await getStatus(port, urlPath)) === 200) return performance.now();
    if (child.hasExited) throw new Error(`${child.name} exited (code ${child.exitCode}):\n${child.tail()}`);
    if (performance.now() > deadline) throw new Error(`${child.name}: ${urlPath} never answered 200.`);
    await sleep(READY_POLL_MS);
  }
}

export interface Started {
  child: Child;
  port: number;
  /** Spawn to the first 200. */
  readyMs: number;
  readyAt: number;
}

export async function startBare(script: string): Promise<Started> {
  const child = new Child('bare Fastify', [script]);
  const { match } = await child.waitForLine(BARE_LISTENING, 'its "listening" line', START_TIMEOUT_MS);
  const port = Number(match[1]);
  const readyAt = await waitForOk(child, port, '/health');
  return { child, port, readyAt, readyMs: readyAt - child.startedAt };
}

/** A bare Fastify server (the project's Fastify, logger off, one route `/health`) as a script; and its version. */
export function writeBareFastifyProbe(dir: string): { script: string; fastifyVersion: string } {
  const fastifyEntry = require.resolve('fastify');
  const fastifyVersion = (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'fastify', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const script = path.join(dir, 'bare-fastify.mjs');
  fs.writeFileSync(
    script,
    [
      `import Fastify from ${JSON.stringify(pathToFileURL(fastifyEntry).href)};`,
      `const app = Fastify({ logger: false });`,
      `app.get('/health', async () => ({ status: 'ok' }));`,
      `await app.listen({ host: '127.0.0.1', port: 0 });`,
      `process.stdout.write('listening ' + app.server.address().port + '\\n');`,
      `process.once('SIGINT', () => void app.close().then(() => process.exit(0)));`,
      '',
    ].join('\n'),
  );
  return { script, fastifyVersion };
}

// --- the embedded PostgreSQL's processes and memory ------------------------------------------------------

export function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(
      fs.readFileSync(path.join(dataDir, 'postgres', 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres') ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A PostgreSQL the app left running (it was killed, or its stop failed): stop it. True if there was one. */
export async function stopLeftoverPostgres(dataDir: string): Promise<boolean> {
  const pid = postmasterPid(dataDir);
  if (pid === undefined) return false;
  warn(`PostgreSQL (PID ${pid}) of ${dataDir} outlived its app; stopping it.`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < STOP_TIMEOUT_MS && postmasterPid(dataDir) === pid; waited += 100)
    await sleep(100);
  if (postmasterPid(dataDir) === pid) process.kill(pid, 'SIGKILL');
  return true;
}

export function procStatusBytes(pid: number | undefined, field: string, file = 'status'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = fs
      .readFileSync(`/proc/${pid}/${file}`, 'utf8')
      .match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The embedded PostgreSQL's processes and their summed PSS (shared pages split between them, not counted twice). */
export function postgresMemory(dataDir: string): { processes: number; pssBytes: number } | undefined {
  const postmaster = postmasterPid(dataDir);
  if (postmaster === undefined) return undefined;
  const pids = [postmaster];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …"; comm may hold spaces or parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  let pssBytes = 0;
  for (const pid of pids) {
    const pss = procStatusBytes(pid, 'Pss', 'smaps_rollup');
    if (pss === undefined) return undefined;
    pssBytes += pss;
  }
  return { processes: pids.length, pssBytes };
}

// --- percentiles, figures and the table ------------------------------------------------------------------

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

export interface Figure {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function figure(samples: number[]): Figure | undefined {
  const valid = samples.filter((value) => Number.isFinite(value));
  if (valid.length === 0) return undefined;
  const sorted = [...valid].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { median, min: sorted[0] ?? median, max: sorted[sorted.length - 1] ?? median, samples: valid };
}

export interface Row {
  benchmark: string;
  unit: string;
  xaso: Figure | undefined;
  baselineName: string | undefined;
  baseline: Figure | undefined;
  /** xaso median / baseline median. */
  ratio: number | undefined;
  notes: string;
  cells: { xaso: string; baseline: string; ratio: string };
}

export const wholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${wholeNumber.format(ms)} ms`;
}

export function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '—';
  return ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}

export function ratioOf(xaso: Figure | undefined, baseline: Figure | undefined): number | undefined {
  if (!xaso || !baseline || baseline.median === 0) return undefined;
  return xaso.median / baseline.median;
}

export function makeRow(options: {
  benchmark: string;
  unit: string;
  xaso: number[];
  baseline?: number[];
  baselineName?: string;
  format: (value: number) => string;
  showRange?: boolean;
  notes?: string;
}): Row {
  const xaso = figure(options.xaso);
  const baseline = options.baseline ? figure(options.baseline) : undefined;
  const ratio = ratioOf(xaso, baseline);
  const range =
    options.showRange && xaso && xaso.samples.length > 1
      ? ` (${options.format(xaso.min).replace(/ \S+$/, '')}–${options.format(xaso.max)})`
      : '';
  return {
    benchmark: options.benchmark,
    unit: options.unit,
    xaso,
    baselineName: options.baselineName,
    baseline,
    ratio,
    notes: options.notes ?? '',
    cells: {
      xaso: xaso ? `${options.format(xaso.median)}${range}` : 'n/a',
      baseline: baseline
        ? `${options.format(baseline.median)} ${options.baselineName ?? ''}`.trim()
        : options.baselineName
          ? `n/a ${options.baselineName}`
          : '',
      ratio: baseline ? formatRatio(ratio) : '',
    },
  };
}

export function renderTable(rows: Row[]): string {
  const header = ['benchmark', 'xaso', 'baseline', 'ratio', 'notes'];
  const body = rows.map((row) => [
    row.benchmark,
    row.cells.xaso,
    row.cells.baseline,
    row.cells.ratio,
    row.notes,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 3 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join(' | ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-|-');
  return [line(header), rule, ...body.map(line)].join('\n');
}

export function machine(): {
  description: string;
  cpu: string;
  cores: number;
  memoryBytes: number;
  node: string;
} {
  const cpus = os.cpus();
  const cpu = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memoryBytes = os.totalmem();
  return {
    description: `${cpu}, ${cpus.length} cores, ${(memoryBytes / 1024 ** 3).toFixed(1)} GiB RAM, Node.js ${process.version}, ${os.type()} ${os.release()}`,
    cpu,
    cores: cpus.length,
    memoryBytes,
    node: process.version,
  };
}
