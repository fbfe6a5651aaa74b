// Reading PDFs the way a person's tools do: poppler-utils (pdftotext, pdfinfo, pdftoppm) for text, pages and
// pixels, and a pure-JS QR decoder (jsQR) over the rasterised pages. Nothing here knows how a PDF was laid out.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is CommonJS with `exports.default`; its types describe only the default export.
const jsQR = jsQRModule.default;

const run = promisify(execFile);
const POPPLER_TOOLS = ['pdftotext', 'pdfinfo', 'pdftoppm'] as const;

/** The poppler tools that are not installed (empty when all are). */
export function missingPdfTools(): string[] {
  return POPPLER_TOOLS.filter((tool) => {
    try {
      execFileSync(tool, ['-v'], { stdio: 'ignore' });
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT';
    }
  });
}

/**
 * Skips the test when poppler-utils is missing, unless REQUIRE_PDF_TOOLS=1 or CI=true, where a missing tool fails
 * the test instead of hiding it. Returns true when the test may go on.
 */
export function requirePdfTools(t: TestContext): boolean {
  const missing = missingPdfTools();
  if (missing.length === 0) return true;
  const message = `${missing.join(', ')} không có trên máy này: apt-get install -y poppler-utils`;
  if (process.env.REQUIRE_PDF_TOOLS === '1' || process.env.CI === 'true') throw new Error(message);
  t.skip(message);
  return false;
}

export interface PageRange {
  firstPage?: number;
  lastPage?: number;
}

function pageArgs(range: PageRange): string[] {
  return [
    ...(range.firstPage ? ['-f', String(range.firstPage)] : []),
    ...(range.lastPage ? ['-l', String(range.lastPage)] : []),
  ];
}

/**
 * The text as `pdftotext` extracts it. `layout` (the default) keeps the page's columns side by side; `raw` keeps
 * the order the text was drawn in, so a table cell's wrapped lines stay together.
 */
