// Public face of the calendar module (lịch làm việc): the working calendar of a province and the deadline engine
// that counts on it.
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { calendarRoutes } from './calendar.routes.tsx';
import { createCalendarService } from './calendar.service.ts';

export type { CalendarService } from './calendar.service.ts';
export type { WorkingCalendarData, CivilDate, WorkingPeriod } from './working-calendar.ts';
export {
  computeDueAt,
  computeDueAtWithPauses,
  deadlineState,
  dueSoonBefore,
  prepareCalendar,
  reschedule,
  startDeadlineHistory,
  stepDeadlines,
  type DeadlineResult,
  type SupplementPause,
} from './deadlines.ts';

export function createCalendarModule(deps: {
  db: Db;
  clock: Clock;
  adminUnits: AdminUnitsService;
  identity: IdentityService;
  provinceCode: string;
}) {
  const service = createCalendarService(deps);
  return {
    service,
    routes: calendarRoutes({
      service,
      identity: deps.identity,
      adminUnits: deps.adminUnits,
      provinceCode: deps.provinceCode,
      clock: deps.clock,
    }),
  };
}

export type CalendarModule = ReturnType<typeof createCalendarModule>;
