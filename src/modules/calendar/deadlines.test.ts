// Due dates on the official 2025-2026 calendar. Times are Vietnam time; each expectation was worked out by hand
// from the calendar (the comment on each row says why), not by running the code.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CutoffRule, ProcessingTimeRule, TimeUnit } from '../procedures/index.ts';
import { officialCalendar2025To2026 } from '../../../test/support/calendar.ts';
import {
  computeDueAt,
  computeDueAtWithPauses,
  deadlineState,
  pauseForSupplement,
  prepareCalendar,
  reschedule,
  resumeAfterSupplement,
  startDeadlineHistory,
  type SupplementPause,
} from './deadlines.ts';
import { isWorkingDay } from './working-calendar.ts';

const calendarData = officialCalendar2025To2026();
const calendar = prepareCalendar(calendarData);

/** "2025-03-11 10:00" in Vietnam time. */
function at(local: string): Date {
  return new Date(`${local.replace(' ', 'T')}:00+07:00`);
}

/** A Date shown as "YYYY-MM-DD HH:MM" in Vietnam time. */
function local(date: Date): string {
  return new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const CUTOFF_15: CutoffRule = { time: '15:00', effect: 'next_working_day', text: 'sau 15 giờ' };

function rule(
  value: number | null,
  unit: TimeUnit | null,
  extra: Partial<ProcessingTimeRule> = {},
): ProcessingTimeRule {
  return { text: `${value} ${unit}`, value, unit, parsed: true, ...extra };
}

function due(receivedAt: string, processingTime: ProcessingTimeRule, pauses: SupplementPause[] = []): string {
  const result = computeDueAtWithPauses({
    receivedAt: at(receivedAt),
    rule: processingTime,
    calendar,
    pauses,
  });
  if (!result.ok) throw new Error(result.reason);
  if (result.paused) throw new Error('paused');
  return local(result.dueAt);
}

interface Row {
  name: string;
  receivedAt: string;
  rule: ProcessingTimeRule;
  expected: string;
  pauses?: SupplementPause[];
}

const wd = (n: number, extra: Partial<ProcessingTimeRule> = {}) => rule(n, 'working_day', extra);

const rows: Row[] = [
  // --- Every official day off of 2025 and 2026: receipt just before it, 1 working day; the day off is skipped.
  // 01/01/2025 (Wed) Tết Dương lịch: received Tue 31/12/2024, due the next working day Thu 02/01/2025.
  { name: 'skips 01/01/2025', receivedAt: '2024-12-31 10:00', rule: wd(1), expected: '2025-01-02 17:00' },
  // 27/01/2025 (Mon) first day of Tết 2025 (27-31/01 + weekends 25-26/01, 01-02/02): received Fri 24/01, due Mon 03/02.
  { name: 'skips 27/01/2025', receivedAt: '2025-01-24 10:00', rule: wd(1), expected: '2025-02-03 17:00' },
  // 28/01/2025: received on 27/01 (a Tết day) = received Mon 03/02 (not counted), due Tue 04/02.
  { name: 'skips 28/01/2025', receivedAt: '2025-01-27 10:00', rule: wd(1), expected: '2025-02-04 17:00' },
  // 29/01/2025: received on 28/01 (Tết) = received 03/02, due 04/02.
  { name: 'skips 29/01/2025', receivedAt: '2025-01-28 10:00', rule: wd(1), expected: '2025-02-04 17:00' },
  // 30/01/2025: received on 29/01 (Tết, Mùng 1) = received 03/02, due 04/02.
  { name: 'skips 30/01/2025', receivedAt: '2025-01-29 10:00', rule: wd(1), expected: '2025-02-04 17:00' },
  // 31/01/2025: received on 30/01 (Tết) = received 03/02, due 04/02.
  { name: 'skips 31/01/2025', receivedAt: '2025-01-30 10:00', rule: wd(1), expected: '2025-02-04 17:00' },
  // 07/04/2025 (Mon) Giỗ Tổ: received Fri 04/04, due Tue 08/04.
  { name: 'skips 07/04/2025', receivedAt: '2025-04-04 10:00', rule: wd(1), expected: '2025-04-08 17:00' },
  // 30/04/2025 (Wed): 30/04, 01/05, 02/05 (swapped) off, then the weekend: received Tue 29/04, due Mon 05/05.
  { name: 'skips 30/04/2025', receivedAt: '2025-04-29 10:00', rule: wd(1), expected: '2025-05-05 17:00' },
  // 01/05/2025: received on 30/04 (holiday) = received Mon 05/05, due Tue 06/05.
  { name: 'skips 01/05/2025', receivedAt: '2025-04-30 10:00', rule: wd(1), expected: '2025-05-06 17:00' },
  // 02/05/2025 (swapped day off): received on 01/05 (holiday) = received 05/05, due 06/05.
  { name: 'skips 02/05/2025', receivedAt: '2025-05-01 10:00', rule: wd(1), expected: '2025-05-06 17:00' },
  // 01/09/2025 (Mon) Quốc khánh: 01-02/09 off; received Fri 29/08, due Wed 03/09.
  { name: 'skips 01/09/2025', receivedAt: '2025-08-29 10:00', rule: wd(1), expected: '2025-09-03 17:00' },
  // 02/09/2025: received on 01/09 (holiday) = received Wed 03/09, due Thu 04/09.
  { name: 'skips 02/09/2025', receivedAt: '2025-09-01 10:00', rule: wd(1), expected: '2025-09-04 17:00' },
  // 01/01/2026 (Thu): received Wed 31/12/2025, due Fri 02/01/2026.
  { name: 'skips 01/01/2026', receivedAt: '2025-12-31 10:00', rule: wd(1), expected: '2026-01-02 17:00' },
  // 16/02/2026 (Mon) first day of Tết 2026 (16-20/02 + weekends 14-15, 21-22/02): received Fri 13/02, due Mon 23/02.
  { name: 'skips 16/02/2026', receivedAt: '2026-02-13 10:00', rule: wd(1), expected: '2026-02-23 17:00' },
  // 17/02/2026: received on 16/02 (Tết) = received Mon 23/02, due Tue 24/02.
  { name: 'skips 17/02/2026', receivedAt: '2026-02-16 10:00', rule: wd(1), expected: '2026-02-24 17:00' },
  // 18/02/2026: received on 17/02 (Mùng 1) = received 23/02, due 24/02.
  { name: 'skips 18/02/2026', receivedAt: '2026-02-17 10:00', rule: wd(1), expected: '2026-02-24 17:00' },
  // 19/02/2026: received on 18/02 (Tết) = received 23/02, due 24/02.
  { name: 'skips 19/02/2026', receivedAt: '2026-02-18 10:00', rule: wd(1), expected: '2026-02-24 17:00' },
  // 20/02/2026: received on 19/02 (Tết) = received 23/02, due 24/02.
  { name: 'skips 20/02/2026', receivedAt: '2026-02-19 10:00', rule: wd(1), expected: '2026-02-24 17:00' },
  // 27/04/2026 (Mon) Giỗ Tổ: received Fri 24/04, due Tue 28/04.
  { name: 'skips 27/04/2026', receivedAt: '2026-04-24 10:00', rule: wd(1), expected: '2026-04-28 17:00' },
  // 30/04/2026 (Thu): 30/04, 01/05 off, then the weekend: received Wed 29/04, due Mon 04/05.
  { name: 'skips 30/04/2026', receivedAt: '2026-04-29 10:00', rule: wd(1), expected: '2026-05-04 17:00' },
  // 01/05/2026: received on 30/04 (holiday) = received Mon 04/05, due Tue 05/05.
  { name: 'skips 01/05/2026', receivedAt: '2026-04-30 10:00', rule: wd(1), expected: '2026-05-05 17:00' },
  // 31/08/2026 (Mon, swapped day off): 31/08-02/09 off; received Fri 28/08, due Thu 03/09.
  { name: 'skips 31/08/2026', receivedAt: '2026-08-28 10:00', rule: wd(1), expected: '2026-09-03 17:00' },
  // 01/09/2026: received on 31/08 (day off) = received Thu 03/09, due Fri 04/09.
  { name: 'skips 01/09/2026', receivedAt: '2026-08-31 10:00', rule: wd(1), expected: '2026-09-04 17:00' },
  // 02/09/2026: received on 01/09 (holiday) = received 03/09, due 04/09.
  { name: 'skips 02/09/2026', receivedAt: '2026-09-01 10:00', rule: wd(1), expected: '2026-09-04 17:00' },

  // --- Make-up Saturdays are working days.
  // Sat 26/04/2025 is worked in place of Fri 02/05: received Fri 25/04, 1 working day is that Saturday.
  {
    name: 'make-up Sat 26/04/2025 counts',
    receivedAt: '2025-04-25 10:00',
    rule: wd(1),
    expected: '2025-04-26 17:00',
  },
  // 3 working days from Fri 25/04/2025: Sat 26 (1), Mon 28 (2), Tue 29 (3).
  {
    name: 'make-up Sat in a 3-day run',
    receivedAt: '2025-04-25 10:00',
    rule: wd(3),
    expected: '2025-04-29 17:00',
  },
  // Received on the make-up Saturday itself: immediate results are due that Saturday.
  {
    name: 'receipt on make-up Sat 26/04/2025',
    receivedAt: '2025-04-26 09:00',
    rule: rule(0, 'immediate'),
    expected: '2025-04-26 17:00',
  },
  // Sat 22/08/2026 is worked in place of Mon 31/08: received Fri 21/08, due Sat 22/08.
  {
    name: 'make-up Sat 22/08/2026 counts',
    receivedAt: '2026-08-21 10:00',
    rule: wd(1),
    expected: '2026-08-22 17:00',
  },
  // Received Sat 22/08/2026 16:00 (a working day): Mon 24 (1), Tue 25 (2).
  {
    name: 'receipt on make-up Sat 22/08/2026',
    receivedAt: '2026-08-22 16:00',
    rule: wd(2),
    expected: '2026-08-25 17:00',
  },
  // 5 working days from Wed 19/08/2026: Thu 20, Fri 21, Sat 22, Mon 24, Tue 25.
  {
    name: 'make-up Sat 22/08/2026 in a 5-day run',
    receivedAt: '2026-08-19 10:00',
    rule: wd(5),
    expected: '2026-08-25 17:00',
  },

  // --- Tết spanning a weekend.
  // 2025: received Thu 23/01, 3 working days: Fri 24 (1), Mon 03/02 (2), Tue 04/02 (3).
  {
    name: 'Tết 2025 with weekends',
    receivedAt: '2025-01-23 10:00',
    rule: wd(3),
    expected: '2025-02-04 17:00',
  },
  // 2025: received Sat 25/01 (weekend before Tết) = received Mon 03/02, due Tue 04/02.
  {
    name: 'Tết 2025 receipt on the weekend before',
    receivedAt: '2025-01-25 10:00',
    rule: wd(1),
    expected: '2025-02-04 17:00',
  },
  // 2026: received Thu 12/02, 5 working days: Fri 13 (1), Mon 23 (2), Tue 24 (3), Wed 25 (4), Thu 26 (5).
  {
    name: 'Tết 2026 with weekends',
    receivedAt: '2026-02-12 10:00',
    rule: wd(5),
    expected: '2026-02-26 17:00',
  },
  // 2026: received Sun 22/02 (last day of the break) = received Mon 23/02, 2 working days: Wed 25/02.
  {
    name: 'Tết 2026 receipt on the last Sunday',
    receivedAt: '2026-02-22 10:00',
    rule: wd(2),
    expected: '2026-02-25 17:00',
  },

  // --- 15:00 cut-off.
  // Fri 24/04/2026 14:59, before the cut-off: Tue 28 (1), Wed 29 (2), [30/04, 01/05 off, weekend], Mon 04/05 (3).
  {
    name: 'cut-off: 14:59 counts today',
    receivedAt: '2026-04-24 14:59',
    rule: wd(3, { cutoff: CUTOFF_15 }),
    expected: '2026-05-04 17:00',
  },
  // Fri 24/04/2026 15:01, after the cut-off: receipt on Tue 28/04 (Mon 27 is Giỗ Tổ); Wed 29 (1), Mon 04/05 (2), Tue 05/05 (3).
  {
    name: 'cut-off: 15:01 counts next working day',
    receivedAt: '2026-04-24 15:01',
    rule: wd(3, { cutoff: CUTOFF_15 }),
    expected: '2026-05-05 17:00',
  },
  // Tue 11/03/2025 14:59: 1 working day is Wed 12/03.
  {
    name: 'cut-off: 14:59 ordinary week',
    receivedAt: '2025-03-11 14:59',
    rule: wd(1, { cutoff: CUTOFF_15 }),
    expected: '2025-03-12 17:00',
  },
  // Tue 11/03/2025 15:01: received Wed 12/03, due Thu 13/03.
  {
    name: 'cut-off: 15:01 ordinary week',
    receivedAt: '2025-03-11 15:01',
    rule: wd(1, { cutoff: CUTOFF_15 }),
    expected: '2025-03-13 17:00',
  },
  // Exactly 15:00 is not "after 15:00".
  {
    name: 'cut-off: exactly 15:00 counts today',
    receivedAt: '2025-03-11 15:00',
    rule: wd(1, { cutoff: CUTOFF_15 }),
    expected: '2025-03-12 17:00',
  },
  // The cut-off is per procedure: without one, 15:01 still counts as received today.
  {
    name: 'no cut-off: 15:01 counts today',
    receivedAt: '2025-03-11 15:01',
    rule: wd(1),
    expected: '2025-03-12 17:00',
  },

  // --- Receipt on a rest day, a holiday, outside hours.
  // Sun 16/03/2025 = received Mon 17/03, due Tue 18/03.
  { name: 'receipt on a Sunday', receivedAt: '2025-03-16 10:00', rule: wd(1), expected: '2025-03-18 17:00' },
  // Tue 02/09/2025 (Quốc khánh) = received Wed 03/09; Thu 04 (1), Fri 05 (2).
  { name: 'receipt on a holiday', receivedAt: '2025-09-02 09:00', rule: wd(2), expected: '2025-09-05 17:00' },
  // Tue 11/03/2025 17:30, after closing = received Wed 12/03, due Thu 13/03.
  {
    name: 'receipt after closing',
    receivedAt: '2025-03-11 17:30',
    rule: wd(1),
    expected: '2025-03-13 17:00',
  },
  // Tue 11/03/2025 06:00, before opening, is still Tuesday's receipt: due Wed 12/03.
  {
    name: 'receipt before opening',
    receivedAt: '2025-03-11 06:00',
    rule: wd(1),
    expected: '2025-03-12 17:00',
  },
  // Lunch break 12:00 is still that day: due Wed 12/03.
  {
    name: 'receipt in the lunch break',
    receivedAt: '2025-03-11 12:00',
    rule: wd(1),
    expected: '2025-03-12 17:00',
  },
  // 0 working days: the end of the day of receipt.
  { name: '0 working days', receivedAt: '2025-03-11 10:00', rule: wd(0), expected: '2025-03-11 17:00' },
  // isMaximum ("không quá") does not change the computation.
  {
    name: 'isMaximum ignored',
    receivedAt: '2025-03-11 10:00',
    rule: wd(2, { isMaximum: true }),
    expected: '2025-03-13 17:00',
  },

  // --- Hours (wall clock, Civil Code Art. 147(1)): start at the moment of receipt.
  // Tue 10:00 + 4 h = 14:00, inside working time.
  {
    name: 'hours inside working time',
    receivedAt: '2025-03-11 10:00',
    rule: rule(4, 'hour'),
    expected: '2025-03-11 14:00',
  },
  // Tue 10:30 + 2 h = 12:30, in the lunch break: moves to 13:30.
  {
    name: 'hours ending in the lunch break',
    receivedAt: '2025-03-11 10:30',
    rule: rule(2, 'hour'),
    expected: '2025-03-11 13:30',
  },
  // Tue 10:00 + 8 h = 18:00, at night: moves to Wed 07:30.
  {
    name: 'hours ending at night',
    receivedAt: '2025-03-11 10:00',
    rule: rule(8, 'hour'),
    expected: '2025-03-12 07:30',
  },
  // Fri 14/03 10:00 + 24 h = Sat 10:00: moves to Mon 17/03 07:30.
  {
    name: 'hours ending on a weekend',
    receivedAt: '2025-03-14 10:00',
    rule: rule(24, 'hour'),
    expected: '2025-03-17 07:30',
  },
  // Received Sat 15/03 09:00: clock starts Mon 07:30, + 8 h = 15:30.
  {
    name: 'hours received on a weekend',
    receivedAt: '2025-03-15 09:00',
    rule: rule(8, 'hour'),
    expected: '2025-03-17 15:30',
  },
  // Tue 10:00 + 7 h = 17:00, the closing instant itself is a valid due moment.
  {
    name: 'hours ending at closing',
    receivedAt: '2025-03-11 10:00',
    rule: rule(7, 'hour'),
    expected: '2025-03-11 17:00',
  },

  // --- Working hours: only working periods count.
  // Tue 10:30: 1 h to 11:30, then 13:30-14:30.
  {
    name: 'working hours across lunch',
    receivedAt: '2025-03-11 10:30',
    rule: rule(2, 'working_hour'),
    expected: '2025-03-11 14:30',
  },
  // Tue 10:00: 1.5 h + 3.5 h = 5 h on Tuesday, 3 h more on Wed 07:30-10:30.
  {
    name: 'working hours across a night',
    receivedAt: '2025-03-11 10:00',
    rule: rule(8, 'working_hour'),
    expected: '2025-03-12 10:30',
  },
  // Fri 14/03 15:00: 2 h to 17:00, 4 h Mon 07:30-11:30 (ends at the period's end, not at 13:30).
  {
    name: 'working hours across a weekend',
    receivedAt: '2025-03-14 15:00',
    rule: rule(6, 'working_hour'),
    expected: '2025-03-17 11:30',
  },
  // Tue 29/04/2025 14:00: 3 h to 17:00, [30/04-04/05 off], 3 h Mon 05/05 07:30-10:30 (C/O-style 6 working hours).
  {
    name: 'working hours across 30/4-1/5',
    receivedAt: '2025-04-29 14:00',
    rule: rule(6, 'working_hour'),
    expected: '2025-05-05 10:30',
  },
  // Tue 17:30 after closing: starts Wed 07:30, + 1 h.
  {
    name: 'working hours received after closing',
    receivedAt: '2025-03-11 17:30',
    rule: rule(1, 'working_hour'),
    expected: '2025-03-12 08:30',
  },
  // 15:30 after a 15:00 cut-off: starts Wed 07:30, + 4 h = 11:30.
  {
    name: 'working hours after the cut-off',
    receivedAt: '2025-03-11 15:30',
    rule: rule(4, 'working_hour', { cutoff: CUTOFF_15 }),
    expected: '2025-03-12 11:30',
  },
  // Fri 31/01/2025 (Tết) 10:00: starts Mon 03/02 07:30, 7.5 h = the whole day.
  {
    name: 'working hours received during Tết',
    receivedAt: '2025-01-31 10:00',
    rule: rule(7.5, 'working_hour'),
    expected: '2025-02-03 17:00',
  },

  // --- Calendar days (Art. 147-148): from the next day; a last day off gives way to the next working day.
  // Mon 21/04/2025 + 10 days = Thu 01/05 (holiday); 02/05 off, weekend: Mon 05/05.
  {
    name: 'days ending on 01/05/2025',
    receivedAt: '2025-04-21 10:00',
    rule: rule(10, 'day'),
    expected: '2025-05-05 17:00',
  },
  // Wed 05/03/2025 + 5 days = Mon 10/03, a working day.
  {
    name: 'days ending on a working day',
    receivedAt: '2025-03-05 10:00',
    rule: rule(5, 'day'),
    expected: '2025-03-10 17:00',
  },
  // Wed 12/03/2025 + 3 days = Sat 15/03: Mon 17/03.
  {
    name: 'days ending on a Saturday',
    receivedAt: '2025-03-12 10:00',
    rule: rule(3, 'day'),
    expected: '2025-03-17 17:00',
  },
  // Thu 27/08/2026 + 5 days = Tue 01/09 (holiday); 02/09 holiday too: Thu 03/09.
  {
    name: 'days ending on Quốc khánh 2026',
    receivedAt: '2026-08-27 10:00',
    rule: rule(5, 'day'),
    expected: '2026-09-03 17:00',
  },
  // Wed 31/12/2025 + 1 day = Thu 01/01/2026 (holiday): Fri 02/01/2026.
  {
    name: 'days ending on 01/01/2026',
    receivedAt: '2025-12-31 10:00',
    rule: rule(1, 'day'),
    expected: '2026-01-02 17:00',
  },
  // Calendar days run through Tết: Fri 13/02/2026 + 15 days = Sat 28/02: Mon 02/03.
  {
    name: 'days run through Tết 2026',
    receivedAt: '2026-02-13 10:00',
    rule: rule(15, 'day'),
    expected: '2026-03-02 17:00',
  },

  // --- Year boundary.
  // Tue 30/12/2025, 3 working days: Wed 31/12 (1), [01/01 off], Fri 02/01 (2), Mon 05/01/2026 (3).
  {
    name: 'year boundary 3 working days',
    receivedAt: '2025-12-30 10:00',
    rule: wd(3),
    expected: '2026-01-05 17:00',
  },
  // Wed 31/12/2025 15:30 after a 15:00 cut-off: received Fri 02/01/2026; due Mon 05/01.
  {
    name: 'year boundary after the cut-off',
    receivedAt: '2025-12-31 15:30',
    rule: wd(1, { cutoff: CUTOFF_15 }),
    expected: '2026-01-05 17:00',
  },
  // Mon 29/12/2025, 5 working days: Tue 30, Wed 31, Fri 02/01, Mon 05, Tue 06/01.
  {
    name: 'year boundary 5 working days',
    receivedAt: '2025-12-29 10:00',
    rule: wd(5),
    expected: '2026-01-06 17:00',
  },

  // --- Immediate ("trong ngày").
  // Tue 10:00: the end of that working day.
  {
    name: 'immediate',
    receivedAt: '2025-03-11 10:00',
    rule: rule(0, 'immediate'),
    expected: '2025-03-11 17:00',
  },
  // Tue 16:00, no cut-off: still today.
  {
    name: 'immediate late, no cut-off',
    receivedAt: '2025-03-11 16:00',
    rule: rule(0, 'immediate'),
    expected: '2025-03-11 17:00',
  },
  // With a cut-off and "trong ngày làm việc tiếp theo" (1 working day), 14:00 is before: today.
  {
    name: 'immediate before the cut-off',
    receivedAt: '2025-03-11 14:00',
    rule: rule(0, 'immediate', { cutoff: { ...CUTOFF_15, afterCutoff: { value: 1, unit: 'working_day' } } }),
    expected: '2025-03-11 17:00',
  },
  // 15:30, after it: the next working day, Wed.
  {
    name: 'immediate after the cut-off',
    receivedAt: '2025-03-11 15:30',
    rule: rule(0, 'immediate', { cutoff: { ...CUTOFF_15, afterCutoff: { value: 1, unit: 'working_day' } } }),
    expected: '2025-03-12 17:00',
  },
  // Tue 29/04/2025 15:30 after the cut-off: the next working day is Mon 05/05.
  {
    name: 'immediate after the cut-off before 30/4',
    receivedAt: '2025-04-29 15:30',
    rule: rule(0, 'immediate', { cutoff: { ...CUTOFF_15, afterCutoff: { value: 1, unit: 'working_day' } } }),
    expected: '2025-05-05 17:00',
  },
  // A cut-off without a stated after-cut-off period: receipt on the next working day, same result.
  {
    name: 'immediate after a plain cut-off',
    receivedAt: '2025-03-14 15:30',
    rule: rule(0, 'immediate', { cutoff: CUTOFF_15 }),
    expected: '2025-03-17 17:00',
  },
  // Sun 16/03/2025: the next working day, Mon 17/03.
  {
    name: 'immediate received on a Sunday',
    receivedAt: '2025-03-16 10:00',
    rule: rule(0, 'immediate'),
    expected: '2025-03-17 17:00',
  },
  // A parser may leave the number of "trong ngày" empty.
  {
    name: 'immediate with no value',
    receivedAt: '2025-03-11 10:00',
    rule: rule(null, 'immediate'),
    expected: '2025-03-11 17:00',
  },

  // --- Supplement pauses (the waiting time is not counted).
  // Mon 09/02/2026, 5 wd; stop Wed 11/02 10:00 after Tue 10 (1), Wed 11 (2); restart Tue 24/02 09:00 after Tết;
  // 3 left from Tue 24: Wed 25, Thu 26, Fri 27.
  {
    name: 'pause straddling Tết 2026',
    receivedAt: '2026-02-09 10:00',
    rule: wd(5),
    pauses: [{ from: at('2026-02-11 10:00'), to: at('2026-02-24 09:00') }],
    expected: '2026-02-27 17:00',
  },
  // Thu 24/04/2025, 3 wd; stop Fri 25/04 14:00 (1 used); restart Tue 06/05 10:00 (across 30/4-1/5 and the make-up
  // Saturday, which is inside the pause); 2 left: Wed 07, Thu 08.
  {
    name: 'pause straddling 30/4-1/5 2025',
    receivedAt: '2025-04-24 10:00',
    rule: wd(3),
    pauses: [{ from: at('2025-04-25 14:00'), to: at('2025-05-06 10:00') }],
    expected: '2025-05-08 17:00',
  },
  // Tue 11/03/2025 08:00, 8 working hours; stop 10:00 (2 h used); restart Wed 14:00; 6 h: 3 h Wed, 3 h Thu to 10:30.
  {
    name: 'pause in working hours',
    receivedAt: '2025-03-11 08:00',
    rule: rule(8, 'working_hour'),
    pauses: [{ from: at('2025-03-11 10:00'), to: at('2025-03-12 14:00') }],
    expected: '2025-03-13 10:30',
  },
  // Two pauses: Mon 10/03/2025, 5 wd. Stop Tue 11 09:00 (1 used), restart Wed 12 08:00 (received Wed);
  // stop Thu 13 09:00 (Thu = 1 more, 3 left), restart Mon 17 15:30 with the cut-off = received Tue 18;
  // Wed 19, Thu 20, Fri 21.
  {
    name: 'two pauses and a cut-off on resumption',
    receivedAt: '2025-03-10 10:00',
    rule: wd(5, { cutoff: CUTOFF_15 }),
    pauses: [
      { from: at('2025-03-11 09:00'), to: at('2025-03-12 08:00') },
      { from: at('2025-03-13 09:00'), to: at('2025-03-17 15:30') },
    ],
    expected: '2025-03-21 17:00',
  },
  // A supplement requested after the due date cannot move it: Tue 11/03, 1 wd, due Wed 12/03; stop Thu 13/03.
  {
    name: 'pause after the due date is ignored',
    receivedAt: '2025-03-11 10:00',
    rule: wd(1),
    pauses: [{ from: at('2025-03-13 09:00'), to: at('2025-03-14 09:00') }],
    expected: '2025-03-12 17:00',
  },
  // Calendar days: Mon 21/04/2025, 10 days; stop Wed 23/04 (2 used), restart Mon 28/04; 8 left: Tue 06/05.
  {
    name: 'pause in calendar days',
    receivedAt: '2025-04-21 10:00',
    rule: rule(10, 'day'),
    pauses: [{ from: at('2025-04-23 10:00'), to: at('2025-04-28 09:00') }],
    expected: '2025-05-06 17:00',
  },
  // Stop before opening on Wed 12/03 (Wed not used): Tue 11/03, 3 wd; restart Fri 14/03 10:00; 3 left: Mon, Tue, Wed 19.
  {
    name: 'pause before opening does not use that day',
    receivedAt: '2025-03-11 10:00',
    rule: wd(3),
    pauses: [{ from: at('2025-03-12 07:00'), to: at('2025-03-14 10:00') }],
    expected: '2025-03-19 17:00',
  },
];

describe('computeDueAt on the official 2025-2026 calendar', () => {
  for (const row of rows) {
    test(row.name, () => {
      assert.equal(due(row.receivedAt, row.rule, row.pauses), row.expected);
    });
  }

  test('has at least 60 cases', () => {
    assert.ok(rows.length >= 60, `${rows.length} rows`);
  });

  test('the calendar agrees with isWorkingDay from working-calendar.ts', () => {
    for (let day = Date.UTC(2025, 0, 1); day <= Date.UTC(2026, 11, 31); day += 86_400_000) {
      const date = new Date(day).toISOString().slice(0, 10);
      const prepared = computeDueAt({
        receivedAt: at(`${date} 09:00`),
        rule: rule(0, 'immediate'),
        calendar,
      });
      assert.ok(prepared.ok && !prepared.paused);
      assert.equal(local(prepared.dueAt).slice(0, 10) === date, isWorkingDay(calendarData, date), date);
    }
  });

  test('records its inputs and explains itself in Vietnamese', () => {
    const result = computeDueAt({
      receivedAt: at('2026-04-24 15:01'),
      rule: wd(3, { cutoff: CUTOFF_15 }),
      calendar: calendarData,
    });
    assert.ok(result.ok && !result.paused);
    assert.equal(result.inputs.calendarVersion, calendarData.version);
    assert.equal(result.inputs.countingStartsOn, '2026-04-28');
    assert.equal(result.inputs.receivedAt, '2026-04-24T08:01:00.000Z');
    assert.equal(result.inputs.isAfterCutoff, true);
    assert.equal(result.inputs.isCalendarConfirmed, true);
    assert.equal(
      result.explanation,
      'Nhận lúc 15:01 thứ Sáu 24/04/2026, sau 15:00 nên tính như nhận vào ngày làm việc tiếp theo (thứ Ba 28/04/2026); ' +
        '3 ngày làm việc (không tính ngày nhận): hẹn trả 17:00 thứ Ba 05/05/2026.',
    );
  });

  test('a day off in a provisional year is flagged', () => {
    const result = computeDueAt({ receivedAt: at('2024-12-31 10:00'), rule: wd(1), calendar });
    assert.ok(result.ok && !result.paused);
    assert.equal(result.inputs.isCalendarConfirmed, false);
  });

  test('accepts ISO strings', () => {
    const result = computeDueAt({ receivedAt: '2025-03-11T10:00:00+07:00', rule: wd(1), calendar });
    assert.ok(result.ok && !result.paused);
    assert.equal(local(result.dueAt), '2025-03-12 17:00');
  });
});

describe('rules that cannot be counted are refused', () => {
  const refused: { name: string; rule: ProcessingTimeRule }[] = [
    // The text could not be read into a number.
    { name: 'value null', rule: rule(null, 'working_day', { text: 'theo quy định', parsed: false }) },
    // The unit is unknown.
    { name: 'unit null', rule: rule(5, null, { text: '05 ngày hoặc tháng', parsed: false }) },
    // Flagged unparsed even with numbers present.
    { name: 'parsed false', rule: rule(5, 'working_day', { parsed: false }) },
    // A negative period is nonsense.
    { name: 'negative value', rule: rule(-1, 'working_day') },
    // Half a working day: not guessed into hours.
    { name: 'fractional days', rule: rule(0.5, 'working_day') },
    // A malformed cut-off time.
    { name: 'bad cut-off', rule: wd(1, { cutoff: { ...CUTOFF_15, time: '3pm' } }) },
  ];
  for (const row of refused) {
    test(row.name, () => {
      const result = computeDueAt({ receivedAt: at('2025-03-11 10:00'), rule: row.rule, calendar });
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.reason.length > 10);
    });
  }

  test('an invalid receipt time', () => {
    const result = computeDueAt({ receivedAt: 'not a date', rule: wd(1), calendar });
    assert.equal(result.ok, false);
  });
});

