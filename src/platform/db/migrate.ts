// Applies the plain SQL files of migrations/ in name order, each in its own transaction, under an advisory lock
// so several app servers may start at once. A landed file is never edited: a changed checksum stops the start.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../migrations',
);

const LOCK_KEY = 7_302_511; // arbitrary, constant: "xaso migrations"

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

const CREATE_TABLE = `
  create table if not exists schema_migrations (
    name text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`;

export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = listMigrationFiles(dir);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      'select name, checksum from schema_migrations',
    );
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    for (const file of files) {
      const landed = done.get(file.name);
      if (landed !== undefined) {
        if (landed !== file.checksum) {
          throw new Error(
            `Migration ${file.name} đã được áp dụng nhưng nội dung tệp đã bị sửa. ` +
              'Không sửa migration đã áp dụng; hãy thêm một tệp migration mới.',
          );
        }
        continue;
      }
      await client.query('begin');
      try {
        await client.query(file.sql);
        await client.query('insert into schema_migrations (name, checksum) values ($1, $2)', [
          file.name,
          file.checksum,
        ]);
        await client.query('commit');
        applied.push(file.name);
      } catch (error) {
        await client.query('rollback');
        throw new Error(`Migration ${file.name} thất bại: ${(error as Error).message}`);
      }
    }
    return applied;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    client.release();
  }
}

/** Names of migration files not yet applied (empty when the schema is current). */
export async function pendingMigrations(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = listMigrationFiles(dir);
  const exists = await pool.query<{ ok: boolean }>(
    "select to_regclass('schema_migrations') is not null as ok",
  );
  if (!exists.rows[0]?.ok) return files.map((f) => f.name);
  const { rows } = await pool.query<{ name: string }>('select name from schema_migrations');
  const done = new Set(rows.map((r) => r.name));
  return files.filter((f) => !done.has(f.name)).map((f) => f.name);
}
