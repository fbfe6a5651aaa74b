// Verifying the signatures of a PDF for anyone who holds it: each signature's signer, claimed and timestamp times,
// whether its signed byte range still matches (the document was not changed inside what it signed), whether it
// covers the whole file (nothing was appended after it), whether the signature value verifies with the signer's
// certificate, whether signing-certificate-v2 names that certificate, and whether the certificate chains to a root
// the caller trusts. Pure apart from hashing: the PDF and the trusted roots are passed in.
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export interface SignatureReport {
  index: number;
  subFilter: string | null;
  signerName: string | null;
  signerCertificate: {
    subject: string;
    issuer: string;
    validFrom: string;
    validTo: string;
    serialNumber: string;
  } | null;
  /** /M of the signature dictionary: the time the signer claims. */
  claimedTime: string | null;
  /** genTime of the RFC 3161 token, when the signature has one (PAdES B-T). */
  timestampTime: string | null;
  /** The signed bytes hash to the message-digest attribute. */
  isDigestValid: boolean;
  /** The signature value verifies with the certificate's public key over the signed attributes. */
  isSignatureValid: boolean;
  /** ESS signing-certificate-v2 names the certificate that verifies. */
  isSigningCertificateBound: boolean;
  /** The byte range runs to the end of the file: nothing was added after this signature. */
  coversWholeFile: boolean;
  /** The chain (from the CMS) ends at one of the trusted roots, each certificate valid at the signing time. */
  isTrusted: boolean;
  problems: string[];
}

export interface VerificationReport {
  sha256: string;
  signatures: SignatureReport[];
}

