// The only SQL of the notifications module's tables (migrations/0008_notifications.sql).
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { queryRows as rows } from '../../platform/db/rows.ts';
import type { NotificationChannel } from './index.ts';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxRow {
  id: string;
  unit_code: string | null;
  channel: NotificationChannel;
  destination: string;
  template: string;
  params: Record<string, string>;
  subject: string | null;
  body: string;
  dossier_code: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  provider_message_id: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export interface NewOutboxRow {
  id: string;
  unitCode: string | null;
  channel: NotificationChannel;
  destination: string;
  template: string;
  params: Record<string, string>;
  subject: string | null;
  body: string;
  dossierCode: string | null;
  createdAt: Date;
}

export async function insertOutboxRows(tx: Executor, items: NewOutboxRow[]): Promise<void> {
  if (items.length === 0) return;
  const values = items.map(
    (r) =>
      sql`(${r.id}, ${r.unitCode}, ${r.channel}, ${r.destination}, ${r.template}, ${JSON.stringify(r.params)}::jsonb,
        ${r.subject}, ${r.body}, ${r.dossierCode}, 'pending', 0, ${r.createdAt.toISOString()}::timestamptz,
        ${r.createdAt.toISOString()}::timestamptz)`,
  );
  await tx.execute(sql`
    insert into notification_outbox
      (id, unit_code, channel, destination, template, params, subject, body, dossier_code, status, attempts,
       next_attempt_at, created_at)
    values ${sql.join(values, sql`, `)}`);
}

/**
 * Claims up to `limit` due rows for one run: pending ones whose time has come and sending ones whose lease ran out
 * (their run died). `for update skip locked` lets concurrent runs pass over each other's rows instead of waiting,
 * and the claim itself (status sending, attempts + 1, lease) commits before anything is sent, so a second run
 * never sees the row as due while the first one is sending it.
 */
export async function claimDueRows(
  db: Executor,
  {
    now,
    leaseUntil,
    limit,
    maxAttempts,
  }: { now: Date; leaseUntil: Date; limit: number; maxAttempts: number },
): Promise<OutboxRow[]> {
  return rows<OutboxRow>(
    db,
    sql`
      update notification_outbox o
         set status = 'sending', attempts = o.attempts + 1, next_attempt_at = ${leaseUntil.toISOString()}::timestamptz
       where o.id in (
         select id from notification_outbox
          where status in ('pending', 'sending')
            and next_attempt_at <= ${now.toISOString()}::timestamptz
            and attempts < ${maxAttempts}
          order by next_attempt_at, created_at
          limit ${limit}
            for update skip locked)
      returning o.*`,
  );
}

/** Rows whose last allowed attempt was interrupted (lease over, no attempts left) become failed. */
export async function failInterruptedRows(
  db: Executor,
  { now, maxAttempts, error }: { now: Date; maxAttempts: number; error: string },
): Promise<number> {
  const result = await db.execute(sql`
    update notification_outbox
       set status = 'failed', last_error = ${error}
     where id in (
       select id from notification_outbox
        where status = 'sending' and next_attempt_at <= ${now.toISOString()}::timestamptz
          and attempts >= ${maxAttempts}
          for update skip locked)`);
  return result.rowCount ?? 0;
}

interface Masked {
  params: Record<string, string>;
  subject: string | null;
  body: string;
}

function maskedColumns(masked: Masked | null): SQL {
  return masked
    ? sql`, params = ${JSON.stringify(masked.params)}::jsonb, subject = ${masked.subject}, body = ${masked.body}`
    : sql``;
}

/**
 * The outcome of an attempt. Guarded by the attempt number the run claimed: if its lease ran out and another run
 * took the row, the late answer of the first run changes nothing. Returns whether the row was updated.
 */
export async function recordSent(
  db: Executor,
  id: string,
  attempts: number,
  { sentAt, providerMessageId, masked }: { sentAt: Date; providerMessageId: string; masked: Masked | null },
): Promise<boolean> {
  const result = await db.execute(sql`
    update notification_outbox
       set status = 'sent', sent_at = ${sentAt.toISOString()}::timestamptz,
           provider_message_id = ${providerMessageId}, last_error = null${maskedColumns(masked)}
     where id = ${id} and status = 'sending' and attempts = ${attempts}`);
  return (result.rowCount ?? 0) > 0;
}

export async function recordRetry(
  db: Executor,
  id: string,
  attempts: number,
  { nextAttemptAt, error }: { nextAttemptAt: Date; error: string },
): Promise<boolean> {
  const result = await db.execute(sql`
    update notification_outbox
       set status = 'pending', next_attempt_at = ${nextAttemptAt.toISOString()}::timestamptz, last_error = ${error}
     where id = ${id} and status = 'sending' and attempts = ${attempts}`);
  return (result.rowCount ?? 0) > 0;
}

export async function recordFailed(
  db: Executor,
  id: string,
  attempts: number,
  { error, masked }: { error: string; masked: Masked | null },
): Promise<boolean> {
  const result = await db.execute(sql`
    update notification_outbox
       set status = 'failed', last_error = ${error}${maskedColumns(masked)}
     where id = ${id} and status = 'sending' and attempts = ${attempts}`);
  return (result.rowCount ?? 0) > 0;
}

/** Which units' messages a reader sees: all, or those of these units and the installation-wide ones. */
export type UnitScope = 'all' | string[];

function scopeCondition(scope: UnitScope): SQL {
  if (scope === 'all') return sql`true`;
  // Unit codes are digits: one comma-separated parameter instead of one parameter per code.
  return sql`(unit_code is null or unit_code = any(string_to_array(${scope.join(',')}, ',')))`;
}

/**
 * The statuses, with `pending` split in two so the counts add up: `pending` waits for its first attempt, `retrying`
 * waits for the next one after a failure; `problems` is failed or retrying.
 */
export type OutboxFilter = OutboxStatus | 'retrying' | 'problems';

function filterCondition(filter: OutboxFilter): SQL {
  switch (filter) {
    case 'pending':
      return sql`(status = 'pending' and attempts = 0)`;
    case 'retrying':
      return sql`(status = 'pending' and attempts > 0)`;
    case 'problems':
      return sql`(status = 'failed' or (status = 'pending' and attempts > 0))`;
    default:
      return sql`status = ${filter}`;
  }
}

/** Rows per status, each count capped (a count past the cap says "more than"): `sent` only grows. */
export async function countByStatus(
  db: Executor,
  scope: UnitScope,
  cap: number,
): Promise<Record<OutboxStatus | 'retrying', number>> {
  const filters = ['pending', 'sending', 'sent', 'failed', 'retrying'] as const;
  const counts = await Promise.all(
    filters.map(async (f) => {
      const [row] = await rows<{ count: number }>(
        db,
        sql`select count(*)::int as count from (
              select 1 from notification_outbox where ${filterCondition(f)} and ${scopeCondition(scope)}
              limit ${cap + 1}) capped`,
      );
      return [f, row?.count ?? 0] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<OutboxStatus | 'retrying', number>;
}

export async function listOutbox(
  db: Executor,
  { filter, scope, limit, offset }: { filter: OutboxFilter; scope: UnitScope; limit: number; offset: number },
): Promise<OutboxRow[]> {
  return rows<OutboxRow>(
    db,
    sql`select * from notification_outbox
         where ${filterCondition(filter)} and ${scopeCondition(scope)}
         order by created_at desc, id
         limit ${limit} offset ${offset}`,
  );
}

export async function findOutboxRow(db: Executor, id: string): Promise<OutboxRow | undefined> {
  const [row] = await rows<OutboxRow>(db, sql`select * from notification_outbox where id = ${id}`);
  return row;
}

// ---------------------------------------------------------------------------------------------------------------
// The development inbox

export interface DevInboxRow {
  id: string;
  channel: NotificationChannel;
  destination: string;
  subject: string | null;
  body: string;
  reference: string | null;
  received_at: Date;
}

export async function insertDevInboxRow(
  db: Executor,
  row: Omit<DevInboxRow, 'received_at'> & { receivedAt: Date },
): Promise<void> {
  await db.execute(sql`
    insert into dev_inbox (id, channel, destination, subject, body, reference, received_at)
    values (${row.id}, ${row.channel}, ${row.destination}, ${row.subject}, ${row.body}, ${row.reference},
            ${row.receivedAt.toISOString()}::timestamptz)`);
}

function destinationCondition(contains: string | undefined): SQL {
  if (!contains) return sql`true`;
  const escaped = contains.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`destination ilike ${`%${escaped}%`}`;
}

export async function listDevInbox(
  db: Executor,
  {
    destinationContains,
    limit,
    offset,
  }: { destinationContains?: string | undefined; limit: number; offset: number },
): Promise<{ items: DevInboxRow[]; total: number }> {
  const items = await rows<DevInboxRow>(
    db,
    sql`select * from dev_inbox where ${destinationCondition(destinationContains)}
         order by received_at desc, id limit ${limit} offset ${offset}`,
  );
  const [count] = await rows<{ count: number }>(
    db,
    sql`select count(*)::int as count from dev_inbox where ${destinationCondition(destinationContains)}`,
  );
  return { items, total: count?.count ?? 0 };
}
