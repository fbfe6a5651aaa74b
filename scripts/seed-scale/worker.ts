// A generation thread: plans its units' numbering, then generates their dossiers as COPY text, handed to the main
// thread in chunks of about a megabyte per table. Each chunk spends a credit the main thread gives back once the
// database has taken it, so a slow table holds the thread back instead of filling the memory.
import { parentPort, workerData } from 'node:worker_threads';
import { COPY_TABLE_NAMES, type CopyTable } from './copy-text.ts';
import { UnitGenerator, type GenerationInput, type UnitPlan } from './generator.ts';

export interface WorkerData {
  input: GenerationInput;
  /** Indexes into input.units of the units this thread generates. */
  assigned: number[];
  credits: number;
}

export type ToWorker = { type: 'plan' } | { type: 'generate' } | { type: 'credit' };

export type FromWorker =
  | { type: 'planned'; counters: { unitCode: string; scope: string; value: number }[] }
  | { type: 'chunk'; table: CopyTable; rows: number; buffer: ArrayBuffer; dossiers: number }
  /** `waitedMs`: how long the thread waited for the database to take its rows (0: generating was the limit). */
  | { type: 'done'; tally: UnitGenerator['tally']; dossiers: number; waitedMs: number; total: number }
  | { type: 'failed'; message: string };

const CHUNK_CHARACTERS = 1 << 20;

const port = parentPort!;
const data = workerData as WorkerData;
const generator = new UnitGenerator(data.input);
const units = data.assigned.map((i) => data.input.units[i]!);
let plans: UnitPlan[] = [];
let credits = data.credits;
let waiting: (() => void) | null = null;
const encoder = new TextEncoder();

const buffers = new Map<CopyTable, { parts: string[]; length: number; rows: number }>(
  COPY_TABLE_NAMES.map((t) => [t, { parts: [], length: 0, rows: 0 }]),
);
let dossiersSinceChunk = 0;
let waitedMs = 0;

function post(message: FromWorker, transfer: ArrayBuffer[] = []) {
  port.postMessage(message, transfer);
}

async function flush(table: CopyTable) {
  const buffer = buffers.get(table)!;
  if (buffer.rows === 0) return;
  const waitStarted = performance.now();
  while (credits <= 0) await new Promise<void>((resolve) => (waiting = resolve));
  waitedMs += performance.now() - waitStarted;
  credits--;
  const bytes = encoder.encode(buffer.parts.join(''));
  const message: FromWorker = {
    type: 'chunk',
    table,
    rows: buffer.rows,
    buffer: bytes.buffer as ArrayBuffer,
    dossiers: dossiersSinceChunk,
  };
  dossiersSinceChunk = 0;
  buffers.set(table, { parts: [], length: 0, rows: 0 });
  post(message, [message.buffer]);
}

const sink = {
  row(table: CopyTable, line: string) {
    const buffer = buffers.get(table)!;
    buffer.parts.push(line);
    buffer.length += line.length;
    buffer.rows++;
  },
};

async function generateAll() {
  let total = 0;
  for (const [i, unit] of units.entries()) {
    for (const _ of generator.generate(unit, plans[i]!, sink)) {
      dossiersSinceChunk++;
      total++;
      for (const [table, buffer] of buffers) if (buffer.length >= CHUNK_CHARACTERS) await flush(table);
    }
    plans[i] = undefined as never;
  }
  for (const table of COPY_TABLE_NAMES) await flush(table);
  post({ type: 'done', tally: generator.tally, dossiers: dossiersSinceChunk, waitedMs, total });
}

port.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'credit') {
      credits++;
      const resume = waiting;
      waiting = null;
      resume?.();
    } else if (message.type === 'plan') {
      plans = units.map((u) => generator.plan(u));
      post({ type: 'planned', counters: plans.flatMap((p) => p.counters) });
    } else {
      generateAll().catch((error: unknown) =>
        post({
          type: 'failed',
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
      );
    }
  } catch (error) {
    post({
      type: 'failed',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
