// The deadline and fee readers against the kinds of text provincial announcement decisions and the national portal
// write. Each case says why it is there; the texts are typical forms, not rows copied to make one file pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CutoffRule, FeeItem, ProcessingTimeRule } from './procedure-record.ts';
import { describeFees, describeProcessingTime, parseFees, parseProcessingTime } from './procedure-text.ts';

const SAME_DAY_CUTOFF: CutoffRule = {
  time: '15:00',
  effect: 'next_working_day',
  afterCutoff: { value: 1, unit: 'working_day' },
  text: 'trong ngày làm việc tiếp theo nếu tiếp nhận yêu cầu sau 15 giờ',
};

interface TimeCase {
  text: string;
  /** Compared with deepEqual against the same keys of the result (absent keys must be absent). */
  expected: Pick<ProcessingTimeRule, 'value' | 'unit' | 'parsed'> &
    Partial<Pick<ProcessingTimeRule, 'isMaximum' | 'cutoff'>>;
  /** A problem that must be reported; without it, a parsed rule must report none. */
  problem?: RegExp;
}

const WORKING_DAYS = (value: number) => ({ value, unit: 'working_day' as const, parsed: true });
const UNPARSED = { value: null, unit: null, parsed: false };

const TIME_CASES: [why: string, TimeCase][] = [
  // The commonest form: leading zero, working days.
  ['leading zero, working days', { text: '03 ngày làm việc', expected: WORKING_DAYS(3) }],
  // The start of the count is stated but does not change the period.
  [
    'period followed by when it starts',
    { text: '3 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ', expected: WORKING_DAYS(3) },
  ],
  // "Không quá" makes it a maximum, not a fixed duration.
  [
    'không quá: a maximum',
    { text: 'Không quá 02 ngày làm việc', expected: { ...WORKING_DAYS(2), isMaximum: true } },
  ],
  // Announcement decisions repeat the number in words in brackets.
  [
    'number repeated in words in brackets',
    {
      text: 'Không quá 02 (hai) ngày làm việc, kể từ ngày nhận đủ hồ sơ yêu cầu chứng thực',
      expected: { ...WORKING_DAYS(2), isMaximum: true },
    },
  ],
  // "tối đa" is another way to write a maximum.
  [
    'tối đa: a maximum',
    { text: 'Trong thời hạn tối đa 10 ngày làm việc', expected: { ...WORKING_DAYS(10), isMaximum: true } },
  ],
  // "ngày" without "làm việc" is calendar days.
  ['plain ngày: calendar days', { text: '05 ngày', expected: { value: 5, unit: 'day', parsed: true } }],
  // Calendar days followed by the start of the count.
  [
    'calendar days with start of count',
    { text: '15 ngày kể từ ngày nhận đủ hồ sơ', expected: { value: 15, unit: 'day', parsed: true } },
  ],
  // Working hours (e.g. certificates of origin) are their own unit.
  ['working hours', { text: '04 giờ làm việc', expected: { value: 4, unit: 'working_hour', parsed: true } }],
  // Plain hours.
  ['hours', { text: '02 giờ', expected: { value: 2, unit: 'hour', parsed: true } }],
  // "sau 02 giờ kể từ khi nhận" is a duration of two hours, not a 02:00 cut-off.
  [
    'sau + small hour count is a duration',
    {
      text: 'Trả kết quả sau 02 giờ kể từ khi nhận đủ hồ sơ',
      expected: { value: 2, unit: 'hour', parsed: true },
    },
  ],
  // The national portal capitalises every word of the unit.
  ['portal capitalisation', { text: '3 Ngày Làm Việc', expected: WORKING_DAYS(3) }],
  // Cells copied from PDFs carry double spaces and line breaks inside the unit.
  ['spaces and line breaks inside the unit', { text: '03 ngày  làm\nviệc', expected: WORKING_DAYS(3) }],
  // Decomposed (NFD) input must read like composed input.
  ['NFD input', { text: '05 ngày làm việc'.normalize('NFD'), expected: WORKING_DAYS(5) }],
  // Upper-case cells.
  ['upper case', { text: '07 NGÀY LÀM VIỆC', expected: WORKING_DAYS(7) }],
  // Same-day forms.
  ['Trong ngày', { text: 'Trong ngày', expected: { value: 0, unit: 'immediate', parsed: true } }],
  ['Ngay trong ngày', { text: 'Ngay trong ngày', expected: { value: 0, unit: 'immediate', parsed: true } }],
  ['Giải quyết ngay', { text: 'Giải quyết ngay', expected: { value: 0, unit: 'immediate', parsed: true } }],
  // The civil-status/certification wording with its 15:00 cut-off (QĐ 1872/QĐ-BTP style).
  [
    'same day with a 15:00 cut-off and next working day',
    {
      text: 'Ngay trong ngày cơ quan, tổ chức tiếp nhận yêu cầu hoặc trong ngày làm việc tiếp theo nếu tiếp nhận yêu cầu sau 15 giờ',
      expected: { value: 0, unit: 'immediate', parsed: true, cutoff: SAME_DAY_CUTOFF },
    },
  ],
  // The cut-off written first, then its consequence.
  [
    'cut-off clause written receipt-first',
    {
      text: 'Ngay trong ngày; trường hợp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo',
      expected: {
        value: 0,
        unit: 'immediate',
        parsed: true,
        cutoff: {
          ...SAME_DAY_CUTOFF,
          text: 'trường hợp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo',
        },
      },
    },
  ],
  // "15 giờ 00" is 15:00.
  [
    'cut-off written 15 giờ 00',
    {
      text: 'Trong ngày; hồ sơ nhận sau 15 giờ 00 thì trả trong ngày làm việc tiếp theo',
      expected: {
        value: 0,
        unit: 'immediate',
        parsed: true,
        cutoff: {
          ...SAME_DAY_CUTOFF,
          text: 'hồ sơ nhận sau 15 giờ 00 thì trả trong ngày làm việc tiếp theo',
        },
      },
    },
  ],
  // "15h" is 15:00.
  [
    'cut-off written 15h',
    {
      text: 'Trong ngày (hồ sơ nhận sau 15h trả vào ngày làm việc tiếp theo)',
      expected: {
        value: 0,
        unit: 'immediate',
        parsed: true,
        cutoff: { ...SAME_DAY_CUTOFF, text: 'hồ sơ nhận sau 15h trả vào ngày làm việc tiếp theo' },
      },
    },
  ],
  // Minutes are kept: "15 giờ 30 phút" is 15:30.
  [
    'cut-off with minutes',
    {
      text: 'Trong ngày; nhận sau 15 giờ 30 phút thì trả trong ngày làm việc tiếp theo',
      expected: {
        value: 0,
        unit: 'immediate',
        parsed: true,
        cutoff: {
          ...SAME_DAY_CUTOFF,
          time: '15:30',
          text: 'nhận sau 15 giờ 30 phút thì trả trong ngày làm việc tiếp theo',
        },
      },
    },
  ],
  // A cut-off on a rule in days moves the start of the count; it does not replace the period by one day.
  [
    'cut-off on a rule in days has no afterCutoff period',
    {
      text: '03 ngày làm việc (hồ sơ nhận sau 15 giờ được tính vào ngày làm việc tiếp theo)',
      expected: {
        ...WORKING_DAYS(3),
        cutoff: {
          time: '15:00',
          effect: 'next_working_day',
          text: 'hồ sơ nhận sau 15 giờ được tính vào ngày làm việc tiếp theo',
        },
      },
    },
  ],
  // Numbers in words.
  ['number in words: ba', { text: 'ba ngày làm việc', expected: WORKING_DAYS(3) }],
  ['number in words: năm (five, not year)', { text: 'năm ngày làm việc', expected: WORKING_DAYS(5) }],
  ['number in words: mười', { text: 'Mười ngày làm việc', expected: WORKING_DAYS(10) }],
  [
    'number in words: mười lăm',
    { text: 'mười lăm ngày', expected: { value: 15, unit: 'day', parsed: true } },
  ],
  [
    'number in words: hai mươi',
    { text: 'hai mươi ngày', expected: { value: 20, unit: 'day', parsed: true } },
  ],
  [
    'number in words: hai mươi mốt',
    { text: 'hai mươi mốt ngày', expected: { value: 21, unit: 'day', parsed: true } },
  ],
  // Months have no fixed length in days and TimeUnit has no month: flagged, never converted.
  ['months are not supported', { text: '01 tháng', expected: UNPARSED, problem: /tháng.*không tự quy đổi/ }],
  // "hai năm" is two years, not "two five".
  ['years are not supported', { text: 'hai năm', expected: UNPARSED, problem: /năm/ }],
  // Two periods for two cases: the general one is taken and the other reported.
  [
    'general period plus a special case',
    {
      text: '05 ngày làm việc; trường hợp phải xác minh thì không quá 10 ngày làm việc',
      expected: WORKING_DAYS(5),
      problem: /thời hạn khác.*trường hợp phải xác minh thì không quá 10 ngày làm việc/,
    },
  ],
  // An extension of a same-day rule is another case, reported.
  [
    'same day with an extension case',
    {
      text:
        'Ngay trong ngày cơ quan, tổ chức tiếp nhận yêu cầu hoặc trong ngày làm việc tiếp theo nếu tiếp nhận yêu cầu sau 15 giờ. ' +
        'Trường hợp phức tạp thì được kéo dài thêm không quá 02 (hai) ngày làm việc',
      expected: { value: 0, unit: 'immediate', parsed: true, cutoff: SAME_DAY_CUTOFF },
      problem: /kéo dài thêm không quá 02 \(hai\) ngày làm việc/,
    },
  ],
  // A date in the text is not a period.
  [
    'a date is not a period',
    { text: '20 ngày làm việc (theo Nghị định ngày 30 tháng 6 năm 2025)', expected: WORKING_DAYS(20) },
  ],
  // The portal often shows a number without its unit.
  ['bare number', { text: '7', expected: UNPARSED, problem: /^thiếu đơn vị thời gian$/ }],
  ['empty', { text: '', expected: UNPARSED, problem: /chưa có thời hạn/ }],
  ['no information', { text: 'Không có thông tin', expected: UNPARSED, problem: /Không có thông tin/ }],
  [
    'a sentence without a period',
    { text: 'Không phải trả kết quả cho người nộp thuế', expected: UNPARSED, problem: /không đọc được/ },
  ],
];

