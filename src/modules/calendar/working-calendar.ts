// The working calendar a deadline is counted on: which dates a commune centre works, and its working hours.
// Pure data + pure functions; built from a province's calendar version (official days off and make-up working
// days of each year, weekly rest days, working hours). Dates are civil dates in Vietnam (Asia/Ho_Chi_Minh, UTC+7,
// no daylight saving), written "YYYY-MM-DD".

/** A civil date in Vietnam, "YYYY-MM-DD". */
export type CivilDate = string;

/** "HH:MM" in Vietnam time. */
export type ClockTime = string;

export interface WorkingPeriod {
  start: ClockTime;
  end: ClockTime;
}

export interface WorkingCalendarData {
  /** Identifies the calendar version the data came from, recorded with every deadline computed on it. */
  version: string;
  /** ISO weekday numbers that are weekly rest days (6 = Saturday, 7 = Sunday). */
  weeklyRestDays: number[];
  /** Weekdays that are not worked: public holidays, Tết, swapped days, compensatory days. */
  daysOff: { date: CivilDate; name: string }[];
  /** Rest days that are worked instead (e.g. Saturday 26/04/2025). */
  makeUpWorkingDays: { date: CivilDate; name: string }[];
  /** The centres' working hours, e.g. 07:30-11:30 and 13:30-17:00. */
  workingHours: WorkingPeriod[];
  /** Centres (commune codes) whose hours differ from the province's; `workingHours` is the default. */
  centreWorkingHours?: { unitCode: string; periods: WorkingPeriod[] }[];
  /** Years covered by an official announcement; other years are provisional (proposed from the Labour Code). */
  confirmedYears: number[];
}

export function isoWeekday(date: CivilDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

export function addDays(date: CivilDate, days: number): CivilDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A date is worked iff it is a make-up working day, or it is not a weekly rest day and not a day off. */
export function isWorkingDay(calendar: WorkingCalendarData, date: CivilDate): boolean {
  if (calendar.makeUpWorkingDays.some((d) => d.date === date)) return true;
  if (calendar.weeklyRestDays.includes(isoWeekday(date))) return false;
  return !calendar.daysOff.some((d) => d.date === date);
}
