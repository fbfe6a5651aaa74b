import assert from 'node:assert/strict';
import { test } from 'node:test';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { qrMatrix, qrPngDataUrl, qrSvg } from './qr-code.ts';

// jsqr is CommonJS with `exports.default`; its types describe only the default export.
const jsQR = jsQRModule.default;

const URL_TEXT = 'https://dichvucong.laocai.gov.vn/thu-tuc/1.001193.000.00.00.H12';

function decodePngDataUrl(dataUrl: string): string | undefined {
  assert.match(dataUrl, /^data:image\/png;base64,/);
  const png = PNG.sync.read(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

test('a PNG QR code decodes to the text, Vietnamese included', async () => {
  assert.equal(decodePngDataUrl(await qrPngDataUrl(URL_TEXT)), URL_TEXT);
  // Byte mode carries UTF-8: diacritics survive.
  assert.equal(decodePngDataUrl(await qrPngDataUrl('Đăng ký khai sinh', { scale: 4 })), 'Đăng ký khai sinh');
});

test('the matrix has the size of its version and a finder pattern in the corner', () => {
  const matrix = qrMatrix(URL_TEXT, { errorCorrection: 'M' });
  // 63 characters at level M: the digit runs go in numeric segments, so version 4 (17 + 4 × 4 modules) holds them.
  assert.equal(matrix.length, 33);
  assert.ok(matrix.every((row) => row.length === 33));
  assert.deepEqual(matrix[0]!.slice(0, 8), [true, true, true, true, true, true, true, false]);
  assert.deepEqual(matrix[3]!.slice(0, 7), [true, false, true, true, true, false, true]);
});

test('the SVG draws every dark module once, inside the quiet zone', () => {
  const matrix = qrMatrix('xaso');
  const svg = qrSvg('xaso', { size: 120 });
  const extent = matrix.length + 8;
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.includes(`viewBox="0 0 ${extent} ${extent}"`));
  assert.ok(svg.includes('width="120" height="120"'));
  const runs = [...svg.matchAll(/M(\d+) ([\d.]+)h(\d+)/g)].map((m) => m.slice(1).map(Number));
  const dark = matrix.flat().filter(Boolean).length;
  assert.equal(
    runs.reduce((sum, [, , length]) => sum + length!, 0),
    dark,
  );
  assert.ok(runs.every(([x, y]) => x! >= 4 && y! >= 4.5 && x! < extent - 4 && y! < extent - 4));
});
