// DER bytes for pkijs and asn1js, which read ArrayBuffers: the one copy of a Buffer's bytes the signing code makes.
import * as pkijs from 'pkijs';

/** The bytes of `bytes` (a Buffer may be a view into a larger pool) as an ArrayBuffer of their own. */
export function toArrayBuffer(bytes: Buffer | Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** A DER certificate parsed by pkijs (throws when it is not one). */
export function parseCertificate(der: Buffer | Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(toArrayBuffer(der));
}