for (const [why, { text, expected, problem }] of TIME_CASES) {
  test(`processing time: ${why}`, () => {
    const rule = parseProcessingTime(text);
    assert.equal(rule.text, text, 'the original text is kept exactly');
    const picked = Object.fromEntries(
      (['value', 'unit', 'parsed', 'isMaximum', 'cutoff'] as const)
        .filter((k) => rule[k] !== undefined)
        .map((k) => [k, rule[k]]),
    );
    assert.deepEqual(picked, expected);
    if (problem) {
      assert.ok(
        rule.problems?.some((p) => problem.test(p)),
        `a problem matching ${problem}: ${JSON.stringify(rule.problems)}`,
      );
    } else assert.equal(rule.problems, undefined);
  });
}

interface FeeCase {
  text: string;
  /** Compared with deepEqual against every item, without `text` and `problems`. */
  expected: Omit<FeeItem, 'text' | 'problems'>[];
  problem?: RegExp;
}

const FREE = { amountVnd: 0, free: true, parsed: true };
const VND = (amountVnd: number, per?: string, note?: string) => ({
  amountVnd,
  free: false,
  ...(per ? { per } : {}),
  ...(note ? { note } : {}),
  parsed: true,
});

const FEE_CASES: [why: string, FeeCase][] = [
  // The announcement's "Không" means no fee.
  ['Không', { text: 'Không', expected: [FREE] }],
  ['Miễn phí', { text: 'Miễn phí', expected: [FREE] }],
  ['Không thu phí', { text: 'Không thu phí', expected: [FREE] }],
  // With a fee label in front.
  ['labelled free', { text: 'Phí, lệ phí: Không', expected: [FREE] }],
  // A free cell that cites the council's resolution: free, the citation kept as note.
  [
    'free under the provincial council’s resolution',
    {
      text: 'Miễn phí theo Nghị quyết của Hội đồng nhân dân tỉnh',
      expected: [{ ...FREE, note: 'theo Nghị quyết của Hội đồng nhân dân tỉnh' }],
    },
  ],
  // The portal's "Miễn phí" beside "the council sets the level": kept free, deferral noted and flagged.
  [
    'portal free with a deferral to the council',
    {
      text: 'Miễn phí(Mức lệ phí (nếu có) theo quy định của Hội đồng nhân dân cấp tỉnh.)',
      expected: [{ ...FREE, note: 'Mức lệ phí (nếu có) theo quy định của Hội đồng nhân dân cấp tỉnh' }],
      problem: /mức thu do văn bản khác quy định/,
    },
  ],
  // A deferral without "free": no amount, not parsed, note kept.
  [
    'only a deferral',
    {
      text: 'Theo Nghị quyết của Hội đồng nhân dân tỉnh',
      expected: [
        { amountVnd: null, free: false, note: 'Theo Nghị quyết của Hội đồng nhân dân tỉnh', parsed: false },
      ],
      problem: /chưa ghi mức phí cụ thể/,
    },
  ],
  ['amount per copy', { text: '50.000 đồng/bản', expected: [VND(50000, 'bản')] }],
  ['amount per time', { text: '50.000 đồng/lần', expected: [VND(50000, 'lần')] }],
  ['millions with dots', { text: '1.500.000 đồng', expected: [VND(1500000)] }],
  // The copy-certification tariff: three items, the context of each in its note.
  [
    'tiered per-page fee with a maximum',
    {
      text: '2.000 đồng/trang; từ trang thứ ba trở lên thu 1.000 đồng/trang, tối đa không quá 200.000 đồng/bản',
      expected: [
        VND(2000, 'trang'),
        VND(1000, 'trang', 'từ trang thứ ba trở lên'),
        VND(200000, 'bản', 'tối đa'),
      ],
    },
  ],
  // A label and an explanatory bracket around one amount.
  [
    'label and explanatory bracket',
    {
      text: 'Phí: 10.000 đồng/trường hợp (trường hợp được tính là một hoặc nhiều chữ ký trong một giấy tờ, văn bản)',
      expected: [VND(10000, 'trường hợp')],
    },
  ],
  // The portal writes thousands with commas.
  ['portal comma thousands', { text: '120,000 VNĐ', expected: [VND(120000)] }],
  ['đ glued to the number', { text: '10.000đ', expected: [VND(10000)] }],
  ['VND without the bar', { text: '10.000 VND', expected: [VND(10000)] }],
  ['space thousands', { text: '10 000 đồng', expected: [VND(10000)] }],
  ['decimal with a multiplier word', { text: '1,5 triệu đồng/hồ sơ', expected: [VND(1500000, 'hồ sơ')] }],
  // The portal repeats the amount in its description, with the unit.
  [
    'portal amount confirmed by its description',
    { text: '70,000 VNĐ(70.000 đồng/Giấy chứng nhận.)', expected: [VND(70000, 'Giấy chứng nhận')] },
  ],
  [
    'portal per-unit in brackets',
    { text: '50,000 Việt Nam Đồng(/văn bản)', expected: [VND(50000, 'văn bản')] },
  ],
  // Amount and description disagree (the portal glued a bare time "1" to "20"): never pick one.
  [
    'portal amount contradicted by its description',
    {
      text: '120 VNĐ(20.000 vnđ/tờ khai)',
      expected: [{ amountVnd: null, free: false, parsed: false }],
      problem: /khác với mức trong phần mô tả/,
    },
  ],
  // Below 1.000 đồng no fee exists: kept as written, flagged.
  [
    'implausibly small amount',
    {
      text: '120 VNĐ',
      expected: [{ amountVnd: 120, free: false, parsed: false }],
      problem: /nhỏ bất thường/,
    },
  ],
  // A fee and an exemption list for some applicants.
  [
    'fee with an exemption list',
    {
      text: '8.000 đồng/bản. Miễn lệ phí cho người thuộc hộ nghèo; người khuyết tật.',
      expected: [VND(8000, 'bản'), { ...FREE, note: 'cho người thuộc hộ nghèo; người khuyết tật' }],
    },
  ],
  // A negative amount is never an amount.
  [
    'negative amount',
    {
      text: '-50.000 đồng',
      expected: [{ amountVnd: null, free: false, parsed: false }],
      problem: /mức phí âm/,
    },
  ],
  // A list bullet before an amount is not a minus sign.
  ['bullet before an amount', { text: '- 50.000 đồng/bản', expected: [VND(50000, 'bản')] }],
  // Foreign currency: kept as text.
  [
    'USD',
    {
      text: '10 USD(/bản)',
      expected: [{ amountVnd: null, free: false, per: 'bản', parsed: false }],
      problem: /^phí tính bằng ngoại tệ \(USD\)$/,
    },
  ],
  [
    'no information',
    {
      text: 'Không có thông tin',
      expected: [{ amountVnd: null, free: false, parsed: false }],
      problem: /chưa rõ/,
    },
  ],
  // "Không quá …" is a maximum, not "free".
  [
    'không quá is not free',
    { text: 'Không quá 100.000 đồng/hồ sơ', expected: [VND(100000, 'hồ sơ', 'tối đa')] },
  ],
  [
    'unreadable',
    {
      text: 'Có thu phí',
      expected: [{ amountVnd: null, free: false, parsed: false }],
      problem: /không đọc được/,
    },
  ],
];

