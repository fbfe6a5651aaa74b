// A CMS SignedData as PAdES baseline B-B asks (ETSI EN 319 142-1, ETSI.CAdES.detached): detached content (the PDF's
// byte range), SHA-256, signed attributes content-type, message-digest and ESS signing-certificate-v2 (RFC 5035)
// naming the signer's certificate by its SHA-256; no signing-time attribute (PAdES carries the claimed time in the
// signature dictionary's /M). The signature itself comes from a KeySigner, so the key may live in a token.
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseCertificate, toArrayBuffer } from './der.ts';
import type { KeySigner } from './signer.ts';
import type { TimestampAuthority } from './timestamp.ts';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

/** ESS signing-certificate-v2 with one ESSCertIDv2: the certificate's SHA-256 (the default hash, so not named). */
function signingCertificateV2(der: Buffer, certificate: pkijs.Certificate): asn1js.Sequence {
  const hash = crypto.createHash('sha256').update(der).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 4 },
            value: [certificate.issuer.toSchema()],
          }),
        ],
      }),
      certificate.serialNumber,
    ],
  });
  return new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [new asn1js.OctetString({ valueHex: toArrayBuffer(hash) }), issuerSerial],
          }),
        ],
      }),
    ],
  });
}

/**
 * The DER of a detached CMS SignedData over `content` (the PDF's signed byte range). With a TSA, the signature value
 * is timestamped and the token added as id-aa-signatureTimeStampToken (PAdES B-T).
 */
export async function createDetachedCms(
  content: Buffer,
  signer: KeySigner,
  tsa?: TimestampAuthority,
): Promise<Buffer> {
  const chain = await signer.certificateChain();
  const certificates = chain.map(parseCertificate);
  const own = certificates[0]!;
  const digest = crypto.createHash('sha256').update(content).digest();
  const attributes = [
    new pkijs.Attribute({
      type: OID.contentType,
      values: [new asn1js.ObjectIdentifier({ value: OID.data })],
    }),
    new pkijs.Attribute({
      type: OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })],
    }),
    new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(chain[0]!, own)] }),
  ];
  // What is signed is the DER of the attributes as a SET (RFC 5652 §5.4), not their [0] IMPLICIT form in the CMS.
  const toSign = Buffer.from(new asn1js.Set({ value: attributes.map((a) => a.toSchema()) }).toBER(false));
  const signature = await signer.signSha256(toSign);
  const token = tsa ? await tsa.timestamp(signature) : undefined;

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: own.issuer, serialNumber: own.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: OID.rsaEncryption,
      algorithmParams: new asn1js.Null(),
    }),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
    ...(token
      ? {
          unsignedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 1,
            attributes: [
              new pkijs.Attribute({
                type: OID.signatureTimeStampToken,
                values: [asn1js.fromBER(toArrayBuffer(token)).result],
              }),
            ],
          }),
        }
      : {}),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates,
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({
    contentType: OID.signedData,
    content: signedData.toSchema(true),
  });
  return Buffer.from(contentInfo.toSchema().toBER(false));
}
