// What the database's sessions were doing while the load ran: every half second, the app's backends from
// pg_stat_activity, counted by state and by what they waited on (a lock, the WAL, a client read…), with the
// statements that waited for a lock. It tells a slow database from a slow app, and a lock queue from a full CPU.
import type pg from 'pg';

export interface WaitReport {
  samples: number;
  /** Mean number of backends per sample, by state (active, idle in transaction, idle…). */
  meanByState: Record<string, number>;
  /** Mean number of active or idle-in-transaction backends per sample waiting on each event ("Lock:advisory"). */
  meanByWait: Record<string, number>;
  /** The statements most often seen waiting for a heavyweight lock, with how many sightings. */
  lockWaiters: { query: string; sightings: number }[];
  /** Samples that failed (the database busy beyond the sampling interval). */
  missed: number;
}

interface ActivityRow {
  state: string | null;
  wait: string | null;
  query: string;
}

const SAMPLE_MS = 500;

export class DatabaseWaits {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private samples = 0;
  private missed = 0;
  private readonly byState = new Map<string, number>();
  private readonly byWait = new Map<string, number>();
  private readonly lockQueries = new Map<string, number>();

  constructor(private readonly pool: pg.Pool) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
  }

  private async sample(): Promise<void> {
    if (this.busy) {
      this.missed++;
      return;
    }
    this.busy = true;
    try {
      // Client backends of this database other than the sampler's own connections (application_name 'load').
      const { rows } = await this.pool.query<ActivityRow>(
        `select state, wait_event_type || ':' || wait_event as wait, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as query
           from pg_stat_activity
          where datname = current_database() and backend_type = 'client backend'
            and application_name <> 'xaso-load' and pid <> pg_backend_pid()`,
      );
      this.samples++;
      for (const row of rows) {
        const state = row.state ?? 'unknown';
        this.byState.set(state, (this.byState.get(state) ?? 0) + 1);
        if (state === 'idle') continue;
        // ClientRead while idle in transaction is the app between two statements of one transaction.
        const wait = row.wait ?? 'on CPU (no wait)';
        this.byWait.set(wait, (this.byWait.get(wait) ?? 0) + 1);
        if (row.wait?.startsWith('Lock:'))
          this.lockQueries.set(row.query, (this.lockQueries.get(row.query) ?? 0) + 1);
      }
    } catch {
      this.missed++;
    } finally {
      this.busy = false;
    }
  }

  stop(): WaitReport {
    clearInterval(this.timer);
    const mean = (counts: Map<string, number>) =>
      Object.fromEntries(
        [...counts]
          .sort((a, b) => b[1] - a[1])
          .map(([key, n]) => [key, this.samples ? Math.round((n / this.samples) * 100) / 100 : 0]),
      );
    return {
      samples: this.samples,
      meanByState: mean(this.byState),
      meanByWait: mean(this.byWait),
      lockWaiters: [...this.lockQueries]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([query, sightings]) => ({ query, sightings })),
      missed: this.missed,
    };
  }
}
