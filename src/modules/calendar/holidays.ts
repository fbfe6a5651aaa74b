// Public holidays for công chức, viên chức on a Monday-Friday week (Quyết định 188/1999/QĐ-TTg): the official
// days off of announced years, read from the shared dataset, and a provisional proposal for other years computed
// from the Labour Code. Pure: no I/O; the caller reads the file and passes the parsed JSON.
//
// Bộ luật Lao động 2019, Điều 112 khoản 1: Tết Dương lịch 01/01; Tết Âm lịch 05 ngày; Ngày Chiến thắng 30/4;
// Ngày Quốc tế lao động 01/5; Quốc khánh 02/9 và 01 ngày liền kề trước hoặc sau; Giỗ Tổ Hùng Vương 10/3 âm lịch.
// Khoản 3: the Prime Minister fixes the Tết Âm lịch and Quốc khánh days every year, often with swaps (a weekday
// off paid back by working a Saturday), which no rule can predict. Điều 111 khoản 3: a holiday that falls on the
// weekly rest day is compensated on the next working day.
import { lunarToSolar } from './lunar.ts';
import { addDays, isoWeekday, type CivilDate } from './working-calendar.ts';

export const BASIS_HOLIDAY = 'Bộ luật Lao động 2019, Điều 112';
export const BASIS_COMPENSATORY = 'Bộ luật Lao động 2019, Điều 111 khoản 3';
export const BASIS_SWAP = 'Bộ luật Lao động 2019, Điều 112 khoản 3 (Thủ tướng Chính phủ quyết định hoán đổi)';

export interface DayOff {
  date: CivilDate;
  name: string;
  /** The legal basis, e.g. "Bộ luật Lao động 2019, Điều 112". */
  basis: string;
}

export interface MakeUpWorkingDay {
  date: CivilDate;
  name: string;
}

export interface ProposedDaysOff {
  year: number;
  /** Weekdays off, in date order. */
  daysOff: DayOff[];
  /** Always empty: swaps are decided by the Prime Minister and cannot be proposed by rule. */
  makeUpWorkingDays: MakeUpWorkingDay[];
  /** A proposal from the Labour Code, to be replaced by the official announcement. */
  provisional: true;
}

export interface OfficialDaysOff {
  year: number;
  /** Weekdays off, in date order. */
  daysOff: DayOff[];
  /** Weekly rest days worked instead, in date order. */
  makeUpWorkingDays: MakeUpWorkingDay[];
  /** Where the year's data came from (dataset, repository and commit). */
  source: string;
}

const TET_AM_LICH = 'Tết Âm lịch';
const QUOC_KHANH = 'Quốc khánh';

function isWeeklyRestDay(date: CivilDate): boolean {
  return isoWeekday(date) >= 6;
}

/**
 * Proposal rule for the 5 Tết Âm lịch days (our rule, not the law's): the first five weekdays counted from the
 * second day before mùng 1 Tết. It keeps the 5 days on weekdays, starts the break a day or two before the new
 * year (on the Monday of mùng 1 itself when Tết is a Monday, the weekend before being the year's last days) and
 * reproduces the Prime Minister's decisions for 2025 (27-31/01, Tết on Wednesday 29/01) and 2026
 * (16-20/02, Tết on Tuesday 17/02).
 */
function tetAmLichDays(year: number): CivilDate[] {
  const days: CivilDate[] = [];
  let date = addDays(lunarToSolar(year, 1, 1), -2);
  while (days.length < 5) {
    if (!isWeeklyRestDay(date)) days.push(date);
    date = addDays(date, 1);
  }
  return days;
}

/**
 * Proposal rule for the day adjacent to Quốc khánh (our rule): 01/9 when 02/9 is a Tuesday to Saturday, so
 * the break joins the weekend before it (or, for a Saturday, the compensatory Monday after it); otherwise
 * (02/9 on Sunday or Monday) 03/9.
 */
function quocKhanhAdjacentDay(year: number): CivilDate {
  const weekday = isoWeekday(`${year}-09-02`);
  return weekday >= 2 && weekday <= 6 ? `${year}-09-01` : `${year}-09-03`;
}

/**
 * A provisional calendar for a year without an official announcement: the Điều 112 holidays placed by the
 * rules above, each holiday on a Saturday or Sunday compensated (Điều 111 khoản 3) on the next weekday that is
 * not already off. Only weekdays are listed.
 */
