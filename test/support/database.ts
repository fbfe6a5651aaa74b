// Each test file gets its own database, cloned from the migrated template that `npm test` built.
import crypto from 'node:crypto';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { createPool, type Database } from '../../src/platform/db/database.ts';

export function testAdminUrl(): string {
  const url = process.env.XASO_TEST_ADMIN_URL;
  if (!url)
    throw new Error('Chạy kiểm thử bằng `npm test` (nó khởi động PostgreSQL và tạo cơ sở dữ liệu mẫu).');
  return url;
}

export async function createTestDatabase(): Promise<Database> {
  const adminUrl = testAdminUrl();
  const name = `xaso_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(
    `create database ${name} template ${process.env.XASO_TEST_TEMPLATE ?? 'xaso_test_template'}`,
  );
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), 5);
  return {
    pool,
    db: drizzle(pool),
    description: name,
    embedded: undefined,
    lock: undefined,
    close: async () => {
      await pool.end();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
