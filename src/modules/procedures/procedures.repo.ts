// The only place with SQL for the procedure tables.
import { and, asc, count, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { procedureImports, procedureOfferings, procedures, procedureVersions } from './procedures.tables.ts';

/** Joins a procedure to its current version. */
const currentVersionOf = and(
  eq(procedureVersions.procedureCode, procedures.code),
  eq(procedureVersions.version, procedures.currentVersion),
);

export type ProcedureRow = typeof procedures.$inferSelect;
export type VersionRow = typeof procedureVersions.$inferSelect;

export async function lockImports(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7302513)`);
}

export async function findProcedure(db: Executor, code: string): Promise<ProcedureRow | undefined> {
  const [row] = await db.select().from(procedures).where(eq(procedures.code, code));
  return row;
}

export async function findCurrentHashes(
  db: Executor,
  codes: string[],
): Promise<Map<string, { version: number; hash: string; withdrawn: boolean }>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .select({
      code: procedures.code,
      version: procedures.currentVersion,
      hash: procedureVersions.contentHash,
      withdrawnAt: procedures.withdrawnAt,
    })
    .from(procedures)
    .innerJoin(procedureVersions, currentVersionOf)
    .where(inArray(procedures.code, codes));
  return new Map(
    rows.map((r) => [r.code, { version: r.version, hash: r.hash, withdrawn: r.withdrawnAt !== null }]),
  );
}

export async function insertProcedure(db: Executor, values: typeof procedures.$inferInsert): Promise<void> {
  await db.insert(procedures).values(values);
}

export async function updateProcedure(
  db: Executor,
  code: string,
  values: Partial<typeof procedures.$inferInsert>,
): Promise<void> {
  await db.update(procedures).set(values).where(eq(procedures.code, code));
}

export async function insertVersion(
  db: Executor,
  values: typeof procedureVersions.$inferInsert,
): Promise<void> {
  await db.insert(procedureVersions).values(values);
}

export async function findVersion(
  db: Executor,
  code: string,
  version: number,
): Promise<VersionRow | undefined> {
  const [row] = await db
    .select()
    .from(procedureVersions)
    .where(and(eq(procedureVersions.procedureCode, code), eq(procedureVersions.version, version)));
  return row;
}

export async function listVersions(db: Executor, code: string) {
  return db
    .select({
      version: procedureVersions.version,
      effectiveFrom: procedureVersions.effectiveFrom,
      createdAt: procedureVersions.createdAt,
      importId: procedureVersions.importId,
    })
    .from(procedureVersions)
    .where(eq(procedureVersions.procedureCode, code))
    .orderBy(desc(procedureVersions.version));
}

export interface CatalogueQuery {
  folded?: string;
  code?: string;
  field?: string;
  level?: string;
  onlineServiceLevel?: string;
  unitCode?: string;
  includeWithdrawn?: boolean;
  /** Only procedures missing a component the law requires to be published (QĐ 766, 1.3). */
  incomplete?: boolean;
  /** Match by trigram word similarity (typos) instead of containing the words. */
  fuzzy?: boolean;
  limit: number;
  offset: number;
}

/**
 * Best match first: an exact code, then names containing the folded words, then by trigram word similarity (which
 * tolerates typos and "kí"/"ký"), then by name.
 */
export async function searchProcedures(db: Executor, query: CatalogueQuery) {
  const conditions: (SQL | undefined)[] = [];
  if (!query.includeWithdrawn) conditions.push(isNull(procedures.withdrawnAt));
  if (query.field) conditions.push(eq(procedures.field, query.field));
  if (query.incomplete) conditions.push(sql`cardinality(${procedures.missingComponents}) > 0`);
  if (query.level) conditions.push(sql`${query.level} = any(${procedures.levels})`);
  if (query.onlineServiceLevel)
    conditions.push(eq(procedures.onlineServiceLevel, query.onlineServiceLevel as 'none'));
  if (query.unitCode) {
    conditions.push(
      inArray(
        procedures.code,
        db
          .select({ code: procedureOfferings.procedureCode })
          .from(procedureOfferings)
          .where(eq(procedureOfferings.unitCode, query.unitCode)),
      ),
    );
  }
  let rank: SQL | undefined;
  if (query.code) {
    // A code: exact, or its localised forms (1.001193 finds 1.001193.000.00.00.H15), never "similar" codes.
    conditions.push(
      sql`(${procedures.code} = ${query.code} or ${procedures.baseCode} = ${query.code} or ${procedures.code} like ${`${query.code}.%`})`,
    );
    rank = sql`(case when ${procedures.code} = ${query.code} then 1 else 0 end)`;
  } else if (query.folded && !query.fuzzy) {
    const q = query.folded;
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`${procedures.searchText} ilike ${pattern}`);
    // A name that starts with the words beats one that mentions them; then the closest in trigrams, which
    // favours the shorter, more specific name.
    rank = sql`(case when ${procedures.searchText} like ${`${q}%`} or ${procedures.searchText} like ${`thu tuc ${q}%`} then 1 else 0 end)
      + similarity(${q}, ${procedures.searchText})`;
  } else if (query.folded) {
    const q = query.folded;
    conditions.push(sql`${q} <% ${procedures.searchText}`);
    rank = sql`word_similarity(${q}, ${procedures.searchText}) + similarity(${q}, ${procedures.searchText})`;
  }
  const where = and(...conditions);
  // The page and the number of matches in one statement (the count as a window over the same rows); only a page
  // past the last match needs the count on its own.
  const page = await db
    .select({
      code: procedures.code,
      baseCode: procedures.baseCode,
      name: procedures.name,
      field: procedures.field,
      levels: procedures.levels,
      onlineServiceLevel: procedures.onlineServiceLevel,
      currentVersion: procedures.currentVersion,
      hasUnparsedRules: procedures.hasUnparsedRules,
      missingComponents: procedures.missingComponents,
      withdrawnAt: procedures.withdrawnAt,
      total: sql<number>`(count(*) over ())::int`,
    })
    .from(procedures)
    .where(where)
    .orderBy(...(rank ? [desc(rank)] : []), asc(procedures.name), asc(procedures.code))
    .limit(query.limit)
    .offset(query.offset);
  const items = page.map(({ total: _total, ...item }) => item);
  if (page.length > 0) return { items, total: page[0]!.total };
  if (query.offset === 0) return { items, total: 0 };
  const [total] = await db.select({ n: count() }).from(procedures).where(where);
  return { items, total: total?.n ?? 0 };
}

export async function listFields(db: Executor): Promise<{ field: string; n: number }[]> {
  return db
    .select({ field: procedures.field, n: count() })
    .from(procedures)
    .where(isNull(procedures.withdrawnAt))
    .groupBy(procedures.field)
    .orderBy(asc(procedures.field));
}

export async function insertImport(
  db: Executor,
  values: typeof procedureImports.$inferInsert,
): Promise<void> {
  await db.insert(procedureImports).values(values);
}

export async function listOfferings(db: Executor, unitCode: string): Promise<string[]> {
  const rows = await db
    .select({ code: procedureOfferings.procedureCode })
    .from(procedureOfferings)
    .where(eq(procedureOfferings.unitCode, unitCode));
  return rows.map((r) => r.code);
}

export async function insertOfferings(
  db: Executor,
  unitCode: string,
  codes: string[],
  by: string | null,
  at: Date,
): Promise<number> {
  if (codes.length === 0) return 0;
  const rows = await db
    .insert(procedureOfferings)
    .values(codes.map((procedureCode) => ({ unitCode, procedureCode, enabledAt: at, enabledBy: by })))
    .onConflictDoNothing()
    .returning({ code: procedureOfferings.procedureCode });
  return rows.length;
}

export async function deleteOfferings(db: Executor, unitCode: string, codes: string[]): Promise<number> {
  if (codes.length === 0) return 0;
  const rows = await db
    .delete(procedureOfferings)
    .where(and(eq(procedureOfferings.unitCode, unitCode), inArray(procedureOfferings.procedureCode, codes)))
    .returning({ code: procedureOfferings.procedureCode });
  return rows.length;
}

export async function existingCodes(db: Executor, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db
    .select({ code: procedures.code })
    .from(procedures)
    .where(inArray(procedures.code, codes));
  return new Set(rows.map((r) => r.code));
}

/** The current version's record of each procedure. */
export async function findCurrentRecords(db: Executor, codes: string[]) {
  if (codes.length === 0) return [];
  const rows = await db
    .select({ record: procedureVersions.record })
    .from(procedures)
    .innerJoin(procedureVersions, currentVersionOf)
    .where(inArray(procedures.code, codes));
  return rows.map((r) => r.record);
}
