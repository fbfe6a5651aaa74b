// HTTP of verification and of the trusted roots: the public page and API that check a PDF's signatures, the page
// reached by the QR code printed on an issued file, and the province administrators' page and API of the trusted
// roots and CRLs. Parse, find who is asking, call one service function, present.
import fastifyMultipart, { type MultipartFile, type MultipartValue } from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorMessage, isAppError } from '../../platform/errors.ts';
import { validationFieldErrors } from '../../platform/http/field-errors.ts';
import { requestInfo } from '../../platform/http/request.ts';
import type { MessageKey } from '../../platform/i18n/index.ts';
import type { FieldError } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.tsx';
import { readFilePart } from '../dossiers/upload-parts.ts';
import { requireActor } from '../identity/index.ts';
import type { IssuedFile } from './issued-file.ts';
import type { CrlView, TrustedRootView, TrustService } from './trust.service.ts';
import type { VerificationService } from './verification.service.ts';
import { RemoveRootPage, TrustedRootsPage } from './views/trust-pages.tsx';
import {
  IssuedFileNotFoundPage,
  IssuedFileNotice,
  VerificationReportPage,
  VerifyFormPage,
} from './views/verification-pages.tsx';

type MultipartBody = Record<string, MultipartFile | MultipartValue | undefined>;

const TRUST_PATH = '/quan-tri/chung-thu-tin-cay';

const CertificateSchema = Type.Object({
  subject: Type.String(),
  issuer: Type.String(),
  commonName: Type.Union([Type.String(), Type.Null()]),
  organization: Type.Union([Type.String(), Type.Null()]),
  validFrom: Type.String({ format: 'date-time' }),
  validTo: Type.String({ format: 'date-time' }),
  serialNumber: Type.String(),
  sha256: Type.String(),
});

const SignatureSchema = Type.Object({
  index: Type.Integer(),
  subFilter: Type.Union([Type.String(), Type.Null()]),
  signerName: Type.Union([Type.String(), Type.Null()]),
  signerCertificate: Type.Union([CertificateSchema, Type.Null()]),
  claimedTime: Type.Union([Type.String(), Type.Null()], { description: 'Thời điểm ký người ký khai (/M)' }),
  timestampTime: Type.Union([Type.String(), Type.Null()], {
    description: 'Thời điểm của dấu thời gian RFC 3161',
  }),
  isTimestampValid: Type.Union([Type.Boolean(), Type.Null()]),
  checkedAt: Type.Union([Type.String(), Type.Null()]),
  isDigestValid: Type.Boolean({ description: 'Tài liệu không bị thay đổi sau khi ký' }),
  isSignatureValid: Type.Boolean(),
  isSigningCertificateBound: Type.Boolean(),
  coversWholeFile: Type.Boolean(),
  isTrusted: Type.Boolean({ description: 'Chứng thư số dẫn tới một chứng thư số gốc tỉnh tin cậy' }),
  isCertificateValidAtSigning: Type.Boolean(),
  hasSigningKeyUsage: Type.Boolean(),
  revocation: Type.Union([Type.Literal('not_checked'), Type.Literal('good'), Type.Literal('revoked')]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  isValid: Type.Boolean(),
  problems: Type.Array(Type.String()),
  notes: Type.Array(Type.String()),
});

const IssuedFileSchema = Type.Object({
  sha256: Type.String(),
  dossierCode: Type.String(),
  kind: Type.Union([Type.Literal('receipt'), Type.Literal('result')]),
  title: Type.String(),
  unitName: Type.String(),
  issuedAt: Type.String({ format: 'date-time' }),
  trackingPath: Type.Optional(Type.String()),
});

const VerificationSchema = Type.Object({
  sha256: Type.String({ description: 'SHA-256 của tệp đã gửi' }),
  isWhollyValid: Type.Boolean({
    description: 'Có chữ ký, mọi chữ ký hợp lệ, chữ ký cuối bao trùm toàn bộ tệp',
  }),
  problems: Type.Array(Type.String()),
  signatures: Type.Array(SignatureSchema),
  issuedFile: Type.Union([IssuedFileSchema, Type.Null()], {
    description: 'Văn bản do hệ thống cấp có đúng tệp này (cùng SHA-256), nếu có',
  }),
});

const TrustedRootSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  subject: Type.String(),
  sha256: Type.String(),
  notBefore: Type.String({ format: 'date-time' }),
  notAfter: Type.String({ format: 'date-time' }),
  addedAt: Type.String({ format: 'date-time' }),
});

const CrlSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  sha256: Type.String(),
  issuerName: Type.String(),
  thisUpdate: Type.String({ format: 'date-time' }),
  nextUpdate: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedCount: Type.Integer(),
  addedAt: Type.String({ format: 'date-time' }),
});

function issuedJson(issued: IssuedFile | null) {
  if (!issued) return null;
  return {
    sha256: issued.sha256,
    dossierCode: issued.dossierCode,
    kind: issued.kind,
    title: issued.title,
    unitName: issued.unitName,
    issuedAt: issued.issuedAt.toISOString(),
    ...(issued.trackingPath ? { trackingPath: issued.trackingPath } : {}),
  };
}

function rootJson(r: TrustedRootView) {
  return {
    ...r,
    notBefore: r.notBefore.toISOString(),
    notAfter: r.notAfter.toISOString(),
    addedAt: r.addedAt.toISOString(),
  };
}

function crlJson(c: CrlView) {
  return {
    ...c,
    thisUpdate: c.thisUpdate.toISOString(),
    nextUpdate: c.nextUpdate?.toISOString() ?? null,
    addedAt: c.addedAt.toISOString(),
  };
}

function fieldValue(body: MultipartBody, name: string): string {
  const part = body[name];
  return part && part.type === 'field' && typeof part.value === 'string' ? part.value : '';
}

async function fileValue(body: MultipartBody, name: string): Promise<Buffer | undefined> {
  const part = body[name];
  if (!part || part.type !== 'file') return undefined;
  const bytes = await readFilePart(part);
  return bytes.length > 0 ? bytes : undefined;
}

/** A multipart request's body, or an empty one for a form sent another way. */
function multipartBody(request: FastifyRequest): MultipartBody {
  const body = request.body;
  return body && typeof body === 'object' && !Buffer.isBuffer(body) ? (body as MultipartBody) : {};
}

