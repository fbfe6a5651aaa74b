// The signing worker thread, as `npm start` runs it: a counter intake answers at once, and the receipt is rendered
// and signed in the worker, on its own connections; the dossier's page waits for it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, createTestApp, type TestApp } from '../test/support/app.ts';
import { command, importTestProcedure, intakeBody, uploadScan } from '../test/support/dossiers.ts';
import { verifyPdfSignatures } from './modules/signing/verify.ts';
import { systemClock } from './platform/clock.ts';

describe('the signing worker thread', () => {
  let t: TestApp;
  let officer: Agent;
  before(async () => {
    t = await createTestApp({ signingWorker: true });
    await importTestProcedure(t);
    officer = new Agent(t.app);
    await officer.login('motcua.xa1');
  });
  after(() => t.close());

  test('receipts of intakes in a row are signed in the worker, each verified, and Mẫu 01 is the signed file', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const upload = await uploadScan(officer, '02647');
      const r = await command(officer, '/api/dossiers', intakeBody(upload.json().id), `worker-${i}`);
      assert.equal(r.statusCode, 201, r.body);
      codes.push(r.json().code);
    }
    // The thread runs at a lower priority: on a machine busy with other work it may take longer than the
    // dossier page waits (10 s), so the test waits for the queue itself.
    await t.signing.documents.idle();
    for (const code of codes) {
      const detail = (await officer.request({ method: 'GET', url: `/api/dossiers/${code}` })).json();
      const receipt = detail.signedDocuments.find((d: { kind: string }) => d.kind === 'receipt');
      assert.equal(receipt?.status, 'signed', receipt?.lastError);
      const pdf = (await officer.request({ method: 'GET', url: `/can-bo/ho-so/${code}/mau-01.pdf` }))
        .rawPayload;
      const report = verifyPdfSignatures(pdf, await t.signing.trust.anchors(), systemClock.now());
      assert.equal(report.signatures.length, 1);
      const [signature] = report.signatures;
      assert.ok(signature!.isTrusted && signature!.isSignatureValid && signature!.coversWholeFile);
    }
    // Nothing is left for the periodic job.
    const { rows } = await t.database.pool.query<{ count: number }>(
      "select count(*)::int as count from signed_documents where status <> 'signed'",
    );
    assert.equal(rows[0]!.count, 0);
  });
});
