// What the workload needs, read from the database before the run: dossiers with their tracking secrets, the officers
// of some communes with open dossiers of their units, citizens, the procedures offered and those filed online with
// answers that their e-forms accept. Every read goes through an index or a table sample, so that it stays quick on
// ten million dossiers.
import type pg from 'pg';
import { eFormPages, readPage, type EFormField } from '../../src/modules/dossiers/eform.ts';
import { procedureComponents } from '../../src/modules/dossiers/dossiers.service.ts';
import type { ProcedureRecord } from '../../src/modules/procedures/index.ts';
import { shuffle, type Random } from './random.ts';

export interface TrackingTarget {
  code: string;
  secret: string;
  status: string;
}

export type OfficerRole = 'desk_officer' | 'specialist' | 'leader';

export interface Officer {
  userId: string;
  username: string;
  role: OfficerRole;
  unitCode: string;
}

/** A commune whose desk officer, specialists and leader the workload signs in as. */
export interface UnitStaff {
  unitCode: string;
  desk: Officer;
  specialists: Officer[];
  leader: Officer;
}

/** An open dossier in a status the officers' action cycle starts from, at its processing unit. */
export interface OpenDossier {
  code: string;
  unitCode: string;
  status: string;
}

export interface FilingProcedure {
  code: string;
  /** Each e-form page with the form fields a citizen would send for it (checked by the app's own readPage). */
  answers: Map<string, Record<string, string>>;
  /** Component positions a file is uploaded for: every required one, or the first when none is required. */
  uploadPositions: number[];
}

export interface Sample {
  trackingTargets: TrackingTarget[];
  units: UnitStaff[];
  openDossiers: OpenDossier[];
  citizens: string[];
  catalogueProcedures: string[];
  filingProcedures: FilingProcedure[];
  data: {
    /** pg_class.reltuples (or an exact count on a table never analysed). */
    dossiers: number;
    communesWithStaff: number;
    trackingStatuses: Record<string, number>;
    filingProceduresSkipped: number;
  };
}

/** The statuses the action cycle works from (none of its actions signs a document; see workload.ts). */
export const CYCLE_STATUSES = ['received', 'processing', 'awaiting_supplement', 'awaiting_approval'] as const;

export interface SampleSizes {
  trackingTargets: number;
  /** Communes whose officers sign in, at least (for the queue pages)… */
  units: number;
  /** …and at most, while looking for open dossiers for the actions. */
  maxUnits: number;
  openDossiers: number;
  dossiersPerUnit: number;
  citizens: number;
  procedures: number;
}

async function estimatedRows(pool: pg.Pool, table: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    "select reltuples::bigint::text as n from pg_class where relname = $1 and relkind in ('r', 'p')",
    [table],
  );
  const estimate = Number(rows[0]?.n ?? -1);
  if (estimate >= 0) return estimate;
  const counted = await pool.query<{ n: string }>(`select count(*)::text as n from ${table}`);
  return Number(counted.rows[0]?.n ?? 0);
}

/** Communes with a desk officer, a specialist and a leader, in a random order. */
async function staffedCommunes(pool: pg.Pool, random: Random): Promise<UnitStaff[]> {
  const { rows } = await pool.query<{ unit_code: string; role: OfficerRole; id: string; username: string }>(
    `select g.unit_code, g.role, u.id, u.username
       from role_grants g join users u on u.id = g.user_id
      where g.revoked_at is null and u.is_active and length(g.unit_code) = 5
        and g.role in ('desk_officer', 'specialist', 'leader')
      order by g.unit_code, u.username`,
  );
  const byUnit = new Map<string, Officer[]>();
  for (const r of rows) {
    const officers = byUnit.get(r.unit_code) ?? [];
    officers.push({ userId: r.id, username: r.username, role: r.role, unitCode: r.unit_code });
    byUnit.set(r.unit_code, officers);
  }
  const staffed: UnitStaff[] = [];
  for (const [unitCode, officers] of byUnit) {
    const desk = officers.find((o) => o.role === 'desk_officer');
    const leader = officers.find((o) => o.role === 'leader');
    const specialists = officers.filter((o) => o.role === 'specialist');
    if (desk && leader && specialists.length > 0) staffed.push({ unitCode, desk, specialists, leader });
  }
  return shuffle(random, staffed);
}

