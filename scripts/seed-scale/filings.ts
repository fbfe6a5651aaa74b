// When dossiers are filed: a weight for every day of the history and a time of day, so a commune's dossiers come
// in the rhythm a centre knows. Growth of about 12 % a year; the year-end and the weeks before Tết (the lunar new
// year) busy, the fortnight after it quiet; school enrolment (July, August) busy; Mondays busiest. Counter intake
// happens on working days in office hours; online filing at any hour, less at night and on days off, its share
// rising from 20 % to 60 % over the history (more in wards, less in communes).
import { lunarToSolar } from '../../src/modules/calendar/lunar.ts';
import { Random, Weighted } from './random.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, instantOf, localDay, weekdayOf, type WorkTime } from './work-time.ts';

const YEARLY_GROWTH = 1.12;
const ONLINE_SHARE_FIRST = 0.2;
const ONLINE_SHARE_LAST = 0.6;

/** By calendar month: the year-end, January and the school enrolment months busier. */
const MONTH_FACTOR = [1.05, 0.95, 1.05, 1.0, 0.95, 1.05, 1.15, 1.2, 0.95, 0.95, 1.0, 1.1];
/** By ISO weekday (a make-up Saturday is a quiet working day). */
const WEEKDAY_FACTOR = [0, 1.15, 1.05, 1.0, 1.0, 0.92, 0.6, 0.6];

/** Counter arrivals by half hour from 07:30 to 17:00 (the lunch break has none). */
const COUNTER_HALF_HOURS: [number, number][] = [
  [7.5, 0.6],
  [8, 1.0],
  [8.5, 1.3],
  [9, 1.4],
  [9.5, 1.4],
  [10, 1.2],
  [10.5, 0.9],
  [11, 0.5],
  [13.5, 0.6],
  [14, 1.0],
  [14.5, 1.2],
  [15, 1.1],
  [15.5, 0.9],
  [16, 0.6],
  [16.5, 0.3],
];
/** Online filing by hour of the day. */
const ONLINE_HOURS = [
  0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 0.8, 1.2, 1.4, 1.4, 1.2, 0.8, 0.8, 1.1, 1.2, 1.1, 1.0, 0.9, 1.0, 1.2,
  1.1, 0.8, 0.4,
];

export type UnitKind = 'xa' | 'phuong' | 'dac_khu';

const ONLINE_FACTOR: Record<UnitKind, number> = { phuong: 1.25, xa: 0.85, dac_khu: 0.7 };

/** Around Tết: the rush of the weeks before, the quiet fortnight after (days from mùng 1). */
function tetFactor(daysFromTet: number): number {
  if (daysFromTet >= -25 && daysFromTet <= -8) return 1.35;
  if (daysFromTet >= -7 && daysFromTet <= -3) return 1.15;
  if (daysFromTet >= -2 && daysFromTet <= 0) return 0.4;
  if (daysFromTet >= 1 && daysFromTet <= 14) return 0.6;
  if (daysFromTet >= 15 && daysFromTet <= 24) return 0.85;
  return 1;
}

/**
 * A unit's filings in time order, packed (at 10 million dossiers, objects would take gigabytes): instant × 2, plus 1
 * when filed online. Instants are whole milliseconds below 2^52, so the packing is exact and sorts by time.
 */
export type Filings = Float64Array;

export function filedAt(filings: Filings, i: number): number {
  return Math.floor(filings[i]! / 2);
}

export function isFiledOnline(filings: Filings, i: number): boolean {
  return filings[i]! % 2 === 1;
}

/** The day weights of the history, shared by every unit; a unit draws its own dossiers from them. */
export class FilingModel {
  private readonly counterDays: Record<UnitKind, Weighted<number>>;
  private readonly onlineDays: Record<UnitKind, Weighted<number>>;
  private readonly onlineShare: Record<UnitKind, number>;
  private readonly counterSlots: Weighted<number>;
  private readonly onlineHours: Weighted<number>;
  private readonly lastDay: number;

