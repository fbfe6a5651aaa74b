// Whose key signs what. A holder is a commune's public-service centre (Mẫu 01 receipts), an agency (its seal on
// results) or a person (the approving leader). Keys come from the operator's key list (SIGNING_KEYS_FILE: PKCS#12
// files or PKCS#11 tokens, each with an optional signature or seal image) and, outside production, from a demo
// certification authority that xaso makes on first start under SIGNING_DIR: every certificate it issues is named
// as a test certificate ("thử nghiệm", "không có giá trị pháp lý"), and its root is what the demo trusts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import type { Clock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { demoSealImage, demoSignatureImage } from './demo-images.ts';
import { createP12Signer, type KeySigner } from './signer.ts';

export type Holder =
  | { kind: 'centre' | 'agency'; unitCode: string; name: string }
  | { kind: 'person'; userId: string; username: string; name: string; unitName: string };

export interface SigningIdentity {
  signer: KeySigner;
  /** A transparent PNG drawn in the signature's appearance: a handwritten signature, or the agency's seal. */
  image?: Buffer | undefined;
}

export interface KeyDirectory {
  identityFor(holder: Holder): Promise<SigningIdentity>;
  /** The demo authority's root (empty when the demo is off): trusted by the demo installation, nowhere else. */
  demoRoots(): Promise<Buffer[]>;
  close(): Promise<void>;
}

/** One entry of SIGNING_KEYS_FILE. Secrets are never in the file: it names the environment variable that holds them. */
interface KeyEntry {
  /** "centre:02647", "agency:02647" or "user:<username>". */
  holder: string;
  pkcs12?: { file: string; passwordEnv: string };
  pkcs11?: { module: string; tokenLabel: string; keyLabel?: string; keyId?: string; pinEnv: string };
  image?: string;
}

export const DEMO_P12_PASSWORD = 'xaso-thu-nghiem';
const DEMO_CA_ORGANISATION = 'xaso (thử nghiệm, không có giá trị pháp lý)';
const DEMO_CA_NAME = 'CA THỬ NGHIỆM xaso - không dùng thật';

function holderKey(holder: Holder): string {
  return holder.kind === 'person' ? `user:${holder.username}` : `${holder.kind}:${holder.unitCode}`;
}

function unavailable(reason: string): AppError {
  return new AppError('SIGNING_KEY_UNAVAILABLE', { reason });
}

