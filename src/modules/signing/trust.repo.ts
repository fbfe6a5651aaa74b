// The only SQL of the trust tables (migrations/0013_signing_trust.sql): trusted roots and CRLs.
import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';

export interface TrustedRootRow {
  id: string;
  name: string;
  certificate: Buffer;
  sha256: string;
  subject: string;
  not_before: Date;
  not_after: Date;
  added_at: Date;
  added_by: string | null;
}

export interface CrlRow {
  id: string;
  sha256: string;
  issuer_name: string;
  issuer_sha256: string;
  this_update: Date;
  next_update: Date | null;
  revoked_count: number;
  added_at: Date;
  added_by: string | null;
}

function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

function rootOf(row: Record<string, unknown>): TrustedRootRow {
  return {
    ...(row as unknown as TrustedRootRow),
    not_before: toDate(row.not_before),
    not_after: toDate(row.not_after),
    added_at: toDate(row.added_at),
  };
}

function crlOf(row: Record<string, unknown>): CrlRow {
  return {
    ...(row as unknown as CrlRow),
    this_update: toDate(row.this_update),
    next_update: row.next_update === null ? null : toDate(row.next_update),
    added_at: toDate(row.added_at),
  };
}

export async function listActiveRoots(db: Executor): Promise<TrustedRootRow[]> {
  const result = await db.execute(sql`
    select id, name, certificate, sha256, subject, not_before, not_after, added_at, added_by
    from trusted_roots where removed_at is null order by added_at, id`);
  return result.rows.map(rootOf);
}

export async function findActiveRootBySha256(
  db: Executor,
  sha256: string,
): Promise<TrustedRootRow | undefined> {
  const result = await db.execute(sql`
    select id, name, certificate, sha256, subject, not_before, not_after, added_at, added_by
    from trusted_roots where removed_at is null and sha256 = ${sha256}`);
  const row = result.rows[0];
  return row ? rootOf(row) : undefined;
}

export async function insertRoot(
  db: Executor,
  r: {
    id: string;
    name: string;
    certificate: Buffer;
    sha256: string;
    subject: string;
    notBefore: Date;
    notAfter: Date;
    addedAt: Date;
    addedBy: string;
  },
): Promise<void> {
  await db.execute(sql`
    insert into trusted_roots (id, name, certificate, sha256, subject, not_before, not_after, added_at, added_by)
    values (${r.id}::uuid, ${r.name}, ${r.certificate}, ${r.sha256}, ${r.subject}, ${r.notBefore}, ${r.notAfter},
      ${r.addedAt}, ${r.addedBy}::uuid)`);
}

/** Soft removal; the row of an active root, or undefined when there is none with this id. */
export async function markRootRemoved(
  db: Executor,
  id: string,
  at: Date,
  by: string,
): Promise<TrustedRootRow | undefined> {
  const result = await db.execute(sql`
    update trusted_roots set removed_at = ${at}, removed_by = ${by}::uuid
    where id = ${id}::uuid and removed_at is null
    returning id, name, certificate, sha256, subject, not_before, not_after, added_at, added_by`);
  const row = result.rows[0];
  return row ? rootOf(row) : undefined;
}

export async function listCrls(db: Executor): Promise<CrlRow[]> {
  const result = await db.execute(sql`
    select id, sha256, issuer_name, issuer_sha256, this_update, next_update, revoked_count, added_at, added_by
    from certificate_revocation_lists order by issuer_name, this_update desc`);
  return result.rows.map(crlOf);
}

export async function crlExists(db: Executor, sha256: string): Promise<boolean> {
  const result = await db.execute(sql`select 1 from certificate_revocation_lists where sha256 = ${sha256}`);
  return result.rows.length > 0;
}

/** The newest CRL of each issuer certificate, with that certificate: what the verifier is given. */
export async function newestCrlsByIssuer(
  db: Executor,
): Promise<{ der: Buffer; issuer_certificate: Buffer }[]> {
  const result = await db.execute(sql`
    select distinct on (issuer_sha256) der, issuer_certificate
    from certificate_revocation_lists order by issuer_sha256, this_update desc, added_at desc`);
  return result.rows as unknown as { der: Buffer; issuer_certificate: Buffer }[];
}

export async function insertCrl(
  db: Executor,
  c: {
    id: string;
    sha256: string;
    issuerName: string;
    issuerSha256: string;
    issuerCertificate: Buffer;
    der: Buffer;
    thisUpdate: Date;
    nextUpdate: Date | null;
    revokedCount: number;
    addedAt: Date;
    addedBy: string;
  },
): Promise<void> {
  await db.execute(sql`
    insert into certificate_revocation_lists (id, sha256, issuer_name, issuer_sha256, issuer_certificate, der,
      this_update, next_update, revoked_count, added_at, added_by)
    values (${c.id}::uuid, ${c.sha256}, ${c.issuerName}, ${c.issuerSha256}, ${c.issuerCertificate}, ${c.der},
      ${c.thisUpdate}, ${c.nextUpdate}, ${c.revokedCount}, ${c.addedAt}, ${c.addedBy}::uuid)`);
}
