import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import {
  BASIS_COMPENSATORY,
  BASIS_HOLIDAY,
  BASIS_SWAP,
  officialDaysOff,
  proposeDaysOff,
  type DayOff,
} from './holidays.ts';
import { lunarToSolar } from './lunar.ts';
import { isoWeekday } from './working-calendar.ts';

const OFFICIAL_FILE = new URL('../../../reference-data/calendar/vn-official-days-off.json', import.meta.url);
const official = officialDaysOff(JSON.parse(fs.readFileSync(OFFICIAL_FILE, 'utf8')));

function officialYear(year: number) {
  const entry = official.find((y) => y.year === year);
  assert.ok(entry, `official data for ${year}`);
  return entry;
}

const key = (d: DayOff) => `${d.date} ${d.name} [${d.basis}]`;

/** Entries of `a` not in `b`, compared on date, name and basis. */
function missingFrom(a: DayOff[], b: DayOff[]): string[] {
  const inB = new Set(b.map(key));
  return a.map(key).filter((k) => !inB.has(k));
}

test('the official file gives 2025 and 2026: 12 weekdays off and 1 make-up Saturday each', () => {
  assert.deepEqual(
    official.map((y) => [y.year, y.daysOff.length, y.makeUpWorkingDays.length]),
    [
      [2025, 12, 1],
      [2026, 12, 1],
    ],
  );
  assert.deepEqual(officialYear(2025).makeUpWorkingDays, [
    { date: '2025-04-26', name: 'Làm bù cho ngày nghỉ 02/05/2025' },
  ]);
  assert.deepEqual(officialYear(2026).makeUpWorkingDays, [
    { date: '2026-08-22', name: 'Làm bù cho ngày nghỉ 31/08/2026' },
  ]);
  assert.match(officialYear(2025).source, /github\.com\/tnt305\/tai_lieu_noi_bo@94c5034/);
});

// 2025 (Thông báo 6150/TB-BLĐTBXH): Tết Ất Tỵ on Wednesday 29/01, off 27-31/01 (28 Tết to mùng 3); the proposal's
// Tết rule (five weekdays from two days before mùng 1) gives the same days. The one difference: the Prime
// Minister swapped Friday 02/05 with Saturday 26/04, which no rule can propose.
test('2025: the proposal equals the official days off except the 02/05 swap', () => {
  const proposal = proposeDaysOff(2025);
  const actual = officialYear(2025);
  assert.deepEqual(missingFrom(proposal.daysOff, actual.daysOff), []);
  assert.deepEqual(missingFrom(actual.daysOff, proposal.daysOff), [
    `2025-05-02 Nghỉ hoán đổi dịp Ngày Chiến thắng và Ngày Quốc tế lao động [${BASIS_SWAP}]`,
  ]);
  assert.deepEqual(proposal.makeUpWorkingDays, []);
});

// 2026 (Thông báo 9441/TB-BNV): Tết Bính Ngọ on Tuesday 17/02, off 16-20/02 (29 Tết to mùng 4); Giỗ Tổ on
// Sunday 26/04 compensated on Monday 27/04 (Điều 111 khoản 3); Quốc khánh 01-02/09. The one difference: the
// 31/08 swap (make-up Saturday 22/08).
test('2026: the proposal equals the official days off except the 31/08 swap', () => {
  const proposal = proposeDaysOff(2026);
  const actual = officialYear(2026);
  assert.deepEqual(missingFrom(proposal.daysOff, actual.daysOff), []);
  assert.deepEqual(missingFrom(actual.daysOff, proposal.daysOff), [
    `2026-08-31 Nghỉ hoán đổi dịp Quốc khánh [${BASIS_SWAP}]`,
  ]);
  assert.ok(
    proposal.daysOff.some(
      (d) =>
        d.date === '2026-04-27' && d.name === 'Nghỉ bù Giỗ Tổ Hùng Vương' && d.basis === BASIS_COMPENSATORY,
    ),
  );
});

