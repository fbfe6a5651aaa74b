// xaso's verifier against certificates made with OpenSSL (`openssl ca`): trusted and valid, expired, without the
// signing key usage, revoked in a CRL of the issuer; a changed byte, appended bytes; and crafted files (not a PDF,
// random bytes, truncated, a /ByteRange outside the file, a huge /Contents, an encrypted trailer, thousands of
// signatures) — each answered with Vietnamese problems, never a throw, never a hang.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestPki, TEST_P12_PASSWORD, type TestPki } from '../../../test/support/test-pki.ts';
import { renderPdf } from '../../platform/pdf/render-pdf.ts';
import { signPdf } from './pades.ts';
import { createP12Signer } from './signer.ts';
import { verifyPdfSignatures, type VerificationReport } from './verify.ts';

const now = () => new Date(Date.now());
/** A claimed signing time a moment from now, whole seconds (as /M keeps it). */
const soon = () => new Date(Math.floor(Date.now() / 1000) * 1000 + 2000);

describe('verifying signatures: validity, key usage, revocation, crafted input', () => {
  let pki: TestPki;
  let other: TestPki;
  let document: Buffer;
  before(async () => {
    pki = createTestPki();
    other = createTestPki('CA khác (thử nghiệm)');
    document = await renderPdf({
      info: { title: 'Kết quả giải quyết hồ sơ (thử ký)', author: 'xaso' },
      content: [{ text: 'Kết quả giải quyết thủ tục hành chính — bản thử ký số.' }],
    });
  });
  after(() => {
    pki.close();
    other.close();
  });

  async function signWith(p12: Buffer, pdf = document): Promise<Buffer> {
    return signPdf(pdf, createP12Signer(p12, TEST_P12_PASSWORD), {
      name: 'Giàng A Páo',
      reason: 'Ký số kết quả',
      location: 'Bảo Yên, Lào Cai',
      contactInfo: 'motcua@baoyen.laocai.gov.vn',
      signingTime: soon(),
    });
  }

  test('a valid signature with a CRL of its issuer: trusted, valid at signing, may sign, not revoked', async () => {
    const leader = pki.issue('valid');
    const signed = await signWith(leader.p12);
    const report = verifyPdfSignatures(signed, { roots: [pki.caDer], crls: [pki.crl()] }, now());
    assert.equal(report.isPdf, true);
    assert.equal(report.isEncrypted, false);
    assert.deepEqual(report.problems, []);
    const [s] = report.signatures;
    assert.deepEqual(s!.problems, [], JSON.stringify(s));
    assert.equal(s!.isValid, true);
    assert.equal(s!.isTrusted, true);
    assert.equal(s!.isCertificateValidAtSigning, true);
    assert.equal(s!.hasSigningKeyUsage, true);
    assert.equal(s!.revocation, 'good');
    assert.equal(s!.revokedAt, null);
    assert.equal(s!.signerCertificate!.commonName, 'Giàng A Páo (chứng thư thử nghiệm valid)');
    assert.equal(s!.signerCertificate!.organization, 'UBND xã Bảo Yên (thử nghiệm)');
    assert.equal(
      s!.signerCertificate!.sha256,
      crypto.createHash('sha256').update(leader.certificate).digest('hex'),
    );
    assert.equal(report.isWhollyValid, true);
    assert.equal(report.sha256, crypto.createHash('sha256').update(signed).digest('hex'));
  });

  test('roots alone (the older form) still verify; revocation is then not checked, and said so', async () => {
    const signed = await signWith(pki.issue('roots-only').p12);
    const report = verifyPdfSignatures(signed, [pki.caDer], now());
    const [s] = report.signatures;
    assert.equal(s!.isValid, true);
    assert.equal(s!.revocation, 'not_checked');
    assert.equal(report.isWhollyValid, true);
  });

  test('an untrusted root, a CRL of another authority: untrusted, revocation not checked', async () => {
    const signed = await signWith(pki.issue('untrusted').p12);
    const report = verifyPdfSignatures(signed, { roots: [other.caDer], crls: [other.crl()] }, now());
    const [s] = report.signatures;
    assert.equal(s!.isTrusted, false);
    assert.equal(s!.revocation, 'not_checked');
    assert.match(s!.problems.join(' '), /chuỗi tin cậy của tỉnh/);
    assert.equal(report.isWhollyValid, false);
  });

  test('an expired certificate is reported as expired at the signing time', async () => {
    const expired = pki.issue('expired', { startDate: '20200101000000Z', endDate: '20210101000000Z' });
    const report = verifyPdfSignatures(await signWith(expired.p12), { roots: [pki.caDer] }, now());
    const [s] = report.signatures;
    assert.equal(s!.isCertificateValidAtSigning, false);
    assert.equal(s!.isValid, false);
    assert.match(s!.problems.join(' '), /đã hết hiệu lực \(đến 2021-01-01 00:00:00 UTC\)/);
    assert.equal(s!.isDigestValid, true, 'the document itself is unchanged');
  });

  test('a certificate without digitalSignature or nonRepudiation is refused for signing', async () => {
    const encipherOnly = pki.issue('no-signing', { keyUsage: 'keyEncipherment' });
    const report = verifyPdfSignatures(await signWith(encipherOnly.p12), { roots: [pki.caDer] }, now());
    const [s] = report.signatures;
    assert.equal(s!.hasSigningKeyUsage, false);
    assert.equal(s!.isValid, false);
    assert.match(s!.problems.join(' '), /không được cấp cho mục đích ký số/);
  });

  test('a certificate revoked before the signing time (openssl ca -revoke, -gencrl) is invalid', async () => {
    const revoked = pki.issue('revoked');
    pki.revoke(revoked);
    const crl = pki.crl();
    const signed = await signWith(revoked.p12);
    const report = verifyPdfSignatures(signed, { roots: [pki.caDer], crls: [crl] }, now());
    const [s] = report.signatures;
    assert.equal(s!.revocation, 'revoked');
    assert.ok(s!.revokedAt && new Date(s!.revokedAt) <= new Date(s!.checkedAt!));
    assert.match(s!.problems.join(' '), /đã bị thu hồi lúc .*, trước thời điểm ký/);
    assert.equal(s!.isValid, false);
    assert.equal(report.isWhollyValid, false);

    // The same signature without the CRL: nothing to say it is revoked.
    const unchecked = verifyPdfSignatures(signed, { roots: [pki.caDer] }, now());
    assert.equal(unchecked.signatures[0]!.revocation, 'not_checked');
  });

  test('a changed byte is reported as a change after signing; appended bytes as not covering the file', async () => {
    const signed = await signWith(pki.issue('changed').p12);
    const tampered = Buffer.from(signed);
    tampered[400] = tampered[400]! ^ 0x01;
    const changed = verifyPdfSignatures(tampered, { roots: [pki.caDer] }, now());
    assert.equal(changed.signatures[0]!.isDigestValid, false);
    assert.match(changed.signatures[0]!.problems.join(' '), /bị thay đổi sau khi ký/);
    assert.equal(changed.isWhollyValid, false);

    const appended = Buffer.concat([signed, Buffer.from('\n1 0 obj\n(them)\nendobj\n')]);
    const report = verifyPdfSignatures(appended, { roots: [pki.caDer] }, now());
    assert.equal(report.signatures[0]!.isDigestValid, true);
    assert.equal(report.signatures[0]!.coversWholeFile, false);
    assert.match(report.problems.join(' '), /thêm nội dung sau chữ ký cuối cùng/);
    assert.equal(report.isWhollyValid, false);
  });

  describe('crafted input: problems, never a throw or a hang', () => {
    function check(name: string, make: () => Buffer | Promise<Buffer>, expect: RegExp) {
      test(name, async () => {
        const pdf = await make();
        const started = Date.now();
        let report: VerificationReport | undefined;
        assert.doesNotThrow(() => {
          report = verifyPdfSignatures(pdf, { roots: [pki.caDer], crls: [pki.crl()] }, now());
        });
        assert.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
        const all = [...report!.problems, ...report!.signatures.flatMap((s) => s.problems)].join(' ');
        assert.match(all, expect);
        assert.equal(report!.isWhollyValid, false);
      });
    }

    check('not a PDF', () => Buffer.from('Xin chào, đây là tệp văn bản.'), /không phải tệp PDF/);
    check('random bytes', () => crypto.randomBytes(64 * 1024), /không phải tệp PDF/);
    check('an empty file', () => Buffer.alloc(0), /không phải tệp PDF/);
    check('a PDF without signatures', () => document, /không có chữ ký số nào/);
    check(
      'a signed PDF truncated in its middle',
      async () => {
        const signed = await signWith(pki.issue('truncated').p12);
        return signed.subarray(0, Math.floor(signed.length * 0.8));
      },
      /ByteRange|không có chữ ký số/,
    );
    check(
      'a /ByteRange pointing outside the file',
      () =>
        Buffer.from(
          '%PDF-1.7\n1 0 obj\n<< /Type /Sig /ByteRange [0 10 999999999 999999999] /Contents <00> >>\nendobj\n',
        ),
      /ByteRange/,
    );
    check(
      'a /ByteRange with numbers too long to be offsets',
      () => Buffer.from(`%PDF-1.7\n<< /ByteRange [0 ${'9'.repeat(40)} 1 1] >>\n`),
      /không có chữ ký số nào/,
    );
    /** A file shaped like a signed PDF whose /ByteRange exactly surrounds `contents`. */
    function signatureShaped(contents: string): Buffer {
      const width = 12;
      const head = (b: number, c: number, d: number) =>
        `%PDF-1.7\n1 0 obj\n<< /Type /Sig /ByteRange [0 ${[b, c, d].map((n) => String(n).padStart(width, '0')).join(' ')}] /Contents `;
      const tail = ' >>\nendobj\ntrailer\n<< >>\n%%EOF\n';
      const b = head(0, 0, 0).length;
      const c = b + contents.length;
      return Buffer.from(`${head(b, c, tail.length)}${contents}${tail}`, 'latin1');
    }
    check(
      'a huge /Contents of hex that is no CMS',
      () => signatureShaped(`<${'AB'.repeat(4 * 1024 * 1024)}>`),
      /Không đọc được chữ ký/,
    );
    check(
      'a /Contents that is not hex',
      () => signatureShaped('<zz-not-hex-at-all>'),
      /Không đọc được chữ ký/,
    );
    check(
      'an encrypted PDF (an /Encrypt entry in the trailer)',
      () =>
        Buffer.from(
          '%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R /Encrypt 5 0 R /ID [<01><01>] >>\n%%EOF\n',
        ),
      /được mã hóa/,
    );
    check(
      'ten thousand signature dictionaries',
      () => {
        const entry = '<< /Type /Sig /ByteRange [0 10 20 10] /Contents <3082> >>\n';
        return Buffer.from(`%PDF-1.7\n${entry.repeat(10_000)}%%EOF\n`);
      },
      /quá nhiều chữ ký/,
    );
  });
});
