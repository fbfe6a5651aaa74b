// PAdES signatures per second with a PKCS#12 key (B-B: placeholder as an incremental update, CMS with
// signing-certificate-v2, RSA-2048 SHA-256), beside the RSA signature alone over the same number of bytes, measured
// in the same run: the ratio is what the PDF and CMS work costs on top of the key operation. The same PAdES
// signature with the same key on a PKCS#11 token (SoftHSM2 in the temporary directory, one session, the token
// hashing) is measured in the same rounds, so its ratio to the PKCS#12 figure is what the PKCS#11 path costs; a
// hardware token is much slower than either (tens of milliseconds per RSA signature on the device). A throwaway
// test certificate is made with OpenSSL in a temporary directory.
//   node --import tsx scripts/bench-signing.ts   this part alone
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { signPdf } from '../src/modules/signing/pades.ts';
import { createPkcs11Signer, type Pkcs11Signer } from '../src/modules/signing/pkcs11-signer.ts';
import { createP12Signer } from '../src/modules/signing/signer.ts';
import { renderPdf } from '../src/platform/pdf/render-pdf.ts';

const ROUNDS = 5;
const ROUND_MS = 1000;
const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export interface SigningBench {
  pades: number[];
  rsaOnly: number[];
  /** PAdES signatures per second with the key on a SoftHSM2 token; empty when SoftHSM2 is not installed. */
  pkcs11: number[];
  /** Why there is no PKCS#11 figure, when there is none. */
  pkcs11Skipped?: string;
  pdfBytes: number;
}

/**
 * The bench key and certificate on a fresh SoftHSM2 token in `dir`, and a signer for it; a note instead when
 * SoftHSM2 or OpenSC's pkcs11-tool is missing. SOFTHSM2_CONF is set for this process until `restore`.
 */
async function openBenchToken(
  dir: string,
): Promise<{ signer: Pkcs11Signer; restore(): Promise<void> } | { skipped: string }> {
  const run = (command: string, ...args: string[]) =>
    execFileSync(command, args, { cwd: dir, stdio: 'pipe' });
  const missing = [
    ['softhsm2-util', '--version', 'softhsm2'],
    ['pkcs11-tool', '--help', 'opensc'],
  ].filter(([tool, argument]) => {
    try {
      run(tool!, argument!);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT';
    }
  });
  if (missing.length > 0 || !fs.existsSync(SOFTHSM_MODULE))
    return {
      skipped: `no SoftHSM2 here (apt-get install -y ${[...missing.map(([, , debian]) => debian), 'softhsm2'].filter((name, index, all) => all.indexOf(name) === index).join(' ')})`,
    };
  fs.mkdirSync(path.join(dir, 'tokens'));
  fs.writeFileSync(
    path.join(dir, 'softhsm2.conf'),
    `directories.tokendir = ${path.join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
  );
  const previousConf = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = path.join(dir, 'softhsm2.conf');
  const restore = () => {
    if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = previousConf;
  };
  try {
    run(
      'softhsm2-util',
      '--init-token',
      '--free',
      '--label',
      'xaso-bench',
      '--pin',
      '1234',
      '--so-pin',
      '4321',
    );
    run(
      'softhsm2-util',
      '--import',
      'k.pem',
      '--token',
      'xaso-bench',
      '--label',
      'bench',
      '--id',
      '01',
      '--pin',
      '1234',
    );
    run('openssl', 'x509', '-in', 'c.pem', '-outform', 'DER', '-out', 'c.der');
    run(
      'pkcs11-tool',
      '--module',
      SOFTHSM_MODULE,
      '--token-label',
      'xaso-bench',
      '--login',
      '--pin',
      '1234',
      '--write-object',
      'c.der',
      '--type',
      'cert',
      '--id',
      '01',
      '--label',
      'bench',
    );
    const signer = await createPkcs11Signer({
      modulePath: SOFTHSM_MODULE,
      tokenLabel: 'xaso-bench',
      keyLabel: 'bench',
      pin: '1234',
    });
    return {
      signer,
      restore: async () => {
        await signer.close();
        restore();
      },
    };
  } catch (error) {
    restore();
    return {
      skipped: `SoftHSM2 token not usable: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

export async function benchSigning(): Promise<SigningBench | undefined> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-bench-sign-'));
  let token: Awaited<ReturnType<typeof openBenchToken>> | undefined;
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
    token = await openBenchToken(dir);
    const tokenSigner = 'signer' in token ? token.signer : undefined;
    const perSecond = async (operation: () => unknown): Promise<number> => {
      let done = 0;
      const started = performance.now();
      while (performance.now() - started < ROUND_MS) {
        await operation();
        done++;
      }
      return done / ((performance.now() - started) / 1000);
    };
    const pades: number[] = [];
    const rsaOnly: number[] = [];
    const pkcs11: number[] = [];
    await signPdf(pdf, signer, request); // warm-up
    if (tokenSigner) await signPdf(pdf, tokenSigner, request);
    for (let round = 0; round < ROUNDS; round++) {
      pades.push(await perSecond(() => signPdf(pdf, signer, request)));
      rsaOnly.push(
        await perSecond(() =>
          crypto.sign('sha256', pdf, { key, padding: crypto.constants.RSA_PKCS1_PADDING }),
        ),
      );
      if (tokenSigner) pkcs11.push(await perSecond(() => signPdf(pdf, tokenSigner, request)));
    }
    return {
      pades,
      rsaOnly,
      pkcs11,
      ...('skipped' in token ? { pkcs11Skipped: token.skipped } : {}),
      pdfBytes: pdf.length,
    };
  } finally {
    if (token && 'restore' in token) await token.restore();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchSigning();
  if (!result) throw new Error('no openssl to make a test certificate');
  const show = (values: number[]) => `${Math.round(median(values))}/s (${values.map(Math.round).join(', ')})`;
  process.stdout.write(
    [
      `PAdES, PKCS#12 key:         ${show(result.pades)}`,
      `RSA-2048 signature alone:   ${show(result.rsaOnly)}`,
      `PAdES, PKCS#11 (SoftHSM2):  ${result.pkcs11.length ? show(result.pkcs11) : `skipped: ${result.pkcs11Skipped}`}`,
      `PDF: ${result.pdfBytes} bytes; ${ROUNDS} rounds × ${ROUND_MS} ms`,
      '',
    ].join('\n'),
  );
}
