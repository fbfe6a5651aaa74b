// The only SQL of the feedback module's table (migrations/0011_feedback.sql).
import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';

export type Row = Record<string, unknown>;

export async function findItem(db: Executor, unitCode: string, id: string): Promise<Row | undefined> {
  const result = await db.execute(
    sql`select * from feedback_items where unit_code = ${unitCode} and id = ${id}::uuid`,
  );
  return result.rows[0] as Row | undefined;
}

export async function lockStatus(db: Executor, unitCode: string, id: string): Promise<string | undefined> {
  const result = await db.execute(
    sql`select status from feedback_items where unit_code = ${unitCode} and id = ${id}::uuid for update`,
  );
  return (result.rows[0] as { status?: string } | undefined)?.status;
}

export async function markRejected(db: Executor, unitCode: string, id: string, at: Date, reason: string) {
  await db.execute(sql`update feedback_items set status = 'rejected', rejected_at = ${at}, rejection_reason = ${reason}
    where unit_code = ${unitCode} and id = ${id}::uuid`);
}

export async function markAnswered(
  db: Executor,
  unitCode: string,
  id: string,
  a: { at: Date; answer: string; by: string; publishBy: Date },
) {
  await db.execute(sql`update feedback_items set status = 'answered', answered_at = ${a.at}, answer = ${a.answer},
    answered_by = ${a.by}, publish_by = ${a.publishBy} where unit_code = ${unitCode} and id = ${id}::uuid`);
}

export async function markPublished(db: Executor, unitCode: string, id: string, at: Date) {
  await db.execute(sql`update feedback_items set status = 'published', published_at = ${at}
    where unit_code = ${unitCode} and id = ${id}::uuid`);
}

/** The next PAKN number of a unit in a year (the dossiers' counters table, scope "pakn-YYYY"). */
export async function nextNumber(db: Executor, unitCode: string, year: number): Promise<number> {
  const result = await db.execute(sql`
    insert into dossier_counters (unit_code, scope, value) values (${unitCode}, ${`pakn-${year}`}, 1)
    on conflict (unit_code, scope) do update set value = dossier_counters.value + 1 returning value`);
  return (result.rows[0] as { value: number }).value;
}

export async function insertItem(
  db: Executor,
  f: {
    unitCode: string;
    id: string;
    number: string;
    kind: string;
    content: string;
    senderName: string;
    senderContact: string;
    dossierCode: string | null;
    receivedAt: Date;
    rejectBy: Date;
    supplementBy: Date;
    answerBy: Date;
  },
): Promise<Row> {
  const result = await db.execute(sql`
    insert into feedback_items (unit_code, id, number, kind, content, sender_name, sender_contact, dossier_code,
      status, received_at, reject_by, supplement_by, answer_by)
    values (${f.unitCode}, ${f.id}, ${f.number}, ${f.kind}, ${f.content}, ${f.senderName}, ${f.senderContact},
      ${f.dossierCode}, 'received', ${f.receivedAt}, ${f.rejectBy}, ${f.supplementBy}, ${f.answerBy})
    returning *`);
  return result.rows[0] as Row;
}

export async function listForUnit(db: Executor, unitCode: string): Promise<Row[]> {
  const result = await db.execute(sql`
    select * from feedback_items where unit_code = ${unitCode}
    order by (status = 'received') desc, answer_by asc limit 200`);
  return result.rows as Row[];
}

export async function listPublished(db: Executor, limit: number): Promise<Row[]> {
  const result = await db.execute(sql`
    select unit_code, number, kind, content, answer, answered_at, published_at from feedback_items
    where status = 'published' order by published_at desc limit ${limit}`);
  return result.rows as Row[];
}
