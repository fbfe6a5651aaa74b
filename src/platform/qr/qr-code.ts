// QR codes (DESIGN.md, "QR and VietQR": the `qrcode` package). One encoder for every output, so a code on a
// page, in a PDF and in a PNG is the same symbol.
import QRCode from 'qrcode';

/** L 7 %, M 15 %, Q 25 %, H 30 % of the symbol may be damaged and still read. */
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export interface QrOptions {
  /** Default M: enough for a printed sheet that gets dirty, without making the modules too small. */
  errorCorrection?: QrErrorCorrection;
  /**
   * Light margin around the symbol, in modules. ISO/IEC 18004 asks for 4; less is only safe where the
   * surroundings are white anyway (a padded table cell).
   */
  quietZone?: number;
}

export const STANDARD_QUIET_ZONE = 4;

/** The dark (true) and light modules of the symbol, row by row, without the quiet zone. */
export function qrMatrix(text: string, options: QrOptions = {}): boolean[][] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: options.errorCorrection ?? 'M' });
  const size = modules.size;
  const rows: boolean[][] = [];
  for (let row = 0; row < size; row++) {
    const cells: boolean[] = [];
    for (let col = 0; col < size; col++) cells.push(modules.data[row * size + col] === 1);
    rows.push(cells);
  }
  return rows;
}

/**
 * An SVG whose dark modules are drawn by one stroked path, a horizontal line one module thick along each run of
 * dark modules in a row. One path paints as one shape, so abutting modules show none of the hairline seams that
 * separately filled squares get once anti-aliased (on screen, in pdftoppm); and strokes need fewer path commands
 * than rectangles, which keeps a PDF with hundreds of codes quick to lay out. Units are modules; `size` sets the
 * `width`/`height` attributes (a PDF node sets its own size).
 */
export function qrSvg(text: string, options: QrOptions & { size?: number } = {}): string {
  const matrix = qrMatrix(text, options);
  const quiet = options.quietZone ?? STANDARD_QUIET_ZONE;
  const extent = matrix.length + 2 * quiet;
  const path: string[] = [];
  matrix.forEach((cells, row) => {
    let col = 0;
    while (col < cells.length) {
      if (!cells[col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < cells.length && cells[col]) col++;
      path.push(`M${start + quiet} ${row + quiet + 0.5}h${col - start}`);
    }
  });
  const size = options.size === undefined ? '' : ` width="${options.size}" height="${options.size}"`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${extent} ${extent}"${size} shape-rendering="crispEdges">` +
    `<rect width="${extent}" height="${extent}" fill="#ffffff"/>` +
    `<path stroke="#000000" stroke-width="1" stroke-linecap="butt" fill="none" d="${path.join('')}"/></svg>`
  );
}

/** A PNG data URL (`data:image/png;base64,…`), `scale` pixels per module. */
export async function qrPngDataUrl(
  text: string,
  options: QrOptions & { scale?: number } = {},
): Promise<string> {
  return QRCode.toDataURL(text, {
    errorCorrectionLevel: options.errorCorrection ?? 'M',
    margin: options.quietZone ?? STANDARD_QUIET_ZONE,
    scale: options.scale ?? 8,
    type: 'image/png',
  });
}
