// Reads catalogue files into procedure records, validating every row at this edge. Two JSON shapes are read:
// - an announcement decision's table (a province's QĐ công bố: rows with code, name, deadline text, fee text,
//   place/channels text, legal bases), as in shared/data/procedures/catalogue-A.json;
// - national procedure pages (Cổng DVCQG: channels with times and fees, components, agencies, results), as in
//   shared/data/procedures/national-commune-procedures.json.
// Deadline and fee texts are always read by our own parsers (procedure-text.ts) from the original text; a text
// they cannot read is kept as text and flagged, never guessed.
import type {
  ChannelKind,
  ChannelRule,
  DossierComponent,
  LegalBasis,
  ProcedureRecord,
  ProcessingTimeRule,
} from './procedure-record.ts';
import { parseFees, parseProcessingTime } from './procedure-text.ts';

export interface ImportRow {
  /** 1-based row (position in the file's list of procedures, or the spreadsheet row). */
  row: number;
  record: ProcedureRecord;
  /** The announcing decision's date when the file states it; otherwise the import date is used. */
  effectiveFrom: string | null;
}

export interface RowError {
  row: number;
  column: string;
  reason: string;
}

export interface ParsedCatalogue {
  format: 'announcement-json' | 'national-json' | 'spreadsheet';
  rows: ImportRow[];
  /** Codes the file abolishes (bãi bỏ). */
  abolished: { row: number; code: string }[];
  errors: RowError[];
}

type Json = Record<string, unknown>;

const CODE = /^\d\.\d{6}(\.[0-9A-Z]+)*$/;

const str = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.flatMap((v) => (typeof v === 'string' && v.trim() ? [v.trim()] : [])) : [];
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Normalises a code as written ("2.000908.00 0.00.00.H61") and checks its form. */
export function normaliseCode(raw: string): string {
  return raw.normalize('NFC').replace(/\s+/g, '').toUpperCase();
}

function baseOf(code: string): string {
  return code.slice(0, 8);
}

function checkIdentity(
  row: number,
  code: string | null,
  name: string | null,
  field: string | null,
  errors: RowError[],
) {
  if (!code) errors.push({ row, column: 'Mã TTHC', reason: 'Thiếu mã thủ tục hành chính.' });
  else if (!CODE.test(code)) {
    errors.push({
      row,
      column: 'Mã TTHC',
      reason: `Mã “${code}” không đúng dạng (ví dụ 1.001193 hoặc 1.001193.000.00.00.H12).`,
    });
  }
  if (!name) errors.push({ row, column: 'Tên thủ tục', reason: 'Thiếu tên thủ tục.' });
  if (!field) errors.push({ row, column: 'Lĩnh vực', reason: 'Thiếu lĩnh vực.' });
}

function checkRules(row: number, record: ProcedureRecord, errors: RowError[]) {
  for (const channel of record.channels) {
    for (const fee of channel.fees) {
      if (fee.amountVnd !== null && fee.amountVnd < 0) {
        errors.push({ row, column: 'Phí, lệ phí', reason: `Mức phí âm (${fee.text}) không hợp lệ.` });
      }
    }
    if (channel.processingTime.value !== null && channel.processingTime.value < 0) {
      errors.push({
        row,
        column: 'Thời hạn giải quyết',
        reason: `Thời hạn âm (${channel.processingTime.text}) không hợp lệ.`,
      });
    }
  }
}

function markDuplicates(rows: ImportRow[], errors: RowError[]) {
  const seen = new Map<string, number>();
  for (const { row, record } of rows) {
    const first = seen.get(record.code);
    if (first !== undefined) {
      errors.push({
        row,
        column: 'Mã TTHC',
        reason: `Mã “${record.code}” trùng với dòng ${first} trong cùng tệp.`,
      });
    } else seen.set(record.code, row);
  }
}

/** Channels named in a place/channel cell of an announcement ("trực tiếp", "trực tuyến", "bưu chính"). */
export function channelsInText(text: string): ChannelKind[] {
  const folded = text.normalize('NFC').toLowerCase();
  const kinds: ChannelKind[] = [];
  if (/trực tiếp|tại bộ phận|tại trung tâm|tại cơ quan/.test(folded)) kinds.push('in_person');
  if (/trực tuyến|dịch vụ công|dichvucong|qua mạng|môi trường điện tử/.test(folded)) kinds.push('online');
  if (/bưu chính|bưu điện/.test(folded)) kinds.push('postal');
  return kinds;
}

const LEGAL_NUMBER = /\b(\d{1,4}\/\d{4}\/[A-ZĐ0-9-]+(?:-[A-ZĐ0-9]+)*)/u;

