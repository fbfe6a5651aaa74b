// PAdES signatures per second with a PKCS#12 key (B-B: placeholder as an incremental update, CMS with
// signing-certificate-v2, RSA-2048 SHA-256), beside the RSA signature alone over the same number of bytes, measured
// in the same run: the ratio is what the PDF and CMS work costs on top of the key operation. A throwaway test
// certificate is made with OpenSSL in a temporary directory. PKCS#11 (SoftHSM2) joins when that signer exists.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { signPdf } from '../src/modules/signing/pades.ts';
import { createP12Signer } from '../src/modules/signing/signer.ts';
import { renderPdf } from '../src/platform/pdf/render-pdf.ts';

const ROUNDS = 5;
const ROUND_MS = 1000;

export async function benchSigning(): Promise<
  { pades: number[]; rsaOnly: number[]; pdfBytes: number } | undefined
> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-bench-sign-'));
  try {
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    try {
      run(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'k.pem',
        '-out',
        'c.pem',
        '-days',
        '2',
        '-subj',
        '/CN=xaso bench (test certificate)',
      );
      run(
        'pkcs12',
        '-export',
        '-inkey',
        'k.pem',
        '-in',
        'c.pem',
        '-out',
        'b.p12',
        '-passout',
        'pass:bench',
        '-keypbe',
        'AES-256-CBC',
        '-certpbe',
        'AES-256-CBC',
        '-macalg',
        'sha256',
      );
    } catch {
      return undefined;
    }
    const signer = createP12Signer(fs.readFileSync(path.join(dir, 'b.p12')), 'bench');
    const key = crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'k.pem')));
    const pdf = await renderPdf({
      info: { title: 'Giấy tiếp nhận hồ sơ (bench)', author: 'xaso' },
      content: [{ text: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả — bản đo tốc độ ký số.' }],
    });
    const request = {
      name: 'xaso bench',
      reason: 'Do toc do',
      location: 'VN',
      contactInfo: '-',
      signingTime: new Date(0),
    };
    const pades: number[] = [];
    const rsaOnly: number[] = [];
    await signPdf(pdf, signer, request); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      let done = 0;
      let started = performance.now();
      while (performance.now() - started < ROUND_MS) {
        await signPdf(pdf, signer, request);
        done++;
      }
      pades.push(done / ((performance.now() - started) / 1000));
      done = 0;
      started = performance.now();
      while (performance.now() - started < ROUND_MS) {
        crypto.sign('sha256', pdf, { key, padding: crypto.constants.RSA_PKCS1_PADDING });
        done++;
      }
      rsaOnly.push(done / ((performance.now() - started) / 1000));
    }
    return { pades, rsaOnly, pdfBytes: pdf.length };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
