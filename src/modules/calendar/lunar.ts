// The Vietnamese lunisolar calendar (âm lịch), needed for Tết Âm lịch and Giỗ Tổ Hùng Vương (10/3 âm lịch),
// the two public holidays of Bộ luật Lao động 2019 Điều 112 that move with the moon.
//
// Algorithm: Hồ Ngọc Đức, "Âm lịch Việt Nam" (new moons from Jean Meeus, "Astronomical Algorithms", and the
// sun's apparent longitude), evaluated for UTC+7. The time zone matters: a new moon shortly before midnight in
// Hà Nội falls on the next day in Beijing, so the Vietnamese calendar differs from the Chinese one (UTC+8) in
// some years, e.g. Tết 1985 and Tết 2007 (Vietnam 17/02/2007, China 18/02/2007).
//
// The rules: a month starts on the day (UTC+7) of a new moon; month 11 is the month containing the winter
// solstice; a year with 13 months between two months 11 repeats (as a leap month) the first month that
// contains no major solar term (trung khí). Accurate for 1800-2199 at least, which is all a deadline needs.
import type { CivilDate } from './working-calendar.ts';

/** Vietnam's civil time, UTC+7, no daylight saving. */
const TIME_ZONE_HOURS = 7;
/** Mean synodic month, days. */
const SYNODIC_MONTH = 29.530588853;
/** Julian day of the new moon of 1 January 1900, 13:52 UTC (k = 0 in the series below). */
const NEW_MOON_EPOCH = 2415021.076998695;

export interface LunarDate {
  /** The lunar year the day belongs to (Tết of `year` falls in Gregorian `year`). */
  year: number;
  /** 1-12; a leap month repeats its number with `leap: true`. */
  month: number;
  /** 1-30. */
  day: number;
  /** True inside a leap month (tháng nhuận). */
  leap: boolean;
}

/** Julian day number of a Gregorian date (Julian calendar before 15/10/1582). */
function julianDayFromDate(day: number, month: number, year: number): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  const jd =
    day +
    Math.floor((153 * m + 2) / 5) +
    365 * y +
    Math.floor(y / 4) -
    Math.floor(y / 100) +
    Math.floor(y / 400) -
    32045;
  if (jd < 2299161) return day + Math.floor((153 * m + 2) / 5) + 365 * y + Math.floor(y / 4) - 32083;
  return jd;
}

function dateFromJulianDay(jd: number): CivilDate {
  let b: number;
  let c: number;
  if (jd > 2299160) {
    const a = jd + 32044;
    b = Math.floor((4 * a + 3) / 146097);
    c = a - Math.floor((b * 146097) / 4);
  } else {
    b = 0;
    c = jd + 32082;
  }
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  const day = e - Math.floor((153 * m + 2) / 5) + 1;
  const month = m + 3 - 12 * Math.floor(m / 10);
  const year = b * 100 + d - 4800 + Math.floor(m / 10);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Julian date (UT, fractional) of the k-th new moon after 1 January 1900 (Meeus, chapter 49, abridged). */
function newMoon(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const dr = Math.PI / 180;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * dr);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3; // sun's mean anomaly
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3; // moon's mean anomaly
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3; // moon's argument of latitude
  let c1 = (0.1734 - 0.000393 * T) * Math.sin(M * dr) + 0.0021 * Math.sin(2 * dr * M);
  c1 = c1 - 0.4068 * Math.sin(Mpr * dr) + 0.0161 * Math.sin(dr * 2 * Mpr);
  c1 = c1 - 0.0004 * Math.sin(dr * 3 * Mpr);
  c1 = c1 + 0.0104 * Math.sin(dr * 2 * F) - 0.0051 * Math.sin(dr * (M + Mpr));
  c1 = c1 - 0.0074 * Math.sin(dr * (M - Mpr)) + 0.0004 * Math.sin(dr * (2 * F + M));
  c1 = c1 - 0.0004 * Math.sin(dr * (2 * F - M)) - 0.0006 * Math.sin(dr * (2 * F + Mpr));
  c1 = c1 + 0.001 * Math.sin(dr * (2 * F - Mpr)) + 0.0005 * Math.sin(dr * (2 * Mpr + M));
  // ΔT (TT - UT), in days.
  const deltaT =
    T < -11
      ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
      : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + c1 - deltaT;
}