function legalBasisFromText(text: string): LegalBasis {
  const number = LEGAL_NUMBER.exec(text)?.[1] ?? null;
  const date = /ngày (\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(text);
  return {
    number,
    title: text.replace(/^[-–•\s]+/, '').trim(),
    date: date ? `${date[3]}-${date[2]!.padStart(2, '0')}-${date[1]!.padStart(2, '0')}` : null,
  };
}

/** An e-form given with a procedure must be a JSON Schema of an object (the data an applicant fills in). */
function eFormOf(value: unknown, row: number, errors: RowError[]): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  const schema = value as Json;
  if (
    typeof value !== 'object' ||
    Array.isArray(value) ||
    schema.type !== 'object' ||
    typeof schema.properties !== 'object'
  ) {
    errors.push({
      row,
      column: 'eForm',
      reason: 'Biểu mẫu điện tử phải là một JSON Schema kiểu object có “properties”.',
    });
    return null;
  }
  return schema;
}

function onlineLevelFromChannels(channels: ChannelRule[]): ProcedureRecord['onlineServiceLevel'] {
  // Without an explicit statement, an online channel means at least "một phần"; "toàn trình" is only ever taken
  // from a source that says so.
  return channels.some((c) => c.channel === 'online') ? 'mot_phan' : 'none';
}

function fromAnnouncementRow(
  entry: Json,
  row: number,
  decision: Json,
  errors: RowError[],
): ImportRow | undefined {
  const code = str(entry.code) ? normaliseCode(str(entry.code)!) : null;
  const name = str(entry.name);
  const field = str(entry.field);
  checkIdentity(row, code, name, field, errors);
  if (!code || !name || !field) return undefined;

  const deadline = (entry.deadline ?? {}) as Json;
  const fee = (entry.fee ?? {}) as Json;
  const place = (entry.channels ?? {}) as Json;
  const deadlineText = str(deadline.text) ?? '';
  const feeText = str(fee.text) ?? '';
  const placeText = str(place.text) ?? '';
  const kinds = channelsInText(placeText);
  const processingTime = parseProcessingTime(deadlineText);
  const fees = parseFees(feeText);
  const channels: ChannelRule[] = (kinds.length ? kinds : (['in_person'] as ChannelKind[])).map(
    (channel) => ({
      channel,
      processingTime,
      fees,
      description: placeText || null,
    }),
  );
  const levels = strings(entry.levelsInSource).length
    ? strings(entry.levelsInSource)
    : strings([entry.level]);
  const record: ProcedureRecord = {
    code,
    baseCode: str(entry.baseCode) ?? baseOf(code),
    name,
    field,
    levels,
    procedureType: null,
    subjects: [],
    steps: null,
    channels,
    components: [],
    implementingAgency: str(entry.implementingAgency),
    competentAuthority: null,
    coordinatingAgency: null,
    receivingAddress: null,
    results: [],
    legalBases: strings(entry.legalBasis).map(legalBasisFromText),
    conditions: null,
    onlineServiceLevel: onlineLevelFromChannels(channels),
    eForm: eFormOf(entry.eForm, row, errors),
    announcedBy: str(decision.documentNumber) ?? str(decision.number),
    source: `${str(decision.documentNumber) ?? str(decision.number) ?? 'tệp nhập'}, dòng ${str(entry.rowId) ?? row}`,
  };
  checkRules(row, record, errors);
  return { row, record, effectiveFrom: str(decision.date) };
}

/**
 * The portal's time cell is often a bare number ("5") while the row's own description states the period in full
 * ("… trong thời hạn 05 ngày làm việc …"). When the description names the same number with a unit, that unit is
 * the source's own statement; otherwise the bare number stays unparsed.
 */
function withUnitFromDescription(rule: ProcessingTimeRule, description: string | null): ProcessingTimeRule {
  const bare = /^\s*(\d+)\s*$/.exec(rule.text);
  if (rule.parsed || !bare || !description) return rule;
  const value = Number(bare[1]);
  const matches = [...description.matchAll(/(\d+)\s*(ngày làm việc|ngày|giờ làm việc|giờ)/giu)].filter(
    (m) => Number(m[1]) === value,
  );
  const units = new Set(matches.map((m) => parseProcessingTime(m[0]).unit));
  if (units.size !== 1) return rule;
  const unit = [...units][0]!;
  if (!unit) return rule;
  return {
    ...rule,
    value,
    unit,
    parsed: true,
    problems: [`Đơn vị thời gian lấy từ phần mô tả của cùng dòng: “${matches[0]![0]}”.`],
  };
}

const CHANNEL_KINDS: Record<string, ChannelKind> = {
  truc_tiep: 'in_person',
  truc_tuyen: 'online',
  buu_chinh: 'postal',
};

