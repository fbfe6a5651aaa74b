// The official 2025-2026 working calendar for tests, built from the shared data set of official days off: weekly
// rest on Saturday and Sunday, working hours 07:30-11:30 and 13:30-17:00.
import fs from 'node:fs';
import path from 'node:path';
import type { WorkingCalendarData } from '../../src/modules/calendar/working-calendar.ts';

// The repository's copy of the shared data set (reference-data/calendar/README.md).
const DATA_FILE = path.resolve(
  import.meta.dirname,
  '../../reference-data/calendar/vn-official-days-off.json',
);

interface OfficialDaysOff {
  extractionDate: string;
  events: { year: number; key: string; name: string }[];
  nonWorkingWeekdays: { date: string; year: number; event: string }[];
  makeUpWorkingDays: { date: string; year: number; event: string; replaces: string }[];
}

/** The commune centre's calendar for 2025 and 2026 as announced (nationally) for công chức, viên chức. */
export function officialCalendar2025To2026(): WorkingCalendarData {
  const data = JSON.parse(fs.readFileSync(DATA_FILE, 'utf8')) as OfficialDaysOff;
  const eventName = (year: number, key: string): string =>
    data.events.find((e) => e.year === year && e.key === key)?.name ?? key;
  return {
    version: `vn-official-days-off@${data.extractionDate}`,
    weeklyRestDays: [6, 7],
    daysOff: data.nonWorkingWeekdays
      .filter((d) => d.year === 2025 || d.year === 2026)
      .map((d) => ({ date: d.date, name: eventName(d.year, d.event) })),
    makeUpWorkingDays: data.makeUpWorkingDays
      .filter((d) => d.year === 2025 || d.year === 2026)
      .map((d) => ({ date: d.date, name: `Làm bù cho ngày ${d.replaces} (${eventName(d.year, d.event)})` })),
    workingHours: [
      { start: '07:30', end: '11:30' },
      { start: '13:30', end: '17:00' },
    ],
    confirmedYears: [2025, 2026],
  };
}
