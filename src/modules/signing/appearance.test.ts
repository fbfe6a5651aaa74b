// The appearance rules of DOMAIN.md §10 as geometry and text: the ISO 8601 time in Vietnam time, the signature
// image centred in its block, the seal overlapping a third of the signature on its left, the copy box top right.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { formatVietnamIso } from '../../platform/clock.ts';
import {
  A4,
  authorityAppearance,
  electronicCopyAppearance,
  personalSignatureRect,
  pngSize,
  sealAppearance,
} from './appearance.ts';

function png(width: number, height: number): Buffer {
  return PNG.sync.write(new PNG({ width, height }));
}

const block = { x: 330, y: 500, width: 180, height: 80 };
const signedAt = new Date('2026-12-01T02:15:30.250Z');

describe('signature appearances (NĐ 30/2020, DOMAIN §10)', () => {
  test('the time is ISO 8601 in Vietnam time, to the second, with +07:00', () => {
    assert.equal(formatVietnamIso(signedAt), '2026-12-01T09:15:30+07:00');
    // Across midnight and the new year in Vietnam while it is still the old day in UTC.
    assert.equal(formatVietnamIso(new Date('2026-12-31T17:00:00Z')), '2027-01-01T00:00:00+07:00');
    assert.match(formatVietnamIso(new Date(Date.now())), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
  });

  test('an authority without an image: who signed and when, in the signature block', () => {
    const appearance = authorityAppearance({
      signatureBlock: block,
      signerName: 'Giàng A Páo',
      signingTime: signedAt,
    });
    assert.deepEqual(appearance.rect, block);
    assert.equal(appearance.image, undefined);
    assert.deepEqual(appearance.lines, ['Người ký: Giàng A Páo', 'Thời gian ký: 2026-12-01T09:15:30+07:00']);
    assert.equal(appearance.fontSize, 10);
  });

  test('an authority with an image: the image centred in the block above the name, its aspect kept', () => {
    const appearance = authorityAppearance({
      signatureBlock: block,
      signerName: 'Giàng A Páo',
      signingTime: signedAt,
      signatureImage: png(300, 100),
    });
    const image = appearance.imageRect!;
    assert.deepEqual(appearance.lines, ['Giàng A Páo']);
    assert.ok(Math.abs(image.width / image.height - 3) < 1e-9, 'aspect ratio kept');
    assert.ok(Math.abs(image.x + image.width / 2 - block.width / 2) < 1e-9, 'centred across');
    assert.ok(image.y >= 10 && image.y + image.height <= block.height + 1e-9, 'above the name line, inside');
  });

  test('the seal overlaps about a third of the personal signature, on its left, at its actual size', () => {
    const authority = authorityAppearance({
      signatureBlock: block,
      signerName: 'Giàng A Páo',
      signingTime: signedAt,
      signatureImage: png(300, 100),
    });
    const signature = personalSignatureRect(authority);
    const seal = sealAppearance({
      personalSignature: signature,
      agencyName: 'UBND xã Bảo Yên',
      signingTime: signedAt,
      sealImage: png(400, 400),
      sealDiameterMm: 36,
    });
    const diameter = (36 * 72) / 25.4;
    assert.ok(Math.abs(seal.rect.width - diameter) < 1e-9 && Math.abs(seal.rect.height - diameter) < 1e-9);
    const overlap = seal.rect.x + seal.rect.width - signature.x;
    assert.ok(Math.abs(overlap / signature.width - 1 / 3) < 1e-9, `overlap ${overlap} of ${signature.width}`);
    assert.ok(seal.rect.x < signature.x, 'the seal is on the left');
    assert.ok(
      Math.abs(seal.rect.y + seal.rect.height / 2 - (signature.y + signature.height / 2)) < 1e-9,
      'centred on the signature vertically',
    );
    for (const [key, value] of Object.entries({ x: 0, y: 0, width: diameter, height: diameter }))
      assert.ok(
        Math.abs(seal.imageRect![key as 'x'] - value) < 1e-9,
        `the seal image fills its box (${key})`,
      );

    const text = sealAppearance({
      personalSignature: signature,
      agencyName: 'UBND xã Bảo Yên',
      signingTime: signedAt,
    });
    assert.deepEqual(text.lines, ['Cơ quan: UBND xã Bảo Yên', 'Thời gian ký: 2026-12-01T09:15:30+07:00']);
    assert.ok(Math.abs(text.rect.x + text.rect.width - (signature.x + signature.width / 3)) < 1e-9);
  });

  test('an electronic copy: no image, top right of page 1, Tinos 10, form, agency and ISO time', () => {
    const copy = electronicCopyAppearance({
      copyForm: 'SAO Y',
      copyingAgency: 'UBND xã Bảo Yên',
      copiedAt: signedAt,
    });
    assert.equal(copy.page, 0);
    assert.equal(copy.image, undefined);
    assert.equal(copy.fontSize, 10);
    assert.deepEqual(copy.lines, ['SAO Y', 'UBND xã Bảo Yên', 'Thời gian ký: 2026-12-01T09:15:30+07:00']);
    assert.ok(Math.abs(A4.width - (copy.rect.x + copy.rect.width) - (20 * 72) / 25.4) < 1e-9, 'right margin');
    assert.ok(copy.rect.y + copy.rect.height <= A4.height && copy.rect.y > A4.height - 100, 'at the top');
  });

  test('an image that is not a PNG is refused', () => {
    assert.deepEqual(pngSize(png(7, 5)), { width: 7, height: 5 });
    assert.throws(() => pngSize(Buffer.from('GIF89a')), /not a PNG/);
  });
});
