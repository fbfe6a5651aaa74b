// The only place with SQL for admin_units.
import { and, asc, count, eq, ilike, inArray, isNull, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { adminUnits, referenceDataLoads } from './admin-units.tables.ts';
import type { UnitRow } from './admin-units.reference.ts';

export type AdminUnitRecord = typeof adminUnits.$inferSelect;

const current = isNull(adminUnits.validTo);

export interface UnitQuery {
  folded?: string;
  level?: 'province' | 'commune';
  parentCode?: string;
  limit: number;
  offset: number;
}

function where(query: UnitQuery): SQL | undefined {
  const conditions: (SQL | undefined)[] = [current];
  if (query.level) conditions.push(eq(adminUnits.level, query.level));
  if (query.parentCode) conditions.push(eq(adminUnits.parentCode, query.parentCode));
  if (query.folded) {
    const pattern = `%${query.folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(adminUnits.searchText, pattern), eq(adminUnits.code, query.folded)));
  }
  return and(...conditions);
}

export async function searchUnits(db: Executor, query: UnitQuery) {
  const condition = where(query);
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(adminUnits)
      .where(condition)
      .orderBy(asc(adminUnits.level), asc(adminUnits.code))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ n: count() }).from(adminUnits).where(condition),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function findCurrentUnit(db: Executor, code: string): Promise<AdminUnitRecord | undefined> {
  const [row] = await db
    .select()
    .from(adminUnits)
    .where(and(eq(adminUnits.code, code), current));
  return row;
}

export async function findCurrentUnits(db: Executor, codes: string[]): Promise<AdminUnitRecord[]> {
  if (codes.length === 0) return [];
  return db
    .select()
    .from(adminUnits)
    .where(and(current, inArray(adminUnits.code, codes)));
}

export async function countCommunesByProvince(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .select({ code: adminUnits.parentCode, n: count() })
    .from(adminUnits)
    .where(and(current, eq(adminUnits.level, 'commune')))
    .groupBy(adminUnits.parentCode);
  return new Map(rows.map((r) => [r.code ?? '', r.n]));
}

export async function findLoadedChecksum(db: Executor, name: string): Promise<string | undefined> {
  const [row] = await db.select().from(referenceDataLoads).where(eq(referenceDataLoads.name, name));
  return row?.checksum;
}

/**
 * Upserts the dataset's units as current rows from `validFrom`, and closes (valid_to = `closeOn`) current units the
 * dataset no longer lists, so their history is kept.
 */
export async function upsertUnits(
  tx: Executor,
  rows: UnitRow[],
  validFrom: string,
  closeOn: string,
  legalBasis: string,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => ({ ...r, validFrom, legalBasis }));
    await tx
      .insert(adminUnits)
      .values(chunk)
      .onConflictDoUpdate({
        target: [adminUnits.code, adminUnits.validFrom],
        set: {
          level: sql`excluded.level`,
          type: sql`excluded.type`,
          parentCode: sql`excluded.parent_code`,
          name: sql`excluded.name`,
          fullName: sql`excluded.full_name`,
          nameEn: sql`excluded.name_en`,
          fullNameEn: sql`excluded.full_name_en`,
          slug: sql`excluded.slug`,
          searchText: sql`excluded.search_text`,
          legalBasis: sql`excluded.legal_basis`,
          validTo: sql`null`,
        },
      });
  }
  const codes = rows.map((r) => r.code);
  await tx
    .update(adminUnits)
    .set({ validTo: closeOn })
    .where(and(current, notInArray(adminUnits.code, codes)));
}

export async function recordLoad(tx: Executor, name: string, checksum: string, at: Date): Promise<void> {
  await tx
    .insert(referenceDataLoads)
    .values({ name, checksum, loadedAt: at })
    .onConflictDoUpdate({ target: referenceDataLoads.name, set: { checksum, loadedAt: at } });
}
