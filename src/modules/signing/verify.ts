// Verifying the signatures of a PDF for anyone who holds it: each signature's signer, claimed and timestamp times,
// whether its signed byte range still matches (the document was not changed inside what it signed), whether it
// covers the whole file (nothing was appended after it), whether the signature value verifies with the signer's
// certificate, whether signing-certificate-v2 names that certificate, whether the certificate chains to a root the
// province trusts, was valid at the signing time, may sign (key usage) and was not revoked (when a CRL of its issuer
// is configured). Pure apart from hashing: the PDF, the trusted roots and the CRLs are passed in.
//
// The input may be anything a stranger uploads: the verifier never throws and never loops over attacker-sized work.
// It answers with Vietnamese `problems` instead (TT 15/2025/TT-BKHCN: verification messages in Vietnamese).
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sha256Hex } from '../../platform/storage/file-store.ts';
import { parseCertificate, toArrayBuffer } from './der.ts';

/** Trusted roots (DER) and certificate revocation lists (DER) the province administers (trust.service.ts). */
export interface TrustAnchors {
  roots: Buffer[];
  crls?: Buffer[] | undefined;
  /** Intermediate CA certificates known to the province, for signatures that do not carry their issuer. */
  intermediates?: Buffer[] | undefined;
}

export type RevocationStatus = 'not_checked' | 'good' | 'revoked';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** Common name (CN) and organisation (O) of the subject, as the certificate spells them (with diacritics). */
  commonName: string | null;
  organization: string | null;
  validFrom: string;
  validTo: string;
  serialNumber: string;
  sha256: string;
}

export interface SignatureReport {
  index: number;
  subFilter: string | null;
  /** /Name of the signature dictionary (informative; the legal name is the certificate's). */
  signerName: string | null;
  signerCertificate: CertificateSummary | null;
  /** /M of the signature dictionary: the time the signer claims. */
  claimedTime: string | null;
  /** genTime of the RFC 3161 token, when the signature has one (PAdES B-T). */
  timestampTime: string | null;
  /** The token's imprint is this signature's value and the token's own signature verifies; null without a token. */
  isTimestampValid: boolean | null;
  /** The time the certificate checks were made at: a valid timestamp's, else the claimed time, else now. */
  checkedAt: string | null;
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
  /** The signer's certificate was valid (not expired, not before its start) at `checkedAt`. */
  isCertificateValidAtSigning: boolean;
  /** keyUsage allows digitalSignature or nonRepudiation (true when the certificate has no keyUsage extension). */
  hasSigningKeyUsage: boolean;
  /** From a CRL of the certificate's issuer whose signature verifies; 'not_checked' when none is configured. */
  revocation: RevocationStatus;
  revokedAt: string | null;
  /** Every check above holds (whether later signatures or changes followed is `coversWholeFile`). */
  isValid: boolean;
  /** What is wrong, in Vietnamese; empty when the signature is valid. */
  problems: string[];
  /** What a reader should know but is not a fault (no CRL configured, a later signature). */
  notes: string[];
}

export interface VerificationReport {
  sha256: string;
  /** Starts with %PDF- (within its first 1 KB, as readers allow). */
  isPdf: boolean;
  /** The trailer names an /Encrypt dictionary: the signed bytes cannot be read as the signer saw them. */
  isEncrypted: boolean;
  signatures: SignatureReport[];
  /** At least one signature, every one valid, and the last covering the whole file. */
  isWhollyValid: boolean;
  /** Problems of the file as a whole, in Vietnamese. */
  problems: string[];
}

