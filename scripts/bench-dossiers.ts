// Dossier figures for `npm run bench`, each beside a baseline measured in the same run on the same pool:
// - counter intake: dossiers/s through the real service (receiveDossier: checks, due date, codes, rows, audit),
//   against plain INSERTs of the same rows in one transaction per dossier (what the database alone costs);
// - an officer's first queue page (20 rows, with the capped count) over 100,000 open dossiers of a province,
//   through the service and through HTTP (inject, signed in), against a primary-key lookup of one dossier.
// The queue data comes first (the intakes would add open dossiers to it); the intakes then write into the
// province-sized tables. EXPLAIN (ANALYZE, BUFFERS) of the queue statements is run once and summarised.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { Agent } from '../test/support/app.ts';
import { SCAN_PDF, TEST_PROCEDURE_CODE, testProcedureRecord } from '../test/support/dossiers.ts';
import { buildApp } from '../src/app.ts';
import { startSigningWorker, type SigningWorker } from '../src/signing-worker.ts';
import { loadConfig } from '../src/config.ts';
import { loadDemoData } from '../src/demo-data.ts';
import { createModules, type Modules } from '../src/modules.ts';
import { GENESIS_HASH, hashEntry } from '../src/modules/audit/audit-chain.ts';
import { verifyAuditChain } from '../src/modules/audit/index.ts';
import type { DossierStatus, IntakeInput } from '../src/modules/dossiers/index.ts';
import { formatDossierCode, vietnamDate } from '../src/modules/dossiers/dossier-code.ts';
import type { Principal } from '../src/modules/identity/index.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createPool, ensureDatabase, type Database } from '../src/platform/db/database.ts';
import { EmbeddedServer } from '../src/platform/db/embedded-server.ts';
import { migrate } from '../src/platform/db/migrate.ts';

const PROVINCE = '15';
const HOME = '02647';
const OPEN_DOSSIERS = 100_000;
/** Finished dossiers beside the open ones (a year of history): outside the queues' partial indexes, in the heap. */
const CLOSED_DOSSIERS = 100_000;
/** Per cent of the dossiers received at HOME on top of its share of the province (about 5,000 open there). */
const HOME_EXTRA_PERCENT = 4;
const QUEUE_REQUESTS = 300;
const QUEUE_WARMUP = 30;
const INTAKE_ROUNDS = 5;
const INTAKES_PER_ROUND = 200;
const INTAKE_WARMUP = 30;
const IN_FLIGHT = 8;
const POOL_SIZE = 10;

export interface PlanSummary {
  statement: 'page' | 'count';
  /** The plan as one line: node (index, actual rows) → child …, outermost first. */
  shape: string;
  indexes: string[];
  executionMs: number;
  planningMs: number;
  sharedHit: number;
  sharedRead: number;
  /** Seq scans of dossiers, sorts of more than 1,000 rows, heap fetches of index-only scans: what to look at. */
  warnings: string[];
  text: string;
}

export interface QueueVariant {
  name: string;
  label: string;
  query: { scope: 'mine' | 'unit'; status?: DossierStatus; deadlineState?: 'overdue' };
  url: string;
  serviceMs: number[];
  httpMs: number[];
  lookupMs: number[];
  rows: number;
  total: number;
  isTotalCapped: boolean;
  plans: PlanSummary[];
}

export interface DossiersBench {
  data: {
    open: number;
    closed: number;
    communes: number;
    openAtHome: number;
    openMineAtHome: number;
    bulkInsertMs: number;
    /** markDeadlines over the fresh data (marks nearly every open dossier), then again with nothing to change. */
    deadlineJob: { ms: number; changed: number; overdue: number; dueSoon: number; steadyMs: number };
    vacuumAnalyzeMs: number;
  };
  intake: {
    rounds: number;
    perRound: number;
    inFlight: number;
    scan: string;
    sequential: IntakeFigures;
    concurrent: IntakeFigures;
    /** The statements one receiveDossier sends, in order (first 90 characters each). */
    serviceStatements: string[];
    baselineStatements: string[];
    auditChain: { ok: boolean; entries: number };
  };
  queue: { requests: number; pageSize: number; variants: QueueVariant[] };
}

const info = () => ({ requestId: crypto.randomUUID(), ip: '127.0.0.1' });

