// Due dates (ngày hẹn trả) from a procedure's processing-time rule and a working calendar. Pure: no I/O, no clock;
// every instant is passed in. All civil-date reasoning is in Vietnam time (UTC+7, no daylight saving), so a day is
// handled as an integer "day number" (days since 1970-01-01 in Vietnam time) and a moment as UTC milliseconds.
//
// Decisions where the texts leave room (each repeated at the rule it governs):
// - Receipt outside working time (weekly rest day, holiday, before opening, lunch, after closing) is receipt at the
//   next working moment; the day of that moment is then "the day of receipt" and, for periods in days, not counted.
// - A cut-off (per procedure, e.g. 15:00) applies only to receipt on a working day between the cut-off and closing:
//   that receipt becomes receipt at the opening of the next working day. Exactly 15:00:00 is not "after 15:00".
// - A period in days ends at the close of the last working period of its last day (17:00), not at the 24:00 of
//   Civil Code Art. 148(6): the result is returned at the desk, which closes then.
// - A period in wall-clock hours whose end falls outside working time ends at the next working moment.
// - A supplement request stops the clock; the complete supplement restarts it as if the dossier were received then.
import type { TimeUnit, ProcessingTimeRule } from '../procedures/index.ts';
import type { CivilDate, WorkingCalendarData } from './working-calendar.ts';

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
/** No calendar leaves five years without a working day; past that the data is wrong, not the dossier. */
const MAX_SCAN_DAYS = 5 * 366;

/** An instant as a Date or an ISO 8601 string with an offset. */
export type Instant = Date | string;

/** A working calendar indexed once for O(1) day lookups: build it with `prepareCalendar` and reuse it. */
export interface PreparedCalendar {
  readonly kind: 'prepared-working-calendar';
  readonly version: string;
  readonly confirmedYears: ReadonlySet<number>;
  readonly weeklyRestDays: ReadonlySet<number>;
  readonly daysOff: ReadonlySet<number>;
  readonly makeUpWorkingDays: ReadonlySet<number>;
  /** Working periods in milliseconds since local midnight, sorted, not overlapping. */
  readonly periods: readonly { start: number; end: number }[];
  readonly opensAt: number;
  readonly closesAt: number;
}

export type CalendarInput = WorkingCalendarData | PreparedCalendar;

export interface DeadlineInputs {
  rule: ProcessingTimeRule;
  calendarVersion: string;
  /** ISO instant of receipt as given. */
  receivedAt: string;
  /**
   * The civil date treated as the day of receipt (not counted) after working hours and the cut-off are applied; the
   * real day of receipt when the period stated for after the cut-off applies.
   */
  countingStartsOn: CivilDate;
  /** ISO instant the clock starts from (for periods in hours). */
  countingStartsAt: string;
  /** The period actually counted: the rule's, or the one stated for receipt after the cut-off. */
  appliedPeriod: { value: number; unit: TimeUnit };
  isAfterCutoff: boolean;
  pauses: { from: string; to: string | null }[];
  /** Pauses that began after the due date had passed: they do not move it. */
  ignoredPauses: number;
  /** False when the receipt or the due date falls in a year the calendar marks as provisional. */
  isCalendarConfirmed: boolean;
}

export interface ComputedDeadline {
  ok: true;
  paused: false;
  dueAt: Date;
  inputs: DeadlineInputs;
  /** Vietnamese, for the officer and the citizen's receipt. */
  explanation: string;
}

export interface PausedDeadline {
  ok: true;
  paused: true;
  /** What is left of the period when the clock stopped (hours may be fractional). */
  remaining: { value: number; unit: TimeUnit };
  inputs: DeadlineInputs;
  explanation: string;
}

export interface DeadlineError {
  ok: false;
  /** Vietnamese: what is wrong and what to do. */
  reason: string;
}

export type DeadlineResult = ComputedDeadline | DeadlineError;

export interface SupplementPause {
  from: Instant;
  /** Null while the clock is stopped, waiting for the complete supplement. */
  to: Instant | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Calendar index

function parseClockTime(value: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) return null;
  return hours * HOUR_MS + minutes * MINUTE_MS;
}

