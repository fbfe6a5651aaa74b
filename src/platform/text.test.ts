import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldText } from './text.ts';

test('folding removes diacritics, lower-cases and maps đ to d', () => {
  assert.equal(foldText('Phường Ba Đình'), 'phuong ba dinh');
  assert.equal(foldText('Đặc khu Phú Quốc'), 'dac khu phu quoc');
  assert.equal(foldText('  Xã  Tả Phìn - 02647 '), 'xa ta phin 02647');
  // Precomposed and decomposed forms of the same letter fold alike.
  assert.equal(foldText('Hoa\u0300'), foldText('Hoà'));
});

test('the search key unifies the i/y spellings of a final vowel after a consonant', async () => {
  const { searchKey } = await import('./text.ts');
  assert.equal(searchKey('Đăng ký khai sinh'), searchKey('đăng kí khai sinh'));
  assert.equal(searchKey('Quý'), searchKey('quí'));
  assert.equal(searchKey('lý lịch'), 'li lich');
  // A y that is not a final vowel after a consonant stays: yêu, thủy, tuyển.
  assert.equal(searchKey('yêu cầu thủy lợi tuyển'), 'yeu cau thuy loi tuyen');
});