async function inFlight(count: number, concurrency: number, work: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Dossiers per second of `count` runs of `work`, `concurrency` at a time, and this process's CPU per dossier. */
async function rate(count: number, concurrency: number, work: (i: number) => Promise<unknown>) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await inFlight(count, concurrency, work);
  const used = process.cpuUsage(cpu);
  return {
    perSecond: count / ((performance.now() - started) / 1000),
    cpuMs: (used.user + used.system) / 1000 / count,
  };
}

interface IntakeFigures {
  /** dossiers/s of each round. */
  service: number[];
  baseline: number[];
  /** CPU milliseconds of the bench process (the app's code, the driver) per dossier, each round. */
  serviceCpuMs: number[];
  baselineCpuMs: number[];
  /** dossiers/s of each round counted until the last receipt of the round was signed (signed after the answer). */
  signed: number[];
}

// --- the province's open dossiers ----------------------------------------------------------------------------

/** Folded forms are written beside the names: `applicant_search` is what foldText gives for name, ID, phone. */
const FAMILY = [
  ['Nguyễn', 'nguyen'],
  ['Trần', 'tran'],
  ['Lê', 'le'],
  ['Phạm', 'pham'],
  ['Hoàng', 'hoang'],
  ['Lò', 'lo'],
  ['Giàng', 'giang'],
  ['Vàng', 'vang'],
];
const MIDDLE = [
  ['Văn', 'van'],
  ['Thị', 'thi'],
  ['Minh', 'minh'],
  ['Thu', 'thu'],
];
const GIVEN = [
  ['An', 'an'],
  ['Bình', 'binh'],
  ['Châu', 'chau'],
  ['Dũng', 'dung'],
  ['Hoa', 'hoa'],
  ['Lan', 'lan'],
  ['Mai', 'mai'],
  ['Páo', 'pao'],
];

function textArray(values: string[][], column: 0 | 1): string {
  return `(array[${values.map((v) => `'${v[column]}'`).join(',')}])`;
}

/**
 * 100,000 open dossiers over every commune of the province (and 100,000 finished ones), in one statement. Drawn
 * from hashint4(i), so every run has the same data: statuses in realistic shares, due dates over ±30 days, about
 * 70 % of HOME's assigned dossiers with the specialist, the others with three made-up specialists per commune.
 * The counters are set past the numbers used, so the intakes that follow continue the registers.
 */
