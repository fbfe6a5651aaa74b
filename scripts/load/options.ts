// The command line of `npm run load`, parsed once into a frozen, typed LoadOptions; every problem is reported at
// once, in Vietnamese, like src/config.ts does for the app.
import path from 'node:path';
import { parseArgs } from 'node:util';

export interface LoadOptions {
  /** Requests per second offered by the mixed workload (autocannon's overallRate). */
  readonly rate: number;
  /** Connections held open to the server during the mixed workload. */
  readonly connections: number;
  /** Measured seconds of the mixed workload. */
  readonly durationSeconds: number;
  /** Seconds of the same workload before the measured window (its responses are counted apart). */
  readonly warmupSeconds: number;
  /** A server someone else started: its base URL and the PID of its Node.js process. */
  readonly attach: { readonly url: string; readonly pid: number } | undefined;
  /** The app's data directory (embedded PostgreSQL; also where an attached server's lock file is read). */
  readonly dataDir: string;
  /** An external PostgreSQL instead of the embedded one. */
  readonly databaseUrl: string | undefined;
  /** Where the JSON report goes. */
  readonly outDir: string;
  /** Seconds of each closed-loop round of the tracking phase; 0 leaves the isolated phases out. */
  readonly phaseSeconds: number;
  /** Sequential requests of the queue phase. */
  readonly queueRequests: number;
  /** Seed of every random choice (sampling, the order of the connections' work), for a repeatable run. */
  readonly seed: number;
}

export const USAGE = `Cách dùng: npm run load -- [tùy chọn]

Chạy tải hỗn hợp (tra cứu hồ sơ, danh mục thủ tục, nộp trực tuyến, hàng đợi và thao tác của cán bộ) với tốc độ
cố định qua nhiều kết nối mở, sau hai phép đo riêng (tra cứu so với route Fastify trần; trang hàng đợi đầu tiên).

  --rate N            số yêu cầu mỗi giây (mặc định 1000)
  --connections N     số kết nối mở tới máy chủ (mặc định 2000)
  --duration S        số giây đo (mặc định 60)
  --warmup S          số giây khởi động trước khi đo (mặc định 10)
  --data-dir DIR      thư mục dữ liệu của ứng dụng (mặc định DATA_DIR hoặc ./data); DATABASE_URL nếu có
  --url URL --pid PID đo một máy chủ đã chạy sẵn (PID của tiến trình Node.js của nó) thay vì tự khởi động
  --out DIR           nơi ghi báo cáo JSON (mặc định bench-results)
  --phase-seconds S   độ dài mỗi vòng đo tra cứu (mặc định 5; 0 bỏ qua hai phép đo riêng)
  --queue-requests N  số yêu cầu tuần tự của phép đo hàng đợi (mặc định 300)
  --seed N            hạt giống của các lựa chọn ngẫu nhiên (mặc định 2026)
`;

export class LoadOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Tùy chọn không hợp lệ:\n${problems.map((p) => `  - ${p}`).join('\n')}\n\n${USAGE}`);
    this.name = 'LoadOptionsError';
  }
}

export function parseLoadOptions(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): LoadOptions {
  const problems: string[] = [];
  let values: Record<string, string | boolean | undefined> = {};
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        rate: { type: 'string' },
        connections: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        'data-dir': { type: 'string' },
        url: { type: 'string' },
        pid: { type: 'string' },
        out: { type: 'string' },
        'phase-seconds': { type: 'string' },
        'queue-requests': { type: 'string' },
        seed: { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw new LoadOptionsError([error instanceof Error ? error.message : String(error)]);
  }
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = values[name];
    if (typeof raw !== 'string') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`--${name} ${raw}: phải là số nguyên từ ${min} đến ${max}.`);
      return fallback;
    }
    return Number(raw);
  };

  const rate = integer('rate', 1000, 1, 100_000);
  const connections = integer('connections', 2000, 1, 10_000);
  const durationSeconds = integer('duration', 60, 1, 3600);
  const warmupSeconds = integer('warmup', 10, 0, 600);
  const phaseSeconds = integer('phase-seconds', 5, 0, 120);
  const queueRequests = integer('queue-requests', 300, 2, 100_000);
  const seed = integer('seed', 2026, 0, 2 ** 31 - 1);

  let attach: LoadOptions['attach'];
  const url = typeof values.url === 'string' ? values.url : undefined;
  const pidText = typeof values.pid === 'string' ? values.pid : undefined;
  if (url !== undefined || pidText !== undefined) {
    if (url === undefined || pidText === undefined) {
      problems.push('--url và --pid đi cùng nhau: địa chỉ của máy chủ và PID tiến trình Node.js của nó.');
    } else {
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        // Reported below.
      }
      if (!parsed || parsed.protocol !== 'http:')
        problems.push(`--url ${url}: phải là địa chỉ http://máy:cổng của máy chủ xaso.`);
      if (!/^\d+$/.test(pidText) || Number(pidText) < 1)
        problems.push(`--pid ${pidText}: phải là PID (số nguyên dương) của tiến trình Node.js của máy chủ.`);
      if (parsed && parsed.protocol === 'http:' && /^\d+$/.test(pidText))
        attach = Object.freeze({ url: parsed.origin, pid: Number(pidText) });
    }
  }

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL: phải bắt đầu bằng postgres:// hoặc postgresql://.');
  const dataDirText = typeof values['data-dir'] === 'string' ? values['data-dir'] : env.DATA_DIR?.trim();
  const outText = typeof values.out === 'string' ? values.out : 'bench-results';

  if (problems.length > 0) throw new LoadOptionsError(problems);
  return Object.freeze({
    rate,
    connections,
    durationSeconds,
    warmupSeconds,
    attach,
    dataDir: path.resolve(cwd, dataDirText || 'data'),
    databaseUrl,
    outDir: path.resolve(cwd, outText),
    phaseSeconds,
    queueRequests,
    seed,
  });
}