/**
 * Dossiers people follow: those being processed and those filed in the last 60 days (a citizen scans the receipt's QR
 * code while waiting and when the result is ready, seldom years later), of communes taken at random; read through
 * the queue's and the register's indexes. A small database (the demo data) is read whole.
 */
async function sampleTracking(
  pool: pg.Pool,
  communes: readonly string[],
  wanted: number,
  seed: number,
  random: Random,
) {
  const dossiers = await estimatedRows(pool, 'dossiers');
  const found = new Map<string, TrackingTarget>();
  if (dossiers <= wanted * 4) {
    const { rows } = await pool.query<{ code: string; tracking_secret: string; status: string }>(
      'select code, tracking_secret, status from dossiers order by code limit $1',
      [wanted * 4],
    );
    for (const r of rows) found.set(r.code, { code: r.code, secret: r.tracking_secret, status: r.status });
  } else {
    for (const unitCode of communes) {
      if (found.size >= wanted) break;
      const { rows } = await pool.query<{ code: string; tracking_secret: string; status: string }>(
        `(select code, tracking_secret, status from dossiers
           where processing_unit_code = $1 and finished_at is null order by due_at nulls last, code limit 12)
         union all
         (select code, tracking_secret, status from dossiers
           where unit_code = $1 and filed_at > now() - interval '60 days' order by filed_at desc limit 8)`,
        [unitCode],
      );
      for (const r of rows) found.set(r.code, { code: r.code, secret: r.tracking_secret, status: r.status });
    }
    if (found.size < wanted) {
      // Communes without recent work: a block sample of the rest fills the list.
      const percent = Math.max(0.001, Math.min(100, (400 * (wanted - found.size)) / dossiers));
      const { rows } = await pool.query<{ code: string; tracking_secret: string; status: string }>(
        `select code, tracking_secret, status from dossiers tablesample system (${percent}) repeatable (${seed})`,
      );
      for (const r of rows.slice(0, wanted - found.size))
        found.set(r.code, { code: r.code, secret: r.tracking_secret, status: r.status });
    }
  }
  return { dossiers, targets: shuffle(random, [...found.values()]).slice(0, wanted) };
}

/**
 * The communes whose officers the workload signs in as: first those with open dossiers in the action cycle's statuses
 * (read through the queue's index) until there are enough of both, then others for the queue pages alone.
 */
async function sampleUnits(pool: pg.Pool, staffed: readonly UnitStaff[], sizes: SampleSizes) {
  const units: UnitStaff[] = [];
  const openDossiers: OpenDossier[] = [];
  const idle: UnitStaff[] = [];
  for (const unit of staffed) {
    if (units.length >= sizes.maxUnits) break;
    if (units.length >= sizes.units && openDossiers.length >= sizes.openDossiers) break;
    const { rows: open } = await pool.query<{ code: string; status: string }>(
      `select code, status from dossiers
        where processing_unit_code = $1 and finished_at is null and status = any($2)
        order by due_at nulls last, code limit $3`,
      [unit.unitCode, CYCLE_STATUSES, sizes.dossiersPerUnit],
    );
    if (open.length === 0) {
      if (idle.length < sizes.units) idle.push(unit);
      continue;
    }
    units.push(unit);
    for (const d of open) openDossiers.push({ code: d.code, unitCode: unit.unitCode, status: d.status });
  }
  // Queue pages need officers even where nothing is open.
  while (units.length < sizes.units && idle.length > 0) units.push(idle.shift()!);
  return { units, openDossiers };
}

async function sampleCitizens(pool: pg.Pool, wanted: number, seed: number) {
  await pool.query('select setseed($1)', [(seed % 1000) / 1000]);
  const { rows } = await pool.query<{ username: string }>(
    `select u.username from role_grants g join users u on u.id = g.user_id
      where g.role = 'citizen' and g.revoked_at is null and u.is_active
      order by random() limit $1`,
    [wanted],
  );
  return rows.map((r) => r.username);
}

