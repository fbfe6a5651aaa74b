// The PKCS#11 signer against a real token: SoftHSM2 (Debian's softhsm2) in a temporary token directory, the leader's
// key imported into it, the certificates written next to it with OpenSC's pkcs11-tool. Its signatures are checked
// like the PKCS#12 ones: poppler's pdfsig (valid, whole document, trusted through an NSS database holding the test
// CA) and xaso's own verifier. A locked token, which SoftHSM2 never becomes, is a small module compiled here that is
// SoftHSM2 with C_Login answering CKR_PIN_LOCKED. The CA and certificates are made with OpenSSL, named as test ones.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { requirePdfTools } from '../../../test/support/pdf.ts';
import { createTestPki, TEST_P12_PASSWORD } from '../../../test/support/test-pki.ts';
import { isAppError } from '../../platform/errors.ts';
import { renderPdf } from '../../platform/pdf/render-pdf.ts';
import { signPdf } from './pades.ts';
import { createPkcs11Signer, reasonForPkcs11Error, type Pkcs11Signer } from './pkcs11-signer.ts';
import { createP12Signer } from './signer.ts';
import { verifyPdfSignatures } from './verify.ts';

const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const TOKEN_LABEL = 'xaso-thu-nghiem';
const PIN = '123456';
const SO_PIN = '654321';
const KEY_LABEL = 'lanh-dao-thu-nghiem';
const KEY_ID = 'a1b2c3';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-pkcs11-'));
// SoftHSM2 reads its configuration when the module is initialised: this token directory, not the machine's.
fs.mkdirSync(path.join(dir, 'tokens'));
fs.writeFileSync(
  path.join(dir, 'softhsm2.conf'),
  `directories.tokendir = ${path.join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
);
process.env.SOFTHSM2_CONF = path.join(dir, 'softhsm2.conf');

const run = (command: string, ...args: string[]) =>
  execFileSync(command, args, { cwd: dir, stdio: 'pipe', encoding: 'utf8' });

/** What the tests need that is not installed, each with the Debian package that brings it. */
function missingSoftHsmTools(): string[] {
  const tools: [string, string[], string][] = [
    ['softhsm2-util', ['--version'], 'softhsm2'],
    ['pkcs11-tool', ['--help'], 'opensc'],
    ['certutil', ['-H'], 'libnss3-tools'],
  ];
  const missing = tools
    .filter(([tool, args]) => {
      try {
        execFileSync(tool, args, { stdio: 'ignore' });
        return false;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ENOENT';
      }
    })
    .map(([tool, , debianPackage]) => `${tool} (${debianPackage})`);
  if (!fs.existsSync(SOFTHSM_MODULE)) missing.push(`${SOFTHSM_MODULE} (softhsm2)`);
  return missing;
}

const missingTools = missingSoftHsmTools();

/**
 * Skips the test when SoftHSM2 or its companions are missing, unless REQUIRE_SOFTHSM=1 or CI=true, where a missing
 * tool fails the test instead of hiding it (as requirePdfTools does). Returns true when the test may go on.
 */
function requireSoftHsm(t: TestContext): boolean {
  if (missingTools.length === 0) return true;
  const message = `${missingTools.join(', ')} không có trên máy này: apt-get install -y softhsm2 opensc libnss3-tools`;
  if (process.env.REQUIRE_SOFTHSM === '1' || process.env.CI === 'true') throw new Error(message);
  t.skip(message);
  return false;
}

/**
 * The test CA (test/support/test-pki.ts) and two certificates: the leader's, whose key goes into the token, and an
 * officer's in a PKCS#12 file. Their files are copied into this test's directory under the names the token and the
 * NSS database are made from.
 */
function makeTestCertificates(): void {
  const pki = createTestPki('CA thử nghiệm xaso PKCS#11 - KHÔNG DÙNG THẬT');
  try {
    const leader = pki.issue('leader', { commonName: 'Giàng A Páo (chứng thư thử nghiệm, token)' });
    const officer = pki.issue('officer', { commonName: 'Lò Thị Mai (chứng thư thử nghiệm, P12)' });
    // OpenSSL 3 writes the key as unencrypted PKCS#8 PEM, which softhsm2-util --import reads.
    fs.copyFileSync(path.join(pki.dir, 'leader.key'), path.join(dir, 'leader.key'));
    fs.writeFileSync(path.join(dir, 'leader.der'), leader.certificate);
    fs.writeFileSync(path.join(dir, 'officer.p12'), officer.p12);
    fs.writeFileSync(path.join(dir, 'ca.pem'), pki.caPem);
    fs.writeFileSync(path.join(dir, 'ca.der'), pki.caDer);
  } finally {
    pki.close();
  }
}

/** A fresh SoftHSM2 token with the leader's key and certificate and the CA's certificate. */
function makeTestToken(): void {
  run('softhsm2-util', '--init-token', '--free', '--label', TOKEN_LABEL, '--pin', PIN, '--so-pin', SO_PIN);
  run(
    'softhsm2-util',
    '--import',
    'leader.key',
    '--token',
    TOKEN_LABEL,
    '--label',
    KEY_LABEL,
    '--id',
    KEY_ID,
    '--pin',
    PIN,
  );
  const writeCertificate = (file: string, id: string, label: string) =>
    run(
      'pkcs11-tool',
      '--module',
      SOFTHSM_MODULE,
      '--token-label',
      TOKEN_LABEL,
      '--login',
      '--pin',
      PIN,
      '--write-object',
      file,
      '--type',
      'cert',
      '--id',
      id,
      '--label',
      label,
    );
  writeCertificate('leader.der', KEY_ID, KEY_LABEL);
  writeCertificate('ca.der', 'ca01', 'CA thu nghiem');
}

/** A PKCS#11 module that is SoftHSM2 except that C_Login answers CKR_PIN_LOCKED; undefined without a C compiler. */
function buildLockedTokenModule(): string | undefined {
  const headers = path.join(
    path.dirname(createRequire(import.meta.url).resolve('pkcs11js')),
    'includes',
    'pkcs11',
  );
  fs.writeFileSync(
    path.join(dir, 'locked.c'),
    `#include <dlfcn.h>
#include <string.h>
#include "pkcs11.h"

static CK_FUNCTION_LIST list;

static CK_RV locked_login(CK_SESSION_HANDLE session, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG length) {
  (void)session; (void)user; (void)pin; (void)length;
  return CKR_PIN_LOCKED;
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR out) {
  void *softhsm = dlopen("${SOFTHSM_MODULE}", RTLD_NOW | RTLD_LOCAL);
  CK_C_GetFunctionList get = softhsm ? (CK_C_GetFunctionList)dlsym(softhsm, "C_GetFunctionList") : NULL;
  CK_FUNCTION_LIST_PTR real;
  if (!get || get(&real) != CKR_OK) return CKR_GENERAL_ERROR;
  memcpy(&list, real, sizeof list);
  list.C_Login = locked_login;
  *out = &list;
  return CKR_OK;
}
`,
  );
  try {
    run('cc', '-shared', '-fPIC', '-O2', '-I', headers, '-o', 'locked.so', 'locked.c', '-ldl');
    return path.join(dir, 'locked.so');
  } catch {
    return undefined;
  }
}

async function rejectsWithReason(promise: Promise<unknown>, reason: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isAppError(error), `an AppError, not ${String(error)}`);
    assert.equal(error.code, 'SIGNING_KEY_UNAVAILABLE');
    assert.match(String(error.details.reason), reason);
    assert.doesNotMatch(
      JSON.stringify(error.details) + error.message,
      new RegExp(PIN),
      'the PIN is never told',
    );
    return true;
  });
}

function pdfsig(file: string, ...options: string[]): string {
  try {
    return execFileSync('pdfsig', [...options, file], { encoding: 'utf8' });
  } catch (error) {
    // pdfsig exits non-zero when a signature is not valid; its report is still what the test reads.
    return String((error as { stdout?: string }).stdout ?? '');
  }
}

describe('PKCS#11 signer (SoftHSM2)', () => {
  const options = {
    modulePath: SOFTHSM_MODULE,
    tokenLabel: TOKEN_LABEL,
    keyLabel: KEY_LABEL,
    pin: PIN,
  };
  let document: Buffer;
  let caDer: Buffer;
  let signer: Pkcs11Signer | undefined;
  const request = () => ({
    name: 'Giàng A Páo',
    reason: 'Ký số giấy tiếp nhận hồ sơ',
    location: 'Bảo Yên, Lào Cai',
    contactInfo: 'motcua@baoyen.laocai.gov.vn',
    // Real times: the test certificates were made a moment ago, and trust is judged at the time of signing.
    signingTime: new Date(Math.floor(Date.now() / 1000) * 1000 + 1000),
  });
  const tokenSigner = async () => (signer ??= await createPkcs11Signer(options));

  before(async () => {
    document = await renderPdf({
      info: { title: 'Giấy tiếp nhận hồ sơ (thử ký bằng token)', author: 'xaso' },
      content: [{ text: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả — bản thử ký số bằng token PKCS#11.' }],
    });
    if (missingTools.length > 0) return;
    makeTestCertificates();
    makeTestToken();
    caDer = fs.readFileSync(path.join(dir, 'ca.der'));
  });
  after(async () => {
    await signer?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the token signs exactly what the key file signs, and tells its chain: leader, then the CA', async (t) => {
    if (!requireSoftHsm(t)) return;
    const key = await tokenSigner();
    const data = Buffer.from('các thuộc tính đã ký của CMS');
    const expected = crypto.sign('sha256', data, {
      key: crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'leader.key'))),
      padding: crypto.constants.RSA_PKCS1_PADDING,
    });
    assert.ok(
      (await key.signSha256(data)).equals(expected),
      'RSA PKCS#1 v1.5 with SHA-256, hashed on the token',
    );
    const chain = await key.certificateChain();
    assert.equal(chain.length, 2);
    assert.ok(chain[0]!.equals(fs.readFileSync(path.join(dir, 'leader.der'))));
    assert.ok(chain[1]!.equals(caDer));
  });

  test('a PDF signed on the token: pdfsig reads it valid, whole, and trusted through an NSS database', async (t) => {
    if (!requireSoftHsm(t) || !requirePdfTools(t)) return;
    const signed = await signPdf(document, await tokenSigner(), request());
    const file = path.join(dir, 'signed-token.pdf');
    fs.writeFileSync(file, signed);
    const report = pdfsig(file);
    assert.match(report, /Signature Validation: Signature is Valid\./, report);
    assert.match(report, /Total document signed/);
    assert.match(report, /Signature Type: ETSI\.CAdES\.detached/);
    assert.match(report, /Signer Certificate Common Name: Giàng A Páo \(chứng thư thử nghiệm, token\)/);

    const nss = path.join(dir, 'nss');
    fs.mkdirSync(nss, { recursive: true });
    run('certutil', '-N', '-d', `sql:${nss}`, '--empty-password');
    // Trusted for e-mail signers too (the middle field): the usage poppler asks NSS about for a PDF signer.
    run('certutil', '-A', '-d', `sql:${nss}`, '-n', 'CA thu nghiem', '-t', 'C,C,C', '-i', 'ca.pem');
    const trusted = pdfsig(file, '-nssdir', `sql:${nss}`);
    assert.match(trusted, /Signature is Valid\./, trusted);
    assert.match(trusted, /Certificate Validation: Certificate is Trusted\./, trusted);

    const verified = verifyPdfSignatures(signed, [caDer], new Date(Date.now()));
    assert.equal(verified.signatures.length, 1);
    const [signature] = verified.signatures;
    assert.deepEqual(signature!.problems, [], JSON.stringify(signature));
    assert.equal(signature!.isSignatureValid, true);
    assert.equal(signature!.isDigestValid, true);
    assert.equal(signature!.isSigningCertificateBound, true);
    assert.equal(signature!.coversWholeFile, true);
    assert.equal(signature!.isTrusted, true);
    assert.match(signature!.signerCertificate!.subject, /Giàng A Páo/);
  });

  test('a PKCS#12 signature, then a PKCS#11 one on the same file: both valid', async (t) => {
    if (!requireSoftHsm(t) || !requirePdfTools(t)) return;
    const officer = createP12Signer(fs.readFileSync(path.join(dir, 'officer.p12')), TEST_P12_PASSWORD);
    const once = await signPdf(document, officer, { ...request(), name: 'Lo Thi Mai' });
    const twice = await signPdf(once, await tokenSigner(), request());
    assert.ok(twice.subarray(0, once.length).equals(once), 'the first signed revision is untouched');
    const file = path.join(dir, 'p12-then-token.pdf');
    fs.writeFileSync(file, twice);
    const report = pdfsig(file);
    assert.equal((report.match(/Signature is Valid\./g) ?? []).length, 2, report);
    assert.match(report, /Lò Thị Mai/);
    assert.match(report, /Giàng A Páo/);
    const verified = verifyPdfSignatures(twice, [caDer], new Date(Date.now()));
    assert.equal(verified.signatures.length, 2);
    for (const signature of verified.signatures) {
      assert.equal(signature.isSignatureValid, true, JSON.stringify(signature));
      assert.equal(signature.isDigestValid, true);
      assert.equal(signature.isTrusted, true);
    }
    assert.equal(verified.signatures[1]!.coversWholeFile, true);
  });

  test('four documents signed at once through one session: each verifies', async (t) => {
    if (!requireSoftHsm(t)) return;
    const key = await tokenSigner();
    const documents = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        signPdf(document, key, { ...request(), reason: `Ky so giay tiep nhan so ${n}` }),
      ),
    );
    for (const signed of documents) {
      const [signature] = verifyPdfSignatures(signed, [caDer], new Date(Date.now())).signatures;
      assert.equal(signature!.isSignatureValid, true, JSON.stringify(signature));
      assert.equal(signature!.isDigestValid, true);
      assert.equal(signature!.isTrusted, true);
    }
    if (requirePdfTools(t)) {
      documents.forEach((signed, index) => fs.writeFileSync(path.join(dir, `parallel-${index}.pdf`), signed));
      for (let index = 0; index < documents.length; index++)
        assert.match(pdfsig(path.join(dir, `parallel-${index}.pdf`)), /Signature is Valid\./);
    }
  });

  test('a wrong PIN is refused in Vietnamese, also while another signer holds the login', async (t) => {
    if (!requireSoftHsm(t)) return;
    // Nobody logged in: the token itself answers CKR_PIN_INCORRECT.
    await signer?.close();
    signer = undefined;
    await rejectsWithReason(createPkcs11Signer({ ...options, pin: '000000' }), /^mã PIN không đúng$/);
    // Logged in by another signer of this process: C_Login would not check, so the signer does.
    await tokenSigner();
    await rejectsWithReason(createPkcs11Signer({ ...options, pin: '000000' }), /^mã PIN không đúng$/);
    const second = await createPkcs11Signer({ ...options, keyLabel: undefined, keyId: KEY_ID });
    assert.ok((await second.certificateChain())[0]!.equals(fs.readFileSync(path.join(dir, 'leader.der'))));
    await second.close();
    // Closing one signer does not log the other out.
    const [signature] = verifyPdfSignatures(
      await signPdf(document, await tokenSigner(), request()),
      [caDer],
      new Date(Date.now()),
    ).signatures;
    assert.equal(signature!.isSignatureValid, true);
  });

  test('an absent token, a missing module, a missing key: each says so, and nothing is signed', async (t) => {
    if (!requireSoftHsm(t)) return;
    await rejectsWithReason(
      createPkcs11Signer({ ...options, tokenLabel: 'token-khong-co' }),
      /^không thấy thiết bị ký \(token\) “token-khong-co” — hãy cắm token/,
    );
    await rejectsWithReason(
      createPkcs11Signer({ ...options, modulePath: path.join(dir, 'khong-co.so') }),
      /^không nạp được thư viện PKCS#11 “.*khong-co\.so”/,
    );
    await rejectsWithReason(
      createPkcs11Signer({ ...options, keyLabel: 'khoa-khong-co' }),
      /^không thấy khóa bí mật \(nhãn “khoa-khong-co”\) trên token “xaso-thu-nghiem”$/,
    );
    await rejectsWithReason(
      createPkcs11Signer({ ...options, keyLabel: undefined, keyId: 'ffff' }),
      /không thấy khóa bí mật \(mã ffff\)/,
    );
  });

  test('a locked token is refused in Vietnamese', async (t) => {
    if (!requireSoftHsm(t)) return;
    const lockedModule = buildLockedTokenModule();
    if (!lockedModule) {
      t.skip('không có trình biên dịch C (cc) để dựng mô-đun token bị khóa');
      return;
    }
    await rejectsWithReason(
      createPkcs11Signer({ ...options, modulePath: lockedModule }),
      /^token đã bị khóa do nhập sai PIN nhiều lần/,
    );
    // The locked module is SoftHSM2 underneath, initialised already by the open signer: giving up on it must not
    // finalise SoftHSM2 under that signer's feet.
    assert.equal((await (await tokenSigner()).signSha256(Buffer.from('x'))).length, 256);
  });

  test('after close a signer refuses to sign; closing twice is harmless', async (t) => {
    if (!requireSoftHsm(t)) return;
    const own = await createPkcs11Signer(options);
    await own.close();
    await own.close();
    await rejectsWithReason(own.signSha256(Buffer.from('x')), /^phiên ký với token đã đóng$/);
    // signPdf gives back no document at all: there is no half-signed file to store.
    await rejectsWithReason(signPdf(document, own, request()), /^phiên ký với token đã đóng$/);
  });
});

describe('reasons for PKCS#11 errors', () => {
  test('each CKR code name pkcs11js reports gets its Vietnamese reason', async () => {
    // pkcs11js turns the module's return value into a Pkcs11Error whose message is the code's name.
    const { Pkcs11Error } = (await import('pkcs11js')).default;
    const error = (name: string, code: number) => new Pkcs11Error(`${name}:${code}`);
    assert.equal(error('CKR_PIN_LOCKED', 0xa4).message, 'CKR_PIN_LOCKED');
    assert.match(
      reasonForPkcs11Error(error('CKR_PIN_LOCKED', 0xa4)),
      /^token đã bị khóa do nhập sai PIN nhiều lần/,
    );
    assert.equal(reasonForPkcs11Error(error('CKR_PIN_INCORRECT', 0xa0)), 'mã PIN không đúng');
    assert.match(reasonForPkcs11Error(error('CKR_DEVICE_REMOVED', 0x32)), /đã bị rút ra/);
    assert.match(reasonForPkcs11Error(error('CKR_TOKEN_NOT_PRESENT', 0xe0)), /hãy cắm lại token/);
    assert.match(reasonForPkcs11Error(error('CKR_PIN_EXPIRED', 0xa3)), /hết hạn/);
    assert.equal(
      reasonForPkcs11Error(error('CKR_FUNCTION_FAILED', 0x6)),
      'token báo lỗi CKR_FUNCTION_FAILED',
    );
  });
});