/** More signatures than this in one file are not checked: each costs a hash of the whole file. */
const MAX_SIGNATURES = 20;

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithms of certificates and CRLs → the hash node:crypto verifies with (RSA PKCS#1 v1.5, ECDSA). */
const SIGNATURE_HASHES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const NAME_TYPES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

function attributeValue(name: pkijs.RelativeDistinguishedNames, type: string): string | null {
  const found = name.typesAndValues.find((x) => x.type === type);
  const value = (found?.value as { valueBlock?: { value?: unknown } } | undefined)?.valueBlock?.value;
  return typeof value === 'string' ? value : null;
}

/** "CN=…, O=…, C=VN" of a name, its values as written (UTF-8 strings keep their diacritics). */
export function distinguishedName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((x) => {
      const value = (x.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
      return `${NAME_TYPES[x.type] ?? x.type}=${typeof value === 'string' ? value : '?'}`;
    })
    .reverse()
    .join(', ');
}

/** "/Key (value)" or "/Key <hex>" from a dictionary's text; literal strings may be UTF-16BE with a BOM. */
function pdfString(dictionary: string, key: string): string | null {
  const literal = new RegExp(`/${key}\\s*\\(((?:\\\\.|[^\\\\)]){0,4096})\\)`).exec(dictionary);
  if (literal) {
    const raw = literal[1]!.replace(/\\([()\\])/g, '$1');
    const bytes = Buffer.from(raw, 'latin1');
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le');
    return raw;
  }
  const hex = new RegExp(`/${key}\\s*<([0-9A-Fa-f]{0,8192})>`).exec(dictionary);
  if (hex) {
    const bytes = Buffer.from(hex[1]!.length % 2 ? `${hex[1]!}0` : hex[1]!, 'hex');
    if (bytes[0] === 0xfe && bytes[1] === 0xff && bytes.length % 2 === 0)
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

function summaryOf(certificate: pkijs.Certificate, der: Buffer): CertificateSummary {
  const x = new crypto.X509Certificate(der);
  return {
    subject: distinguishedName(certificate.subject),
    issuer: distinguishedName(certificate.issuer),
    commonName: attributeValue(certificate.subject, '2.5.4.3'),
    organization: attributeValue(certificate.subject, '2.5.4.10'),
    validFrom: new Date(x.validFrom).toISOString(),
    validTo: new Date(x.validTo).toISOString(),
    serialNumber: x.serialNumber,
    sha256: sha256Hex(der),
  };
}

function isValidAt(certificate: crypto.X509Certificate, at: Date): boolean {
  return at >= new Date(certificate.validFrom) && at <= new Date(certificate.validTo);
}

/**
 * The path from `own` to a trusted root (both included), through the other certificates the signature carries; null
 * when none is found. Validity periods are judged by the caller, so an expired certificate is reported as expired,
 * not as untrusted.
 */
function pathToTrustedRoot(
  own: crypto.X509Certificate,
  others: crypto.X509Certificate[],
  roots: crypto.X509Certificate[],
): crypto.X509Certificate[] | null {
  const path = [own];
  let current = own;
  for (let depth = 0; depth < 8; depth++) {
    const root = roots.find((r) => current.checkIssued(r) && current.verify(r.publicKey));
    if (root) return root.raw.equals(current.raw) ? path : [...path, root];
    const issuer = others.find(
      (c) => !path.includes(c) && current.checkIssued(c) && current.verify(c.publicKey),
    );
    if (!issuer) return null;
    path.push(issuer);
    current = issuer;
  }
  return null;
}

/** keyUsage (2.5.29.15) allows digitalSignature (bit 0) or nonRepudiation (bit 1); true without the extension. */
export function allowsSigning(certificate: pkijs.Certificate): boolean {
  const extension = certificate.extensions?.find((e) => e.extnID === '2.5.29.15');
  if (!extension) return true;
  const bits = (extension.parsedValue as asn1js.BitString | undefined)?.valueBlock?.valueHexView;
  if (!bits || bits.length === 0) return false;
  return (bits[0]! & 0xc0) !== 0;
}

export interface ParsedCrl {
  crl: pkijs.CertificateRevocationList;
  issuer: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
}

/** A CRL (DER) read with pkijs; throws on anything that is not one. */
export function parseCrl(der: Buffer): ParsedCrl {
  const crl = pkijs.CertificateRevocationList.fromBER(toArrayBuffer(der));
  return {
    crl,
    issuer: distinguishedName(crl.issuer),
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value ?? null,
  };
}

/** The CRL's signature verifies with `issuer`'s public key and names it as issuer (RSA PKCS#1 v1.5 or ECDSA). */
export function isCrlSignedBy(crl: pkijs.CertificateRevocationList, issuer: crypto.X509Certificate): boolean {
  const hash = SIGNATURE_HASHES[crl.signatureAlgorithm.algorithmId];
  if (!hash) return false;
  try {
    const issuerName = parseCertificate(issuer.raw).subject;
    if (!crl.issuer.isEqual(issuerName)) return false;
    return crypto.verify(
      hash,
      Buffer.from(crl.tbsView),
      issuer.publicKey,
      Buffer.from(crl.signatureValue.valueBlock.valueHexView),
    );
  } catch {
    return false;
  }
}

/** The certificate is a CA (basicConstraints cA = TRUE). */
export function isCaCertificate(certificate: crypto.X509Certificate): boolean {
  return certificate.ca;
}

interface SignerCheck {
  own: Buffer | undefined;
  ownCertificate: pkijs.Certificate | undefined;
  certificates: { parsed: pkijs.Certificate; der: Buffer }[];
  isDigestValid: boolean;
  isSignatureValid: boolean;
  isSigningCertificateBound: boolean;
}

/** Checks the first SignerInfo of a SignedData over `content`: message digest, signature value, ESS binding. */
function checkSignerInfo(data: pkijs.SignedData, content: Buffer): SignerCheck {
  const signer = data.signerInfos[0]!;
  const certificates = (data.certificates ?? [])
    .filter((x): x is pkijs.Certificate => x instanceof pkijs.Certificate)
    .map((parsed) => ({ parsed, der: Buffer.from(parsed.toSchema().toBER(false)) }));
  const sid = signer.sid as pkijs.IssuerAndSerialNumber;
  const own = certificates.find(
    (x) =>
      sid.serialNumber instanceof asn1js.Integer &&
      x.parsed.serialNumber.isEqual(sid.serialNumber) &&
      x.parsed.issuer.isEqual(sid.issuer),
  );
  const result: SignerCheck = {
    own: own?.der,
    ownCertificate: own?.parsed,
    certificates,
    isDigestValid: false,
    isSignatureValid: false,
    isSigningCertificateBound: false,
  };
  if (!own) return result;
  const digest = DIGESTS[signer.digestAlgorithm.algorithmId];
  if (!digest) return result;
  const attributes = signer.signedAttrs?.attributes ?? [];
  const digestAttr = attributes.find((x) => x.type === '1.2.840.113549.1.9.4');
  const expected = crypto.createHash(digest).update(content).digest();
  result.isDigestValid = Boolean(
    digestAttr &&
    Buffer.from((digestAttr.values[0] as asn1js.OctetString).valueBlock.valueHexView).equals(expected),
  );
  const signedAttrsDer = Buffer.from(
    new asn1js.Set({ value: attributes.map((x) => x.toSchema()) }).toBER(false),
  );
  try {
    result.isSignatureValid = crypto.verify(
      digest,
      signedAttrsDer,
      new crypto.X509Certificate(own.der).publicKey,
      Buffer.from(signer.signature.valueBlock.valueHexView),
    );
  } catch {
    result.isSignatureValid = false;
  }
  const essAttr = attributes.find((x) => x.type === '1.2.840.113549.1.9.16.2.47');
  if (essAttr) {
    const certHash = (
      ((essAttr.values[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence).valueBlock
        .value[0] as asn1js.Sequence
    ).valueBlock.value.find((v): v is asn1js.OctetString => v instanceof asn1js.OctetString);
    result.isSigningCertificateBound = Boolean(
      certHash &&
      Buffer.from(certHash.valueBlock.valueHexView).equals(
        crypto.createHash('sha256').update(own.der).digest(),
      ),
    );
  }
  return result;
}

/**
 * The RFC 3161 token of a signature: its time, and whether it holds — its imprint is the hash of this signature's
 * value, its own signature verifies, and the time-stamping authority's certificate chains to a trusted root. Only a
 * token that holds moves the time the certificates are judged at.
 */
function readTimestamp(
  token: pkijs.ContentInfo,
  signatureValue: Buffer,
  roots: crypto.X509Certificate[],
): { time: string | null; isValid: boolean } {
  const data = new pkijs.SignedData({ schema: token.content });
  const eContent = data.encapContentInfo.eContent;
  if (!eContent) return { time: null, isValid: false };
  const tstDer = Buffer.from(eContent.getValue());
  const tst = pkijs.TSTInfo.fromBER(toArrayBuffer(tstDer));
  const time = tst.genTime.toISOString();
  const imprintHash = DIGESTS[tst.messageImprint.hashAlgorithm.algorithmId];
  const imprintMatches = Boolean(
    imprintHash &&
    Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView).equals(
      crypto.createHash(imprintHash).update(signatureValue).digest(),
    ),
  );
  const check = checkSignerInfo(data, tstDer);
  if (!imprintMatches || !check.own || !check.isDigestValid || !check.isSignatureValid)
    return { time, isValid: false };
  const tsa = new crypto.X509Certificate(check.own);
  const path = pathToTrustedRoot(
    tsa,
    check.certificates.filter((c) => c.der !== check.own).map((c) => new crypto.X509Certificate(c.der)),
    roots,
  );
  const at = new Date(time);
  return { time, isValid: Boolean(path && path.every((c) => isValidAt(c, at))) };
}

function formatProblemTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

/**
 * The revocation status of `certificate` from the CRLs issued (and signed) by `issuer`: the newest such CRL decides.
 */
function revocationOf(
  certificate: pkijs.Certificate,
  issuer: crypto.X509Certificate | undefined,
  crls: ParsedCrl[],
): { status: RevocationStatus; revokedAt: Date | null; crl: ParsedCrl | null } {
  if (!issuer) return { status: 'not_checked', revokedAt: null, crl: null };
  const own = crls
    .filter((c) => isCrlSignedBy(c.crl, issuer))
    .sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime());
  const newest = own[0];
  if (!newest) return { status: 'not_checked', revokedAt: null, crl: null };
  // A certificate revoked in an older CRL stays revoked (a revocation is final; certificateHold is not used here).
  for (const candidate of own) {
    const entry = candidate.crl.revokedCertificates?.find((r) =>
      r.userCertificate.isEqual(certificate.serialNumber),
    );
    if (entry) return { status: 'revoked', revokedAt: entry.revocationDate.value, crl: candidate };
  }
  return { status: 'good', revokedAt: null, crl: newest };
}

function verifyOne(
  pdf: Buffer,
  text: string,
  range: [number, number, number, number],
  matchIndex: number,
  index: number,
  anchors: { trusted: crypto.X509Certificate[]; known: crypto.X509Certificate[]; crls: ParsedCrl[] },
  now: Date,
): SignatureReport {
  const { trusted: roots, crls } = anchors;
  const [a, b, c, d] = range;
  // The signature dictionary of this ByteRange: from its "<<" to the end of its object, past the /Contents.
  const start = Math.max(0, text.lastIndexOf('<<', matchIndex));
  const endOfObject = text.indexOf('endobj', Math.min(Math.max(c, matchIndex), text.length));
  const end = endOfObject < 0 ? text.length : endOfObject;
  // Its text without the /Contents hex (b..c), each side at most 64 KB: the entries read below are short.
  const dictionary =
    b > start && c > b && c <= end
      ? text.slice(start, Math.min(b, start + 65_536)) + text.slice(c, Math.min(end, c + 65_536))
      : text.slice(start, Math.min(end, start + 65_536));
  const problems: string[] = [];
  const notes: string[] = [];
  const report: SignatureReport = {
    index,
    subFilter: /\/SubFilter\s*\/([\w.]+)/.exec(dictionary)?.[1] ?? null,
    signerName: pdfString(dictionary, 'Name'),
    signerCertificate: null,
    claimedTime: pdfDate(pdfString(dictionary, 'M')),
    timestampTime: null,
    isTimestampValid: null,
    checkedAt: null,
    isDigestValid: false,
    isSignatureValid: false,
    isSigningCertificateBound: false,
    coversWholeFile: c + d === pdf.length,
    isTrusted: false,
    isCertificateValidAtSigning: false,
    hasSigningKeyUsage: false,
    revocation: 'not_checked',
    revokedAt: null,
    isValid: false,
    problems,
    notes,
  };
  if (a !== 0 || b <= a || c <= b || c + d > pdf.length) {
    problems.push('Vùng ký (ByteRange) không hợp lệ: chữ ký không chỉ đúng vào nội dung của tệp.');
    return report;
  }
  const hex = text.slice(b, c).replace(/[<>\s]/g, '');
  if (!/^[0-9A-Fa-f]*$/.test(hex) || /^(00)*$/.test(hex) || hex.length % 2 !== 0) {
    problems.push('Không đọc được chữ ký: phần /Contents không phải dữ liệu chữ ký số.');
    return report;
  }
  const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  let check: SignerCheck;
  let data: pkijs.SignedData;
  try {
    // The CMS is followed by the placeholder's zero padding: its own length (the outer element's) says where it
    // ends. (Cutting trailing zero bytes instead would cut a signature whose last byte is 0, one in 256.)
    const contents = Buffer.from(hex, 'hex');
    const outer = asn1js.fromBER(toArrayBuffer(contents));
    if (outer.offset === -1) throw new Error('not BER');
    const info = pkijs.ContentInfo.fromBER(toArrayBuffer(contents.subarray(0, outer.offset)));
    data = new pkijs.SignedData({ schema: info.content });
    if (data.signerInfos.length === 0) throw new Error('no signer');
    check = checkSignerInfo(data, signed);
  } catch {
    problems.push('Không đọc được chữ ký: dữ liệu chữ ký số (CMS) bị hỏng hoặc không đúng định dạng.');
    return report;
  }
  try {
    const { own, ownCertificate } = check;
    if (!own || !ownCertificate) {
      problems.push('Không tìm thấy chứng thư số của người ký trong chữ ký.');
      return report;
    }
    report.signerCertificate = summaryOf(ownCertificate, own);
    report.isDigestValid = check.isDigestValid;
    report.isSignatureValid = check.isSignatureValid;
    report.isSigningCertificateBound = check.isSigningCertificateBound;
    if (!report.isDigestValid) problems.push('Nội dung đã bị thay đổi sau khi ký (mã băm không khớp).');
    if (!report.isSignatureValid) problems.push('Giá trị chữ ký không đúng với chứng thư số.');
    if (!report.isSigningCertificateBound)
      problems.push('Chữ ký không gắn với chứng thư số (thiếu signing-certificate-v2).');

    const signer = data.signerInfos[0]!;
    const tokenAttr = signer.unsignedAttrs?.attributes.find((x) => x.type === '1.2.840.113549.1.9.16.2.14');
    if (tokenAttr) {
      try {
        const stamp = readTimestamp(
          new pkijs.ContentInfo({ schema: tokenAttr.values[0] }),
          Buffer.from(signer.signature.valueBlock.valueHexView),
          roots,
        );
        report.timestampTime = stamp.time;
        report.isTimestampValid = stamp.isValid;
      } catch {
        report.isTimestampValid = false;
      }
      if (!report.isTimestampValid)
        problems.push(
          'Dấu thời gian của chữ ký không kiểm tra được (không khớp với chữ ký hoặc không do đơn vị cấp dấu thời gian được tin cậy ký).',
        );
    }
    const at = new Date(
      (report.isTimestampValid ? report.timestampTime : null) ?? report.claimedTime ?? now.toISOString(),
    );
    report.checkedAt = at.toISOString();

    const ownX509 = new crypto.X509Certificate(own);
    const others = [
      ...check.certificates.filter((x) => x.der !== own).map((x) => new crypto.X509Certificate(x.der)),
      ...anchors.known,
    ];
    report.isCertificateValidAtSigning = isValidAt(ownX509, at);
    if (!report.isCertificateValidAtSigning)
      problems.push(
        at > new Date(ownX509.validTo)
          ? `Chứng thư số của người ký đã hết hiệu lực (đến ${formatProblemTime(report.signerCertificate.validTo)}) trước thời điểm ký.`
          : `Chứng thư số của người ký chưa có hiệu lực (từ ${formatProblemTime(report.signerCertificate.validFrom)}) tại thời điểm ký.`,
      );

    report.hasSigningKeyUsage = allowsSigning(ownCertificate);
    if (!report.hasSigningKeyUsage)
      problems.push(
        'Chứng thư số không được cấp cho mục đích ký số (thiếu digitalSignature, nonRepudiation).',
      );

    const path = pathToTrustedRoot(ownX509, others, roots);
    report.isTrusted = Boolean(path && path.every((x) => isValidAt(x, at)));
    if (!path)
      problems.push(
        'Chứng thư số không thuộc chuỗi tin cậy của tỉnh: không dẫn tới chứng thư số gốc nào tỉnh tin cậy.',
      );
    else if (!report.isTrusted && path.slice(1).some((x) => !isValidAt(x, at)))
      problems.push(
        'Chứng thư số của tổ chức cung cấp dịch vụ chứng thực không còn hiệu lực tại thời điểm ký (chuỗi tin cậy không hợp lệ).',
      );

    // The issuer: the next certificate on the path, else any carried or trusted certificate that issued it.
    const issuer =
      path?.[1] ?? [...others, ...roots].find((x) => ownX509.checkIssued(x) && ownX509.verify(x.publicKey));
    const revocation = revocationOf(ownCertificate, issuer, crls);
    report.revocation = revocation.status;
    report.revokedAt = revocation.revokedAt?.toISOString() ?? null;
    // 'not_checked' is said by the revocation field itself (no CRL of this issuer is configured).
    if (revocation.status === 'revoked' && revocation.revokedAt) {
      const when = formatProblemTime(revocation.revokedAt.toISOString());
      if (revocation.revokedAt <= at)
        problems.push(`Chứng thư số đã bị thu hồi lúc ${when}, trước thời điểm ký.`);
      else if (!report.isTimestampValid)
        problems.push(
          `Chứng thư số đã bị thu hồi lúc ${when}; chữ ký không có dấu thời gian hợp lệ nên không chứng minh được đã ký trước khi thu hồi.`,
        );
      else
        notes.push(
          `Chứng thư số bị thu hồi lúc ${when}, sau thời điểm ký có dấu thời gian: chữ ký vẫn có giá trị.`,
        );
    } else if (revocation.crl?.nextUpdate && revocation.crl.nextUpdate < now)
      notes.push('Danh sách chứng thư số bị thu hồi (CRL) đã quá hạn cập nhật; nên tải bản mới hơn.');

    if (!report.coversWholeFile)
      notes.push(
        'Tệp có phần được thêm sau chữ ký này (một chữ ký sau, hoặc một sửa đổi): xem các chữ ký sau.',
      );
  } catch {
    problems.push('Không kiểm tra được chữ ký: chứng thư số trong chữ ký không đọc được.');
  }
  report.isValid = problems.length === 0;
  return report;
}

/**
 * Verifies every signature of `pdf` against the province's trust anchors at `now` (the time of the check; each
 * certificate is judged at its signature's time). `anchors` may be the roots alone (no revocation checks).
 */
export function verifyPdfSignatures(
  pdf: Buffer,
  anchors: TrustAnchors | Buffer[],
  now: Date,
): VerificationReport {
  const {
    roots,
    crls = [],
    intermediates = [],
  } = Array.isArray(anchors) ? { roots: anchors, crls: [], intermediates: [] } : anchors;
  const sha256 = sha256Hex(pdf);
  const problems: string[] = [];
  const report: VerificationReport = {
    sha256,
    isPdf: pdf.subarray(0, 1024).includes('%PDF-'),
    isEncrypted: false,
    signatures: [],
    isWhollyValid: false,
    problems,
  };
  if (!report.isPdf) {
    problems.push('Tệp này không phải tệp PDF.');
    return report;
  }
  const text = pdf.toString('latin1');
  // The /Encrypt entry sits in the trailer (or the cross-reference stream's dictionary): a reference or a dictionary.
  report.isEncrypted = /\/Encrypt\s*(?:\d+\s+\d+\s+R|<<)/.test(text);
  if (report.isEncrypted) {
    problems.push('Tệp PDF được mã hóa, không kiểm tra được chữ ký.');
    return report;
  }
  const readAll = (ders: Buffer[]) =>
    ders.flatMap((der) => {
      try {
        return [new crypto.X509Certificate(der)];
      } catch {
        // A certificate that does not parse trusts nothing; the trust service refuses such files at upload.
        return [];
      }
    });
  const trusted = readAll(roots);
  const known = readAll(intermediates);
  const parsedCrls: ParsedCrl[] = [];
  for (const der of crls) {
    try {
      parsedCrls.push(parseCrl(der));
    } catch {
      // As above: an unreadable CRL is no revocation information.
    }
  }
  const pattern = /\/ByteRange\s*\[\s*(\d{1,15})\s+(\d{1,15})\s+(\d{1,15})\s+(\d{1,15})\s*\]/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text))) {
    if (report.signatures.length >= MAX_SIGNATURES) {
      problems.push(`Tệp có quá nhiều chữ ký; chỉ kiểm tra ${MAX_SIGNATURES} chữ ký đầu tiên.`);
      break;
    }
    const range = match.slice(1, 5).map(Number) as [number, number, number, number];
    report.signatures.push(
      verifyOne(
        pdf,
        text,
        range,
        match.index,
        report.signatures.length + 1,
        { trusted, known, crls: parsedCrls },
        now,
      ),
    );
  }
  if (report.signatures.length === 0) problems.push('Tệp PDF không có chữ ký số nào.');
  const last = report.signatures[report.signatures.length - 1];
  if (last && !last.coversWholeFile && last.problems.length === 0)
    problems.push('Tệp đã bị thêm nội dung sau chữ ký cuối cùng.');
  report.isWhollyValid =
    report.signatures.length > 0 &&
    problems.length === 0 &&
    report.signatures.every((s) => s.isValid) &&
    Boolean(last?.coversWholeFile);
  return report;
}
