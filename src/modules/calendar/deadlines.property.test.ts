// Properties of due dates on the official 2025-2026 calendar, over random receipts and periods.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ProcessingTimeRule, TimeUnit } from '../procedures/index.ts';
import { officialCalendar2025To2026 } from '../../../test/support/calendar.ts';
import { computeDueAt, prepareCalendar } from './deadlines.ts';
import { isWorkingDay } from './working-calendar.ts';

const calendarData = officialCalendar2025To2026();
const calendar = prepareCalendar(calendarData);
const RUNS = { numRuns: 300 };

// Receipts from 01/01/2025 to 31/10/2026 (so that periods up to 40 days stay inside the official data).
const receivedAt = fc
  .integer({ min: Date.parse('2025-01-01T00:00:00+07:00'), max: Date.parse('2026-10-31T23:59:00+07:00') })
  .map((ms) => new Date(ms - (ms % 60_000)));
const dayUnit = fc.constantFrom<TimeUnit>('working_day', 'day', 'immediate');
const anyUnit = fc.constantFrom<TimeUnit>('working_day', 'day', 'immediate', 'hour', 'working_hour');
const hasCutoff = fc.boolean();

function rule(value: number, unit: TimeUnit, withCutoff: boolean): ProcessingTimeRule {
  return {
    text: `${value} ${unit}`,
    value,
    unit,
    parsed: true,
    cutoff: withCutoff ? { time: '15:00', effect: 'next_working_day', text: 'sau 15 giờ' } : undefined,
  };
}

function dueAt(at: Date, processingTime: ProcessingTimeRule): Date {
  const result = computeDueAt({ receivedAt: at, rule: processingTime, calendar });
  if (!result.ok) throw new Error(result.reason);
  return result.dueAt;
}

function vietnamDate(date: Date): string {
  return new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

test('a due date in days is on a working day, at closing time', () => {
  fc.assert(
    fc.property(
      receivedAt,
      dayUnit,
      fc.integer({ min: 0, max: 40 }),
      hasCutoff,
      (at, unit, value, withCutoff) => {
        const due = dueAt(at, rule(value, unit, withCutoff));
        assert.ok(isWorkingDay(calendarData, vietnamDate(due)), vietnamDate(due));
        assert.equal(new Date(due.getTime() + 7 * 3_600_000).toISOString().slice(11, 16), '17:00');
      },
    ),
    RUNS,
  );
});

test('a due date is never earlier than the receipt', () => {
  fc.assert(
    fc.property(
      receivedAt,
      anyUnit,
      fc.integer({ min: 0, max: 40 }),
      hasCutoff,
      (at, unit, value, withCutoff) => {
        assert.ok(dueAt(at, rule(value, unit, withCutoff)).getTime() >= at.getTime());
      },
    ),
    RUNS,
  );
});

test('one more day or hour never gives an earlier due date', () => {
  fc.assert(
    fc.property(
      receivedAt,
      anyUnit,
      fc.integer({ min: 0, max: 39 }),
      hasCutoff,
      (at, unit, value, withCutoff) => {
        if (unit === 'immediate') return;
        const shorter = dueAt(at, rule(value, unit, withCutoff));
        const longer = dueAt(at, rule(value + 1, unit, withCutoff));
        assert.ok(longer.getTime() >= shorter.getTime());
        // Working days and working hours always move forward.
        if (unit === 'working_day' || unit === 'working_hour')
          assert.ok(longer.getTime() > shorter.getTime());
      },
    ),
    RUNS,
  );
});

test('a later receipt never gives an earlier due date', () => {
  fc.assert(
    fc.property(
      receivedAt,
      fc.integer({ min: 0, max: 3 * 24 * 60 }),
      anyUnit,
      fc.integer({ min: 0, max: 20 }),
      hasCutoff,
      (at, laterMinutes, unit, value, withCutoff) => {
        const later = new Date(at.getTime() + laterMinutes * 60_000);
        const processingTime = rule(value, unit, withCutoff);
        assert.ok(dueAt(later, processingTime).getTime() >= dueAt(at, processingTime).getTime());
      },
    ),
    RUNS,
  );
});
