// Rows of a raw statement (drizzle's `execute` leaves timestamptz columns as PostgreSQL's text form): every `at` and
// `*_at` column becomes a Date, so the repositories of every module read times the same way.
import type { SQL } from 'drizzle-orm';
import type { Executor } from './database.ts';

/** PostgreSQL's text form of a timestamptz ("2026-12-01 02:00:00+00") as a Date. */
export function parseTimestamp(value: string): Date {
  return new Date(value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
}

export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  for (const row of result.rows as Record<string, unknown>[]) {
    for (const key of Object.keys(row)) {
      const value = row[key];
      if ((key === 'at' || key.endsWith('_at')) && typeof value === 'string')
        row[key] = parseTimestamp(value);
    }
  }
  return result.rows as T[];
}