async function insertProvinceDossiers(
  pool: pg.Pool,
  specialist: Principal,
  now: Date,
  sample: { procedureName: string; returnMethod: string; fees: unknown; deadline: unknown },
) {
  const name = (column: 0 | 1, separator: string) =>
    `${textArray(FAMILY, column)}[(1 + r1 % ${FAMILY.length})::int] || '${separator}' || ` +
    `${textArray(MIDDLE, column)}[(1 + r2 % ${MIDDLE.length})::int] || '${separator}' || ` +
    `${textArray(GIVEN, column)}[(1 + r3 % ${GIVEN.length})::int]`;
  await pool.query(
    `insert into dossiers (unit_code, code, procedure_code, procedure_version, procedure_name, processing_unit_code,
       channel, applicant, representative, applicant_name, applicant_search, request_summary, sets_count,
       return_method, fees, status, assigned_to, assigned_name, filed_at, received_at, due_at, original_due_at,
       deadline, deadline_state, deadline_checked_at, supplement_requests, rescheduled, result_at, finished_at,
       returned_at, register_book, register_number, tracking_secret, version, created_by, updated_at)
     with communes as (
       select code, (row_number() over (order by code) - 1)::int as idx from admin_units
       where parent_code = $1 and level = 'commune' and valid_to is null
     ),
     drawn as (
       select i, i <= $3::int as is_open,
              hashint4(i)::bigint + 2147483648 as r1,
              hashint4(i + 10000000)::bigint + 2147483648 as r2,
              hashint4(i + 20000000)::bigint + 2147483648 as r3
       from generate_series(1, $3::int + $4::int) i
     ),
     placed as (
       select d.*, case when d.r1 % 100 < $5::int then $2::text else c.code end as unit_code,
              case when not d.is_open then 'returned'
                   when d.r3 % 20 < 3 then 'received'
                   when d.r3 % 20 < 11 then 'processing'
                   when d.r3 % 20 < 13 then 'awaiting_supplement'
                   when d.r3 % 20 < 16 then 'awaiting_approval'
                   when d.r3 % 20 < 18 then 'approved'
                   else 'result_ready' end as status,
              case when d.is_open then $6::timestamptz + ((d.r1 / 100) % 86400 - 43200) * interval '1 minute'
                   else $6::timestamptz - interval '30 days' - ((d.r1 / 100) % 480000) * interval '1 minute'
                   end as due_at
       from drawn d join communes c on c.idx = d.r2 % (select count(*) from communes)
     ),
     dated as (
       select p.*,
              least(p.due_at - interval '4 days', $6::timestamptz - interval '1 day')
                - ((p.r2 / 1000) % 600) * interval '1 minute' as filed_at,
              case when p.status = 'received' then null
                   when p.unit_code = $2::text and p.is_open and p.r2 % 10 < 7 then $7::uuid
                   else md5(p.unit_code || '-' || (p.r2 % 3))::uuid end as assigned_to,
              ${name(0, ' ')} as applicant_name,
              ${name(1, ' ')} as folded_name,
              lpad((p.i % 1000000000)::text, 12, '0') as id_number,
              '09' || lpad((p.r1 % 100000000)::text, 8, '0') as phone
       from placed p
     ),
     local_dates as (
       select d.*, to_char(d.filed_at at time zone 'UTC' + interval '7 hours', 'YYYY') as book,
              to_char(d.filed_at at time zone 'UTC' + interval '7 hours', 'YYYY-MM-DD') as day
       from dated d
     ),
     numbered as (
       -- Numbers continue the counters already used (the sample intake's).
       select d.*,
              coalesce(b.value, 0) + row_number() over (partition by d.unit_code, d.book order by d.filed_at, d.i)
                as register_number,
              coalesce(s.value, 0) + row_number() over (partition by d.unit_code, d.day order by d.filed_at, d.i)
                as day_sequence
       from local_dates d
       left join dossier_counters b on b.unit_code = d.unit_code and b.scope = d.book
       left join dossier_counters s on s.unit_code = d.unit_code and s.scope = d.day
     )
     select n.unit_code,
            n.unit_code || '-' || substr(replace(n.day, '-', ''), 3) || '-'
              || lpad(n.day_sequence::text, 4, '0'),
            $9, 1, $10, n.unit_code,
            case when n.r3 % 10 < 7 then 'in_person' when n.r3 % 10 < 9 then 'online' else 'postal' end,
            jsonb_build_object('kind', 'person', 'name', n.applicant_name, 'idNumber', n.id_number,
              'address', 'Thôn ' || (1 + n.r2 % 12) || ', xã ' || n.unit_code || ', tỉnh Lào Cai', 'phone', n.phone,
              'email', ''),
            null, n.applicant_name, n.folded_name || ' ' || n.id_number || ' ' || n.phone, $10, 1, $11, $12::jsonb,
            n.status, n.assigned_to,
            case when n.assigned_to is null then null when n.assigned_to = $7::uuid then $8
                 else 'Chuyên viên ' || (1 + n.r2 % 3) end,
            n.filed_at, n.filed_at, n.due_at, n.due_at, $13::jsonb, null, null,
            case when n.status = 'awaiting_supplement' then 1 else 0 end, false,
            case when n.status in ('result_ready', 'returned') then least(n.due_at - interval '1 day', $6::timestamptz) end,
            case when not n.is_open then n.due_at - interval '1 day' + (n.r3 % 2) * interval '20 hours' end,
            case when not n.is_open then n.due_at - interval '1 day' + (n.r3 % 2) * interval '20 hours' end,
            n.book, n.register_number, upper(substr(md5(n.i::text), 1, 6)),
            case n.status when 'received' then 1 when 'processing' then 3 when 'awaiting_supplement' then 4
                          when 'awaiting_approval' then 5 when 'approved' then 6 when 'result_ready' then 7
                          else 8 end,
            null, n.filed_at
     from numbered n`,
    [
      PROVINCE,
      HOME,
      OPEN_DOSSIERS,
      CLOSED_DOSSIERS,
      HOME_EXTRA_PERCENT,
      now,
      specialist.userId,
      specialist.fullName,
      TEST_PROCEDURE_CODE,
      sample.procedureName,
      sample.returnMethod,
      JSON.stringify(sample.fees),
      JSON.stringify(sample.deadline),
    ],
  );
  await pool.query(
    `insert into dossier_counters (unit_code, scope, value)
       select unit_code, register_book, max(register_number) from dossiers group by 1, 2
       union all
       select unit_code, to_char(filed_at at time zone 'UTC' + interval '7 hours', 'YYYY-MM-DD'),
              max(split_part(code, '-', 3)::int)
       from dossiers group by 1, 2
     on conflict (unit_code, scope) do update set value = greatest(dossier_counters.value, excluded.value)`,
  );
}