for (const [why, { text, expected, problem }] of FEE_CASES) {
  test(`fees: ${why}`, () => {
    const items = parseFees(text);
    assert.deepEqual(
      items.map(({ text: _text, problems: _problems, ...rest }) => rest),
      expected,
    );
    if (items.length === 1) assert.equal(items[0]!.text, text, 'a single item keeps the whole original text');
    for (const item of items)
      assert.ok(item.amountVnd === null || item.amountVnd >= 0, 'never a negative amount');
    const problems = items.flatMap((i) => i.problems ?? []);
    if (problem)
      assert.ok(
        problems.some((p) => problem.test(p)),
        `a problem matching ${problem}: ${JSON.stringify(problems)}`,
      );
    else assert.deepEqual(problems, []);
  });
}

test('fees: an empty cell has no items', () => {
  assert.deepEqual(parseFees(''), []);
  assert.deepEqual(parseFees('  \n '), []);
});

test('fees: several items each keep their part of the cell, nothing of it lost', () => {
  const text =
    'Phí: 2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang, tối đa thu không quá 200.000 đồng/bản. Trang là căn cứ để thu phí';
  assert.deepEqual(
    parseFees(text).map((i) => i.text),
    [
      'Phí: 2.000 đồng/trang',
      'từ trang thứ 3 trở lên thu 1.000 đồng/trang',
      'tối đa thu không quá 200.000 đồng/bản. Trang là căn cứ để thu phí',
    ],
  );
});

