// Working time on a province's calendar, for placing the generated steps of a dossier inside office hours on
// working days. The due dates themselves come from the real engine (src/modules/calendar/deadlines.ts); this only
// walks the same calendar (weekly rest days, days off, make-up days, working periods) to put actions in time.
import { proposeDaysOff } from '../../src/modules/calendar/holidays.ts';
import type { WorkingCalendarData } from '../../src/modules/calendar/index.ts';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
const VIETNAM_OFFSET_MS = 7 * HOUR_MS;

/** The day number (days since 1970-01-01) of an instant, in Vietnam time. */
export function localDay(ms: number): number {
  return Math.floor((ms + VIETNAM_OFFSET_MS) / DAY_MS);
}

/** The instant of `msOfDay` after local midnight of `day`. */
export function instantOf(day: number, msOfDay: number): number {
  return day * DAY_MS + msOfDay - VIETNAM_OFFSET_MS;
}

export function msOfLocalDay(ms: number): number {
  return ms + VIETNAM_OFFSET_MS - localDay(ms) * DAY_MS;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number. */
export function weekdayOf(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function civilDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function dayOf(civil: string): number {
  return Math.round(Date.parse(`${civil}T00:00:00Z`) / DAY_MS);
}

/**
 * The province's calendar for generating years of history: its own data, plus the days off the calendar module
 * proposes from the Labour Code (holidays.ts) for the years before the first year it covers, which the shipped
 * calendar leaves out (it starts with the official notices of 2025). Those years stay unconfirmed
 * (`confirmedYears` is unchanged), so every deadline counted in them says `isCalendarConfirmed: false`. The
 * version id is the province's: for every year the calendar covers, the two give the same working days.
 */
export function historyCalendar(calendar: WorkingCalendarData, fromYear: number): WorkingCalendarData {
  const covered = new Set(calendar.daysOff.map((d) => Number(d.date.slice(0, 4))));
  const firstCovered = Math.min(...covered);
  const extra: { date: string; name: string }[] = [];
  // The proposal follows the Labour Code of 2019, in force from 2021: earlier years keep only the weekends.
  for (let year = Math.max(fromYear, 2021); year < firstCovered; year++)
    for (const d of proposeDaysOff(year).daysOff) extra.push({ date: d.date, name: `${d.name} (dự kiến)` });
  return { ...calendar, daysOff: [...extra, ...calendar.daysOff] };
}

/** O(1) questions about working time on a calendar, over the days from `firstDay` to `lastDay`. */
export class WorkTime {
  private readonly working: Uint8Array;
  readonly periods: { start: number; end: number }[];
  readonly opensAt: number;
  readonly closesAt: number;
  /** Working milliseconds in a full working day (7.5 hours for 07:30-11:30 and 13:30-17:00). */
  readonly dayLength: number;

  constructor(
    calendar: WorkingCalendarData,
    readonly firstDay: number,
    readonly lastDay: number,
  ) {
    const rest = new Set(calendar.weeklyRestDays);
    const off = new Set(calendar.daysOff.map((d) => dayOf(d.date)));
    const makeUp = new Set(calendar.makeUpWorkingDays.map((d) => dayOf(d.date)));
    this.working = new Uint8Array(lastDay - firstDay + 1);
    for (let day = firstDay; day <= lastDay; day++) {
      const isWorking = makeUp.has(day) || (!rest.has(weekdayOf(day)) && !off.has(day));
      this.working[day - firstDay] = isWorking ? 1 : 0;
    }
    const clock = (hhmm: string) => Number(hhmm.slice(0, 2)) * HOUR_MS + Number(hhmm.slice(3, 5)) * MINUTE_MS;
    this.periods = calendar.workingHours
      .map((p) => ({ start: clock(p.start), end: clock(p.end) }))
      .sort((a, b) => a.start - b.start);
    this.opensAt = this.periods[0]!.start;
    this.closesAt = this.periods[this.periods.length - 1]!.end;
    this.dayLength = this.periods.reduce((sum, p) => sum + p.end - p.start, 0);
  }

  isWorkingDay(day: number): boolean {
    if (day < this.firstDay || day > this.lastDay) {
      const weekday = weekdayOf(day);
      return weekday !== 6 && weekday !== 7;
    }
    return this.working[day - this.firstDay] === 1;
  }

  nextWorkingDay(day: number): number {
    let next = day + 1;
    while (!this.isWorkingDay(next)) next++;
    return next;
  }

  /** The Nth working day after `day`. */
  addWorkingDays(day: number, count: number): number {
    let current = day;
    for (let i = 0; i < count; i++) current = this.nextWorkingDay(current);
    return current;
  }

  endOfWorkingDay(day: number): number {
    return instantOf(day, this.closesAt);
  }

  /** The first moment at or after `ms` inside a working period. */
  nextWorkingMoment(ms: number): number {
    const day = localDay(ms);
    if (this.isWorkingDay(day)) {
      const time = ms - instantOf(day, 0);
      for (const period of this.periods)
        if (time < period.end) return instantOf(day, Math.max(time, period.start));
    }
    return instantOf(this.nextWorkingDay(day), this.opensAt);
  }

  /** `start` plus `duration` of working time; the result lies inside a working period (its end included). */
  addWorking(start: number, duration: number): number {
    let day = localDay(start);
    let time = start - instantOf(day, 0);
    let left = Math.max(0, duration);
    if (left > this.dayLength && this.isWorkingDay(day) && time <= this.opensAt) {
      // Whole days first: the common case of a step days later.
      while (left > this.dayLength && this.isWorkingDay(day)) {
        left -= this.dayLength;
        day = this.nextWorkingDay(day);
      }
      time = 0;
    }
    for (;;) {
      if (this.isWorkingDay(day)) {
        for (const period of this.periods) {
          if (time >= period.end) continue;
          const from = Math.max(time, period.start);
          const available = period.end - from;
          if (left <= available) return instantOf(day, from + left);
          left -= available;
        }
      }
      day = this.nextWorkingDay(day);
      time = 0;
      while (left > this.dayLength) {
        left -= this.dayLength;
        day = this.nextWorkingDay(day);
      }
    }
  }

  /** Working time in [from, to). */
  workingBetween(from: number, to: number): number {
    if (to <= from) return 0;
    let total = 0;
    const lastDay = localDay(to);
    for (let day = localDay(from); day <= lastDay; day++) {
      if (!this.isWorkingDay(day)) continue;
      const midnight = instantOf(day, 0);
      for (const period of this.periods) {
        const start = Math.max(midnight + period.start, from);
        const end = Math.min(midnight + period.end, to);
        if (end > start) total += end - start;
      }
    }
    return total;
  }
}