// 2027: Tết Đinh Mùi on Saturday 06/02 → Thursday 04/02 to Wednesday 10/02 (five weekdays from 04/02); Giỗ Tổ
// Friday 16/04; 01/5 is a Saturday → compensated Monday 03/05; 02/9 is a Thursday → 01/09 is the adjacent day.
test('2027 is provisional and has exactly the expected holidays', () => {
  const proposal = proposeDaysOff(2027);
  assert.equal(proposal.provisional, true);
  assert.equal(proposal.year, 2027);
  assert.deepEqual(proposal.makeUpWorkingDays, []);
  assert.deepEqual(
    proposal.daysOff.map((d) => [d.date, d.name, d.basis]),
    [
      ['2027-01-01', 'Tết Dương lịch', BASIS_HOLIDAY],
      ['2027-02-04', 'Tết Âm lịch', BASIS_HOLIDAY],
      ['2027-02-05', 'Tết Âm lịch', BASIS_HOLIDAY],
      ['2027-02-08', 'Tết Âm lịch', BASIS_HOLIDAY],
      ['2027-02-09', 'Tết Âm lịch', BASIS_HOLIDAY],
      ['2027-02-10', 'Tết Âm lịch', BASIS_HOLIDAY],
      ['2027-04-16', 'Giỗ Tổ Hùng Vương', BASIS_HOLIDAY],
      ['2027-04-30', 'Ngày Chiến thắng', BASIS_HOLIDAY],
      ['2027-05-03', 'Nghỉ bù Ngày Quốc tế lao động', BASIS_COMPENSATORY],
      ['2027-09-01', 'Quốc khánh', BASIS_HOLIDAY],
      ['2027-09-02', 'Quốc khánh', BASIS_HOLIDAY],
    ],
  );
});

// 2023: Giỗ Tổ on Saturday 29/04 and 30/4 on Sunday: both compensated after Monday 01/05, on 02/05 and 03/05.
// Tết Dương lịch on Sunday → Monday 02/01. Quốc khánh on Saturday → 01/09 plus compensatory Monday 04/09.
test('holidays on a weekend are compensated on the next weekdays not already off (2023)', () => {
  assert.deepEqual(
    proposeDaysOff(2023)
      .daysOff.filter((d) => d.basis === BASIS_COMPENSATORY)
      .map((d) => [d.date, d.name]),
    [
      ['2023-01-02', 'Nghỉ bù Tết Dương lịch'],
      ['2023-05-02', 'Nghỉ bù Giỗ Tổ Hùng Vương'],
      ['2023-05-03', 'Nghỉ bù Ngày Chiến thắng'],
      ['2023-09-04', 'Nghỉ bù Quốc khánh'],
    ],
  );
});

test('every proposal 2021-2199 has 11 distinct weekdays off in date order, with mùng 1 in the Tết break', () => {
  for (let year = 2021; year <= 2199; year++) {
    const { daysOff } = proposeDaysOff(year);
    const dates = daysOff.map((d) => d.date);
    assert.equal(dates.length, 11, `${year}`);
    assert.equal(new Set(dates).size, 11, `${year}: distinct dates`);
    assert.deepEqual([...dates].sort(), dates, `${year}: date order`);
    assert.ok(
      dates.every((d) => isoWeekday(d) <= 5),
      `${year}: weekdays only`,
    );
    const tet = lunarToSolar(year, 1, 1);
    const tetDays = daysOff.filter((d) => d.name === 'Tết Âm lịch').map((d) => d.date);
    assert.equal(tetDays.length, 5, `${year}: five Tết days`);
    assert.ok(tetDays[0]! <= tet && tetDays[4]! > tet, `${year}: mùng 1 is in the Tết break`);
  }
});

test('years outside the Labour Code 2019 are refused', () => {
  assert.throws(() => proposeDaysOff(2020), /Bộ luật Lao động 2019 có hiệu lực từ 01\/01\/2021/);
  assert.throws(() => proposeDaysOff(2026.5), RangeError);
});

test('a malformed official entry is refused with a Vietnamese message naming it', () => {
  const base = { makeUpWorkingDays: [], sources: [] };
  const day = { date: '2025-01-01', event: 'tet_duong_lich', kind: 'holiday' };
  assert.throws(
    () => officialDaysOff({ ...base, nonWorkingWeekdays: [day, { ...day, date: '2025-02-30' }] }),
    /nonWorkingWeekdays\[1\] .*"2025-02-30".*ngày không hợp lệ/,
  );
  assert.throws(
    () => officialDaysOff({ ...base, nonWorkingWeekdays: [{ ...day, date: '2025-01-04' }] }),
    /nonWorkingWeekdays\[0\].*thứ Bảy hoặc Chủ nhật/,
  );
  assert.throws(
    () => officialDaysOff({ ...base, nonWorkingWeekdays: [{ ...day, event: 'trung_thu' }] }),
    /sự kiện \(event\) không nhận ra/,
  );
  assert.throws(() => officialDaysOff({ ...base, nonWorkingWeekdays: [day, day] }), /bị trùng ngày/);
  assert.throws(
    () => officialDaysOff({ nonWorkingWeekdays: [], makeUpWorkingDays: [{ date: '2025-04-28' }] }),
    /makeUpWorkingDays\[0\].*không rơi vào thứ Bảy hoặc Chủ nhật/,
  );
  assert.throws(
    () => officialDaysOff({ nonWorkingWeekdays: {} }),
    /nonWorkingWeekdays .*phải là một danh sách/,
  );
});