test('fees: decomposed and upper-case text reads the same', () => {
  const composed = parseFees('Phí: 50.000 đồng/bản');
  const decomposed = parseFees('PHÍ: 50.000 ĐỒNG/BẢN'.normalize('NFD'));
  assert.deepEqual(
    decomposed.map((i) => [i.amountVnd, i.per?.toLowerCase()]),
    composed.map((i) => [i.amountVnd, i.per]),
  );
});

const DESCRIBE_TIME_CASES: [why: string, rule: ProcessingTimeRule, expected: string][] = [
  // Numbers without leading zeros.
  [
    'working days',
    { text: '03 ngày làm việc', value: 3, unit: 'working_day', parsed: true },
    '3 ngày làm việc',
  ],
  [
    'a maximum',
    { text: 'Không quá 02 ngày làm việc', value: 2, unit: 'working_day', isMaximum: true, parsed: true },
    'Tối đa 2 ngày làm việc',
  ],
  [
    'working hours',
    { text: '04 giờ làm việc', value: 4, unit: 'working_hour', parsed: true },
    '4 giờ làm việc',
  ],
  ['calendar days', { text: '15 ngày', value: 15, unit: 'day', parsed: true }, '15 ngày'],
  [
    'same day with its cut-off',
    { text: '…', value: 0, unit: 'immediate', cutoff: SAME_DAY_CUTOFF, parsed: true },
    'Trong ngày (nhận sau 15:00 thì trả trong ngày làm việc tiếp theo)',
  ],
  // What a citizen cannot be told as a number is shown as the source wrote it.
  ['unparsed shows the text', { text: '01 tháng', value: null, unit: null, parsed: false }, '01 tháng'],
];

