// `npm run seed:scale -- --dossiers N [--years Y] [--seed S] [--until T] [--workers W]`: fills the database of
// DATABASE_URL (or of the running app's embedded server, or of DATA_DIR's) with realistic made-up data over all
// 3,321 communes, for measuring xaso at 1 and 10 million dossiers. Never in production. See scripts/seed-scale/.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../src/config.ts';
import { systemClock } from '../src/platform/clock.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { USAGE, UsageError, parseOptions, type ScaleOptions } from './seed-scale/options.ts';
import { SeedRefusedError, SeedStoppedError, seedScale } from './seed-scale/run.ts';

export { SCALE_PASSWORD } from './seed-scale/accounts.ts';

const REFUSED_IN_PRODUCTION =
  'Không tạo dữ liệu giả trong cơ sở dữ liệu production (NODE_ENV=production): dữ liệu quy mô lớn chỉ để đo ' +
  'hiệu năng. Hãy chạy trên một cơ sở dữ liệu thử nghiệm.';

const BYTES_PER_DOSSIER = 6.5 * 1024;

/** Free bytes on the disk of `dir` (or of the nearest folder above it that exists); null if the system does not say. */
function freeBytes(dir: string): number | null {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (fs.existsSync(current)) {
      try {
        const stats = fs.statfsSync(current);
        return stats.bavail * stats.bsize;
      } catch {
        return null;
      }
    }
    if (path.dirname(current) === current) return null;
  }
}

