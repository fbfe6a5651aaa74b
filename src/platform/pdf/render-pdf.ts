// PDFs with pdfmake on the server (DESIGN.md, "PDFs"). Fonts are TTF files shipped in `assets/fonts/` and
// embedded (subset) in every document, so Vietnamese text renders and extracts the same on every machine:
//   serif  Tinos, metric-compatible with Times New Roman, the face Nghị định 30/2020 asks of official documents;
//   sans   Be Vietnam Pro, for forms, notices and posters.
// Nothing is fetched at run time: remote URLs are refused and local files are limited to the font folder.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  Content,
  ContentText,
  TableCell,
  TableCellProperties,
  TDocumentDefinitions,
  TFontDictionary,
} from 'pdfmake/interfaces.js';

export type { Content, ContentText, TableCell, TableCellProperties, TDocumentDefinitions };

export const FONT_DIRECTORY = fileURLToPath(new URL('../../../assets/fonts/', import.meta.url));

export const PDF_FONTS = { serif: 'Tinos', sans: 'BeVietnamPro' } as const;
export type PdfFont = (typeof PDF_FONTS)[keyof typeof PDF_FONTS];

const FONT_FILES: Record<PdfFont, { normal: string; bold: string; italics: string; bolditalics: string }> = {
  Tinos: {
    normal: 'Tinos-Regular.ttf',
    bold: 'Tinos-Bold.ttf',
    italics: 'Tinos-Italic.ttf',
    bolditalics: 'Tinos-BoldItalic.ttf',
  },
  BeVietnamPro: {
    normal: 'BeVietnamPro-Regular.ttf',
    bold: 'BeVietnamPro-Bold.ttf',
    italics: 'BeVietnamPro-Italic.ttf',
    bolditalics: 'BeVietnamPro-BoldItalic.ttf',
  },
};

/** A pdfmake document whose metadata is required: every PDF xaso issues says what it is and who issued it. */
export type PdfDocumentDefinition = Omit<TDocumentDefinitions, 'info'> & {
  info: { title: string; author: string; subject?: string; keywords?: string; creationDate?: Date };
};

export interface RenderedPdf {
  buffer: Buffer;
  pageCount: number;
  /**
   * Where the nodes whose id starts with "anchor:" were laid out (a signature's space, for its appearance). Keep
   * such a node out of `unbreakable` blocks, whose inner positions pdfmake does not report; use an id "keep:…" on
   * the block instead.
   */
  anchors: Map<string, PdfAnchor>;
}

/** `content` kept on one page, its inner positions still reported (see RenderedPdf.anchors). */
export function keptTogether(content: Content, name: string): Content {
  return { ...(content as object), id: `keep:${name}` } as Content;
}

/** The top left of a laid-out node, in points from the page's top left, and the page's inner width. */
export interface PdfAnchor {
  /** 0-based. */
  page: number;
  left: number;
  top: number;
  pageInnerWidth: number;
}

/** A4 portrait height in points: layout positions are from the top, PDF coordinates from the bottom. */
const A4_HEIGHT = 841.89;

/**
 * The room `height` points tall above the node `anchorId` (a signer's name) on an A4 page, half the page's inner
 * width wide, in PDF coordinates: where a signature's appearance goes. Undefined when the node was not laid out.
 */
export function spaceAboveAnchor(rendered: RenderedPdf, anchorId: string, height: number) {
  const at = rendered.anchors.get(anchorId);
  if (!at) return undefined;
  return { page: at.page, x: at.left, y: A4_HEIGHT - at.top, width: at.pageInnerWidth / 2, height };
}

/** A4 portrait unless the definition says otherwise; the sans face at 11 pt; Vietnamese as document language. */
export async function renderPdf(definition: PdfDocumentDefinition): Promise<Buffer> {
  return (await renderPdfDocument(definition)).buffer;
}

/** As `renderPdf`, also telling how many pages the layout produced (to fit a poster on one page). */
export async function renderPdfDocument(definition: PdfDocumentDefinition): Promise<RenderedPdf> {
  // Loaded on first use, not at start-up: pdfmake and its font engine cost a few hundred milliseconds to import,
  // and a restart after a power cut should not wait for a poster nobody asked for yet.
  const { default: pdfmake } = await import('pdfmake');
  const fonts = fontDictionary();
  let pageCount = 0;
  const anchors = new Map<string, PdfAnchor>();
  const footer = definition.footer;
  const normalised = normaliseText(definition) as PdfDocumentDefinition;
  const document: TDocumentDefinitions = {
    pageSize: 'A4',
    language: 'vi-VN',
    ...normalised,
    defaultStyle: { font: PDF_FONTS.sans, fontSize: 11, lineHeight: 1.2, ...normalised.defaultStyle },
    info: { creator: 'xaso', producer: 'xaso (pdfmake)', ...normalised.info },
    // pdfmake calls the footer once per page with the total: the one place the page count is handed out.
    footer: (currentPage, total, pageSize) => {
      pageCount = total;
      const content = typeof footer === 'function' ? footer(currentPage, total, pageSize) : footer;
      return normaliseText(content ?? null) as Content;
    },
  };
  // pdfmake hands each node's position to pageBreakBefore: the one place a layout position is told.
  const pageBreakBefore = normalised.pageBreakBefore;
  document.pageBreakBefore = (node, ...rest) => {
    const id = (node as { id?: unknown }).id;
    const at = (node as unknown as { startPosition?: Record<string, number> }).startPosition;
    if (typeof id === 'string' && id.startsWith('anchor:') && at)
      anchors.set(id, {
        page: (at.pageNumber ?? 1) - 1,
        left: at.left ?? 0,
        top: at.top ?? 0,
        pageInnerWidth: at.pageInnerWidth ?? 0,
      });
    // A node whose id starts with "keep:" is kept on one page (pdfmake's `unbreakable` would hide the positions
    // of the nodes inside it): it starts on the next page when it would run over.
    const pages = (node as unknown as { pageNumbers?: number[] }).pageNumbers ?? [];
    if (typeof id === 'string' && id.startsWith('keep:') && pages.length > 1) return true;
    return pageBreakBefore ? pageBreakBefore(node, ...rest) : false;
  };
  if (typeof normalised.header === 'function') {
    const header = normalised.header;
    document.header = (currentPage, total, pageSize) =>
      normaliseText(header(currentPage, total, pageSize) ?? null) as Content;
  }

  // pdfmake's Node entry point is one shared object; it is configured here, synchronously before each
  // createPdf, which copies the settings into its own printer.
  pdfmake.setFonts(cachedFonts(fonts, (pdfmake as unknown as { virtualfs: VirtualFs }).virtualfs));
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((file) => path.resolve(file).startsWith(FONT_DIRECTORY));
  const buffer = await pdfmake.createPdf(document).getBuffer();
  return { buffer, pageCount, anchors };
}

