// Once a second while the load runs: the app process's resident memory, its open sockets and CPU time, and the
// embedded PostgreSQL's summed PSS and CPU time, read from /proc (Linux).
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { postgresMemory, postmasterPid, procStatusBytes } from '../bench-support.ts';

/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture Node.js runs on. */
const TICKS_PER_SECOND = 100;

export interface MemorySample {
  /** Milliseconds since the monitor started. */
  at: number;
  appRssBytes: number | undefined;
  appSockets: number | undefined;
  postgresPssBytes: number | undefined;
  postgresProcesses: number | undefined;
}

export interface CpuUse {
  /** Share of one core, over the window: 1.0 is one core fully busy. */
  app: number | undefined;
  postgres: number | undefined;
  generator: number;
}

function cpuTicks(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime 14, stime 15.
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

function postgresPids(dataDir: string | undefined): number[] {
  const postmaster = dataDir ? postmasterPid(dataDir) : undefined;
  if (postmaster === undefined) return [];
  const pids = [postmaster];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster)
        pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

function socketCount(pid: number): number | undefined {
  try {
    let sockets = 0;
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
      } catch {
        // Closed meanwhile.
      }
    }
    return sockets;
  } catch {
    return undefined;
  }
}

export class Monitor {
  readonly samples: MemorySample[] = [];
  private readonly startedAt = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private tick = 0;
  private window: { at: number; app?: number; postgres: number; generator: NodeJS.CpuUsage } | undefined;
  private pgPids: number[] = [];

  constructor(
    private readonly appPid: number,
    /** The embedded server's data directory, when the app runs one. */
    private readonly dataDir: string | undefined,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    // The PSS walk reads every process's stat file: every fifth second is enough.
    const withPostgres = this.tick++ % 5 === 0;
    const postgres = withPostgres && this.dataDir ? postgresMemory(this.dataDir) : undefined;
    this.samples.push({
      at: performance.now() - this.startedAt,
      appRssBytes: procStatusBytes(this.appPid, 'VmRSS'),
      appSockets: socketCount(this.appPid),
      postgresPssBytes: postgres?.pssBytes,
      postgresProcesses: postgres?.processes,
    });
  }

  /** Starts counting CPU time (at the start of the measured window). */
  markWindowStart(): void {
    this.pgPids = postgresPids(this.dataDir);
    this.window = {
      at: performance.now(),
      app: cpuTicks(this.appPid),
      postgres: this.postgresTicks(),
      generator: process.cpuUsage(),
    };
  }

  private postgresTicks(): number {
    return this.pgPids.reduce((sum, pid) => sum + (cpuTicks(pid) ?? 0), 0);
  }

  /** CPU used since markWindowStart, as shares of one core. Backends that came and went meanwhile are missed. */
  cpuSinceWindowStart(): CpuUse | undefined {
    if (!this.window) return undefined;
    const seconds = (performance.now() - this.window.at) / 1000;
    const app = cpuTicks(this.appPid);
    const generator = process.cpuUsage(this.window.generator);
    return {
      app:
        app !== undefined && this.window.app !== undefined
          ? (app - this.window.app) / TICKS_PER_SECOND / seconds
          : undefined,
      postgres: this.dataDir
        ? (this.postgresTicks() - this.window.postgres) / TICKS_PER_SECOND / seconds
        : undefined,
      generator: (generator.user + generator.system) / 1e6 / seconds,
    };
  }

  /** Milliseconds since the monitor started, on the samples' clock. */
  now(): number {
    return performance.now() - this.startedAt;
  }
}
