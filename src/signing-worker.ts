// The signing worker: a worker thread that renders and signs the documents the app signs after answering (the
// Mẫu 01 receipt of each counter intake), so that pdfmake's layout and the signature's CPU never hold up the
// requests of the main thread. It is a second composition root, like main.ts: its own configuration (the same
// variables), its own small pool on the same database, its own modules; it takes a document's id, runs the
// signing queue's `attempt` on it and answers when the attempt is recorded. The queue's rows stay the record: a
// worker that fails or is stopped leaves its documents pending, and the periodic job signs them.
import fs from 'node:fs';
import os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { drizzle } from 'drizzle-orm/node-postgres';
import { loadConfig } from './config.ts';
import { createModules } from './modules.ts';
import type { BackgroundSigner } from './modules/signing/index.ts';
import { systemClock } from './platform/clock.ts';
import { createPool } from './platform/db/database.ts';

interface WorkerData {
  role: 'xaso-signing-worker';
  connectionString: string;
  env: Record<string, string | undefined>;
  cwd: string;
}

type Request = { n: number; unitCode: string; id: string } | { close: true };
type Answer = { n: number; error?: string };

export interface SigningWorker extends BackgroundSigner {
  /** Finishes what it was asked, closes its connections and ends the thread. */
  close(): Promise<void>;
}

/** Starts the worker thread (again after it failed); `env` is what the app's configuration was read from. */
export function startSigningWorker(options: {
  connectionString: string;
  env: Record<string, string | undefined>;
  cwd?: string;
}): SigningWorker {
  const data: WorkerData = {
    role: 'xaso-signing-worker',
    connectionString: options.connectionString,
    env: { ...options.env },
    cwd: options.cwd ?? process.cwd(),
  };
  let worker: Worker | undefined;
  let next = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  const spawn = (): Worker => {
    // The app runs TypeScript through tsx, whose loader a worker thread does not inherit: it registers it first.
    const entry = new URL(import.meta.url).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const started = new Worker(
      `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`,
      { eval: true, workerData: data },
    );
    started.on('message', (answer: Answer) => {
      const w = waiting.get(answer.n);
      waiting.delete(answer.n);
      if (answer.error) w?.reject(new Error(answer.error));
      else w?.resolve();
    });
    started.on('error', (error) => failAll(error));
    started.on('exit', (code) => {
      if (worker === started) worker = undefined;
      failAll(new Error(`Tiến trình ký số dừng (mã ${code}).`));
    });
    return started;
  };

  // Started now, so its modules are loaded at start-up rather than at the first intake.
  worker = spawn();
  return {
    sign(unitCode, id) {
      worker ??= spawn();
      const n = ++next;
      const done = new Promise<void>((resolve, reject) => waiting.set(n, { resolve, reject }));
      worker.postMessage({ n, unitCode, id } satisfies Request);
      return done;
    },
    async close() {
      const running = worker;
      if (!running) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.postMessage({ close: true } satisfies Request);
      const timer = setTimeout(() => void running.terminate(), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * On Linux a thread has a nice value of its own: the worker yields the CPU to the requests' thread (and to
 * PostgreSQL), so a burst of intakes is answered first and signed just after. Nice 5 gives it about a quarter of
 * a busy core's share, enough to keep up with a centre's desks while the machine is saturated.
 */
const WORKER_NICE = 5;

function lowerPriority(): void {
  try {
    const thread = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(thread) && thread > 0) os.setPriority(thread, WORKER_NICE);
  } catch {
    // Not Linux, or not allowed: the worker runs at the process's priority.
  }
}

async function runWorker(data: WorkerData): Promise<void> {
  lowerPriority();
  const config = loadConfig(data.env, data.cwd);
  const pool = createPool(data.connectionString, 2);
  const modules = createModules({ config, db: drizzle(pool), clock: systemClock });
  const port = parentPort!;
  // One at a time, in the order asked: the main thread's queue already orders them.
  let tail: Promise<unknown> = Promise.resolve();
  port.on('message', (request: Request) => {
    if ('close' in request) {
      tail = tail.then(async () => {
        await modules.signing.keys.close();
        await pool.end();
        port.close();
      });
      return;
    }
    tail = tail.then(async () => {
      try {
        await modules.signing.documents.attempt(request.unitCode, request.id);
        port.postMessage({ n: request.n } satisfies Answer);
      } catch (error) {
        port.postMessage({ n: request.n, error: String(error) } satisfies Answer);
      }
    });
  });
}

if (!isMainThread && (workerData as Partial<WorkerData> | null)?.role === 'xaso-signing-worker') {
  await runWorker(workerData as WorkerData);
}
