// `npm test`: every tier. Starts its own embedded PostgreSQL (or uses TEST_DATABASE_URL), builds a migrated
// template database with the reference data, then runs node's test runner over the test files; each test file
// clones the template (test/support/database.ts).
//   npm test                          unit, integration, process and browser tests
//   npm test -- --tier integration    unit and integration tests only (CI runs this against an external server)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { systemClock } from '../src/platform/clock.ts';
import { createPool } from '../src/platform/db/database.ts';
import { EmbeddedServer } from '../src/platform/db/embedded-server.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createAdminUnitsModule } from '../src/modules/admin-units/index.ts';
import { drizzle } from 'drizzle-orm/node-postgres';

const TEMPLATE = 'xaso_test_template';

function findTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.test\.tsx?$/.test(f) && !f.includes('node_modules'))
    .map((f) => path.join(dir, f))
    .sort();
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function buildTemplate(adminUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // Leftovers of an interrupted run on an external server.
  const { rows } = await admin.query<{ datname: string }>(
    "select datname from pg_database where datname like 'xaso_test_%'",
  );
  for (const row of rows) await admin.query(`drop database if exists "${row.datname}" with (force)`);
  await admin.query(`create database ${TEMPLATE}`);
  await admin.end();

  const pool = createPool(withDatabase(adminUrl, TEMPLATE), 2);
  await migrate(pool);
  await createAdminUnitsModule({ db: drizzle(pool), clock: systemClock }).service.loadReferenceData();
  await pool.end();
}

async function main(): Promise<void> {
  const tierIndex = process.argv.indexOf('--tier');
  const tier = tierIndex >= 0 ? process.argv[tierIndex + 1] : 'all';
  // `npm test -- path/to/a.test.ts …` runs just those files (with the same database set-up).
  const chosen = process.argv.slice(2).filter((a) => /\.test\.tsx?$/.test(a));
  const all = chosen.length ? chosen : [...findTests('src'), ...findTests('test')];
  const files =
    tier === 'integration'
      ? all.filter(
          (f) => !f.startsWith(path.join('test', 'browser')) && !f.startsWith(path.join('test', 'process')),
        )
      : all;

  let embedded: EmbeddedServer | undefined;
  let tempDir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    process.stdout.write(`Kiểm thử trên máy chủ PostgreSQL ngoài (TEST_DATABASE_URL).\n`);
  } else {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-test-pg-'));
    embedded = new EmbeddedServer({ clusterDir: tempDir, port: 0 });
    await embedded.start();
    adminUrl = embedded.connectionString('postgres');
    process.stdout.write(`PostgreSQL nhúng cho kiểm thử trên cổng ${embedded.port}.\n`);
  }

  let code = 1;
  try {
    await buildTemplate(adminUrl);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-reporter=spec',
        '--test-concurrency=2',
        ...process.argv
          .slice(2)
          .filter((a, i, arr) => a !== '--tier' && arr[i - 1] !== '--tier' && !/\.test\.tsx?$/.test(a)),
        ...files,
      ],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          NODE_ENV: 'test',
          XASO_TEST_ADMIN_URL: adminUrl,
          XASO_TEST_TEMPLATE: TEMPLATE,
        },
      },
    );
    code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  } finally {
    if (!embedded) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${TEMPLATE} with (force)`).catch(() => {});
      await admin.end();
    }
    await embedded?.stop();
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  }
  process.exit(code);
}

main().catch((error: unknown) => {
  process.stderr.write(`Không chạy được kiểm thử: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
