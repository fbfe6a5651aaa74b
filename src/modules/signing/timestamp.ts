// RFC 3161 timestamps for PAdES baseline B-T: the hash of a signature value is sent to a time-stamping authority
// (TSA) over HTTP, and the token it answers is added to the signature as the unsigned attribute
// id-aa-signatureTimeStampToken. The TSA is configurable (TSA_URL); tests run a real one on loopback.
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { AppError } from '../../platform/errors.ts';
import { toArrayBuffer } from './der.ts';

export interface TimestampAuthority {
  /** The DER of a timestamp token (a CMS ContentInfo) over SHA-256 of `data`. */
  timestamp(data: Buffer): Promise<Buffer>;
}

const SHA256 = '2.16.840.1.101.3.4.2.1';

/** A TSA reached by HTTP POST (application/timestamp-query), as RFC 3161 §3.4 describes. */
export function createHttpTsa(url: string, options: { timeoutMs?: number } = {}): TimestampAuthority {
  return {
    async timestamp(data) {
      const nonce = crypto.randomBytes(8);
      const request = new pkijs.TimeStampReq({
        version: 1,
        messageImprint: new pkijs.MessageImprint({
          hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256 }),
          hashedMessage: new asn1js.OctetString({
            valueHex: toArrayBuffer(crypto.createHash('sha256').update(data).digest()),
          }),
        }),
        nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
        certReq: true,
      });
      let answer: ArrayBuffer;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/timestamp-query' },
          body: Buffer.from(request.toSchema().toBER(false)),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        answer = await response.arrayBuffer();
      } catch (error) {
        throw new AppError('TIMESTAMP_UNAVAILABLE', {
          reason: `máy chủ cấp dấu thời gian không trả lời (${error instanceof Error ? error.message : String(error)})`,
        });
      }
      let parsed: pkijs.TimeStampResp;
      try {
        parsed = pkijs.TimeStampResp.fromBER(answer);
      } catch {
        throw new AppError('TIMESTAMP_UNAVAILABLE', {
          reason: 'câu trả lời của máy chủ cấp dấu thời gian không đọc được',
        });
      }
      const status = parsed.status.status;
      if ((status !== 0 && status !== 1) || !parsed.timeStampToken)
        throw new AppError('TIMESTAMP_UNAVAILABLE', {
          reason: `máy chủ cấp dấu thời gian từ chối (mã ${status})`,
        });
      // The token must answer this request: the same imprint and nonce.
      const tokenData = new pkijs.SignedData({ schema: parsed.timeStampToken.content });
      const eContent = tokenData.encapContentInfo.eContent;
      if (!eContent)
        throw new AppError('TIMESTAMP_UNAVAILABLE', { reason: 'dấu thời gian không có nội dung' });
      const info = pkijs.TSTInfo.fromBER(eContent.getValue());
      const imprint = Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView);
      const expected = crypto.createHash('sha256').update(data).digest();
      const nonceBack = info.nonce ? Buffer.from(info.nonce.valueBlock.valueHexView) : null;
      if (!imprint.equals(expected) || !nonceBack || !nonceBack.equals(nonce))
        throw new AppError('TIMESTAMP_UNAVAILABLE', { reason: 'dấu thời gian không khớp với yêu cầu' });
      return Buffer.from(parsed.timeStampToken.toSchema().toBER(false));
    },
  };
}