async function sampleCatalogue(pool: pg.Pool, wanted: number, random: Random) {
  const { rows: offered } = await pool.query<{ code: string }>(
    `select p.code from procedures p
      where p.withdrawn_at is null
        and exists (select 1 from procedure_offerings o where o.procedure_code = p.code)`,
  );
  const { rows } = offered.length
    ? { rows: offered }
    : await pool.query<{ code: string }>('select code from procedures where withdrawn_at is null');
  return shuffle(
    random,
    rows.map((r) => r.code),
  ).slice(0, wanted);
}

/** A value the field accepts, as a citizen would type it; undefined when the tool cannot make one (a pattern). */
function answerOf(field: EFormField): string | undefined {
  switch (field.kind) {
    case 'choice':
      return field.options[0]?.value;
    case 'yes_no':
      return 'true';
    case 'date':
      return '2020-05-17';
    case 'email':
      return 'congdan@example.com';
    case 'integer':
    case 'number': {
      const low = field.minimum ?? 1;
      return String(field.maximum !== undefined ? Math.min(low, field.maximum) : low);
    }
    default: {
      if (field.pattern !== undefined) return undefined;
      const base = 'Đề nghị cơ quan giải quyết thủ tục hành chính cho gia đình tôi';
      const length = Math.max(field.minLength ?? 0, Math.min(base.length, field.maxLength ?? base.length));
      return base.padEnd(length, '.').slice(0, length);
    }
  }
}

async function sampleFiling(pool: pg.Pool, wanted: number, random: Random) {
  const { rows } = await pool.query<{ code: string; record: ProcedureRecord }>(
    `select p.code, v.record from procedures p
       join procedure_versions v on v.procedure_code = p.code and v.version = p.current_version
      where p.withdrawn_at is null and v.record->'channels' @> '[{"channel":"online"}]'`,
  );
  const procedures: FilingProcedure[] = [];
  let skipped = 0;
  for (const { code, record } of shuffle(random, rows)) {
    if (procedures.length >= wanted) break;
    const answers = new Map<string, Record<string, string>>();
    let isAnswerable = true;
    for (const page of eFormPages(record.eForm)) {
      const raw: Record<string, string> = {};
      for (const field of page.fields) {
        const value = answerOf(field);
        if (value !== undefined) raw[field.name] = value;
      }
      if (readPage(page, raw).errors.length > 0) isAnswerable = false;
      answers.set(page.slug, raw);
    }
    const components = procedureComponents(record);
    if (!isAnswerable || components.length === 0) {
      skipped++;
      continue;
    }
    const required = components.filter((c) => c.isRequired).map((c) => c.position);
    procedures.push({
      code,
      answers,
      uploadPositions: required.length > 0 ? required : [components[0]!.position],
    });
  }
  return { procedures, skipped };
}

export async function sampleDatabase(
  pool: pg.Pool,
  sizes: SampleSizes,
  seed: number,
  random: Random,
): Promise<Sample> {
  const staffed = await staffedCommunes(pool, random);
  const tracking = await sampleTracking(
    pool,
    staffed.map((u) => u.unitCode),
    sizes.trackingTargets,
    seed,
    random,
  );
  const staff = await sampleUnits(pool, staffed, sizes);
  const citizens = await sampleCitizens(pool, sizes.citizens, seed);
  const catalogueProcedures = await sampleCatalogue(pool, sizes.procedures, random);
  const filing = await sampleFiling(pool, sizes.procedures, random);
  const trackingStatuses: Record<string, number> = {};
  for (const t of tracking.targets) trackingStatuses[t.status] = (trackingStatuses[t.status] ?? 0) + 1;
  return {
    trackingTargets: tracking.targets,
    units: staff.units,
    openDossiers: staff.openDossiers,
    citizens,
    catalogueProcedures,
    filingProcedures: filing.procedures,
    data: {
      dossiers: tracking.dossiers,
      communesWithStaff: staffed.length,
      trackingStatuses,
      filingProceduresSkipped: filing.skipped,
    },
  };
}