function fromNationalRow(entry: Json, row: number, errors: RowError[]): ImportRow | undefined {
  const code = str(entry.code) ? normaliseCode(str(entry.code)!) : null;
  const name = str(entry.name);
  const field = str(entry.field);
  checkIdentity(row, code, name, field, errors);
  if (!code || !name || !field) return undefined;

  const channels: ChannelRule[] = [];
  for (const raw of Array.isArray(entry.channels) ? (entry.channels as Json[]) : []) {
    const channel = CHANNEL_KINDS[String(raw.channel)];
    if (!channel) {
      errors.push({
        row,
        column: 'Cách thức thực hiện',
        reason: `Không nhận ra hình thức nộp “${String(raw.channel)}”.`,
      });
      continue;
    }
    const time = (raw.processingTime ?? {}) as Json;
    const fees = (Array.isArray(raw.fees) ? (raw.fees as Json[]) : []).flatMap((f) =>
      parseFees(str(f.text) ?? ''),
    );
    channels.push({
      channel,
      processingTime: withUnitFromDescription(
        parseProcessingTime(str(time.text) ?? ''),
        str(raw.description),
      ),
      fees,
      description: str(raw.description),
    });
  }
  const components: DossierComponent[] = (
    Array.isArray(entry.components) ? (entry.components as Json[]) : []
  ).map((c) => {
    const copies = (c.copies ?? {}) as Json;
    return {
      name: str(c.name) ?? '',
      templateName: str(c.templateName),
      originals: num(copies.original),
      copies: num(copies.copy),
      required: typeof c.required === 'boolean' ? c.required : null,
      group: str(c.case) ?? str(c.group),
      isHeading: c.isHeading === true,
    };
  });
  const agency = (entry.agency ?? {}) as Json;
  const record: ProcedureRecord = {
    code,
    baseCode: baseOf(code),
    name,
    field,
    levels: strings(entry.levels),
    procedureType: str(entry.procedureType),
    subjects: strings(entry.subjects),
    steps: str(entry.steps),
    channels,
    components: components.filter((c) => c.name !== ''),
    implementingAgency: str(agency.text),
    competentAuthority: str(agency.competentAuthority),
    coordinatingAgency: str(agency.coordinatingAgency),
    receivingAddress: str(agency.receivingAddress),
    results: (Array.isArray(entry.results) ? (entry.results as Json[]) : []).flatMap((r) =>
      str(r.name) ? [{ name: str(r.name)!, code: str(r.code) }] : [],
    ),
    legalBases: (Array.isArray(entry.legalBasis) ? (entry.legalBasis as Json[]) : []).flatMap((l) =>
      str(l.title) || str(l.number)
        ? [{ number: str(l.number), title: str(l.title) ?? str(l.number)!, date: str(l.date) }]
        : [],
    ),
    conditions: str(entry.conditions),
    onlineServiceLevel: onlineLevelFromChannels(channels),
    eForm: eFormOf(entry.eForm, row, errors),
    announcedBy: str(entry.announcedBy),
    source: `Cổng Dịch vụ công quốc gia, mã ${code}`,
  };
  checkRules(row, record, errors);
  return { row, record, effectiveFrom: null };
}

/** Reads a JSON catalogue in either shape; every problem is a row error, nothing throws on bad content. */
export function parseJsonCatalogue(text: string): ParsedCatalogue {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return {
      format: 'announcement-json',
      rows: [],
      abolished: [],
      errors: [{ row: 0, column: 'tệp', reason: `Tệp không phải JSON hợp lệ: ${(error as Error).message}` }],
    };
  }
  const top = (data ?? {}) as Json;
  const list = Array.isArray(top.procedures)
    ? (top.procedures as Json[])
    : Array.isArray(data)
      ? (data as Json[])
      : null;
  if (!list) {
    return {
      format: 'announcement-json',
      rows: [],
      abolished: [],
      errors: [{ row: 0, column: 'tệp', reason: 'Không tìm thấy danh sách thủ tục (khóa “procedures”).' }],
    };
  }
  const national = list.some((e) => Array.isArray(e.channels));
  const decision = (top.source ?? {}) as Json;
  const errors: RowError[] = [];
  const rows: ImportRow[] = [];
  list.forEach((entry, index) => {
    const parsed =
      entry && typeof entry === 'object'
        ? national
          ? fromNationalRow(entry, index + 1, errors)
          : fromAnnouncementRow(entry, index + 1, decision, errors)
        : (errors.push({ row: index + 1, column: 'dòng', reason: 'Dòng không phải một đối tượng thủ tục.' }),
          undefined);
    if (parsed) rows.push(parsed);
  });
  markDuplicates(rows, errors);
  const abolished = (Array.isArray(top.abolished) ? (top.abolished as Json[]) : []).flatMap((a, index) =>
    str(a.code) ? [{ row: index + 1, code: normaliseCode(str(a.code)!) }] : [],
  );
  return { format: national ? 'national-json' : 'announcement-json', rows, abolished, errors };
}