describe('supplement pauses', () => {
  test('an open pause stops the clock and reports what remains', () => {
    const started = pauseForSupplement([], at('2025-03-12 10:00'));
    assert.ok(started.ok);
    const result = computeDueAtWithPauses({
      receivedAt: at('2025-03-11 10:00'),
      rule: wd(3),
      calendar,
      pauses: started.pauses,
    });
    assert.ok(result.ok && result.paused);
    // Wed 12/03 was used (1), 2 remain.
    assert.deepEqual(result.remaining, { value: 2, unit: 'working_day' });
    assert.match(result.explanation, /tạm dừng chờ bổ sung/);
  });

  test('pause then resume gives the same as a closed pause', () => {
    const started = pauseForSupplement([], at('2026-02-11 10:00'));
    assert.ok(started.ok);
    const resumed = resumeAfterSupplement(started.pauses, at('2026-02-24 09:00'));
    assert.ok(resumed.ok);
    assert.equal(due('2026-02-09 10:00', wd(5), resumed.pauses), '2026-02-27 17:00');
  });

  test('a second request while stopped is refused, resuming when running is refused', () => {
    const started = pauseForSupplement([], at('2025-03-12 10:00'));
    assert.ok(started.ok);
    assert.equal(pauseForSupplement(started.pauses, at('2025-03-13 10:00')).ok, false);
    assert.equal(resumeAfterSupplement([], at('2025-03-13 10:00')).ok, false);
    assert.equal(resumeAfterSupplement(started.pauses, at('2025-03-11 10:00')).ok, false);
  });

  test('inconsistent pauses are refused', () => {
    const refuse = (pauses: SupplementPause[]) =>
      computeDueAtWithPauses({ receivedAt: at('2025-03-11 10:00'), rule: wd(3), calendar, pauses }).ok;
    assert.equal(refuse([{ from: at('2025-03-10 10:00'), to: at('2025-03-12 10:00') }]), false);
    assert.equal(refuse([{ from: at('2025-03-12 10:00'), to: at('2025-03-11 11:00') }]), false);
    assert.equal(
      refuse([
        { from: at('2025-03-12 10:00'), to: at('2025-03-14 10:00') },
        { from: at('2025-03-13 10:00'), to: at('2025-03-17 10:00') },
      ]),
      false,
    );
  });
});

