// Composition root: config -> database -> migrations -> reference and demo data -> modules -> HTTP -> listen.
// Ctrl-C (SIGINT) or SIGTERM: stop taking requests, finish those in flight, close the pool, stop the database.
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DEMO_PASSWORD, loadDemoCatalogue, loadDemoData, loadDemoDossiers } from './demo-data.ts';
import { createModules } from './modules.ts';
import { startSigningWorker } from './signing-worker.ts';
import { systemClock } from './platform/clock.ts';
import { DataDirLockedError } from './platform/db/data-dir-lock.ts';
import { openDatabase } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import { startPeriodicJobs } from './platform/jobs/periodic.ts';

function say(message: string): void {
  process.stdout.write(`${message}\n`);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const clock = systemClock;

  let database;
  try {
    database = await openDatabase(config, {
      holder: 'xaso app (npm start)',
      mayShareRunningServer: false,
      log: say,
      poolSize: config.databasePoolSize,
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) fail(error.message);
    throw error;
  }

  let stopping = false;
  const running: {
    app?: Awaited<ReturnType<typeof buildApp>>;
    jobs?: { stop(): void };
    closeKeys?: () => Promise<void>;
  } = {};
  const shutdown = async (signal: string) => {
    if (stopping) {
      say('Nhận tín hiệu lần hai: dừng ngay.');
      process.exit(1);
    }
    stopping = true;
    say(`Nhận ${signal}: đang dừng xaso (hoàn tất các yêu cầu đang xử lý, rồi dừng cơ sở dữ liệu)…`);
    running.jobs?.stop();
    await running.app?.close();
    // Receipts being signed after their intake are finished first; hardware tokens are then logged out.
    await running.closeKeys?.();
    await database.close();
    say('Đã dừng.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const applied = await migrate(database.pool);
  if (applied.length) say(`Đã áp dụng ${applied.length} migration: ${applied.join(', ')}`);

  // Receipts are rendered and signed after their intake in a worker thread, off the requests' thread.
  const signingWorker = startSigningWorker({
    connectionString: database.pool.options.connectionString!,
    env: process.env,
  });
  const modules = createModules({ config, db: database.db, clock, backgroundSigner: signingWorker });
  running.closeKeys = async () => {
    await modules.signing.documents.idle();
    await signingWorker.close();
    await modules.signing.keys.close();
  };
  const { adminUnits, identity, procedures, calendar, dossiers, notifications } = modules;
  const units = await adminUnits.service.loadReferenceData();
  if (units.loaded)
    say(`Đã nạp ${units.units} đơn vị hành chính (34 tỉnh, thành phố và 3.321 xã, phường, đặc khu).`);

  await calendar.service.ensureSeeded(config.provinceCode);

  if (config.loadDemoData) {
    const created = await loadDemoData(adminUnits.service, identity.service, config.provinceCode);
    if (created.length) {
      say('\nTài khoản mẫu (mật khẩu chung: ' + DEMO_PASSWORD + '):');
      for (const account of created) {
        say(
          `  ${account.username.padEnd(16)} ${account.role.padEnd(22)} ${account.unitCode ?? ''}  ${account.fullName}`,
        );
      }
      say('');
    }
    const imported = await loadDemoCatalogue(procedures, adminUnits.service, config.provinceCode);
    if (imported) say(`Đã nạp ${imported} thủ tục hành chính mẫu (reference-data/procedures).`);
    const demoDossiers = await loadDemoDossiers(
      { procedures, identity: identity.service, adminUnits: adminUnits.service, dossiers: dossiers.service },
      config.provinceCode,
    );
    if (demoDossiers) say(`Đã tạo ${demoDossiers} hồ sơ mẫu ở các bước xử lý khác nhau.`);
  }
  if (config.signingDemo && !config.signingKeysFile) {
    // The demo CA and its first test certificates exist from the first start, so the first receipt signs at once.
    const [root] = await modules.signing.keys.demoRoots();
    if (root)
      say(
        `Ký số: dùng CA THỬ NGHIỆM trong ${config.signingDir} (chứng thư thử nghiệm, không có giá trị pháp lý); ` +
          'khai báo SIGNING_KEYS_FILE để dùng chứng thư số thật.',
      );
  }

  // Until the job queue (pg-boss) arrives: purge expired sessions and old sign-in attempts hourly.
  const purge = () =>
    identity.service
      .purgeExpired()
      .catch((error: unknown) => say(`Dọn phiên hết hạn thất bại: ${String(error)}`));
  await purge();
  setInterval(purge, 3600_000).unref();

  // Due soon and overdue dossiers are marked every five minutes (and once now, after a restart).
  const jobs = startPeriodicJobs(
    database.pool,
    [
      {
        name: 'dossier-deadlines',
        lockKey: 7_302_520,
        everyMs: 5 * 60_000,
        run: () => dossiers.service.markDeadlines(),
      },
      // Documents whose signing failed or was interrupted are tried again when due (30 s, then longer gaps).
      {
        name: 'signing-retries',
        lockKey: 7_302_522,
        everyMs: 30_000,
        run: () => modules.signing.documents.attemptDue(),
      },
      // Client transaction ids older than their retry window are forgotten (the action log keeps them).
      {
        name: 'dossier-commands-prune',
        lockKey: 7_302_523,
        everyMs: 3600_000,
        run: () => dossiers.service.pruneCommands(),
      },
      // The outbox: messages are delivered within seconds of the change that wrote them, failures retried later.
      {
        name: 'notifications',
        lockKey: 7_302_521,
        everyMs: 5_000,
        run: () => notifications.service.deliverDue(),
      },
    ],
    say,
  );
  running.jobs = jobs;
  await jobs.runNow('dossier-deadlines');

  const app = await buildApp({ config, clock, database, ...modules });
  running.app = app;
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  database.lock?.update({ httpPort: port });
  say(
    `xaso đang chạy tại http://localhost:${port} (cơ sở dữ liệu: ${database.description}). Nhấn Ctrl-C để dừng.`,
  );
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `xaso không khởi động được: ${message.length > 2000 ? `${message.slice(0, 2000)}…` : message}\n`,
  );
  process.exit(1);
});