export function proposeDaysOff(year: number): ProposedDaysOff {
  // Bộ luật Lao động 2019 applies from 01/01/2021; the lunar algorithm is checked up to 2199.
  if (!Number.isInteger(year) || year < 2021 || year > 2199) {
    throw new RangeError(
      `Không đề xuất được lịch nghỉ năm ${year}: chỉ đề xuất cho các năm 2021-2199 (Bộ luật Lao động 2019 có hiệu lực từ 01/01/2021).`,
    );
  }
  const holidays: { date: CivilDate; name: string }[] = [
    { date: `${year}-01-01`, name: 'Tết Dương lịch' },
    ...tetAmLichDays(year).map((date) => ({ date, name: TET_AM_LICH })),
    { date: lunarToSolar(year, 3, 10), name: 'Giỗ Tổ Hùng Vương' },
    { date: `${year}-04-30`, name: 'Ngày Chiến thắng' },
    { date: `${year}-05-01`, name: 'Ngày Quốc tế lao động' },
    { date: quocKhanhAdjacentDay(year), name: QUOC_KHANH },
    { date: `${year}-09-02`, name: QUOC_KHANH },
  ].sort((a, b) => a.date.localeCompare(b.date));

  const daysOff: DayOff[] = holidays
    .filter((h) => !isWeeklyRestDay(h.date))
    .map((h) => ({ date: h.date, name: h.name, basis: BASIS_HOLIDAY }));
  const taken = new Set(daysOff.map((d) => d.date));
  for (const holiday of holidays.filter((h) => isWeeklyRestDay(h.date))) {
    let date = addDays(holiday.date, 1);
    while (isWeeklyRestDay(date) || taken.has(date)) date = addDays(date, 1);
    taken.add(date);
    daysOff.push({ date, name: `Nghỉ bù ${holiday.name}`, basis: BASIS_COMPENSATORY });
  }
  daysOff.sort((a, b) => a.date.localeCompare(b.date));
  return { year, daysOff, makeUpWorkingDays: [], provisional: true };
}

// ---- Official days off from the shared dataset (reference-data/calendar/vn-official-days-off.json) ----

const EVENT_NAMES: Record<string, string> = {
  tet_duong_lich: 'Tết Dương lịch',
  tet_am_lich: TET_AM_LICH,
  gio_to_hung_vuong: 'Giỗ Tổ Hùng Vương',
  ngay_chien_thang_va_quoc_te_lao_dong: 'Ngày Chiến thắng và Ngày Quốc tế lao động',
  quoc_khanh: QUOC_KHANH,
};

