import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, DEVELOPMENT_SESSION_SECRET, loadConfig } from './config.ts';

test('defaults give a working development configuration', () => {
  const config = loadConfig({}, '/srv/xaso');
  assert.equal(config.env, 'development');
  assert.equal(config.port, 3000);
  assert.equal(config.dataDir, '/srv/xaso/data');
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.loadDemoData, true);
  assert.equal(config.databasePoolSize, 20);
  assert.equal(config.maxRequestsInFlight, 64);
  assert.ok(Object.isFrozen(config));
});

test('the pool and the admission limit are set by the environment, 0 taking every request', () => {
  const config = loadConfig({ DATABASE_POOL_SIZE: '40', MAX_REQUESTS_IN_FLIGHT: '0' }, '/srv/xaso');
  assert.equal(config.databasePoolSize, 40);
  assert.equal(config.maxRequestsInFlight, 0);
  assert.throws(
    () => loadConfig({ DATABASE_POOL_SIZE: '1', MAX_REQUESTS_IN_FLIGHT: 'nhiều' }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.problems.length === 2 &&
      /DATABASE_POOL_SIZE="1": phải là số nguyên từ 2 đến 500/.test(error.message),
  );
});

test('every problem is reported at once, in Vietnamese, naming the variable', () => {
  assert.throws(
    () =>
      loadConfig({
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        SESSION_SECRET: 'short',
        PROVINCE_CODE: '1',
        DEMO_DATA: 'maybe',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      const names = error.problems.map((p) => p.split(/[=:]/)[0]);
      assert.deepEqual(
        names.sort(),
        ['DATABASE_URL', 'DEMO_DATA', 'PORT', 'PROVINCE_CODE', 'SESSION_SECRET'].sort(),
      );
      assert.match(error.message, /Cấu hình không hợp lệ/);
      assert.match(error.message, /phải là số nguyên/);
      return true;
    },
  );
});

test('production refuses the development session secret and plain http', () => {
  assert.throws(
    () =>
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: DEVELOPMENT_SESSION_SECRET,
        PUBLIC_URL: 'http://xa.example.vn',
      }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.problems.some((p) => p.startsWith('SESSION_SECRET') && p.includes('production')) &&
      error.problems.some((p) => p.startsWith('PUBLIC_URL')),
  );
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://xa.example.vn' }),
    /SESSION_SECRET/,
  );
  const config = loadConfig({
    NODE_ENV: 'production',
    SESSION_SECRET: 'a-real-random-secret-of-at-least-32-chars',
    PUBLIC_URL: 'https://motcua.laocai.gov.vn',
  });
  assert.equal(config.loadDemoData, false);
});

test('an unknown NODE_ENV is an error, not a silent default', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'prod' }), /NODE_ENV="prod"/);
});
