// The outbox on a real database: written in the caller's transaction, delivered by the job to the development
// inbox or a real SMTP server (smtp-server on 127.0.0.1), retried with backoff when a channel fails, never sent
// twice by concurrent runs; the administrators' page and API, and the development inbox page.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { Agent, createTestApp, type TestApp } from '../../../test/support/app.ts';
import { fixedClock } from '../../platform/clock.ts';
import { isAppError } from '../../platform/errors.ts';
import {
  createNotificationsModule,
  type EmailSender,
  type NotificationRequest,
  type SmsGateway,
} from './index.ts';

const TRACKING = 'http://localhost:3000/tra-cuu-ho-so/02647-261201-0001?ma=K7M2QX';

const received: NotificationRequest = {
  channel: 'sms',
  to: '0912345678',
  template: 'dossier_received',
  params: {
    code: '02647-261201-0001',
    procedureName: 'Đăng ký khai sinh',
    dueAt: '17:00 04/12/2026',
    trackingUrl: TRACKING,
  },
  dossierCode: '02647-261201-0001',
  unitCode: '02647',
};

const apologyByEmail: NotificationRequest = {
  channel: 'email',
  to: 'lo.van.an@example.vn',
  template: 'late_apology',
  params: {
    code: '02647-261201-0001',
    reason: 'Cần xác minh thông tin cư trú với công an xã; hồ sơ được chuyển liên thông',
    newDueAt: '17:00 11/12/2026',
    trackingUrl: TRACKING,
  },
  dossierCode: '02647-261201-0001',
  unitCode: '02647',
};

interface OutboxRecord {
  id: string;
  channel: string;
  destination: string;
  template: string;
  params: Record<string, string>;
  subject: string | null;
  body: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  provider_message_id: string | null;
  sent_at: Date | null;
  unit_code: string | null;
}

