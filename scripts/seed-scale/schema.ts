// Loading without the secondary indexes and foreign keys of the bulk tables (and the primary keys of the tables
// under dossiers: their rows hang off new dossier codes, which the primary key of dossiers, kept, guards), then
// building them again from their
// own definitions as PostgreSQL prints them (pg_get_indexdef, pg_get_constraintdef), so nothing drifts from the
// migrations. The definitions are saved in a table in the same transaction that drops them: if the run is
// interrupted, the next run (or the `finally` of this one) finds them there and builds what is missing.
import type pg from 'pg';

export const BULK_TABLES = [
  'dossiers',
  'dossier_actions',
  'dossier_commands',
  'dossier_components',
  'dossier_files',
  'dossier_ratings',
] as const;

const SAVED = 'seed_scale_saved_definitions';

export interface SavedDefinition {
  position: number;
  kind: 'index' | 'unique' | 'primary_key' | 'foreign_key';
  table_name: string;
  name: string;
  definition: string;
}

async function hasSavedTable(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ found: boolean }>('select to_regclass($1) is not null as found', [
    `${SAVED}`,
  ]);
  return rows[0]!.found;
}

/**
 * The bulk tables' indexes other than the primary keys, their unique constraints, their foreign keys, and the
 * primary keys of every bulk table but dossiers (whose key is what a collision with existing rows would hit, and
 * what the foreign keys refer to).
 */
export async function secondaryDefinitions(client: pg.ClientBase): Promise<SavedDefinition[]> {
  const { rows } = await client.query<Omit<SavedDefinition, 'position'>>(
    `select 'index' as kind, t.relname as table_name, i.relname as name, pg_get_indexdef(x.indexrelid) as definition
       from pg_index x
       join pg_class i on i.oid = x.indexrelid
       join pg_class t on t.oid = x.indrelid
      where t.relnamespace = (select oid from pg_namespace where nspname = current_schema()) and t.relname = any($1)
        and not x.indisprimary
        and not exists (select 1 from pg_constraint k where k.conindid = x.indexrelid and k.conrelid = x.indrelid)
     union all
     select case k.contype when 'u' then 'unique' when 'p' then 'primary_key' else 'foreign_key' end, t.relname,
            k.conname, pg_get_constraintdef(k.oid)
       from pg_constraint k
       join pg_class t on t.oid = k.conrelid
      where t.relnamespace = (select oid from pg_namespace where nspname = current_schema()) and t.relname = any($1)
        and (k.contype in ('u', 'f') or (k.contype = 'p' and t.relname <> 'dossiers'))
      order by 1, 2, 3`,
    [BULK_TABLES],
  );
  return rows.map((r, position) => ({ ...r, position }));
}

