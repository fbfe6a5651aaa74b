// Reads the table of a provincial announcement decision (quyết định công bố) from a spreadsheet: the columns
// STT | Mã TTHC | Tên thủ tục | Thời hạn giải quyết | Địa điểm/cách thức thực hiện | Phí/lệ phí | Căn cứ pháp lý,
// optionally Lĩnh vực and Ghi chú. Section rows ("I. Lĩnh vực Hộ tịch") set the field of the rows under them.
// The template is documented in docs/procedure-import.md.
import { foldText } from '../../platform/text.ts';
import type { ChannelKind, ChannelRule, ProcedureRecord } from './procedure-record.ts';
import {
  channelsInText,
  normaliseCode,
  type ImportRow,
  type ParsedCatalogue,
  type RowError,
} from './procedure-sources.ts';
import { parseFees, parseProcessingTime } from './procedure-text.ts';

export const COLUMNS = {
  seq: ['stt', 'so thu tu', 'tt'],
  code: ['ma tthc', 'ma thu tuc', 'ma so', 'ma thu tuc hanh chinh', 'ma'],
  name: ['ten thu tuc', 'ten tthc', 'ten thu tuc hanh chinh'],
  deadline: ['thoi han giai quyet', 'thoi gian giai quyet', 'thoi han'],
  place: [
    'dia diem cach thuc thuc hien',
    'dia diem thuc hien',
    'cach thuc thuc hien',
    'dia diem va cach thuc thuc hien',
  ],
  fee: ['phi le phi', 'phi', 'le phi', 'phi le phi neu co'],
  legalBasis: ['can cu phap ly', 'can cu phap li'],
  field: ['linh vuc'],
  note: ['ghi chu'],
} as const;

type Column = keyof typeof COLUMNS;
const REQUIRED: Column[] = ['code', 'name', 'deadline', 'fee'];
const LABEL: Record<Column, string> = {
  seq: 'STT',
  code: 'Mã TTHC',
  name: 'Tên thủ tục',
  deadline: 'Thời hạn giải quyết',
  place: 'Địa điểm/cách thức thực hiện',
  fee: 'Phí/lệ phí',
  legalBasis: 'Căn cứ pháp lý',
  field: 'Lĩnh vực',
  note: 'Ghi chú',
};

function columnOf(header: string): Column | undefined {
  const folded = foldText(header);
  return (Object.keys(COLUMNS) as Column[]).find((c) => (COLUMNS[c] as readonly string[]).includes(folded));
}

