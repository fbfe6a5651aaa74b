// xaso's incremental-update writer on its own: what it appends to classic and cross-reference-stream files, what
// it keeps (every earlier byte, existing annotations and fields), and what it refuses in Vietnamese instead of
// crashing or hanging (encrypted, truncated, random bytes, /Prev cycles, a page that is not there).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { AppError } from '../../platform/errors.ts';
import { addSignaturePlaceholder, PdfDocument, PdfRef, PdfString, pdfTextString } from './placeholder.ts';
import type { PdfName, PlaceholderOptions } from './placeholder.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-placeholder-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const FIXTURE = fs.readFileSync(new URL('./fixtures/xref-stream.pdf', import.meta.url));

/** A classic PDF from object bodies (object n is bodies[n-1]), with a correct cross-reference table. */
function buildPdf(bodies: string[], trailerExtra = ''): Buffer {
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(text.length);
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n \n`;
  text += `trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
}

/** A page with its /Annots as an array object holding a link, and an AcroForm object with a /Fields object. */
const withIndirects = buildPdf([
  '<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>',
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots 4 0 R >>',
  '[7 0 R]',
  '<< /Fields 6 0 R /DA (/Helv 0 Tf 0 g) >>',
  '[]',
  '<< /Type /Annot /Subtype /Link /Rect [10 10 50 50] /Border [0 0 0] >>',
]);

const options: PlaceholderOptions = {
  name: 'Giàng A Páo',
  reason: 'Ký số giấy tiếp nhận hồ sơ',
  location: 'Bảo Yên, Lào Cai',
  contactInfo: 'motcua@baoyen.laocai.gov.vn',
  signingTime: new Date('2026-12-01T02:15:30Z'),
  signatureLength: 64,
};

function hasQpdf(t: TestContext): boolean {
  try {
    execFileSync('qpdf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    t.diagnostic('qpdf không có trên máy này: bỏ qua bước qpdf --check (apt-get install -y qpdf)');
    return false;
  }
}

function qpdfCheck(pdf: Buffer, name: string): void {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pdf);
  const out = execFileSync('qpdf', ['--check', file], { encoding: 'utf8' });
  assert.match(out, /No syntax or stream encoding errors found/);
}

function refusal(pdf: Buffer, extra: Partial<PlaceholderOptions> = {}): string {
  try {
    addSignaturePlaceholder(pdf, { ...options, ...extra });
  } catch (error) {
    assert.ok(error instanceof AppError, `an AppError, not ${String(error)}`);
    assert.equal(error.code, 'PDF_INVALID');
    return String(error.details.reason);
  }
  assert.fail('the PDF was accepted');
}

const textOf = (value: unknown) => {
  assert.ok(value instanceof PdfString);
  const bytes = value.bytes;
  return bytes[0] === 0xfe
    ? Buffer.from(bytes.subarray(2)).swap16().toString('utf16le')
    : bytes.toString('latin1');
};

