// The server under load: started here as `node --import tsx src/main.ts` (as npm start runs it, demo data allowed)
// on the data directory or DATABASE_URL, or one someone else started (--url, --pid). Either way the measured process
// is the app's own Node.js process, and the database is found the way the app's command-line tools find it.
import fs from 'node:fs';
import path from 'node:path';
import { findLiveHolder, isProcessAlive } from '../../src/platform/db/data-dir-lock.ts';
import { APP_LISTENING, Child, START_TIMEOUT_MS, stopLeftoverPostgres, waitForOk } from '../bench-support.ts';
import type { LoadOptions } from './options.ts';

export interface ServerUnderLoad {
  baseUrl: string;
  pid: number;
  /** Started by this run (and stopped at its end), or attached to. */
  child: Child | undefined;
  /** The embedded PostgreSQL's data directory, when the app runs one (for its processes' memory). */
  embeddedDataDir: string | undefined;
  /** Where the sampling and the bare lookup baseline connect. */
  databaseUrl: string;
  /** For the report, without a password. */
  databaseDescription: string;
}

/** The embedded server the app holding the data directory's lock runs: its URL, like openDatabase builds it. */
export function embeddedUrl(dataDir: string, pid: number): string | undefined {
  const holder = findLiveHolder(path.join(dataDir, 'xaso.lock'));
  if (!holder || holder.pid !== pid || !holder.pgPort) return undefined;
  const credentials = JSON.parse(
    fs.readFileSync(path.join(dataDir, 'postgres', 'credentials.json'), 'utf8'),
  ) as { user: string; password: string };
  return `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${holder.pgPort}/xaso`;
}

export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function describe(
  options: LoadOptions,
  pid: number,
): Pick<ServerUnderLoad, 'embeddedDataDir' | 'databaseUrl' | 'databaseDescription'> {
  if (options.databaseUrl)
    return {
      embeddedDataDir: undefined,
      databaseUrl: options.databaseUrl,
      databaseDescription: `DATABASE_URL ${redact(options.databaseUrl)}`,
    };
  const url = embeddedUrl(options.dataDir, pid);
  if (!url)
    throw new Error(
      `Không tìm thấy PostgreSQL nhúng của tiến trình ${pid} trong ${options.dataDir} (tệp xaso.lock). ` +
        'Hãy chỉ --data-dir tới thư mục dữ liệu của máy chủ đó, hoặc đặt DATABASE_URL.',
    );
  return {
    embeddedDataDir: options.dataDir,
    databaseUrl: url,
    databaseDescription: `embedded PostgreSQL in ${options.dataDir}`,
  };
}

export async function startServer(options: LoadOptions): Promise<ServerUnderLoad> {
  // One app per data directory: a running one is measured where it is instead.
  const holder = options.databaseUrl ? undefined : findLiveHolder(path.join(options.dataDir, 'xaso.lock'));
  if (holder)
    throw new Error(
      `Thư mục dữ liệu ${options.dataDir} đang được dùng bởi ${holder.holder} (PID ${holder.pid}). ` +
        (holder.httpPort
          ? `Để đo máy chủ đó: npm run load -- --url http://127.0.0.1:${holder.httpPort} --pid ${holder.pid}`
          : 'Hãy dừng tiến trình đó hoặc chọn --data-dir khác.'),
    );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: options.dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    NODE_ENV: process.env.NODE_ENV ?? 'development',
  };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;
  const child = new Child('xaso', ['--import', 'tsx', 'src/main.ts'], env);
  try {
    const { match } = await child.waitForLine(APP_LISTENING, 'its "xaso đang chạy" line', START_TIMEOUT_MS);
    const port = Number(match[1]);
    await waitForOk(child, port, '/ready');
    return { baseUrl: `http://127.0.0.1:${port}`, pid: child.pid!, child, ...describe(options, child.pid!) };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

export async function attachServer(
  options: LoadOptions,
  attach: { url: string; pid: number },
): Promise<ServerUnderLoad> {
  if (!isProcessAlive(attach.pid))
    throw new Error(
      `Không có tiến trình PID ${attach.pid}: --pid phải là PID của tiến trình Node.js của máy chủ.`,
    );
  const ready = await fetch(`${attach.url}/ready`).catch(() => undefined);
  if (ready?.status !== 200)
    throw new Error(
      `${attach.url}/ready không trả lời 200 (${ready?.status ?? 'không kết nối được'}): máy chủ chưa sẵn sàng.`,
    );
  return { baseUrl: attach.url, pid: attach.pid, child: undefined, ...describe(options, attach.pid) };
}

/** Stops a server this run started (SIGINT: it drains, closes its pool and stops its PostgreSQL). */
export async function stopServer(
  server: ServerUnderLoad,
): Promise<{ stopMs: number; exitCode: number | null } | undefined> {
  if (!server.child) return undefined;
  const stopMs = await server.child.stop();
  if (server.embeddedDataDir) await stopLeftoverPostgres(server.embeddedDataDir);
  return { stopMs, exitCode: server.child.exitCode };
}