function civilToDay(date: CivilDate): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function dayToCivil(day: number): CivilDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number; day 0 (1970-01-01) was a Thursday. */
function weekdayOf(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function prepareCalendar(calendar: CalendarInput): PreparedCalendar {
  if ('kind' in calendar && calendar.kind === 'prepared-working-calendar') return calendar;
  const data = calendar as WorkingCalendarData;
  const periods = data.workingHours
    .map((period) => {
      const start = parseClockTime(period.start);
      const end = parseClockTime(period.end);
      if (start === null || end === null || end <= start) {
        throw new Error(`Invalid working period ${period.start}-${period.end} in calendar ${data.version}`);
      }
      return { start, end };
    })
    .sort((a, b) => a.start - b.start);
  if (periods.length === 0) throw new Error(`Calendar ${data.version} has no working hours`);
  for (let i = 1; i < periods.length; i++) {
    if (periods[i]!.start < periods[i - 1]!.end) {
      throw new Error(`Overlapping working periods in calendar ${data.version}`);
    }
  }
  return {
    kind: 'prepared-working-calendar',
    version: data.version,
    confirmedYears: new Set(data.confirmedYears),
    weeklyRestDays: new Set(data.weeklyRestDays),
    daysOff: new Set(data.daysOff.map((d) => civilToDay(d.date))),
    makeUpWorkingDays: new Set(data.makeUpWorkingDays.map((d) => civilToDay(d.date))),
    periods,
    opensAt: periods[0]!.start,
    closesAt: periods[periods.length - 1]!.end,
  };
}

function isWorkingDayNumber(calendar: PreparedCalendar, day: number): boolean {
  if (calendar.makeUpWorkingDays.has(day)) return true;
  if (calendar.weeklyRestDays.has(weekdayOf(day))) return false;
  return !calendar.daysOff.has(day);
}

/** Same answer as `isWorkingDay` in working-calendar.ts, in O(1) on a prepared calendar. */
export function isWorkingDate(calendar: PreparedCalendar, date: CivilDate): boolean {
  return isWorkingDayNumber(calendar, civilToDay(date));
}

function nextWorkingDay(calendar: PreparedCalendar, day: number): number {
  for (let d = day + 1; d <= day + MAX_SCAN_DAYS; d++) {
    if (isWorkingDayNumber(calendar, d)) return d;
  }
  throw new Error(
    `No working day within ${MAX_SCAN_DAYS} days after ${dayToCivil(day)} in ${calendar.version}`,
  );
}

/** The Nth working day after `day` (N = 0: `day` itself). */
function addWorkingDays(calendar: PreparedCalendar, day: number, count: number): number {
  let current = day;
  for (let i = 0; i < count; i++) current = nextWorkingDay(calendar, current);
  return current;
}

function localDay(ms: number): number {
  return Math.floor((ms + VIETNAM_OFFSET_MS) / DAY_MS);
}

function msOfLocalDay(ms: number): number {
  return ms + VIETNAM_OFFSET_MS - localDay(ms) * DAY_MS;
}

function instantOf(day: number, msOfDay: number): number {
  return day * DAY_MS + msOfDay - VIETNAM_OFFSET_MS;
}

function endOfWorkingDay(calendar: PreparedCalendar, day: number): number {
  return instantOf(day, calendar.closesAt);
}

/** The first moment at or after `ms` inside a working period. */
function nextWorkingMoment(calendar: PreparedCalendar, ms: number): number {
  const day = localDay(ms);
  if (isWorkingDayNumber(calendar, day)) {
    const time = msOfLocalDay(ms);
    for (const period of calendar.periods) {
      if (time < period.end) return instantOf(day, Math.max(time, period.start));
    }
  }
  return instantOf(nextWorkingDay(calendar, day), calendar.opensAt);
}

/** Inside a working period, its closing instant included (a deadline may fall at 11:30 or 17:00). */
function isWithinWorkingTime(calendar: PreparedCalendar, ms: number): boolean {
  if (!isWorkingDayNumber(calendar, localDay(ms))) return false;
  const time = msOfLocalDay(ms);
  return calendar.periods.some((period) => time >= period.start && time <= period.end);
}

/** `start` plus `duration` of working time (lunch breaks, nights, rest days and holidays not counted). */
function addWorkingTime(calendar: PreparedCalendar, start: number, duration: number): number {
  let day = localDay(start);
  let time = msOfLocalDay(start);
  let left = duration;
  for (let scanned = 0; scanned <= MAX_SCAN_DAYS * 10; scanned++) {
    if (isWorkingDayNumber(calendar, day)) {
      for (const period of calendar.periods) {
        if (time >= period.end) continue;
        const from = Math.max(time, period.start);
        const available = period.end - from;
        if (left <= available) return instantOf(day, from + left);
        left -= available;
      }
    }
    day = nextWorkingDay(calendar, day);
    time = 0;
  }
  throw new Error(`Working time too long to count on calendar ${calendar.version}`);
}

/** Working time in [from, to), 0 when `to` is not after `from`. */
function workingTimeBetween(calendar: PreparedCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  for (let day = localDay(from); day <= localDay(to); day++) {
    if (!isWorkingDayNumber(calendar, day)) continue;
    for (const period of calendar.periods) {
      const start = Math.max(instantOf(day, period.start), from);
      const end = Math.min(instantOf(day, period.end), to);
      if (end > start) total += end - start;
    }
  }
  return total;
}

/** Working days d with from < d <= to. */
function workingDaysAfterUpTo(calendar: PreparedCalendar, from: number, to: number): number {
  let count = 0;
  for (let day = from + 1; day <= to; day++) if (isWorkingDayNumber(calendar, day)) count++;
  return count;
}

// ---------------------------------------------------------------------------------------------------------------
// Where the clock starts

type StartReason = 'in_hours' | 'outside_hours' | 'non_working_day' | 'after_cutoff';

interface ClockStart {
  /** The day of receipt for counting (a working day). */
  day: number;
  /** The first working moment of the clock. */
  moment: number;
  reason: StartReason;
}

/**
 * Where counting starts for something received at `at`.
 * Decision (the texts are silent): receipt outside working time is receipt at the next working moment, and that
 * moment's day is the day of receipt. Cut-off (per procedure, DOMAIN §4; e.g. QĐ 1872/QĐ-BTP for hộ tịch): receipt
 * after it on a working day counts as receipt on the next working day.
 */
function startCounting(calendar: PreparedCalendar, at: number, cutoff: number | null): ClockStart {
  const day = localDay(at);
  const time = msOfLocalDay(at);
  const nextDayStart = (reason: StartReason): ClockStart => {
    const next = nextWorkingDay(calendar, day);
    return { day: next, moment: instantOf(next, calendar.opensAt), reason };
  };
  if (!isWorkingDayNumber(calendar, day)) return nextDayStart('non_working_day');
  if (time >= calendar.closesAt) return nextDayStart('outside_hours');
  if (cutoff !== null && time > cutoff) return nextDayStart('after_cutoff');
  const moment = nextWorkingMoment(calendar, at);
  return { day, moment, reason: moment === at ? 'in_hours' : 'outside_hours' };
}

interface Period {
  value: number;
  unit: TimeUnit;
}

function isDayUnit(unit: TimeUnit): boolean {
  return unit === 'working_day' || unit === 'day' || unit === 'immediate';
}

/** The due instant of `period` counted from `start`, and whether Art. 148 moved its last day. */
function dueFrom(
  calendar: PreparedCalendar,
  start: ClockStart,
  period: Period,
): { dueAt: number; moved: boolean } {
  switch (period.unit) {
    case 'immediate':
    // "Trong ngày" / "ngay khi nhận": the end of the day of receipt (after a cut-off, the next working day).
    // falls through
    case 'working_day': {
      // Civil Code 2015 Art. 147(2): a period in days does not count the day of the event; it starts the next day.
      // Art. 148(1): it ends at the end of its last day, here the close of the Nth working day after receipt.
      const count = period.unit === 'immediate' ? 0 : period.value;
      return { dueAt: endOfWorkingDay(calendar, addWorkingDays(calendar, start.day, count)), moved: false };
    }
    case 'day': {
      // Civil Code 2015 Art. 147(2): calendar days, counted from the day after receipt.
      // Art. 148(5): a last day that is a weekly rest day or a holiday gives way to the next working day.
      const last = start.day + period.value;
      if (isWorkingDayNumber(calendar, last)) return { dueAt: endOfWorkingDay(calendar, last), moved: false };
      return { dueAt: endOfWorkingDay(calendar, nextWorkingDay(calendar, last)), moved: true };
    }
    case 'hour': {
      // Civil Code 2015 Art. 147(1): a period in hours starts at the stated moment; wall-clock hours.
      // Decision: an end outside working time moves to the next working moment (in the spirit of Art. 148(5)).
      const end = start.moment + period.value * HOUR_MS;
      if (isWithinWorkingTime(calendar, end)) return { dueAt: end, moved: false };
      return { dueAt: nextWorkingMoment(calendar, end), moved: true };
    }
    case 'working_hour':
      // "giờ làm việc": only time inside working periods counts (e.g. C/O: 6 giờ làm việc).
      return { dueAt: addWorkingTime(calendar, start.moment, period.value * HOUR_MS), moved: false };
  }
}

/**
 * How much of `period` had run from `start` to the moment the clock stopped.
 * Days: working days after the day of receipt up to the stop day, the stop day counted when the stop came after
 * opening (the office worked part of it and we do not split days). Calendar days: days after receipt up to the
 * stop day. Hours: elapsed wall-clock or working time, to the millisecond.
 */
function consumedBefore(calendar: PreparedCalendar, start: ClockStart, period: Period, stop: number): number {
  const stopDay = localDay(stop);
  switch (period.unit) {
    case 'immediate':
      return 0;
    case 'working_day': {
      if (stopDay <= start.day) return 0;
      const fullDays = workingDaysAfterUpTo(calendar, start.day, stopDay - 1);
      const stopDayWorked = isWorkingDayNumber(calendar, stopDay) && msOfLocalDay(stop) > calendar.opensAt;
      return fullDays + (stopDayWorked ? 1 : 0);
    }
    case 'day':
      return Math.max(0, stopDay - start.day);
    case 'hour':
      return Math.max(0, stop - start.moment) / HOUR_MS;
    case 'working_hour':
      return workingTimeBetween(calendar, start.moment, stop) / HOUR_MS;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Vietnamese text

const WEEKDAY_NAMES = ['', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy', 'Chủ nhật'];

const UNIT_LABELS: Record<TimeUnit, string> = {
  working_day: 'ngày làm việc',
  day: 'ngày',
  hour: 'giờ',
  working_hour: 'giờ làm việc',
  immediate: 'trong ngày',
};

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function formatClock(ms: number): string {
  const minutes = Math.floor(msOfLocalDay(ms) / MINUTE_MS);
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

function formatDay(day: number): string {
  const [year, month, date] = dayToCivil(day).split('-');
  return `${WEEKDAY_NAMES[weekdayOf(day)]} ${date}/${month}/${year}`;
}

function formatMoment(ms: number): string {
  return `${formatClock(ms)} ${formatDay(localDay(ms))}`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, '').replace('.', ',');
}

function describePeriod(period: Period): string {
  if (period.unit === 'immediate') return 'giải quyết trong ngày';
  const notCounted = period.unit === 'working_day' || period.unit === 'day' ? ' (không tính ngày nhận)' : '';
  return `${formatNumber(period.value)} ${UNIT_LABELS[period.unit]}${notCounted}`;
}

function describeStart(received: number, start: ClockStart, cutoffText: string | null): string {
  const receipt = `Nhận lúc ${formatMoment(received)}`;
  switch (start.reason) {
    case 'in_hours':
      return receipt;
    case 'after_cutoff':
      return `${receipt}, sau ${cutoffText} nên tính như nhận vào ngày làm việc tiếp theo (${formatDay(start.day)})`;
    case 'non_working_day':
      return `${receipt}, là ngày nghỉ nên tính như nhận vào ngày làm việc tiếp theo (${formatDay(start.day)})`;
    case 'outside_hours':
      return `${receipt}, ngoài giờ làm việc nên tính từ ${formatMoment(start.moment)}`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

function toMs(value: Instant): number {
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

function isConfirmed(calendar: PreparedCalendar, ...instants: number[]): boolean {
  return instants.every((ms) => calendar.confirmedYears.has(Number(dayToCivil(localDay(ms)).slice(0, 4))));
}

function checkPeriod(value: number | null, unit: TimeUnit, text: string): Period | DeadlineError {
  // Decision: "immediate" needs no number; a parser may leave it null.
  if (unit === 'immediate') return { value: 0, unit };
  if (value === null || !Number.isFinite(value) || value < 0) {
    return { ok: false, reason: `Thời hạn "${text}" không có số hợp lệ; quản trị viên cần sửa thủ tục.` };
  }
  // Decision: fractions of a day ("nửa ngày") are not guessed into hours; the administrator restates them.
  if (isDayUnit(unit) && !Number.isInteger(value)) {
    return {
      ok: false,
      reason: `Thời hạn "${text}" là số ngày không nguyên; quản trị viên cần ghi lại bằng giờ làm việc.`,
    };
  }
  return { value, unit };
}

/** Computes the due date, taking supplement pauses into account (none: the plain rule). */
export function computeDueAtWithPauses(input: {
  receivedAt: Instant;
  rule: ProcessingTimeRule;
  calendar: CalendarInput;
  pauses: readonly SupplementPause[];
}): ComputedDeadline | PausedDeadline | DeadlineError {
  const { rule } = input;
  if (!rule.parsed || rule.unit === null || (rule.value === null && rule.unit !== 'immediate')) {
    return {
      ok: false,
      reason:
        `Thời hạn giải quyết "${rule.text}" chưa được đọc thành số và đơn vị nên không tính được ngày hẹn trả; ` +
        'quản trị viên cần chuẩn hóa thời hạn của thủ tục, trong lúc chờ cán bộ ghi ngày hẹn trả bằng tay.',
    };
  }
  const mainPeriod = checkPeriod(rule.value, rule.unit, rule.text);
  if ('ok' in mainPeriod) return mainPeriod;
  const received = toMs(input.receivedAt);
  if (Number.isNaN(received)) return { ok: false, reason: 'Thời điểm nhận hồ sơ không hợp lệ.' };
  let cutoff: number | null = null;
  if (rule.cutoff) {
    cutoff = parseClockTime(rule.cutoff.time);
    if (cutoff === null) {
      return { ok: false, reason: `Giờ tiếp nhận tối đa "${rule.cutoff.time}" không đúng dạng HH:MM.` };
    }
  }

  const pauses = input.pauses.map((p) => ({ from: toMs(p.from), to: p.to === null ? null : toMs(p.to) }));
  pauses.sort((a, b) => a.from - b.from);
  for (let i = 0; i < pauses.length; i++) {
    const pause = pauses[i]!;
    const previous = pauses[i - 1];
    if (Number.isNaN(pause.from) || (pause.to !== null && Number.isNaN(pause.to))) {
      return { ok: false, reason: 'Thời điểm yêu cầu hoặc nhận bổ sung hồ sơ không hợp lệ.' };
    }
    if (pause.from < received) {
      return { ok: false, reason: 'Yêu cầu bổ sung hồ sơ không thể trước thời điểm nhận hồ sơ.' };
    }
    if (pause.to !== null && pause.to < pause.from) {
      return {
        ok: false,
        reason: 'Thời điểm nhận đủ hồ sơ bổ sung không thể trước thời điểm yêu cầu bổ sung.',
      };
    }
    if (previous && (previous.to === null || previous.to > pause.from)) {
      return {
        ok: false,
        reason: 'Các lần tạm dừng chờ bổ sung hồ sơ chồng lên nhau; kiểm tra lại thời điểm.',
      };
    }
  }

  const calendar = prepareCalendar(input.calendar);
  const firstStart = startCounting(calendar, received, cutoff);
  let start = firstStart;
  let period: Period = mainPeriod;
  const isAfterCutoff = firstStart.reason === 'after_cutoff';
  if (isAfterCutoff && rule.cutoff?.afterCutoff) {
    // The period stated for receipt after the cut-off ("trong ngày làm việc tiếp theo") is counted from the real
    // day of receipt, which it does not count (Civil Code Art. 147): 1 working day = the next working day.
    const stated = checkPeriod(rule.cutoff.afterCutoff.value, rule.cutoff.afterCutoff.unit, rule.cutoff.text);
    if ('ok' in stated) return stated;
    period = stated;
    start = { day: localDay(received), moment: received, reason: 'after_cutoff' };
  }

  const inputs: DeadlineInputs = {
    rule,
    calendarVersion: calendar.version,
    receivedAt: new Date(received).toISOString(),
    countingStartsOn: dayToCivil(start.day),
    countingStartsAt: new Date(start.moment).toISOString(),
    appliedPeriod: { ...period },
    isAfterCutoff,
    pauses: pauses.map((p) => ({
      from: new Date(p.from).toISOString(),
      to: p.to === null ? null : new Date(p.to).toISOString(),
    })),
    ignoredPauses: 0,
    isCalendarConfirmed: true,
  };
  const receipt =
    period === mainPeriod
      ? describeStart(received, firstStart, rule.cutoff?.time ?? null)
      : `Nhận lúc ${formatMoment(received)}, sau ${rule.cutoff?.time} nên áp dụng thời hạn dành cho hồ sơ nhận sau giờ này`;
  const opening = `${receipt}; ${describePeriod(period)}`;

  let remaining = period.value;
  let due = dueFrom(calendar, start, period);
  let applied = 0;
  for (const pause of pauses) {
    // Decision: a supplement requested after the due date has passed cannot give the time back.
    if (pause.from >= due.dueAt) break;
    applied++;
    // DOMAIN §3.3 (Mẫu 02; 766 "thời gian chờ bổ sung không tính"): the clock stops from the request until the
    // complete supplement arrives; what had run before the stop stays used.
    remaining = Math.max(
      0,
      remaining - consumedBefore(calendar, start, { value: remaining, unit: period.unit }, pause.from),
    );
    if (pause.to === null) {
      inputs.isCalendarConfirmed = isConfirmed(calendar, received);
      return {
        ok: true,
        paused: true,
        remaining: { value: remaining, unit: period.unit },
        inputs,
        explanation:
          `${opening}; đang tạm dừng chờ bổ sung hồ sơ từ ${formatMoment(pause.from)}, ` +
          `còn lại ${formatNumber(remaining)} ${UNIT_LABELS[period.unit]}.`,
      };
    }
    // The complete supplement is handled as a new receipt: same working-hours and cut-off rules; the period stated
    // for after the cut-off is not applied again (it replaced the whole period at first receipt only).
    start = startCounting(calendar, pause.to, cutoff);
    due = dueFrom(calendar, start, { value: remaining, unit: period.unit });
  }
  inputs.ignoredPauses = pauses.length - applied;
  inputs.isCalendarConfirmed = isConfirmed(calendar, received, due.dueAt);

  const pausesText =
    applied > 0 ? `, trừ ${applied} lần chờ bổ sung hồ sơ, tính tiếp từ ${formatMoment(start.moment)}` : '';
  const movedText = due.moved
    ? period.unit === 'day'
      ? ', ngày cuối là ngày nghỉ nên chuyển sang ngày làm việc tiếp theo'
      : ', hết hạn ngoài giờ làm việc nên chuyển sang giờ làm việc tiếp theo'
    : '';
  return {
    ok: true,
    paused: false,
    dueAt: new Date(due.dueAt),
    inputs,
    explanation: `${opening}${pausesText}${movedText}: hẹn trả ${formatMoment(due.dueAt)}.`,
  };
}

/** The due date of a dossier received at `receivedAt` under `rule` (no supplement pauses). */
export function computeDueAt(input: {
  receivedAt: Instant;
  rule: ProcessingTimeRule;
  calendar: CalendarInput;
}): DeadlineResult {
  const result = computeDueAtWithPauses({ ...input, pauses: [] });
  if (result.ok && result.paused) throw new Error('unreachable: no pauses given');
  return result;
}

export type PauseChange = { ok: true; pauses: SupplementPause[] } | DeadlineError;

/** Stops the clock at `at` (a supplement request, Mẫu 02). Refused while it is already stopped. */
export function pauseForSupplement(pauses: readonly SupplementPause[], at: Instant): PauseChange {
  if (pauses.some((p) => p.to === null)) {
    return {
      ok: false,
      reason: 'Hồ sơ đang tạm dừng chờ bổ sung; cần ghi nhận bổ sung trước khi yêu cầu lần mới.',
    };
  }
  const last = pauses[pauses.length - 1];
  if (last && last.to !== null && toMs(at) < toMs(last.to)) {
    return { ok: false, reason: 'Thời điểm yêu cầu bổ sung phải sau lần nhận bổ sung trước.' };
  }
  return { ok: true, pauses: [...pauses, { from: at, to: null }] };
}

/** Restarts the clock at `at`, when the complete supplement arrives. */
export function resumeAfterSupplement(pauses: readonly SupplementPause[], at: Instant): PauseChange {
  const open = pauses.findIndex((p) => p.to === null);
  if (open === -1)
    return { ok: false, reason: 'Hồ sơ không ở trạng thái chờ bổ sung nên không thể tính tiếp.' };
  if (toMs(at) < toMs(pauses[open]!.from)) {
    return { ok: false, reason: 'Thời điểm nhận bổ sung không thể trước thời điểm yêu cầu bổ sung.' };
  }
  return { ok: true, pauses: pauses.map((p, i) => (i === open ? { from: p.from, to: at } : p)) };
}

// ---------------------------------------------------------------------------------------------------------------
// Rescheduling

export interface DeadlineReschedule {
  previousDueAt: Date;
  newDueAt: Date;
  reason: string;
}

export interface DeadlineHistory {
  originalDueAt: Date;
  dueAt: Date;
  reschedules: DeadlineReschedule[];
}

export type RescheduleErrorCode =
  /** The due date was already moved once (NĐ 118/2025: "không quá một lần"). */
  | 'DEADLINE_ALREADY_RESCHEDULED'
  /** The new date is not after the current one. */
  | 'DEADLINE_RESCHEDULE_NOT_LATER'
  /** No reason given (Mẫu 04 states the reason). */
  | 'DEADLINE_RESCHEDULE_REASON_REQUIRED';

export type RescheduleResult =
  { ok: true; history: DeadlineHistory } | { ok: false; code: RescheduleErrorCode; reason: string };

export function startDeadlineHistory(dueAt: Date): DeadlineHistory {
  return { originalDueAt: dueAt, dueAt, reschedules: [] };
}

/**
 * Moves the due date later, with the reason sent to the applicant (Mẫu 04).
 * Nghị định 118/2025/NĐ-CP: "Việc hẹn lại ngày trả kết quả được thực hiện không quá một lần."
 */
export function reschedule(previous: DeadlineHistory, newDueAt: Date, reason: string): RescheduleResult {
  if (previous.reschedules.length >= 1) {
    return {
      ok: false,
      code: 'DEADLINE_ALREADY_RESCHEDULED',
      reason:
        'Ngày hẹn trả kết quả đã được hẹn lại một lần; theo Nghị định 118/2025/NĐ-CP việc hẹn lại không quá một lần. ' +
        'Hãy giải quyết hồ sơ trong ngày hẹn đã báo hoặc xử lý như hồ sơ quá hạn.',
    };
  }
  if (!(newDueAt.getTime() > previous.dueAt.getTime())) {
    return {
      ok: false,
      code: 'DEADLINE_RESCHEDULE_NOT_LATER',
      reason: `Ngày hẹn mới phải sau ngày hẹn hiện tại (${formatMoment(previous.dueAt.getTime())}).`,
    };
  }
  const trimmed = reason.trim();
  if (trimmed === '') {
    return {
      ok: false,
      code: 'DEADLINE_RESCHEDULE_REASON_REQUIRED',
      reason: 'Cần ghi lý do hẹn lại ngày trả kết quả để gửi người nộp hồ sơ (Mẫu 04).',
    };
  }
  return {
    ok: true,
    history: {
      originalDueAt: previous.originalDueAt,
      dueAt: newDueAt,
      reschedules: [...previous.reschedules, { previousDueAt: previous.dueAt, newDueAt, reason: trimmed }],
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// State for lists and reminders

export type DeadlineStateName = 'on_track' | 'due_soon' | 'overdue';

export const DEADLINE_STATE_LABELS: Record<DeadlineStateName, string> = {
  on_track: 'trong hạn',
  due_soon: 'sắp đến hạn',
  overdue: 'quá hạn',
};

export interface DeadlineState {
  state: DeadlineStateName;
  label: string;
  /**
   * Working days: working days after today up to the due day (today not counted; 0 = due today); working minutes:
   * working time from now to the due moment. Both negative, measured the other way, once overdue.
   */
  remaining: { workingDays: number; workingMinutes: number };
}

/** Warn early: the desk must be told at least 1 working day ahead (DOMAIN §3.3, QĐ 88/2025/QĐ-UBND Lai Châu). */
export function deadlineState(
  dueAt: Instant,
  now: Instant,
  calendarInput: CalendarInput,
  options: { dueSoonWorkingDays: number } = { dueSoonWorkingDays: 1 },
): DeadlineState {
  const calendar = prepareCalendar(calendarInput);
  const due = toMs(dueAt);
  const current = toMs(now);
  if (current > due) {
    const state: DeadlineStateName = 'overdue';
    return {
      state,
      label: DEADLINE_STATE_LABELS[state],
      remaining: {
        workingDays: -workingDaysAfterUpTo(calendar, localDay(due), localDay(current)),
        workingMinutes: -Math.floor(workingTimeBetween(calendar, due, current) / MINUTE_MS),
      },
    };
  }
  const workingDays = workingDaysAfterUpTo(calendar, localDay(current), localDay(due));
  const state: DeadlineStateName = workingDays <= options.dueSoonWorkingDays ? 'due_soon' : 'on_track';
  return {
    state,
    label: DEADLINE_STATE_LABELS[state],
    remaining: {
      workingDays,
      workingMinutes: Math.floor(workingTimeBetween(calendar, current, due) / MINUTE_MS),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Step deadlines (the control slip, Mẫu 06)

/**
 * The statutory end of each step of a dossier's workflow: the working time from the start of counting to the due
 * date, less the supplement pauses inside it, is shared out by the steps' cumulative shares (0 < share ≤ 1), and
 * each end is found by counting that much working time forward, skipping the pauses. A share of 1 is the due date
 * itself. An end that falls in a pause still open is null (not known until the supplement arrives).
 */
export function stepDeadlines(input: {
  countingStartsAt: Instant;
  dueAt: Instant;
  pauses: readonly SupplementPause[];
  calendar: CalendarInput;
  cumulativeShares: readonly number[];
}): (Date | null)[] {
  const calendar = prepareCalendar(input.calendar);
  const start = nextWorkingMoment(calendar, toMs(input.countingStartsAt));
  const due = toMs(input.dueAt);
  const pauses = input.pauses
    .map((p) => ({ from: Math.max(toMs(p.from), start), to: p.to === null ? null : toMs(p.to) }))
    .filter((p) => p.from < due)
    .sort((a, b) => a.from - b.from);
  // An open pause has not moved the due date yet: its time is not taken off, and any end after it is unknown.
  const paused = pauses.reduce(
    (sum, p) => sum + (p.to === null ? 0 : workingTimeBetween(calendar, p.from, Math.min(p.to, due))),
    0,
  );
  const active = Math.max(0, workingTimeBetween(calendar, start, due) - paused);
  return input.cumulativeShares.map((share) => {
    if (share >= 1) return new Date(due);
    let left = Math.round(active * share);
    let cursor = start;
    for (const pause of pauses) {
      if (pause.from < cursor) {
        if (pause.to === null) return null;
        cursor = Math.max(cursor, pause.to);
        continue;
      }
      const segment = workingTimeBetween(calendar, cursor, pause.from);
      if (segment >= left) return new Date(addWorkingTime(calendar, cursor, left));
      left -= segment;
      if (pause.to === null) return null;
      cursor = pause.to;
    }
    return new Date(Math.min(addWorkingTime(calendar, cursor, left), due));
  });
}

/**
 * The instant before which a due date counts as due soon at `now` (as `deadlineState` judges it, with
 * `dueSoonWorkingDays` working days of warning): the end of the last day of that warning, in Vietnam time. Lets a
 * job mark a whole table of dossiers with one comparison.
 */
export function dueSoonBefore(
  now: Instant,
  calendarInput: CalendarInput,
  options: { dueSoonWorkingDays: number } = { dueSoonWorkingDays: 1 },
): Date {
  const calendar = prepareCalendar(calendarInput);
  let day = localDay(toMs(now));
  for (let counted = 0; counted < options.dueSoonWorkingDays;) {
    day++;
    if (isWorkingDayNumber(calendar, day)) counted++;
  }
  return new Date(instantOf(day + 1, 0));
}
