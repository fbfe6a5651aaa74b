// xaso's own incremental-update writer for a PAdES signature: it reads the document's cross-reference data (classic
// tables, cross-reference streams and object streams, the /Prev chain), then appends ONE update holding the
// signature dictionary with an empty /Contents, a signature field that is also its widget annotation (visible with
// an appearance stream, or invisible), the page with the widget added to its /Annots, the catalog (or AcroForm)
// listing the field, and a new cross-reference section of the same kind as the last one. Not one byte before the
// update changes, so earlier signatures stay valid (ISO 32000-1 §7.5.6, §12.8).
//
// Texts are PDF text strings in UTF-16BE with a byte-order mark, written as hex strings, so Vietnamese keeps its
// diacritics (@signpdf/placeholder-plain 3.3 wrote the UTF-8 bytes of the UTF-16 form, which no reader decodes).
//
// Input is untrusted: every loop is bounded, offsets are range-checked, /Prev cycles are detected, and whatever
// cannot be read becomes PdfFormatError with a Vietnamese reason, turned into AppError('PDF_INVALID') at the edge.
import zlib from 'node:zlib';
import { formatVietnamIso } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';

/** The placeholder for /ByteRange, as @signpdf writes it: filled in once the length of the file is known. */
export const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 /********** /********** /**********]';

export interface PdfRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlaceholderWidget {
  page: 'first' | 'last' | number;
  /** In PDF points, origin at the bottom left of the page. */
  rect: PdfRect;
  /**
   * A one-page PDF whose page is exactly rect.width × rect.height points: imported as the widget's appearance
   * (a form XObject) with its fonts and images.
   */
  appearancePdf: Buffer;
}

export interface PlaceholderOptions {
  name: string;
  reason: string;
  location: string;
  contactInfo: string;
  signingTime: Date;
  /** Bytes of room for the DER of the CMS; /Contents holds twice as many hex digits. */
  signatureLength: number;
  /** Without it the signature is invisible (a widget with /Rect [0 0 0 0] on the first page). */
  widget?: PlaceholderWidget | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Objects

export class PdfName {
  /** The name as written after the slash, #xx escapes kept, so it is written back unchanged. */
  constructor(readonly name: string) {}
}

export class PdfString {
  constructor(readonly bytes: Buffer) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

export class PdfDict {
  constructor(readonly entries: Map<string, PdfValue> = new Map()) {}
  get(key: string): PdfValue | undefined {
    return this.entries.get(key);
  }
  set(key: string, value: PdfValue): this {
    this.entries.set(key, value);
    return this;
  }
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** The stream's bytes as stored (still encoded). */
    readonly data: Buffer,
  ) {}
}

export type PdfValue =
  number | boolean | null | PdfName | PdfString | PdfRef | PdfDict | PdfStream | PdfValue[];

/** A PDF this writer cannot read or must not touch; `reason` is Vietnamese, for the PDF_INVALID message. */
export class PdfFormatError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const broken = (detail: string) => new PdfFormatError(`tệp PDF bị hỏng (${detail})`);

const MAX_NESTING = 64;
const MAX_XREF_SECTIONS = 512;
const MAX_OBJECT_NUMBER = 8_388_607; // the limit of ISO 32000-1 Annex C
const MAX_DECODED_BYTES = 256 * 1024 * 1024;
const MAX_PAGES = 100_000;

// ---------------------------------------------------------------------------------------------------------------
// Lexing and parsing

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

const isRegular = (byte: number) => !WHITESPACE.has(byte) && !DELIMITERS.has(byte);

class Lexer {
  constructor(
    readonly bytes: Buffer,
    public pos: number,
    /** Resolves an indirect /Length of a stream; absent inside object streams, where streams cannot be. */
    private readonly resolveLength?: (ref: PdfRef) => PdfValue,
  ) {}

