// `npm run seed:scale`: fills a (test) database with a country's worth of made-up dossiers for measuring xaso at 1
// and 10 million. Phases: reference data, calendars and catalogue; accounts; numbering (reserved in
// dossier_counters before anything is loaded, so an intake during or after the run continues the sequences);
// secondary indexes and foreign keys saved and dropped; the rows generated in worker threads and streamed with
// COPY into six tables at once; indexes and keys built again; the real deadline job; VACUUM (ANALYZE); one audit
// entry saying what was generated.
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import { finished } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import type { Config } from '../../src/config.ts';
import { importShippedCatalogues } from '../../src/demo-data.ts';
import { appendAudit } from '../../src/modules/audit/index.ts';
import { createModules } from '../../src/modules.ts';
import { fixedClock, type Clock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { renderPdf } from '../../src/platform/pdf/render-pdf.ts';
import { createLocalFileStore } from '../../src/platform/storage/file-store.ts';
import {
  STAFF_ACCOUNTS,
  citizenCount,
  citizenProfile,
  citizenUsername,
  createAccounts,
  readCitizens,
  readOfficers,
  staffUsername,
} from './accounts.ts';
import { loadScaleCatalogue } from './catalogue.ts';
import { COPY_TABLE_NAMES, copyStatement, type CopyTable } from './copy-text.ts';
import type { UnitKind } from './filings.ts';
import type { GenerationInput, ScaleUnit, Tally, UnitCounters } from './generator.ts';
import type { ScaleOptions } from './options.ts';
import { personName } from './people.ts';
import { Random, apportion } from './random.ts';
import {
  BULK_TABLES,
  dropSecondary,
  prepareForBuilding,
  restoreSecondary,
  secondaryDefinitions,
} from './schema.ts';
import { DAY_MS, civilDate, historyCalendar, localDay } from './work-time.ts';
import type { FromWorker, WorkerData } from './worker.ts';

export class SeedRefusedError extends Error {}

/** Stopped by the signal (Ctrl-C): before the rows were committed (nothing of them stays), or after. */
export class SeedStoppedError extends Error {
  constructor(readonly isLoaded: boolean) {
    super(isLoaded ? 'Đã dừng sau khi nạp xong dữ liệu.' : 'Đã dừng trước khi dữ liệu được ghi.');
  }
}

export interface SeedSummary {
  dossiers: number;
  rows: Record<string, number>;
  phases: { name: string; seconds: number }[];
  byStatus: Record<string, number>;
  lateShare: number;
  openShare: number;
  databaseBytes: number;
  from: string;
  until: string;
  workers: number;
  /** Time the generation threads waited for the database to take their rows, summed over the threads. */
  waitedSeconds: number;
  /** CPU time of the generation threads and of the six COPY backends (when the server runs on this machine). */
  cpuSeconds: { generator: number | null; database: Record<string, number> | null };
  auditSeq: number;
}

/** Where the unit sits in the country: busier wards and cities, quieter special zones and mountain communes. */
function unitWeight(random: Random, kind: UnitKind, provinceCode: string): number {
  const kindFactor = kind === 'phuong' ? 1.7 : kind === 'dac_khu' ? 0.6 : 1;
  const provinceFactor = ['01', '79'].includes(provinceCode)
    ? 1.3
    : ['31', '48', '92'].includes(provinceCode)
      ? 1.15
      : ['04', '08', '11', '12', '14', '15', '19', '20'].includes(provinceCode)
        ? 0.8
        : 1;
  return Math.exp(0.55 * random.normal()) * kindFactor * provinceFactor;
}

function formatCount(n: number): string {
  return Math.round(n).toLocaleString('vi-VN');
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '…';
  const s = Math.round(seconds);
  if (s < 60) return `${s} giây`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} phút ${s % 60} giây`;
  return `${Math.floor(m / 60)} giờ ${m % 60} phút`;
}

/** CPU seconds of the client's server process, read from /proc (the embedded server, or one on this machine). */
async function backendCpu(client: pg.Client): Promise<number | null> {
  try {
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const fields = fs.readFileSync(`/proc/${rows[0]!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** A client of its own for each stream and each index build, beside the app's pool (whatever its size). */
function connector(pool: pg.Pool): () => Promise<pg.Client> {
  return async () => {
    const client = new pg.Client(pool.options);
    await client.connect();
    return client;
  };
}

class CopySink {
  rows = 0;
  /** CPU seconds of the server process of this COPY, when it runs on this machine and /proc shows it. */
  cpuSeconds: number | null = null;
  private failure: Error | null = null;

  private constructor(
    readonly table: CopyTable,
    private readonly client: pg.Client,
    private readonly stream: CopyStreamQuery,
  ) {
    stream.on('error', (error: Error) => (this.failure ??= error));
  }

  static async open(connect: () => Promise<pg.Client>, table: CopyTable): Promise<CopySink> {
    const client = await connect();
    await client.query('begin');
    await client.query('set local synchronous_commit = off');
    return new CopySink(table, client, client.query(copyFrom(copyStatement(table))));
  }

  /** Resolves once the stream has room again (backpressure). Writes keep their order. */
  async write(bytes: Buffer, rows: number): Promise<void> {
    if (this.failure) throw this.failure;
    this.rows += rows;
    if (!this.stream.write(bytes)) await once(this.stream, 'drain');
  }

  async finish(): Promise<void> {
    this.stream.end();
    await finished(this.stream);
  }

  async commit(): Promise<void> {
    this.cpuSeconds = await backendCpu(this.client);
    await this.client.query('commit');
    await this.client.end();
  }

  async abort(reason: string): Promise<void> {
    if (!this.stream.destroyed) {
      this.stream.destroy(new Error(reason));
      await once(this.stream, 'close').catch(() => undefined);
    }
    await this.client.query('rollback').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}

export async function seedScale(
  deps: {
    config: Config;
    database: Database;
    clock: Clock;
    log: (line: string) => void;
    progress: (line: string, isFinal: boolean) => void;
    signal?: AbortSignal;
  },
  options: ScaleOptions,
): Promise<SeedSummary> {
  const { config, database, log } = deps;
  if (config.env === 'production')
    throw new SeedRefusedError(
      'Không tạo dữ liệu giả trong cơ sở dữ liệu production (NODE_ENV=production). ' +
        'Dữ liệu quy mô lớn chỉ để đo hiệu năng: hãy chạy trên một cơ sở dữ liệu thử nghiệm.',
    );
  const pool = database.pool;
  const connect = connector(pool);
  const phases: { name: string; seconds: number }[] = [];
  /** Whether the generated rows are committed. */
  let loaded = false;
  let phaseStarted = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    const seconds = (now - phaseStarted) / 1000;
    phases.push({ name, seconds });
    phaseStarted = now;
    log(`${name}: ${seconds.toLocaleString('vi-VN', { maximumFractionDigits: 1 })} giây`);
    if (deps.signal?.aborted) throw new SeedStoppedError(loaded);
  };
  const endMs = (options.until ?? deps.clock.now()).getTime();
  const startMs = endMs - Math.round(options.years * 365.25 * DAY_MS);
  // The generated history's "now": the deadline job judges the open dossiers at its end.
  const dataClock = options.until ? fixedClock(options.until) : deps.clock;
  // The officers, the citizens' accounts and the centres' procedures were there before the first dossier.
  const establishedAt = new Date(startMs - 30 * DAY_MS);

  // --- reference data, calendars, catalogue, offerings, the scan ---------------------------------------------
  await migrate(pool);
  const modules = createModules({ config, db: database.db, clock: deps.clock });
  await modules.adminUnits.service.loadReferenceData();
  const unitRows = (
    await pool.query<{ code: string; parent_code: string; type: UnitKind; name: string; full_name: string }>(
      `select code, parent_code, type, name, full_name from admin_units
        where level = 'commune' and valid_to is null order by code`,
    )
  ).rows;
  const provinceNames = new Map(
    (
      await pool.query<{ code: string; full_name: string }>(
        `select code, full_name from admin_units where level = 'province' and valid_to is null`,
      )
    ).rows.map((r) => [r.code, r.full_name]),
  );
  const firstYear = Number(new Date(startMs).toISOString().slice(0, 4));
  const calendars: Record<string, GenerationInput['calendars'][string]> = {};
  for (const code of provinceNames.keys()) {
    await modules.calendar.service.ensureSeeded(code);
    calendars[code] = historyCalendar(await modules.calendar.service.getCurrent(code), firstYear - 1);
  }
  const catalogueWasEmpty =
    (await modules.procedures.service.searchCatalogue({ page: 1, pageSize: 1 })).total === 0;
  if (catalogueWasEmpty) await importShippedCatalogues(modules.procedures);
  const procedures = await loadScaleCatalogue(modules.procedures);
  if (procedures.length === 0)
    throw new Error(
      'Danh mục thủ tục không có thủ tục cấp xã nào: hãy nhập danh mục trước (npm run import:procedures).',
    );
  const offerings = await pool.query(
    `insert into procedure_offerings (unit_code, procedure_code, enabled_at)
     select u.code, p.code, $2 from admin_units u cross join unnest($1::text[]) as p (code)
      where u.level = 'commune' and u.valid_to is null
     on conflict do nothing`,
    [procedures.map((p) => p.code), establishedAt],
  );
  const scan = await renderPdf({
    info: {
      title: 'Bản quét mẫu (dữ liệu thử nghiệm quy mô lớn)',
      author: 'xaso (npm run seed:scale)',
      creationDate: new Date(Date.UTC(2026, 0, 1)),
    },
    content: [
      { text: 'Bản quét mẫu của giấy tờ', bold: true, fontSize: 14, margin: [0, 0, 0, 8] },
      { text: 'Dữ liệu thử nghiệm quy mô lớn do npm run seed:scale tạo ra; không có giá trị pháp lý.' },
    ],
  });
  const sha256 = await createLocalFileStore(config.storageDir).put(scan);
  phase('Chuẩn bị (đơn vị hành chính, lịch, danh mục thủ tục, thủ tục của từng xã)');

  // --- how many dossiers each commune gets, its citizens, the accounts ---------------------------------------
  const unitRandom = new Random(`units:${options.seed}`);
  const weights = unitRows.map((u) => unitWeight(unitRandom, u.type, u.parent_code));
  const counts = apportion(options.dossiers, weights);
  const citizens = citizenCount(options.dossiers);
  let cumulative = 0;
  const units: ScaleUnit[] = unitRows.map((u, i) => {
    const from = Math.floor((citizens * cumulative) / options.dossiers);
    cumulative += counts[i]!;
    let to = Math.floor((citizens * cumulative) / options.dossiers);
    let first = from;
    if (to <= first) {
      first = Math.min(first, citizens - 1);
      to = first + 1;
    }
    return {
      code: u.code,
      provinceCode: u.parent_code,
      type: u.type,
      kind: u.type,
      name: u.name,
      fullName: u.full_name,
      provinceFullName: provinceNames.get(u.parent_code) ?? '',
      dossiers: counts[i]!,
      citizens: [first, to],
      start: { years: {}, days: {} },
    };
  });
  const homeOf = new Int32Array(citizens);
  units.forEach((u, i) => {
    for (let c = u.citizens[0]; c < u.citizens[1]; c++) homeOf[c] = i;
  });
  const created = await createAccounts(
    pool,
    (function* () {
      for (const unit of units)
        for (const account of STAFF_ACCOUNTS) {
          const username = staffUsername(account.prefix, unit.code);
          yield {
            username,
            fullName: personName(new Random(`staff:${username}`), unit.provinceCode).fullName,
            email: null,
            phone: null,
            role: account.role,
            unitCode: unit.code,
          };
        }
      for (let n = 1; n <= citizens; n++) {
        const profile = citizenProfile(n, units[homeOf[n - 1]!]!.provinceCode);
        yield {
          username: citizenUsername(n),
          fullName: profile.fullName,
          email: profile.email,
          phone: profile.phone,
          role: 'citizen' as const,
          unitCode: null,
        };
      }
    })(),
    establishedAt,
  );
  const officers = await readOfficers(
    pool,
    units.map((u) => u.code),
  );
  const citizenRows = await readCitizens(pool, citizens);
  phase(`Tài khoản (${formatCount(created)} tài khoản mới)`);

  // --- numbering after what the database holds, reserved before loading --------------------------------------
  const existing = await pool.query<{ unit_code: string; scope: string; value: number }>(
    `select unit_code, scope, value from dossier_counters
     union all
     select unit_code, register_book, max(register_number) from dossiers group by 1, 2
     union all
     select unit_code, '20' || substr(code, 7, 2) || '-' || substr(code, 9, 2) || '-' || substr(code, 11, 2),
            max(split_part(code, '-', 3)::int)
       from dossiers where code ~ '^[0-9]{5}-[0-9]{6}-[0-9]{4,}$' group by 1, 2`,
  );
  const unitIndex = new Map(units.map((u, i) => [u.code, i]));
  for (const row of existing.rows) {
    const unit = units[unitIndex.get(row.unit_code) ?? -1];
    if (!unit) continue;
    const bucket = row.scope.length === 4 ? unit.start.years : unit.start.days;
    bucket[row.scope] = Math.max(bucket[row.scope] ?? 0, row.value);
  }
  const workerCount = Math.max(1, options.workers ?? os.availableParallelism() - 1);
  const active = units.map((_, i) => i).filter((i) => units[i]!.dossiers > 0);
  const slices: number[][] = [];
  {
    // Contiguous slices of about the same number of dossiers: each thread appends near its own end of the keys.
    const perWorker = options.dossiers / workerCount;
    let current: number[] = [];
    let sum = 0;
    for (const i of active) {
      current.push(i);
      sum += units[i]!.dossiers;
      if (sum >= perWorker * (slices.length + 1) && slices.length < workerCount - 1) {
        slices.push(current);
        current = [];
      }
    }
    slices.push(current);
  }
  const input: Omit<GenerationInput, 'citizens'> = {
    seed: options.seed,
    startMs,
    endMs,
    recentFrom: civilDate(localDay(endMs) - 31),
    procedures,
    calendars,
    units,
    officers,
    file: { sha256, sizeBytes: scan.length },
  };
  const workers = slices.map((assigned) => {
    const from = Math.min(...assigned.map((i) => units[i]!.citizens[0]));
    const to = Math.max(...assigned.map((i) => units[i]!.citizens[1]));
    const data: WorkerData = {
      input: {
        ...input,
        citizens: {
          offset: from,
          ids: citizenRows.ids.slice(from, to),
          names: citizenRows.names.slice(from, to),
          phones: citizenRows.phones.slice(from, to),
          emails: citizenRows.emails.slice(from, to),
        },
      },
      assigned,
      credits: 24,
    };
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./worker.ts', import.meta.url).href;
    // The worker's TypeScript is loaded through tsx's loader, registered in the thread first.
    return new Worker(
      `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`,
      { eval: true, workerData: data },
    );
  });
  const failures: Error[] = [];
  const handlers = new Map<Worker, (m: FromWorker) => void>();
  for (const worker of workers) {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'failed') failures.push(new Error(`Luồng sinh dữ liệu lỗi: ${m.message}`));
      else handlers.get(worker)?.(m);
    });
    worker.on('error', (e) => failures.push(e));
  }
  const messages = (worker: Worker, handle: (m: FromWorker) => void) => handlers.set(worker, handle);
  const stopWorkers = async () => {
    await Promise.all(workers.map((w) => w.terminate()));
  };

  let sinks: CopySink[] = [];
  let reservedCounters = 0;
  let waitedSeconds = 0;
  let generatorCpuSeconds: number | null = null;
  let tally: Tally = { dossiers: 0, byStatus: {}, late: 0, finishedWithResult: 0 };
  try {
    const counters: UnitCounters[] = [];
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            messages(worker, (m) => {
              if (m.type === 'planned') {
                counters.push(...m.counters);
                resolve();
              }
            });
            worker.once('error', reject);
            worker.on('message', (m: FromWorker) => {
              if (m.type === 'failed') reject(new Error(`Luồng sinh dữ liệu lỗi: ${m.message}`));
            });
            worker.postMessage({ type: 'plan' });
          }),
      ),
    );
    if (failures.length) throw failures[0];
    await pool.query(
      `insert into dossier_counters (unit_code, scope, value)
       select * from unnest($1::text[], $2::text[], $3::int[])
       on conflict (unit_code, scope) do update set value = greatest(dossier_counters.value, excluded.value)`,
      [counters.map((c) => c.unitCode), counters.map((c) => c.scope), counters.map((c) => c.value)],
    );
    reservedCounters = counters.length;
    phase(`Đánh số hồ sơ và giữ chỗ bộ đếm (${formatCount(counters.length)} bộ đếm)`);

    // --- indexes and foreign keys out, the rows in -----------------------------------------------------------
    const admin = await connect();
    try {
      // An earlier run that was stopped before it could build them again left their definitions: build them first.
      const repaired = await restoreSecondary(connect, {
        concurrency: 1,
        prepare: (c) => prepareForBuilding(c, buildSettings()),
        log,
      });
      if (repaired.built.length > 0)
        log(
          `Đã dựng lại ${repaired.built.length} chỉ mục và khóa mà lần chạy trước (bị dừng giữa chừng) để lại.`,
        );
      await dropSecondary(admin, await secondaryDefinitions(admin));
    } finally {
      await admin.end();
    }
    phase('Gỡ chỉ mục phụ và khóa ngoại (định nghĩa được lưu lại)');

    sinks = await Promise.all(COPY_TABLE_NAMES.map((t) => CopySink.open(connect, t)));
    const byTable = new Map(sinks.map((s) => [s.table, s]));
    let done = 0;
    const loadStarted = performance.now();
    let lastReport = 0;
    const report = (isFinal: boolean) => {
      const seconds = (performance.now() - loadStarted) / 1000;
      const rate = done === 0 ? 0 : done / Math.max(seconds, 0.001);
      deps.progress(
        `Đang tạo hồ sơ: ${formatCount(done)}/${formatCount(options.dossiers)} ` +
          `(${((100 * done) / options.dossiers).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} %), ` +
          `${formatCount(rate)} hồ sơ/giây, ` +
          (isFinal
            ? `xong sau ${formatDuration(seconds)}`
            : `còn khoảng ${formatDuration(rate > 0 ? (options.dossiers - done) / rate : Infinity)}`),
        isFinal,
      );
    };
    const tallies: Tally[] = [];
    await new Promise<void>((resolve, reject) => {
      let running = workers.length;
      let check: ReturnType<typeof setInterval> | undefined = undefined;
      const onAbort = () => fail(new SeedStoppedError(false));
      // Whichever way it ends, the progress timer and the signal's listener go with it.
      const settle = () => {
        clearInterval(check);
        deps.signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: Error) => {
        settle();
        reject(error);
      };
      if (deps.signal?.aborted) return onAbort();
      deps.signal?.addEventListener('abort', onAbort, { once: true });
      check = setInterval(() => {
        if (failures.length) return fail(failures[0]!);
        const now = performance.now();
        if (now - lastReport >= 1000) {
          lastReport = now;
          report(false);
        }
      }, 250);
      for (const worker of workers) {
        messages(worker, (m) => {
          if (m.type === 'chunk') {
            done += m.dossiers;
            byTable
              .get(m.table)!
              .write(Buffer.from(m.buffer, 0, m.length), m.rows)
              .then(() => worker.postMessage({ type: 'credit' }))
              .catch(fail);
          } else if (m.type === 'done') {
            done += m.dossiers;
            tallies.push(m.tally);
            waitedSeconds += m.waitedMs / 1000;
            if (m.cpuSeconds !== null) generatorCpuSeconds = (generatorCpuSeconds ?? 0) + m.cpuSeconds;
            if (--running === 0) {
              settle();
              resolve();
            }
          }
        });
      }
      for (const worker of workers) worker.postMessage({ type: 'generate' });
    });
    report(true);
    await Promise.all(sinks.map((s) => s.finish()));
    // Dossiers first: the window between the commits is milliseconds.
    for (const sink of sinks) await sink.commit();
    loaded = true;
    tally = mergeTallies(tallies);
    phase(`Nạp dữ liệu bằng COPY (${workers.length} luồng sinh, ${sinks.length} bảng song song)`);
    // Before the indexes exist, so it only walks the heap: every new page is visited once (hint bits, the
    // visibility map, frozen), and the index builds, the key checks and the load test then only read.
    await vacuum(connect, BULK_TABLES, 'freeze');
    phase('VACUUM (FREEZE) các bảng vừa nạp, trước khi có chỉ mục');
  } finally {
    await stopWorkers();
    if (!loaded) await Promise.all(sinks.map((s) => s.abort('Dừng nạp dữ liệu')));
    // Whatever happened, the indexes and foreign keys come back (from the saved definitions).
    log('Dựng lại chỉ mục và khóa ngoại:');
    await restoreSecondary(connect, {
      concurrency: 2,
      prepare: (c) => prepareForBuilding(c, buildSettings()),
      log,
    });
    phase('Dựng lại chỉ mục phụ và khóa ngoại');
  }

  // --- the deadline job, statistics, the audit entry -----------------------------------------------------------
  const marked = await createModules({
    config,
    db: database.db,
    clock: dataClock,
  }).dossiers.service.markDeadlines();
  phase(`Việc đánh dấu hạn xử lý (${formatCount(marked.changed)} hồ sơ đổi trạng thái hạn)`);
  await vacuum(
    connect,
    [...BULK_TABLES, 'dossier_counters', 'users', 'role_grants', 'procedure_offerings'],
    'analyze',
  );
  phase('VACUUM (ANALYZE)');

  const rows: Record<string, number> = Object.fromEntries(sinks.map((s) => [s.table, s.rows]));
  const databaseCpu = sinks.every((s) => s.cpuSeconds !== null)
    ? Object.fromEntries(sinks.map((s) => [s.table, s.cpuSeconds!]))
    : null;
  rows.dossier_counters = reservedCounters;
  rows.users_and_role_grants = created;
  rows.procedure_offerings = offerings.rowCount ?? 0;
  const databaseBytes = Number(
    (await pool.query<{ size: string }>('select pg_database_size(current_database()) as size')).rows[0]!.size,
  );
  const open = Object.entries(tally.byStatus)
    .filter(([s]) => !['returned', 'refused', 'stopped', 'withdrawn', 'returned_for_completion'].includes(s))
    .reduce((sum, [, n]) => sum + n, 0);
  const auditSeq = await database.db.transaction((tx) =>
    appendAudit(tx, deps.clock, {
      actorName: 'npm run seed:scale',
      action: 'seed.scale.generated',
      targetType: 'database',
      targetId: 'scale-data',
      details: {
        note:
          'Dữ liệu giả để đo hiệu năng: các bước hồ sơ không có mục nhật ký kiểm tra riêng (chuỗi băm không được ' +
          'dựng giả cho lịch sử); chỉ mục này ghi lại đợt tạo dữ liệu.',
        dossiers: options.dossiers,
        years: options.years,
        seed: options.seed,
        from: new Date(startMs).toISOString(),
        until: new Date(endMs).toISOString(),
        rows,
        byStatus: tally.byStatus,
        procedures: procedures.length,
        catalogueImported: catalogueWasEmpty,
        scanSha256: sha256,
      },
    }),
  );
  return {
    dossiers: tally.dossiers,
    rows,
    phases,
    byStatus: tally.byStatus,
    lateShare: tally.finishedWithResult ? tally.late / tally.finishedWithResult : 0,
    openShare: tally.dossiers ? open / tally.dossiers : 0,
    databaseBytes,
    from: new Date(startMs).toISOString(),
    until: new Date(endMs).toISOString(),
    workers: workers.length,
    waitedSeconds,
    cpuSeconds: { generator: generatorCpuSeconds, database: databaseCpu },
    auditSeq,
  };
}

