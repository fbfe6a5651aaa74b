// Images for the demo's test certificates, drawn here so a fresh install shows signatures as Nghị định 30/2020
// places them: a blue handwritten-style stroke for a leader and a red seal (two rings and a star) for an agency,
// both transparent PNGs. Neither carries a name: they are plainly not anyone's real signature or seal.
import zlib from 'node:zlib';

type Rgba = [number, number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** An RGBA PNG of `width`×`height` whose pixels `paint(x, y)` gives (alpha 0: transparent). */
function png(width: number, height: number, paint: (x: number, y: number) => Rgba | null): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const colour = paint(x, y);
      if (colour) raw.set(colour, row + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A flowing blue stroke, 360×120 px: the demo's "handwritten signature". */
export function demoSignatureImage(): Buffer {
  const width = 360;
  const height = 120;
  const blue: Rgba = [20, 50, 170, 255];
  // The stroke: a few loops of a damped curve across the image.
  const points: [number, number][] = [];
  for (let t = 0; t <= 1; t += 0.0005) {
    const x = 20 + t * 320;
    const y = 60 + Math.sin(t * Math.PI * 7) * 34 * (1 - t * 0.6) + Math.cos(t * Math.PI * 3) * 8;
    points.push([x, y]);
  }
  const thickness = 2.6;
  const ink = new Uint8Array(width * height);
  for (const [px, py] of points) {
    for (let dy = -3; dy <= 3; dy++) {
      for (let dx = -3; dx <= 3; dx++) {
        const x = Math.round(px + dx);
        const y = Math.round(py + dy);
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        if (Math.hypot(px - x, py - y) <= thickness) ink[y * width + x] = 1;
      }
    }
  }
  return png(width, height, (x, y) => (ink[y * width + x] ? blue : null));
}

/** A red seal, 300×300 px: two rings and a five-pointed star, transparent outside. */
export function demoSealImage(): Buffer {
  const size = 300;
  const centre = size / 2;
  const red: Rgba = [210, 20, 30, 235];
  const star: [number, number][] = [];
  for (let i = 0; i < 10; i++) {
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    const radius = i % 2 === 0 ? 52 : 21;
    star.push([centre + radius * Math.cos(angle), centre + radius * Math.sin(angle)]);
  }
  const insideStar = (x: number, y: number): boolean => {
    let inside = false;
    for (let i = 0, j = star.length - 1; i < star.length; j = i++) {
      const [xi, yi] = star[i]!;
      const [xj, yj] = star[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
  return png(size, size, (x, y) => {
    const r = Math.hypot(x - centre, y - centre);
    if ((r >= 138 && r <= 146) || (r >= 100 && r <= 104) || insideStar(x, y)) return red;
    return null;
  });
}
