// PAdES B-B signatures checked by independent tools: poppler's pdfsig reads each signature as valid and covering
// the document, one changed byte is caught, and OpenSSL shows the ESS signing-certificate-v2 attribute. The test CA
// and certificates are made here with OpenSSL, named as test certificates.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { requirePdfTools } from '../../../test/support/pdf.ts';
import { renderPdf } from '../../platform/pdf/render-pdf.ts';
import { signPdf } from './pades.ts';
import { createP12Signer } from './signer.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-pades-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

function makeTestCertificates() {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '30',
    '-subj',
    '/C=VN/O=xaso (thử nghiệm)/CN=CA thử nghiệm xaso - KHÔNG DÙNG THẬT',
    '-utf8',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'leader.key',
    '-out',
    'leader.csr',
    '-utf8',
    '-subj',
    '/C=VN/O=UBND xã Bảo Yên (thử nghiệm)/CN=Giàng A Páo (chứng thư thử nghiệm)',
  );
  fs.writeFileSync(
    path.join(dir, 'ext.cnf'),
    'keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'leader.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'leader.crt',
    '-days',
    '30',
    '-extfile',
    'ext.cnf',
  );
  openssl(
    'pkcs12',
    '-export',
    '-inkey',
    'leader.key',
    '-in',
    'leader.crt',
    '-certfile',
    'ca.crt',
    '-out',
    'leader.p12',
    '-passout',
    'pass:mat-khau-thu',
    '-keypbe',
    'AES-256-CBC',
    '-certpbe',
    'AES-256-CBC',
    '-macalg',
    'sha256',
  );
  return fs.readFileSync(path.join(dir, 'leader.p12'));
}

describe('PAdES signatures', () => {
  let p12: Buffer;
  let document: Buffer;
  before(async () => {
    p12 = makeTestCertificates();
    document = await renderPdf({
      info: { title: 'Giấy tiếp nhận hồ sơ (thử ký)', author: 'xaso' },
      content: [{ text: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả — bản thử ký số.' }],
    });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const request = {
    name: 'Giàng A Páo',
    reason: 'Ký số giấy tiếp nhận hồ sơ',
    location: 'Bảo Yên, Lào Cai',
    contactInfo: 'motcua@baoyen.laocai.gov.vn',
    signingTime: new Date('2026-12-01T02:00:00Z'),
  };

  test('a signature pdfsig reads as valid, over the whole document, ETSI.CAdES.detached', async (t) => {
    if (!requirePdfTools(t)) return;
    const signed = await signPdf(document, createP12Signer(p12, 'mat-khau-thu'), request);
    const file = path.join(dir, 'signed.pdf');
    fs.writeFileSync(file, signed);
    const report = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    assert.match(report, /Signature #1/);
    assert.match(report, /Signature Validation: Signature is Valid\./);
    assert.match(report, /Signature Type: ETSI\.CAdES\.detached/);
    assert.match(report, /Total document signed/);
    assert.match(report, /Signer Certificate Common Name: Giàng A Páo \(chứng thư thử nghiệm\)/);
  });

  test('OpenSSL shows the signing-certificate-v2 attribute and no signing-time', async () => {
    const signed = await signPdf(document, createP12Signer(p12, 'mat-khau-thu'), request);
    const match = /\/Contents\s*<([0-9A-Fa-f]+)>/.exec(signed.toString('latin1'))!;
    const cms = Buffer.from(match[1]!.replace(/(00)+$/, ''), 'hex');
    fs.writeFileSync(path.join(dir, 'sig.der'), cms);
    const printed = openssl('cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.der').toString();
    assert.match(printed, /id-smime-aa-signingCertificateV2/);
    assert.match(printed, /messageDigest/);
    assert.doesNotMatch(printed, /signingTime/);
  });

  test('a second signature is an incremental update; both stay valid; one changed byte is caught', async (t) => {
    if (!requirePdfTools(t)) return;
    const key = createP12Signer(p12, 'mat-khau-thu');
    const once = await signPdf(document, key, request);
    const twice = await signPdf(once, key, {
      ...request,
      reason: 'Ký số của cơ quan',
      name: 'UBND xã Bảo Yên',
    });
    assert.ok(twice.subarray(0, once.length).equals(once), 'the first signed revision is untouched');
    const file = path.join(dir, 'twice.pdf');
    fs.writeFileSync(file, twice);
    const report = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    assert.equal((report.match(/Signature is Valid\./g) ?? []).length, 2, report);

    const tampered = Buffer.from(twice);
    const at = tampered.indexOf('bản thử ký số') > 0 ? tampered.indexOf('bản thử ký số') : 200;
    tampered[at] = tampered[at]! ^ 0x01;
    const bad = path.join(dir, 'tampered.pdf');
    fs.writeFileSync(bad, tampered);
    let out = '';
    try {
      out = execFileSync('pdfsig', [bad], { encoding: 'utf8' });
    } catch (error) {
      out = String((error as { stdout?: string }).stdout ?? '');
    }
    assert.doesNotMatch(
      out.split('Signature #2')[0]!,
      /Signature is Valid\./,
      'the changed document is reported',
    );
  });

  test('a wrong password is refused in Vietnamese and nothing is signed', () => {
    assert.throws(() => createP12Signer(p12, 'sai'), /SIGNING_KEY_UNAVAILABLE/);
  });
});
