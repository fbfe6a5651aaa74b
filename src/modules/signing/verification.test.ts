// The public verification page and API, and the province administrators' trusted roots and CRLs, through the whole
// app: a signed PDF is untrusted until the administrator adds the test CA, then trusted; a changed byte is
// reported; a certificate revoked in an uploaded CRL is reported revoked; not a PDF, encrypted and oversized files
// get clear Vietnamese answers; only administrators manage trust; and a file the (fake) issued-file lookup knows is
// named with its dossier. The lookup is the in-process seam for the signed-documents store, not yet wired.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { Agent, createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createTestPki, TEST_P12_PASSWORD, type TestPki } from '../../../test/support/test-pki.ts';
import { renderPdf } from '../../platform/pdf/render-pdf.ts';
import type { IssuedFile } from './issued-file.ts';
import { signPdf } from './pades.ts';
import { createP12Signer } from './signer.ts';

type Part =
  { name: string; value: string } | { name: string; fileName: string; bytes: Buffer; type?: string };

function multipart(parts: Part[]) {
  const boundary = `----xaso${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('value' in part) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`,
        ),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.fileName}"\r\nContent-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        part.bytes,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function postMultipart(agent: Agent, url: string, parts: Part[]) {
  const token = await agent.csrfToken();
  const { payload, contentType } = multipart([{ name: '_csrf', value: token }, ...parts]);
  return agent.request({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
}

/** The page's text without tags, spaces collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('verification page and API, trusted roots', () => {
  let t: TestApp;
  let pki: TestPki;
  let signed: Buffer;
  let document: Buffer;
  const issued = new Map<string, IssuedFile>();
  const anyone = () => new Agent(t.app);

  async function sign(p12: Buffer, pdf = document) {
    return signPdf(pdf, createP12Signer(p12, TEST_P12_PASSWORD), {
      name: 'Giàng A Páo',
      reason: 'Ký số kết quả',
      location: 'Bảo Yên, Lào Cai',
      contactInfo: 'motcua@baoyen.laocai.gov.vn',
      signingTime: new Date(Math.floor(Date.now() / 1000) * 1000 + 2000),
    });
  }

  async function apiVerify(pdf: Buffer) {
    return anyone().request({
      method: 'POST',
      url: '/api/verification',
      payload: pdf,
      headers: { 'content-type': 'application/pdf' },
    });
  }

  async function admin() {
    const agent = new Agent(t.app);
    assert.equal((await agent.login('quantri.tinh')).statusCode, 200);
    return agent;
  }

  before(async () => {
    t = await createTestApp({
      env: { MAX_UPLOAD_MIB: '2' },
      findIssuedFile: async (sha256) => issued.get(sha256) ?? null,
    });
    pki = createTestPki();
    document = await renderPdf({
      info: { title: 'Kết quả giải quyết (thử ký)', author: 'xaso' },
      content: [{ text: 'Kết quả giải quyết thủ tục hành chính — bản thử ký số.' }],
    });
    signed = await sign(pki.issue('leader').p12);
  });
  after(async () => {
    await t.close();
    pki.close();
  });

  test('the public page is a small upload form that needs no sign-in', async () => {
    const response = await anyone().request({ method: 'GET', url: '/xac-minh' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<form method="post" action="\/xac-minh" enctype="multipart\/form-data">/);
    assert.match(response.body, /name="_csrf"/);
    assert.match(textOf(response.body), /Kiểm tra chữ ký số trên văn bản/);
    assert.ok(Buffer.byteLength(response.body) < 6000, `${Buffer.byteLength(response.body)} bytes`);
  });

  test('before any root is trusted, a signed PDF is valid but not trusted by the province', async () => {
    const response = await apiVerify(signed);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.sha256, crypto.createHash('sha256').update(signed).digest('hex'));
    assert.equal(body.signatures[0].isDigestValid, true);
    assert.equal(body.signatures[0].isTrusted, false);
    assert.equal(body.isWhollyValid, false);
    assert.equal(body.issuedFile, null);
  });

  test('a non-administrator cannot see or change the trusted roots', async () => {
    const officer = new Agent(t.app);
    await officer.login('motcua.xa1');
    assert.equal(
      (await officer.request({ method: 'GET', url: '/quan-tri/chung-thu-tin-cay' })).statusCode,
      403,
    );
    const refused = await postMultipart(officer, '/api/trusted-roots', [
      { name: 'certificate', fileName: 'ca.pem', bytes: Buffer.from(pki.caPem) },
    ]);
    assert.equal(refused.statusCode, 403);
    assert.equal((await officer.request({ method: 'GET', url: '/api/trusted-roots' })).statusCode, 403);
    const anonymous = await anyone().request({ method: 'GET', url: '/quan-tri/chung-thu-tin-cay' });
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/dang-nhap/);
  });

  test('the administrator’s form refuses a non-CA, an unreadable file, then adds the CA, then refuses it again', async () => {
    const agent = await admin();
    const page = await agent.request({ method: 'GET', url: '/quan-tri/chung-thu-tin-cay' });
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /Chưa có chứng thư số gốc nào/);

    const leaf = await postMultipart(agent, '/quan-tri/chung-thu-tin-cay', [
      { name: 'name', value: '' },
      { name: 'certificate', fileName: 'leaf.crt', bytes: Buffer.from(pki.leafOnlyPem()) },
    ]);
    assert.equal(leaf.statusCode, 400);
    assert.match(textOf(leaf.body), /không phải của tổ chức cung cấp dịch vụ chứng thực/);
    assert.match(leaf.body, /aria-invalid="true"/);

    const junk = await postMultipart(agent, '/quan-tri/chung-thu-tin-cay', [
      { name: 'certificate', fileName: 'junk.cer', bytes: Buffer.from('không phải chứng thư') },
    ]);
    assert.equal(junk.statusCode, 400);
    assert.match(textOf(junk.body), /không phải chứng thư số X\.509/);

    const missing = await postMultipart(agent, '/quan-tri/chung-thu-tin-cay', [
      { name: 'name', value: 'Gốc' },
    ]);
    assert.equal(missing.statusCode, 400);
    assert.match(textOf(missing.body), /Chọn tệp chứng thư số gốc/);

    const added = await postMultipart(agent, '/quan-tri/chung-thu-tin-cay', [
      { name: 'name', value: 'CA thử nghiệm của tỉnh' },
      { name: 'certificate', fileName: 'ca.pem', bytes: Buffer.from(pki.caPem) },
    ]);
    assert.equal(added.statusCode, 303, added.body);
    const listed = await agent.request({ method: 'GET', url: String(added.headers.location) });
    const text = textOf(listed.body);
    assert.match(text, /Đã thêm chứng thư số gốc vào danh sách tin cậy/);
    assert.match(text, /CA thử nghiệm của tỉnh/);
    assert.match(text, /CN=CA thử nghiệm xaso - KHÔNG DÙNG THẬT/);
    const fingerprint = crypto.createHash('sha256').update(pki.caDer).digest('hex').toUpperCase();
    assert.ok(
      text.includes(fingerprint.slice(0, 4) + ' ' + fingerprint.slice(4, 8)),
      'the fingerprint is shown',
    );

    const again = await postMultipart(agent, '/quan-tri/chung-thu-tin-cay', [
      { name: 'certificate', fileName: 'ca.der', bytes: pki.caDer },
    ]);
    assert.equal(again.statusCode, 400);
    assert.match(textOf(again.body), /đã có trong danh sách tin cậy/);

    const api = await agent.request({ method: 'GET', url: '/api/trusted-roots' });
    assert.equal(api.json().roots.length, 1);
  });

  test('once trusted, the page and the API say so in Vietnamese, with signer, times and integrity', async () => {
    const api = (await apiVerify(signed)).json();
    assert.equal(api.isWhollyValid, true, JSON.stringify(api));
    assert.equal(api.signatures[0].isTrusted, true);
    assert.equal(api.signatures[0].revocation, 'not_checked');
    assert.equal(api.signatures[0].signerCertificate.commonName, 'Giàng A Páo (chứng thư thử nghiệm leader)');

    // The form, as a browser sends it: multipart with the session's CSRF token.
    const agent = anyone();
    const form = await agent.request({ method: 'GET', url: '/xac-minh' });
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const { payload, contentType } = multipart([
      { name: '_csrf', value: token },
      { name: 'file', fileName: 'ket-qua.pdf', bytes: signed, type: 'application/pdf' },
    ]);
    const page = await agent.request({
      method: 'POST',
      url: '/xac-minh',
      payload,
      headers: { 'content-type': contentType },
    });
    assert.equal(page.statusCode, 200, page.body);
    const text = textOf(page.body);
    assert.match(text, /Chữ ký số thứ 1: hợp lệ/);
    assert.match(text, /Giàng A Páo \(chứng thư thử nghiệm leader\)/);
    assert.match(text, /UBND xã Bảo Yên \(thử nghiệm\)/);
    assert.match(text, /Tài liệu không bị thay đổi sau khi ký/);
    assert.match(text, /Chữ ký bao trùm toàn bộ tệp/);
    assert.match(text, /Chứng thư số được tỉnh tin cậy/);
    assert.match(text, /Được cấp để ký số/);
    assert.match(text, /Còn hiệu lực tại thời điểm ký/);
    assert.match(
      text,
      /\d{2}:\d{2}:\d{2} \d{2}\/\d{2}\/\d{4} \(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00\)/,
    );
    assert.match(text, /Không tìm thấy tệp này trong các văn bản do hệ thống cấp/);

    // Without the token the form is refused, as every form is.
    const noToken = await anyone().request({
      method: 'POST',
      url: '/xac-minh',
      payload: multipart([{ name: 'file', fileName: 'a.pdf', bytes: signed }]).payload,
      headers: { 'content-type': contentType },
    });
    assert.equal(noToken.statusCode, 403);
  });

  test('a changed byte is reported as a change after signing', async () => {
    const tampered = Buffer.from(signed);
    tampered[400] = tampered[400]! ^ 0x01;
    const body = (await apiVerify(tampered)).json();
    assert.equal(body.signatures[0].isDigestValid, false);
    assert.equal(body.isWhollyValid, false);
    const page = await postMultipart(anyone(), '/xac-minh', [
      { name: 'file', fileName: 'sua.pdf', bytes: tampered, type: 'application/pdf' },
    ]);
    assert.match(textOf(page.body), /Tài liệu đã bị thay đổi sau khi ký/);
  });

  test('after a CRL upload, a certificate revoked before signing is reported revoked', async () => {
    const revoked = pki.issue('revoked');
    pki.revoke(revoked);
    const crl = pki.crl();
    const pdf = await sign(revoked.p12);
    assert.equal((await apiVerify(pdf)).json().signatures[0].revocation, 'not_checked');

    const agent = await admin();
    const unsigned = await postMultipart(agent, '/quan-tri/chung-thu-tin-cay/crl', [
      { name: 'crl', fileName: 'x.crl', bytes: Buffer.from('không phải CRL') },
    ]);
    assert.equal(unsigned.statusCode, 400);
    assert.match(textOf(unsigned.body), /không phải danh sách chứng thư số bị thu hồi \(CRL\)/);
    const other = createTestPki('CA lạ (thử nghiệm)');
    try {
      const foreign = await postMultipart(agent, '/quan-tri/chung-thu-tin-cay/crl', [
        { name: 'crl', fileName: 'la.crl', bytes: other.crl() },
      ]);
      assert.equal(foreign.statusCode, 400);
      assert.match(textOf(foreign.body), /Chữ ký của CRL không khớp/);
    } finally {
      other.close();
    }
    const uploaded = await postMultipart(agent, '/quan-tri/chung-thu-tin-cay/crl', [
      { name: 'crl', fileName: 'ca.crl', bytes: crl },
    ]);
    assert.equal(uploaded.statusCode, 303, uploaded.body);

    const body = (await apiVerify(pdf)).json();
    assert.equal(body.signatures[0].revocation, 'revoked');
    assert.ok(body.signatures[0].revokedAt);
    assert.equal(body.isWhollyValid, false);
    assert.match(body.signatures[0].problems.join(' '), /đã bị thu hồi/);
    assert.equal((await apiVerify(signed)).json().signatures[0].revocation, 'good');

    const page = await postMultipart(anyone(), '/xac-minh', [
      { name: 'file', fileName: 'thu-hoi.pdf', bytes: pdf, type: 'application/pdf' },
    ]);
    assert.match(textOf(page.body), /Đã bị thu hồi lúc \d{2}:\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/);
  });

  test('not a PDF, an encrypted PDF and an oversized file get clear Vietnamese answers', async (t2) => {
    const notPdf = await apiVerify(Buffer.from('Đây không phải PDF'));
    assert.equal(notPdf.statusCode, 422);
    assert.equal(notPdf.json().error.code, 'PDF_INVALID');
    assert.match(notPdf.json().error.message, /không phải tệp PDF/);
    const notPdfPage = await postMultipart(anyone(), '/xac-minh', [
      { name: 'file', fileName: 'anh.jpg', bytes: Buffer.from('JFIF not a pdf') },
    ]);
    assert.equal(notPdfPage.statusCode, 422);
    assert.match(textOf(notPdfPage.body), /Tệp này không phải tệp PDF/);

    const tooLarge = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3 * 1024 * 1024, 0x20)]);
    const raw = await apiVerify(tooLarge);
    assert.equal(raw.statusCode, 413);
    assert.equal(raw.json().error.code, 'PDF_TOO_LARGE');
    assert.match(raw.json().error.message, /lớn quá 2 MB/);
    const viaForm = await postMultipart(anyone(), '/xac-minh', [
      { name: 'file', fileName: 'lon.pdf', bytes: tooLarge, type: 'application/pdf' },
    ]);
    assert.equal(viaForm.statusCode, 413);
    assert.match(textOf(viaForm.body), /lớn quá 2 MB/);

    let encrypted: Buffer;
    try {
      const dir = fs.mkdtempSync(path.join(pki.dir, 'qpdf-'));
      fs.writeFileSync(path.join(dir, 'in.pdf'), document);
      execFileSync('qpdf', ['--encrypt', 'mat-khau', 'chu-so-huu', '256', '--', 'in.pdf', 'out.pdf'], {
        cwd: dir,
        stdio: 'pipe',
      });
      encrypted = fs.readFileSync(path.join(dir, 'out.pdf'));
    } catch {
      t2.diagnostic('qpdf is missing: a hand-made trailer with /Encrypt is used instead');
      encrypted = Buffer.from(
        '%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<< /Root 1 0 R /Encrypt 2 0 R >>\n%%EOF\n',
      );
    }
    const locked = await apiVerify(encrypted);
    assert.equal(locked.statusCode, 422);
    assert.match(locked.json().error.message, /tệp PDF được mã hóa, không kiểm tra được chữ ký/);
    const lockedPage = await postMultipart(anyone(), '/xac-minh', [
      { name: 'file', fileName: 'ma-hoa.pdf', bytes: encrypted, type: 'application/pdf' },
    ]);
    assert.match(textOf(lockedPage.body), /Tệp PDF được mã hóa, không kiểm tra được chữ ký/);

    const multipartApi = await anyone().request({
      method: 'POST',
      url: '/api/verification',
      ...(() => {
        const m = multipart([{ name: 'file', fileName: 'ket-qua.pdf', bytes: signed }]);
        return { payload: m.payload, headers: { 'content-type': m.contentType } };
      })(),
    });
    assert.equal(multipartApi.statusCode, 200, multipartApi.body);
    assert.equal(multipartApi.json().isWhollyValid, true);
  });

  test('a file the system issued is named with its dossier, and reached by its SHA-256 (the QR code)', async () => {
    const sha256 = crypto.createHash('sha256').update(signed).digest('hex');
    issued.set(sha256, {
      sha256,
      dossierCode: '02647-261201-0001',
      kind: 'result',
      title: 'Giấy khai sinh',
      unitName: 'UBND xã Bảo Yên',
      issuedAt: new Date('2026-12-01T02:00:00Z'),
      trackingPath: '/tra-cuu-ho-so/02647-261201-0001',
      load: async () => signed,
    });
    const api = (await apiVerify(signed)).json();
    assert.equal(api.issuedFile.dossierCode, '02647-261201-0001');
    assert.equal(api.issuedFile.issuedAt, '2026-12-01T02:00:00.000Z');

    const page = await postMultipart(anyone(), '/xac-minh', [
      { name: 'file', fileName: 'ket-qua.pdf', bytes: signed, type: 'application/pdf' },
    ]);
    assert.match(
      textOf(page.body),
      /Tệp này do xaso cấp cho hồ sơ 02647-261201-0001 \(kết quả giải quyết thủ tục hành chính\), ngày 09:00:00 01\/12\/2026/,
    );

    const byQr = await anyone().request({ method: 'GET', url: `/xac-minh/${sha256}` });
    assert.equal(byQr.statusCode, 200);
    assert.match(textOf(byQr.body), /Chứng thư số được tỉnh tin cậy/);
    assert.match(byQr.body, new RegExp(`href="/xac-minh/${sha256}/tep.pdf"`));
    const download = await anyone().request({ method: 'GET', url: `/xac-minh/${sha256}/tep.pdf` });
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.ok(download.rawPayload.equals(signed));

    const unknown = await anyone().request({ method: 'GET', url: `/xac-minh/${'0'.repeat(64)}` });
    assert.equal(unknown.statusCode, 404);
    assert.match(textOf(unknown.body), /Không tìm thấy tệp này trong các văn bản do hệ thống cấp/);
  });

  test('removing a root (after confirming) makes its signatures untrusted again; every change is audited', async () => {
    const agent = await admin();
    const [root] = (await agent.request({ method: 'GET', url: '/api/trusted-roots' })).json().roots;
    const confirm = await agent.request({ method: 'GET', url: `/quan-tri/chung-thu-tin-cay/${root.id}/go` });
    assert.equal(confirm.statusCode, 200);
    assert.match(textOf(confirm.body), /Gỡ “CA thử nghiệm của tỉnh” khỏi danh sách tin cậy\?/);
    const token = /name="_csrf" value="([^"]+)"/.exec(confirm.body)![1]!;
    const removed = await agent.request({
      method: 'POST',
      url: `/quan-tri/chung-thu-tin-cay/${root.id}/go`,
      payload: new URLSearchParams({ _csrf: token }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(removed.statusCode, 303, removed.body);
    assert.equal((await apiVerify(signed)).json().signatures[0].isTrusted, false);
    const again = await agent.command('DELETE', `/api/trusted-roots/${root.id}`);
    assert.equal(again.statusCode, 404);
    assert.equal(again.json().error.code, 'TRUSTED_ROOT_NOT_FOUND');

    const { rows } = await t.database.db.execute(
      sql`select action from audit_log where action like 'trust.%' order by seq`,
    );
    assert.deepEqual(
      rows.map((r) => (r as { action: string }).action),
      ['trust.root.added', 'trust.crl.added', 'trust.root.removed'],
    );
  });
});
