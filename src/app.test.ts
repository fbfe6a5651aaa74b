// What every answer of the HTTP app shares: its security headers, and compression for clients that accept it.
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../test/support/app.ts';
import { fixedClock } from './platform/clock.ts';
import { assets } from './web/assets.ts';

describe('compression', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ clock: fixedClock('2026-12-01T02:00:00Z') });
  });
  after(() => t.close());

  const get = (url: string, encoding?: string) =>
    t.app.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} });

  test('a page and the stylesheet go gzip-compressed to a browser that accepts it, the same bytes once inflated', async () => {
    for (const url of ['/thu-tuc?q=dang+ky+khai+sinh', assets.cssPath]) {
      const plain = await get(url);
      assert.equal(plain.statusCode, 200, url);
      assert.equal(plain.headers['content-encoding'], undefined, `${url} is not compressed unasked`);
      const gzipped = await get(url, 'gzip, deflate, br');
      assert.equal(gzipped.statusCode, 200, url);
      assert.equal(gzipped.headers['content-encoding'], 'gzip', url);
      assert.match(String(gzipped.headers.vary), /accept-encoding/i, url);
      const inflated = zlib.gunzipSync(gzipped.rawPayload);
      assert.equal(inflated.toString('utf8'), plain.body, url);
      assert.ok(
        gzipped.rawPayload.length < plain.rawPayload.length / 2,
        `${url}: ${gzipped.rawPayload.length} bytes gzipped of ${plain.rawPayload.length}`,
      );
    }
  });

  test('a small answer goes as it is', async () => {
    const health = await get('/health', 'gzip');
    assert.equal(health.statusCode, 200);
    assert.equal(health.headers['content-encoding'], undefined);
    assert.deepEqual(health.json(), { status: 'ok' });
  });
});

describe('security headers', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ clock: fixedClock('2026-12-01T02:00:00Z') });
  });
  after(() => t.close());

  test('every answer carries the content security policy and the other headers: a page, the API, a 404, /health', async () => {
    for (const url of [
      '/thu-tuc',
      '/api/tracking/02647-261201-0001?ma=AAAAAA',
      '/khong-co-trang-nay',
      '/health',
    ]) {
      const r = await t.app.inject({ method: 'GET', url });
      assert.equal(
        r.headers['content-security-policy'],
        "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';" +
          "connect-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'self';object-src 'none'",
        url,
      );
      assert.equal(r.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(r.headers['x-frame-options'], 'SAMEORIGIN', url);
      assert.equal(r.headers['referrer-policy'], 'no-referrer', url);
      assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin', url);
      // Outside production (no TLS here), no HSTS.
      assert.equal(r.headers['strict-transport-security'], undefined, url);
    }
  });
});