/** A number as Vietnamese writes it (decimal comma), with `digits` decimals. */
function decimal(value: number, digits: number): string {
  return value.toLocaleString('vi-VN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let options: ScaleOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) fail(`${error.message}\n\n${USAGE}`, 2);
    throw error;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 1);
    throw error;
  }
  // Before connecting: fake data never goes near a production database.
  if (config.env === 'production') fail(REFUSED_IN_PRODUCTION, 1);
  // Measured: 5.9 GiB per million dossiers with their indexes; the WAL and the index sorts need a little more.
  const neededBytes = options.dossiers * BYTES_PER_DOSSIER + 2 * 1024 ** 3;
  const gib = (bytes: number) =>
    `${(bytes / 1024 ** 3).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} GiB`;
  const needed = gib(neededBytes);
  if (!config.databaseUrl) {
    const free = freeBytes(config.dataDir);
    if (free !== null && free < neededBytes)
      fail(
        `Không đủ chỗ trống: ${options.dossiers.toLocaleString('vi-VN')} hồ sơ cần khoảng ${needed} ` +
          `(khoảng ${gib(BYTES_PER_DOSSIER * 1_000_000)} cho mỗi triệu hồ sơ, cùng chỉ mục), ổ chứa DATA_DIR (${config.dataDir}) chỉ còn ` +
          `${gib(free)}. Hãy giải phóng chỗ, hoặc đặt DATA_DIR trên một ổ lớn hơn.`,
        1,
      );
  }

  const say = (line: string) => process.stdout.write(`${line}\n`);
  const note = (line: string) => process.stderr.write(`${line}\n`);
  const isTerminal = process.stderr.isTTY === true;
  let shown = 0;
  let printedAt = 0;
  // On a terminal one line rewritten in place; in a log, a line every ten seconds.
  const progress = (line: string, isFinal: boolean) => {
    if (isTerminal) {
      process.stderr.write(`\r${line.padEnd(shown)}${isFinal ? '\n' : ''}`);
      shown = line.length;
    } else if (isFinal || Date.now() - printedAt >= 10_000) {
      process.stderr.write(`${line}\n`);
      printedAt = Date.now();
    }
  };

  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) {
      note('\nNhận Ctrl-C lần hai: dừng ngay. Lần chạy sau sẽ dựng lại chỉ mục và khóa ngoại còn thiếu.');
      process.exit(130);
    }
    note(
      '\nĐang dừng: hủy phần dữ liệu chưa ghi, dựng lại chỉ mục và khóa ngoại… (Ctrl-C lần nữa để dừng ngay)',
    );
    controller.abort();
  });

  const database = await openDatabase(config, { holder: 'npm run seed:scale', mayShareRunningServer: true });
  try {
    await migrate(database.pool);
    note(
      `Tạo ${options.dossiers.toLocaleString('vi-VN')} hồ sơ (${options.years} năm, hạt giống ${options.seed}, ` +
        `cần khoảng ${needed} trên đĩa của máy chủ) vào ${database.description}`,
    );
    const summary = await seedScale(
      { config, database, clock: systemClock, log: note, progress, signal: controller.signal },
      options,
    );
    const total = summary.phases.reduce((s, p) => s + p.seconds, 0);
    const loadPhase = summary.phases.find((p) => p.name.startsWith('Nạp dữ liệu'));
    say('');
    say(`Đã tạo ${summary.dossiers.toLocaleString('vi-VN')} hồ sơ từ ${summary.from} đến ${summary.until}.`);
    say('Số dòng theo bảng:');
    for (const [table, n] of Object.entries(summary.rows))
      say(`  ${table.padEnd(24)} ${n.toLocaleString('vi-VN')}`);
    say('Thời gian theo giai đoạn:');
    for (const p of summary.phases) say(`  ${decimal(p.seconds, 1).padStart(8)} giây  ${p.name}`);
    say(`  ${decimal(total, 1).padStart(8)} giây  tổng cộng`);
    if (loadPhase)
      say(
        `Tốc độ nạp: ${Math.round(summary.dossiers / loadPhase.seconds).toLocaleString('vi-VN')} hồ sơ/giây; cả lần chạy: ${Math.round(summary.dossiers / total).toLocaleString('vi-VN')} hồ sơ/giây.`,
      );
    say(
      `Luồng sinh dữ liệu chờ cơ sở dữ liệu ${decimal(summary.waitedSeconds, 1)} giây ` +
        `(${summary.workers} luồng; gần 0: việc sinh dữ liệu là giới hạn, lớn: PostgreSQL là giới hạn).`,
    );
    const { generator, database: backends } = summary.cpuSeconds;
    if (generator !== null || backends !== null) {
      const perDossier = (seconds: number) => `${Math.round((seconds * 1e6) / summary.dossiers)} µs/hồ sơ`;
      const databaseTotal = backends ? Object.values(backends).reduce((a, b) => a + b, 0) : null;
      say(
        `CPU khi nạp: luồng sinh ${generator === null ? '?' : `${decimal(generator, 1)} giây (${perDossier(generator)})`}, ` +
          `PostgreSQL (6 tiến trình COPY) ${databaseTotal === null ? '?' : `${decimal(databaseTotal, 1)} giây (${perDossier(databaseTotal)})`}.`,
      );
      if (backends)
        say(
          `  theo bảng: ${Object.entries(backends)
            .map(([t, s]) => `${t} ${decimal(s, 1)}`)
            .join(', ')} giây`,
        );
    }
    say('Trạng thái:');
    for (const [status, n] of Object.entries(summary.byStatus).sort((a, b) => b[1] - a[1]))
      say(
        `  ${status.padEnd(24)} ${n.toLocaleString('vi-VN')} (${decimal((100 * n) / summary.dossiers, 2)} %)`,
      );
    say(
      `Hồ sơ đang mở: ${decimal(100 * summary.openShare, 2)} %; có kết quả trễ hạn: ${decimal(100 * summary.lateShare, 2)} %.`,
    );
    say(`Dung lượng cơ sở dữ liệu: ${gib(summary.databaseBytes)} (pg_database_size).`);
    say(`Nhật ký kiểm tra: mục số ${summary.auditSeq} ghi lại đợt tạo dữ liệu này.`);
  } catch (error) {
    if (error instanceof SeedRefusedError) fail(error.message, 1);
    if (error instanceof SeedStoppedError) {
      process.exitCode = 130;
      note(
        error.isLoaded
          ? 'Đã dừng theo yêu cầu sau khi nạp xong: hồ sơ đã ghi, chỉ mục và khóa ngoại đã dựng lại; các bước cuối ' +
              '(đánh dấu hạn xử lý, VACUUM, mục nhật ký kiểm tra) có thể chưa chạy.'
          : 'Đã dừng theo yêu cầu: hồ sơ đang nạp dở đã được hủy (các số đã giữ chỗ trong bộ đếm để lại khoảng ' +
              'trống), chỉ mục và khóa ngoại đã được dựng lại.',
      );
      return;
    }
    throw error;
  } finally {
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `\nKhông tạo được dữ liệu: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
