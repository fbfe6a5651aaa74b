// Filing online when the server dies: kill -9 during an upload, and again during the submission; after each restart
// the citizen retries and nothing acknowledged is lost, no half file is kept, and there is exactly one dossier.
// The real process (src/main.ts) on an external PostgreSQL (DATABASE_URL) so the test can read the one-time code.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { testAdminUrl } from '../support/database.ts';

const SCAN = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

function startApp(env: Record<string, string>) {
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
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /đang chạy tại http:\/\/localhost:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`the app exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, ready, exited };
}

/** A cookie jar over fetch; the base URL changes when the server restarts on another port. */
class Browser {
  cookie = '';
  base = '';
  async fetch(url: string, init: RequestInit = {}) {
    const response = await fetch(this.base + url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
    });
    const jar = new Map(
      this.cookie ? this.cookie.split('; ').map((c) => c.split('=') as [string, string]) : [],
    );
    for (const c of response.headers.getSetCookie()) {
      const [name, ...rest] = c.split(';')[0]!.split('=');
      jar.set(name!, rest.join('='));
    }
    this.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    return response;
  }
  async token() {
    return ((await (await this.fetch('/api/session/csrf-token')).json()) as { token: string }).token;
  }
  async form(url: string, fields: Record<string, string>) {
    return this.fetch(url, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': await this.token() },
    });
  }
  async upload(url: string, name: string, bytes: Buffer) {
    const boundary = `----xaso${crypto.randomBytes(6).toString('hex')}`;
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return this.fetch(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'x-csrf-token': await this.token(),
      },
    });
  }
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('filing online across server crashes', () => {
  test('kill -9 during an upload and during the submit: nothing lost, no half file, one dossier', async () => {
    const adminUrl = testAdminUrl();
    const name = `xaso_test_crash_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const db = new pg.Client({ connectionString: url.toString() });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-crash-'));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir, DATABASE_URL: url.toString() };
    try {
      let app = startApp(env);
      children.push(app.child);
      const browser = new Browser();
      browser.base = `http://127.0.0.1:${await app.ready}`;
      await db.connect();
      // A procedure of the demo catalogue that takes online filings and lists papers.
      const { rows: procedures } = await db.query(`
        select p.code from procedures p join procedure_versions v on v.procedure_code = p.code and v.version = p.current_version
        where v.record->'channels' @> '[{"channel":"online"}]'
          and (select count(*) from jsonb_array_elements(v.record->'components') c
               where not (c->>'isHeading')::boolean) >= 2
        order by p.code limit 1`);
      const procedure = procedures[0].code as string;

      const sent = await browser.form(`/nop-ho-so/${procedure}/ma`, { contact: '0987654321' });
      const challengeId = /name="challengeId" value="([0-9a-f-]{36})"/.exec(await sent.text())![1]!;
      const { rows: codes } = await db.query(
        "select params->>'code' as code from notification_outbox where template = 'one_time_code' order by created_at desc limit 1",
      );
      const verified = await browser.form(`/nop-ho-so/${procedure}/xac-minh`, {
        challengeId,
        code: codes[0].code,
        contact: '0987654321',
      });
      assert.equal(verified.status, 303);
      const base = /\/nop-ho-so\/nhap\/[0-9a-f-]{36}/.exec(verified.headers.get('location')!)![0];
      assert.equal((await browser.form(`${base}/noi-nop`, { centre: '02647' })).status, 303);
      const applicant = await browser.form(`${base}/nguoi-nop`, {
        'applicant.name': 'Thào A Sình',
        'applicant.idNumber': '010199007777',
        'applicant.address': 'Bản Sín Chải, xã Bảo Yên',
        'applicant.phone': '0987654321',
      });
      assert.equal(applicant.status, 303);
      const question = applicant.headers.get('location')!;
      if (question.includes('/cau-hoi/'))
        assert.equal(
          (await browser.form(question, { requestSummary: 'Đề nghị giải quyết thủ tục' })).status,
          303,
        );
      const first = await browser.upload(`${base}/giay-to/1`, 'giay-to-1.pdf', SCAN);
      assert.equal(first.status, 303, 'the first paper is uploaded and acknowledged');

      // kill -9 in the middle of the second upload: half of a 4 MB body has been sent.
      const port = new URL(browser.base).port;
      const token = await browser.token();
      const boundary = '----xasocrash';
      const big = Buffer.concat([SCAN, crypto.randomBytes(4 * 1024 * 1024)]);
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="giay-to-2.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
      const request = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `${base}/giay-to/2`,
        headers: {
          cookie: browser.cookie,
          'x-csrf-token': token,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(Buffer.byteLength(head) + big.length + boundary.length + 8),
        },
      });
      request.on('error', () => {});
      request.write(head);
      request.write(big.subarray(0, big.length / 2));
      await new Promise((resolve) => setTimeout(resolve, 300));
      app.child.kill('SIGKILL');
      await app.exited;
      request.destroy();

      app = startApp(env);
      children.push(app.child);
      browser.base = `http://127.0.0.1:${await app.ready}`;
      const documents = await (await browser.fetch(`${base}/giay-to`)).text();
      assert.match(documents, /giay-to-1\.pdf/, 'the acknowledged upload survived');
      assert.doesNotMatch(documents, /giay-to-2\.pdf/, 'no half file was kept');
      assert.equal((await browser.upload(`${base}/giay-to/2`, 'giay-to-2.pdf', SCAN)).status, 303);

      // kill -9 right after the submit is sent, before its answer: the retry makes one dossier, never two.
      const submit = browser.form(`${base}/nop`, {}).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 30));
      app.child.kill('SIGKILL');
      await app.exited;
      await submit;
      app = startApp(env);
      children.push(app.child);
      browser.base = `http://127.0.0.1:${await app.ready}`;
      const retried = await browser.form(`${base}/nop`, {});
      assert.equal(retried.status, 303, await retried.text());
      assert.match(retried.headers.get('location')!, /\/nop-ho-so\/da-nop\/\d{5}-\d{6}-\d{4,}\?ma=/);
      const again = await browser.form(`${base}/nop`, {});
      assert.equal(again.headers.get('location'), retried.headers.get('location'));
      const { rows } = await db.query(
        "select count(*)::int as n from dossiers where owner_contact = 'sms:0987654321'",
      );
      assert.equal(rows[0].n, 1, 'exactly one dossier');
      const { rows: files } = await db.query(
        "select count(*)::int as n from dossier_files f join dossiers d on d.code = f.dossier_code where d.owner_contact = 'sms:0987654321'",
      );
      assert.equal(files[0].n, 2, 'both papers are in the dossier');
      app.child.kill('SIGINT');
      assert.equal(await app.exited, 0);
    } finally {
      await db.end().catch(() => {});
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