  skipSpace(): void {
    const { bytes } = this;
    while (this.pos < bytes.length) {
      const byte = bytes[this.pos]!;
      if (WHITESPACE.has(byte)) this.pos++;
      else if (byte === 0x25) {
        while (this.pos < bytes.length && bytes[this.pos] !== 0x0a && bytes[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  /** A run of regular characters (a number or a keyword), without moving past it when `peek`. */
  word(peek = false): string {
    this.skipSpace();
    let end = this.pos;
    while (end < this.bytes.length && isRegular(this.bytes[end]!)) end++;
    const text = this.bytes.toString('latin1', this.pos, end);
    if (!peek) this.pos = end;
    return text;
  }

  integer(): number {
    const text = this.word();
    if (!/^\d{1,12}$/.test(text)) throw broken(`cần một số nguyên ở vị trí ${this.pos}`);
    return Number(text);
  }

  expect(keyword: string): void {
    const text = this.word();
    if (text !== keyword) throw broken(`cần "${keyword}" ở vị trí ${this.pos}`);
  }

  value(depth = 0): PdfValue {
    if (depth > MAX_NESTING) throw broken('đối tượng lồng nhau quá sâu');
    this.skipSpace();
    const { bytes } = this;
    if (this.pos >= bytes.length) throw broken('hết tệp giữa chừng một đối tượng');
    const byte = bytes[this.pos]!;
    if (byte === 0x2f) return this.name();
    if (byte === 0x28) return this.literalString();
    if (byte === 0x3c) {
      if (bytes[this.pos + 1] === 0x3c) return this.dictionaryOrStream(depth);
      return this.hexString();
    }
    if (byte === 0x5b) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.pos >= bytes.length) throw broken('mảng không đóng');
        if (bytes[this.pos] === 0x5d) {
          this.pos++;
          return items;
        }
        items.push(this.value(depth + 1));
      }
    }
    const text = this.word();
    if (text === 'true') return true;
    if (text === 'false') return false;
    if (text === 'null') return null;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) {
      // "n g R" is a reference: look ahead without committing.
      if (/^\d+$/.test(text)) {
        const save = this.pos;
        const gen = this.word();
        if (/^\d+$/.test(gen) && this.word() === 'R') return new PdfRef(Number(text), Number(gen));
        this.pos = save;
      }
      return Number(text);
    }
    throw broken(`không đọc được "${text.slice(0, 20)}" ở vị trí ${this.pos}`);
  }

  private name(): PdfName {
    this.pos++;
    let end = this.pos;
    while (end < this.bytes.length && isRegular(this.bytes[end]!)) end++;
    const name = new PdfName(this.bytes.toString('latin1', this.pos, end));
    this.pos = end;
    return name;
  }

  private literalString(): PdfString {
    const { bytes } = this;
    const out: number[] = [];
    let depth = 1;
    this.pos++;
    while (this.pos < bytes.length) {
      const byte = bytes[this.pos++]!;
      if (byte === 0x5c) {
        const next = bytes[this.pos++];
        if (next === undefined) break;
        const simple: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12 };
        if (simple[next] !== undefined) out.push(simple[next]);
        else if (next >= 0x30 && next <= 0x37) {
          let code = next - 0x30;
          for (let i = 0; i < 2 && bytes[this.pos]! >= 0x30 && bytes[this.pos]! <= 0x37; i++)
            code = code * 8 + bytes[this.pos++]! - 0x30;
          out.push(code & 0xff);
        } else if (next === 0x0d) {
          if (bytes[this.pos] === 0x0a) this.pos++;
        } else if (next !== 0x0a) out.push(next);
      } else if (byte === 0x28) {
        depth++;
        out.push(byte);
      } else if (byte === 0x29) {
        if (--depth === 0) return new PdfString(Buffer.from(out));
        out.push(byte);
      } else out.push(byte);
    }
    throw broken('chuỗi không đóng');
  }

  private hexString(): PdfString {
    const end = this.bytes.indexOf(0x3e, this.pos);
    if (end < 0) throw broken('chuỗi hex không đóng');
    let hex = this.bytes.toString('latin1', this.pos + 1, end).replace(/[\s\0]/g, '');
    if (!/^[0-9A-Fa-f]*$/.test(hex)) throw broken('chuỗi hex sai');
    if (hex.length % 2 === 1) hex += '0';
    this.pos = end + 1;
    return new PdfString(Buffer.from(hex, 'hex'));
  }