export function verificationRoutes(deps: {
  verification: VerificationService;
  trust: TrustService;
  maxUploadBytes: number;
  /** The signed file of a document by the id printed in its QR code (null until every signer has signed). */
  issuedFileOfDocument?: (id: string) => Promise<string | null>;
}): FastifyPluginAsyncTypebox {
  const { verification, trust } = deps;
  const maxMiB = Math.round(deps.maxUploadBytes / 1024 / 1024);

  async function formPage(request: FastifyRequest, reply: FastifyReply, errors: FieldError[], status = 200) {
    return sendPage(request, reply, {
      title: request.t('verify.title'),
      status,
      body: <VerifyFormPage t={request.t} csrfToken={reply.generateCsrf()} maxMiB={maxMiB} errors={errors} />,
    });
  }

  async function trustPage(
    request: FastifyRequest,
    reply: FastifyReply,
    errors: FieldError[] = [],
    values: { name?: string } = {},
    notice?: string,
  ) {
    const { roots, crls } = await trust.overview(requireActor(request), requestInfo(request));
    return sendPage(request, reply, {
      title: request.t('trust.title'),
      status: errors.length ? 400 : 200,
      body: (
        <TrustedRootsPage
          t={request.t}
          csrfToken={reply.generateCsrf()}
          roots={roots}
          crls={crls}
          values={values}
          errors={errors}
          notice={notice}
        />
      ),
    });
  }

  return async (app) => {
    await app.register(fastifyMultipart, {
      attachFieldsToBody: true,
      limits: { fileSize: deps.maxUploadBytes, files: 2, fields: 10 },
      // Too large a file is answered as PDF_TOO_LARGE next to the field (upload-parts.ts), not as a failed request.
      throwFileSizeLimit: false,
    });
    // The API also takes the PDF as the raw body (curl --data-binary @file.pdf -H 'content-type: application/pdf').
    app.addContentTypeParser(
      'application/pdf',
      { parseAs: 'buffer', bodyLimit: deps.maxUploadBytes },
      (_request, body, done) => done(null, body),
    );
    // A raw body over the limit is stopped by the parser; say so as the verification's own error.
    app.setErrorHandler((error: FastifyError) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new AppError('PDF_TOO_LARGE', { limit: maxMiB });
      throw error;
    });

    // --- Public: the page and the API ----------------------------------------------------------------
    app.get('/xac-minh', { schema: { hide: true } }, async (request, reply) => formPage(request, reply, []));

    app.post('/xac-minh', { schema: { hide: true } }, async (request, reply) => {
      const file = await fileValue(multipartBody(request), 'file');
      if (!file)
        return formPage(request, reply, [{ field: 'file', message: request.t('verify.v.file') }], 400);
      try {
        const { report, issuedFile } = await verification.verifyUpload(file);
        return sendPage(request, reply, {
          title: request.t('verify.resultTitle'),
          body: (
            <VerificationReportPage
              t={request.t}
              report={report}
              issuedFile={issuedFile}
              form={{ csrfToken: reply.generateCsrf(), maxMiB }}
            />
          ),
        });
      } catch (error) {
        if (!isAppError(error) || !['PDF_INVALID', 'PDF_TOO_LARGE'].includes(error.code)) throw error;
        const message =
          typeof error.details.sentence === 'string'
            ? error.details.sentence
            : errorMessage(request.t, error);
        return formPage(request, reply, [{ field: 'file', message }], error.status);
      }
    });

    // The QR code of a generated result names its document (the signed file's hash is not known when it is printed).
    app.get(
      '/xac-minh/van-ban/:id',
      { schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
      async (request, reply) => {
        const sha256 = (await deps.issuedFileOfDocument?.(request.params.id)) ?? null;
        if (sha256) return reply.redirect(`/xac-minh/${sha256}`, 303);
        return sendPage(request, reply, {
          title: request.t('verify.notFoundTitle'),
          status: 404,
          body: <IssuedFileNotFoundPage t={request.t} />,
        });
      },
    );

    const Sha = Type.Object({ sha256: Type.String({ pattern: '^[0-9a-fA-F]{64}$' }) });
    app.get('/xac-minh/:sha256', { schema: { hide: true, params: Sha } }, async (request, reply) => {
      const found = await verification.verifyIssued(request.params.sha256.toLowerCase());
      if (!found)
        return sendPage(request, reply, {
          title: request.t('verify.notFoundTitle'),
          status: 404,
          body: <IssuedFileNotFoundPage t={request.t} />,
        });
      const path = `/xac-minh/${found.issuedFile.sha256}/tep.pdf`;
      return sendPage(request, reply, {
        title: request.t('verify.resultTitle'),
        body: found.report ? (
          <VerificationReportPage
            t={request.t}
            report={found.report}
            issuedFile={found.issuedFile}
            downloadPath={path}
          />
        ) : (
          <>
            <h1>{request.t('verify.resultTitle')}</h1>
            <IssuedFileNotice t={request.t} issued={found.issuedFile} />
          </>
        ),
      });
    });

    app.get('/xac-minh/:sha256/tep.pdf', { schema: { hide: true, params: Sha } }, async (request, reply) => {
      const found = await verification.issuedFileBytes(request.params.sha256.toLowerCase());
      if (!found) throw new AppError('NOT_FOUND');
      const name = `${found.issuedFile.dossierCode}-${found.issuedFile.kind === 'receipt' ? 'tiep-nhan' : 'ket-qua'}.pdf`;
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`)
        .header('cache-control', 'no-store')
        .send(found.bytes);
    });

    app.post(
      '/api/verification',
      {
        // Verifying changes nothing, so any client may call it without a session or a CSRF token.
        config: { csrfExempt: true },
        schema: {
          tags: ['signing'],
          summary:
            'Kiểm tra chữ ký số của một tệp PDF (không cần đăng nhập): thân là tệp PDF (application/pdf) hoặc multipart với trường file',
          description:
            'Trả về từng chữ ký: người ký, thời điểm ký và dấu thời gian, tài liệu có bị thay đổi sau khi ký không, có bao trùm toàn bộ tệp không, chứng thư số có dẫn tới chứng thư số gốc tỉnh tin cậy không, hiệu lực, mục đích sử dụng khóa, tình trạng thu hồi; và văn bản do hệ thống cấp có đúng tệp này không. Tệp quá lớn: 413 PDF_TOO_LARGE; không phải PDF hoặc được mã hóa: 422 PDF_INVALID.',
          consumes: ['application/pdf', 'multipart/form-data'],
          response: { 200: VerificationSchema },
        },
      },
      async (request) => {
        const body = Buffer.isBuffer(request.body)
          ? request.body
          : await fileValue(multipartBody(request), 'file');
        if (!body)
          throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'file', key: 'verify.v.file' }] });
        const { report, issuedFile } = await verification.verifyUpload(body);
        return {
          sha256: report.sha256,
          isWhollyValid: report.isWhollyValid,
          problems: report.problems,
          signatures: report.signatures,
          issuedFile: issuedJson(issuedFile),
        };
      },
    );

    // --- Province administrators: trusted roots and CRLs ----------------------------------------------
    app.get(TRUST_PATH, { schema: { hide: true } }, async (request, reply) => {
      const done = (request.query as { da?: string }).da;
      const notices: Record<string, MessageKey> = {
        them: 'trust.added',
        go: 'trust.removed',
        crl: 'trust.crlAdded',
      };
      const key = done ? notices[done] : undefined;
      return trustPage(request, reply, [], {}, key ? request.t(key) : undefined);
    });

    app.post(TRUST_PATH, { schema: { hide: true } }, async (request, reply) => {
      const actor = requireActor(request);
      const body = multipartBody(request);
      const name = fieldValue(body, 'name');
      try {
        await trust.addRoot(
          actor,
          { name, file: await fileValue(body, 'certificate') },
          requestInfo(request),
        );
      } catch (error) {
        const errors = validationFieldErrors(error, request.t);
        if (!errors) throw error;
        return trustPage(request, reply, errors, { name });
      }
      return reply.redirect(`${TRUST_PATH}?da=them`, 303);
    });

    app.post(`${TRUST_PATH}/crl`, { schema: { hide: true } }, async (request, reply) => {
      const actor = requireActor(request);
      const body = multipartBody(request);
      try {
        await trust.addCrl(
          actor,
          {
            file: await fileValue(body, 'crl'),
            issuerCertificate: await fileValue(body, 'issuerCertificate'),
          },
          requestInfo(request),
        );
      } catch (error) {
        const errors = validationFieldErrors(error, request.t);
        if (!errors) throw error;
        return trustPage(request, reply, errors);
      }
      return reply.redirect(`${TRUST_PATH}?da=crl`, 303);
    });

    const RootId = Type.Object({ id: Type.String({ format: 'uuid' }) });
    app.get(`${TRUST_PATH}/:id/go`, { schema: { hide: true, params: RootId } }, async (request, reply) => {
      const root = await trust.getRoot(requireActor(request), request.params.id, requestInfo(request));
      return sendPage(request, reply, {
        title: request.t('trust.confirmTitle'),
        body: <RemoveRootPage t={request.t} csrfToken={reply.generateCsrf()} root={root} />,
      });
    });

    app.post(`${TRUST_PATH}/:id/go`, { schema: { hide: true, params: RootId } }, async (request, reply) => {
      await trust.removeRoot(requireActor(request), request.params.id, requestInfo(request));
      return reply.redirect(`${TRUST_PATH}?da=go`, 303);
    });

    const tags = ['signing'];
    app.get(
      '/api/trusted-roots',
      {
        schema: {
          tags,
          summary: 'Các chứng thư số gốc tỉnh tin cậy và các danh sách chứng thư số bị thu hồi (CRL)',
          response: {
            200: Type.Object({ roots: Type.Array(TrustedRootSchema), crls: Type.Array(CrlSchema) }),
          },
        },
      },
      async (request) => {
        const { roots, crls } = await trust.overview(requireActor(request), requestInfo(request));
        return { roots: roots.map(rootJson), crls: crls.map(crlJson) };
      },
    );

    app.post(
      '/api/trusted-roots',
      {
        schema: {
          tags,
          summary:
            'Thêm chứng thư số gốc tin cậy (multipart: name, certificate là tệp PEM hoặc DER của một CA)',
          consumes: ['multipart/form-data'],
          response: { 201: TrustedRootSchema },
        },
      },
      async (request, reply) => {
        const body = multipartBody(request);
        const root = await trust.addRoot(
          requireActor(request),
          { name: fieldValue(body, 'name'), file: await fileValue(body, 'certificate') },
          requestInfo(request),
        );
        return reply.status(201).send(rootJson(root));
      },
    );

    app.delete(
      '/api/trusted-roots/:id',
      { schema: { tags, summary: 'Gỡ một chứng thư số gốc khỏi danh sách tin cậy', params: RootId } },
      async (request, reply) => {
        await trust.removeRoot(requireActor(request), request.params.id, requestInfo(request));
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/certificate-revocation-lists',
      {
        schema: {
          tags,
          summary:
            'Tải lên danh sách chứng thư số bị thu hồi (CRL) (multipart: crl; issuerCertificate khi CRL do CA trung gian ký)',
          consumes: ['multipart/form-data'],
          response: { 201: CrlSchema },
        },
      },
      async (request, reply) => {
        const body = multipartBody(request);
        const crl = await trust.addCrl(
          requireActor(request),
          {
            file: await fileValue(body, 'crl'),
            issuerCertificate: await fileValue(body, 'issuerCertificate'),
          },
          requestInfo(request),
        );
        return reply.status(201).send(crlJson(crl));
      },
    );
  };
}
