// One app process per embedded data directory (DESIGN.md, "One writer per embedded data directory").
// The lock file records who holds it and where its PostgreSQL listens, so command-line tools can connect to the
// running server instead of opening the files, and a second app process is refused with a message naming the
// first. A lock left by a process that no longer runs (kill -9, power cut) is taken over.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LockInfo {
  pid: number;
  hostname: string;
  startedAt: string;
  /** What holds the lock: the app, or a command-line tool that started the server itself. */
  holder: string;
  httpPort?: number;
  pgPort?: number;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockInfo,
  ) {
    super(
      `Thư mục dữ liệu ${path.dirname(lockPath)} đang được dùng bởi một tiến trình xaso khác ` +
        `(${holder.holder}, PID ${holder.pid} trên máy ${holder.hostname}, chạy từ ${holder.startedAt}` +
        `${holder.httpPort ? `, cổng ${holder.httpPort}` : ''}). ` +
        `Hãy dừng tiến trình đó (Ctrl-C) hoặc đặt DATA_DIR khác. ` +
        `(The data directory is in use by another xaso process, PID ${holder.pid}.)`,
    );
    this.name = 'DataDirLockedError';
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(lockPath: string): LockInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

/** The lock's holder if it is a live process on this machine, else undefined. */
export function findLiveHolder(lockPath: string): LockInfo | undefined {
  const info = readLock(lockPath);
  if (!info || info.hostname !== os.hostname() || !isProcessAlive(info.pid) || info.pid === process.pid) {
    return undefined;
  }
  return info;
}

export class DataDirLock {
  private constructor(
    readonly lockPath: string,
    private info: LockInfo,
  ) {}

  static acquire(dataDir: string, holder: string): DataDirLock {
    fs.mkdirSync(dataDir, { recursive: true });
    const lockPath = path.join(dataDir, 'xaso.lock');
    const info: LockInfo = {
      pid: process.pid,
      hostname: os.hostname(),
      startedAt: new Date(Date.now()).toISOString(),
      holder,
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.writeFileSync(lockPath, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
        return new DataDirLock(lockPath, info);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const live = findLiveHolder(lockPath);
        if (live) throw new DataDirLockedError(lockPath, live);
        // Stale: its process is gone. Remove it and try again (another starter may win the race; then we refuse).
        fs.rmSync(lockPath, { force: true });
      }
    }
    const live = readLock(lockPath);
    throw new DataDirLockedError(lockPath, live ?? info);
  }

  update(fields: Partial<LockInfo>): void {
    this.info = { ...this.info, ...fields };
    fs.writeFileSync(this.lockPath, JSON.stringify(this.info), { mode: 0o600 });
  }

  release(): void {
    const current = readLock(this.lockPath);
    if (current?.pid === process.pid) fs.rmSync(this.lockPath, { force: true });
  }
}
