// The two isolated measurements of issue 8, run before the mixed load so nothing else competes with them:
// (1) the tracking lookup's closed-loop throughput (its page and its API) beside a bare Fastify route, and beside
//     bare Fastify doing the same primary-key lookup with pg, in interleaved rounds with the same autocannon
//     settings, medians compared;
// (2) an officer's first queue page over HTTP: a few hundred requests one after another, by signed-in officers of
//     different communes, the page and the API in turn.
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import {
  Child,
  START_TIMEOUT_MS,
  percentile,
  startBare,
  waitForOk,
  writeBareFastifyProbe,
} from '../bench-support.ts';
import type { TrackingTarget } from './sample.ts';
import { queueRequest, type StaffSession } from './workload.ts';

const require = createRequire(import.meta.url);

// Below the anonymous readers' share of the app's default admission limit (¾ of 64 = 48): a closed loop over more
// would measure the limit's 503s, not the lookup.
export const TRACKING_CONNECTIONS = 40;
export const TRACKING_ROUNDS = 3;
const WARMUP_SECONDS = 1;

export interface ClosedLoopRound {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Replies other than 200, errors and timeouts. */
  failures: number;
  requests: number;
}

export type TrackingTargetName = 'page' | 'api' | 'bare' | 'bareLookup';

export interface TrackingPhase {
  connections: number;
  rounds: number;
  seconds: number;
  fastifyVersion: string;
  results: Record<TrackingTargetName, ClosedLoopRound[]>;
}

export interface QueuePhase {
  requests: number;
  officers: number;
  communes: number;
  pageMs: number[];
  apiMs: number[];
  failures: number;
}

/** Bare Fastify with pg: the tracking API's lookup and nothing else (no session, no headers, no audit). */
function writeBareLookupProbe(dir: string): string {
  const script = path.join(dir, 'bare-lookup.mjs');
  const href = (name: string) => JSON.stringify(pathToFileURL(require.resolve(name)).href);
  fs.writeFileSync(
    script,
    [
      `import Fastify from ${href('fastify')};`,
      `import pg from ${href('pg')};`,
      `import crypto from 'node:crypto';`,
      `const pool = new pg.Pool({ connectionString: process.env.LOOKUP_DATABASE_URL, max: 10 });`,
      `const app = Fastify({ logger: false });`,
      `app.get('/api/tracking/:code', async (request, reply) => {`,
      `  const code = request.params.code;`,
      `  const { rows } = await pool.query('select code, status, tracking_secret from dossiers where unit_code = $1 and code = $2', [code.slice(0, 5), code]);`,
      `  const row = rows[0];`,
      `  const given = Buffer.from(String(request.query.ma ?? '').toUpperCase());`,
      `  const expected = Buffer.from(row ? row.tracking_secret : '');`,
      `  if (!row || given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return reply.status(404).send({ error: 'not found' });`,
      `  return { code: row.code, status: row.status };`,
      `});`,
      `app.get('/health', async () => ({ status: 'ok' }));`,
      `await app.listen({ host: '127.0.0.1', port: 0 });`,
      `process.stdout.write('listening ' + app.server.address().port + '\\n');`,
      `process.once('SIGINT', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));`,
      '',
    ].join('\n'),
  );
  return script;
}

/** One closed-loop autocannon round over the tracking targets; every reply must be a 200. */
async function closedLoop(
  baseUrl: string,
  paths: readonly string[],
  seconds: number,
): Promise<ClosedLoopRound> {
  let next = 0;
  const latencies: number[] = [];
  let failures = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
        url: baseUrl,
        connections: TRACKING_CONNECTIONS,
        duration: seconds,
        // The headers a browser sends that matter to the server: the app compresses answers over 1 KB.
        headers: { 'accept-encoding': 'gzip, deflate' },
        requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }],
      },
      (error: unknown, done: autocannon.Result) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done),
    );
    run.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) latencies.push(responseTime);
      else failures++;
    });
  });
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: result.requests.average,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    failures: failures + result.errors + result.timeouts,
    requests: result.requests.total,
  };
}