/** RFC 4180 CSV (quotes, doubled quotes, line breaks inside quotes); the delimiter is guessed from the first line. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const SECTION = /^(?:[IVXLC]+|[A-Z]|\d+)[.)]\s*(?:lĩnh vực\s*:?\s*)?(.+)$/iu;

/** Turns spreadsheet rows (first non-empty row with the known headers is the header) into import rows. */
export function parseAnnouncementTable(
  cells: string[][],
  source: { fileName: string; decision?: string | null; decisionDate?: string | null },
): ParsedCatalogue {
  const errors: RowError[] = [];
  const rows: ImportRow[] = [];
  const headerIndex = cells.findIndex((r) => r.filter((c) => columnOf(c) !== undefined).length >= 3);
  if (headerIndex < 0) {
    errors.push({
      row: 0,
      column: 'tiêu đề',
      reason: `Không tìm thấy dòng tiêu đề. Cần các cột: ${REQUIRED.map((c) => LABEL[c]).join(', ')} (xem docs/procedure-import.md).`,
    });
    return { format: 'spreadsheet', rows, abolished: [], errors };
  }
  const positions = new Map<Column, number>();
  cells[headerIndex]!.forEach((header, index) => {
    const column = columnOf(header);
    if (column && !positions.has(column)) positions.set(column, index);
  });
  const missing = REQUIRED.filter((c) => !positions.has(c));
  if (missing.length) {
    errors.push({
      row: headerIndex + 1,
      column: 'tiêu đề',
      reason: `Thiếu cột: ${missing.map((c) => LABEL[c]).join(', ')}.`,
    });
    return { format: 'spreadsheet', rows, abolished: [], errors };
  }
  const get = (row: string[], column: Column) => {
    const index = positions.get(column);
    return index === undefined ? '' : (row[index] ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  };

  let sectionField: string | null = null;
  let previous: { place: string; deadline: string; fee: string; legal: string } | null = null;
  const seen = new Map<string, number>();
  for (let i = headerIndex + 1; i < cells.length; i++) {
    const row = cells[i]!;
    const rowNumber = i + 1;
    if (row.every((c) => c.trim() === '')) continue;
    const code = get(row, 'code');
    const name = get(row, 'name');
    if (!code && !name) {
      // A section heading: "I. Lĩnh vực Hộ tịch", "A. THỦ TỤC HÀNH CHÍNH CẤP XÃ"…
      const heading = row.map((c) => c.trim()).find((c) => c !== '') ?? '';
      const match = SECTION.exec(heading);
      if (match && /lĩnh vực/iu.test(heading))
        sectionField = match[1]!.replace(/^lĩnh vực\s*:?\s*/iu, '').trim();
      continue;
    }
    const field = get(row, 'field') || sectionField;
    const ditto = (value: string, key: 'place' | 'deadline' | 'fee' | 'legal') =>
      /^(như trên|nt|-nt-)$/iu.test(value) && previous ? previous[key] : value;
    const deadline = ditto(get(row, 'deadline'), 'deadline');
    const fee = ditto(get(row, 'fee'), 'fee');
    const place = ditto(get(row, 'place'), 'place');
    const legal = ditto(get(row, 'legalBasis'), 'legal');
    previous = { place, deadline, fee, legal };

    const normalised = normaliseCode(code);
    const before = errors.length;
    if (!code) errors.push({ row: rowNumber, column: LABEL.code, reason: 'Thiếu mã thủ tục hành chính.' });
    else if (!/^\d\.\d{6}(\.[0-9A-Z]+)*$/.test(normalised)) {
      errors.push({
        row: rowNumber,
        column: LABEL.code,
        reason: `Mã “${code}” không đúng dạng (ví dụ 1.001193 hoặc 1.001193.000.00.00.H12).`,
      });
    } else if (seen.has(normalised)) {
      errors.push({
        row: rowNumber,
        column: LABEL.code,
        reason: `Mã “${normalised}” trùng với dòng ${seen.get(normalised)} trong cùng tệp.`,
      });
    }
    if (!name) errors.push({ row: rowNumber, column: LABEL.name, reason: 'Thiếu tên thủ tục.' });
    if (!field) {
      errors.push({
        row: rowNumber,
        column: LABEL.field,
        reason: 'Không rõ lĩnh vực: thêm cột “Lĩnh vực” hoặc dòng mục “Lĩnh vực …” phía trên.',
      });
    }
    if (!deadline)
      errors.push({ row: rowNumber, column: LABEL.deadline, reason: 'Thiếu thời hạn giải quyết.' });
    const processingTime = parseProcessingTime(deadline);
    const fees = parseFees(fee);
    if (processingTime.value !== null && processingTime.value < 0) {
      errors.push({
        row: rowNumber,
        column: LABEL.deadline,
        reason: `Thời hạn âm (“${deadline}”) không hợp lệ.`,
      });
    }
    for (const item of fees) {
      if (item.amountVnd !== null && item.amountVnd < 0) {
        errors.push({
          row: rowNumber,
          column: LABEL.fee,
          reason: `Mức phí âm (“${item.text}”) không hợp lệ.`,
        });
      }
    }
    if (/-\s*\d/.test(fee) && /đồng|vnđ|vnd|đ\b/iu.test(fee)) {
      errors.push({ row: rowNumber, column: LABEL.fee, reason: `Mức phí âm (“${fee}”) không hợp lệ.` });
    }
    if (errors.length > before) continue;
    seen.set(normalised, rowNumber);

    const kinds = channelsInText(place);
    const channels: ChannelRule[] = (kinds.length ? kinds : (['in_person'] as ChannelKind[])).map(
      (channel) => ({
        channel,
        processingTime,
        fees,
        description: place || null,
      }),
    );
    const record: ProcedureRecord = {
      code: normalised,
      baseCode: normalised.slice(0, 8),
      name,
      field: field!,
      levels: ['xa'],
      procedureType: null,
      subjects: [],
      steps: null,
      channels,
      components: [],
      implementingAgency: /cơ quan thực hiện[^:]*:\s*([^.;]+)/iu.exec(place)?.[1]?.trim() ?? null,
      competentAuthority: null,
      coordinatingAgency: null,
      receivingAddress: null,
      results: [],
      legalBases: legal
        .split(/\s*(?:^|\s)[-–•]\s+|\n|;\s*(?=(?:Luật|Nghị định|Thông tư|Quyết định|Nghị quyết))/u)
        .map((t) => t.trim())
        .filter(Boolean)
        .map((title) => ({
          number: /\b(\d{1,4}\/\d{4}\/[A-ZĐ0-9-]+)/u.exec(title)?.[1] ?? null,
          title,
          date: null,
        })),
      conditions: null,
      onlineServiceLevel: kinds.includes('online') ? 'mot_phan' : 'none',
      eForm: null,
      announcedBy: source.decision ?? null,
      source: `${source.decision ?? source.fileName}, dòng ${rowNumber}`,
    };
    rows.push({ row: rowNumber, record, effectiveFrom: source.decisionDate ?? null });
  }
  return { format: 'spreadsheet', rows, abolished: [], errors };
}
