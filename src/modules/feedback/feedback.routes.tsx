// HTTP of PAKN: the public form and answers, the officers' list and its three steps.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { validationFieldErrors } from '../../platform/http/field-errors.ts';
import { requestInfo } from '../../platform/http/request.ts';
import { sendPage } from '../../web/render.tsx';
import type { FieldError } from '../../web/layout.tsx';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { requireActor } from '../identity/index.ts';
import type { FeedbackService } from './feedback.service.ts';
import { FeedbackFormPage, FeedbackListPage } from './views/feedback-pages.tsx';

export function feedbackRoutes(deps: {
  service: FeedbackService;
  adminUnits: AdminUnitsService;
  provinceCode: string;
}): FastifyPluginAsyncTypebox {
  const { service } = deps;
  const communes = () => deps.adminUnits.listCommunes(deps.provinceCode);

  async function formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: FieldError[],
    sent?: { number: string; answerBy: Date },
  ) {
    return sendPage(request, reply, {
      title: request.t('feedback.title'),
      status: errors.length ? 400 : 200,
      body: (
        <FeedbackFormPage
          t={request.t}
          csrfToken={reply.generateCsrf()}
          communes={await communes()}
          values={values}
          errors={errors}
          sent={sent}
          published={await service.listPublished(20)}
        />
      ),
    });
  }
  async function listPage(
    request: FastifyRequest,
    reply: FastifyReply,
    unitCode: string,
    errors: FieldError[] = [],
    errorId?: string,
  ) {
    const items = await service.listForUnit(requireActor(request), unitCode, requestInfo(request));
    return sendPage(request, reply, {
      title: request.t('feedback.officerTitle'),
      status: errors.length ? 400 : 200,
      body: (
        <FeedbackListPage
          t={request.t}
          csrfToken={reply.generateCsrf()}
          unitCode={unitCode}
          items={items}
          errors={errors}
          errorId={errorId}
        />
      ),
    });
  }

  return async (app) => {
    app.get('/phan-anh-kien-nghi', { schema: { hide: true } }, async (request, reply) =>
      formPage(request, reply, {}, []),
    );
    app.post('/phan-anh-kien-nghi', { schema: { hide: true } }, async (request, reply) => {
      const b = (request.body ?? {}) as Record<string, string>;
      const values = Object.fromEntries(
        ['unitCode', 'kind', 'content', 'dossierCode', 'senderName', 'senderContact'].map((k) => [
          k,
          typeof b[k] === 'string' ? b[k]!.trim() : '',
        ]),
      );
      try {
        const item = await service.submit(
          {
            unitCode: values.unitCode ?? '',
            kind: values.kind === 'kien_nghi' ? 'kien_nghi' : 'phan_anh',
            content: values.content ?? '',
            senderName: values.senderName ?? '',
            senderContact: values.senderContact ?? '',
            dossierCode: values.dossierCode || null,
          },
          requestInfo(request),
        );
        return formPage(request, reply, {}, [], { number: item.number, answerBy: item.answer_by });
      } catch (error) {
        const errors = validationFieldErrors(error, request.t);
        if (!errors) throw error;
        return formPage(request, reply, values, errors);
      }
    });

    const UNIT = Type.Object({ unit: Type.String({ pattern: '^\\d{5}$' }) });
    app.get('/can-bo/phan-anh/:unit', { schema: { hide: true, params: UNIT } }, async (request, reply) =>
      listPage(request, reply, request.params.unit),
    );
    const STEP = Type.Object({
      unit: Type.String({ pattern: '^\\d{5}$' }),
      id: Type.String({ format: 'uuid' }),
      step: Type.Union([Type.Literal('tra-loi'), Type.Literal('tu-choi'), Type.Literal('cong-khai')]),
    });
    app.post(
      '/can-bo/phan-anh/:unit/:id/:step',
      { schema: { hide: true, params: STEP } },
      async (request, reply) => {
        const actor = requireActor(request);
        const { unit, id, step } = request.params;
        const text = String(((request.body ?? {}) as Record<string, unknown>).text ?? '');
        try {
          if (step === 'tra-loi') await service.answer(actor, unit, id, text, requestInfo(request));
          else if (step === 'tu-choi') await service.reject(actor, unit, id, text, requestInfo(request));
          else await service.publish(actor, unit, id, requestInfo(request));
        } catch (error) {
          const errors = validationFieldErrors(error, request.t);
          if (!errors) throw error;
          return listPage(request, reply, unit, errors, id);
        }
        return reply.redirect(`/can-bo/phan-anh/${unit}`, 303);
      },
    );
  };
}