/** Saves and drops them, in one transaction. */
export async function dropSecondary(client: pg.ClientBase, saved: SavedDefinition[]): Promise<void> {
  await client.query('begin');
  try {
    await client.query(
      `create table ${SAVED} (position integer not null, kind text not null, table_name text not null,
         name text not null, definition text not null)`,
    );
    await client.query(
      `comment on table ${SAVED} is 'npm run seed:scale: indexes and constraints dropped for a bulk load, ` +
        `to be built again from these definitions (the next run does it if this one was interrupted). ` +
        `Dropped when they are all back.'`,
    );
    for (const d of saved)
      await client.query(`insert into ${SAVED} values ($1, $2, $3, $4, $5)`, [
        d.position,
        d.kind,
        d.table_name,
        d.name,
        d.definition,
      ]);
    // Foreign keys first (they may depend on a unique index), then keys and unique constraints, then indexes.
    for (const d of saved.filter((s) => s.kind === 'foreign_key'))
      await client.query(`alter table ${ident(d.table_name)} drop constraint ${ident(d.name)}`);
    for (const d of saved.filter((s) => s.kind === 'unique' || s.kind === 'primary_key'))
      await client.query(`alter table ${ident(d.table_name)} drop constraint ${ident(d.name)}`);
    for (const d of saved.filter((s) => s.kind === 'index'))
      await client.query(`drop index ${ident(d.name)}`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Session settings for building indexes: memory for the sorts, parallel workers where the server allows them. */
export async function prepareForBuilding(
  client: pg.ClientBase,
  settings: { maintenanceWorkMem: string; parallelWorkers: number },
): Promise<void> {
  await client.query(`set maintenance_work_mem = '${settings.maintenanceWorkMem}'`);
  await client.query(`set max_parallel_maintenance_workers = ${settings.parallelWorkers}`);
  await client.query(`set work_mem = '256MB'`);
}

export interface RebuildReport {
  built: { name: string; seconds: number }[];
}

/**
 * Builds every saved definition that is not in place, validates every saved foreign key, and drops the table of
 * saved definitions once all are back. `connect` gives a client per concurrent build.
 */
export async function restoreSecondary(
  connect: () => Promise<pg.Client>,
  options: {
    concurrency: number;
    prepare: (client: pg.ClientBase) => Promise<void>;
    log: (line: string) => void;
  },
): Promise<RebuildReport> {
  const report: RebuildReport = { built: [] };
  const first = await connect();
  let saved: SavedDefinition[];
  try {
    if (!(await hasSavedTable(first))) return report;
    saved = (await first.query<SavedDefinition>(`select * from ${SAVED} order by position`)).rows;
  } finally {
    await first.end();
  }
  const present = async (client: pg.ClientBase, d: SavedDefinition) => {
    if (d.kind === 'index') {
      const { rows } = await client.query(
        `select 1 from pg_class
          where relname = $1 and relkind = 'i' and relnamespace = (select oid from pg_namespace where nspname = current_schema())`,
        [d.name],
      );
      return { exists: rows.length > 0, validated: true };
    }
    const { rows } = await client.query<{ convalidated: boolean }>(
      `select k.convalidated from pg_constraint k join pg_class t on t.oid = k.conrelid
        where k.conname = $1 and t.relname = $2
          and t.relnamespace = (select oid from pg_namespace where nspname = current_schema())`,
      [d.name, d.table_name],
    );
    return { exists: rows.length > 0, validated: rows[0]?.convalidated ?? false };
  };
  const done = async (client: pg.ClientBase, d: SavedDefinition) =>
    client.query(`delete from ${SAVED} where position = $1`, [d.position]);

  const timed = async (name: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    const seconds = (performance.now() - started) / 1000;
    report.built.push({ name, seconds });
    options.log(`  ${name}: ${seconds.toLocaleString('vi-VN', { maximumFractionDigits: 1 })} giây`);
  };

  // Unique constraints and indexes of the tables, a few at a time (CREATE INDEX takes a SHARE lock: builds on the
  // same table run side by side).
  const builds = saved.filter((d) => d.kind !== 'foreign_key');
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, builds.length)) }, async () => {
      const client = await connect();
      try {
        await options.prepare(client);
        while (next < builds.length) {
          const d = builds[next++]!;
          if (!(await present(client, d)).exists)
            await timed(d.name, () =>
              client.query(
                d.kind === 'index'
                  ? d.definition
                  : `alter table ${ident(d.table_name)} add constraint ${ident(d.name)} ${d.definition}`,
              ),
            );
          await done(client, d);
        }
      } finally {
        await client.end();
      }
    }),
  );

  // Foreign keys: added NOT VALID at once (no scan), then validated side by side (VALIDATE CONSTRAINT takes a
  // SHARE UPDATE EXCLUSIVE lock on the table and only ROW SHARE on the one referenced).
  const keys = saved.filter((d) => d.kind === 'foreign_key');
  const adder = await connect();
  try {
    for (const d of keys) {
      if (!(await present(adder, d)).exists)
        await adder.query(
          `alter table ${ident(d.table_name)} add constraint ${ident(d.name)} ${d.definition} not valid`,
        );
    }
  } finally {
    await adder.end();
  }
  next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, keys.length)) }, async () => {
      const client = await connect();
      try {
        await options.prepare(client);
        while (next < keys.length) {
          const d = keys[next++]!;
          if (!(await present(client, d)).validated)
            await timed(d.name, () =>
              client.query(`alter table ${ident(d.table_name)} validate constraint ${ident(d.name)}`),
            );
          await done(client, d);
        }
      } finally {
        await client.end();
      }
    }),
  );

  const last = await connect();
  try {
    const { rows } = await last.query<{ n: number }>(`select count(*)::int as n from ${SAVED}`);
    if (rows[0]!.n === 0) await last.query(`drop table ${SAVED}`);
  } finally {
    await last.end();
  }
  return report;
}
