// Opens the database the process works with: the external server of DATABASE_URL, or the embedded one under
// DATA_DIR. A command-line tool finds the embedded server the running app started (its port is in the lock file)
// and connects to it instead of opening the files; if no app runs, it starts the server itself for its run.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Config } from '../../config.ts';
import { DataDirLock, findLiveHolder } from './data-dir-lock.ts';
import { EmbeddedServer } from './embedded-server.ts';

export type Db = NodePgDatabase<Record<string, never>>;

export interface Database {
  pool: pg.Pool;
  db: Db;
  /** Where it connected, without the password, for logs. */
  description: string;
  embedded: EmbeddedServer | undefined;
  lock: DataDirLock | undefined;
  close(): Promise<void>;
}

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return pool;
}

function wrap(
  pool: pg.Pool,
  description: string,
  extra: Partial<Database>,
  onClose: () => Promise<void>,
): Database {
  return {
    pool,
    db: drizzle(pool),
    description,
    embedded: extra.embedded,
    lock: extra.lock,
    close: async () => {
      await pool.end();
      await onClose();
    },
  };
}

function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    url.password = url.password ? '***' : '';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}

export interface OpenOptions {
  /** Who holds the data-directory lock if this call starts the embedded server. */
  holder: string;
  /** The app must own the data directory; a tool may connect to the app's running server. */
  mayShareRunningServer: boolean;
  log?: (message: string) => void;
  poolSize?: number;
}

export async function openDatabase(config: Config, options: OpenOptions): Promise<Database> {
  if (config.databaseUrl) {
    const pool = createPool(config.databaseUrl, options.poolSize);
    return wrap(pool, redact(config.databaseUrl), {}, async () => {});
  }

  const lockPath = path.join(config.dataDir, 'xaso.lock');
  const clusterDir = path.join(config.dataDir, 'postgres');
  if (options.mayShareRunningServer) {
    const running = findLiveHolder(lockPath);
    if (running?.pgPort) {
      const credentials = JSON.parse(fs.readFileSync(path.join(clusterDir, 'credentials.json'), 'utf8')) as {
        user: string;
        password: string;
      };
      const url = `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${running.pgPort}/xaso`;
      return wrap(createPool(url, options.poolSize), redact(url), {}, async () => {});
    }
  }

  const lock = DataDirLock.acquire(config.dataDir, options.holder);
  const embedded = new EmbeddedServer({
    clusterDir,
    port: config.embeddedPgPort,
    ownedRoot: config.dataDir,
    log: options.log,
  });
  try {
    await embedded.start();
    await ensureDatabase(embedded.connectionString('postgres'), 'xaso');
    lock.update({ pgPort: embedded.port });
  } catch (error) {
    await embedded.stop().catch(() => {});
    lock.release();
    throw error;
  }
  const url = embedded.connectionString('xaso');
  return wrap(createPool(url, options.poolSize), redact(url), { embedded, lock }, async () => {
    await embedded.stop();
    lock.release();
  });
}

export async function ensureDatabase(adminConnectionString: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminConnectionString });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

export type DbTransaction = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything a repository can run a query on: the database or an open transaction. */
export type Executor = Db | DbTransaction;
