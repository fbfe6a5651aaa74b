// Content-addressed file store (DESIGN.md, "files"): a file is kept under its SHA-256, so the same scan uploaded
// twice is stored once and any change to stored bytes is detectable. A local directory here; S3-compatible storage
// implements the same interface when STORAGE_URL arrives.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface FileStore {
  /** Stores the bytes (durably: written, fsynced, renamed into place) and returns their SHA-256 in hex. */
  put(bytes: Buffer): Promise<string>;
  /** The bytes stored under the hash; throws if they are missing or no longer match the hash. */
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
}

export function sha256Hex(bytes: Buffer | Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export function createLocalFileStore(root: string): FileStore {
  const pathOf = (hash: string) => {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`Not a SHA-256: ${hash}`);
    return path.join(root, hash.slice(0, 2), hash.slice(2, 4), hash);
  };
  return {
    async put(bytes) {
      const hash = sha256Hex(bytes);
      const target = pathOf(hash);
      try {
        await fs.access(target);
        return hash;
      } catch {
        // not stored yet
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      // Written to a temporary name, fsynced, then renamed: a power cut never leaves a half file under a hash.
      const temporary = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
      const handle = await fs.open(temporary, 'w', 0o640);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temporary, target);
      return hash;
    },
    async get(hash) {
      const bytes = await fs.readFile(pathOf(hash));
      if (sha256Hex(bytes) !== hash) throw new Error(`Stored file ${hash} does not match its hash`);
      return bytes;
    },
    async has(hash) {
      try {
        await fs.access(pathOf(hash));
        return true;
      } catch {
        return false;
      }
    },
  };
}

export type UploadMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** The type of a scan from its first bytes, never from its name or the browser's word; null if not one we take. */
export function sniffMediaType(bytes: Buffer): UploadMediaType | null {
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return null;
}
