// A province's working calendar: seeded from the official notices shipped in reference-data/calendar, with the
// following year proposed from the Labour Code until an administrator confirms it; every change a new version,
// audited.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { appendAudit } from '../audit/index.ts';
import { computeDueAtWithPauses, type SupplementPause } from './deadlines.ts';
import type { ProcessingTimeRule } from '../procedures/index.ts';
import { calendarVersions } from './calendar.tables.ts';
import { officialDaysOff, proposeDaysOff } from './holidays.ts';
import type { CivilDate, WorkingCalendarData, WorkingPeriod } from './working-calendar.ts';

const OFFICIAL_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../reference-data/calendar/vn-official-days-off.json',
);

export const DEFAULT_WORKING_HOURS: WorkingPeriod[] = [
  { start: '07:30', end: '11:30' },
  { start: '13:30', end: '17:00' },
];

type CalendarContent = Omit<WorkingCalendarData, 'version'>;

export interface CalendarActor {
  userId: string | null;
  username: string;
}

function versionId(provinceCode: string, version: number): string {
  return `${provinceCode}-v${version}`;
}

/** The calendar of the official years in the shipped file, plus the next year proposed from the Labour Code. */
export function seedCalendar(thisYear: number): CalendarContent {
  const official = officialDaysOff(JSON.parse(fs.readFileSync(OFFICIAL_FILE, 'utf8')));
  const years = official.map((y) => y.year);
  const daysOff = official.flatMap((y) => y.daysOff.map((d) => ({ date: d.date, name: d.name })));
  const makeUpWorkingDays = official.flatMap((y) =>
    y.makeUpWorkingDays.map((d) => ({ date: d.date, name: d.name })),
  );
  for (let year = Math.min(...years, thisYear); year <= Math.max(...years, thisYear) + 1; year++) {
    if (years.includes(year)) continue;
    daysOff.push(...proposeDaysOff(year).daysOff.map((d) => ({ date: d.date, name: `${d.name} (dự kiến)` })));
  }
  return {
    weeklyRestDays: [6, 7],
    daysOff: daysOff.sort((a, b) => a.date.localeCompare(b.date)),
    makeUpWorkingDays: makeUpWorkingDays.sort((a, b) => a.date.localeCompare(b.date)),
    workingHours: DEFAULT_WORKING_HOURS,
    confirmedYears: years,
  };
}

/** Working periods must be in order, each ending after it starts, not overlapping. */
function validPeriods(periods: WorkingPeriod[]): WorkingPeriod[] {
  const sorted = [...periods].sort((a, b) => a.start.localeCompare(b.start));
  sorted.forEach((p, i) => {
    const previous = sorted[i - 1];
    if (p.end <= p.start || (previous && p.start < previous.end)) {
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'periods', key: 'calendar.badHours', params: { field: 'periods' } }],
      });
    }
  });
  return sorted;
}

