// `npm run audit:verify`: walks the whole audit chain and names the first broken entry. Connects to DATABASE_URL,
// or to the embedded server of the running app (or starts it for this run when the app is stopped).
import { loadConfig } from '../src/config.ts';
import { verifyAuditChain } from '../src/modules/audit/index.ts';
import { openDatabase } from '../src/platform/db/database.ts';

const config = loadConfig();
const database = await openDatabase(config, { holder: 'npm run audit:verify', mayShareRunningServer: true });
try {
  const result = await verifyAuditChain(database.db);
  if (result.ok) {
    process.stdout.write(`Nhật ký kiểm tra nguyên vẹn: ${result.entries} bản ghi, chuỗi băm khớp.\n`);
  } else {
    const why =
      result.reason === 'missing'
        ? 'bản ghi bị xóa (thiếu số thứ tự)'
        : result.reason === 'link'
          ? 'liên kết tới bản ghi trước không khớp (bản ghi trước đã bị sửa hoặc thay)'
          : 'nội dung đã bị sửa sau khi ghi (băm không khớp)';
    process.stdout.write(
      `Nhật ký kiểm tra BỊ THAY ĐỔI: bản ghi đầu tiên hỏng là số ${result.brokenSeq} — ${why}. ` +
        `${result.entries} bản ghi trước đó còn nguyên vẹn.\n`,
    );
    process.exitCode = 2;
  }
} finally {
  await database.close();
}