describe('reschedule (Nghị định 118/2025: at most once)', () => {
  const first = startDeadlineHistory(at('2025-03-14 17:00'));

  test('the first rescheduling to a later date is accepted', () => {
    const result = reschedule(first, at('2025-03-19 17:00'), 'Cần xác minh thêm tại thôn');
    assert.ok(result.ok);
    assert.equal(local(result.history.dueAt), '2025-03-19 17:00');
    assert.equal(local(result.history.originalDueAt), '2025-03-14 17:00');
    assert.equal(result.history.reschedules.length, 1);
  });

  test('a second rescheduling is refused', () => {
    const once = reschedule(first, at('2025-03-19 17:00'), 'Cần xác minh thêm');
    assert.ok(once.ok);
    const twice = reschedule(once.history, at('2025-03-21 17:00'), 'Lại chậm');
    assert.ok(!twice.ok);
    assert.equal(twice.code, 'DEADLINE_ALREADY_RESCHEDULED');
    assert.match(twice.reason, /không quá một lần/);
  });

  test('a date not after the current one is refused', () => {
    const result = reschedule(first, at('2025-03-14 17:00'), 'Sai ngày');
    assert.ok(!result.ok);
    assert.equal(result.code, 'DEADLINE_RESCHEDULE_NOT_LATER');
  });

  test('a blank reason is refused', () => {
    const result = reschedule(first, at('2025-03-19 17:00'), '   ');
    assert.ok(!result.ok);
    assert.equal(result.code, 'DEADLINE_RESCHEDULE_REASON_REQUIRED');
  });
});

