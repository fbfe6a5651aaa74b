// The e-form engine on a birth-registration form shaped as a province would publish it: pages, types, messages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_EFORM, answerText, eFormPages, readPage, unansweredPages } from './eform.ts';

const BIRTH = {
  type: 'object',
  required: ['child', 'relationship'],
  properties: {
    child: {
      type: 'object',
      title: 'Thông tin người được đăng ký khai sinh',
      required: ['fullName', 'birthDate', 'sex'],
      properties: {
        fullName: { type: 'string', title: 'Họ, chữ đệm, tên', minLength: 2, maxLength: 100 },
        birthDate: { type: 'string', format: 'date', title: 'Ngày, tháng, năm sinh' },
        sex: { type: 'string', title: 'Giới tính', enum: ['nam', 'nu'], 'x-enumNames': ['Nam', 'Nữ'] },
        birthOrder: { type: 'integer', title: 'Con thứ mấy', minimum: 1, maximum: 20 },
      },
    },
    relationship: {
      type: 'string',
      title: 'Quan hệ với người được khai sinh',
      oneOf: [
        { const: 'cha', title: 'Cha' },
        { const: 'me', title: 'Mẹ' },
      ],
    },
    wantsCopy: { type: 'boolean', title: 'Đề nghị cấp bản sao Giấy khai sinh' },
    photo: { type: 'array', title: 'Không hỗ trợ' },
  },
};

describe('e-form pages', () => {
  test('an object is one page of questions; every other property a page of its own; unknown types left out', () => {
    const pages = eFormPages(BIRTH);
    assert.deepEqual(
      pages.map((p) => [p.slug, p.fields.map((f) => `${f.name}:${f.kind}${f.required ? '*' : ''}`)]),
      [
        [
          'child',
          ['child.fullName:text*', 'child.birthDate:date*', 'child.sex:choice*', 'child.birthOrder:integer'],
        ],
        ['relationship', ['relationship:choice*']],
        ['wantsCopy', ['wantsCopy:yes_no']],
      ],
    );
    assert.deepEqual(
      eFormPages(null).map((p) => p.slug),
      ['requestSummary'],
      'no e-form: the request in words',
    );
    assert.equal(eFormPages(DEFAULT_EFORM)[0]!.fields[0]!.kind, 'textarea');
  });

  test('answers are read in their types, with a Vietnamese message naming the question', () => {
    const [child, relationship, wantsCopy] = eFormPages(BIRTH);
    const bad = readPage(child!, {
      'child.fullName': 'A',
      'child.birthDate': '2026-02-30',
      'child.sex': 'khac',
      'child.birthOrder': '1,5',
    });
    assert.deepEqual(
      bad.errors.map((e) => e.message),
      [
        '“Họ, chữ đệm, tên” cần ít nhất 2 ký tự.',
        '“Ngày, tháng, năm sinh” phải là một ngày có thật, ví dụ 20/11/2026.',
        'Chọn một trong các câu trả lời của “Giới tính”.',
        '“Con thứ mấy” phải là số nguyên, ví dụ 2.',
      ],
    );
    const good = readPage(child!, {
      'child.fullName': 'Lò Văn An',
      'child.birthDate': '2026-11-20',
      'child.sex': 'nam',
      'child.birthOrder': '',
    });
    assert.deepEqual(good, {
      answers: { 'child.fullName': 'Lò Văn An', 'child.birthDate': '2026-11-20', 'child.sex': 'nam' },
      errors: [],
    });
    assert.deepEqual(
      readPage(relationship!, {}).errors[0]!.message,
      'Chọn một câu trả lời cho “Quan hệ với người được khai sinh”.',
    );
    assert.deepEqual(readPage(wantsCopy!, { wantsCopy: 'true' }).answers, { wantsCopy: true });
    assert.equal(answerText(child!.fields[1]!, '2026-11-20'), '20/11/2026');
    assert.equal(answerText(child!.fields[2]!, 'nu'), 'Nữ');
    assert.equal(answerText(wantsCopy!.fields[0]!, false), 'Không');
    assert.deepEqual(
      unansweredPages(eFormPages(BIRTH), good.answers).map((p) => p.slug),
      ['relationship'],
      'the summary sends the applicant back to what is missing',
    );
  });
});
