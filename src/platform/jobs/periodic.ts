// Periodic jobs until pg-boss arrives with the notification outbox (DESIGN.md, "jobs and timers"): each job runs on
// one app server at a time, whichever takes its PostgreSQL advisory lock, so several servers behind a load balancer
// do not mark the same dossiers twice. A failing run is logged and the next one tries again.
import type pg from 'pg';

export interface PeriodicJob {
  name: string;
  /** A number unique among the installation's advisory locks. */
  lockKey: number;
  everyMs: number;
  run(): Promise<unknown>;
}

export function startPeriodicJobs(
  pool: pg.Pool,
  jobs: PeriodicJob[],
  log: (message: string) => void,
): { stop(): void; runNow(name: string): Promise<unknown> } {
  const running = new Set<string>();
  async function runOnce(job: PeriodicJob): Promise<unknown> {
    if (running.has(job.name)) return undefined;
    running.add(job.name);
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [
        job.lockKey,
      ]);
      if (!rows[0]?.ok) return undefined;
      try {
        return await job.run();
      } finally {
        await client.query('select pg_advisory_unlock($1)', [job.lockKey]);
      }
    } catch (error) {
      log(`Việc định kỳ "${job.name}" lỗi: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    } finally {
      client.release();
      running.delete(job.name);
    }
  }
  const timers = jobs.map((job) => setInterval(() => void runOnce(job), job.everyMs).unref());
  return {
    stop: () => timers.forEach(clearInterval),
    runNow: (name) => {
      const job = jobs.find((j) => j.name === name);
      return job ? runOnce(job) : Promise.resolve(undefined);
    },
  };
}