  private dictionaryOrStream(depth: number): PdfDict | PdfStream {
    const { bytes } = this;
    this.pos += 2;
    const dict = new PdfDict();
    for (;;) {
      this.skipSpace();
      if (this.pos >= bytes.length) throw broken('từ điển không đóng');
      if (bytes[this.pos] === 0x3e && bytes[this.pos + 1] === 0x3e) {
        this.pos += 2;
        break;
      }
      const key = this.value(depth + 1);
      if (!(key instanceof PdfName)) throw broken(`khóa từ điển không phải tên ở vị trí ${this.pos}`);
      dict.set(key.name, this.value(depth + 1));
    }
    const save = this.pos;
    if (this.word() !== 'stream') {
      this.pos = save;
      return dict;
    }
    if (bytes[this.pos] === 0x0d) this.pos++;
    if (bytes[this.pos] === 0x0a) this.pos++;
    const start = this.pos;
    let length = dict.get('Length');
    if (length instanceof PdfRef && this.resolveLength) length = this.resolveLength(length);
    let end = typeof length === 'number' && Number.isInteger(length) && length >= 0 ? start + length : -1;
    const endsRight =
      end >= 0 && end <= bytes.length && /^\s*endstream/.test(bytes.toString('latin1', end, end + 20));
    if (!endsRight) {
      // A wrong /Length: take the bytes up to "endstream", as readers do.
      const found = bytes.indexOf('endstream', start, 'latin1');
      if (found < 0) throw broken('luồng không có endstream');
      end = found;
      if (bytes[end - 1] === 0x0a) end--;
      if (bytes[end - 1] === 0x0d) end--;
    }
    this.pos = end;
    this.skipSpace();
    this.expect('endstream');
    return new PdfStream(dict, bytes.subarray(start, end));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding streams (Flate with PNG predictors: what cross-reference and object streams use)

function filtersOf(dict: PdfDict): string[] {
  const filter = dict.get('Filter');
  if (filter === undefined || filter === null) return [];
  const list = Array.isArray(filter) ? filter : [filter];
  return list.map((f) => (f instanceof PdfName ? f.name : '?'));
}

export function decodeStream(stream: PdfStream): Buffer {
  const filters = filtersOf(stream.dict);
  if (filters.length === 0) return stream.data;
  if (filters.length !== 1 || filters[0] !== 'FlateDecode')
    throw new PdfFormatError(`tệp PDF dùng bộ lọc luồng chưa hỗ trợ (${filters.join(', ')})`);
  let data: Buffer;
  try {
    data = zlib.inflateSync(stream.data, {
      maxOutputLength: MAX_DECODED_BYTES,
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    });
  } catch {
    throw broken('luồng nén hỏng');
  }
  const parms = stream.dict.get('DecodeParms');
  const parameters = Array.isArray(parms) ? parms[0] : parms;
  if (!(parameters instanceof PdfDict)) return data;
  const predictor = parameters.get('Predictor');
  if (typeof predictor !== 'number' || predictor < 10) {
    if (predictor === undefined || predictor === 1) return data;
    throw new PdfFormatError('tệp PDF dùng bộ dự đoán TIFF chưa hỗ trợ');
  }
  const columnsValue = parameters.get('Columns');
  const colorsValue = parameters.get('Colors');
  const bitsValue = parameters.get('BitsPerComponent');
  const columns = typeof columnsValue === 'number' ? columnsValue : 1;
  const colors = typeof colorsValue === 'number' ? colorsValue : 1;
  const bits = typeof bitsValue === 'number' ? bitsValue : 8;
  return unpredictPng(
    data,
    Math.ceil((columns * colors * bits) / 8),
    Math.max(1, Math.ceil((colors * bits) / 8)),
  );
}

function unpredictPng(data: Buffer, rowLength: number, pixelBytes: number): Buffer {
  if (rowLength <= 0 || rowLength > 1 << 20) throw broken('tham số bộ dự đoán sai');
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = Buffer.alloc(rows * rowLength);
  for (let row = 0; row < rows; row++) {
    const type = data[row * (rowLength + 1)]!;
    const input = row * (rowLength + 1) + 1;
    const at = row * rowLength;
    for (let i = 0; i < rowLength; i++) {
      const raw = data[input + i]!;
      const left = i >= pixelBytes ? out[at + i - pixelBytes]! : 0;
      const up = row > 0 ? out[at - rowLength + i]! : 0;
      const upLeft = row > 0 && i >= pixelBytes ? out[at - rowLength + i - pixelBytes]! : 0;
      let value: number;
      if (type === 0) value = raw;
      else if (type === 1) value = raw + left;
      else if (type === 2) value = raw + up;
      else if (type === 3) value = raw + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else throw broken('bộ dự đoán PNG sai');
      out[at + i] = value & 0xff;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a document: cross-reference data, objects, pages

type XrefEntry =
  | { type: 'free' }
  | { type: 'offset'; offset: number; gen: number }
  | { type: 'compressed'; stream: number; index: number };

export class PdfDocument {
  readonly entries = new Map<number, XrefEntry>();
  /** The newest trailer (of a cross-reference stream: its dictionary). */
  readonly trailer: PdfDict;
  readonly lastXrefOffset: number;
  readonly lastXrefIsStream: boolean;
  private readonly cache = new Map<number, PdfValue>();
  private readonly objectStreams = new Map<number, { data: Buffer; offsets: Map<number, number> }>();
  private resolving = 0;

  constructor(readonly bytes: Buffer) {
    if (bytes.subarray(0, 1024).indexOf('%PDF-', 0, 'latin1') < 0)
      throw new PdfFormatError('tệp không phải PDF');
    const tail = bytes.toString('latin1', Math.max(0, bytes.length - 4096));
    const at = tail.lastIndexOf('startxref');
    if (at < 0) throw broken('không có startxref');
    const match = /^startxref\s+(\d{1,12})/.exec(tail.slice(at));
    if (!match) throw broken('startxref không có vị trí');
    this.lastXrefOffset = Number(match[1]);
    const trailers: PdfDict[] = [];
    const seen = new Set<number>();
    let offset: number | null = this.lastXrefOffset;
    let isStream: boolean | null = null;
    while (offset !== null) {
      if (seen.has(offset)) throw broken('chuỗi /Prev của bảng tham chiếu chéo lặp vòng');
      if (seen.size >= MAX_XREF_SECTIONS) throw broken('quá nhiều bảng tham chiếu chéo');
      seen.add(offset);
      if (offset < 0 || offset >= bytes.length) throw broken('vị trí bảng tham chiếu chéo nằm ngoài tệp');
      const section = this.readXrefSection(offset);
      isStream ??= section.isStream;
      trailers.push(section.trailer);
      const hybrid = section.trailer.get('XRefStm');
      if (!section.isStream && typeof hybrid === 'number' && !seen.has(hybrid) && hybrid < bytes.length) {
        seen.add(hybrid);
        this.readXrefSection(hybrid);
      }
      const prev = section.trailer.get('Prev');
      offset = typeof prev === 'number' && Number.isInteger(prev) ? prev : null;
    }
    this.trailer = trailers[0]!;
    this.lastXrefIsStream = isStream ?? false;
    if (trailers.some((t) => t.get('Encrypt') !== undefined)) throw new PdfFormatError('tệp PDF được mã hóa');
    if (!(this.trailer.get('Root') instanceof PdfRef)) throw broken('không có /Root');
  }

  /** One cross-reference section; entries already known (from a newer section) are kept. */
  private readXrefSection(offset: number): { trailer: PdfDict; isStream: boolean } {
    const lexer = new Lexer(this.bytes, offset);
    if (lexer.word(true) === 'xref') {
      lexer.word();
      for (let subsections = 0; ; subsections++) {
        if (subsections > 100_000) throw broken('bảng tham chiếu chéo quá dài');
        const next = lexer.word(true);
        if (next === 'trailer') break;
        const first = lexer.integer();
        const count = lexer.integer();
        if (first + count > MAX_OBJECT_NUMBER + 1) throw broken('bảng tham chiếu chéo sai');
        for (let i = 0; i < count; i++) {
          const position = lexer.integer();
          const gen = lexer.integer();
          const kind = lexer.word();
          if (kind !== 'n' && kind !== 'f') throw broken('dòng của bảng tham chiếu chéo sai');
          if (!this.entries.has(first + i))
            this.entries.set(
              first + i,
              kind === 'n' ? { type: 'offset', offset: position, gen } : { type: 'free' },
            );
        }
      }
      lexer.expect('trailer');
      const trailer = lexer.value();
      if (!(trailer instanceof PdfDict)) throw broken('trailer không phải từ điển');
      return { trailer, isStream: false };
    }
    const object = this.parseIndirectAt(offset, null);
    if (!(object instanceof PdfStream) || !isName(object.dict.get('Type'), 'XRef'))
      throw broken('startxref không trỏ tới bảng tham chiếu chéo');
    this.readXrefStream(object);
    return { trailer: object.dict, isStream: true };
  }

  private readXrefStream(stream: PdfStream): void {
    const widths = stream.dict.get('W');
    const size = stream.dict.get('Size');
    if (
      !Array.isArray(widths) ||
      widths.length !== 3 ||
      !widths.every((w) => typeof w === 'number' && w >= 0 && w <= 8)
    )
      throw broken('/W của luồng tham chiếu chéo sai');
    const [w0, w1, w2] = widths as [number, number, number];
    const index = stream.dict.get('Index') ?? [0, typeof size === 'number' ? size : 0];
    if (!Array.isArray(index) || index.length % 2 !== 0 || !index.every((n) => typeof n === 'number'))
      throw broken('/Index của luồng tham chiếu chéo sai');
    const data = decodeStream(stream);
    const rowLength = w0 + w1 + w2;
    if (rowLength === 0) throw broken('/W của luồng tham chiếu chéo sai');
    const field = (at: number, width: number) => {
      let value = 0;
      for (let i = 0; i < width; i++) value = value * 256 + data[at + i]!;
      return value;
    };
    let row = 0;
    for (let pair = 0; pair < index.length; pair += 2) {
      const first = index[pair] as number;
      const count = index[pair + 1] as number;
      if (first < 0 || count < 0 || first + count > MAX_OBJECT_NUMBER + 1) throw broken('/Index sai');
      for (let i = 0; i < count; i++, row++) {
        const at = row * rowLength;
        if (at + rowLength > data.length) throw broken('luồng tham chiếu chéo ngắn hơn /Index');
        const type = w0 === 0 ? 1 : field(at, w0);
        const second = field(at + w0, w1);
        const third = field(at + w0 + w1, w2);
        if (this.entries.has(first + i)) continue;
        if (type === 1) this.entries.set(first + i, { type: 'offset', offset: second, gen: third });
        else if (type === 2)
          this.entries.set(first + i, { type: 'compressed', stream: second, index: third });
        else if (type === 0) this.entries.set(first + i, { type: 'free' });
      }
    }
  }

  /** "num gen obj … endobj" at `offset`; `expected` is the object number the header must carry. */
  private parseIndirectAt(offset: number, expected: number | null): PdfValue {
    if (offset < 0 || offset >= this.bytes.length) throw broken('vị trí đối tượng nằm ngoài tệp');
    const lexer = new Lexer(this.bytes, offset, (ref) => this.resolve(ref));
    const num = lexer.integer();
    lexer.integer();
    lexer.expect('obj');
    if (expected !== null && num !== expected)
      throw broken(`bảng tham chiếu chéo trỏ sai đối tượng ${expected}`);
    return lexer.value();
  }

  /** The object a reference names; a missing or free object is null, as the standard says. */
  getObject(num: number): PdfValue {
    if (this.cache.has(num)) return this.cache.get(num)!;
    if (this.resolving > 32) throw broken('tham chiếu lồng nhau quá sâu');
    this.resolving++;
    try {
      const entry = this.entries.get(num);
      let value: PdfValue = null;
      if (entry?.type === 'offset') value = this.parseIndirectAt(entry.offset, num);
      else if (entry?.type === 'compressed') value = this.objectFromStream(entry.stream, entry.index, num);
      this.cache.set(num, value);
      return value;
    } finally {
      this.resolving--;
    }
  }

  resolve(value: PdfValue | undefined): PdfValue {
    let current = value ?? null;
    for (let hops = 0; current instanceof PdfRef; hops++) {
      if (hops > 16) throw broken('chuỗi tham chiếu quá dài');
      current = this.getObject(current.num);
    }
    return current;
  }

  generationOf(num: number): number {
    const entry = this.entries.get(num);
    return entry?.type === 'offset' ? entry.gen : 0;
  }

  private objectFromStream(streamNumber: number, index: number, num: number): PdfValue {
    let loaded = this.objectStreams.get(streamNumber);
    if (!loaded) {
      const entry = this.entries.get(streamNumber);
      if (entry?.type !== 'offset') throw broken('luồng đối tượng không có trong bảng tham chiếu chéo');
      const stream = this.parseIndirectAt(entry.offset, streamNumber);
      if (!(stream instanceof PdfStream) || !isName(stream.dict.get('Type'), 'ObjStm'))
        throw broken('luồng đối tượng sai');
      const count = stream.dict.get('N');
      const first = stream.dict.get('First');
      if (typeof count !== 'number' || typeof first !== 'number' || count < 0 || count > 1_000_000)
        throw broken('luồng đối tượng sai');
      const data = decodeStream(stream);
      const header = new Lexer(data, 0);
      const offsets = new Map<number, number>();
      for (let i = 0; i < count; i++) {
        const objectNumber = header.integer();
        const relative = header.integer();
        if (first + relative >= data.length) throw broken('vị trí trong luồng đối tượng sai');
        if (i === index || !offsets.has(objectNumber)) offsets.set(objectNumber, first + relative);
      }
      loaded = { data, offsets };
      this.objectStreams.set(streamNumber, loaded);
    }
    const at = loaded.offsets.get(num);
    if (at === undefined) throw broken(`không thấy đối tượng ${num} trong luồng đối tượng`);
    return new Lexer(loaded.data, at).value();
  }

  get nextObjectNumber(): number {
    const size = this.trailer.get('Size');
    let next = typeof size === 'number' && Number.isInteger(size) ? size : 0;
    for (const num of this.entries.keys()) if (num >= next) next = num + 1;
    return next;
  }

  get catalogRef(): PdfRef {
    return this.trailer.get('Root') as PdfRef;
  }

  dict(value: PdfValue | undefined, what: string): PdfDict {
    const resolved = this.resolve(value);
    if (resolved instanceof PdfDict) return resolved;
    if (resolved instanceof PdfStream) return resolved.dict;
    throw broken(`${what} không phải từ điển`);
  }

  /** The leaf pages in order, by walking /Pages → /Kids. */
  pages(): PdfRef[] {
    const catalog = this.dict(this.catalogRef, 'danh mục (/Root)');
    const root = catalog.get('Pages');
    if (!(root instanceof PdfRef)) throw broken('không có cây trang');
    const pages: PdfRef[] = [];
    const visited = new Set<number>();
    const walk = (ref: PdfRef, depth: number) => {
      if (depth > MAX_NESTING || visited.has(ref.num)) throw broken('cây trang lặp vòng hoặc quá sâu');
      visited.add(ref.num);
      const node = this.dict(ref, 'nút của cây trang');
      const kids = this.resolve(node.get('Kids'));
      if (isName(node.get('Type'), 'Page') || !Array.isArray(kids)) {
        if (pages.length >= MAX_PAGES) throw broken('quá nhiều trang');
        pages.push(ref);
        return;
      }
      for (const kid of kids) if (kid instanceof PdfRef) walk(kid, depth + 1);
    };
    walk(root, 0);
    return pages;
  }
}

function isName(value: PdfValue | undefined, name: string): boolean {
  return value instanceof PdfName && value.name === name;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '0';
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

/** A PDF text string: ASCII as it is, anything else UTF-16BE with a byte-order mark (ISO 32000-1 §7.9.2.2). */
export function pdfTextString(text: string): PdfString {
  const normalised = text.normalize('NFC');
  if (/^[\x20-\x7e]*$/.test(normalised)) return new PdfString(Buffer.from(normalised, 'latin1'));
  return new PdfString(
    Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(normalised, 'utf16le').swap16()]),
  );
}

export function serialize(value: PdfValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return formatNumber(value);
  if (value instanceof PdfName) return `/${value.name}`;
  if (value instanceof PdfString) return `<${value.bytes.toString('hex').toUpperCase()}>`;
  if (value instanceof PdfRef) return `${value.num} ${value.gen} R`;
  if (Array.isArray(value)) return `[${value.map(serialize).join(' ')}]`;
  if (value instanceof PdfDict) {
    return `<<${[...value.entries].map(([key, inner]) => `/${key} ${serialize(inner)}`).join(' ')}>>`;
  }
  throw new Error('a stream is written with writeObject');
}

/** "D:20261201091530+07'00'" in Vietnam time (UTC+7, no daylight saving). */
export function pdfDate(at: Date): string {
  return `D:${formatVietnamIso(at).slice(0, 19).replace(/[-T:]/g, '')}+07'00'`;
}

interface WrittenObject {
  num: number;
  gen: number;
  /** The object's body (between "obj" and "endobj"). */
  body: Buffer;
}

function streamBody(dict: PdfDict, data: Buffer): Buffer {
  dict.set('Length', data.length);
  return Buffer.concat([
    Buffer.from(`${serialize(dict)}\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream'),
  ]);
}

/** Deep copy of a value from another document, references renumbered through `mapRef`. */
function copyValue(value: PdfValue, mapRef: (ref: PdfRef) => PdfRef, depth = 0): PdfValue {
  if (depth > MAX_NESTING) throw broken('đối tượng lồng nhau quá sâu');
  if (value instanceof PdfRef) return mapRef(value);
  if (Array.isArray(value)) return value.map((item) => copyValue(item, mapRef, depth + 1));
  if (value instanceof PdfDict) {
    const copy = new PdfDict();
    for (const [key, inner] of value.entries) {
      if (key === 'Parent') continue; // never pull a page tree in through a back-link
      copy.set(key, copyValue(inner, mapRef, depth + 1));
    }
    return copy;
  }
  return value;
}

/**
 * The first page of `source` (a PDF made by renderPdf) as a form XObject for `target`: its content streams joined,
 * its resources and everything they reach (fonts, font files, ToUnicode maps, images, soft masks) copied with new
 * object numbers from `allocate`.
 */
function importPageAsForm(
  source: Buffer,
  allocate: () => number,
): { form: PdfRef; objects: WrittenObject[] } {
  const document = new PdfDocument(source);
  const pageRef = document.pages()[0];
  if (!pageRef) throw broken('hình thể hiện chữ ký không có trang');
  const page = document.dict(pageRef, 'trang của hình thể hiện');
  const objects: WrittenObject[] = [];
  const renumbered = new Map<number, PdfRef>();
  const pending: number[] = [];
  const mapRef = (ref: PdfRef): PdfRef => {
    let mapped = renumbered.get(ref.num);
    if (!mapped) {
      mapped = new PdfRef(allocate(), 0);
      renumbered.set(ref.num, mapped);
      pending.push(ref.num);
    }
    return mapped;
  };
  const resources = copyValue(document.resolve(page.get('Resources')) ?? new PdfDict(), mapRef);
  const contents = document.resolve(page.get('Contents'));
  const streams = (Array.isArray(contents) ? contents : [contents])
    .map((item) => document.resolve(item))
    .filter((item): item is PdfStream => item instanceof PdfStream);
  const form = new PdfDict()
    .set('Type', new PdfName('XObject'))
    .set('Subtype', new PdfName('Form'))
    .set('FormType', 1)
    .set('BBox', copyValue(document.resolve(page.get('MediaBox')) ?? [0, 0, 0, 0], mapRef))
    .set('Resources', resources);
  let data: Buffer;
  if (streams.length === 1) {
    // One content stream: its bytes as they are, still compressed, with its filter.
    const only = streams[0]!;
    data = only.data;
    for (const key of ['Filter', 'DecodeParms']) {
      const value = only.dict.get(key);
      if (value !== undefined) form.set(key, copyValue(document.resolve(value), mapRef));
    }
  } else {
    data = zlib.deflateSync(Buffer.concat(streams.flatMap((s) => [decodeStream(s), Buffer.from('\n')])));
    form.set('Filter', new PdfName('FlateDecode'));
  }
  for (let copied = 0; pending.length > 0; copied++) {
    if (copied > 10_000) throw broken('hình thể hiện chữ ký quá nhiều đối tượng');
    const num = pending.shift()!;
    const value = document.getObject(num);
    const { num: newNum } = renumbered.get(num)!;
    if (value instanceof PdfStream) {
      const dict = copyValue(value.dict, mapRef) as PdfDict;
      objects.push({ num: newNum, gen: 0, body: streamBody(dict, value.data) });
    } else {
      objects.push({ num: newNum, gen: 0, body: Buffer.from(serialize(copyValue(value, mapRef)), 'latin1') });
    }
  }
  const formRef = new PdfRef(allocate(), 0);
  objects.push({ num: formRef.num, gen: 0, body: streamBody(form, data) });
  return { form: formRef, objects };
}

function textOf(value: PdfValue): string | null {
  if (!(value instanceof PdfString)) return null;
  const bytes = value.bytes;
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('latin1');
}

function choosePage(pages: PdfRef[], which: PlaceholderWidget['page']): PdfRef {
  const index = which === 'first' ? 0 : which === 'last' ? pages.length - 1 : which;
  const page = Number.isInteger(index) ? pages[index] : undefined;
  if (!page)
    throw new PdfFormatError(`không có trang ${typeof which === 'number' ? which + 1 : which} để đặt chữ ký`);
  return page;
}

/** Appends one incremental update with an empty signature (see the top of this file). */
export function addSignaturePlaceholder(pdf: Buffer, options: PlaceholderOptions): Buffer {
  try {
    return writeUpdate(pdf, options);
  } catch (error) {
    if (error instanceof PdfFormatError) throw new AppError('PDF_INVALID', { reason: error.reason });
    if (error instanceof AppError) throw error;
    throw new AppError('PDF_INVALID', {
      reason: `không đọc được cấu trúc tệp PDF (${error instanceof Error ? error.message : String(error)})`,
    });
  }
}

function writeUpdate(pdf: Buffer, options: PlaceholderOptions): Buffer {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new PdfFormatError('tệp không phải PDF');
  const document = new PdfDocument(pdf);
  let next = document.nextObjectNumber;
  const allocate = () => {
    if (next > MAX_OBJECT_NUMBER) throw broken('quá nhiều đối tượng');
    return next++;
  };
  const objects: WrittenObject[] = [];
  const write = (num: number, gen: number, value: PdfValue) =>
    objects.push({ num, gen, body: Buffer.from(serialize(value), 'latin1') });

  const catalog = document.dict(document.catalogRef, 'danh mục (/Root)');
  const pages = document.pages();
  const pageRef = options.widget ? choosePage(pages, options.widget.page) : choosePage(pages, 'first');
  const page = document.dict(pageRef, 'trang');

  // The AcroForm, inline in the catalog or its own object, and its fields (inline or an array object).
  const acroFormValue = catalog.get('AcroForm');
  const acroForm =
    acroFormValue === undefined || document.resolve(acroFormValue) === null
      ? new PdfDict()
      : new PdfDict(new Map(document.dict(acroFormValue, '/AcroForm').entries));
  const fieldsValue = acroForm.get('Fields');
  const fields = document.resolve(fieldsValue);
  const existingFields = Array.isArray(fields) ? fields : [];
  const names = new Set(
    existingFields.map((field) => {
      try {
        return textOf(document.dict(field, 'trường').get('T') ?? null);
      } catch {
        return null;
      }
    }),
  );
  let ordinal = existingFields.length + 1;
  while (names.has(`Chữ ký ${ordinal}`)) ordinal++;

  const signatureRef = new PdfRef(allocate(), 0);
  const widgetRef = new PdfRef(allocate(), 0);

  // The signature dictionary: /ByteRange and /Contents first, so a reader looking back from /ByteRange for "<<"
  // finds this dictionary and not a nested one.
  const contentsHex = '0'.repeat(options.signatureLength * 2);
  const signatureBody =
    `<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ${BYTE_RANGE_PLACEHOLDER} ` +
    `/Contents <${contentsHex}> ` +
    [
      ['M', pdfTextString(pdfDate(options.signingTime))],
      ['Name', pdfTextString(options.name)],
      ['Reason', pdfTextString(options.reason)],
      ['Location', pdfTextString(options.location)],
      ['ContactInfo', pdfTextString(options.contactInfo)],
    ]
      .map(([key, value]) => `/${key as string} ${serialize(value as PdfString)}`)
      .join(' ') +
    ' /Prop_Build <</Filter <</Name /Adobe.PPKLite>> /App <</Name /xaso>>>>>>';
  objects.push({ num: signatureRef.num, gen: 0, body: Buffer.from(signatureBody, 'latin1') });

  const widget = new PdfDict()
    .set('Type', new PdfName('Annot'))
    .set('Subtype', new PdfName('Widget'))
    .set('FT', new PdfName('Sig'))
    .set('T', pdfTextString(`Chữ ký ${ordinal}`))
    .set('V', signatureRef)
    .set('F', 4)
    .set('P', pageRef);
  if (options.widget) {
    const { x, y, width, height } = options.widget.rect;
    if (![x, y, width, height].every(Number.isFinite) || width <= 0 || height <= 0)
      throw new PdfFormatError('vùng hiển thị chữ ký không hợp lệ');
    const imported = importPageAsForm(options.widget.appearancePdf, allocate);
    objects.push(...imported.objects);
    widget.set('Rect', [x, y, x + width, y + height]).set('AP', new PdfDict().set('N', imported.form));
  } else {
    widget.set('Rect', [0, 0, 0, 0]);
  }
  write(widgetRef.num, 0, widget);

  // The page, with the widget added to /Annots (an inline array, or an array object rewritten in place).
  const annots = page.get('Annots');
  const rewrittenPage = new PdfDict(new Map(page.entries));
  if (annots instanceof PdfRef && Array.isArray(document.resolve(annots))) {
    write(annots.num, document.generationOf(annots.num), [
      ...(document.resolve(annots) as PdfValue[]),
      widgetRef,
    ]);
  } else {
    rewrittenPage.set('Annots', [...(Array.isArray(annots) ? annots : []), widgetRef]);
    const pageObject = document.getObject(pageRef.num);
    if (pageObject instanceof PdfStream) throw broken('trang là một luồng');
    write(pageRef.num, pageRef.gen, rewrittenPage);
  }

  // The AcroForm: /SigFlags 3 (signatures exist; append only), the new field after the earlier ones.
  acroForm.set('SigFlags', 3);
  if (fieldsValue instanceof PdfRef && Array.isArray(fields)) {
    write(fieldsValue.num, document.generationOf(fieldsValue.num), [...existingFields, widgetRef]);
  } else {
    acroForm.set('Fields', [...existingFields, widgetRef]);
  }
  if (acroFormValue instanceof PdfRef && document.resolve(acroFormValue) instanceof PdfDict) {
    write(acroFormValue.num, document.generationOf(acroFormValue.num), acroForm);
  } else {
    const rewrittenCatalog = new PdfDict(new Map(catalog.entries)).set('AcroForm', acroForm);
    write(document.catalogRef.num, document.catalogRef.gen, rewrittenCatalog);
  }

  return assemble(pdf, document, objects, allocate);
}

function assemble(
  pdf: Buffer,
  document: PdfDocument,
  objects: WrittenObject[],
  allocate: () => number,
): Buffer {
  const chunks: Buffer[] = [pdf];
  let length = pdf.length;
  const push = (chunk: Buffer | string) => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    chunks.push(buffer);
    length += buffer.length;
  };
  if (pdf[pdf.length - 1] !== 0x0a && pdf[pdf.length - 1] !== 0x0d) push('\n');
  const offsets = new Map<number, { offset: number; gen: number }>();
  for (const object of objects) {
    offsets.set(object.num, { offset: length, gen: object.gen });
    push(`${object.num} ${object.gen} obj\n`);
    push(object.body);
    push('\nendobj\n');
  }
  const trailer = new PdfDict();
  const xrefNumber = document.lastXrefIsStream ? allocate() : null;
  const size = Math.max(
    document.nextObjectNumber,
    ...[...offsets.keys()].map((n) => n + 1),
    (xrefNumber ?? 0) + 1,
  );
  trailer.set('Size', size).set('Root', document.catalogRef);
  for (const key of ['Info', 'ID']) {
    const value = document.trailer.get(key);
    if (value !== undefined) trailer.set(key, value);
  }
  trailer.set('Prev', document.lastXrefOffset);
  const xrefOffset = length;
  if (xrefNumber !== null) offsets.set(xrefNumber, { offset: xrefOffset, gen: 0 });
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const num of numbers) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === num - 1) last.push(num);
    else runs.push([num]);
  }
  if (xrefNumber === null) {
    push('xref\n');
    for (const run of runs) {
      push(`${run[0]} ${run.length}\n`);
      for (const num of run) {
        const { offset, gen } = offsets.get(num)!;
        push(`${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} n \n`);
      }
    }
    push(`trailer\n${serialize(trailer)}\n`);
  } else {
    // A cross-reference stream (PDF 1.5) after one: readers that met a stream expect one.
    const rows = Buffer.alloc(numbers.length * 7);
    numbers.forEach((num, i) => {
      const { offset, gen } = offsets.get(num)!;
      rows[i * 7] = 1;
      rows.writeUInt32BE(offset, i * 7 + 1);
      rows.writeUInt16BE(gen, i * 7 + 5);
    });
    trailer
      .set('Type', new PdfName('XRef'))
      .set('W', [1, 4, 2])
      .set(
        'Index',
        runs.flatMap((run) => [run[0]!, run.length]),
      );
    push(`${xrefNumber} 0 obj\n`);
    push(streamBody(trailer, rows));
    push('\nendobj\n');
  }
  push(`startxref\n${xrefOffset}\n%%EOF\n`);
  return Buffer.concat(chunks, length);
}
