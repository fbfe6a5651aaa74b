// The statutory end of each workflow step (Mẫu 06) and the due-soon threshold of the deadline job.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { officialCalendar2025To2026 } from '../../../test/support/calendar.ts';
import { deadlineState, dueSoonBefore, stepDeadlines } from './deadlines.ts';

const calendar = officialCalendar2025To2026();

describe('step deadlines', () => {
  // Received Tuesday 01/12/2026 09:00; due Friday 04/12 17:00: 3 working days of 7.5 h counted from Wednesday
  // 07:30, 22.5 working hours in all (the rest of Tuesday is not counted: Civil Code Art. 147).
  const base = {
    countingStartsAt: '2026-12-02T00:30:00Z',
    dueAt: '2026-12-04T10:00:00Z',
    calendar,
  };

  test('shares of 10 %, 70 %, 90 % and 100 % of the working time, lunch and nights skipped', () => {
    const ends = stepDeadlines({ ...base, pauses: [], cumulativeShares: [0.1, 0.7, 0.9, 1] });
    // 10 % of 22.5 h = 2 h 15 min from Wednesday 07:30 → 09:45.
    assert.equal(ends[0]?.toISOString(), '2026-12-02T02:45:00.000Z');
    // 70 % = 15 h 45 min: Wednesday (7.5 h) + Thursday (7.5 h) + 45 min of Friday → 08:15.
    assert.equal(ends[1]?.toISOString(), '2026-12-04T01:15:00.000Z');
    // 90 % = 20 h 15 min: 5 h 15 min of Friday: 07:30-11:30 (4 h) + 1 h 15 min after lunch → 14:45.
    assert.equal(ends[2]?.toISOString(), '2026-12-04T07:45:00.000Z');
    assert.equal(ends[3]?.toISOString(), '2026-12-04T10:00:00.000Z');
  });

  test('a supplement pause inside a step moves its end by the pause', () => {
    // Paused Wednesday 09:00 until Monday 07/12 07:30: 1.5 h used before, 21 h left after, so the engine moves the
    // due date to Wednesday 09/12 15:30. Step 1 (2 h 15 min) ends 45 min after the resume.
    const ends = stepDeadlines({
      ...base,
      dueAt: '2026-12-09T08:30:00Z',
      pauses: [{ from: '2026-12-02T02:00:00Z', to: '2026-12-07T00:30:00Z' }],
      cumulativeShares: [0.1, 1],
    });
    assert.equal(ends[0]?.toISOString(), '2026-12-07T01:15:00.000Z');
    assert.equal(ends[1]?.toISOString(), '2026-12-09T08:30:00.000Z');
  });

  test('an end inside a pause still open is not known yet', () => {
    const ends = stepDeadlines({
      ...base,
      pauses: [{ from: '2026-12-02T01:00:00Z', to: null }],
      cumulativeShares: [0.5, 1],
    });
    assert.equal(ends[0], null);
  });
});

describe('due-soon threshold', () => {
  test('agrees with deadlineState: due today or on the next working day is due soon', () => {
    const now = '2026-12-03T02:00:00Z'; // Thursday
    const before = dueSoonBefore(now, calendar);
    assert.equal(before.toISOString(), '2026-12-04T17:00:00.000Z', 'the end of Friday in Vietnam time');
    for (const due of ['2026-12-03T10:00:00Z', '2026-12-04T10:00:00Z', '2026-12-07T10:00:00Z']) {
      const isSoon = new Date(due) < before;
      assert.equal(deadlineState(due, now, calendar).state === 'due_soon', isSoon, due);
    }
  });

  test('over a weekend and a holiday the next working day is later', () => {
    // Friday 28/08/2026; Monday 31/08 to Wednesday 02/09 are Quốc khánh days off: the next working day is 03/09.
    const before = dueSoonBefore('2026-08-28T02:00:00Z', calendar);
    assert.equal(before.toISOString(), '2026-09-03T17:00:00.000Z');
  });
});