export function createCalendarService(deps: { db: Db; clock: Clock; adminUnits: AdminUnitsService }) {
  const { db, clock } = deps;

  async function latest(provinceCode: string) {
    const [row] = await db
      .select()
      .from(calendarVersions)
      .where(eq(calendarVersions.provinceCode, provinceCode))
      .orderBy(desc(calendarVersions.version))
      .limit(1);
    return row;
  }

  async function saveVersion(
    provinceCode: string,
    content: CalendarContent,
    note: string,
    actor: CalendarActor,
  ) {
    return db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(7302514, ${Number(provinceCode)})`);
      const [current] = await tx
        .select({ version: calendarVersions.version })
        .from(calendarVersions)
        .where(eq(calendarVersions.provinceCode, provinceCode))
        .orderBy(desc(calendarVersions.version))
        .limit(1);
      const version = (current?.version ?? 0) + 1;
      await tx.insert(calendarVersions).values({
        provinceCode,
        version,
        data: content,
        note,
        createdAt: clock.now(),
        createdBy: actor.userId,
      });
      await appendAudit(tx, clock, {
        actorId: actor.userId,
        actorName: actor.username,
        unitCode: provinceCode,
        action: 'calendar.changed',
        targetType: 'calendar',
        targetId: versionId(provinceCode, version),
        details: { note },
      });
      return { ...content, version: versionId(provinceCode, version) };
    });
  }

  return {
    /** Creates version 1 from the shipped official notices when the province has no calendar yet. */
    async ensureSeeded(provinceCode: string): Promise<boolean> {
      if (await latest(provinceCode)) return false;
      const year = Number(clock.now().toISOString().slice(0, 4));
      await saveVersion(
        provinceCode,
        seedCalendar(year),
        'Khởi tạo từ các thông báo nghỉ lễ, tết chính thức; năm chưa có thông báo được đề xuất theo Bộ luật Lao động 2019.',
        { userId: null, username: 'system' },
      );
      return true;
    },

    async getCurrent(provinceCode: string): Promise<WorkingCalendarData> {
      const row = await latest(provinceCode);
      if (!row) throw new AppError('CALENDAR_NOT_FOUND', { unit: provinceCode });
      return { ...row.data, version: versionId(provinceCode, row.version) };
    },

    /** The province's current calendar with a centre's own working hours, when it has them. */
    async getCurrentFor(provinceCode: string, unitCode: string): Promise<WorkingCalendarData> {
      const calendar = await this.getCurrent(provinceCode);
      const own = calendar.centreWorkingHours?.find((c) => c.unitCode === unitCode);
      return own ? { ...calendar, workingHours: own.periods } : calendar;
    },

    /**
     * An explicit recomputation of a stored deadline on the current calendar (after the calendar changed): never
     * silent — the old and new due dates and calendar versions go into the audit log with the reason.
     */
    async recomputeDeadline(
      input: {
        provinceCode: string;
        unitCode: string;
        receivedAt: Date;
        rule: ProcessingTimeRule;
        pauses: SupplementPause[];
        previous: { dueAt: Date; calendarVersion: string };
        target: { type: string; id: string };
        reason: string;
      },
      actor: CalendarActor,
    ) {
      const calendar = await this.getCurrentFor(input.provinceCode, input.unitCode);
      const result = computeDueAtWithPauses({
        receivedAt: input.receivedAt,
        rule: input.rule,
        calendar,
        pauses: input.pauses,
      });
      if (!result.ok)
        throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'rule', reason: result.reason }] });
      await db.transaction((tx) =>
        appendAudit(tx, clock, {
          actorId: actor.userId,
          actorName: actor.username,
          unitCode: input.unitCode,
          action: 'deadline.recomputed',
          targetType: input.target.type,
          targetId: input.target.id,
          details: {
            reason: input.reason,
            previousDueAt: input.previous.dueAt.toISOString(),
            previousCalendarVersion: input.previous.calendarVersion,
            dueAt: result.paused ? null : result.dueAt.toISOString(),
            calendarVersion: calendar.version,
          },
        }),
      );
      return result;
    },

    async getVersion(provinceCode: string, version: number): Promise<WorkingCalendarData> {
      const [row] = await db
        .select()
        .from(calendarVersions)
        .where(and(eq(calendarVersions.provinceCode, provinceCode), eq(calendarVersions.version, version)));
      if (!row) throw new AppError('CALENDAR_NOT_FOUND', { unit: `${provinceCode} (phiên bản ${version})` });
      return { ...row.data, version: versionId(provinceCode, row.version) };
    },

    async listVersions(provinceCode: string) {
      const rows = await db
        .select({
          version: calendarVersions.version,
          note: calendarVersions.note,
          createdAt: calendarVersions.createdAt,
        })
        .from(calendarVersions)
        .where(eq(calendarVersions.provinceCode, provinceCode))
        .orderBy(desc(calendarVersions.version));
      return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
    },

    /** One edit, one new version. The caller has checked that the actor may manage the province's calendar. */
    async changeCalendar(
      provinceCode: string,
      change:
        | { kind: 'add-day-off'; date: CivilDate; name: string }
        | { kind: 'remove-day-off'; date: CivilDate }
        | { kind: 'add-make-up-day'; date: CivilDate; name: string }
        | { kind: 'remove-make-up-day'; date: CivilDate }
        | { kind: 'set-working-hours'; periods: WorkingPeriod[]; unitCode?: string }
        | { kind: 'confirm-year'; year: number },
      actor: CalendarActor,
    ): Promise<WorkingCalendarData> {
      const current = await this.getCurrent(provinceCode);
      const { version: _version, ...content } = current;
      let note: string;
      switch (change.kind) {
        case 'add-day-off':
          if (content.daysOff.some((d) => d.date === change.date))
            throw new AppError('CALENDAR_DAY_EXISTS', { date: change.date });
          content.daysOff = [...content.daysOff, { date: change.date, name: change.name }].sort((a, b) =>
            a.date.localeCompare(b.date),
          );
          note = `Thêm ngày nghỉ ${change.date}: ${change.name}`;
          break;
        case 'remove-day-off':
          if (!content.daysOff.some((d) => d.date === change.date))
            throw new AppError('CALENDAR_DAY_NOT_FOUND', { date: change.date });
          content.daysOff = content.daysOff.filter((d) => d.date !== change.date);
          note = `Bỏ ngày nghỉ ${change.date}`;
          break;
        case 'add-make-up-day':
          if (content.makeUpWorkingDays.some((d) => d.date === change.date))
            throw new AppError('CALENDAR_DAY_EXISTS', { date: change.date });
          content.makeUpWorkingDays = [
            ...content.makeUpWorkingDays,
            { date: change.date, name: change.name },
          ].sort((a, b) => a.date.localeCompare(b.date));
          note = `Thêm ngày làm bù ${change.date}: ${change.name}`;
          break;
        case 'remove-make-up-day':
          if (!content.makeUpWorkingDays.some((d) => d.date === change.date))
            throw new AppError('CALENDAR_DAY_NOT_FOUND', { date: change.date });
          content.makeUpWorkingDays = content.makeUpWorkingDays.filter((d) => d.date !== change.date);
          note = `Bỏ ngày làm bù ${change.date}`;
          break;
        case 'set-working-hours': {
          const periods = validPeriods(change.periods);
          const hours = periods.map((p) => `${p.start}-${p.end}`).join(', ');
          if (change.unitCode && change.unitCode !== provinceCode) {
            const unit = await deps.adminUnits.getUnit(change.unitCode);
            if (unit.parentCode !== provinceCode)
              throw new AppError('ROLE_GRANT_OUTSIDE_UNIT', { unit: unit.code });
            content.centreWorkingHours = [
              ...(content.centreWorkingHours ?? []).filter((c) => c.unitCode !== unit.code),
              { unitCode: unit.code, periods },
            ];
            note = `Giờ làm việc của ${unit.fullName}: ${hours}`;
          } else {
            content.workingHours = periods;
            note = `Giờ làm việc: ${hours}`;
          }
          break;
        }
        case 'confirm-year':
          if (!content.confirmedYears.includes(change.year))
            content.confirmedYears = [...content.confirmedYears, change.year].sort();
          content.daysOff = content.daysOff.map((d) =>
            d.date.startsWith(`${change.year}-`) ? { ...d, name: d.name.replace(/ \(dự kiến\)$/, '') } : d,
          );
          note = `Xác nhận lịch nghỉ năm ${change.year}`;
          break;
      }
      return saveVersion(provinceCode, content, note, actor);
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
