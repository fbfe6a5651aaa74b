// The command line of `npm run seed:scale`: parsed once into typed options, or a Vietnamese usage message.

export interface ScaleOptions {
  /** How many dossiers to generate (besides any already in the database). */
  dossiers: number;
  /** Years of history, ending at `until`. */
  years: number;
  /** The same seed on the same starting database and the same `until` gives the same data. */
  seed: number;
  /** The end of the history (the "now" of the generated data); null: the moment of the run. */
  until: Date | null;
  /** Threads generating rows; null: one fewer than the cores (at least one). */
  workers: number | null;
}

export const USAGE = `Cách dùng: npm run seed:scale -- --dossiers N [--years Y] [--seed S] [--until THỜI_ĐIỂM] [--workers W]

  --dossiers N    số hồ sơ cần tạo (bắt buộc), ví dụ 100000, 1_000_000, 1e6, 10000000
  --years Y       số năm lịch sử, kết thúc tại thời điểm chạy (mặc định 5, từ 1 đến 20)
  --seed S        số nguyên không âm: cùng hạt giống cho cùng dữ liệu (mặc định 1)
  --until T       thời điểm kết thúc lịch sử, ISO 8601 (ví dụ 2026-12-01T10:00:00+07:00); mặc định là lúc chạy
  --workers W     số luồng sinh dữ liệu (mặc định: số nhân CPU trừ 1, ít nhất 1)

Chỉ dùng cho cơ sở dữ liệu thử nghiệm: dữ liệu là giả, không bao giờ nạp vào cơ sở dữ liệu production.`;

export class UsageError extends Error {}

/** "1_000_000", "1e6", "10000000" → an integer, or null when it is not a whole number written one of those ways. */
export function parseCount(text: string): number | null {
  const cleaned = text.replace(/_/g, '');
  if (!/^(\d+(\.\d+)?([eE]\+?\d+)?)$/.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isSafeInteger(value) ? value : null;
}

export function parseOptions(args: readonly string[]): ScaleOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--(dossiers|years|seed|until|workers)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`Không hiểu tham số “${arg}”.`);
    const name = match[1]!;
    if (values.has(name)) throw new UsageError(`Tham số --${name} được ghi hai lần.`);
    const value = match[2] ?? args[++i];
    if (value === undefined || value.startsWith('--'))
      throw new UsageError(`Tham số --${name} cần một giá trị.`);
    values.set(name, value);
  }
  const dossiersText = values.get('dossiers');
  if (dossiersText === undefined) throw new UsageError('Thiếu --dossiers: cần cho biết số hồ sơ cần tạo.');
  const dossiers = parseCount(dossiersText);
  if (dossiers === null || dossiers < 1 || dossiers > 100_000_000)
    throw new UsageError(`--dossiers ${dossiersText}: phải là số nguyên từ 1 đến 100.000.000.`);
  const yearsText = values.get('years') ?? '5';
  const years = parseCount(yearsText);
  if (years === null || years < 1 || years > 20)
    throw new UsageError(`--years ${yearsText}: phải là số nguyên từ 1 đến 20.`);
  const seedText = values.get('seed') ?? '1';
  const seed = parseCount(seedText);
  if (seed === null || seed > 2 ** 32 - 1)
    throw new UsageError(`--seed ${seedText}: phải là số nguyên từ 0 đến 4.294.967.295.`);
  const untilText = values.get('until');
  let until: Date | null = null;
  if (untilText !== undefined) {
    until = /^\d{4}-\d{2}-\d{2}T/.test(untilText) ? new Date(untilText) : null;
    if (!until || Number.isNaN(until.getTime()))
      throw new UsageError(
        `--until ${untilText}: phải là thời điểm ISO 8601, ví dụ 2026-12-01T10:00:00+07:00.`,
      );
  }
  const workersText = values.get('workers');
  let workers: number | null = null;
  if (workersText !== undefined) {
    workers = parseCount(workersText);
    if (workers === null || workers < 1 || workers > 32)
      throw new UsageError(`--workers ${workersText}: phải là số nguyên từ 1 đến 32.`);
  }
  return { dossiers, years, seed, until, workers };
}
