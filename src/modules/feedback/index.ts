// Public face of the feedback module (phản ánh, kiến nghị — PAKN): citizens' feedback and complaints to a commune,
// handled within the deadlines of QĐ 766 indicator 5.2, and the published answers.
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { feedbackRoutes } from './feedback.routes.tsx';
import { createFeedbackService } from './feedback.service.ts';

export type { FeedbackService } from './feedback.service.ts';
export { FEEDBACK_DEADLINES } from './feedback.service.ts';

export function createFeedbackModule(deps: {
  db: Db;
  clock: Clock;
  adminUnits: AdminUnitsService;
  identity: IdentityService;
  calendar: CalendarService;
  provinceCode: string;
}) {
  const service = createFeedbackService(deps);
  return {
    service,
    routes: feedbackRoutes({ service, adminUnits: deps.adminUnits, provinceCode: deps.provinceCode }),
  };
}

export type FeedbackModule = ReturnType<typeof createFeedbackModule>;
