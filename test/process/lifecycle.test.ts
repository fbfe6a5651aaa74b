// The real process, as `npm start` runs it: one writer per data directory, recovery after kill -9 with nothing
// acknowledged lost, a clean Ctrl-C, and an external server through DATABASE_URL.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { isProcessAlive } from '../../src/platform/db/data-dir-lock.ts';
import { testAdminUrl } from '../support/database.ts';

const DEMO_PASSWORD = 'demo-xaso-2026';

interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
}

function startApp(env: Record<string, string>): {
  child: ChildProcess;
  ready: Promise<Running>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: '0',
      LOG_LEVEL: 'warn',
      XASO_TEST_ADMIN_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<Running>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /đang chạy tại http:\/\/localhost:(\d+)/.exec(output);
      if (match) resolve({ child, port: Number(match[1]), output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`the app exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, ready, exited };
}

class Client {
  private cookie = '';
  constructor(private readonly base: string) {}

  async fetch(url: string, init: RequestInit = {}) {
    const response = await fetch(this.base + url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
    });
    const set = response.headers.getSetCookie();
    const jar = new Map(
      this.cookie ? this.cookie.split('; ').map((c) => c.split('=') as [string, string]) : [],
    );
    for (const c of set) {
      const [pair] = c.split(';');
      const [name, ...rest] = pair!.split('=');
      jar.set(name!, rest.join('='));
    }
    this.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    return response;
  }

  async command(method: string, url: string, body: unknown) {
    const { token } = (await (await this.fetch('/api/session/csrf-token')).json()) as { token: string };
    return this.fetch(url, {
      method,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-csrf-token': token },
    });
  }
}

function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'postgres', 'pgdata', 'postmaster.pid');
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) {
    const pid = postmasterPid(dir);
    if (pid && isProcessAlive(pid)) process.kill(pid, 'SIGQUIT');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('the app process on an embedded data directory', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-process-'));
  dirs.push(dataDir);

  test('refuses a second process, survives kill -9 without losing acknowledged writes, stops cleanly', async () => {
    const first = startApp({ DATA_DIR: dataDir });
    children.push(first.child);
    const app = await first.ready;
    assert.match(
      app.output(),
      /Tài khoản mẫu \(mật khẩu chung: demo-xaso-2026\)/,
      'demo credentials printed on first start',
    );

    // A second process on the same data directory is refused, naming the first.
    const second = startApp({ DATA_DIR: dataDir });
    children.push(second.child);
    second.ready.catch(() => {}); // it is meant never to become ready
    let secondOutput = '';
    second.child.stderr!.on('data', (c: Buffer) => (secondOutput += c.toString()));
    assert.equal(await second.exited, 1);
    assert.match(secondOutput, new RegExp(`PID ${first.child.pid}`));
    assert.match(secondOutput, /đang được dùng bởi một tiến trình xaso khác/);

    // An acknowledged write.
    const client = new Client(`http://127.0.0.1:${app.port}`);
    const login = await client.command('POST', '/api/session', {
      username: 'quantri.tinh',
      password: DEMO_PASSWORD,
    });
    assert.equal(login.status, 200);
    const username = `canbo.${crypto.randomBytes(3).toString('hex')}`;
    const created = await client.command('POST', '/api/users', {
      username,
      fullName: 'Đặng Văn Bền',
      password: 'mat-khau-ban-dau',
      role: 'desk_officer',
      unitCode: '02647',
    });
    assert.equal(created.status, 201);

    // kill -9: the app dies at once; its PostgreSQL may survive it.
    const pgPid = postmasterPid(dataDir);
    first.child.kill('SIGKILL');
    await first.exited;
    assert.ok(pgPid && isProcessAlive(pgPid), 'the database child outlived the app');

    // The next start recovers by itself: the stale lock and the surviving server are dealt with.
    const third = startApp({ DATA_DIR: dataDir });
    children.push(third.child);
    const recovered = await third.ready;
    assert.doesNotMatch(recovered.output(), /Tài khoản mẫu/, 'demo credentials only on the first start');
    assert.ok(!isProcessAlive(pgPid), 'the old server was stopped');
    const ready = await fetch(`http://127.0.0.1:${recovered.port}/ready`);
    assert.equal(ready.status, 200);
    const again = new Client(`http://127.0.0.1:${recovered.port}`);
    const relogin = await again.command('POST', '/api/session', { username, password: 'mat-khau-ban-dau' });
    assert.equal(relogin.status, 200, 'the account created before kill -9 is there');

    // Ctrl-C: the app and its database stop cleanly.
    third.child.kill('SIGINT');
    assert.equal(await third.exited, 0);
    assert.equal(postmasterPid(dataDir), undefined, 'PostgreSQL shut down and removed its pid file');
    assert.equal(fs.existsSync(path.join(dataDir, 'xaso.lock')), false, 'the lock was released');
  });
});

describe('the app process on an external PostgreSQL (DATABASE_URL)', () => {
  test('runs the migrations there and starts no embedded server', async () => {
    const adminUrl = testAdminUrl();
    const name = `xaso_test_ext_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-external-'));
    dirs.push(dataDir);
    try {
      const started = startApp({ DATA_DIR: dataDir, DATABASE_URL: url.toString() });
      children.push(started.child);
      const app = await started.ready;
      assert.equal((await fetch(`http://127.0.0.1:${app.port}/ready`)).status, 200);
      const units = (await (
        await fetch(`http://127.0.0.1:${app.port}/api/admin-units?level=commune&pageSize=1`)
      ).json()) as {
        total: number;
      };
      assert.equal(units.total, 3321);
      assert.equal(fs.existsSync(path.join(dataDir, 'postgres')), false, 'no embedded cluster was created');
      started.child.kill('SIGINT');
      assert.equal(await started.exited, 0);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
