// A QR code as a pdfmake node: vector, so it stays sharp at any print size.
import { qrSvg, type QrOptions } from '../qr/qr-code.ts';
import type { Content } from './render-pdf.ts';

/**
 * `size` is the printed width and height in points (1/72 inch), quiet zone included. For a phone to read it
 * from arm's length a module should be at least about 0.4 mm: with a short URL (version 4-5, 33-37 modules
 * plus the quiet zone) that means at least about 48 pt.
 */
export function qrCodeNode(
  text: string,
  options: QrOptions & {
    size: number;
    alignment?: 'left' | 'center' | 'right';
    margin?: [number, number, number, number];
  },
): Content {
  return {
    svg: qrSvg(text, options),
    width: options.size,
    height: options.size,
    ...(options.alignment ? { alignment: options.alignment } : {}),
    ...(options.margin ? { margin: options.margin } : {}),
  };
}