export async function trackingPhase(options: {
  baseUrl: string;
  databaseUrl: string;
  targets: readonly TrackingTarget[];
  seconds: number;
  workDir: string;
  log: (message: string) => void;
}): Promise<TrackingPhase> {
  const { script: bareScript, fastifyVersion } = writeBareFastifyProbe(options.workDir);
  const bare = await startBare(bareScript);
  const lookupChild = new Child('bare Fastify + pg', [writeBareLookupProbe(options.workDir)], {
    ...process.env,
    LOOKUP_DATABASE_URL: options.databaseUrl,
  });
  try {
    const { match } = await lookupChild.waitForLine(
      /^listening (\d+)$/,
      'its "listening" line',
      START_TIMEOUT_MS,
    );
    const lookupPort = Number(match[1]);
    await waitForOk(lookupChild, lookupPort, '/health');
    const query = (t: TrackingTarget) => `${encodeURIComponent(t.code)}?ma=${encodeURIComponent(t.secret)}`;
    const targets: Record<TrackingTargetName, { url: string; paths: string[] }> = {
      page: { url: options.baseUrl, paths: options.targets.map((t) => `/tra-cuu-ho-so/${query(t)}`) },
      api: { url: options.baseUrl, paths: options.targets.map((t) => `/api/tracking/${query(t)}`) },
      bare: { url: `http://127.0.0.1:${bare.port}`, paths: ['/health'] },
      bareLookup: {
        url: `http://127.0.0.1:${lookupPort}`,
        paths: options.targets.map((t) => `/api/tracking/${query(t)}`),
      },
    };
    const names = Object.keys(targets) as TrackingTargetName[];
    for (const name of names) await closedLoop(targets[name].url, targets[name].paths, WARMUP_SECONDS);
    const results = { page: [], api: [], bare: [], bareLookup: [] } as Record<
      TrackingTargetName,
      ClosedLoopRound[]
    >;
    for (let round = 0; round < TRACKING_ROUNDS; round++) {
      options.log(
        `tra cứu: vòng ${round + 1}/${TRACKING_ROUNDS} (${names.length} × ${options.seconds} giây)`,
      );
      // Rounds interleave the targets so that a drift of the machine affects them alike.
      for (const name of round % 2 === 0 ? names : [...names].reverse())
        results[name].push(await closedLoop(targets[name].url, targets[name].paths, options.seconds));
    }
    return {
      connections: TRACKING_CONNECTIONS,
      rounds: TRACKING_ROUNDS,
      seconds: options.seconds,
      fastifyVersion,
      results,
    };
  } finally {
    await lookupChild.stop();
    await bare.child.stop();
  }
}

function timedGet(agent: http.Agent, baseUrl: string, headers: Record<string, string>, urlPath: string) {
  const url = new URL(baseUrl);
  return new Promise<{ status: number; ms: number }>((resolve, reject) => {
    const startedAt = performance.now();
    const request = http.get(
      { host: url.hostname, port: url.port, path: urlPath, headers, agent, timeout: 10_000 },
      (response) => {
        response.resume();
        response.once('end', () =>
          resolve({ status: response.statusCode ?? 0, ms: performance.now() - startedAt }),
        );
        response.once('error', reject);
      },
    );
    request.once('timeout', () => request.destroy(new Error(`GET ${urlPath}: quá 10 giây không trả lời`)));
    request.once('error', reject);
  });
}

/** The first queue page, one request at a time over one keep-alive connection, officers taken in turn. */
export async function queuePhase(options: {
  baseUrl: string;
  staff: readonly StaffSession[];
  requests: number;
  log: (message: string) => void;
}): Promise<QueuePhase> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const pageMs: number[] = [];
  const apiMs: number[] = [];
  let failures = 0;
  const warmup = Math.min(30, options.requests);
  try {
    for (let i = 0; i < warmup + options.requests; i++) {
      const staff = options.staff[Math.floor(i / 2) % options.staff.length]!;
      const step = queueRequest(staff, i % 2 === 0);
      const { status, ms } = await timedGet(agent, options.baseUrl, step.headers, step.path);
      if (status !== 200) failures++;
      else if (i >= warmup) (step.label === 'queue page' ? pageMs : apiMs).push(ms);
    }
  } finally {
    agent.destroy();
  }
  return {
    requests: options.requests,
    officers: options.staff.length,
    communes: new Set(options.staff.map((s) => s.officer.unitCode)).size,
    pageMs,
    apiMs,
    failures,
  };
}