/** VACUUM of each table, two at a time on their own connections. */
async function vacuum(
  connect: () => Promise<pg.Client>,
  tables: readonly string[],
  option: 'freeze' | 'analyze',
) {
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      const client = await connect();
      try {
        // Smaller full-page images in the WAL where the server lets this session choose (superuser only).
        await client.query(`set wal_compression = 'lz4'`).catch(() => undefined);
        while (next < tables.length) await client.query(`vacuum (${option}) ${tables[next++]}`);
      } finally {
        await client.end();
      }
    }),
  );
}

/** Memory for the index sorts (at most 1 GB, a sixteenth of the machine's) and parallel workers. */
function buildSettings() {
  const megabytes = Math.max(64, Math.min(1024, Math.floor(os.totalmem() / 16 / 1024 / 1024)));
  return { maintenanceWorkMem: `${megabytes}MB`, parallelWorkers: Math.min(4, os.availableParallelism()) };
}

function mergeTallies(tallies: Tally[]): Tally {
  const total: Tally = { dossiers: 0, byStatus: {}, late: 0, finishedWithResult: 0 };
  for (const t of tallies) {
    total.dossiers += t.dossiers;
    total.late += t.late;
    total.finishedWithResult += t.finishedWithResult;
    for (const [status, n] of Object.entries(t.byStatus))
      total.byStatus[status] = (total.byStatus[status] ?? 0) + n;
  }
  return total;
}
