// The mixed workload as one autocannon run at a fixed overall rate. Each autocannon connection is given its own
// plan (workload.ts) through setupClient, so its requests carry that person's cookie, CSRF token, body and the state
// of their journey; every reply is checked and timed here, per kind, because autocannon's own figures cannot tell
// the kinds apart. autocannon opens at most one connection per request per second (its overallRate is spread as
// whole requests per connection per second), so the connections asked for beyond that are held open idle by this
// module, as the many phones that keep a connection open between two clicks.
import net from 'node:net';
import autocannon from 'autocannon';
import { percentile } from '../bench-support.ts';
import type { Monitor } from './monitor.ts';
import { KINDS, type Kind, type Plan, type Reply, type Step } from './workload.ts';

/**
 * The parts of autocannon 8.0.0's Client (lib/httpClient.js) that meter a connection's rate: a one-second interval,
 * made when the connection is, that resets its budget and sends a request the connection held back.
 */
interface MeteredClient {
  rateInterval: NodeJS.Timeout | undefined;
  reqsMadeThisSecond: number;
  paused: boolean;
  destroyed: boolean;
  cer: unknown;
  _doRequest(cer: unknown): void;
}

/**
 * A fixed arrival rate rather than a burst each second. autocannon starts every connection's one-second interval as it
 * opens the connection, all within a few milliseconds, so every connection sends at the same instant each second: at
 * 40 requests/s on an idle server that alone made the median 120 ms (40 requests queued behind each other). Each
 * connection's interval is moved to its own slot of the second instead, the slots evenly spread, so the requests
 * arrive one after another at the offered rate; the budget logic is autocannon's, unchanged.
 */
function spreadRateSlot(client: unknown, slot: number, slots: number): boolean {
  const metered = client as MeteredClient;
  if (metered.rateInterval === undefined || typeof metered._doRequest !== 'function') return false;
  clearInterval(metered.rateInterval);
  const tick = () => {
    metered.reqsMadeThisSecond = 0;
    if (metered.paused) metered._doRequest(metered.cer);
    metered.paused = false;
  };
  setTimeout(
    () => {
      if (metered.destroyed) return;
      tick();
      // Stored where autocannon clears it when the connection is destroyed.
      metered.rateInterval = setInterval(tick, 1000);
    },
    (slot / slots) * 1000,
  );
  return true;
}

/** How often an idle connection asks for /health: often enough for Fastify's 72 s keep-alive timeout, no more. */
const IDLE_PING_MS = 60_000;
const REQUEST_TIMEOUT_SECONDS = 10;
const ERROR_SAMPLES_PER_LABEL = 5;

/**
 * `garbled`: a reply autocannon parsed without a status line. It happens on a connection that timed out before:
 * autocannon reconnects but keeps its HTTP parser in the middle of the old reply (autocannon 8.0.0).
 */
export type ErrorType = 'status' | 'timeout' | 'socket' | 'closed' | 'garbled';
/** A request that got no reply at all. */
type LostType = Exclude<ErrorType, 'status'>;