/** A TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---- just enough MIME to read what the SMTP server received ----

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i] as string, 'utf8'));
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=), folded over several lines. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_w, encoding: string, text: string) =>
      encoding.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

function parseMessage(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const body = raw.slice(split + 4);
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : Buffer.from(body, 'utf8');
  return { headers, text: bytes.toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '') };
}

describe('notifications', () => {
  let t: TestApp;
  const clock = fixedClock('2026-12-01T02:00:00Z'); // Tuesday 09:00 in Vietnam

  before(async () => {
    t = await createTestApp({ clock });
  });
  after(() => t.close());
  beforeEach(async () => {
    clock.set('2026-12-01T02:00:00Z');
    await t.database.pool.query('delete from notification_outbox');
    await t.database.pool.query('delete from dev_inbox');
  });

  const service = () => t.notifications.service;

  async function outbox(): Promise<OutboxRecord[]> {
    return (
      await t.database.pool.query<OutboxRecord>('select * from notification_outbox order by created_at, id')
    ).rows;
  }

  async function devInbox() {
    return (
      await t.database.pool.query<{
        channel: string;
        destination: string;
        subject: string;
        body: string;
        reference: string;
      }>('select * from dev_inbox order by received_at, id')
    ).rows;
  }

  /** The module as modules.ts builds it, with other channels: a second app server, a broken SMTP server… */
  function moduleWith(options: {
    smtpUrl?: string;
    emailSender?: EmailSender;
    smsGateway?: SmsGateway;
    devInbox?: boolean;
  }) {
    return createNotificationsModule({
      db: t.database.db,
      clock,
      adminUnits: t.adminUnits.service,
      identity: t.identity.service,
      smtpUrl: options.smtpUrl,
      smtpFrom: 'xã số <khong-tra-loi@xaso.local>',
      devInbox: options.devInbox ?? true,
      emailSender: options.emailSender,
      smsGateway: options.smsGateway,
    });
  }

  test('messages are written with the caller’s transaction: a rollback leaves nothing', async () => {
    await assert.rejects(
      t.database.db.transaction(async (tx) => {
        await service().enqueue(tx, [received, apologyByEmail]);
        throw new Error('the dossier step failed');
      }),
      /the dossier step failed/,
    );
    assert.equal((await outbox()).length, 0);

    await t.database.db.transaction((tx) => service().enqueue(tx, [received, apologyByEmail]));
    const rows = await outbox();
    assert.equal(rows.length, 2);
    const sms = rows.find((r) => r.channel === 'sms');
    const email = rows.find((r) => r.channel === 'email');
    assert.equal(sms?.status, 'pending');
    assert.equal(sms?.attempts, 0);
    assert.equal(sms?.subject, null);
    assert.equal(
      sms?.body,
      `Hồ sơ 02647-261201-0001 đã được tiếp nhận. Hẹn trả kết quả: 17:00 04/12/2026. Theo dõi: ${TRACKING}`,
    );
    assert.equal(sms?.unit_code, '02647');
    assert.equal(sms?.next_attempt_at.toISOString(), '2026-12-01T02:00:00.000Z');
    assert.equal(email?.subject, 'Phiếu xin lỗi và hẹn lại ngày trả kết quả – hồ sơ 02647-261201-0001');
    assert.match(email?.body ?? '', /Lý do: Cần xác minh thông tin cư trú/);
    assert.deepEqual(email?.params, apologyByEmail.params);
  });

  test('a bad request fails the caller’s change whole, with nothing written', async () => {
    const badPhone = { ...received, to: '091234' };
    await assert.rejects(
      t.database.db.transaction((tx) => service().enqueue(tx, [received, badPhone])),
      (error: unknown) => isAppError(error) && error.code === 'NOTIFICATION_REQUEST_INVALID',
    );
    const { trackingUrl: _url, ...missing } = received.params;
    await assert.rejects(
      service().enqueue(t.database.db, [{ ...received, params: missing }]),
      (error: unknown) =>
        isAppError(error) && /missing parameter "trackingUrl"/.test(String(error.details.problem)),
    );
    assert.equal((await outbox()).length, 0);
  });

  test('the job delivers to the development inbox; a one-time code does not stay in the outbox', async () => {
    const otp: NotificationRequest = {
      channel: 'sms',
      to: '+84987654321',
      template: 'one_time_code',
      params: { code: '482913', minutes: '5' },
    };
    await service().enqueue(t.database.db, [received, apologyByEmail, otp]);
    clock.set('2026-12-01T02:00:04Z');
    assert.deepEqual(await service().deliverDue(), { sent: 3, retried: 0, failed: 0 });
    assert.deepEqual(
      await service().deliverDue(),
      { sent: 0, retried: 0, failed: 0 },
      'nothing is sent twice',
    );

    const rows = await outbox();
    for (const row of rows) {
      assert.equal(row.status, 'sent');
      assert.equal(row.attempts, 1);
      assert.equal(row.sent_at?.toISOString(), '2026-12-01T02:00:04.000Z');
      assert.match(row.provider_message_id ?? '', /^dev-inbox:/);
    }
    const inbox = await devInbox();
    assert.equal(inbox.length, 3);
    const email = inbox.find((m) => m.channel === 'email');
    assert.equal(email?.destination, 'lo.van.an@example.vn');
    assert.equal(email?.subject, 'Phiếu xin lỗi và hẹn lại ngày trả kết quả – hồ sơ 02647-261201-0001');
    assert.deepEqual(new Set(inbox.map((m) => m.reference)), new Set(rows.map((r) => r.id)));

    const otpRow = rows.find((r) => r.template === 'one_time_code');
    assert.equal(otpRow?.params.code, '******');
    assert.doesNotMatch(otpRow?.body ?? '', /482913/);
    assert.match(inbox.find((m) => m.destination === '+84987654321')?.body ?? '', /482913/);
  });

  test('a failing SMTP server is retried with backoff and fails after six attempts; the SMS goes at once', async () => {
    const port = await closedPort();
    const broken = moduleWith({ smtpUrl: `smtp://127.0.0.1:${port}` });
    await service().enqueue(t.database.db, [apologyByEmail, received]);

    const start = Date.parse('2026-12-01T02:00:00Z');
    assert.deepEqual(await broken.service.deliverDue(), { sent: 1, retried: 1, failed: 0 });
    const byChannel = async (channel: string) => (await outbox()).find((r) => r.channel === channel);
    let email = await byChannel('email');
    const sms = await byChannel('sms');
    assert.equal(sms?.status, 'sent', 'the SMS is not held up by the email');
    assert.equal(email?.status, 'pending');
    assert.equal(email?.attempts, 1);
    assert.match(email?.last_error ?? '', /ECONNREFUSED/);

    const waits: number[] = [(email!.next_attempt_at.getTime() - start) / 1000];
    assert.deepEqual(await broken.service.deliverDue(), { sent: 0, retried: 0, failed: 0 }, 'not due yet');
    for (let attempt = 2; attempt <= 6; attempt++) {
      clock.set(email!.next_attempt_at);
      const tally = await broken.service.deliverDue();
      email = await byChannel('email');
      if (attempt < 6) {
        assert.deepEqual(tally, { sent: 0, retried: 1, failed: 0 }, `attempt ${attempt}`);
        waits.push((email!.next_attempt_at.getTime() - clock.now().getTime()) / 1000);
      } else {
        assert.deepEqual(tally, { sent: 0, retried: 0, failed: 1 });
      }
      assert.equal(email?.attempts, attempt);
    }
    assert.deepEqual(waits, [30, 60, 120, 240, 480]);
    assert.equal(email?.status, 'failed');
    assert.match(email?.last_error ?? '', /ECONNREFUSED/);

    clock.set(new Date(clock.now().getTime() + 24 * 3_600_000));
    assert.deepEqual(
      await broken.service.deliverDue(),
      { sent: 0, retried: 0, failed: 0 },
      'failed stays failed',
    );
    email = await byChannel('email');
    assert.equal(email?.attempts, 6);
  });

  test('a real SMTP round trip: the server receives the Vietnamese subject and text intact', async () => {
    const messages: { raw: string; from: string; to: string[] }[] = [];
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'xaso' && auth.password === 'mật-khẩu thư') callback(null, { user: 'xaso' });
        else callback(new Error('Invalid username or password'));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          messages.push({
            raw: Buffer.concat(chunks).toString('latin1'),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as net.AddressInfo;
    try {
      const password = encodeURIComponent('mật-khẩu thư');
      const smtp = moduleWith({ smtpUrl: `smtp://xaso:${password}@127.0.0.1:${port}` });
      await service().enqueue(t.database.db, [apologyByEmail]);
      assert.deepEqual(await smtp.service.deliverDue(), { sent: 1, retried: 0, failed: 0 });

      const [row] = await outbox();
      assert.equal(messages.length, 1);
      const [message] = messages;
      assert.equal(message?.from, 'khong-tra-loi@xaso.local');
      assert.deepEqual(message?.to, ['lo.van.an@example.vn']);
      const { headers, text } = parseMessage(message!.raw);
      assert.equal(decodeHeader(headers.get('subject') ?? ''), row?.subject);
      assert.equal(
        decodeHeader(headers.get('subject') ?? ''),
        'Phiếu xin lỗi và hẹn lại ngày trả kết quả – hồ sơ 02647-261201-0001',
      );
      assert.match(headers.get('content-type') ?? '', /text\/plain; charset=utf-8/i);
      assert.equal(text, row?.body);
      assert.match(text, /thành thật xin lỗi/);
      assert.match(text, /Ngày hẹn trả kết quả mới: 17:00 11\/12\/2026/);
      assert.match(decodeHeader(headers.get('from') ?? ''), /xã số <khong-tra-loi@xaso\.local>/);
      assert.equal(headers.get('message-id'), `<${row?.id}@xaso.local>`);
      assert.equal(row?.provider_message_id, `<${row?.id}@xaso.local>`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('the SMTP server refusing the password is an error like any other: retried, visible', async () => {
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (_auth, _session, callback) => callback(new Error('Invalid username or password')),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as net.AddressInfo;
    try {
      const smtp = moduleWith({ smtpUrl: `smtp://xaso:sai@127.0.0.1:${port}` });
      await service().enqueue(t.database.db, [apologyByEmail]);
      assert.deepEqual(await smtp.service.deliverDue(), { sent: 0, retried: 1, failed: 0 });
      const [row] = await outbox();
      assert.match(row?.last_error ?? '', /Invalid username or password/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('concurrent runs (two app servers) never send a message twice; a locked row is skipped, not awaited', async () => {
    const sentReferences: string[] = [];
    const slowGateway: SmsGateway = {
      async send(_to, _text, { reference }) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        sentReferences.push(reference);
        return { providerMessageId: `test:${reference}` };
      },
    };
    const first = moduleWith({ smsGateway: slowGateway });
    const second = moduleWith({ smsGateway: slowGateway });
    const phones = Array.from({ length: 120 }, (_, i) => `0912${String(i).padStart(6, '0')}`);
    await service().enqueue(
      t.database.db,
      phones.map((to) => ({ ...received, to })),
    );

    const [a, b] = await Promise.all([first.service.deliverDue(), second.service.deliverDue()]);
    assert.equal(a.sent + b.sent, 100, 'each run claimed its own batch of 50');
    assert.ok(a.sent > 0 && b.sent > 0);
    const [c, d] = await Promise.all([first.service.deliverDue(), second.service.deliverDue()]);
    assert.equal(c.sent + d.sent, 20);
    assert.equal(sentReferences.length, 120);
    assert.equal(new Set(sentReferences).size, 120, 'no message was sent twice');
    assert.ok((await outbox()).every((r) => r.status === 'sent' && r.attempts === 1));

    // A row locked by another transaction (a run claiming it right now) is passed over at once.
    await t.database.pool.query('delete from notification_outbox');
    await service().enqueue(t.database.db, [received, { ...received, to: '0987654321' }]);
    const locker = new pg.Client({
      connectionString: (t.database.pool as unknown as { options: pg.ClientConfig }).options.connectionString,
    });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query(`select id from notification_outbox where destination = '0912345678' for update`);
      const tally = await Promise.race([
        first.service.deliverDue(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('deliverDue waited for a lock')), 5000),
        ),
      ]);
      assert.deepEqual(tally, { sent: 1, retried: 0, failed: 0 });
      await locker.query('commit');
    } finally {
      await locker.end();
    }
    assert.deepEqual(await first.service.deliverDue(), { sent: 1, retried: 0, failed: 0 });
  });

  test('a run that died mid-send: its rows are taken again after the lease, or failed if it was the last attempt', async () => {
    await service().enqueue(t.database.db, [received, { ...received, to: '0987654321' }]);
    const [one, two] = await outbox();
    // As a claim leaves them: sending, attempts counted, lease until 02:10.
    await t.database.pool.query(
      `update notification_outbox set status = 'sending', attempts = $2, next_attempt_at = '2026-12-01T02:10:00Z' where id = $1`,
      [one!.id, 2],
    );
    await t.database.pool.query(
      `update notification_outbox set status = 'sending', attempts = $2, next_attempt_at = '2026-12-01T02:10:00Z' where id = $1`,
      [two!.id, 6],
    );
    assert.deepEqual(await service().deliverDue(), { sent: 0, retried: 0, failed: 0 }, 'the lease holds');
    clock.set('2026-12-01T02:10:00Z');
    assert.deepEqual(await service().deliverDue(), { sent: 1, retried: 0, failed: 1 });
    const rows = await outbox();
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.equal(byId.get(one!.id)?.status, 'sent');
    assert.equal(byId.get(one!.id)?.attempts, 3);
    assert.equal(byId.get(two!.id)?.status, 'failed');
    assert.match(byId.get(two!.id)?.last_error ?? '', /gián đoạn/);
  });

  test('in production without SMTP or an SMS gateway, messages fail visibly instead of vanishing', async () => {
    const production = moduleWith({ devInbox: false });
    await service().enqueue(t.database.db, [received, apologyByEmail]);
    assert.deepEqual(await production.service.deliverDue(), { sent: 0, retried: 2, failed: 0 });
    const rows = await outbox();
    assert.match(rows.find((r) => r.channel === 'email')?.last_error ?? '', /SMTP_URL/);
    assert.match(rows.find((r) => r.channel === 'sms')?.last_error ?? '', /cổng gửi tin nhắn SMS/);
    assert.equal((await devInbox()).length, 0);
  });

  describe('administrators', () => {
    let otherProvinceCommune: string;

    before(async () => {
      const { items } = await t.adminUnits.service.searchUnits({
        province: '01',
        level: 'commune',
        page: 1,
        pageSize: 1,
      });
      otherProvinceCommune = items[0]!.code;
    });

    /** Of 02647: one message failed for good, one retrying, one sent, one waiting; one failed in another province. */
    async function seedProblems() {
      const refusing = moduleWith({
        emailSender: { send: () => Promise.reject(new Error('550 Hộp thư không tồn tại')) },
      });
      await service().enqueue(t.database.db, [
        apologyByEmail,
        {
          ...apologyByEmail,
          unitCode: otherProvinceCommune,
          dossierCode: `${otherProvinceCommune}-261201-0001`,
        },
        received,
      ]);
      for (let i = 0; i < 6; i++) {
        await refusing.service.deliverDue();
        clock.set(new Date(clock.now().getTime() + 3_600_000));
      }
      await service().enqueue(t.database.db, [{ ...apologyByEmail, to: 'chi.mai@example.vn' }]);
      await refusing.service.deliverDue();
      // Written after the run: waiting for its first attempt.
      await service().enqueue(t.database.db, [{ ...received, to: '0987654321' }]);
    }

    test('a desk officer is refused the page and the API (403), and the refusal is audited', async () => {
      const desk = new Agent(t.app);
      await desk.login('motcua.xa1');
      const api = await desk.request({ method: 'GET', url: '/api/notifications?status=failed' });
      assert.equal(api.statusCode, 403, api.body);
      assert.equal(api.json().error.code, 'FORBIDDEN');
      const page = await desk.request({ method: 'GET', url: '/quan-tri/thong-bao' });
      assert.equal(page.statusCode, 403);
      assert.match(page.headers['content-type'] as string, /text\/html/);
      const { rows } = await t.database.pool.query(
        `select details from audit_log where action = 'access.denied' and actor_name = 'motcua.xa1' order by seq desc limit 1`,
      );
      assert.equal(rows[0]?.details.attempted, 'users.manage');

      const anonymous = await new Agent(t.app).request({ method: 'GET', url: '/api/notifications' });
      assert.equal(anonymous.statusCode, 401);
    });

    test('the province administrator sees the province’s failures and retries, newest first', async () => {
      await seedProblems();
      const admin = new Agent(t.app);
      await admin.login('quantri.tinh');

      const failed = await admin.request({ method: 'GET', url: '/api/notifications?status=failed' });
      assert.equal(failed.statusCode, 200, failed.body);
      const body = failed.json();
      assert.deepEqual(body.counts, { pending: 1, sending: 0, sent: 1, failed: 1, retrying: 1 });
      assert.equal(body.total, 1);
      assert.equal(body.items.length, 1, 'the other province’s failure is not shown');
      const [item] = body.items;
      assert.equal(item.status, 'failed');
      assert.equal(item.attempts, 6);
      assert.equal(item.lastError, '550 Hộp thư không tồn tại');
      assert.equal(item.destination, 'lo.van.an@example.vn');
      assert.equal(item.dossierCode, '02647-261201-0001');
      assert.equal(item.nextAttemptAt, null);
      assert.equal(item.body, undefined, 'the text (it may hold a code) is not in the API');

      const problems = (await admin.request({ method: 'GET', url: '/api/notifications' })).json();
      assert.deepEqual(
        problems.items.map((i: { destination: string; status: string }) => [i.destination, i.status]),
        [
          ['chi.mai@example.vn', 'pending'],
          ['lo.van.an@example.vn', 'failed'],
        ],
      );
      const invalid = await admin.request({ method: 'GET', url: '/api/notifications?status=lost' });
      assert.equal(invalid.statusCode, 400);

      const page = await admin.request({ method: 'GET', url: '/quan-tri/thong-bao?trang_thai=failed' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<html lang="vi"/);
      assert.match(page.body, /Thông báo gửi người dân/);
      assert.match(page.body, /Gửi thất bại/);
      assert.match(page.body, /550 Hộp thư không tồn tại/);
      assert.match(page.body, /Xin lỗi và hẹn lại ngày trả kết quả/);
      assert.doesNotMatch(page.body, new RegExp(otherProvinceCommune));

      const system = new Agent(t.app);
      await system.login('quantri.hethong');
      const all = (await system.request({ method: 'GET', url: '/api/notifications?status=failed' })).json();
      assert.equal(all.total, 2, 'the system administrator sees every province');
    });

    test('the API is in the OpenAPI document under its tag', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
      assert.deepEqual(doc.paths['/api/notifications'].get.tags, ['notifications']);
      assert.ok(
        doc.paths['/api/notifications'].get.parameters.some((p: { name: string }) => p.name === 'status'),
      );
    });
  });

  describe('development inbox page', () => {
    test('shows what was sent, newest first, filtered by recipient, without signing in', async () => {
      await service().enqueue(t.database.db, [
        {
          channel: 'sms',
          to: '0912345678',
          template: 'one_time_code',
          params: { code: '482913', minutes: '5' },
        },
      ]);
      await service().deliverDue();
      clock.set('2026-12-01T02:01:00Z');
      await service().enqueue(t.database.db, [apologyByEmail]);
      await service().deliverDue();

      const page = await t.app.inject({ method: 'GET', url: '/hop-thu-thu-nghiem' });
      assert.equal(page.statusCode, 200);
      assert.match(page.headers['content-type'] as string, /text\/html; charset=utf-8/);
      assert.match(page.body, /<html lang="vi"/);
      assert.match(page.body, /Hộp thư thử nghiệm/);
      assert.match(page.body, /không cần đăng nhập/);
      assert.ok(
        page.body.indexOf('lo.van.an@example.vn') < page.body.indexOf('0912345678'),
        'the newest message comes first',
      );
      assert.match(page.body, /Phiếu xin lỗi và hẹn lại ngày trả kết quả – hồ sơ 02647-261201-0001/);

      const filtered = await t.app.inject({ method: 'GET', url: '/hop-thu-thu-nghiem?den=5678' });
      assert.match(filtered.body, /Mã xác thực xã số của bạn: 482913/);
      assert.doesNotMatch(filtered.body, /lo\.van\.an@example\.vn<\/dd>/);
      const none = await t.app.inject({ method: 'GET', url: '/hop-thu-thu-nghiem?den=%25' });
      assert.match(none.body, /Chưa có thư hay tin nhắn nào\./);
    });

    test('does not exist in production', async () => {
      const production = await createTestApp({
        env: {
          NODE_ENV: 'production',
          PUBLIC_URL: 'https://xaso.example.vn',
          SESSION_SECRET: 'a-production-secret-of-at-least-32-characters',
        },
      });
      try {
        const page = await production.app.inject({ method: 'GET', url: '/hop-thu-thu-nghiem' });
        assert.equal(page.statusCode, 404);
      } finally {
        await production.close();
      }
    });
  });
});
