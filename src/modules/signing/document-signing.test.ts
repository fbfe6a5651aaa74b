// Where signing happens, through the API on a real database: the Mẫu 01 receipt is signed by the centre when the
// dossier is received; the result by the approving leader and then the agency. Each file is checked by poppler's
// pdfsig with the demo CA trusted through an NSS database, and by xaso's verifier; one changed byte is caught. A
// signing that fails (the agency's PKCS#12 file is damaged) is shown to the officer with its reason, keeps the
// leader's signature, keeps the result from the applicant, and succeeds when retried after the key is mended.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { Agent, createTestApp, TEST_SIGNING_DIR, type TestApp } from '../../../test/support/app.ts';
import { command, importTestProcedure, intakeBody, uploadScan } from '../../../test/support/dossiers.ts';
import { pdfText, requirePdfTools } from '../../../test/support/pdf.ts';
import { fixedClock } from '../../platform/clock.ts';
import { createTestPki } from '../../../test/support/test-pki.ts';
import type { AppError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n/index.ts';
import { assertCertificateUsable, retryDelaySeconds } from './document-signing.ts';
import { DEMO_P12_PASSWORD } from './key-directory.ts';
import { verifyPdfSignatures } from './verify.ts';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-doc-signing-'));
const demoRoot = () =>
  Buffer.from(
    fs
      .readFileSync(path.join(TEST_SIGNING_DIR, 'demo-ca', 'ca-thu-nghiem.pem'), 'utf8')
      .replace(/-----[^-]+-----|\s/g, ''),
    'base64',
  );

/** pdfsig's report of `pdf`, with the demo CA trusted through an NSS database. */
function pdfsig(pdf: Buffer): string {
  const nss = path.join(work, 'nss');
  if (!fs.existsSync(nss)) {
    fs.mkdirSync(nss);
    execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    execFileSync('certutil', [
      '-A',
      '-d',
      `sql:${nss}`,
      '-n',
      'CA thu nghiem xaso',
      '-t',
      'C,C,C',
      '-i',
      path.join(TEST_SIGNING_DIR, 'demo-ca', 'ca-thu-nghiem.pem'),
    ]);
  }
  const file = path.join(work, `check-${Date.now()}-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync('pdfsig', ['-nssdir', `sql:${nss}`, file], { encoding: 'utf8' });
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

function requireTools(t: TestContext): boolean {
  if (!requirePdfTools(t)) return false;
  for (const tool of ['pdfsig', 'certutil']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
    } catch {
      const message = `${tool} không có trên máy này: apt-get install -y poppler-utils libnss3-tools`;
      if (process.env.CI === 'true' || process.env.REQUIRE_PDF_TOOLS === '1') throw new Error(message);
      t.skip(message);
      return false;
    }
  }
  return true;
}

describe('signing where it happens', () => {
  let t: TestApp;
  const clock = fixedClock('2026-12-01T02:00:00Z');
  let officer: Agent;
  let specialist: Agent;
  let leader: Agent;
  let specialistId: string;
  const brokenAgencyKey = path.join(work, 'agency-02647.p12');

  before(async () => {
    fs.writeFileSync(brokenAgencyKey, 'không phải tệp PKCS#12');
    const keys = path.join(work, 'keys.json');
    fs.writeFileSync(
      keys,
      JSON.stringify({
        keys: [
          {
            holder: 'agency:02647',
            pkcs12: { file: brokenAgencyKey, passwordEnv: 'SIGNING_SECRET_AGENCY_02647' },
          },
        ],
      }),
    );
    t = await createTestApp({
      clock,
      env: { SIGNING_KEYS_FILE: keys, SIGNING_SECRET_AGENCY_02647: DEMO_P12_PASSWORD },
    });
    await importTestProcedure(t);
    officer = new Agent(t.app);
    specialist = new Agent(t.app);
    leader = new Agent(t.app);
    await officer.login('motcua.xa1');
    specialistId = (await specialist.login('chuyenvien.xa1')).json().userId;
    await leader.login('lanhdao.xa1');
  });
  after(async () => {
    await t.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  async function receive(key: string) {
    const upload = await uploadScan(officer, '02647');
    const r = await command(officer, '/api/dossiers', intakeBody(upload.json().id), key);
    assert.equal(r.statusCode, 201, r.body);
    return r.json() as { code: string; trackingUrl: string };
  }

  async function act(agent: Agent, code: string, action: string, body: Record<string, unknown>, key: string) {
    const r = await command(agent, `/api/dossiers/${code}/${action}`, body, key);
    assert.equal(r.statusCode, 200, r.body);
    return r.json();
  }

  test('the receipt is signed by the centre when the dossier is received, and verifies in pdfsig', async (c) => {
    if (!requireTools(c)) return;
    const { code } = await receive('sign-receipt-1');
    const detail = (await officer.request({ method: 'GET', url: `/api/dossiers/${code}` })).json();
    const receipt = detail.signedDocuments.find((d: { kind: string }) => d.kind === 'receipt');
    assert.equal(receipt.status, 'signed', receipt.lastError);
    assert.equal(receipt.signatures.length, 1);

    const pdf = (await officer.request({ method: 'GET', url: `/can-bo/ho-so/${code}/mau-01.pdf` }))
      .rawPayload;
    fs.mkdirSync('test-artifacts/signing', { recursive: true });
    fs.writeFileSync('test-artifacts/signing/mau-01-da-ky.pdf', pdf);
    const report = pdfsig(pdf);
    assert.match(report, /Signature #1/);
    assert.match(report, /Signature Validation: Signature is Valid\./);
    assert.match(report, /Certificate Validation: Certificate is Trusted\./);
    assert.match(report, /Signature Type: ETSI\.CAdES\.detached/);
    assert.match(report, /Total document signed/);
    const text = await pdfText(pdf);
    assert.match(text, /GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ/);
    assert.match(
      text,
      /Thời gian ký: 2026-12-01T09:00:00\+07:00/,
      'the signing time in ISO 8601, Vietnam time',
    );

    const ours = verifyPdfSignatures(pdf, [demoRoot()], clock.now());
    assert.equal(ours.signatures.length, 1);
    assert.ok(ours.signatures[0]!.isTrusted && ours.signatures[0]!.isSignatureValid);
    assert.match(ours.signatures[0]!.signerCertificate!.subject, /Trung tâm|thử nghiệm/);

    // One changed byte inside the signed range is reported by pdfsig.
    const changed = Buffer.from(pdf);
    const at = changed.indexOf('/Producer');
    changed[at + 2] = changed[at + 2]! ^ 0x01;
    assert.doesNotMatch(pdfsig(changed), /Signature is Valid/);

    // The tracking page links the signed receipt's verification.
    const tracking = (
      await new Agent(t.app).request({
        method: 'GET',
        url: `/api/tracking/${code}?ma=${detail.dossier.trackingSecret ?? ''}`,
      })
    ).json();
    if (tracking.receiptSha256 !== undefined) assert.equal(tracking.receiptSha256, receipt.currentSha256);
    const issued = await t.signing.documents.findIssued(receipt.currentSha256);
    assert.equal(issued?.dossierCode, code);
  });

  test('a result is signed by the approving leader, then the agency; a failure shows, holds it back and is retried', async (c) => {
    if (!requireTools(c)) return;
    const { code, trackingUrl } = await receive('sign-result-1');
    const secret = new URL(trackingUrl).searchParams.get('ma')!;
    await act(officer, code, 'assign', { assigneeId: specialistId }, 'r-1');
    await act(specialist, code, 'submit-for-approval', {}, 'r-2');
    await act(leader, code, 'approve', { note: 'Đồng ý' }, 'r-3');
    await act(
      specialist,
      code,
      'issue-result',
      { resultTitle: 'Giấy xác nhận', resultContent: 'Xác nhận ông Lò Văn An cư trú tại thôn Nà Khương.' },
      'r-4',
    );

    // The agency's key file is damaged: the leader's signature is kept, the agency's step failed, with the reason.
    let detail = (await officer.request({ method: 'GET', url: `/api/dossiers/${code}` })).json();
    let result = detail.signedDocuments.find((d: { kind: string }) => d.kind === 'result');
    assert.equal(result.status, 'failed');
    assert.equal(result.doneSteps, 1, 'the leader signed; nothing is half-signed');
    assert.match(result.lastError, /PKCS#12/);
    assert.ok(result.nextAttemptAt, 'a next try is planned');
    const page = await officer.request({ method: 'GET', url: `/can-bo/ho-so/${code}` });
    assert.match(page.body, /ký số không thành công/);
    assert.match(page.body, /Ký lại ngay/);

    // The applicant does not get a result that is not fully signed.
    const tracking = (
      await new Agent(t.app).request({ method: 'GET', url: `/api/tracking/${code}?ma=${secret}` })
    ).json();
    assert.deepEqual(tracking.results, []);

    // The key is mended (a valid PKCS#12 of the demo CA takes the damaged file's place); the officer retries.
    const centreP12 = `${crypto.createHash('sha256').update('centre:02647').digest('hex').slice(0, 24)}.p12`;
    fs.copyFileSync(path.join(TEST_SIGNING_DIR, 'demo-ca', centreP12), brokenAgencyKey);
    const token = await officer.csrfToken();
    const retried = await officer.request({
      method: 'POST',
      url: `/can-bo/ho-so/${code}/ky-so/${result.id}`,
      payload: { _csrf: token },
    });
    assert.equal(retried.statusCode, 200, retried.body);
    assert.match(retried.body, /Đã ký số xong/);

    detail = (await officer.request({ method: 'GET', url: `/api/dossiers/${code}` })).json();
    result = detail.signedDocuments.find((d: { kind: string }) => d.kind === 'result');
    assert.equal(result.status, 'signed');
    assert.deepEqual(
      result.signatures.map((s: { role: string }) => s.role),
      ['leader', 'agency'],
    );
    const file = detail.files.find((f: { kind: string }) => f.kind === 'result');
    assert.equal(file.sha256, result.currentSha256, 'the dossier now serves the signed file');

    const released = (
      await new Agent(t.app).request({ method: 'GET', url: `/api/tracking/${code}?ma=${secret}` })
    ).json();
    assert.equal(released.results.length, 1);
    const pdf = (
      await new Agent(t.app).request({
        method: 'GET',
        url: `/tra-cuu-ho-so/${code}/ket-qua/${released.results[0].id}?ma=${secret}`,
      })
    ).rawPayload;
    fs.mkdirSync('test-artifacts/signing', { recursive: true });
    fs.writeFileSync('test-artifacts/signing/ket-qua-da-ky.pdf', pdf);
    const report = pdfsig(pdf);
    assert.match(report, /Signature #1/);
    assert.match(report, /Signature #2/);
    assert.equal(report.match(/Signature is Valid\./g)?.length, 2, report);
    assert.equal(report.match(/Certificate is Trusted\./g)?.length, 2, report);
    assert.match(report, /Total document signed/);
    const ours = verifyPdfSignatures(pdf, [demoRoot()], clock.now());
    assert.deepEqual(
      ours.signatures.map((s) => [s.isDigestValid, s.isSignatureValid, s.isTrusted]),
      [
        [true, true, true],
        [true, true, true],
      ],
    );
    assert.equal(ours.signatures[1]!.coversWholeFile, true);
    assert.equal((await t.signing.documents.findIssued(result.currentSha256))?.kind, 'result');

    // The QR code printed on the result leads to its verification, which names the dossier xaso issued it for.
    const qr = await new Agent(t.app).request({ method: 'GET', url: `/xac-minh/van-ban/${result.id}` });
    assert.equal(qr.statusCode, 303);
    assert.equal(qr.headers.location, `/xac-minh/${result.currentSha256}`);
    const verified = await new Agent(t.app).request({ method: 'GET', url: qr.headers.location as string });
    assert.equal(verified.statusCode, 200);
    assert.ok(verified.body.includes(code), 'the page names the dossier');
    const api = await new Agent(t.app).request({
      method: 'POST',
      url: '/api/verification',
      payload: pdf,
      headers: { 'content-type': 'application/pdf' },
    });
    assert.equal(api.statusCode, 200, api.body);
    assert.equal(api.json().issuedFile?.dossierCode, code);
    assert.equal(api.json().signatures.length, 2);
    assert.equal(api.json().isWhollyValid, true);
  });
});

describe('a certificate is checked before it signs', () => {
  test('expired, not yet valid, or without the signing key usage: refused in Vietnamese, naming the holder', () => {
    const pki = createTestPki();
    try {
      const valid = pki.issue('valid', { commonName: 'Giàng A Páo (thử nghiệm)' });
      // A minute on: the certificates just issued are valid from the second they were made.
      const now = new Date(Date.now() + 60_000);
      assert.doesNotThrow(() => assertCertificateUsable(valid.certificate, now));
      const expired = pki.issue('expired', {
        commonName: 'Lò Văn Hết Hạn (thử nghiệm)',
        startDate: '20200101000000Z',
        endDate: '20210101000000Z',
      });
      assert.throws(
        () => assertCertificateUsable(expired.certificate, now),
        (error: AppError) =>
          error.code === 'SIGNING_CERTIFICATE_INVALID' &&
          String(error.details.reason).includes('đã hết hạn ngày 2021-01-01') &&
          String(error.details.holder).includes('Lò Văn Hết Hạn'),
      );
      const noSigning = pki.issue('no-signing', { keyUsage: 'keyEncipherment' });
      assert.throws(
        () => assertCertificateUsable(noSigning.certificate, now),
        (error: AppError) =>
          error.code === 'SIGNING_CERTIFICATE_INVALID' && String(error.details.reason).includes('keyUsage'),
      );
      const vi = translator('vi');
      assert.match(
        vi('error.SIGNING_CERTIFICATE_INVALID', { holder: 'X', reason: 'chứng thư số đã hết hạn' }),
        /^Chứng thư số của X không dùng để ký được/,
      );
    } finally {
      pki.close();
    }
  });

  test('the next try waits longer after each failure, at most 30 minutes', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 20].map(retryDelaySeconds),
      [30, 60, 120, 240, 480, 960, 1800, 1800],
    );
  });
});