/** The sun's apparent longitude, radians in [0, 2π), at Julian date `jdn` (UT). */
function sunLongitude(jdn: number): number {
  const T = (jdn - 2451545.0) / 36525;
  const T2 = T * T;
  const dr = Math.PI / 180;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  let dl = (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(dr * M);
  dl = dl + (0.019993 - 0.000101 * T) * Math.sin(dr * 2 * M) + 0.00029 * Math.sin(dr * 3 * M);
  let l = (L0 + dl) * dr;
  l = l - Math.PI * 2 * Math.floor(l / (Math.PI * 2));
  return l;
}

/** Which of the 12 major-term sectors (30° each, 0 = spring equinox) the sun is in at the start of a local day. */
function sunSectorAtStartOfDay(julianDay: number): number {
  return Math.floor((sunLongitude(julianDay - 0.5 - TIME_ZONE_HOURS / 24) / Math.PI) * 6);
}

/** Julian day number of the local (UTC+7) day of the k-th new moon. */
function newMoonDay(k: number): number {
  return Math.floor(newMoon(k) + 0.5 + TIME_ZONE_HOURS / 24);
}

/** First day of lunar month 11 (the month containing the winter solstice) that begins in Gregorian `year`. */
function lunarMonth11Start(year: number): number {
  const offset = julianDayFromDate(31, 12, year) - 2415021;
  const k = Math.floor(offset / SYNODIC_MONTH);
  const start = newMoonDay(k);
  // Sector 9 starts at 270°, the winter solstice: a month starting after it is month 12, not 11.
  if (sunSectorAtStartOfDay(start) >= 9) return newMoonDay(k - 1);
  return start;
}

/**
 * In a 13-month year starting at month 11 (day `a11`), the offset (1-12) of the leap month: the first month
 * whose start and the next month's start see the sun in the same sector, i.e. with no major solar term.
 */
function leapMonthOffset(a11: number): number {
  const k = Math.floor((a11 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5);
  let i = 1;
  let sector = sunSectorAtStartOfDay(newMoonDay(k + i));
  let last: number;
  do {
    last = sector;
    i++;
    sector = sunSectorAtStartOfDay(newMoonDay(k + i));
  } while (sector !== last && i < 14);
  return i - 1;
}

function parseCivilDate(date: CivilDate): { day: number; month: number; year: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (dateFromJulianDay(julianDayFromDate(day, month, year)) === date) return { day, month, year };
  }
  throw new RangeError(`Ngày dương lịch không hợp lệ: "${date}" (cần dạng YYYY-MM-DD, ví dụ 2026-02-17).`);
}

/** The Vietnamese lunar date of a Gregorian civil date. */
export function solarToLunar(date: CivilDate): LunarDate {
  const { day, month, year } = parseCivilDate(date);
  const dayNumber = julianDayFromDate(day, month, year);
  const k = Math.floor((dayNumber - NEW_MOON_EPOCH) / SYNODIC_MONTH);
  let monthStart = newMoonDay(k + 1);
  if (monthStart > dayNumber) monthStart = newMoonDay(k);
  let a11 = lunarMonth11Start(year);
  let b11 = a11;
  let lunarYear: number;
  if (a11 >= monthStart) {
    lunarYear = year;
    a11 = lunarMonth11Start(year - 1);
  } else {
    lunarYear = year + 1;
    b11 = lunarMonth11Start(year + 1);
  }
  const lunarDay = dayNumber - monthStart + 1;
  const diff = Math.floor((monthStart - a11) / 29);
  let leap = false;
  let lunarMonth = diff + 11;
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11);
    if (diff >= leapDiff) {
      lunarMonth = diff + 10;
      if (diff === leapDiff) leap = true;
    }
  }
  if (lunarMonth > 12) lunarMonth -= 12;
  if (lunarMonth >= 11 && diff < 4) lunarYear -= 1;
  return { year: lunarYear, month: lunarMonth, day: lunarDay, leap };
}

/**
 * The Gregorian civil date of a Vietnamese lunar date. Throws a RangeError if the date does not exist: a month
 * outside 1-12, a day outside 1-30, day 30 of a 29-day month, or a leap month the year does not have.
 */
export function lunarToSolar(
  lunarYear: number,
  lunarMonth: number,
  lunarDay: number,
  leapMonth = false,
): CivilDate {
  const label = `${lunarDay}/${lunarMonth}${leapMonth ? ' nhuận' : ''}/${lunarYear} âm lịch`;
  if (
    !Number.isInteger(lunarYear) ||
    !Number.isInteger(lunarMonth) ||
    !Number.isInteger(lunarDay) ||
    lunarMonth < 1 ||
    lunarMonth > 12 ||
    lunarDay < 1 ||
    lunarDay > 30
  ) {
    throw new RangeError(`Ngày âm lịch không hợp lệ: ${label}.`);
  }
  let a11: number;
  let b11: number;
  if (lunarMonth < 11) {
    a11 = lunarMonth11Start(lunarYear - 1);
    b11 = lunarMonth11Start(lunarYear);
  } else {
    a11 = lunarMonth11Start(lunarYear);
    b11 = lunarMonth11Start(lunarYear + 1);
  }
  let offset = lunarMonth - 11;
  if (offset < 0) offset += 12;
  let hasLeapMonth = false;
  if (b11 - a11 > 365) {
    const leapOffset = leapMonthOffset(a11);
    let leapMonthNumber = leapOffset - 2;
    if (leapMonthNumber < 0) leapMonthNumber += 12;
    if (leapMonth && lunarMonth === leapMonthNumber) hasLeapMonth = true;
    if (hasLeapMonth || offset >= leapOffset) offset += 1;
  }
  if (leapMonth && !hasLeapMonth) {
    throw new RangeError(`Ngày âm lịch không hợp lệ: năm ${lunarYear} không có tháng ${lunarMonth} nhuận.`);
  }
  const k = Math.floor(0.5 + (a11 - NEW_MOON_EPOCH) / SYNODIC_MONTH);
  const monthStart = newMoonDay(k + offset);
  if (lunarDay === 30 && newMoonDay(k + offset + 1) - monthStart < 30) {
    throw new RangeError(`Ngày âm lịch không hợp lệ: ${label} (tháng này chỉ có 29 ngày).`);
  }
  return dateFromJulianDay(monthStart + lunarDay - 1);
}