  constructor(
    private readonly work: WorkTime,
    readonly startMs: number,
    readonly endMs: number,
    seed: number,
  ) {
    const firstDay = localDay(startMs);
    this.lastDay = localDay(endMs);
    const span = Math.max(1, this.lastDay - firstDay);
    const tetDays: number[] = [];
    for (let year = Number(new Date(startMs).toISOString().slice(0, 4)) - 1; ; year++) {
      const tet = Math.round(Date.parse(`${lunarToSolar(year, 1, 1)}T00:00:00Z`) / DAY_MS);
      tetDays.push(tet);
      if (tet > this.lastDay + 60) break;
    }
    const noise = new Random(`days:${seed}`);
    const days: number[] = [];
    const base: number[] = [];
    const share: number[] = [];
    for (let day = firstDay; day <= this.lastDay; day++) {
      const date = new Date(day * DAY_MS);
      const nearestTet = tetDays.reduce((best, t) => (Math.abs(day - t) < Math.abs(day - best) ? t : best));
      let weight =
        YEARLY_GROWTH ** ((day - firstDay) / 365.25) *
        MONTH_FACTOR[date.getUTCMonth()]! *
        tetFactor(day - nearestTet) *
        (0.92 + 0.16 * noise.next());
      // The first and the last day of the history only count for the part inside it.
      if (day === firstDay) weight *= 1 - (startMs - instantOf(day, 0)) / DAY_MS;
      days.push(day);
      base.push(weight);
      share.push(ONLINE_SHARE_FIRST + ((ONLINE_SHARE_LAST - ONLINE_SHARE_FIRST) * (day - firstDay)) / span);
    }
    this.counterSlots = new Weighted(
      COUNTER_HALF_HOURS.map((s) => s[0]),
      COUNTER_HALF_HOURS.map((s) => s[1]),
    );
    this.onlineHours = new Weighted(
      ONLINE_HOURS.map((_, h) => h),
      ONLINE_HOURS,
    );
    const todayCounter = this.elapsedShare(
      COUNTER_HALF_HOURS.map((s) => s[1]),
      (i) => instantOf(this.lastDay, COUNTER_HALF_HOURS[i]![0] * HOUR_MS + 30 * MINUTE_MS),
    );
    const todayOnline = this.elapsedShare(ONLINE_HOURS, (h) => instantOf(this.lastDay, (h + 1) * HOUR_MS));
    const counterDays = {} as Record<UnitKind, Weighted<number>>;
    const onlineDays = {} as Record<UnitKind, Weighted<number>>;
    this.onlineShare = {} as Record<UnitKind, number>;
    for (const kind of ['xa', 'phuong', 'dac_khu'] as const) {
      const counter = days.map((day, i) => {
        if (!work.isWorkingDay(day)) return 0;
        const w =
          base[i]! * (1 - Math.min(0.9, share[i]! * ONLINE_FACTOR[kind])) * WEEKDAY_FACTOR[weekdayOf(day)]!;
        return day === this.lastDay ? w * todayCounter : w;
      });
      const online = days.map((day, i) => {
        const w =
          base[i]! * Math.min(0.9, share[i]! * ONLINE_FACTOR[kind]) * (work.isWorkingDay(day) ? 1 : 0.35);
        return day === this.lastDay ? w * todayOnline : w;
      });
      counterDays[kind] = new Weighted(days, counter);
      onlineDays[kind] = new Weighted(days, online);
      this.onlineShare[kind] = onlineDays[kind].total / (onlineDays[kind].total + counterDays[kind].total);
    }
    this.counterDays = counterDays;
    this.onlineDays = onlineDays;
  }

  /** The share of a day's arrivals (by slot weight) whose slot ended before the end of the history. */
  private elapsedShare(weights: readonly number[], slotEnd: (index: number) => number): number {
    let before = 0;
    let total = 0;
    weights.forEach((w, i) => {
      total += w;
      if (slotEnd(i) <= this.endMs) before += w;
    });
    return before / total;
  }

  /** `count` filings of one unit, in time order. */
  filings(random: Random, kind: UnitKind, count: number): Filings {
    const result = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const isOnline = random.chance(this.onlineShare[kind]);
      let at: number;
      do {
        if (isOnline) {
          const day = this.onlineDays[kind].draw(random);
          at = instantOf(day, this.onlineHours.draw(random) * HOUR_MS + random.int(HOUR_MS));
        } else {
          const day = this.counterDays[kind].draw(random);
          at = instantOf(day, this.counterSlots.draw(random) * HOUR_MS + random.int(30 * MINUTE_MS));
        }
        // Only the last day can draw a moment after the end of the history: draw again (its weight already
        // counts only the part of the day before the end).
      } while (at > this.endMs || at < this.startMs);
      result[i] = at * 2 + (isOnline ? 1 : 0);
    }
    return result.sort();
  }
}