// --- plans ---------------------------------------------------------------------------------------------------

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Heap Fetches'?: number;
  'Sort Method'?: string;
  Plans?: PlanNode[];
}

function summarisePlan(
  statement: PlanSummary['statement'],
  json: { Plan: PlanNode & { 'Shared Hit Blocks'?: number; 'Shared Read Blocks'?: number } } & {
    'Execution Time': number;
    'Planning Time': number;
  },
  text: string,
): PlanSummary {
  const indexes: string[] = [];
  const warnings: string[] = [];
  const describe = (node: PlanNode): string => {
    const rows = (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1);
    if (node['Index Name']) indexes.push(node['Index Name']);
    if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'dossiers')
      warnings.push(`seq scan of dossiers (${rows} rows out)`);
    if (node['Node Type'].endsWith('Sort')) {
      const input = (node.Plans?.[0]?.['Actual Rows'] ?? 0) * (node.Plans?.[0]?.['Actual Loops'] ?? 1);
      if (input > 1000) warnings.push(`${node['Node Type'].toLowerCase()} of ${input} rows`);
    }
    if ((node['Heap Fetches'] ?? 0) > 1000) warnings.push(`${node['Heap Fetches']} heap fetches`);
    const own =
      `${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}` +
      `${!node['Index Name'] && node['Relation Name'] ? ` on ${node['Relation Name']}` : ''} (${rows})`;
    const children = (node.Plans ?? []).map(describe);
    if (children.length === 0) return own;
    return children.length === 1 ? `${own} → ${children[0]}` : `${own} → [${children.join('; ')}]`;
  };
  const shape = describe(json.Plan);
  return {
    statement,
    shape,
    indexes: [...new Set(indexes)],
    executionMs: json['Execution Time'],
    planningMs: json['Planning Time'],
    sharedHit: json.Plan['Shared Hit Blocks'] ?? 0,
    sharedRead: json.Plan['Shared Read Blocks'] ?? 0,
    warnings,
    text,
  };
}

/** The statements a call sends, recorded by a drizzle logger on a second set of modules (not the measured one). */
function capturingModules(config: ReturnType<typeof loadConfig>, pool: pg.Pool) {
  const statements: { sql: string; params: unknown[] }[] = [];
  const db = drizzle(pool, {
    logger: { logQuery: (query, params) => void statements.push({ sql: query, params }) },
  });
  return { modules: createModules({ config, db, clock: systemClock }), statements };
}

