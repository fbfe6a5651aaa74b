// One error shape for the API ({ error: { code, message, details } }) and Vietnamese error pages for people.
// Production never shows a stack; unexpected errors are logged with the request id.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendPage } from '../../web/render.tsx';
import { AppError, errorMessage, isAppError, type ErrorCode } from '../errors.ts';
import type { MessageKey } from '../i18n/index.ts';
import { wantsHtml } from './context.ts';
import { localiseFields } from './field-errors.ts';

/** Ajv's keyword of a failed rule → the catalogue's Vietnamese sentence for it. */
function validationProblem(v: NonNullable<FastifyError['validation']>[number], context: string) {
  const params = v.params as Record<string, unknown>;
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
  const path = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
  const field = missing ?? (path || context || 'body');
  const byKeyword: Record<string, { key: MessageKey; params?: Record<string, string | number> }> = {
    required: { key: 'validation.required' },
    maxLength: { key: 'validation.maxLength', params: { limit: Number(params.limit) } },
    minLength: { key: 'validation.minLength', params: { limit: Number(params.limit) } },
    pattern: { key: 'validation.pattern' },
    format: { key: 'validation.pattern' },
    type: { key: 'validation.type' },
    minimum: { key: 'validation.range' },
    maximum: { key: 'validation.range' },
    anyOf: { key: 'validation.allowedValues' },
    enum: { key: 'validation.allowedValues' },
    const: { key: 'validation.allowedValues' },
  };
  const known = byKeyword[v.keyword];
  return known
    ? { field, key: known.key, params: { field, ...(known.params ?? {}) } }
    : { field, reason: v.message ?? v.keyword };
}

function fromFastifyError(error: FastifyError): AppError | undefined {
  if (error.validation) {
    const fields = error.validation.map((v) => validationProblem(v, error.validationContext ?? ''));
    return new AppError('VALIDATION_FAILED', { fields });
  }
  if (error.code === 'FST_CSRF_MISSING_SECRET' || error.code === 'FST_CSRF_INVALID_TOKEN')
    return new AppError('CSRF_INVALID');
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE');
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError('VALIDATION_FAILED', { fields: [{ field: 'body', key: 'validation.mediaType' }] });
  }
  if (error.statusCode === 400) {
    // Unparseable JSON, an empty JSON body, a bad content length.
    return new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'body', key: 'validation.unreadableBody' }],
    });
  }
  if (error.statusCode === 404) return new AppError('NOT_FOUND');
  return undefined;
}

/** Field problems carry a message key (service validation) or a validator reason; both become readable text. */
function localisedDetails(request: FastifyRequest, error: AppError): Record<string, unknown> {
  if (!Array.isArray(error.details.fields)) return error.details;
  return { ...error.details, fields: localiseFields(error, request.t) };
}

function respond(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const details = localisedDetails(request, error);
  if (wantsHtml(request.url)) {
    if (error.code === 'NOT_AUTHENTICATED' && request.method === 'GET') {
      const reason = request.sessionExpired ? 'het-han' : 'can-dang-nhap';
      return reply.redirect(`/dang-nhap?thong-bao=${reason}&next=${encodeURIComponent(request.url)}`, 303);
    }
    return sendPage(request, reply, {
      title: request.t('error.title'),
      status: error.status,
      body: (
        <>
          <h1>{request.t('error.title')}</h1>
          <p>{errorMessage(request.t, error)}</p>
          {error.code === 'VALIDATION_FAILED' && Array.isArray(details.fields) && (
            <ul>
              {(details.fields as { message: string }[]).map((f) => (
                <li key={f.message}>{f.message}</li>
              ))}
            </ul>
          )}
          <p class="hint">{request.t('error.requestId', { id: String(request.id) })}</p>
          <p>
            <a href="/">{request.t('error.back')}</a>
          </p>
        </>
      ),
    });
  }
  return reply.status(error.status).send({
    error: {
      code: error.code,
      message: errorMessage(request.t, error),
      details,
    },
  });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = isAppError(error) ? error : fromFastifyError(error);
    if (appError) {
      if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
      return respond(request, reply, appError);
    }
    request.log.error({ err: error }, 'unexpected error');
    return respond(request, reply, new AppError('INTERNAL' satisfies ErrorCode));
  });

  app.setNotFoundHandler((request, reply) => respond(request, reply, new AppError('NOT_FOUND')));
}
