import { and, asc, desc, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db/database.ts';
import { auditLog } from './audit.tables.ts';
import { GENESIS_HASH, hashEntry, type ChainedFields } from './audit-chain.ts';

export interface AuditEntryInput {
  actorId?: string | null;
  actorName?: string | null;
  unitCode?: string | null;
  /** A dotted verb, e.g. `user.created`, `role.granted`, `access.denied`. */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
  requestId?: string | null;
}

const AUDIT_CHAIN_LOCK = 7_302_512;

/**
 * Appends an entry inside the caller's transaction, so it commits or rolls back with the change it records.
 * The transaction-level advisory lock orders concurrent writers; it is held until their commit. Call it as the
 * transaction's last statement: every statement after it (each a round trip through a busy event loop) holds up
 * every other audited write of the province (the load test at 10 million dossiers saw writers queue on it).
 */
export async function appendAudit(tx: Executor, clock: Clock, input: AuditEntryInput): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  const fields: ChainedFields = {
    seq: (last?.seq ?? 0) + 1,
    at: clock.now(),
    actorId: input.actorId ?? null,
    actorName: input.actorName ?? null,
    unitCode: input.unitCode ?? null,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    details: input.details ?? {},
    requestId: input.requestId ?? null,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx.insert(auditLog).values({ ...fields, prevHash, hash: hashEntry(prevHash, fields) });
  return fields.seq;
}

export type AuditVerification =
  { ok: true; entries: number } | { ok: false; entries: number; brokenSeq: number; reason: string };

/** Walks the whole chain in order, in pages, and names the first entry whose hash or link does not hold. */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, expectedSeq - 1))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    if (rows.length === 0) return { ok: true, entries: checked };
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return { ok: false, entries: checked, brokenSeq: expectedSeq, reason: 'missing' };
      }
      if (row.prevHash !== prevHash) {
        return { ok: false, entries: checked, brokenSeq: row.seq, reason: 'link' };
      }
      const { hash, prevHash: _prev, ...fields } = row;
      if (hashEntry(prevHash, fields) !== hash) {
        return { ok: false, entries: checked, brokenSeq: row.seq, reason: 'hash' };
      }
      prevHash = hash;
      expectedSeq++;
      checked++;
    }
  }
}

export interface AuditListQuery {
  /** Only entries about these units; 'all' for every entry. */
  unitCodes: string[] | 'all';
  limit: number;
  beforeSeq?: number;
}

export async function listAuditEntries(db: Db, query: AuditListQuery) {
  const conditions = [];
  if (query.unitCodes !== 'all') {
    conditions.push(inArray(auditLog.unitCode, query.unitCodes.length ? query.unitCodes : ['']));
  }
  if (query.beforeSeq) conditions.push(lt(auditLog.seq, query.beforeSeq));
  return db
    .select({
      seq: auditLog.seq,
      at: auditLog.at,
      actorName: auditLog.actorName,
      unitCode: auditLog.unitCode,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
    })
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(query.limit);
}
