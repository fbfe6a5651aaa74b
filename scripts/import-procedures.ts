// `npm run import:procedures -- FILE [--dry-run] [--decision 2637/QĐ-UBND --date 2025-11-16]`: imports a procedure catalogue (JSON; CSV and XLSX
// announcement tables) into the database of DATABASE_URL, or of the running app's embedded server.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createModules } from '../src/modules.ts';
import { systemClock } from '../src/platform/clock.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const file = args.find(
  (a, i) => !a.startsWith('--') && !['--decision', '--date'].includes(args[i - 1] ?? ''),
);
if (!file) {
  process.stderr.write(
    'Cách dùng: npm run import:procedures -- TỆP [--dry-run] [--decision SỐ/QĐ-UBND --date YYYY-MM-DD]\n',
  );
  process.exit(2);
}
if (!fs.existsSync(file)) {
  process.stderr.write(`Không tìm thấy tệp ${file}.\n`);
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase(config, {
  holder: 'npm run import:procedures',
  mayShareRunningServer: true,
});
try {
  await migrate(database.pool);
  const { procedures } = createModules({ config, db: database.db, clock: systemClock });
  const option = (name: string) => {
    const index = args.indexOf(name);
    return index >= 0 ? (args[index + 1] ?? null) : null;
  };
  const parsed = await procedures.readCatalogueFile(path.basename(file), fs.readFileSync(file), {
    decision: option('--decision'),
    decisionDate: option('--date'),
  });
  const report = await procedures.service.importCatalogue(parsed, {
    fileName: path.basename(file),
    dryRun,
    actor: null,
    onProgress: (done, total) => process.stderr.write(`\rĐang nhập: ${done}/${total} thủ tục`),
  });
  process.stderr.write('\n');
  const say = (line: string) => process.stdout.write(`${line}\n`);
  if (report.status === 'rejected') {
    say(`Tệp ${report.fileName} bị từ chối: ${report.errors.length} lỗi, không có gì được lưu.`);
    for (const e of report.errors) say(`  dòng ${e.row}, cột “${e.column}”: ${e.reason}`);
    process.exitCode = 1;
  } else {
    say(
      `${dryRun ? 'Chạy thử (không lưu)' : 'Đã nhập'} ${report.fileName} (${report.format}): ${report.rows} thủ tục — ` +
        `${report.created} mới, ${report.newVersions} phiên bản mới, ${report.unchanged} không đổi, ${report.withdrawn} bãi bỏ.`,
    );
    if (report.flagged.length) {
      say(
        `${report.flagged.length} thủ tục có thời hạn hoặc phí chưa đọc được thành quy tắc (giữ nguyên văn, cần quản trị viên xem):`,
      );
      for (const f of report.flagged.slice(0, 20))
        say(`  dòng ${f.row} ${f.code}: ${f.problems.join(' | ')}`);
      if (report.flagged.length > 20) say(`  … và ${report.flagged.length - 20} thủ tục khác.`);
    }
  }
} finally {
  await database.close();
}