/** The operator's key list, checked whole at start so every mistake is reported at once. */
export function readKeyList(file: string, env: Record<string, string | undefined>): KeyEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `SIGNING_KEYS_FILE=${file}: không đọc được danh sách khóa ký (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) throw new Error(`SIGNING_KEYS_FILE=${file}: thiếu mảng "keys".`);
  const problems: string[] = [];
  const base = path.dirname(file);
  const entries = keys.map((raw, index) => {
    const entry = raw as KeyEntry;
    const where = `SIGNING_KEYS_FILE, khóa thứ ${index + 1}`;
    if (typeof entry.holder !== 'string' || !/^(centre|agency):\d{2,5}$|^user:\S+$/.test(entry.holder))
      problems.push(
        `${where}: "holder" phải có dạng centre:<mã xã>, agency:<mã xã> hoặc user:<tên đăng nhập>.`,
      );
    if (Boolean(entry.pkcs12) === Boolean(entry.pkcs11))
      problems.push(`${where}: cần đúng một trong "pkcs12" hoặc "pkcs11".`);
    const secretEnv = entry.pkcs12?.passwordEnv ?? entry.pkcs11?.pinEnv;
    if (secretEnv && !secretEnv.startsWith('SIGNING_SECRET_'))
      problems.push(`${where}: tên biến môi trường của mật khẩu/PIN phải bắt đầu bằng SIGNING_SECRET_.`);
    else if (secretEnv && env[secretEnv] === undefined)
      problems.push(`${where}: biến môi trường ${secretEnv} (mật khẩu/PIN) chưa được đặt.`);
    const resolve = (p: string) => path.resolve(base, p);
    if (entry.pkcs12) {
      entry.pkcs12.file = resolve(entry.pkcs12.file);
      if (!fs.existsSync(entry.pkcs12.file)) problems.push(`${where}: không có tệp ${entry.pkcs12.file}.`);
    }
    if (entry.image) {
      entry.image = resolve(entry.image);
      if (!fs.existsSync(entry.image)) problems.push(`${where}: không có tệp ảnh ${entry.image}.`);
    }
    return entry;
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return entries;
}

interface DemoAuthority {
  caCert: forge.pki.Certificate;
  caKey: forge.pki.rsa.PrivateKey;
  caDer: Buffer;
}

function certificateDer(cert: forge.pki.Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

function newKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // node:crypto makes the key (forge's pure-JS generation takes seconds); forge writes the certificate.
  const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(
      pair.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    ) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(
      pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    ) as forge.pki.rsa.PublicKey,
  };
}

function name(organisation: string, commonName: string): forge.pki.CertificateField[] {
  const utf8 = forge.asn1.Type.UTF8 as unknown as boolean;
  return [
    { shortName: 'C', value: 'VN' },
    { shortName: 'O', value: organisation, valueTagClass: utf8 as never },
    { name: 'commonName', value: commonName, valueTagClass: utf8 as never },
  ];
}

function writeAtomically(file: string, bytes: Buffer | string): void {
  const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, bytes, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/**
 * The demo authority under `dir` (made once, then reused across restarts): a root, and a PKCS#12 file per holder,
 * issued on first use. Validity spans years either side of the clock, so tests with fixed clocks sign too.
 */
function demoAuthority(dir: string, clock: Clock) {
  let authority: DemoAuthority | undefined;
  const caFile = path.join(dir, 'ca-thu-nghiem.pem');
  const caKeyFile = path.join(dir, 'ca-thu-nghiem.key.pem');
  const years = (n: number) => new Date(clock.now().getTime() + n * 365 * 86_400_000);

  /**
   * A new key pair and a certificate for its public key, valid from five years ago for `validYears` from now, its serial
   * number `serialPrefix` and 8 random bytes (01 for the demo root, 02 for the test certificates it issues).
   */
  function newCertificate(serialPrefix: string, validYears: number) {
    const keys = newKeyPair();
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = `${serialPrefix}${crypto.randomBytes(8).toString('hex')}`;
    cert.validity.notBefore = years(-5);
    cert.validity.notAfter = years(validYears);
    return { keys, cert };
  }

  function load(): DemoAuthority {
    if (authority) return authority;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!fs.existsSync(caFile) || !fs.existsSync(caKeyFile)) createRootOnce();
    const caCert = forge.pki.certificateFromPem(fs.readFileSync(caFile, 'utf8'));
    const caKey = forge.pki.privateKeyFromPem(fs.readFileSync(caKeyFile, 'utf8')) as forge.pki.rsa.PrivateKey;
    authority = { caCert, caKey, caDer: certificateDer(caCert) };
    return authority;
  }

  /**
   * The root is made by one thread or process only (the app and its signing worker may both need it first, at the
   * first start): the one that creates the lock file makes it, the others wait for its files. A lock older than a
   * minute is a crashed maker's and is taken over.
   */
  function createRootOnce(): void {
    const lockFile = path.join(dir, 'ca-thu-nghiem.lock');
    const deadline = Date.now() + 60_000;
    for (;;) {
      let lock: number | undefined;
      try {
        lock = fs.openSync(lockFile, 'wx', 0o600);
      } catch {
        lock = undefined;
      }
      if (lock !== undefined) {
        try {
          if (!fs.existsSync(caFile) || !fs.existsSync(caKeyFile)) makeRoot();
        } finally {
          fs.closeSync(lock);
          fs.rmSync(lockFile, { force: true });
        }
        return;
      }
      if (fs.existsSync(caFile) && fs.existsSync(caKeyFile) && !fs.existsSync(lockFile)) return;
      const age = Date.now() - (fs.statSync(lockFile, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 60_000) fs.rmSync(lockFile, { force: true });
      if (Date.now() > deadline)
        throw new Error(
          `Chờ tạo CA thử nghiệm quá một phút (${lockFile}): nếu không có tiến trình xaso nào đang chạy, hãy xóa ` +
            'tệp khóa này rồi khởi động lại.',
        );
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }

  function makeRoot(): void {
    const { keys, cert } = newCertificate('01', 20);
    const subject = name(DEMO_CA_ORGANISATION, DEMO_CA_NAME);
    cert.setSubject(subject);
    cert.setIssuer(subject);
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    // The key first: a root without its key on disk would be useless, a key without a root is made again.
    writeAtomically(caKeyFile, forge.pki.privateKeyToPem(keys.privateKey));
    writeAtomically(caFile, forge.pki.certificateToPem(cert));
  }

  function issue(holder: Holder): Buffer {
    const { caCert, caKey } = load();
    const { keys, cert } = newCertificate('02', 10);
    const organisation = holder.kind === 'person' ? holder.unitName : holder.name;
    cert.setSubject(
      name(`${organisation} (thử nghiệm)`, `${holder.name} (chứng thư thử nghiệm, không có giá trị pháp lý)`),
    );
    // The CA's name written again, not copied from the parsed root: forge keeps parsed UTF-8 values as bytes and
    // would encode them a second time.
    cert.setIssuer(name(DEMO_CA_ORGANISATION, DEMO_CA_NAME));
    cert.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
      { name: 'extKeyUsage', emailProtection: true },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    ]);
    cert.sign(caKey, forge.md.sha256.create());
    const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert, caCert], DEMO_P12_PASSWORD, {
      algorithm: 'aes256',
      friendlyName: holder.name,
    });
    return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
  }

  return {
    root: () => load().caDer,
    /** The holder's PKCS#12 file, issued and stored on first use. */
    p12For(holder: Holder): Buffer {
      const file = path.join(
        dir,
        `${crypto.createHash('sha256').update(holderKey(holder)).digest('hex').slice(0, 24)}.p12`,
      );
      if (!fs.existsSync(file)) writeAtomically(file, issue(holder));
      return fs.readFileSync(file);
    },
  };
}

/** The demo's signature and seal images, drawn once. */
let drawn: { signature: Buffer; seal: Buffer } | undefined;
function demoImages(): { signature: Buffer; seal: Buffer } {
  drawn ??= { signature: demoSignatureImage(), seal: demoSealImage() };
  return drawn;
}

export function createKeyDirectory(options: {
  clock: Clock;
  env: Record<string, string | undefined>;
  keysFile: string | undefined;
  demoDir: string | undefined;
}): KeyDirectory {
  const entries = options.keysFile ? readKeyList(options.keysFile, options.env) : [];
  const demo = options.demoDir ? demoAuthority(options.demoDir, options.clock) : undefined;
  const opened = new Map<string, Promise<SigningIdentity>>();
  const closers: (() => Promise<void>)[] = [];

  async function open(holder: Holder): Promise<SigningIdentity> {
    const key = holderKey(holder);
    const entry = entries.find((e) => e.holder === key);
    if (entry) {
      const image = entry.image ? fs.readFileSync(entry.image) : undefined;
      if (entry.pkcs12) {
        const signer = createP12Signer(
          fs.readFileSync(entry.pkcs12.file),
          options.env[entry.pkcs12.passwordEnv] ?? '',
        );
        return { signer, image };
      }
      const token = entry.pkcs11!;
      const { createPkcs11Signer } = await import('./pkcs11-signer.ts');
      const signer = await createPkcs11Signer({
        modulePath: token.module,
        tokenLabel: token.tokenLabel,
        ...(token.keyLabel ? { keyLabel: token.keyLabel } : {}),
        ...(token.keyId ? { keyId: token.keyId } : {}),
        pin: options.env[token.pinEnv] ?? '',
      });
      closers.push(() => signer.close());
      return { signer, image };
    }
    if (demo) {
      const image =
        holder.kind === 'person'
          ? demoImages().signature
          : holder.kind === 'agency'
            ? demoImages().seal
            : undefined;
      return { signer: createP12Signer(demo.p12For(holder), DEMO_P12_PASSWORD), image };
    }
    throw unavailable(`${holder.name} chưa có chứng thư số trong danh sách khóa ký của hệ thống`);
  }

  return {
    identityFor(holder) {
      const key = holderKey(holder);
      let identity = opened.get(key);
      if (!identity) {
        identity = open(holder);
        opened.set(key, identity);
        // A token that was absent or locked is asked again next time, not remembered as failed.
        identity.catch(() => opened.delete(key));
      }
      return identity;
    },
    demoRoots: async () => (demo ? [demo.root()] : []),
    async close() {
      await Promise.all(closers.map((close) => close().catch(() => undefined)));
    },
  };
}
