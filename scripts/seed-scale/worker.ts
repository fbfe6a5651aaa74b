// A generation thread: plans its units' numbering, then generates their dossiers as COPY text, handed to the main
// thread in chunks of a megabyte per table. Each chunk spends a credit the main thread gives back once the
// database has taken it, so a slow table holds the thread back instead of filling the memory.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { CopyTable } from './copy-text.ts';
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
  | { type: 'chunk'; table: CopyTable; rows: number; buffer: ArrayBuffer; length: number; dossiers: number }
  /** `waitedMs`: how long the thread waited for the database to take its rows (0: generating was the limit). */
  /** `cpuSeconds`: CPU time of this thread (Linux), null where the system does not tell. */
  | {
      type: 'done';
      tally: UnitGenerator['tally'];
      dossiers: number;
      waitedMs: number;
      total: number;
      cpuSeconds: number | null;
    }
  | { type: 'failed'; message: string };

/** Bytes per chunk: each line is encoded into the chunk as it is made, so no string outlives its dossier. */
const CHUNK_BYTES = 1 << 20;

const port = parentPort!;
const data = workerData as WorkerData;
const generator = new UnitGenerator(data.input);
const units = data.assigned.map((i) => data.input.units[i]!);
let plans: (UnitPlan | undefined)[] = [];
let credits = data.credits;
let waiting: (() => void) | null = null;
let waitedMs = 0;
let dossiersSinceChunk = 0;

interface Chunk {
  table: CopyTable;
  bytes: Buffer;
  length: number;
  rows: number;
}

const open = new Map<CopyTable, Chunk>();
/** Full chunks waiting for a credit, in the order they filled. */
const ready: Chunk[] = [];

function newChunk(table: CopyTable, size = CHUNK_BYTES): Chunk {
  // Its own memory (not Node's shared pool), so it can be transferred.
  return { table, bytes: Buffer.from(new ArrayBuffer(size)), length: 0, rows: 0 };
}

const sink = {
  row(table: CopyTable, line: string) {
    let chunk = open.get(table);
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (!chunk || chunk.bytes.length - chunk.length < line.length * 3) {
      if (chunk && chunk.rows > 0) ready.push(chunk);
      chunk = newChunk(table, Math.max(CHUNK_BYTES, line.length * 3));
      open.set(table, chunk);
    }
    chunk.length += chunk.bytes.write(line, chunk.length);
    chunk.rows++;
  },
};

/** This thread's CPU time from /proc/thread-self/stat (user + system, in clock ticks of 1/100 s). */
function threadCpu(): number | null {
  try {
    const fields = fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function post(message: FromWorker, transfer: ArrayBuffer[] = []) {
  port.postMessage(message, transfer);
}

async function send(chunk: Chunk) {
  const waitStarted = performance.now();
  while (credits <= 0) await new Promise<void>((resolve) => (waiting = resolve));
  waitedMs += performance.now() - waitStarted;
  credits--;
  const message: FromWorker = {
    type: 'chunk',
    table: chunk.table,
    rows: chunk.rows,
    buffer: chunk.bytes.buffer as ArrayBuffer,
    length: chunk.length,
    dossiers: dossiersSinceChunk,
  };
  dossiersSinceChunk = 0;
  post(message, [message.buffer]);
}

async function generateAll() {
  let total = 0;
  for (const [i, unit] of units.entries()) {
    for (const _ of generator.generate(unit, plans[i]!, sink)) {
      dossiersSinceChunk++;
      total++;
      while (ready.length > 0) await send(ready.shift()!);
    }
    plans[i] = undefined;
  }
  for (const chunk of open.values()) if (chunk.rows > 0) ready.push(chunk);
  while (ready.length > 0) await send(ready.shift()!);
  post({
    type: 'done',
    tally: generator.tally,
    dossiers: dossiersSinceChunk,
    waitedMs,
    total,
    cpuSeconds: threadCpu(),
  });
}

port.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'credit') {
      credits++;
      const resume = waiting;
      waiting = null;
      resume?.();
    } else if (message.type === 'plan') {
      const made = units.map((u) => generator.plan(u));
      plans = made;
      post({ type: 'planned', counters: made.flatMap((p) => p.counters) });
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