function toArrayBuffer(bytes: Buffer | Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** "/Key (value)" or "/Key <hex>" from a dictionary's text; literal strings may be UTF-16BE with a BOM. */
function pdfString(dictionary: string, key: string): string | null {
  const literal = new RegExp(`/${key}\\s*\\(((?:\\\\.|[^\\\\)])*)\\)`).exec(dictionary);
  if (literal) {
    const raw = literal[1]!.replace(/\\([()\\])/g, '$1');
    const bytes = Buffer.from(raw, 'latin1');
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le');
    return raw;
  }
  const hex = new RegExp(`/${key}\\s*<([0-9A-Fa-f]*)>`).exec(dictionary);
  if (hex) {
    const bytes = Buffer.from(hex[1]!, 'hex');
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
      return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
    return bytes.toString('latin1');
  }
  return null;
}

/** "D:20261201090000+07'00'" → ISO 8601. */
function pdfDate(value: string | null): string | null {
  const m = value && /D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?/.exec(value);
  if (!m) return null;
  const zone = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5)}`;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function nameOf(der: Buffer): {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  serialNumber: string;
} {
  const x = new crypto.X509Certificate(der);
  return {
    subject: x.subject,
    issuer: x.issuer,
    validFrom: x.validFrom,
    validTo: x.validTo,
    serialNumber: x.serialNumber,
  };
}

function chainsToTrustedRoot(chain: Buffer[], roots: Buffer[], at: Date): boolean {
  if (chain.length === 0 || roots.length === 0) return false;
  const certificates = chain.map((der) => new crypto.X509Certificate(der));
  const trusted = roots.map((der) => new crypto.X509Certificate(der));
  let current = certificates[0]!;
  for (let depth = 0; depth < 8; depth++) {
    if (at < new Date(current.validFrom) || at > new Date(current.validTo)) return false;
    const root = trusted.find((r) => current.checkIssued(r) && current.verify(r.publicKey));
    if (root) return at >= new Date(root.validFrom) && at <= new Date(root.validTo);
    const issuer = certificates.find(
      (c) => c !== current && current.checkIssued(c) && current.verify(c.publicKey),
    );
    if (!issuer) return false;
    current = issuer;
  }
  return false;
}

export function verifyPdfSignatures(pdf: Buffer, trustedRoots: Buffer[], now: Date): VerificationReport {
  const text = pdf.toString('latin1');
  const signatures: SignatureReport[] = [];
  const pattern = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text))) {
    const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
    // The signature dictionary of this ByteRange: from its "<<" to the end of its object, past the /Contents.
    const start = text.lastIndexOf('<<', match.index);
    const endOfObject = text.indexOf('endobj', Math.max(c, match.index));
    const dictionary = text.slice(start, endOfObject < 0 ? text.length : endOfObject);
    const problems: string[] = [];
    const report: SignatureReport = {
      index: signatures.length + 1,
      subFilter: /\/SubFilter\s*\/([\w.]+)/.exec(dictionary)?.[1] ?? null,
      signerName: pdfString(dictionary, 'Name'),
      signerCertificate: null,
      claimedTime: pdfDate(pdfString(dictionary, 'M')),
      timestampTime: null,
      isDigestValid: false,
      isSignatureValid: false,
      isSigningCertificateBound: false,
      coversWholeFile: c + d === pdf.length,
      isTrusted: false,
      problems,
    };
    signatures.push(report);
    if (a !== 0 || b <= a || c <= b || c + d > pdf.length) {
      problems.push('Vùng ký (ByteRange) không hợp lệ.');
      continue;
    }
    const hex = text
      .slice(b, c)
      .replace(/[<>\s]/g, '')
      .replace(/(00)+$/, '');
    const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
    try {
      const info = pkijs.ContentInfo.fromBER(toArrayBuffer(Buffer.from(hex, 'hex')));
      const data = new pkijs.SignedData({ schema: info.content });
      const signer = data.signerInfos[0]!;
      const certificates = (data.certificates ?? []).filter(
        (x): x is pkijs.Certificate => x instanceof pkijs.Certificate,
      );
      const ders = certificates.map((x) => Buffer.from(x.toSchema().toBER(false)));
      const sid = signer.sid as pkijs.IssuerAndSerialNumber;
      const ownIndex = certificates.findIndex(
        (x) => x.serialNumber.isEqual(sid.serialNumber) && x.issuer.isEqual(sid.issuer),
      );
      const own = ownIndex >= 0 ? ders[ownIndex]! : undefined;
      if (!own) {
        problems.push('Không tìm thấy chứng thư số của người ký trong chữ ký.');
        continue;
      }
      report.signerCertificate = nameOf(own);
      const attributes = signer.signedAttrs?.attributes ?? [];
      const digestAttr = attributes.find((x) => x.type === '1.2.840.113549.1.9.4');
      const expected = crypto.createHash('sha256').update(signed).digest();
      report.isDigestValid = Boolean(
        digestAttr &&
        Buffer.from((digestAttr.values[0] as asn1js.OctetString).valueBlock.valueHexView).equals(expected),
      );
      if (!report.isDigestValid) problems.push('Nội dung đã bị thay đổi sau khi ký (mã băm không khớp).');
      const signedAttrsDer = Buffer.from(
        new asn1js.Set({ value: attributes.map((x) => x.toSchema()) }).toBER(false),
      );
      report.isSignatureValid = crypto.verify(
        'sha256',
        signedAttrsDer,
        new crypto.X509Certificate(own).publicKey,
        Buffer.from(signer.signature.valueBlock.valueHexView),
      );
      if (!report.isSignatureValid) problems.push('Giá trị chữ ký không đúng với chứng thư số.');
      const essAttr = attributes.find((x) => x.type === '1.2.840.113549.1.9.16.2.47');
      if (essAttr) {
        const certHash = (
          ((essAttr.values[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence).valueBlock
            .value[0] as asn1js.Sequence
        ).valueBlock.value.find((v): v is asn1js.OctetString => v instanceof asn1js.OctetString);
        report.isSigningCertificateBound = Boolean(
          certHash &&
          Buffer.from(certHash.valueBlock.valueHexView).equals(
            crypto.createHash('sha256').update(own).digest(),
          ),
        );
      }
      if (!report.isSigningCertificateBound)
        problems.push('Chữ ký không gắn với chứng thư số (thiếu signing-certificate-v2).');
      const tokenAttr = signer.unsignedAttrs?.attributes.find((x) => x.type === '1.2.840.113549.1.9.16.2.14');
      if (tokenAttr) {
        const token = new pkijs.ContentInfo({ schema: tokenAttr.values[0] });
        const tst = new pkijs.SignedData({ schema: token.content }).encapContentInfo.eContent;
        if (tst) report.timestampTime = pkijs.TSTInfo.fromBER(tst.getValue()).genTime.toISOString();
      }
      const at = new Date(report.timestampTime ?? report.claimedTime ?? now.toISOString());
      report.isTrusted = chainsToTrustedRoot([own, ...ders.filter((x) => x !== own)], trustedRoots, at);
      if (!report.isTrusted)
        problems.push('Chứng thư số không thuộc chuỗi tin cậy của tỉnh (hoặc hết hiệu lực lúc ký).');
      if (!report.coversWholeFile)
        problems.push(
          'Tệp có phần được thêm sau chữ ký này (một chữ ký sau, hoặc một sửa đổi): xem các chữ ký sau.',
        );
    } catch (error) {
      problems.push(`Không đọc được chữ ký: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { sha256: crypto.createHash('sha256').update(pdf).digest('hex'), signatures };
}
