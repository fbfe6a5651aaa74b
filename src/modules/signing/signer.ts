// Who holds the private key. A `KeySigner` only signs bytes and tells its certificate chain, so the same CMS code
// (cms.ts) serves a PKCS#12 file here and, later, a PKCS#11 token or HSM whose key never leaves the device.
import crypto from 'node:crypto';
import forge from 'node-forge';
import { AppError } from '../../platform/errors.ts';

export interface KeySigner {
  /** The signer's certificate first, then its issuers (DER), as they go into the CMS. */
  certificateChain(): Promise<Buffer[]>;
  /** An RSA PKCS#1 v1.5 signature with SHA-256 of `data` (the DER of the CMS signed attributes). */
  signSha256(data: Buffer): Promise<Buffer>;
}

/**
 * A PKCS#12 file (.p12/.pfx) with one private key and its certificate chain: for development and small installs.
 * A wrong password or a file without a key is refused in Vietnamese; the key is kept only in memory.
 */
export function createP12Signer(p12: Buffer, password: string): KeySigner {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), password);
  } catch {
    throw new AppError('SIGNING_KEY_UNAVAILABLE', {
      reason: 'không mở được tệp PKCS#12 (sai mật khẩu hoặc tệp hỏng)',
    });
  }
  const bagsOf = (type: string | undefined): forge.pkcs12.Bag[] =>
    type ? (parsed.getBags({ bagType: type })[type] ?? []) : [];
  const keyBags = [...bagsOf(forge.pki.oids.pkcs8ShroudedKeyBag), ...bagsOf(forge.pki.oids.keyBag)];
  const forgeKey = keyBags[0]?.key;
  if (!forgeKey)
    throw new AppError('SIGNING_KEY_UNAVAILABLE', { reason: 'tệp PKCS#12 không có khóa bí mật' });
  const key = crypto.createPrivateKey(forge.pki.privateKeyToPem(forgeKey as forge.pki.rsa.PrivateKey));
  const certificates = bagsOf(forge.pki.oids.certBag)
    .flatMap((bag) => (bag.cert ? [bag.cert] : []))
    .map((cert) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'));
  if (certificates.length === 0)
    throw new AppError('SIGNING_KEY_UNAVAILABLE', { reason: 'tệp PKCS#12 không có chứng thư số' });
  // The signer's certificate is the one whose public key matches the private key; the rest are its issuers.
  const publicDer = crypto.createPublicKey(key).export({ type: 'spki', format: 'der' });
  const own = certificates.find((der) =>
    new crypto.X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' }).equals(publicDer),
  );
  if (!own)
    throw new AppError('SIGNING_KEY_UNAVAILABLE', { reason: 'không có chứng thư số khớp với khóa bí mật' });
  const chain = [own, ...certificates.filter((c) => c !== own)];
  return {
    certificateChain: async () => chain,
    signSha256: async (data) =>
      crypto.sign('sha256', data, { key, padding: crypto.constants.RSA_PKCS1_PADDING }),
  };
}
