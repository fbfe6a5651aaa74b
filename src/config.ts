// The only reader of process.env. Parsed once at boot into a frozen, typed Config; every problem is reported at
// once so an operator fixes them in one go (STYLE.md habit 9).
import path from 'node:path';

export type NodeEnv = 'development' | 'production' | 'test';

export interface Config {
  readonly env: NodeEnv;
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  /** Where the embedded PostgreSQL, the lock file and (later) stored files live. */
  readonly dataDir: string;
  /** An external PostgreSQL server; when absent the embedded server under dataDir is used. */
  readonly databaseUrl: string | undefined;
  /** 0 picks a free port at every start. */
  readonly embeddedPgPort: number;
  readonly sessionSecret: string;
  readonly sessionTtlHours: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The province this installation serves (QĐ 19/2025/QĐ-TTg two-digit code). */
  readonly provinceCode: string;
  readonly loadDemoData: boolean;
  readonly trustProxy: boolean;
  readonly loginMaxFailures: number;
  /** The content-addressed file store of scans and results (a local directory; S3 comes with STORAGE_URL). */
  readonly storageDir: string;
  /** The largest file one upload may carry, in MiB. */
  readonly maxUploadMiB: number;
  /** Connections the app's pool opens to PostgreSQL at most. */
  readonly databasePoolSize: number;
  /** Requests worked on at once before new ones are answered 503 with Retry-After (0: no limit). */
  readonly maxRequestsInFlight: number;
  /** smtp(s)://user:pass@host:port of the mail server; undefined: email goes to the development inbox. */
  readonly smtpUrl: string | undefined;
  readonly smtpFrom: string;
  /** Where the demo certification authority keeps its root and the test certificates it issues. */
  readonly signingDir: string;
  /** The operator's signing keys (JSON: PKCS#12 files or PKCS#11 tokens per centre, agency and leader). */
  readonly signingKeysFile: string | undefined;
  /** Outside production: a demo CA issues clearly named test certificates to holders without a configured key. */
  readonly signingDemo: boolean;
  /** An RFC 3161 time-stamping authority; with one, signatures are PAdES B-T. */
  readonly tsaUrl: string | undefined;
  /** PKCS#12 passwords and token PINs that SIGNING_KEYS_FILE names: the environment variables SIGNING_SECRET_*. */
  readonly signingSecrets: Readonly<Record<string, string>>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cấu hình không hợp lệ:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Used only outside production; production refuses to start with it. */
export const DEVELOPMENT_SESSION_SECRET = 'xaso-development-session-secret-do-not-use-in-production';

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name}="${raw}": phải là số nguyên từ ${min} đến ${max}.`);
      return fallback;
    }
    return Number(raw);
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${name}="${raw}": phải là true hoặc false.`);
    return fallback;
  };

  const rawEnv = read('NODE_ENV') ?? 'development';
  let nodeEnv: NodeEnv = 'development';
  if (rawEnv === 'development' || rawEnv === 'production' || rawEnv === 'test') nodeEnv = rawEnv;
  else problems.push(`NODE_ENV="${rawEnv}": phải là development, production hoặc test.`);
  const isProduction = nodeEnv === 'production';

  const port = integer('PORT', 3000, 0, 65535);
  const host = read('HOST') ?? '127.0.0.1';

  const publicUrl = read('PUBLIC_URL') ?? `http://localhost:${port}`;
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    if (isProduction && url.protocol !== 'https:')
      problems.push(`PUBLIC_URL="${publicUrl}": production phải dùng https.`);
  } catch {
    problems.push(`PUBLIC_URL="${publicUrl}": không phải địa chỉ http(s) hợp lệ.`);
  }

  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL: phải bắt đầu bằng postgres:// hoặc postgresql://.');
  }

  const sessionSecret = read('SESSION_SECRET') ?? DEVELOPMENT_SESSION_SECRET;
  if (sessionSecret.length < 32) problems.push('SESSION_SECRET: phải dài ít nhất 32 ký tự.');
  if (isProduction && sessionSecret === DEVELOPMENT_SESSION_SECRET) {
    problems.push(
      'SESSION_SECRET: production không được dùng giá trị mặc định dành cho phát triển; hãy đặt một chuỗi ngẫu nhiên.',
    );
  }

  const logLevel = read('LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'info');
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  if (!(levels as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL="${logLevel}": phải là một trong ${levels.join(', ')}.`);
  }

  const provinceCode = read('PROVINCE_CODE') ?? '15';
  if (!/^\d{2}$/.test(provinceCode))
    problems.push(`PROVINCE_CODE="${provinceCode}": phải là mã tỉnh 2 chữ số (QĐ 19/2025/QĐ-TTg).`);

  const embeddedPgPort = integer('EMBEDDED_PG_PORT', 0, 0, 65535);
  const sessionTtlHours = integer('SESSION_TTL_HOURS', 8, 1, 24 * 30);
  const loadDemoData = boolean('DEMO_DATA', !isProduction);
  const trustProxy = boolean('TRUST_PROXY', false);
  const loginMaxFailures = integer('LOGIN_MAX_FAILURES', 5, 1, 1000);
  const maxUploadMiB = integer('MAX_UPLOAD_MIB', 25, 1, 500);
  const maxRequestsInFlight = integer('MAX_REQUESTS_IN_FLIGHT', 64, 0, 100_000);
  const databasePoolSize = integer('DATABASE_POOL_SIZE', 20, 2, 500);
  const smtpUrl = read('SMTP_URL');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
    problems.push(
      `SMTP_URL="${smtpUrl.replace(/\/\/[^@]*@/, '//***@')}": phải có dạng smtp://người-dùng:mật-khẩu@máy-chủ:cổng hoặc smtps://…`,
    );
  const dataDir = path.resolve(cwd, read('DATA_DIR') ?? 'data');
  const signingKeysFile = read('SIGNING_KEYS_FILE');
  const signingDemo = boolean('SIGNING_DEMO_CA', !isProduction);
  if (isProduction && signingDemo)
    problems.push(
      'SIGNING_DEMO_CA: production không được dùng CA thử nghiệm; hãy khai báo SIGNING_KEYS_FILE.',
    );
  const tsaUrl = read('SIGNING_TSA_URL');
  if (tsaUrl !== undefined && !/^https?:\/\//.test(tsaUrl))
    problems.push(`SIGNING_TSA_URL="${tsaUrl}": phải là địa chỉ http(s) của máy chủ dấu thời gian.`);

  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    env: nodeEnv,
    host,
    port,
    publicUrl: publicUrl.replace(/\/$/, ''),
    dataDir,
    databaseUrl,
    embeddedPgPort,
    sessionSecret,
    sessionTtlHours,
    logLevel: logLevel as Config['logLevel'],
    provinceCode,
    loadDemoData,
    trustProxy,
    loginMaxFailures,
    storageDir: path.resolve(cwd, read('STORAGE_DIR') ?? path.join(dataDir, 'files')),
    maxUploadMiB,
    maxRequestsInFlight,
    databasePoolSize,
    smtpUrl,
    smtpFrom: read('SMTP_FROM') ?? 'xaso <khong-tra-loi@xaso.local>',
    signingDir: path.resolve(cwd, read('SIGNING_DIR') ?? path.join(dataDir, 'signing')),
    signingKeysFile: signingKeysFile ? path.resolve(cwd, signingKeysFile) : undefined,
    signingDemo,
    tsaUrl,
    signingSecrets: Object.freeze(
      Object.fromEntries(
        Object.entries(env).filter(
          (entry): entry is [string, string] =>
            entry[0].startsWith('SIGNING_SECRET_') && typeof entry[1] === 'string',
        ),
      ),
    ),
  });
}
