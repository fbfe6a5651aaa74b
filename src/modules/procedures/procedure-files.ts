// Turns an uploaded or given file into a parsed catalogue: JSON, CSV or XLSX, checked for encoding first.
import type ExcelJS from 'exceljs';
import { parseJsonCatalogue, type ParsedCatalogue } from './procedure-sources.ts';
import { parseAnnouncementTable, parseCsv } from './procedure-spreadsheet.ts';

export const MAX_CATALOGUE_BYTES = 20 * 1024 * 1024;

export interface DecisionInfo {
  decision?: string | null;
  decisionDate?: string | null;
}

function rejected(format: ParsedCatalogue['format'], reason: string): ParsedCatalogue {
  return { format, rows: [], abolished: [], errors: [{ row: 0, column: 'tệp', reason }] };
}

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

const NOT_UTF8 =
  'Tệp không ở mã UTF-8 (có thể là Windows-1258, TCVN3 hay VNI). Hãy mở tệp và lưu lại với mã “UTF-8”, rồi nhập lại.';

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return String(value.result ?? '');
    if (value instanceof Date) return value.toISOString().slice(0, 10);
  }
  return String(value);
}

export async function readCatalogueFile(
  fileName: string,
  bytes: Buffer,
  info: DecisionInfo = {},
): Promise<ParsedCatalogue> {
  if (bytes.length > MAX_CATALOGUE_BYTES) {
    return rejected('spreadsheet', `Tệp lớn hơn ${MAX_CATALOGUE_BYTES / 1024 / 1024} MB.`);
  }
  const extension = fileName.toLowerCase().split('.').pop();
  if (extension === 'json') {
    const text = decodeUtf8(bytes);
    return text === undefined ? rejected('announcement-json', NOT_UTF8) : parseJsonCatalogue(text);
  }
  if (extension === 'csv') {
    const text = decodeUtf8(bytes);
    if (text === undefined) return rejected('spreadsheet', NOT_UTF8);
    return parseAnnouncementTable(parseCsv(text), { fileName, ...info });
  }
  if (extension === 'xlsx') {
    if (bytes.subarray(0, 2).toString('latin1') !== 'PK') {
      return rejected('spreadsheet', 'Tệp có đuôi .xlsx nhưng không phải bảng tính Excel (XLSX).');
    }
    // Loaded on first use: exceljs is large and only an XLSX import needs it.
    const { default: Excel } = await import('exceljs');
    const workbook = new Excel.Workbook();
    try {
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch (error) {
      return rejected('spreadsheet', `Không đọc được bảng tính XLSX: ${(error as Error).message}`);
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) return rejected('spreadsheet', 'Bảng tính không có trang nào.');
    const cells: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const values: string[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) values.push(cellText(row.getCell(c).value));
      cells[rowNumber - 1] = values;
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= [];
    return parseAnnouncementTable(cells, { fileName, ...info });
  }
  return rejected(
    'spreadsheet',
    `Định dạng “.${extension ?? ''}” không được hỗ trợ: hãy dùng JSON, CSV hoặc XLSX.`,
  );
}
