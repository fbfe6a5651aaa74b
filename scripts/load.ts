// `npm run load`: the load test of issue 8. A mixed workload (citizens tracking dossiers and reading the catalogue,
// filing online, officers reading their queues and acting on dossiers) at a fixed arrival rate over many open
// connections, after two isolated measurements (the tracking lookup beside a bare Fastify route; an officer's first
// queue page). Prints one table like `npm run bench` and writes it with every figure as JSON to
// bench-results/load-<timestamp>.json and bench-results/latest-load.json. It only reports: no figure is asserted.
//   npm run load                                    starts xaso on ./data (or DATA_DIR, or DATABASE_URL)
//   npm run load -- --rate 200 --duration 20        a shorter, lighter run
//   npm run load -- --url http://127.0.0.1:3000 --pid 12345   a server someone else started
// The server it starts runs in its own process group and is stopped (SIGINT, then its PostgreSQL checked) at the
// end, also after an error or a Ctrl-C. An attached server is never stopped.
import { liveChildren, stopLeftoverPostgres } from './bench-support.ts';
import { LoadOptionsError, USAGE, parseLoadOptions, type LoadOptions } from './load/options.ts';
import { writeLoadReport } from './load/report.ts';
import { runLoadTest, type Running } from './load/run.ts';
import fs from 'node:fs';
import path from 'node:path';

function progress(message: string): void {
  process.stderr.write(`load: ${message}\n`);
}

const running: Running = {};

async function cleanUp(): Promise<void> {
  await running.pool?.end().catch(() => {});
  for (const child of [...liveChildren]) await child.stop().catch(() => 0);
  if (running.server?.child && running.server.embeddedDataDir)
    await stopLeftoverPostgres(running.server.embeddedDataDir).catch(() => false);
  if (running.workDir) fs.rmSync(running.workDir, { recursive: true, force: true });
}

let cleaning: Promise<void> | undefined;
const cleanUpOnce = () => (cleaning ??= cleanUp());

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: đang dừng máy chủ và dọn tệp tạm…`);
    void cleanUpOnce().finally(() => process.exit(130));
  });
}
// Last resort if the tool dies without the clean-up above: nothing it started may outlive it.
process.once('exit', () => {
  for (const child of liveChildren) child.process.kill('SIGKILL');
});

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}

let options: LoadOptions;
try {
  options = parseLoadOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof LoadOptionsError ? error.message : String(error)}\n`);
  process.exit(2);
}

let exitCode = 0;
try {
  const report = await runLoadTest(options, running, progress);
  process.stdout.write(['', ...report.header, '', report.table, ''].join('\n'));
  const written = writeLoadReport(options.outDir, report);
  process.stdout.write(
    `written: ${path.relative(process.cwd(), written.file)} and ${path.relative(process.cwd(), written.latest)}\n`,
  );
} catch (error) {
  process.stderr.write(`Kiểm thử tải thất bại: ${error instanceof Error ? error.message : String(error)}\n`);
  // What the app said last: why it stopped, when it did.
  const child = running.server?.child;
  if (child)
    process.stderr.write(
      `xaso (PID ${child.pid}) ${child.hasExited ? `đã thoát, mã ${child.exitCode}` : 'vẫn chạy'}; các dòng cuối:\n${child.tail(40)}\n`,
    );
  exitCode = 1;
} finally {
  await cleanUpOnce();
}
process.exit(exitCode);
