// Deadline computations per second on the seeded province calendar (official 2025–2026 days off), beside a naive
// baseline measured in the same run: adding the same number of days to the same instants with plain Date
// arithmetic (what a system that ignores the calendar would do).
import { performance } from 'node:perf_hooks';
import { seedCalendar } from '../src/modules/calendar/calendar.service.ts';
import { computeDueAt, prepareCalendar } from '../src/modules/calendar/deadlines.ts';
import type { ProcessingTimeRule } from '../src/modules/procedures/procedure-record.ts';

const ROUNDS = 5;
const ROUND_MS = 1000;

const RULES: ProcessingTimeRule[] = [
  { text: '03 ngày làm việc', value: 3, unit: 'working_day', parsed: true },
  { text: '15 ngày', value: 15, unit: 'day', parsed: true },
  { text: '04 giờ làm việc', value: 4, unit: 'working_hour', parsed: true },
  { text: '20 ngày làm việc', value: 20, unit: 'working_day', parsed: true },
  {
    text: 'Trong ngày; sau 15 giờ trả trong ngày làm việc tiếp theo',
    value: 0,
    unit: 'immediate',
    parsed: true,
    cutoff: {
      time: '15:00',
      effect: 'next_working_day',
      afterCutoff: { value: 1, unit: 'working_day' },
      text: 'sau 15 giờ',
    },
  },
];

function receipts(count: number): Date[] {
  // Deterministic spread over 2025–2026, at all hours (a linear congruential sequence, no Math.random).
  const start = Date.UTC(2025, 0, 1);
  const span = Date.UTC(2026, 10, 30) - start;
  let seed = 12345;
  return Array.from({ length: count }, () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return new Date(start + (seed / 2147483648) * span);
  });
}

function perSecond(work: (i: number) => unknown): number[] {
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let done = 0;
    const started = performance.now();
    while (performance.now() - started < ROUND_MS) {
      for (let k = 0; k < 200; k++) work(done++);
    }
    rates.push(done / ((performance.now() - started) / 1000));
  }
  return rates;
}

export function benchDeadlines(): { engine: number[]; naive: number[] } {
  const calendar = prepareCalendar({ ...seedCalendar(2026), version: 'bench' });
  const instants = receipts(10_000);
  let sink = 0;
  const engine = perSecond((i) => {
    const result = computeDueAt({
      receivedAt: instants[i % instants.length]!,
      rule: RULES[i % RULES.length]!,
      calendar,
    });
    if (result.ok) sink += result.dueAt.getTime() & 1;
  });
  const naive = perSecond((i) => {
    const rule = RULES[i % RULES.length]!;
    const due = new Date(instants[i % instants.length]!.getTime() + (rule.value ?? 0) * 86_400_000);
    sink += due.getTime() & 1;
  });
  if (sink < 0) process.stdout.write('');
  return { engine, naive };
}
