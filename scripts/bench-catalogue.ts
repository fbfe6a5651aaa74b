// Catalogue search latency over a province-sized catalogue (the shipped 394 procedures plus localised variants
// for six provinces: 2,686), beside a primary-key lookup of a procedure through the same pool in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { createProceduresService } from '../src/modules/procedures/procedures.service.ts';
import { readCatalogueFile } from '../src/modules/procedures/procedure-files.ts';
import type { ParsedCatalogue } from '../src/modules/procedures/procedure-sources.ts';
import { createAdminUnitsModule } from '../src/modules/admin-units/index.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createPool, ensureDatabase } from '../src/platform/db/database.ts';
import { EmbeddedServer } from '../src/platform/db/embedded-server.ts';
import { migrate } from '../src/platform/db/migrate.ts';

const SEED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../reference-data/procedures');
const VARIANT_PROVINCES = ['01', '04', '08', '11', '12', '14'];
const ITERATIONS = 400;

/** What citizens and officers type: with and without diacritics, typos, codes, field filters. */
const QUERIES: { q?: string; field?: string }[] = [
  { q: 'dang ky khai sinh' },
  { q: 'đăng kí khai tử' },
  { q: 'chung thuc ban sao' },
  { q: 'kết hôn' },
  { q: 'ho kinh doanh' },
  { q: 'dang ky thuong tru' },
  { q: 'cap lai giay khai sinh' },
  { q: 'nhan cha me con' },
  { q: 'xac nhan tinh trang hon nhan' },
  { q: '1.004884' },
  { q: '2.000908' },
  { q: 'khai sinh', field: 'Hộ tịch' },
  { field: 'Chứng thực' },
  { q: 'thue' },
  { q: 'dat dai' },
];

export interface CatalogueBench {
  procedures: number;
  searchMs: number[];
  lookupMs: number[];
  /** Median per query, to see which kind of search is slow. */
  perQuery: { query: string; medianMs: number }[];
}

function percentileOf(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function p50(values: number[]): number {
  return percentileOf(values, 50);
}

export function p95(values: number[]): number {
  return percentileOf(values, 95);
}

export async function benchCatalogue(progress: (message: string) => void): Promise<CatalogueBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-bench-catalogue-'));
  const server = new EmbeddedServer({ clusterDir: dir, port: 0 });
  await server.start();
  const pool = createPool(server.connectionString('xaso'), 4);
  try {
    await ensureDatabase(server.connectionString('postgres'), 'xaso');
    await migrate(pool);
    const db = drizzle(pool);
    const adminUnits = createAdminUnitsModule({ db, clock: systemClock });
    await adminUnits.service.loadReferenceData();
    const service = createProceduresService({ db, clock: systemClock, adminUnits: adminUnits.service });
    progress('catalogue: importing the seed catalogues and their localised variants');
    const national = await readCatalogueFile(
      'national-commune-procedures.json',
      fs.readFileSync(path.join(SEED, 'national-commune-procedures.json')),
    );
    const announcement = await readCatalogueFile(
      'announcement.json',
      fs.readFileSync(path.join(SEED, 'announcement-vinh-long-2637-2025.json')),
    );
    const variants: ParsedCatalogue = {
      ...national,
      rows: VARIANT_PROVINCES.flatMap((province) =>
        national.rows.map((row) => ({
          ...row,
          record: { ...row.record, code: `${row.record.baseCode}.000.00.00.H${province}` },
        })),
      ),
    };
    for (const [name, parsed] of [
      ['national', national],
      ['announcement', announcement],
      ['variants', variants],
    ] as const) {
      await service.importCatalogue(parsed, { fileName: name, dryRun: false, actor: null });
    }
    const { rows } = await pool.query<{ code: string }>('select code from procedures');
    const codes = rows.map((r) => r.code);

    progress(
      `catalogue: ${ITERATIONS} searches and ${ITERATIONS} primary-key lookups over ${codes.length} procedures`,
    );
    const search = (i: number) =>
      service.searchCatalogue({ ...QUERIES[i % QUERIES.length]!, page: 1, pageSize: 20 });
    const lookup = (i: number) =>
      pool.query('select * from procedures where code = $1', [codes[(i * 7919) % codes.length]]);
    for (let i = 0; i < 50; i++) {
      await search(i);
      await lookup(i);
    }
    const searchMs: number[] = [];
    const lookupMs: number[] = [];
    // Alternate the two so both see the same machine load.
    for (let i = 0; i < ITERATIONS; i++) {
      let t0 = performance.now();
      await search(i);
      searchMs.push(performance.now() - t0);
      t0 = performance.now();
      await lookup(i);
      lookupMs.push(performance.now() - t0);
    }
    const perQuery = QUERIES.map((query, index) => ({
      query: JSON.stringify(query),
      medianMs: p50(searchMs.filter((_, i) => i % QUERIES.length === index)),
    }));
    return { procedures: codes.length, searchMs, lookupMs, perQuery };
  } finally {
    await pool.end();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