export interface LatencyFigures {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface ErrorSample {
  atSeconds: number;
  type: ErrorType;
  method: string;
  path: string;
  status?: number;
  location?: string;
  body?: string;
}

export interface Tally {
  kind: Kind;
  label: string;
  /** Replies in the measured window (expected or not). */
  replies: number;
  expected: number;
  /** Unexpected replies by status, and requests that got none, in the measured window. */
  errors: {
    byStatus: Record<string, number>;
    timeout: number;
    socket: number;
    closed: number;
    garbled: number;
  };
  latency: LatencyFigures;
  samples: ErrorSample[];
}

export interface MixedResult {
  rate: number;
  connectionsAsked: number;
  loadConnections: number;
  idleConnections: number;
  requestsPerConnectionPerSecond: number;
  warmupSeconds: number;
  /** The measured window as it ran (the generator's clock). */
  windowSeconds: number;
  sentPerSecond: number;
  /** Requests sent in the busiest tenth of a second of the window (an even arrival rate sends rate/10). */
  sentInBusiestTenth: number;
  /** Connections that kept autocannon's own one-second metering (all at once): 0 when arrivals were spread. */
  unspreadConnections: number;
  repliesPerSecond: number;
  /** Requests still waiting for their reply when autocannon stopped (not counted as errors). */
  inFlightAtEnd: number;
  overall: LatencyFigures;
  errorsTotal: number;
  errorsByType: Record<ErrorType, number>;
  kinds: Record<Kind, Tally & { connections: number }>;
  labels: Tally[];
  warmup: { replies: number; errors: number };
  perSecond: { second: number; sent: number; replies: number; errors: number }[];
  idle: { opened: number; closedEarly: number; pings: number };
  autocannon: {
    requests: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    /** autocannon's histogram: the whole run with its warm-up, every kind, corrected for coordinated omission. */
    latency: { p50: number; p97_5: number; p99: number; max: number };
  };
}

interface Bucket {
  kind: Kind;
  label: string;
  latencies: number[];
  replies: number;
  expected: number;
  byStatus: Map<number, number>;
  lost: Record<LostType, number>;
  samples: ErrorSample[];
}

function figures(values: number[]): LatencyFigures {
  const sorted = Float64Array.from(values).sort();
  const count = sorted.length;
  return {
    count,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: count ? sorted[count - 1]! : Number.NaN,
    mean: count ? values.reduce((a, b) => a + b, 0) / count : Number.NaN,
  };
}

function tallyOf(bucket: Bucket): Tally {
  return {
    kind: bucket.kind,
    label: bucket.label,
    replies: bucket.replies,
    expected: bucket.expected,
    errors: {
      byStatus: Object.fromEntries([...bucket.byStatus].map(([status, n]) => [String(status), n])),
      ...bucket.lost,
    },
    latency: figures(bucket.latencies),
    samples: bucket.samples,
  };
}

export function errorsOf(t: Tally): number {
  const { byStatus, ...lost } = t.errors;
  return [...Object.values(byStatus), ...Object.values(lost)].reduce((a, b) => a + b, 0);
}

/** Connections that only hold a keep-alive socket open, asking for /health once a minute. */
async function openIdleConnections(host: string, port: number, count: number) {
  const sockets = new Set<net.Socket>();
  const state = { opened: 0, closedEarly: 0, pings: 0, closing: false };
  const ping = (socket: net.Socket) => {
    state.pings++;
    socket.write(`GET /health HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: keep-alive\r\n\r\n`);
  };
  // In batches, so the server's listen backlog (511) is never overrun by the idle ones.
  for (let i = 0; i < count; i += 200) {
    await Promise.all(
      Array.from(
        { length: Math.min(200, count - i) },
        () =>
          new Promise<void>((resolve) => {
            const socket = net.connect(port, host, () => {
              state.opened++;
              ping(socket);
              resolve();
            });
            socket.on('data', () => {});
            socket.on('error', () => resolve());
            socket.on('close', () => {
              sockets.delete(socket);
              if (!state.closing) state.closedEarly++;
            });
            sockets.add(socket);
          }),
      ),
    );
  }
  const timer = setInterval(() => {
    for (const socket of sockets) ping(socket);
  }, IDLE_PING_MS);
  return {
    state,
    close() {
      state.closing = true;
      clearInterval(timer);
      for (const socket of sockets) socket.destroy();
    },
  };
}

export async function runMixed(options: {
  baseUrl: string;
  rate: number;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** One plan per autocannon connection: loadConnections(rate, connections) of them. */
  plans: readonly Plan[];
  monitor: Monitor;
  /** Called when the measured window starts (after the warm-up). */
  onWindowStart?: () => void;
  log: (message: string) => void;
}): Promise<MixedResult> {
  const { plans, monitor } = options;
  const url = new URL(options.baseUrl);
  const loadConnections = plans.length;
  const idleCount = Math.max(0, options.connections - loadConnections);
  const idle = await openIdleConnections(url.hostname, Number(url.port), idleCount);
  if (idleCount > 0)
    options.log(`đã mở ${idle.state.opened}/${idleCount} kết nối chờ (keep-alive, GET /health mỗi phút)`);

  const buckets = new Map<string, Bucket>();
  const bucketOf = (step: Step): Bucket => {
    const key = `${step.kind}\u0000${step.label}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = {
        kind: step.kind,
        label: step.label,
        latencies: [],
        replies: 0,
        expected: 0,
        byStatus: new Map(),
        lost: { timeout: 0, socket: 0, closed: 0, garbled: 0 },
        samples: [],
      };
      buckets.set(key, bucket);
    }
    return bucket;
  };

  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  const perSecond: MixedResult['perSecond'] = [];
  const second = (at: number) => {
    const index = Math.floor((at - windowStart) / 1000);
    while (perSecond.length <= index)
      perSecond.push({ second: perSecond.length, sent: 0, replies: 0, errors: 0 });
    return perSecond[index]!;
  };
  const inWindow = (at: number) => at >= windowStart && at < windowEnd;
  /** Requests sent in each tenth of a second of the window: how even the arrivals were. */
  const tenths: number[] = [];
  const warmup = { replies: 0, errors: 0 };
  let replies = 0;
  const allLatencies: number[] = [];

  const record = (step: Step, at: number, outcome: { reply: Reply; ok: boolean; ms: number } | LostType) => {
    const isReply = typeof outcome !== 'string';
    const isError = !isReply || !outcome.ok;
    if (!inWindow(at)) {
      if (at < windowStart) {
        if (isReply) warmup.replies++;
        if (isError) warmup.errors++;
      }
      return;
    }
    const bucket = bucketOf(step);
    const slot = second(at);
    if (isError) slot.errors++;
    if (isReply) {
      replies++;
      slot.replies++;
      bucket.replies++;
      bucket.latencies.push(outcome.ms);
      allLatencies.push(outcome.ms);
      if (outcome.ok) bucket.expected++;
      else bucket.byStatus.set(outcome.reply.status, (bucket.byStatus.get(outcome.reply.status) ?? 0) + 1);
    } else bucket.lost[outcome]++;
    if (isError && bucket.samples.length < ERROR_SAMPLES_PER_LABEL)
      bucket.samples.push({
        atSeconds: Math.round(at - windowStart) / 1000,
        type: isReply ? 'status' : outcome,
        method: step.method,
        path: step.path,
        ...(isReply
          ? {
              status: outcome.reply.status,
              location: outcome.reply.location,
              body: outcome.reply.body.slice(0, 400),
            }
          : {}),
      });
  };

  interface Connection {
    plan: Plan;
    inFlight: Step | undefined;
    sentAt: number;
    /** A request that lost its reply, waiting to learn why (a timeout is announced just after). */
    lost: { step: Step; at: number; cause: LostType } | undefined;
  }
  const connections: Connection[] = [];
  /** Connections whose rate slot could not be moved (an autocannon other than 8.0.0): they send in bursts. */
  let unspread = 0;
  let firstOpenedAt: number | undefined;

  const lose = (connection: Connection, cause: LostType) => {
    const step = connection.inFlight;
    if (!step) return;
    connection.inFlight = undefined;
    connection.plan.settle(step, undefined);
    const lost = { step, at: monitor.now(), cause };
    connection.lost = lost;
    // autocannon reconnects and asks for the next request before it reports the timeout: the cause is settled then.
    setImmediate(() => {
      if (connection.lost === lost) connection.lost = undefined;
      record(lost.step, lost.at, lost.cause);
    });
  };

  let finish: (error: unknown, result: autocannon.Result) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result);
  });
  const instance = autocannon(
    {
      url: options.baseUrl,
      connections: loadConnections,
      overallRate: options.rate,
      duration: options.warmupSeconds + options.durationSeconds,
      timeout: REQUEST_TIMEOUT_SECONDS,
      pipelining: 1,
      // Replaced on every connection by its own plan (setupClient).
      requests: [{ method: 'GET', path: '/health' }],
      setupClient(client) {
        const slot = connections.length;
        const plan = plans[slot % plans.length]!;
        // The client's rate interval is made right after this function returns.
        setImmediate(() => {
          if (!spreadRateSlot(client, slot, loadConnections)) unspread++;
        });
        firstOpenedAt ??= monitor.now();
        const connection: Connection = { plan, inFlight: undefined, sentAt: 0, lost: undefined };
        connections.push(connection);
        // Events autocannon's Client emits but its type does not declare.
        const events = client as unknown as NodeJS.EventEmitter;
        events.on('timeout', () => {
          if (connection.lost) connection.lost.cause = 'timeout';
        });
        events.on('connError', () => lose(connection, 'socket'));
        client.setRequests([
          {
            setupRequest(request) {
              // A request still in flight when the next is asked for got no reply: the connection was reset.
              if (connection.inFlight) lose(connection, 'closed');
              const step = plan.next();
              connection.inFlight = step;
              connection.sentAt = monitor.now();
              if (inWindow(connection.sentAt)) {
                second(connection.sentAt).sent++;
                const tenth = Math.floor((connection.sentAt - windowStart) / 100);
                tenths[tenth] = (tenths[tenth] ?? 0) + 1;
              }
              return {
                ...request,
                method: step.method,
                path: step.path,
                headers: step.headers,
                body: step.body,
              };
            },
            onResponse(status, body, _context, headers) {
              const step = connection.inFlight;
              if (!step) return;
              connection.inFlight = undefined;
              const at = monitor.now();
              if (typeof status !== 'number') {
                plan.settle(step, undefined);
                record(step, at, 'garbled');
                return;
              }
              const location = headers?.location;
              const reply: Reply = {
                status,
                location: typeof location === 'string' ? location : undefined,
                body,
              };
              const ok = plan.settle(step, reply);
              record(step, at, { reply, ok, ms: at - connection.sentAt });
            },
          },
        ]);
      },
    },
    (error: unknown, result: autocannon.Result) => finish(error, result),
  );

  // The window opens after the warm-up, counted from the first connection autocannon opened.
  await new Promise<void>((resolve) => instance.once('start', () => resolve()));
  const openedAt = firstOpenedAt ?? monitor.now();
  windowStart = openedAt + options.warmupSeconds * 1000;
  windowEnd = windowStart + options.durationSeconds * 1000;
  await new Promise((resolve) => setImmediate(resolve));
  if (unspread > 0)
    options.log(
      `cảnh báo: ${unspread} kết nối không rải được vào khe thời gian riêng (autocannon khác bản 8.0.0?): ` +
        'các yêu cầu đến theo từng đợt mỗi giây',
    );
  options.log(
    `${loadConnections} kết nối tải đã mở (${options.rate} yêu cầu/giây); ` +
      `khởi động ${options.warmupSeconds} giây, đo ${options.durationSeconds} giây`,
  );
  const windowTimer = setTimeout(
    () => {
      monitor.markWindowStart();
      options.onWindowStart?.();
    },
    Math.max(0, windowStart - monitor.now()),
  );
  const result = await done;
  clearTimeout(windowTimer);
  idle.close();
  const windowSeconds = Math.max(0.001, (Math.min(windowEnd, monitor.now()) - windowStart) / 1000);
  const sentInWindow = perSecond.reduce((sum, s) => sum + s.sent, 0);

  const labels = [...buckets.values()].map(tallyOf);
  const kinds = {} as MixedResult['kinds'];
  for (const kind of KINDS) {
    const mine = [...buckets.values()].filter((b) => b.kind === kind);
    const merged: Bucket = {
      kind,
      label: '',
      latencies: mine.flatMap((b) => b.latencies),
      replies: mine.reduce((s, b) => s + b.replies, 0),
      expected: mine.reduce((s, b) => s + b.expected, 0),
      byStatus: new Map(),
      lost: { timeout: 0, socket: 0, closed: 0, garbled: 0 },
      samples: mine.flatMap((b) => b.samples).slice(0, ERROR_SAMPLES_PER_LABEL),
    };
    for (const b of mine) {
      for (const [status, n] of b.byStatus)
        merged.byStatus.set(status, (merged.byStatus.get(status) ?? 0) + n);
      for (const type of ['timeout', 'socket', 'closed', 'garbled'] as const)
        merged.lost[type] += b.lost[type];
    }
    kinds[kind] = { ...tallyOf(merged), connections: plans.filter((p) => p.kind === kind).length };
  }
  const errorsByType: Record<ErrorType, number> = { status: 0, timeout: 0, socket: 0, closed: 0, garbled: 0 };
  for (const t of labels) {
    errorsByType.status += Object.values(t.errors.byStatus).reduce((a, b) => a + b, 0);
    for (const type of ['timeout', 'socket', 'closed', 'garbled'] as const)
      errorsByType[type] += t.errors[type];
  }
  return {
    rate: options.rate,
    connectionsAsked: options.connections,
    loadConnections,
    idleConnections: idleCount,
    requestsPerConnectionPerSecond: options.rate / loadConnections,
    warmupSeconds: options.warmupSeconds,
    windowSeconds,
    sentPerSecond: sentInWindow / windowSeconds,
    sentInBusiestTenth: tenths.reduce((max, n) => Math.max(max, n ?? 0), 0),
    unspreadConnections: unspread,
    repliesPerSecond: replies / windowSeconds,
    inFlightAtEnd: connections.filter((c) => c.inFlight !== undefined).length,
    overall: figures(allLatencies),
    errorsTotal: Object.values(errorsByType).reduce((a, b) => a + b, 0),
    errorsByType,
    kinds,
    labels,
    warmup,
    perSecond: perSecond.slice(0, Math.ceil(options.durationSeconds)),
    idle: { opened: idle.state.opened, closedEarly: idle.state.closedEarly, pings: idle.state.pings },
    autocannon: {
      requests: result.requests.total,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      latency: {
        p50: result.latency.p50,
        p97_5: result.latency.p97_5,
        p99: result.latency.p99,
        max: result.latency.max,
      },
    },
  };
}

/** autocannon's rule: with overallRate below the connections asked for, it opens one per request per second. */
export function loadConnectionsFor(rate: number, connections: number): number {
  return Math.min(rate, connections);
}