describe('deadlineState', () => {
  test('on track two working days ahead', () => {
    const state = deadlineState(at('2025-03-13 17:00'), at('2025-03-11 10:00'), calendar);
    assert.equal(state.state, 'on_track');
    assert.equal(state.label, 'trong hạn');
    // Wed 12 and Thu 13; 1.5 + 3.5 + 7.5 + 7.5 h of working time.
    assert.deepEqual(state.remaining, { workingDays: 2, workingMinutes: 20 * 60 });
  });

  test('due soon the working day before, across Tết', () => {
    // Due Mon 03/02/2025; on Fri 24/01 only Monday is left.
    const state = deadlineState(at('2025-02-03 17:00'), at('2025-01-24 16:00'), calendarData);
    assert.equal(state.state, 'due_soon');
    assert.equal(state.label, 'sắp đến hạn');
    assert.deepEqual(state.remaining, { workingDays: 1, workingMinutes: 60 + 450 });
  });

  test('due soon on the day itself', () => {
    const state = deadlineState(at('2025-03-11 17:00'), at('2025-03-11 16:00'), calendar);
    assert.equal(state.state, 'due_soon');
    assert.deepEqual(state.remaining, { workingDays: 0, workingMinutes: 60 });
  });

  test('overdue after the due moment', () => {
    const state = deadlineState(at('2025-04-29 17:00'), at('2025-05-05 09:30'), calendar);
    assert.equal(state.state, 'overdue');
    assert.equal(state.label, 'quá hạn');
    // Only Mon 05/05 is a working day after the due day; 2 h of it had passed.
    assert.deepEqual(state.remaining, { workingDays: -1, workingMinutes: -120 });
  });

  test('a wider warning window', () => {
    const state = deadlineState(at('2025-03-13 17:00'), at('2025-03-11 10:00'), calendar, {
      dueSoonWorkingDays: 2,
    });
    assert.equal(state.state, 'due_soon');
  });
});

test('the period stated for after the cut-off is explained as such', () => {
  const result = computeDueAt({
    receivedAt: at('2025-03-11 15:30'),
    rule: rule(0, 'immediate', { cutoff: { ...CUTOFF_15, afterCutoff: { value: 1, unit: 'working_day' } } }),
    calendar,
  });
  assert.ok(result.ok && !result.paused);
  assert.equal(result.inputs.countingStartsOn, '2025-03-11');
  assert.deepEqual(result.inputs.appliedPeriod, { value: 1, unit: 'working_day' });
  assert.equal(
    result.explanation,
    'Nhận lúc 15:30 thứ Ba 11/03/2025, sau 15:00 nên áp dụng thời hạn dành cho hồ sơ nhận sau giờ này; ' +
      '1 ngày làm việc (không tính ngày nhận): hẹn trả 17:00 thứ Tư 12/03/2025.',
  );
});