async function explainQueue(
  pool: pg.Pool,
  capture: ReturnType<typeof capturingModules>,
  actor: Principal,
  query: Parameters<Modules['dossiers']['service']['listQueue']>[1],
): Promise<PlanSummary[]> {
  capture.statements.length = 0;
  await capture.modules.dossiers.service.listQueue(actor, query, info());
  const wanted: { statement: PlanSummary['statement']; sql: string; params: unknown[] }[] = [];
  for (const s of capture.statements) {
    const text = s.sql.trim();
    if (text.startsWith('select count(*)::int as n from (select 1 from dossiers'))
      wanted.push({ statement: 'count', ...s });
    else if (/^select unit_code, code,/.test(text) && text.includes('order by due_at'))
      wanted.push({ statement: 'page', ...s });
  }
  if (wanted.length !== 2)
    throw new Error(`Expected the page and the count statements, got ${wanted.length}.`);
  const plans: PlanSummary[] = [];
  for (const s of wanted) {
    const json = await pool.query<{ 'QUERY PLAN': unknown[] }>(
      `explain (analyze, buffers, format json) ${s.sql}`,
      s.params,
    );
    const text = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${s.sql}`, s.params);
    plans.push(
      summarisePlan(
        s.statement,
        json.rows[0]!['QUERY PLAN'][0] as Parameters<typeof summarisePlan>[1],
        text.rows.map((r) => r['QUERY PLAN']).join('\n'),
      ),
    );
  }
  return plans;
}

// --- intake baseline -----------------------------------------------------------------------------------------

type Row = Record<string, unknown>;

/**
 * The rows one receiveDossier wrote (read back from the database), to be written again by plain SQL with new
 * unique keys: the two counters, the dossier, its components, its file, its action, its command, its audit entry.
 */
async function intakeTemplate(pool: pg.Pool, code: string) {
  const one = async (sql: string, params: unknown[]) => {
    const { rows } = await pool.query<Row>(sql, params);
    if (!rows[0]) throw new Error(`No row for ${sql}`);
    return rows;
  };
  return {
    dossier: (await one('select * from dossiers where unit_code = $1 and code = $2', [HOME, code]))[0]!,
    components: await one(
      'select * from dossier_components where unit_code = $1 and dossier_code = $2 order by position',
      [HOME, code],
    ),
    files: await one('select * from dossier_files where unit_code = $1 and dossier_code = $2', [HOME, code]),
    action: (
      await one('select * from dossier_actions where unit_code = $1 and dossier_code = $2', [HOME, code])
    )[0]!,
    command: (
      await one('select * from dossier_commands where unit_code = $1 and dossier_code = $2', [HOME, code])
    )[0]!,
    audit: (
      await one("select * from audit_log where target_type = 'dossier' and target_id = $1", [code])
    )[0]!,
  };
}

const jsonOrNull = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** One intake as plain SQL through the same pool: the statements receiveDossier's transaction sends, nothing else. */
function rawIntake(pool: pg.Pool, t: Awaited<ReturnType<typeof intakeTemplate>>, log?: string[]) {
  const d = t.dossier;
  return async (transactionId: string) => {
    const client = await pool.connect();
    const query = (sql: string, params: unknown[] = []) => {
      log?.push(sql.replace(/\s+/g, ' ').trim().slice(0, 90));
      return client.query<Row>(sql, params);
    };
    try {
      await query('begin');
      const now = systemClock.now();
      const counter = async (scope: string) =>
        Number(
          (
            await query(
              `insert into dossier_counters (unit_code, scope, value) values ($1, $2, 1)
               on conflict (unit_code, scope) do update set value = dossier_counters.value + 1 returning value`,
              [HOME, scope],
            )
          ).rows[0]!.value,
        );
      const daily = await counter(vietnamDate(now));
      const registerNumber = await counter(vietnamDate(now).slice(0, 4));
      const code = formatDossierCode(HOME, now, daily);
      await query(
        `insert into dossiers (unit_code, code, procedure_code, procedure_version, procedure_name,
           processing_unit_code, channel, applicant, representative, applicant_name, applicant_search,
           request_summary, sets_count, return_method, fees, status, filed_at, received_at, due_at, original_due_at,
           deadline, deadline_state, deadline_checked_at, finished_at, register_book, register_number,
           tracking_secret, version, created_by, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12, $13, $14, $15::jsonb, $16, $17, $18,
           $19, $20, $21::jsonb, $22, $23, $24, $25, $26, $27, 1, $28, $29)`,
        [
          HOME,
          code,
          d.procedure_code,
          d.procedure_version,
          d.procedure_name,
          d.processing_unit_code,
          d.channel,
          jsonOrNull(d.applicant),
          jsonOrNull(d.representative),
          d.applicant_name,
          d.applicant_search,
          d.request_summary,
          d.sets_count,
          d.return_method,
          jsonOrNull(d.fees),
          d.status,
          now,
          now,
          d.due_at,
          d.due_at,
          jsonOrNull(d.deadline),
          d.deadline_state,
          now,
          null,
          d.register_book,
          registerNumber,
          d.tracking_secret,
          d.created_by,
          now,
        ],
      );
      for (const c of t.components)
        await query(
          `insert into dossier_components (unit_code, dossier_code, position, is_provided, digitisation)
             values ($1, $2, $3, $4, $5)`,
          [HOME, code, c.position, c.is_provided, c.digitisation],
        );
      for (const f of t.files)
        await query(
          `insert into dossier_files (unit_code, id, dossier_code, kind, component_position, file_name, media_type,
             size_bytes, sha256, uploaded_at, uploaded_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            HOME,
            crypto.randomUUID(),
            code,
            f.kind,
            f.component_position,
            f.file_name,
            f.media_type,
            f.size_bytes,
            f.sha256,
            f.uploaded_at,
            f.uploaded_by,
          ],
        );
      const a = t.action;
      await query(
        `insert into dossier_actions (unit_code, dossier_code, seq, action, status_after, at, actor_id, actor_name,
           actor_role, acting_unit_code, transaction_id, details)
         values ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)`,
        [
          HOME,
          code,
          a.action,
          a.status_after,
          now,
          a.actor_id,
          a.actor_name,
          a.actor_role,
          a.acting_unit_code,
          transactionId,
          jsonOrNull(a.details),
        ],
      );
      await query(
        `insert into dossier_commands (unit_code, transaction_id, dossier_code, action, actor_id, created_at)
         values ($1, $2, $3, $4, $5, $6)`,
        [HOME, transactionId, code, t.command.action, t.command.actor_id, now],
      );
      // The audit chain as appendAudit keeps it: lock, last entry, hash over the previous hash and the fields.
      await query('select pg_advisory_xact_lock(7302512)');
      const last = (await query('select seq, hash from audit_log order by seq desc limit 1')).rows[0];
      const u = t.audit;
      const fields = {
        seq: Number(last?.seq ?? 0) + 1,
        at: now,
        actorId: u.actor_id as string | null,
        actorName: u.actor_name as string | null,
        unitCode: u.unit_code as string | null,
        action: u.action as string,
        targetType: u.target_type as string | null,
        targetId: code,
        details: u.details as Record<string, unknown>,
        requestId: crypto.randomUUID(),
      };
      const prevHash = (last?.hash as string | undefined) ?? GENESIS_HASH;
      await query(
        `insert into audit_log (seq, at, actor_id, actor_name, unit_code, action, target_type, target_id, details,
           request_id, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12)`,
        [
          fields.seq,
          fields.at,
          fields.actorId,
          fields.actorName,
          fields.unitCode,
          fields.action,
          fields.targetType,
          fields.targetId,
          JSON.stringify(fields.details),
          fields.requestId,
          prevHash,
          hashEntry(prevHash, fields),
        ],
      );
      await query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };
}

