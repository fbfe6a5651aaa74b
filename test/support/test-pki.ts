// A throw-away certification authority made with OpenSSL for the verification tests: `openssl ca` with a minimal
// configuration, so certificates can be issued with chosen validity and key usage, revoked, and listed in a CRL
// (`openssl ca -gencrl`). Every name says it is a test certificate.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TEST_P12_PASSWORD = 'mat-khau-thu';

export interface IssuedTestCertificate {
  name: string;
  p12: Buffer;
  /** DER. */
  certificate: Buffer;
  pemPath: string;
}

export interface TestPki {
  dir: string;
  /** The CA's certificate, DER and PEM. */
  caDer: Buffer;
  caPem: string;
  /** A signer's certificate issued by the CA, in a PKCS#12 file with its key and the CA (password TEST_P12_PASSWORD). */
  issue(
    name: string,
    options?: {
      commonName?: string;
      organization?: string;
      /** `openssl ca -startdate/-enddate` form, YYYYMMDDHHMMSSZ. */
      startDate?: string;
      endDate?: string;
      /** An OpenSSL keyUsage value; the default allows signing. */
      keyUsage?: string;
      /** An OpenSSL extendedKeyUsage value ("critical,timeStamping" for a time-stamping authority); none by default. */
      extendedKeyUsage?: string;
    },
  ): IssuedTestCertificate;
  revoke(certificate: IssuedTestCertificate): void;
  /** The CA's current CRL, DER. */
  crl(): Buffer;
  /** A self-signed certificate that is not a CA (PEM), to be refused as a trusted root. */
  leafOnlyPem(): string;
  close(): void;
}

export function createTestPki(label = 'CA thử nghiệm xaso - KHÔNG DÙNG THẬT'): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xaso-pki-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  fs.mkdirSync(path.join(dir, 'issued'));
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'serial'), `${crypto.randomBytes(8).toString('hex').toUpperCase()}\n`);
  fs.writeFileSync(path.join(dir, 'crlnumber'), '01\n');
  fs.writeFileSync(
    path.join(dir, 'ca.cnf'),
    [
      '[ ca ]',
      'default_ca = test_ca',
      '[ test_ca ]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir/issued',
      'serial = $dir/serial',
      'crlnumber = $dir/crlnumber',
      'certificate = $dir/ca.crt',
      'private_key = $dir/ca.key',
      'default_md = sha256',
      'default_days = 30',
      'default_crl_days = 30',
      'policy = policy_any',
      'unique_subject = no',
      'copy_extensions = none',
      '[ policy_any ]',
      'countryName = optional',
      'organizationName = optional',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
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
    '60',
    '-utf8',
    '-subj',
    `/C=VN/O=xaso (thử nghiệm)/CN=${label}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const caPem = fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8');
  const caDer = new crypto.X509Certificate(caPem).raw;

  return {
    dir,
    caDer,
    caPem,
    issue(name, options = {}) {
      const cn = options.commonName ?? `Giàng A Páo (chứng thư thử nghiệm ${name})`;
      const o = options.organization ?? 'UBND xã Bảo Yên (thử nghiệm)';
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-utf8',
        '-subj',
        `/C=VN/O=${o}/CN=${cn}`,
      );
      fs.writeFileSync(
        path.join(dir, `${name}.ext`),
        `[ ext ]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,${options.keyUsage ?? 'digitalSignature,nonRepudiation'}\n` +
          (options.extendedKeyUsage ? `extendedKeyUsage=${options.extendedKeyUsage}\n` : ''),
      );
      openssl(
        'ca',
        '-batch',
        '-notext',
        '-utf8',
        '-preserveDN',
        '-config',
        'ca.cnf',
        '-in',
        `${name}.csr`,
        '-out',
        `${name}.crt`,
        '-extfile',
        `${name}.ext`,
        '-extensions',
        'ext',
        ...(options.startDate ? ['-startdate', options.startDate] : []),
        ...(options.endDate ? ['-enddate', options.endDate] : []),
      );
      openssl(
        'pkcs12',
        '-export',
        '-inkey',
        `${name}.key`,
        '-in',
        `${name}.crt`,
        '-certfile',
        'ca.crt',
        '-out',
        `${name}.p12`,
        '-passout',
        `pass:${TEST_P12_PASSWORD}`,
        '-keypbe',
        'AES-256-CBC',
        '-certpbe',
        'AES-256-CBC',
        '-macalg',
        'sha256',
      );
      const pemPath = path.join(dir, `${name}.crt`);
      return {
        name,
        p12: fs.readFileSync(path.join(dir, `${name}.p12`)),
        certificate: new crypto.X509Certificate(fs.readFileSync(pemPath)).raw,
        pemPath,
      };
    },
    revoke(certificate) {
      openssl('ca', '-config', 'ca.cnf', '-revoke', certificate.pemPath, '-crl_reason', 'keyCompromise');
    },
    crl() {
      openssl('ca', '-config', 'ca.cnf', '-gencrl', '-out', 'crl.pem');
      openssl('crl', '-in', 'crl.pem', '-outform', 'DER', '-out', 'crl.der');
      return fs.readFileSync(path.join(dir, 'crl.der'));
    },
    leafOnlyPem() {
      openssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'leaf.key',
        '-out',
        'leaf.crt',
        '-days',
        '30',
        '-utf8',
        '-subj',
        '/C=VN/CN=Chứng thư không phải CA (thử nghiệm)',
        '-addext',
        'basicConstraints=critical,CA:FALSE',
      );
      return fs.readFileSync(path.join(dir, 'leaf.crt'), 'utf8');
    },
    close() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