export async function pdfText(
  pdf: Buffer,
  options: PageRange & { mode?: 'layout' | 'raw' } = {},
): Promise<string> {
  const mode = options.mode === 'raw' ? '-raw' : '-layout';
  return withPdfFile(pdf, async (file) => {
    const { stdout } = await run('pdftotext', [mode, '-enc', 'UTF-8', ...pageArgs(options), file, '-'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  });
}

/** `pdfinfo`'s fields (Title, Author, Pages, Page size…). */
export async function pdfInfo(pdf: Buffer): Promise<Record<string, string>> {
  return withPdfFile(pdf, async (file) => {
    const { stdout } = await run('pdfinfo', ['-enc', 'UTF-8', file]);
    const fields: Record<string, string> = {};
    for (const line of stdout.split('\n')) {
      const match = /^([^:]+):\s*(.*)$/.exec(line);
      if (match) fields[match[1]!] = match[2]!;
    }
    return fields;
  });
}

export async function pdfPages(pdf: Buffer): Promise<number> {
  const pages = Number((await pdfInfo(pdf)).Pages);
  if (!Number.isInteger(pages)) throw new Error('pdfinfo did not report a page count');
  return pages;
}

export interface DecodedQrCode {
  page: number;
  data: string;
  /** Centre of the code from the page's top left corner, in PDF points. */
  x: number;
  y: number;
}

/**
 * Every QR code on the pages, as a phone would see a print: each page rasterised with `pdftoppm` (150 dpi by
 * default) and decoded with jsQR. jsQR returns at most one code per call and fails outright when several codes'
 * finder patterns are in view, so a page is searched in two passes: the whole page (one code, as on a poster), then
 * every blob of ink the size of a code cut out and decoded on its own. Each code found is painted white before the
 * next call. Sorted by page, then top to bottom, then left to right.
 */
export async function decodeQrCodes(
  pdf: Buffer,
  options: PageRange & { resolution?: number } = {},
): Promise<DecodedQrCode[]> {
  const resolution = options.resolution ?? 150;
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-pdf-qr-'));
  try {
    const file = path.join(directory, 'document.pdf');
    fs.writeFileSync(file, pdf);
    await run('pdftoppm', [
      '-r',
      String(resolution),
      '-png',
      ...pageArgs(options),
      file,
      path.join(directory, 'page'),
    ]);
    const pages = fs
      .readdirSync(directory)
      .map((name) => ({ name, match: /^page-(\d+)\.png$/.exec(name) }))
      .filter((entry) => entry.match)
      .map((entry) => ({ file: path.join(directory, entry.name), page: Number(entry.match![1]) }))
      .sort((a, b) => a.page - b.page);
    const found: DecodedQrCode[] = [];
    const toPoints = 72 / resolution;
    for (const { file: png, page } of pages) {
      const image = PNG.sync.read(fs.readFileSync(png));
      for (const code of findCodes(new Uint8ClampedArray(image.data), image.width, image.height)) {
        found.push({ page, data: code.data, x: code.x * toPoints, y: code.y * toPoints });
      }
    }
    // Rows whose centres are within a few points of each other are one row: read them left to right.
    return found.sort((a, b) => a.page - b.page || (Math.abs(a.y - b.y) > 4 ? a.y - b.y : a.x - b.x));
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

interface FoundCode {
  data: string;
  x: number;
  y: number;
}

function findCodes(pixels: Uint8ClampedArray, width: number, height: number): FoundCode[] {
  const found: FoundCode[] = [];
  const decodeAll = (region: Region) => {
    // A region may hold more than one code: keep decoding it until it yields nothing.
    for (let attempt = 0; attempt < 50; attempt++) {
      const code = decodeRegion(pixels, width, clip(region, width, height));
      if (!code) return;
      found.push(code.found);
      whiten(pixels, width, height, code.bounds);
    }
  };
  // 1. The whole page: enough for a page with one code (a poster).
  decodeAll({ left: 0, top: 0, width, height });
  // 2. Each blob of ink on its own. With several codes on a page jsQR pairs finder patterns of different codes and
  //    gives up, so every roughly square blob the size of a code is cut out with a margin and decoded alone.
  for (const blob of inkBlobs(pixels, width, height)) {
    const shortSide = Math.min(blob.width, blob.height);
    const longSide = Math.max(blob.width, blob.height);
    if (shortSide < 21) continue;
    if (longSide <= shortSide * 1.6) {
      decodeAll(grow(blob, Math.max(8, Math.round(longSide * 0.15))));
    } else if (shortSide >= 40) {
      // A code that touches other ink (text, a frame) makes an oblong blob: slide a square window along it.
      const size = Math.round(shortSide * 1.15);
      const step = Math.max(8, Math.round(shortSide / 4));
      for (let top = blob.top; top <= blob.top + Math.max(0, blob.height - shortSide); top += step) {
        for (let left = blob.left; left <= blob.left + Math.max(0, blob.width - shortSide); left += step) {
          decodeAll(
            grow({ left, top, width: shortSide, height: shortSide }, Math.round((size - shortSide) / 2)),
          );
        }
      }
    }
  }
  return found;
}

/**
 * Bounding boxes of the connected areas of dark pixels, on a grid of 3 px cells with gaps of up to two cells
 * bridged: a QR code (light modules included) comes out as one box, a line of text as another.
 */
function inkBlobs(pixels: Uint8ClampedArray, width: number, height: number): Region[] {
  const cell = 3;
  const columns = Math.ceil(width / cell);
  const rows = Math.ceil(height / cell);
  const inked = new Uint8Array(columns * rows);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (pixels[(y * width + x) * 4]! < 128)
        inked[Math.floor(y / cell) * columns + Math.floor(x / cell)] = 1;
    }
  }
  const seen = new Uint8Array(columns * rows);
  const blobs: Region[] = [];
  const queue: number[] = [];
  for (let start = 0; start < inked.length; start++) {
    if (!inked[start] || seen[start]) continue;
    seen[start] = 1;
    queue.length = 0;
    queue.push(start);
    let [minX, minY, maxX, maxY] = [columns, rows, 0, 0];
    while (queue.length > 0) {
      const current = queue.pop()!;
      const cx = current % columns;
      const cy = (current - cx) / columns;
      minX = Math.min(minX, cx);
      maxX = Math.max(maxX, cx);
      minY = Math.min(minY, cy);
      maxY = Math.max(maxY, cy);
      for (let dy = -3; dy <= 3; dy++) {
        for (let dx = -3; dx <= 3; dx++) {
          const nx = cx + dx;
          const ny = cy + dy;
          if (nx < 0 || ny < 0 || nx >= columns || ny >= rows) continue;
          const next = ny * columns + nx;
          if (inked[next] && !seen[next]) {
            seen[next] = 1;
            queue.push(next);
          }
        }
      }
    }
    blobs.push({
      left: minX * cell,
      top: minY * cell,
      width: (maxX - minX + 1) * cell,
      height: (maxY - minY + 1) * cell,
    });
  }
  return blobs;
}

function grow(region: Region, by: number): Region {
  return {
    left: region.left - by,
    top: region.top - by,
    width: region.width + 2 * by,
    height: region.height + 2 * by,
  };
}

function clip(region: Region, width: number, height: number): Region {
  const left = Math.max(0, region.left);
  const top = Math.max(0, region.top);
  return {
    left,
    top,
    width: Math.min(width, region.left + region.width) - left,
    height: Math.min(height, region.top + region.height) - top,
  };
}

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

function decodeRegion(
  pixels: Uint8ClampedArray,
  pageWidth: number,
  region: Region,
): { found: FoundCode; bounds: Region } | null {
  const crop = new Uint8ClampedArray(region.width * region.height * 4);
  for (let row = 0; row < region.height; row++) {
    const start = ((region.top + row) * pageWidth + region.left) * 4;
    crop.set(pixels.subarray(start, start + region.width * 4), row * region.width * 4);
  }
  const code = jsQR(crop, region.width, region.height, { inversionAttempts: 'dontInvert' });
  if (!code || code.data === '') return null;
  const { topLeftCorner, topRightCorner, bottomLeftCorner, bottomRightCorner } = code.location;
  const corners = [topLeftCorner, topRightCorner, bottomLeftCorner, bottomRightCorner];
  const xs = corners.map((corner) => corner.x + region.left);
  const ys = corners.map((corner) => corner.y + region.top);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // Corners are the symbol's outer edge; a module's width of slack covers rounding.
  const slack = Math.ceil((maxX - minX) / 20) + 2;
  return {
    found: { data: code.data, x: (minX + maxX) / 2, y: (minY + maxY) / 2 },
    bounds: {
      left: Math.floor(minX) - slack,
      top: Math.floor(minY) - slack,
      width: Math.ceil(maxX - minX) + 2 * slack,
      height: Math.ceil(maxY - minY) + 2 * slack,
    },
  };
}

function whiten(pixels: Uint8ClampedArray, width: number, height: number, bounds: Region): void {
  const left = Math.max(0, bounds.left);
  const top = Math.max(0, bounds.top);
  const right = Math.min(width, bounds.left + bounds.width);
  const bottom = Math.min(height, bounds.top + bounds.height);
  for (let row = top; row < bottom; row++)
    pixels.fill(255, (row * width + left) * 4, (row * width + right) * 4);
}

async function withPdfFile<T>(pdf: Buffer, use: (file: string) => Promise<T>): Promise<T> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-pdf-'));
  try {
    const file = path.join(directory, 'document.pdf');
    fs.writeFileSync(file, pdf);
    return await use(file);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