/**
 * pdfmake opens every font afresh for each document, and fontkit decodes its OpenType tables again (measured: about
 * half of a one-page form's render time). Each font is opened once per process instead: pdfmake gets, through its
 * virtual file system, a short marker instead of the font file, and a font format registered with fontkit (the one
 * instance pdfkit uses) answers the marker with the font it opened the first time. The PDF bytes are the same; the
 * subset embedded in each document is still made per document.
 */
const FONT_MARKER = 'xaso-font-opened-once:';

interface FontkitFont {
  readonly postscriptName: string;
}

interface VirtualFs {
  existsSync(name: string): boolean;
  writeFileSync(name: string, content: Buffer): void;
}

let cachedFontFormat: 'registered' | undefined;

function cachedFonts(fonts: TFontDictionary, virtualfs: VirtualFs): TFontDictionary {
  if (!cachedFontFormat) {
    // pdfkit requires fontkit's CommonJS build; `import` would give its ES build, another instance.
    const fontkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'))('fontkit') as {
      create(buffer: Uint8Array): FontkitFont;
      registerFormat(format: unknown): void;
    };
    const opened = new Map<string, FontkitFont>();
    const fileOf = (buffer: Uint8Array) => {
      if (buffer.length > 1024) return undefined;
      const text = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength).toString('latin1');
      return text.startsWith(FONT_MARKER) ? text.slice(FONT_MARKER.length) : undefined;
    };
    fontkit.registerFormat(
      class OpenedOnce {
        static probe(buffer: Uint8Array): boolean {
          return fileOf(buffer) !== undefined;
        }
        constructor(stream: { buffer: Uint8Array }) {
          const file = fileOf(stream.buffer)!;
          let font = opened.get(file);
          if (!font) {
            font = fontkit.create(fs.readFileSync(file));
            opened.set(file, font);
          }
          // A constructor may return another object: fontkit's `create` hands this one to pdfkit. It shares the
          // decoded tables but has a glyph cache of its own: fontkit keeps with each cached glyph the characters
          // of its first request, and one first requested without them drops out of a later document's text
          // layer (shared glyphs lost "ơ" and "E" from the Mẫu 06 and 07 tests' text after the earlier forms).
          return Object.create(font, { _glyphs: { value: {}, writable: true } }) as OpenedOnce;
        }
      },
    );
    cachedFontFormat = 'registered';
  }
  const dictionary: TFontDictionary = {};
  for (const [family, faces] of Object.entries(fonts)) {
    const virtual: Record<string, string> = {};
    for (const [face, file] of Object.entries(faces as Record<string, string>)) {
      const name = `xaso-fonts/${path.basename(file)}`;
      if (!virtualfs.existsSync(name))
        virtualfs.writeFileSync(name, Buffer.from(FONT_MARKER + file, 'latin1'));
      virtual[face] = name;
    }
    dictionary[family] = virtual as unknown as TFontDictionary[string];
  }
  return dictionary;
}

function fontDictionary(): TFontDictionary {
  const dictionary: TFontDictionary = {};
  for (const [family, files] of Object.entries(FONT_FILES)) {
    const paths = {
      normal: path.join(FONT_DIRECTORY, files.normal),
      bold: path.join(FONT_DIRECTORY, files.bold),
      italics: path.join(FONT_DIRECTORY, files.italics),
      bolditalics: path.join(FONT_DIRECTORY, files.bolditalics),
    };
    for (const file of Object.values(paths)) {
      if (!fs.existsSync(file)) {
        throw new Error(
          `Thiếu tệp phông chữ ${file}: các tệp trong assets/fonts/ đi kèm mã nguồn, hãy lấy lại chúng.`,
        );
      }
    }
    dictionary[family] = paths;
  }
  return dictionary;
}

/**
 * Every string in NFC. Text pasted from some sources is decomposed (a letter, then combining marks); NFC gives the
 * precomposed glyphs every font here has, and text that copies and searches as people type it.
 */
function normaliseText(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return value.map(normaliseText);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, normaliseText(inner)]));
  }
  return value;
}