function isCivilDate(value: unknown): value is CivilDate {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

function formatVi(date: CivilDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

function dataError(where: string, entry: unknown, problem: string): Error {
  return new Error(
    `Dữ liệu lịch nghỉ chính thức sai: mục ${where} ${JSON.stringify(entry)} ${problem}. ` +
      'Sửa tệp dữ liệu lịch rồi nạp lại.',
  );
}

function dayOffName(event: string, kind: string, date: CivilDate): string {
  if (event === 'ngay_chien_thang_va_quoc_te_lao_dong' && kind === 'holiday') {
    return date.endsWith('-04-30') ? 'Ngày Chiến thắng' : 'Ngày Quốc tế lao động';
  }
  const name = EVENT_NAMES[event] as string;
  if (kind === 'compensatory_day_off') return `Nghỉ bù ${name}`;
  if (kind === 'swapped_day_off') return `Nghỉ hoán đổi dịp ${name}`;
  return name;
}

const BASIS_BY_KIND: Record<string, string> = {
  holiday: BASIS_HOLIDAY,
  compensatory_day_off: BASIS_COMPENSATORY,
  swapped_day_off: BASIS_SWAP,
};

function describeSource(sources: unknown): string {
  // The shared file has two top-level "sources" keys; JSON.parse keeps the last one (the repository the facts
  // were taken from), so the per-document list is not available here. Accept either shape.
  if (Array.isArray(sources)) {
    const documents = sources
      .map((s: { document?: unknown }) => (typeof s?.document === 'string' ? s.document : null))
      .filter((d): d is string => d !== null);
    return `vn-official-days-off: ${documents.join('; ')}`;
  }
  if (sources && typeof sources === 'object') {
    const { repository, commit } = sources as { repository?: unknown; commit?: unknown };
    if (typeof repository === 'string') {
      return `vn-official-days-off (${repository}${typeof commit === 'string' ? `@${commit}` : ''})`;
    }
  }
  return 'vn-official-days-off';
}

/**
 * Reads the shared dataset's shape (`nonWorkingWeekdays`, `makeUpWorkingDays`, `sources`) into one entry per
 * year, in year order. Validates every entry (date format, event, kind, weekday) and throws an Error whose
 * Vietnamese message names the malformed entry.
 */
export function officialDaysOff(json: unknown): OfficialDaysOff[] {
  if (!json || typeof json !== 'object') throw dataError('gốc', json, 'không phải một đối tượng JSON');
  const data = json as { nonWorkingWeekdays?: unknown; makeUpWorkingDays?: unknown; sources?: unknown };
  if (!Array.isArray(data.nonWorkingWeekdays)) {
    throw dataError('nonWorkingWeekdays', data.nonWorkingWeekdays ?? null, 'phải là một danh sách');
  }
  if (!Array.isArray(data.makeUpWorkingDays)) {
    throw dataError('makeUpWorkingDays', data.makeUpWorkingDays ?? null, 'phải là một danh sách');
  }
  const source = describeSource(data.sources);
  const years = new Map<number, OfficialDaysOff>();
  const yearEntry = (year: number): OfficialDaysOff => {
    let entry = years.get(year);
    if (!entry) {
      entry = { year, daysOff: [], makeUpWorkingDays: [], source };
      years.set(year, entry);
    }
    return entry;
  };
  const seen = new Set<CivilDate>();

  data.nonWorkingWeekdays.forEach((raw: unknown, index: number) => {
    const where = `nonWorkingWeekdays[${index}]`;
    const item = (raw ?? {}) as { date?: unknown; event?: unknown; kind?: unknown; year?: unknown };
    if (!isCivilDate(item.date)) throw dataError(where, raw, 'có ngày không hợp lệ (cần dạng YYYY-MM-DD)');
    const date = item.date;
    if (item.year !== undefined && item.year !== Number(date.slice(0, 4))) {
      throw dataError(where, raw, 'có năm không khớp với ngày');
    }
    if (typeof item.event !== 'string' || !(item.event in EVENT_NAMES)) {
      throw dataError(where, raw, 'có sự kiện (event) không nhận ra');
    }
    if (typeof item.kind !== 'string' || !(item.kind in BASIS_BY_KIND)) {
      throw dataError(where, raw, 'có loại ngày nghỉ (kind) không nhận ra');
    }
    if (isWeeklyRestDay(date))
      throw dataError(where, raw, 'rơi vào thứ Bảy hoặc Chủ nhật, không phải ngày thường');
    if (seen.has(date)) throw dataError(where, raw, 'bị trùng ngày');
    seen.add(date);
    yearEntry(Number(date.slice(0, 4))).daysOff.push({
      date,
      name: dayOffName(item.event, item.kind, date),
      basis: BASIS_BY_KIND[item.kind] as string,
    });
  });

  data.makeUpWorkingDays.forEach((raw: unknown, index: number) => {
    const where = `makeUpWorkingDays[${index}]`;
    const item = (raw ?? {}) as { date?: unknown; replaces?: unknown; year?: unknown };
    if (!isCivilDate(item.date)) throw dataError(where, raw, 'có ngày không hợp lệ (cần dạng YYYY-MM-DD)');
    const date = item.date;
    if (item.year !== undefined && item.year !== Number(date.slice(0, 4))) {
      throw dataError(where, raw, 'có năm không khớp với ngày');
    }
    if (!isWeeklyRestDay(date)) throw dataError(where, raw, 'không rơi vào thứ Bảy hoặc Chủ nhật');
    if (item.replaces !== undefined && !isCivilDate(item.replaces)) {
      throw dataError(where, raw, 'có ngày được hoán đổi (replaces) không hợp lệ');
    }
    if (seen.has(date)) throw dataError(where, raw, 'bị trùng ngày');
    seen.add(date);
    yearEntry(Number(date.slice(0, 4))).makeUpWorkingDays.push({
      date,
      name: item.replaces ? `Làm bù cho ngày nghỉ ${formatVi(item.replaces)}` : 'Ngày làm bù',
    });
  });

  const byDate = (a: { date: CivilDate }, b: { date: CivilDate }) => a.date.localeCompare(b.date);
  return [...years.values()]
    .sort((a, b) => a.year - b.year)
    .map((y) => ({
      ...y,
      daysOff: y.daysOff.sort(byDate),
      makeUpWorkingDays: y.makeUpWorkingDays.sort(byDate),
    }));
}
