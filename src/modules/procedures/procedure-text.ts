// Pure readers of the two free-text cells every procedure has: thời hạn giải quyết (processing time) and phí, lệ phí
// (fees), as provincial announcement decisions (QĐ công bố) and the national portal (Cổng DVCQG) write them.
// The rule is "read what is written, never guess": a text that cannot be read into a value and a unit is kept as
// text with parsed: false and a Vietnamese problem for the administrator. The original text is always kept.
import type { CutoffRule, FeeItem, ProcessingTimeRule, TimeUnit } from './procedure-record.ts';

// ---------------------------------------------------------------------------------------------------------------
// Shared text helpers

/** NFC (inputs may arrive decomposed), every kind of space and line break collapsed to one space, trimmed. */
function normaliseSpaces(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\s\u00a0\u200b\u202f\ufeff]+/g, ' ')
    .trim();
}

/** Lower case without changing string length, so indexes found in it also cut the cased text. */
function lowerSameLength(text: string): string {
  const lower = text.toLowerCase();
  return lower.length === text.length ? lower : text;
}

function quote(text: string): string {
  return `“${text}”`;
}

function formatNumber(value: number): string {
  // Vietnamese writes a decimal comma: 1,5 ngày.
  return String(value).replace('.', ',');
}

/** 1500000 → "1.500.000" (Vietnamese thousands dots), without depending on the ICU data of the runtime. */
function formatVnd(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

// Number words, as in "03 (ba) ngày", "mười lăm ngày", "hai mươi mốt ngày", "một trăm linh năm ngày".
const DIGIT_WORDS: Record<string, number> = {
  không: 0,
  một: 1,
  mốt: 1,
  hai: 2,
  ba: 3,
  bốn: 4,
  tư: 4,
  năm: 5,
  lăm: 5,
  sáu: 6,
  bảy: 7,
  bẩy: 7,
  tám: 8,
  chín: 9,
};
const NUMBER_WORD = '(?:một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|bẩy|tám|chín|mười|mươi|linh|lẻ|trăm)';

function parseNumberWords(words: string): number | null {
  let total = 0;
  let pending: number | null = null;
  for (const word of words.trim().split(/\s+/)) {
    if (word === 'mười') {
      if (pending !== null) return null;
      total += 10;
    } else if (word === 'mươi') {
      if (pending === null) return null;
      total += pending * 10;
      pending = null;
    } else if (word === 'trăm') {
      if (pending === null) return null;
      total += pending * 100;
      pending = null;
    } else if (word === 'linh' || word === 'lẻ') {
      continue;
    } else {
      const digit = DIGIT_WORDS[word];
      if (digit === undefined || pending !== null) return null;
      pending = digit;
    }
  }
  return total + (pending ?? 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Processing time (thời hạn giải quyết)

type PeriodUnit = TimeUnit | 'unsupported';

interface Period {
  start: number;
  end: number;
  value: number;
  unit: PeriodUnit;
  /** The unit as written, for messages about units we cannot count in ("tháng", "tuần"…). */
  unitWord: string;
}

const UNITS: Record<string, PeriodUnit> = {
  'ngày làm việc': 'working_day',
  'giờ làm việc': 'working_hour',
  ngày: 'day',
  giờ: 'hour',
  tiếng: 'hour',
  // TimeUnit has no month, week, year, minute or half-day: such periods are flagged, never converted, because
  // "01 tháng" is not a fixed number of days (Bộ luật Dân sự 2015, Điều 147-148 counts months by the calendar).
  tháng: 'unsupported',
  tuần: 'unsupported',
  năm: 'unsupported',
  phút: 'unsupported',
  buổi: 'unsupported',
};

// A number (digits, possibly "02 (hai)", or words) then a unit. A number right after "ngày"/"tháng" is part of a
// date ("ngày 30 tháng 6 năm 2025"), not a period.
const PERIOD = new RegExp(
  '(?<![\\p{L}\\d])(?<!ngày )(?<!tháng )' +
    `(?:(\\d+(?:[.,]\\d+)?)\\s*(?:\\(\\s*[\\p{L} ]+\\)\\s*)?|(${NUMBER_WORD}(?: ${NUMBER_WORD})*) )` +
    '(ngày làm việc|giờ làm việc|ngày|giờ|tiếng|tháng|tuần|năm|phút|buổi)(?![\\p{L}])',
  'gu',
);

// Same-day wording. "trong ngày làm việc tiếp theo" is the next working day, not the same day.
const IMMEDIATE =
  /(?<![\p{L}])(?:ngay trong ngày|giải quyết ngay|trả (?:kết quả )?ngay|ngay lập tức|tức thì|ngay sau khi|ngay khi|trong ngày(?! làm việc tiếp theo| tiếp theo| hôm sau| nghỉ)|^ngay)(?![\p{L}])/gu;

const NEXT_WORKING_DAY = /(?<![\p{L}])(?:(?:trong|vào) )?ngày làm việc tiếp theo(?![\p{L}])/gu;

// A clock time: "15 giờ", "15 giờ 00", "15 giờ 30 phút", "15h", "15h30", "15:30", after a word that makes it a
// moment rather than a duration.
const CLOCK_TIME =
  /(?<![\p{L}])(sau|trước|từ|đến|lúc|vào) (\d{1,2}) ?(giờ|h|g|:) ?(?:(\d{2})(?!\d)(?: ?phút)?|(\d{1,2}) ?phút)?(?![\p{L}\d])/gu;

const RECEIPT_BEFORE = /(?:nhận|nộp|tiếp nhận)[^.;]{0,40}$/u;

const NO_INFORMATION =
  /^(?:không có thông tin|chưa có thông tin|không quy định|chưa quy định|không có|không|chưa có)\.?$/u;

function toPeriod(match: RegExpExecArray): Period | null {
  const [whole, digits, words, unitWord] = match;
  const value = digits !== undefined ? Number(digits.replace(',', '.')) : parseNumberWords(words ?? '');
  if (value === null || !Number.isFinite(value) || unitWord === undefined) return null;
  return { start: match.index, end: match.index + whole.length, value, unit: UNITS[unitWord]!, unitWord };
}

/** The clause a position sits in, cut at ";" and sentence ends, from the clause start to `end`. */
function clauseEndingAt(text: string, start: number, end: number): string {
  const before = text.slice(0, start);
  const boundary = Math.max(
    before.lastIndexOf(';'),
    before.search(/\.\s(?!.*\.\s)/u),
    before.lastIndexOf('\n'),
  );
  return text
    .slice(boundary + 1, end)
    .replace(/^[\s,.;:-]+/, '')
    .trim();
}

interface FoundCutoff {
  rule: CutoffRule;
  /** The span to blank before looking for periods. */
  start: number;
  end: number;
}

function findCutoff(lower: string, cased: string): { cutoff: FoundCutoff | null; masked: string } {
  let masked = lower;
  let cutoff: FoundCutoff | null = null;
  const blank = (from: number, to: number) => {
    masked = masked.slice(0, from) + ' '.repeat(to - from) + masked.slice(to);
  };
  for (const match of lower.matchAll(CLOCK_TIME)) {
    const [whole, preposition, hourText, mark, minutesA, minutesB] = match;
    const start = match.index;
    const end = start + whole.length;
    const hour = Number(hourText);
    const minutes = Number(minutesA ?? minutesB ?? '0');
    const isClockForm = mark !== 'giờ' || minutesA !== undefined || minutesB !== undefined;
    const sentenceStart = Math.max(lower.lastIndexOf('.', start), lower.lastIndexOf(';', start)) + 1;
    const sentenceEndAt = lower.slice(end).search(/[.;]/);
    const sentence = lower.slice(sentenceStart, sentenceEndAt < 0 ? lower.length : end + sentenceEndAt);
    const hasReceipt = RECEIPT_BEFORE.test(lower.slice(sentenceStart, start));
    const hasNextDay = /ngày làm việc tiếp theo|ngày hôm sau|ngày tiếp theo/u.test(sentence);
    // "sau 02 giờ" may be a duration (two hours): only a time of day when written as one, or when the sentence
    // is about receipt or the next working day, and within office hours.
    const isMoment =
      hour <= 23 &&
      minutes <= 59 &&
      (preposition !== 'sau' || isClockForm || ((hasReceipt || hasNextDay) && hour >= 7));
    if (!isMoment) continue;
    blank(start, end);
    if (cutoff || preposition !== 'sau' || !(hasReceipt || hasNextDay)) continue;

    const time = `${String(hour).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
    const next = [...sentence.matchAll(NEXT_WORKING_DAY)]
      .map((m) => ({ start: sentenceStart + m.index, end: sentenceStart + m.index + m[0].length }))
      .sort((a, b) => Math.abs(a.start - start) - Math.abs(b.start - start))[0];
    let spanStart = Math.min(start, next?.start ?? start);
    const spanEnd = Math.max(end, next?.end ?? end);
    if (spanStart === start) {
      // "…; trường hợp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo": include the receipt words.
      const head = lower.slice(sentenceStart, start);
      const cut = Math.max(head.lastIndexOf(','), head.lastIndexOf(' hoặc '), head.lastIndexOf('('));
      spanStart = sentenceStart + (cut < 0 ? 0 : cut + (head.startsWith(' hoặc ', cut) ? 6 : 1));
    }
    const text = cased
      .slice(spanStart, spanEnd)
      .replace(/^[\s,;(]+/, '')
      .trim();
    cutoff = {
      start: spanStart,
      end: spanEnd,
      rule: {
        time,
        effect: 'next_working_day',
        text,
        ...(next ? { afterCutoff: { value: 1, unit: 'working_day' } } : {}),
      },
    };
  }
  if (cutoff) blank(cutoff.start, cutoff.end);
  return { cutoff, masked };
}

function findPeriods(masked: string): Period[] {
  const periods: Period[] = [];
  for (const match of masked.matchAll(PERIOD)) {
    const period = toPeriod(match);
    if (period) periods.push(period);
  }
  for (const match of masked.matchAll(IMMEDIATE)) {
    periods.push({
      start: match.index,
      end: match.index + match[0].length,
      value: 0,
      unit: 'immediate',
      unitWord: '',
    });
  }
  for (const match of masked.matchAll(NEXT_WORKING_DAY)) {
    periods.push({
      start: match.index,
      end: match.index + match[0].length,
      value: 1,
      unit: 'working_day',
      unitWord: '',
    });
  }
  // "trong ngày" inside "ngay trong ngày" is the same phrase.
  return periods
    .sort((a, b) => a.start - b.start || b.end - a.end)
    .filter((p, i, all) => !all.slice(0, i).some((q) => p.start >= q.start && p.end <= q.end));
}

function isMaximumBefore(lower: string, start: number): boolean {
  return /(?:không quá|không vượt quá|tối đa|chậm nhất)(?: là)?(?: trong)?(?: thời hạn| vòng)?\s*$/u.test(
    lower.slice(Math.max(0, start - 40), start),
  );
}

function unparsedTime(text: string, problem: string): ProcessingTimeRule {
  return { text, value: null, unit: null, parsed: false, problems: [problem] };
}

/** Reads a deadline cell ("03 ngày làm việc", "Không quá 02 (hai) ngày làm việc", "Ngay trong ngày … sau 15 giờ"). */
export function parseProcessingTime(text: string): ProcessingTimeRule {
  const cased = normaliseSpaces(text);
  const lower = lowerSameLength(cased);
  if (lower === '') return unparsedTime(text, 'chưa có thời hạn giải quyết');
  if (NO_INFORMATION.test(lower)) {
    return unparsedTime(text, `nguồn ghi ${quote(cased)}: chưa có thời hạn giải quyết`);
  }
  // The national portal often shows a number without its unit ("7"): ngày or ngày làm việc cannot be told apart.
  if (/^\d+(?:[.,]\d+)?$/.test(lower)) return unparsedTime(text, 'thiếu đơn vị thời gian');

  const { cutoff, masked } = findCutoff(lower, cased);
  const periods = findPeriods(masked);
  const first = periods[0];
  const problems: string[] = [];
  let rule: ProcessingTimeRule;
  if (!first) {
    rule = unparsedTime(
      text,
      'không đọc được thời hạn giải quyết: cần ghi số và đơn vị (ví dụ “03 ngày làm việc”)',
    );
  } else if (first.unit === 'unsupported') {
    rule = unparsedTime(
      text,
      `chưa hỗ trợ đơn vị thời gian ${quote(first.unitWord)}: thời hạn được giữ nguyên văn, không tự quy đổi ra ngày`,
    );
  } else {
    rule = { text, value: first.value, unit: first.unit, parsed: true };
    if (first.unit !== 'immediate' && isMaximumBefore(lower, first.start)) rule.isMaximum = true;
  }
  if (cutoff) {
    // The "next working day" of a cut-off only makes sense for a same-day rule; for a rule in days the cut-off
    // moves the start of the count, the period stays the same.
    const { afterCutoff, ...rest } = cutoff.rule;
    rule.cutoff = rule.unit === 'immediate' && afterCutoff ? { ...rest, afterCutoff } : rest;
  }

  if (first) {
    const seen = new Set<string>();
    for (const other of periods.slice(1)) {
      const sameAsFirst = other.value === first.value && other.unit === first.unit;
      const sameAsCutoff =
        rule.cutoff?.afterCutoff &&
        other.value === rule.cutoff.afterCutoff.value &&
        other.unit === rule.cutoff.afterCutoff.unit;
      if (sameAsFirst || sameAsCutoff) continue;
      const clause = clauseEndingAt(cased, other.start, other.end);
      if (seen.has(clause)) continue;
      seen.add(clause);
      const general = rule.parsed
        ? `; đã lấy thời hạn chung ${quote(describeProcessingTime({ ...rule, cutoff: undefined }))}`
        : '';
      problems.push(`văn bản nêu thêm thời hạn khác cho trường hợp riêng: ${quote(clause)}${general}`);
    }
  }
  if (problems.length) rule.problems = [...(rule.problems ?? []), ...problems];
  return rule;
}

const UNIT_LABELS: Record<Exclude<TimeUnit, 'immediate'>, string> = {
  working_day: 'ngày làm việc',
  day: 'ngày',
  hour: 'giờ',
  working_hour: 'giờ làm việc',
};

/** Plain Vietnamese for citizens: "3 ngày làm việc", "Tối đa 2 ngày làm việc", "Trong ngày (nhận sau 15:00 …)". */
export function describeProcessingTime(rule: ProcessingTimeRule): string {
  if (!rule.parsed || rule.value === null || rule.unit === null) {
    return normaliseSpaces(rule.text) || 'Chưa có thông tin';
  }
  let description: string;
  if (rule.unit === 'immediate') description = 'Trong ngày';
  else {
    const amount = `${formatNumber(rule.value)} ${UNIT_LABELS[rule.unit]}`;
    description = rule.isMaximum ? `Tối đa ${amount}` : amount;
  }
  if (rule.cutoff) {
    const after = rule.cutoff.afterCutoff;
    const then =
      after && after.value === 1 && after.unit === 'working_day'
        ? 'trả trong ngày làm việc tiếp theo'
        : after
          ? `trả trong ${describeProcessingTime({ text: '', value: after.value, unit: after.unit, parsed: true }).toLowerCase()}`
          : 'tính từ ngày làm việc tiếp theo';
    description += ` (nhận sau ${rule.cutoff.time} thì ${then})`;
  }
  return description;
}

// ---------------------------------------------------------------------------------------------------------------
// Fees (phí, lệ phí)

interface Amount {
  start: number;
  end: number;
  /** null when the number cannot be read as đồng (a negative, "1,2,3 đồng"…). */
  value: number | null;
  currency: 'VND' | 'USD';
  isNegative: boolean;
  written: string;
}

// "50.000 đồng", "120,000 VNĐ", "10 000 đồng", "10.000đ", "1,5 triệu đồng", "10 USD". The minus must touch the
// number: "- 50.000 đồng" is a list bullet.
const AMOUNT =
  /(?<![\p{L}\d.,])([-−]?)(\d+(?:(?:[.,]| (?=\d{3}(?!\d)))\d+)*) ?(nghìn|ngàn|triệu|tỷ)? ?(việt nam đồng|vnđ|vnd|đồng|đ|usd|đô la mỹ|đô la)(?![\p{L}])/giu;

const MULTIPLIERS: Record<string, number> = {
  nghìn: 1_000,
  ngàn: 1_000,
  triệu: 1_000_000,
  tỷ: 1_000_000_000,
};

function readNumber(written: string, multiplier: string | undefined): number | null {
  // "1,5 triệu": with a multiplier word, one separator followed by one or two digits is a decimal one.
  if (multiplier && /^\d+(?:[.,]\d{1,2})?$/.test(written)) {
    return Math.round(Number(written.replace(',', '.')) * MULTIPLIERS[multiplier]!);
  }
  const groups = written.split(/[., ]/);
  if (groups.length > 1 && groups.slice(1).some((g) => g.length !== 3)) return null;
  const value = Number(groups.join(''));
  return multiplier ? value * MULTIPLIERS[multiplier]! : value;
}

function findAmounts(text: string): Amount[] {
  const amounts: Amount[] = [];
  for (const match of text.matchAll(AMOUNT)) {
    const [whole, minus, digits, multiplier, currency] = match;
    const isUsd = /^(?:usd|đô la)/iu.test(currency ?? '');
    amounts.push({
      start: match.index,
      end: match.index + whole.length,
      value: readNumber(digits ?? '', multiplier?.toLowerCase()),
      currency: isUsd ? 'USD' : 'VND',
      isNegative: minus !== '',
      written: whole,
    });
  }
  return amounts;
}

/** "/bản", "/ tờ khai", "/người/lần đăng ký" right after an amount; stops at the clause, a list word or a note. */
function perAfter(text: string, from: number, limit: number): string | undefined {
  const rest = text.slice(from, limit);
  const match = /^ ?\/ ?(?:(?:1|một|mỗi) )?([^;,()]+)/u.exec(rest);
  if (!match) return undefined;
  const per = match[1]!
    .split(/\.(?!\d)| (?:và|hoặc|nhưng|đối với|khi|nếu|từ|tối đa|không quá|trường hợp) /iu)[0]!
    .trim()
    .replace(/[.:]+$/, '');
  return per || undefined;
}

// The deferral to another authority: "Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh … quyết định", "theo Nghị quyết
// của HĐND tỉnh", "Áp dụng mức thu theo … Thông tư …", "Theo quy định của Luật phí và lệ phí …".
const DEFERRAL =
  /hội đồng nhân dân|hđnd|nghị quyết|áp dụng mức (?:thu|phí)|^(?:mức (?:thu|phí|lệ phí)[^.]*)?theo (?:quy định (?:của|tại) )?(?:luật|nghị định|thông tư|quyết định)/iu;
// …and whether it says the level is set elsewhere (so a "Miễn phí" beside it may not mean free).
const PROVINCIAL_COUNCIL = /hội đồng nhân dân|hđnd/iu;
const SETS_LEVEL_ELSEWHERE = /mức (?:thu|phí|lệ phí)|quyết định|theo quy định của|áp dụng/iu;

function sentencesOf(text: string): string[] {
  return text
    .split(/;|\.(?=\s|$|\p{Lu})/u)
    .map((s) =>
      s
        .replace(/^[\s()\-+•:]+/u, '')
        .replace(/[\s(]+$/u, '')
        .trim(),
    )
    .filter(Boolean);
}

function balanceParentheses(text: string): string {
  let result = text;
  while ((result.match(/\(/g)?.length ?? 0) < (result.match(/\)/g)?.length ?? 0) && result.endsWith(')')) {
    result = result.slice(0, -1).trim();
  }
  return result;
}

function findDeferral(text: string): string | undefined {
  const sentence = sentencesOf(text).find((s) => DEFERRAL.test(s));
  if (!sentence) return undefined;
  // The portal sometimes leaves an empty amount before the note: "Lệ phí : Đồng (- Mức lệ phí cụ thể do …".
  const trimmed = sentence.replace(/^(?:(?:lệ phí|phí) ?: ?)?(?:đồng ?)?[(\-+•\s]*/iu, '');
  return balanceParentheses(trimmed);
}

// A clause that says there is no fee. Strong words may be followed by their scope ("miễn lệ phí cho người thuộc hộ
// nghèo"); a bare "Không" only counts alone ("Không quá…", "Không quy định" are not "free").
const FREE_STRONG =
  /^(?:miễn|không thu|không phải nộp|không phải trả|không mất)(?: (?:phí|lệ phí)(?:(?:,| và) (?:phí|lệ phí))?)?(?![\p{L}])/iu;
const FREE_ALONE = /^(?:không|không có|0 đồng|0 vnđ|0 đ)$/iu;
const FEE_LABEL = /^(?:mức thu |mức )?(?:phí|lệ phí)(?:[,/ ]+(?:và )?(?:phí|lệ phí))?(?: [^:]{0,40})? ?: ?/iu;
const NO_FEE_INFORMATION = /^(?:không có thông tin|chưa có thông tin|không quy định|chưa quy định)\.?$/iu;

function freeClause(clause: string): { rest: string } | null {
  const text = clause
    .trim()
    .replace(FEE_LABEL, '')
    .replace(/[.\s]+$/, '');
  if (FREE_ALONE.test(text)) return { rest: '' };
  const strong = FREE_STRONG.exec(text);
  if (!strong) return null;
  return { rest: text.slice(strong[0].length).replace(/^[\s,:;-]+/u, '') };
}

/** What qualifies an amount, from the words before it: "từ trang thứ 3 trở lên", "tối đa". */
function qualifierOf(prefix: string): string | undefined {
  let note = prefix
    .replace(/^[\s,;:.()\-+•]+/u, '')
    .replace(FEE_LABEL, '')
    .replace(/[\s,;:()\-+•]+$/u, '')
    .replace(/(?:^| )(?:mức thu là|mức thu|thu|là|bằng)$/iu, '')
    .replace(/ [+•-] /gu, ' ')
    .trim();
  note = note.replace(/tối đa(?: thu)?(?: không (?:vượt )?quá)?|không (?:vượt )?quá/iu, 'tối đa').trim();
  note = note.replace(FEE_LABEL, '').trim();
  return note && /\p{L}/u.test(note) ? note : undefined;
}

// No fee in the catalogues is below 1.000 đồng; a smaller amount is a slip (the portal sometimes writes thousands:
// "20 VNĐ(20.000 đ/tờ khai)", or glues a bare time to the fee: "1" + "20 VNĐ"). Kept as written, flagged.
const SMALLEST_PLAUSIBLE_FEE = 1_000;

function implausibleAmountProblem(amount: number): string {
  return `mức phí ${quote(`${formatVnd(amount)} đồng`)} nhỏ bất thường (dưới 1.000 đồng), có thể ghi thiếu hoặc dính số: cần kiểm tra`;
}

function cleanNote(text: string): string {
  return balanceParentheses(text.replace(/^[\s,:;-]+/u, '').replace(/[\s.;]+$/u, '')).replace(
    /[\s.;]+$/u,
    '',
  );
}

function unparsedFee(text: string, problem: string, extra: Partial<FeeItem> = {}): FeeItem {
  return { text, amountVnd: null, free: false, ...extra, parsed: false, problems: [problem] };
}

interface Piece {
  start: number;
  item: FeeItem;
}

/** Items of a text in the announcement style: clauses with amounts, "Không", "Miễn phí cho …". */
function readClauses(cased: string, skipUntil: number): Piece[] {
  const pieces: Piece[] = [];
  const amounts = findAmounts(cased).filter((a) => a.start >= skipUntil);
  const clauseRe = /[^;]+?(?:\.(?=\s|$|\p{Lu})|;|$)/gu;
  let previousClauseEnd = '';
  for (const clauseMatch of cased.matchAll(clauseRe)) {
    const clauseStart = clauseMatch.index;
    const clauseEnd = clauseStart + clauseMatch[0].length;
    if (clauseEnd <= clauseStart) continue;
    const inClause = amounts.filter((a) => a.start >= clauseStart && a.start < clauseEnd);
    const continuesList = previousClauseEnd === ';';
    previousClauseEnd = clauseMatch[0].endsWith(';') ? ';' : '.';
    if (inClause.length === 0) {
      if (clauseStart < skipUntil) continue;
      const free = freeClause(clauseMatch[0]);
      const last = pieces[pieces.length - 1];
      if (free) {
        const note = free.rest ? cleanNote(free.rest) : undefined;
        pieces.push({
          start: clauseStart,
          item: { text: '', amountVnd: 0, free: true, ...(note ? { note } : {}), parsed: true },
        });
      } else if (continuesList && last?.item.free && last.item.note) {
        // "Miễn lệ phí cho người thuộc gia đình có công…; người thuộc hộ nghèo; người khuyết tật": one list.
        last.item.note = `${last.item.note}; ${cleanNote(clauseMatch[0])}`;
      }
      continue;
    }
    let previousEnd = Math.max(clauseStart, skipUntil);
    inClause.forEach((amount, index) => {
      const limit = inClause[index + 1]?.start ?? clauseEnd;
      const per = perAfter(cased, amount.end, limit);
      const perEnd = per ? cased.indexOf(per, amount.end) + per.length : amount.end;
      const note = qualifierOf(cased.slice(previousEnd, amount.start));
      const start = index === 0 ? clauseStart : previousEnd;
      const extra = { ...(per ? { per } : {}), ...(note ? { note } : {}) };
      let item: FeeItem;
      if (amount.currency === 'USD') item = unparsedFee('', 'phí tính bằng ngoại tệ (USD)', extra);
      else if (amount.isNegative) {
        item = unparsedFee(
          '',
          `mức phí âm ${quote(amount.written.trim())} không hợp lệ: cần ghi lại mức phí`,
          extra,
        );
      } else if (amount.value === null || !Number.isSafeInteger(amount.value)) {
        item = unparsedFee('', `không đọc được số tiền ${quote(amount.written.trim())}`, extra);
      } else if (amount.value > 0 && amount.value < SMALLEST_PLAUSIBLE_FEE) {
        item = { ...unparsedFee('', implausibleAmountProblem(amount.value), extra), amountVnd: amount.value };
      } else item = { text: '', amountVnd: amount.value, free: amount.value === 0, ...extra, parsed: true };
      pieces.push({ start, item });
      previousEnd = Math.max(perEnd, amount.end);
    });
  }
  return pieces;
}

/** Gives each item the part of the cell it came from (the whole cell when there is one item). */
function withTexts(original: string, cased: string, pieces: Piece[]): FeeItem[] {
  if (pieces.length === 1) return [{ ...pieces[0]!.item, text: original }];
  return pieces.map((piece, index) => {
    const start = index === 0 ? 0 : piece.start;
    const end = pieces[index + 1]?.start ?? cased.length;
    return { ...piece.item, text: cased.slice(start, end).replace(/^[\s;,]+|[\s;,]+$/g, '') };
  });
}

/** "400.000 Đồng (Mức thu lệ phí: 400.000đ/trường hợp)": the same amount twice is one item. */
function mergeRepeats(pieces: Piece[]): Piece[] {
  const merged: Piece[] = [];
  for (const piece of pieces) {
    const last = merged[merged.length - 1];
    if (
      last &&
      last.item.parsed &&
      piece.item.parsed &&
      !last.item.free &&
      last.item.amountVnd === piece.item.amountVnd &&
      !last.item.per &&
      !last.item.note
    ) {
      merged[merged.length - 1] = { start: last.start, item: piece.item };
    } else merged.push(piece);
  }
  return merged;
}

function addDeferral(items: FeeItem[], deferral: string | undefined): FeeItem[] {
  const first = items[0];
  if (!deferral || !first) return items;
  // "Miễn phí theo Nghị quyết …": the deferral sentence holds the note already; keep the more specific words.
  const note = !first.note
    ? deferral
    : deferral.includes(first.note)
      ? first.note
      : first.note.includes(deferral)
        ? first.note
        : `${first.note}; ${deferral}`;
  const updated: FeeItem = { ...first, note };
  if (first.parsed && SETS_LEVEL_ELSEWHERE.test(deferral)) {
    // The portal shows "Miễn phí" when it has no amount, so "free" beside "the People's Council sets the level"
    // may not be free at all; an amount beside it may be another province's.
    if (first.free) {
      updated.problems = [
        ...(first.problems ?? []),
        'nguồn ghi miễn phí nhưng mức thu do văn bản khác quy định (thường là Hội đồng nhân dân cấp tỉnh): cần kiểm tra và ghi mức thu cụ thể',
      ];
    } else if (PROVINCIAL_COUNCIL.test(deferral)) {
      updated.problems = [
        ...(first.problems ?? []),
        `mức thu do Hội đồng nhân dân cấp tỉnh quyết định: cần kiểm tra mức ${formatVnd(first.amountVnd ?? 0)} đồng có đúng mức của tỉnh`,
      ];
    }
  }
  return [updated, ...items.slice(1)];
}

// The national portal writes "Miễn phí", "120,000 VNĐ" or "20,000 Việt Nam Đồng", then the fee's description in
// parentheses, which often repeats the amount with its unit ("70,000 VNĐ(70.000 đồng/Giấy chứng nhận.)").
const PORTAL_HEAD = /^(miễn phí|(\d[\d.,]*) ?(?:vnđ|vnd|việt nam đồng))\s*\(/iu;

function readPortalFee(original: string, cased: string, head: RegExpExecArray): FeeItem[] {
  const headEnd = head[0].length - 1;
  const note = cased.slice(headEnd + 1).replace(/\)\s*$/, '');
  const noteAmounts = findAmounts(note).filter((a) => a.currency === 'VND');
  const deferral = findDeferral(note);
  if (head[2] === undefined) {
    if (noteAmounts.length > 0) {
      return [
        unparsedFee(
          original,
          `ô phí ghi “Miễn phí” nhưng phần mô tả nêu mức ${quote(noteAmounts[0]!.written.trim())}: cần kiểm tra`,
        ),
      ];
    }
    return addDeferral([{ text: original, amountVnd: 0, free: true, parsed: true }], deferral);
  }
  const amount = readNumber(head[2], undefined);
  if (amount === null) return [unparsedFee(original, `không đọc được số tiền ${quote(head[1]!)}`)];
  if (noteAmounts.length === 0) {
    const per = perAfter(note, 0, note.length);
    if (amount > 0 && amount < SMALLEST_PLAUSIBLE_FEE) {
      return [
        { ...unparsedFee(original, implausibleAmountProblem(amount), per ? { per } : {}), amountVnd: amount },
      ];
    }
    return addDeferral(
      [{ text: original, amountVnd: amount, free: amount === 0, ...(per ? { per } : {}), parsed: true }],
      deferral,
    );
  }
  if (!noteAmounts.some((a) => a.value === amount)) {
    // Seen when the portal glues a bare time to the fee ("1" + "20" → "120 VNĐ(20.000 vnđ/tờ khai)"): never pick one.
    return [
      unparsedFee(
        original,
        `mức phí ${quote(`${formatVnd(amount)} đồng`)} khác với mức trong phần mô tả ${quote(noteAmounts[0]!.written.trim())}: cần kiểm tra`,
      ),
    ];
  }
  const pieces = mergeRepeats(readClauses(cased, headEnd));
  return addDeferral(withTexts(original, cased, pieces), deferral);
}

/** Reads a fee cell into items: "Không", "50.000 đồng/bản", "2.000 đồng/trang; từ trang thứ 3 trở lên …". */
export function parseFees(text: string): FeeItem[] {
  const cased = normaliseSpaces(text);
  if (cased === '') return [];
  if (NO_FEE_INFORMATION.test(cased)) {
    return [unparsedFee(text, `nguồn ghi ${quote(cased)}: chưa rõ có thu phí, lệ phí hay không`)];
  }
  const amounts = findAmounts(cased);
  if (amounts.some((a) => a.currency === 'USD')) {
    const usd = amounts.find((a) => a.currency === 'USD')!;
    const per =
      perAfter(cased, usd.end, cased.length) ??
      perAfter(cased, cased.indexOf('(', usd.end) + 1, cased.length);
    return [unparsedFee(text, 'phí tính bằng ngoại tệ (USD)', per ? { per } : {})];
  }
  const head = PORTAL_HEAD.exec(cased);
  if (head) return readPortalFee(text, cased, head);

  const pieces = mergeRepeats(readClauses(cased, 0));
  const deferral = findDeferral(cased);
  if (pieces.length === 0) {
    if (deferral) {
      const problem =
        'chưa ghi mức phí cụ thể: mức thu theo văn bản khác (thường là nghị quyết của Hội đồng nhân dân cấp tỉnh)';
      return [{ text, amountVnd: null, free: false, note: deferral, parsed: false, problems: [problem] }];
    }
    return [
      unparsedFee(
        text,
        'không đọc được mức phí, lệ phí: cần ghi số tiền (ví dụ “50.000 đồng/bản”) hoặc “Miễn phí”',
      ),
    ];
  }
  return addDeferral(withTexts(text, cased, pieces), deferral);
}

/** Plain Vietnamese for citizens: "Miễn phí", "50.000 đồng/bản", several joined with "; ". */
export function describeFees(items: FeeItem[]): string {
  const parts = items.map((item) => {
    if (!item.parsed || (item.amountVnd === null && !item.free)) return normaliseSpaces(item.text);
    const amount = item.free
      ? 'Miễn phí'
      : `${formatVnd(item.amountVnd ?? 0)} đồng${item.per ? `/${item.per}` : ''}`;
    return item.note ? `${amount} (${item.note.replace(/[.\s]+$/, '')})` : amount;
  });
  return [...new Set(parts.filter(Boolean))].join('; ');
}
