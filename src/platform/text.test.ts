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
