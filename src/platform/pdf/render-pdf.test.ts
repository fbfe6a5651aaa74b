import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { pdfInfo, pdfText, requirePdfTools } from '../../../test/support/pdf.ts';
import { PDF_FONTS, renderPdf, renderPdfDocument } from './render-pdf.ts';

const run = promisify(execFile);

async function embeddedFonts(pdf: Buffer): Promise<string[]> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-pdffonts-'));
  try {
    fs.writeFileSync(path.join(directory, 'document.pdf'), pdf);
    const { stdout } = await run('pdffonts', [path.join(directory, 'document.pdf')]);
    // name type encoding emb sub uni: keep the embedded ones, without the subset prefix.
    return stdout
      .split('\n')
      .slice(2)
      .filter((line) => / yes +yes +yes /.test(line))
      .map((line) => line.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''));
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

test('an A4 PDF with Vietnamese metadata and both embedded faces, text extracted as written', async (t) => {
  if (!requirePdfTools(t)) return;
  const rendered = await renderPdfDocument({
    info: { title: 'Phiếu kiểm tra phông chữ', author: 'Ủy ban nhân dân xã Tân Phú' },
    content: [
      { text: 'Cộng hòa Xã hội Chủ nghĩa Việt Nam', font: PDF_FONTS.serif, bold: true },
      { text: 'Độc lập - Tự do - Hạnh phúc', font: PDF_FONTS.serif, italics: true },
      // Decomposed (NFD) input comes out precomposed.
      { text: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả'.normalize('NFD') },
    ],
  });
  assert.equal(rendered.pageCount, 1);
  const info = await pdfInfo(rendered.buffer);
  assert.equal(info.Title, 'Phiếu kiểm tra phông chữ');
  assert.equal(info.Author, 'Ủy ban nhân dân xã Tân Phú');
  assert.match(info['Page size']!, /595\.28 x 841\.89 pts \(A4\)/);
  const text = await pdfText(rendered.buffer);
  assert.ok(text.includes('Cộng hòa Xã hội Chủ nghĩa Việt Nam'), text);
  assert.ok(text.includes('Độc lập - Tự do - Hạnh phúc'), text);
  assert.ok(text.includes('Giấy tiếp nhận hồ sơ và hẹn trả kết quả'.normalize('NFC')), text);
  assert.deepEqual((await embeddedFonts(rendered.buffer)).sort(), [
    'BeVietnamPro-Regular',
    'Tinos-Bold',
    'Tinos-Italic',
  ]);
});

test('nothing is fetched while rendering: a remote image is refused', async () => {
  await assert.rejects(
    renderPdf({
      info: { title: 'Ảnh từ xa', author: 'xaso' },
      images: { logo: 'https://example.invalid/logo.png' },
      content: [{ image: 'logo', width: 50 }],
    }),
    /denied/,
  );
});

test('fonts opened once per process: documents after others keep every letter and are the same PDF', async (t) => {
  if (!requirePdfTools(t)) return;
  const document = (text: string) => ({
    info: { title: 'Phông chữ dùng lại', author: 'xaso', creationDate: new Date('2026-12-01T02:00:00Z') },
    content: [{ text, bold: true }, { text, font: PDF_FONTS.serif, italics: true }, { text }],
  });
  const line = 'Thời gian giao, nhận hồ sơ; TÊN CƠ QUAN, BỘ PHẬN: ơ ờ ớ ở ỡ ợ Ơ Ờ Ế Ề Ể Ễ Ệ E ê';
  const first = await renderPdf(document(line));
  await renderPdf(document('Sổ theo dõi hồ sơ, Phiếu kiểm soát quá trình giải quyết hồ sơ'));
  const again = await renderPdf(document(line));
  assert.deepEqual(again, first);
  const text = await pdfText(again);
  assert.equal(text.split(line).length - 1, 3, text);
});