// --- the run -------------------------------------------------------------------------------------------------

/** `dir`: an empty folder for the cluster and the file store (a temporary one if not given); removed at the end. */
export async function benchDossiers(
  progress: (message: string) => void,
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-bench-dossiers-')),
): Promise<DossiersBench> {
  fs.mkdirSync(dir, { recursive: true });
  const storageDir = path.join(dir, 'files');
  const server = new EmbeddedServer({ clusterDir: path.join(dir, 'postgres'), port: 0, ownedRoot: dir });
  await server.start();
  const pool = createPool(server.connectionString('xaso'), POOL_SIZE);
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let signingWorker: SigningWorker | undefined;
  try {
    await ensureDatabase(server.connectionString('postgres'), 'xaso');
    await migrate(pool);
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PROVINCE_CODE: PROVINCE,
      STORAGE_DIR: storageDir,
      DATA_DIR: dir,
    };
    const config = loadConfig(env);
    // Receipts are signed in the signing worker thread, as `npm start` does.
    signingWorker = startSigningWorker({ connectionString: server.connectionString('xaso'), env });
    const db = drizzle(pool);
    const database: Database = {
      pool,
      db,
      description: 'bench',
      embedded: undefined,
      lock: undefined,
      close: async () => {},
    };
    const modules = createModules({ config, db, clock: systemClock, backgroundSigner: signingWorker });
    const { adminUnits, identity, procedures, calendar, dossiers } = modules;
    await adminUnits.service.loadReferenceData();
    await loadDemoData(adminUnits.service, identity.service, PROVINCE);
    await calendar.service.ensureSeeded(PROVINCE);
    await procedures.service.importCatalogue(
      {
        format: 'announcement-json',
        rows: [{ row: 1, record: testProcedureRecord(), effectiveFrom: '2026-01-01' }],
        abolished: [],
        errors: [],
      },
      { fileName: 'bench.json', dryRun: false, actor: null },
    );
    const principal = async (username: string) => {
      const { rows } = await pool.query<{ id: string }>('select id from users where username = $1', [
        username,
      ]);
      const found = rows[0] && (await identity.service.loadPrincipal(rows[0].id));
      if (!found) throw new Error(`No demo account ${username}.`);
      return found;
    };
    const desk = await principal('motcua.xa1');
    const specialist = await principal('chuyenvien.xa1');
    const upload = await dossiers.service.storeUpload(
      desk,
      HOME,
      { fileName: 'to-khai.pdf', bytes: SCAN_PDF },
      info(),
    );
    const intakeInput: IntakeInput = {
      procedureCode: TEST_PROCEDURE_CODE,
      channel: 'in_person',
      decision: 'receive',
      applicant: {
        kind: 'person',
        name: 'Lò Thị Mai',
        idNumber: '010203004567',
        address: 'Thôn Nà Hỏm, xã Bảo Yên, tỉnh Lào Cai',
        phone: '0912345678',
        email: '',
      },
      representative: null,
      requestSummary: '',
      setsCount: 1,
      returnMethod: 'at_centre',
      processingUnitCode: null,
      components: [
        { position: 1, isProvided: true, digitisation: 'scanned', uploadIds: [upload.id] },
        { position: 2, isProvided: true, digitisation: 'shown_only', uploadIds: [] },
      ],
      reasons: [],
      manualDueAt: null,
    };
    const receive = (transactionId: string) =>
      dossiers.service.receiveDossier(desk, HOME, intakeInput, info(), transactionId);

    // One real intake first: its rows give the generated dossiers their procedure name, return place, fees and
    // deadline, and the plain-SQL baseline its values. It is then closed, so exactly OPEN_DOSSIERS are open.
    const sample = await intakeTemplate(pool, (await receive('bench-sample')).code);
    await pool.query(
      "update dossiers set status = 'withdrawn', finished_at = filed_at where unit_code = $1 and code = $2",
      [HOME, sample.dossier.code],
    );

    // --- the queue over the province's open dossiers ---
    progress(
      `dossiers: generating ${OPEN_DOSSIERS.toLocaleString('en-US')} open and ${CLOSED_DOSSIERS.toLocaleString('en-US')} finished dossiers over the communes of province ${PROVINCE}`,
    );
    let t0 = performance.now();
    await insertProvinceDossiers(pool, specialist, systemClock.now(), {
      procedureName: sample.dossier.procedure_name as string,
      returnMethod: sample.dossier.return_method as string,
      fees: sample.dossier.fees,
      deadline: sample.dossier.deadline,
    });
    const bulkInsertMs = performance.now() - t0;
    t0 = performance.now();
    const marked = await dossiers.service.markDeadlines();
    const deadlineJobMs = performance.now() - t0;
    t0 = performance.now();
    await dossiers.service.markDeadlines();
    const deadlineSteadyMs = performance.now() - t0;
    t0 = performance.now();
    await pool.query('vacuum (analyze) dossiers');
    const vacuumAnalyzeMs = performance.now() - t0;
    const counts = (
      await pool.query<{ open: number; closed: number; communes: number; home: number; mine: number }>(
        `select count(*) filter (where finished_at is null)::int as open,
                count(*) filter (where finished_at is not null)::int as closed,
                count(distinct unit_code)::int as communes,
                count(*) filter (where finished_at is null and processing_unit_code = $1)::int as home,
                count(*) filter (where finished_at is null and assigned_to = $2)::int as mine
         from dossiers`,
        [HOME, specialist.userId],
      )
    ).rows[0]!;

    app = await buildApp({ config, clock: systemClock, database, ...modules });
    await app.ready();
    const agent = new Agent(app);
    const login = await agent.login('chuyenvien.xa1');
    if (login.statusCode !== 200) throw new Error(`Sign-in failed: ${login.statusCode} ${login.body}`);

    const capture = capturingModules(config, pool);
    const lookups = (
      await pool.query<{ unit_code: string; code: string }>(
        'select unit_code, code from dossiers order by md5(code) limit 1000',
      )
    ).rows;
    const lookup = (i: number) => {
      const target = lookups[(i * 7919) % lookups.length]!;
      return pool.query('select * from dossiers where unit_code = $1 and code = $2', [
        target.unit_code,
        target.code,
      ]);
    };

    const variant = (name: string, label: string, query: QueueVariant['query']): QueueVariant => {
      const params = new URLSearchParams({ scope: query.scope, unit: HOME });
      if (query.status) params.set('status', query.status);
      if (query.deadlineState) params.set('deadline', query.deadlineState);
      return {
        name,
        label,
        query,
        url: `/api/dossiers?${params}`,
        serviceMs: [],
        httpMs: [],
        lookupMs: [],
        rows: 0,
        total: 0,
        isTotalCapped: false,
        plans: [],
      };
    };
    const variants = [
      variant('mine', "specialist's own queue", { scope: 'mine' }),
      variant('unit', `unit queue of ${HOME}`, { scope: 'unit' }),
      variant('unit-status', `unit queue of ${HOME}, status processing`, {
        scope: 'unit',
        status: 'processing',
      }),
      variant('unit-overdue', `unit queue of ${HOME}, overdue`, { scope: 'unit', deadlineState: 'overdue' }),
    ];
    progress(
      `dossiers: ${QUEUE_REQUESTS} first queue pages × ${variants.length} variants, through the service and HTTP, alternated with primary-key lookups`,
    );
    for (const variant of variants) {
      const query = { unitCode: HOME, page: 1, pageSize: 20, ...variant.query };
      const page = () => dossiers.service.listQueue(specialist, query, info());
      const http = async () => {
        const response = await agent.request({ method: 'GET', url: variant.url });
        if (response.statusCode !== 200)
          throw new Error(`${variant.url}: ${response.statusCode} ${response.body}`);
        return response;
      };
      for (let i = 0; i < QUEUE_WARMUP; i++) {
        await page();
        await http();
        await lookup(i);
      }
      for (let i = 0; i < QUEUE_REQUESTS; i++) {
        let start = performance.now();
        const result = await page();
        variant.serviceMs.push(performance.now() - start);
        start = performance.now();
        await lookup(i);
        variant.lookupMs.push(performance.now() - start);
        start = performance.now();
        await http();
        variant.httpMs.push(performance.now() - start);
        variant.rows = result.items.length;
        variant.total = result.total;
        variant.isTotalCapped = result.isTotalCapped;
      }
      variant.plans = await explainQueue(pool, capture, specialist, query);
    }
    await app.close();
    app = undefined;

    // --- counter intake ---
    progress(
      `dossiers: counter intake, ${INTAKE_ROUNDS} rounds × ${INTAKES_PER_ROUND} through receiveDossier and as plain INSERTs, one at a time and ${IN_FLIGHT} in flight`,
    );
    const raw = rawIntake(pool, sample);
    for (let i = 0; i < INTAKE_WARMUP; i++) {
      await receive(`bench-warmup-${i}`);
      await raw(`bench-raw-warmup-${i}`);
    }
    await modules.signing.documents.idle();
    const receipts = await pool.query<{ status: string; count: number }>(
      "select status, count(*)::int as count from signed_documents where kind = 'receipt' group by status",
    );
    if (receipts.rows.some((r) => r.status !== 'signed'))
      throw new Error(`Receipts not signed after the warm-up: ${JSON.stringify(receipts.rows)}`);
    const figures = (): IntakeFigures => ({
      service: [],
      baseline: [],
      serviceCpuMs: [],
      baselineCpuMs: [],
      signed: [],
    });
    const intake = { sequential: figures(), concurrent: figures() };
    for (let round = 0; round < INTAKE_ROUNDS; round++) {
      for (const [target, concurrency, tag] of [
        [intake.sequential, 1, 'seq'],
        [intake.concurrent, IN_FLIGHT, 'par'],
      ] as const) {
        const service = async () => {
          const start = performance.now();
          const r = await rate(INTAKES_PER_ROUND, concurrency, (i) => receive(`bench-${tag}-${round}-${i}`));
          target.service.push(r.perSecond);
          target.serviceCpuMs.push(r.cpuMs);
          // The receipts are signed after each answer, one at a time: the round ends when the last one is.
          await modules.signing.documents.idle();
          target.signed.push(INTAKES_PER_ROUND / ((performance.now() - start) / 1000));
        };
        const baseline = async () => {
          const r = await rate(INTAKES_PER_ROUND, concurrency, (i) => raw(`bench-raw-${tag}-${round}-${i}`));
          target.baseline.push(r.perSecond);
          target.baselineCpuMs.push(r.cpuMs);
        };
        // Which goes first alternates, so that a drift of the machine does not favour one side.
        if (round % 2 === 0) {
          await service();
          await baseline();
        } else {
          await baseline();
          await service();
        }
      }
    }
    capture.statements.length = 0;
    await capture.modules.dossiers.service.receiveDossier(
      desk,
      HOME,
      intakeInput,
      info(),
      'bench-statements',
    );
    const serviceStatements = capture.statements.map((s) => s.sql.replace(/\s+/g, ' ').trim().slice(0, 90));
    const baselineStatements: string[] = [];
    await rawIntake(pool, sample, baselineStatements)('bench-raw-statements');
    const auditChain = await verifyAuditChain(db);

    return {
      data: {
        open: counts.open,
        closed: counts.closed,
        communes: counts.communes,
        openAtHome: counts.home,
        openMineAtHome: counts.mine,
        bulkInsertMs,
        deadlineJob: { ms: deadlineJobMs, ...marked, steadyMs: deadlineSteadyMs },
        vacuumAnalyzeMs,
      },
      intake: {
        rounds: INTAKE_ROUNDS,
        perRound: INTAKES_PER_ROUND,
        inFlight: IN_FLIGHT,
        scan: 'one counter upload (storeUpload) reused by every intake: component 1 scanned, component 2 shown only',
        ...intake,
        serviceStatements,
        baselineStatements,
        auditChain: { ok: auditChain.ok, entries: auditChain.entries },
      },
      queue: { requests: QUEUE_REQUESTS, pageSize: 20, variants },
    };
  } finally {
    await app?.close().catch(() => {});
    await signingWorker?.close();
    await pool.end();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
