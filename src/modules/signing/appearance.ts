// Where a signature shows on the page and what it shows, by the rules of DOMAIN.md §10 (Nghị định 30/2020 Phụ lục
// I as applied by Đồng Tháp QĐ 144/2025/QĐ-CTUBND Điều 13):
//   authority  the handwritten-signature image (transparent PNG), centred in the signature block between the title
//              and the name; without an image, the signer and the time as text;
//   agency     the seal image (transparent PNG) at its actual size, overlapping about a third of the personal
//              signature, on its left; without an image, the agency and the time as text;
//   e-copy     no image: the copy form, the copying agency and the time, top right of page 1, Times New Roman
//              (Tinos) 10 pt, upright, black; the time in ISO 8601 with the Vietnam time zone.
// Pure: the caller gives the signature block from the document's layout, the names, the times and the images.
import { formatVietnamIso } from '../../platform/clock.ts';

/** A visible signature: drawn in `rect` on one page, from a one-page PDF rendered to exactly its size. */
export interface SignatureAppearance {
  /** 'first', 'last', or a 0-based page index. */
  page: 'first' | 'last' | number;
  /** In PDF points, origin at the bottom left of the page. */
  rect: { x: number; y: number; width: number; height: number };
  /** A PNG (transparency kept). */
  image?: Buffer | undefined;
  /** Where the image goes, relative to the bottom left of `rect`; the whole rect when absent. */
  imageRect?: { x: number; y: number; width: number; height: number } | undefined;
  /** Vietnamese text lines, top to bottom (below the image when there is one). */
  lines: string[];
  /** Points; 10 by default (DOMAIN §10: Times New Roman 10). */
  fontSize?: number | undefined;
}

export type Rect = SignatureAppearance['rect'];

const MILLIMETRE = 72 / 25.4;
const LINE_HEIGHT = 1.2;
const PADDING = 2;
/** A4 portrait in points, the page every administrative document uses (Phụ lục I). */
export const A4 = { width: 595.28, height: 841.89 } as const;

/** Width and height in pixels from a PNG's IHDR chunk; throws on anything that is not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.toString('latin1', 12, 16) !== 'IHDR')
    throw new Error('the image is not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The largest rect of the image's aspect ratio inside `box`, centred in it. */
function fitCentred(image: { width: number; height: number }, box: Rect): Rect {
  const scale = Math.min(box.width / image.width, box.height / image.height);
  const width = image.width * scale;
  const height = image.height * scale;
  return { x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width, height };
}

function textHeight(lineCount: number, fontSize: number): number {
  return lineCount * fontSize * LINE_HEIGHT + 2 * PADDING;
}

export interface AuthorityAppearanceInput {
  /** The space between the title (chức vụ) and the name in the signature block, in page points. */
  signatureBlock: Rect;
  page?: SignatureAppearance['page'];
  signerName: string;
  signingTime: Date;
  /** The handwritten signature, a transparent PNG. */
  signatureImage?: Buffer | undefined;
  fontSize?: number;
}

/**
 * (a) The authority's signature. With an image: the image as large as fits, centred in the block above the
 * signer's name line. Without: "Người ký: …" and "Thời gian ký: …" in the block.
 */
export function authorityAppearance(input: AuthorityAppearanceInput): SignatureAppearance {
  const fontSize = input.fontSize ?? 10;
  const block = input.signatureBlock;
  const page = input.page ?? 'last';
  if (!input.signatureImage) {
    return {
      page,
      rect: block,
      lines: [`Người ký: ${input.signerName}`, `Thời gian ký: ${formatVietnamIso(input.signingTime)}`],
      fontSize,
    };
  }
  const nameBand = textHeight(1, fontSize);
  const imageBox = { x: 0, y: nameBand, width: block.width, height: Math.max(1, block.height - nameBand) };
  return {
    page,
    rect: block,
    image: input.signatureImage,
    imageRect: fitCentred(pngSize(input.signatureImage), imageBox),
    lines: [input.signerName],
    fontSize,
  };
}

export interface SealAppearanceInput {
  /**
   * Where the personal signature is drawn on the page (its image, in page points): the authority appearance's
   * rect plus its imageRect, or the signature block.
   */
  personalSignature: Rect;
  page?: SignatureAppearance['page'];
  agencyName: string;
  signingTime: Date;
  /** The seal, a transparent PNG, drawn at `sealDiameterMm`. */
  sealImage?: Buffer | undefined;
  /** The seal's actual size; 36 mm, the common diameter of a commune's seal, by default. */
  sealDiameterMm?: number;
  fontSize?: number;
}

/** The personal signature's image rect on the page, from the authority appearance. */
export function personalSignatureRect(authority: SignatureAppearance): Rect {
  const inner = authority.imageRect;
  if (!inner) return authority.rect;
  return {
    x: authority.rect.x + inner.x,
    y: authority.rect.y + inner.y,
    width: inner.width,
    height: inner.height,
  };
}

/**
 * (b) The agency seal: its right edge a third of the way into the personal signature, centred on it vertically,
 * so it overlaps about a third of the signature, on its left. The seal image carries the agency's name; without
 * an image a text box in the same place says "Cơ quan: …" and "Thời gian ký: …".
 */
export function sealAppearance(input: SealAppearanceInput): SignatureAppearance {
  const fontSize = input.fontSize ?? 10;
  const signature = input.personalSignature;
  const page = input.page ?? 'last';
  const lines = [`Cơ quan: ${input.agencyName}`, `Thời gian ký: ${formatVietnamIso(input.signingTime)}`];
  const diameter = (input.sealDiameterMm ?? 36) * MILLIMETRE;
  const right = signature.x + signature.width / 3;
  const centreY = signature.y + signature.height / 2;
  if (!input.sealImage) {
    const width = Math.max(diameter, 200);
    const height = textHeight(lines.length, fontSize);
    return { page, rect: { x: right - width, y: centreY - height / 2, width, height }, lines, fontSize };
  }
  const seal = pngSize(input.sealImage);
  const box = { x: right - diameter, y: centreY - diameter / 2, width: diameter, height: diameter };
  const drawn = fitCentred(seal, { x: 0, y: 0, width: diameter, height: diameter });
  return { page, rect: box, image: input.sealImage, imageRect: drawn, lines: [], fontSize };
}

export interface ElectronicCopyAppearanceInput {
  /** The copy form: "SAO Y", "SAO LỤC", "TRÍCH SAO" (Art. 25), or "BẢN SAO ĐIỆN TỬ". */
  copyForm: string;
  copyingAgency: string;
  copiedAt: Date;
  pageSize?: { width: number; height: number };
  /** The right margin of the document (15–20 mm by Phụ lục I); 20 mm by default. */
  rightMarginMm?: number;
  /** Room above the box; 5 mm by default, so the box sits in the top margin above the national title. */
  topOffsetMm?: number;
  width?: number;
}

/** (c) The electronic copy's box: top right of page 1, no image, Tinos 10 pt. */
export function electronicCopyAppearance(input: ElectronicCopyAppearanceInput): SignatureAppearance {
  const fontSize = 10;
  const pageSize = input.pageSize ?? A4;
  const lines = [input.copyForm, input.copyingAgency, `Thời gian ký: ${formatVietnamIso(input.copiedAt)}`];
  const width = input.width ?? 200;
  const height = textHeight(lines.length, fontSize);
  const x = pageSize.width - (input.rightMarginMm ?? 20) * MILLIMETRE - width;
  const y = pageSize.height - (input.topOffsetMm ?? 5) * MILLIMETRE - height;
  return { page: 0, rect: { x, y, width, height }, lines, fontSize };
}