describe('the incremental-update writer', () => {
  test('appends only; keeps existing annotations and fields; field names are unique; texts keep diacritics', (t) => {
    const once = addSignaturePlaceholder(withIndirects, options);
    const twice = addSignaturePlaceholder(once, { ...options, name: 'UBND xã Bảo Yên' });
    assert.ok(once.subarray(0, withIndirects.length).equals(withIndirects));
    assert.ok(twice.subarray(0, once.length).equals(once));

    const document = new PdfDocument(twice);
    const annots = document.resolve(document.dict(document.pages()[0], 'page').get('Annots'));
    assert.ok(Array.isArray(annots) && annots.length === 3, 'the link and two widgets');
    assert.equal((annots[0] as PdfRef).num, 7, 'the link is kept first');
    const acroForm = document.dict(document.dict(document.catalogRef, 'catalog').get('AcroForm'), 'AcroForm');
    assert.equal(acroForm.get('SigFlags'), 3);
    assert.equal(textOf(acroForm.get('DA')), '/Helv 0 Tf 0 g', 'other AcroForm entries kept');
    const fields = document.resolve(acroForm.get('Fields')) as PdfRef[];
    assert.equal(fields.length, 2);
    const [first, second] = fields.map((f) => document.dict(f, 'field'));
    assert.deepEqual([textOf(first!.get('T')), textOf(second!.get('T'))], ['Chữ ký 1', 'Chữ ký 2']);
    assert.deepEqual(second!.get('Rect'), [0, 0, 0, 0], 'invisible without an appearance');
    assert.equal(second!.get('F'), 4);
    const signature = document.dict(second!.get('V'), 'signature');
    assert.equal((signature.get('SubFilter') as PdfName).name, 'ETSI.CAdES.detached');
    assert.equal(textOf(signature.get('Name')), 'UBND xã Bảo Yên');
    assert.equal(textOf(signature.get('Reason')), 'Ký số giấy tiếp nhận hồ sơ');
    assert.equal(textOf(signature.get('M')), "D:20261201091530+07'00'");
    assert.match(
      twice.toString('latin1'),
      /\/Name <FEFF00550042004E0044/,
      'UTF-16BE with its byte-order mark',
    );
    if (hasQpdf(t)) qpdfCheck(twice, 'indirects.pdf');
  });

  test('a cross-reference stream file (objects inside object streams) gets a cross-reference stream update', (t) => {
    const once = addSignaturePlaceholder(FIXTURE, options);
    const twice = addSignaturePlaceholder(once, options);
    assert.ok(twice.subarray(0, FIXTURE.length).equals(FIXTURE));
    const document = new PdfDocument(twice);
    assert.equal(document.lastXrefIsStream, true);
    assert.ok(document.trailer.get('ID'), '/ID kept');
    assert.ok(document.trailer.get('Info') instanceof PdfRef, '/Info kept');
    const catalog = document.dict(document.catalogRef, 'catalog');
    const fields = document.dict(catalog.get('AcroForm'), 'AcroForm').get('Fields') as PdfRef[];
    assert.equal(fields.length, 2);
    if (hasQpdf(t)) qpdfCheck(twice, 'xref-stream-twice.pdf');
  });

  test('PDF text strings: ASCII as it is, Vietnamese as UTF-16BE with a byte-order mark', () => {
    assert.equal(pdfTextString('xaso').bytes.toString('latin1'), 'xaso');
    const vietnamese = pdfTextString('Ký số').bytes;
    assert.deepEqual([...vietnamese.subarray(0, 2)], [0xfe, 0xff]);
    assert.equal(Buffer.from(vietnamese.subarray(2)).swap16().toString('utf16le'), 'Ký số');
  });

  test('refuses in Vietnamese what it cannot handle, never crashing or hanging', () => {
    assert.equal(refusal(Buffer.from('không phải PDF')), 'tệp không phải PDF');
    const encrypted = Buffer.concat([
      withIndirects,
      Buffer.from(
        `xref\n0 0\ntrailer\n<< /Size 8 /Root 1 0 R /Encrypt 9 0 R /Prev ${withIndirects.toString('latin1').match(/startxref\n(\d+)/)![1]} >>\nstartxref\n${withIndirects.length}\n%%EOF\n`,
      ),
    ]);
    assert.equal(refusal(encrypted), 'tệp PDF được mã hóa');
    assert.match(refusal(withIndirects.subarray(0, withIndirects.length - 30)), /tệp PDF bị hỏng/);
    assert.match(refusal(FIXTURE.subarray(0, 4000)), /tệp PDF bị hỏng/);
    const cycle = Buffer.concat([
      withIndirects,
      Buffer.from(
        `xref\n0 0\ntrailer\n<< /Size 8 /Root 1 0 R /Prev ${withIndirects.length} >>\nstartxref\n${withIndirects.length}\n%%EOF\n`,
      ),
    ]);
    assert.match(refusal(cycle), /lặp vòng/);
    const appearancePdf = buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>',
    ]);
    assert.match(
      refusal(withIndirects, {
        widget: { page: 4, rect: { x: 0, y: 0, width: 10, height: 10 }, appearancePdf },
      }),
      /không có trang 5/,
    );
    const pagesCycle = buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [2 0 R] /Count 1 >>',
    ]);
    assert.match(refusal(pagesCycle), /cây trang/);
  });

  test('random bytes behind a %PDF- header, and damaged copies of real files, are refused or written, no crash', () => {
    let seed = 20261201;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 100; i++) {
      const junk = Buffer.from(Array.from({ length: 2000 }, () => Math.floor(random() * 256)));
      const tail = i % 2 ? `\nstartxref\n${Math.floor(random() * 2100)}\n%%EOF\n` : '';
      const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), junk, Buffer.from(tail)]);
      assert.ok(refusal(pdf).length > 0);
    }
    for (const source of [withIndirects, FIXTURE]) {
      for (let i = 0; i < 150; i++) {
        const damaged = Buffer.from(source);
        for (let j = 0; j < 4; j++)
          damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
        try {
          addSignaturePlaceholder(damaged, options);
        } catch (error) {
          assert.ok(error instanceof AppError && error.code === 'PDF_INVALID', String(error));
        }
      }
    }
  });
});