for (const [why, rule, expected] of DESCRIBE_TIME_CASES) {
  test(`describe processing time: ${why}`, () => assert.equal(describeProcessingTime(rule), expected));
}

test('describe processing time: what the parser reads, a citizen can read back', () => {
  assert.equal(
    describeProcessingTime(
      parseProcessingTime(
        'Ngay trong ngày cơ quan, tổ chức tiếp nhận yêu cầu hoặc trong ngày làm việc tiếp theo nếu tiếp nhận yêu cầu sau 15 giờ',
      ),
    ),
    'Trong ngày (nhận sau 15:00 thì trả trong ngày làm việc tiếp theo)',
  );
});

const DESCRIBE_FEE_CASES: [why: string, text: string, expected: string][] = [
  ['free', 'Không', 'Miễn phí'],
  ['one amount with thousands dots', '50.000 đồng/bản', '50.000 đồng/bản'],
  ['millions', '1.500.000 đồng', '1.500.000 đồng'],
  [
    'several items joined with "; " and their context',
    '2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang, tối đa không quá 200.000 đồng/bản',
    '2.000 đồng/trang; 1.000 đồng/trang (từ trang thứ 3 trở lên); 200.000 đồng/bản (tối đa)',
  ],
  // An unparsed item is shown as written, so nobody reads a wrong amount.
  ['unparsed shows the text', '120 VNĐ(20.000 vnđ/tờ khai)', '120 VNĐ(20.000 vnđ/tờ khai)'],
  ['no items', '', ''],
];

for (const [why, text, expected] of DESCRIBE_FEE_CASES) {
  test(`describe fees: ${why}`, () => assert.equal(describeFees(parseFees(text)), expected));
}
