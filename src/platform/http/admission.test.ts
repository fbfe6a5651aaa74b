// The admission limit on a real listening server: requests held in their handlers fill it; past its share the next
// anonymous reader gets 503 with Retry-After and a Vietnamese message while signed-in work still gets in, and the
// other way round; health checks always pass; the count comes back to zero when answers are sent or clients leave.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { translator } from '../i18n/index.ts';
import { installAdmissionControl, type Admission } from './admission.tsx';
import { installErrorHandling } from './error-handler.tsx';

describe('admission control', () => {
  let app: FastifyInstance;
  let admission: Admission;
  let base: string;
  const held: (() => void)[] = [];

  before(async () => {
    app = Fastify();
    app.decorateRequest('locale', 'vi');
    app.decorateRequest('t', translator('vi'));
    app.decorateRequest('principal', undefined);
    app.decorateRequest('sessionExpired', false);
    installErrorHandling(app);
    admission = installAdmissionControl(app, { maxInFlight: 4, sessionCookie: 'xaso_sid' });
    app.get('/health', async () => ({ status: 'ok' }));
    const hold = () => new Promise<void>((resolve) => held.push(resolve));
    app.get('/api/slow', async () => {
      await hold();
      return { ok: true };
    });
    app.get('/trang', async (_request, reply) => {
      await hold();
      return reply.type('text/html').send('<p>ok</p>');
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(() => app.close());

  const get = (path: string, cookie?: string) =>
    fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(condition(), 'condition not reached');
  };
  const releaseAll = () => held.splice(0).forEach((resolve) => resolve());

  test('past the limit a reader is told to come back; signed-in work keeps the reserved quarter', async () => {
    const readers = [get('/api/slow'), get('/api/slow'), get('/trang')];
    await until(() => admission.inFlight() === 3);

    const busy = await get('/api/slow');
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get('retry-after'), '2');
    const body = (await busy.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'SERVER_BUSY');
    assert.match(body.error.message, /quá nhiều yêu cầu cùng lúc.*thử lại sau vài giây/);
    const page = await get('/trang');
    assert.equal(page.status, 503);
    assert.match(await page.text(), /<html lang="vi".*quá nhiều yêu cầu cùng lúc/s);

    const officer = get('/api/slow', 'lang=vi; xaso_sid=s%3Aabc');
    await until(() => admission.inFlight() === 4);
    const another = await get('/api/slow', 'xaso_sid=s%3Adef');
    assert.equal(another.status, 503, 'the whole limit is used');
    assert.equal((await get('/health')).status, 200, 'health checks are always answered');
    assert.equal(admission.refused(), 3);

    releaseAll();
    for (const r of await Promise.all([...readers, officer])) assert.equal(r.status, 200);
    await until(() => admission.inFlight() === 0);
    assert.equal((await (await get('/health')).json()).status, 'ok');
  });

  test('signed-in work cannot take the whole limit either: readers keep their quarter', async () => {
    const officers = [1, 2, 3].map((n) => get('/api/slow', `xaso_sid=s%3A${n}`));
    await until(() => admission.inFlight() === 3);
    const fourth = await get('/api/slow', 'xaso_sid=s%3A4');
    assert.equal(fourth.status, 503, 'three quarters of the limit is all one kind may hold');
    const reader = get('/api/slow');
    await until(() => admission.inFlight() === 4);
    releaseAll();
    for (const r of await Promise.all([...officers, reader])) assert.equal(r.status, 200);
    await until(() => admission.inFlight() === 0);
  });

  test('a client that leaves before its answer gives its place back', async () => {
    const request = http.get(`${base}/api/slow`);
    request.on('error', () => {});
    await until(() => admission.inFlight() === 1);
    request.destroy();
    await until(() => admission.inFlight() === 0);
    releaseAll();
    const after = get('/api/slow');
    await until(() => held.length === 1);
    releaseAll();
    assert.equal((await after).status, 200);
    assert.equal(admission.inFlight(), 0);
  });
});
