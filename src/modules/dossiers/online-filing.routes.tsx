// HTTP of filing online and of the applicant's side of a dossier (tracking downloads, the rating). Parse, find who
// is filing (a signed-in account or the guest contact verified in this session), call the service, present.
import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorMessage, isAppError } from '../../platform/errors.ts';
import { validationFieldErrors } from '../../platform/http/field-errors.ts';
import { requestInfo } from '../../platform/http/request.ts';
import { sendPage } from '../../web/render.tsx';
import type { FieldError } from '../../web/layout.tsx';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { ApplicantData } from './dossiers.repo.ts';
import type { DossiersService } from './dossiers.service.ts';
import { readFilePart } from './upload-parts.ts';
import type { FilingOwner, OnlineFiling } from './online-filing.ts';
import {
  ApplicantPage,
  CentrePage,
  ConfirmationPage,
  DocumentsPage,
  FilingStartPage,
  MyDossiersPage,
  QuestionPage,
  SummaryPage,
} from './views/filing-pages.tsx';

interface Deps {
  filing: OnlineFiling;
  dossiers: DossiersService;
  adminUnits: AdminUnitsService;
  provinceCode: string;
  maxUploadBytes: number;
}

declare module '@fastify/session' {
  interface FastifySessionObject {
    /** A guest's phone or email verified by a one-time code in this session ("sms:0912…", "email:…"). */
    guestContact?: string;
  }
}

const DRAFT = Type.Object({ id: Type.String({ format: 'uuid' }) });

function ownerOf(request: FastifyRequest): FilingOwner | null {
  if (request.principal) return { userId: request.principal.userId, name: request.principal.fullName };
  const contact = request.session?.guestContact;
  return contact ? { contact } : null;
}

function requireOwner(request: FastifyRequest): FilingOwner {
  const owner = ownerOf(request);
  if (!owner) throw new AppError('NOT_AUTHENTICATED');
  return owner;
}

function body(request: FastifyRequest): Record<string, string | undefined> {
  const raw = (request.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
}

export function onlineFilingRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  const { filing } = deps;

  const communes = () => deps.adminUnits.listCommunes(deps.provinceCode);

  /** The next page of a draft that is not complete yet (or the summary). */
  async function nextStep(owner: FilingOwner, id: string): Promise<string> {
    const { answers, missingPages } = await filing.getDraft(owner, id);
    const base = `/nop-ho-so/nhap/${id}`;
    if (!answers.centre) return `${base}/noi-nop`;
    if (!answers.applicant?.name || !answers.applicant.idNumber) return `${base}/nguoi-nop`;
    if (missingPages[0]) return `${base}/cau-hoi/${encodeURIComponent(missingPages[0].slug)}`;
    return `${base}/giay-to`;
  }

  async function renderStart(
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    extra: {
      step?: 'choose' | 'code';
      contact?: string;
      challengeId?: string;
      errors?: FieldError[];
      notice?: string;
      status?: number;
    } = {},
  ) {
    const procedure = await deps.dossiers.procedureForFiling(code);
    const owner = ownerOf(request);
    return sendPage(request, reply, {
      title: request.t('filing.start.title', { name: procedure.name }),
      status: extra.status ?? 200,
      body: (
        <FilingStartPage
          t={request.t}
          csrfToken={reply.generateCsrf()}
          procedure={procedure}
          components={procedure.components}
          signedInAs={
            owner ? ('userId' in owner ? owner.name : owner.contact.replace(/^(sms|email):/, '')) : null
          }
          step={extra.step ?? 'choose'}
          contact={extra.contact ?? ''}
          challengeId={extra.challengeId ?? ''}
          errors={extra.errors ?? []}
          notice={extra.notice}
        />
      ),
    });
  }

  return async (app) => {
    app.get(
      '/nop-ho-so/:procedure',
      { schema: { hide: true, params: Type.Object({ procedure: Type.String({ maxLength: 60 }) }) } },
      async (request, reply) => renderStart(request, reply, request.params.procedure),
    );

    app.post(
      '/nop-ho-so/:procedure/ma',
      { schema: { hide: true, params: Type.Object({ procedure: Type.String({ maxLength: 60 }) }) } },
      async (request, reply) => {
        const contact = body(request).contact ?? '';
        try {
          const sent = await filing.sendCode(contact, requestInfo(request));
          return renderStart(request, reply, request.params.procedure, {
            step: 'code',
            contact: sent.contact.replace(/^(sms|email):/, ''),
            challengeId: sent.challengeId,
            notice: request.t(sent.channel === 'sms' ? 'filing.start.sentSms' : 'filing.start.sentEmail'),
          });
        } catch (error) {
          const errors =
            validationFieldErrors(error, request.t) ??
            (isAppError(error) && error.code === 'LOGIN_THROTTLED'
              ? [{ field: 'contact', message: request.t('filing.v.tooManyCodes') }]
              : undefined);
          if (!errors) throw error;
          return renderStart(request, reply, request.params.procedure, { contact, errors, status: 400 });
        }
      },
    );

    app.post(
      '/nop-ho-so/:procedure/xac-minh',
      { schema: { hide: true, params: Type.Object({ procedure: Type.String({ maxLength: 60 }) }) } },
      async (request, reply) => {
        const b = body(request);
        try {
          request.session.guestContact = await filing.verifyCode(b.challengeId ?? '', b.code ?? '');
        } catch (error) {
          if (!isAppError(error) || error.code !== 'ONE_TIME_CODE_INVALID') throw error;
          return renderStart(request, reply, request.params.procedure, {
            step: 'code',
            contact: b.contact ?? '',
            challengeId: b.challengeId ?? '',
            errors: [
              {
                field: 'code',
                message: request.t('error.ONE_TIME_CODE_INVALID', error.details as Record<string, string>),
              },
            ],
            status: 400,
          });
        }
        const owner = requireOwner(request);
        const id = await filing.startDraft(owner, request.params.procedure);
        return reply.redirect(await nextStep(owner, id), 303);
      },
    );

    app.post(
      '/nop-ho-so/:procedure/bat-dau',
      { schema: { hide: true, params: Type.Object({ procedure: Type.String({ maxLength: 60 }) }) } },
      async (request, reply) => {
        const owner = requireOwner(request);
        const id = await filing.startDraft(owner, request.params.procedure);
        return reply.redirect(await nextStep(owner, id), 303);
      },
    );

    app.get('/nop-ho-so/nhap/:id', { schema: { hide: true, params: DRAFT } }, async (request, reply) =>
      reply.redirect(await nextStep(requireOwner(request), request.params.id), 303),
    );

    // --- Where to file --------------------------------------------------------------------------------
    async function centrePage(
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      value: string,
      errors: FieldError[],
    ) {
      return sendPage(request, reply, {
        title: request.t('filing.centre.title'),
        status: errors.length ? 400 : 200,
        body: (
          <CentrePage
            t={request.t}
            csrfToken={reply.generateCsrf()}
            draftId={id}
            communes={await communes()}
            value={value}
            errors={errors}
          />
        ),
      });
    }
    app.get(
      '/nop-ho-so/nhap/:id/noi-nop',
      { schema: { hide: true, params: DRAFT } },
      async (request, reply) => {
        const { answers } = await filing.getDraft(requireOwner(request), request.params.id);
        return centrePage(request, reply, request.params.id, answers.centre ?? '', []);
      },
    );
    app.post(
      '/nop-ho-so/nhap/:id/noi-nop',
      { schema: { hide: true, params: DRAFT } },
      async (request, reply) => {
        const owner = requireOwner(request);
        const centre = body(request).centre ?? '';
        try {
          await filing.saveCentre(owner, request.params.id, centre);
        } catch (error) {
          const errors = validationFieldErrors(error, request.t);
          if (!errors) throw error;
          return centrePage(request, reply, request.params.id, centre, errors);
        }
        return reply.redirect(await nextStep(owner, request.params.id), 303);
      },
    );

    // --- Who is filing ------------------------------------------------------------------------------------
    async function applicantPage(
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      values: Partial<ApplicantData>,
      errors: FieldError[],
    ) {
      return sendPage(request, reply, {
        title: request.t('filing.applicant.title'),
        status: errors.length ? 400 : 200,
        body: (
          <ApplicantPage
            t={request.t}
            csrfToken={reply.generateCsrf()}
            draftId={id}
            back={`/nop-ho-so/nhap/${id}/noi-nop`}
            values={values}
            errors={errors}
          />
        ),
      });
    }
    app.get(
      '/nop-ho-so/nhap/:id/nguoi-nop',
      { schema: { hide: true, params: DRAFT } },
      async (request, reply) => {
        const { answers } = await filing.getDraft(requireOwner(request), request.params.id);
        return applicantPage(request, reply, request.params.id, answers.applicant ?? {}, []);
      },
    );
    app.post(
      '/nop-ho-so/nhap/:id/nguoi-nop',
      { schema: { hide: true, params: DRAFT } },
      async (request, reply) => {
        const owner = requireOwner(request);
        const b = body(request);
        const applicant: ApplicantData = {
          kind: 'person',
          name: (b['applicant.name'] ?? '').trim(),
          idNumber: (b['applicant.idNumber'] ?? '').trim(),
          address: (b['applicant.address'] ?? '').trim(),
          phone: (b['applicant.phone'] ?? '').replace(/[\s.]/g, ''),
          email: (b['applicant.email'] ?? '').trim(),
        };
        const problems = deps.dossiers
          .applicantProblems(applicant)
          .map((p) => ({ field: p.field, message: request.t(p.key, p.params) }));
        if (problems.length > 0) return applicantPage(request, reply, request.params.id, applicant, problems);
        await filing.saveApplicant(owner, request.params.id, applicant);
        return reply.redirect(await nextStep(owner, request.params.id), 303);
      },
    );

    // --- The e-form's questions, one topic per page ------------------------------------------------------
    async function questionPage(
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      slug: string,
      raw: Record<string, string> | null,
      errors: FieldError[],
    ) {
      const { pages, answers } = await filing.getDraft(requireOwner(request), id);
      const index = pages.findIndex((p) => p.slug === slug);
      const page = pages[index];
      if (!page) throw new AppError('NOT_FOUND');
      const values =
        raw ??
        Object.fromEntries(
          page.fields.map((f) => [
            f.name,
            answers.eform?.[f.name] === undefined ? '' : String(answers.eform[f.name]),
          ]),
        );
      const back =
        index > 0
          ? `/nop-ho-so/nhap/${id}/cau-hoi/${encodeURIComponent(pages[index - 1]!.slug)}`
          : `/nop-ho-so/nhap/${id}/nguoi-nop`;
      return sendPage(request, reply, {
        title: page.title,
        status: errors.length ? 400 : 200,
        body: (
          <QuestionPage
            t={request.t}
            csrfToken={reply.generateCsrf()}
            draftId={id}
            back={back}
            page={page}
            values={values}
            errors={errors}
          />
        ),
      });
    }
    const QUESTION = Type.Object({
      id: Type.String({ format: 'uuid' }),
      slug: Type.String({ maxLength: 100 }),
    });
    app.get(
      '/nop-ho-so/nhap/:id/cau-hoi/:slug',
      { schema: { hide: true, params: QUESTION } },
      async (request, reply) =>
        questionPage(request, reply, request.params.id, request.params.slug, null, []),
    );
    app.post(
      '/nop-ho-so/nhap/:id/cau-hoi/:slug',
      { schema: { hide: true, params: QUESTION } },
      async (request, reply) => {
        const owner = requireOwner(request);
        const { pages } = await filing.getDraft(owner, request.params.id);
        const page = pages.find((p) => p.slug === request.params.slug);
        if (!page) throw new AppError('NOT_FOUND');
        const raw = body(request);
        const { errors } = await filing.savePage(owner, request.params.id, page, raw);
        if (errors.length > 0)
          return questionPage(
            request,
            reply,
            request.params.id,
            page.slug,
            raw as Record<string, string>,
            errors,
          );
        const index = pages.indexOf(page);
        const next = pages[index + 1];
        return reply.redirect(
          next
            ? `/nop-ho-so/nhap/${request.params.id}/cau-hoi/${encodeURIComponent(next.slug)}`
            : `/nop-ho-so/nhap/${request.params.id}/giay-to`,
          303,
        );
      },
    );

    // --- Documents: one file per request, so a failed upload on a slow line loses only itself ------------------
    async function documentsPage(
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      errors: FieldError[],
      notice?: string,
    ) {
      const { components, draft, pages } = await filing.getDraft(requireOwner(request), id);
      const last = pages[pages.length - 1];
      return sendPage(request, reply, {
        title: request.t('filing.documents.title'),
        status: errors.length ? 400 : 200,
        body: (
          <DocumentsPage
            t={request.t}
            csrfToken={reply.generateCsrf()}
            draftId={id}
            back={
              last
                ? `/nop-ho-so/nhap/${id}/cau-hoi/${encodeURIComponent(last.slug)}`
                : `/nop-ho-so/nhap/${id}/nguoi-nop`
            }
            maxMiB={Math.round(deps.maxUploadBytes / 1024 / 1024)}
            components={components}
            uploads={draft.uploads}
            errors={errors}
            notice={notice}
          />
        ),
      });
    }
    app.get(
      '/nop-ho-so/nhap/:id/giay-to',
      {
        schema: {
          hide: true,
          params: DRAFT,
          querystring: Type.Object({ 'da-tai': Type.Optional(Type.String({ maxLength: 200 })) }),
        },
      },
      async (request, reply) => {
        const uploaded = request.query['da-tai'];
        const notice = uploaded ? request.t('filing.documents.uploaded', { name: uploaded }) : undefined;
        return documentsPage(request, reply, request.params.id, [], notice);
      },
    );
    const POSITION = Type.Object({
      id: Type.String({ format: 'uuid' }),
      position: Type.Integer({ minimum: 1, maximum: 500 }),
    });
    app.post(
      '/nop-ho-so/nhap/:id/giay-to/:position',
      { schema: { hide: true, params: POSITION } },
      async (request, reply) => {
        const owner = requireOwner(request);
        const field = `file-${request.params.position}`;
        const part = ((request.body ?? {}) as Record<string, MultipartFile | MultipartValue | undefined>)
          .file;
        const bytes = part && part.type === 'file' ? await readFilePart(part) : undefined;
        if (!part || part.type !== 'file' || !bytes || bytes.length === 0)
          return documentsPage(request, reply, request.params.id, [
            { field, message: request.t('dossier.v.file') },
          ]);
        try {
          const stored = await filing.addUpload(owner, request.params.id, request.params.position, {
            fileName: part.filename,
            bytes,
          });
          // Post/redirect/get: reloading the page must not upload the file again.
          return reply.redirect(
            `/nop-ho-so/nhap/${request.params.id}/giay-to?da-tai=${encodeURIComponent(stored.fileName)}`,
            303,
          );
        } catch (error) {
          if (!isAppError(error) || !['UPLOAD_TYPE_NOT_ALLOWED', 'UPLOAD_TOO_LARGE'].includes(error.code))
            throw error;
          return documentsPage(request, reply, request.params.id, [
            {
              field,
              message: errorMessage(request.t, error),
            },
          ]);
        }
      },
    );
    app.post(
      '/nop-ho-so/nhap/:id/giay-to/:position/xoa',
      { schema: { hide: true, params: POSITION } },
      async (request, reply) => {
        await filing.removeUpload(
          requireOwner(request),
          request.params.id,
          request.params.position,
          body(request).uploadId ?? '',
        );
        return reply.redirect(`/nop-ho-so/nhap/${request.params.id}/giay-to`, 303);
      },
    );

    // --- Check and submit ---------------------------------------------------------------------------------------
    async function summaryPage(
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      errors: FieldError[],
    ) {
      const { answers, pages, components, draft, procedure } = await filing.getDraft(
        requireOwner(request),
        id,
      );
      const centre = answers.centre ? await deps.adminUnits.getUnit(answers.centre) : undefined;
      return sendPage(request, reply, {
        title: request.t('filing.summary.title'),
        status: errors.length ? 400 : 200,
        body: (
          <SummaryPage
            t={request.t}
            csrfToken={reply.generateCsrf()}
            draftId={id}
            back={`/nop-ho-so/nhap/${id}/giay-to`}
            procedureName={procedure.record.name}
            centreName={centre?.fullName ?? ''}
            applicant={answers.applicant ?? {}}
            pages={pages}
            answers={answers.eform ?? {}}
            components={components}
            uploads={draft.uploads}
            errors={errors}
          />
        ),
      });
    }
    app.get(
      '/nop-ho-so/nhap/:id/kiem-tra',
      { schema: { hide: true, params: DRAFT } },
      async (request, reply) => summaryPage(request, reply, request.params.id, []),
    );
    app.post('/nop-ho-so/nhap/:id/nop', { schema: { hide: true, params: DRAFT } }, async (request, reply) => {
      try {
        const done = await filing.submit(requireOwner(request), request.params.id, requestInfo(request));
        return reply.redirect(`/nop-ho-so/da-nop/${done.code}?ma=${done.trackingSecret}`, 303);
      } catch (error) {
        const errors = validationFieldErrors(error, request.t);
        if (!errors) throw error;
        return summaryPage(request, reply, request.params.id, errors);
      }
    });

    const DONE = {
      params: Type.Object({ code: Type.String({ pattern: '^\\d{5}-\\d{6}-\\d{4,}$' }) }),
      querystring: Type.Object({ ma: Type.String({ maxLength: 20 }) }),
    };
    app.get('/nop-ho-so/da-nop/:code', { schema: { hide: true, ...DONE } }, async (request, reply) => {
      const tracking = await deps.dossiers.track(request.params.code, request.query.ma);
      const done = await deps.dossiers.trackingOf(tracking.code);
      const centre = await deps.adminUnits.getUnit(done.receivingUnitCode);
      return sendPage(request, reply, {
        title: request.t('filing.done.title'),
        body: (
          <ConfirmationPage
            t={request.t}
            code={done.code}
            secret={request.query.ma.toUpperCase()}
            procedureName={done.procedureName}
            centreName={centre.fullName}
            filedAt={done.filedAt}
          />
        ),
      });
    });
    app.get(
      '/nop-ho-so/da-nop/:code/phieu.pdf',
      {
        schema: {
          tags: ['dossiers'],
          summary: 'Phiếu nộp hồ sơ trực tuyến (PDF), bằng mã hồ sơ và mã tra cứu',
          ...DONE,
        },
      },
      async (request, reply) => {
        const pdf = await deps.dossiers.submissionPdf(request.params.code, request.query.ma);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `inline; filename="phieu-nop-${request.params.code}.pdf"`)
          .header('cache-control', 'private, no-store')
          .send(pdf);
      },
    );

    app.get('/ho-so-cua-toi', { schema: { hide: true } }, async (request, reply) => {
      const owner = ownerOf(request);
      if (!owner) return reply.redirect('/dang-nhap?next=%2Fho-so-cua-toi', 303);
      const mine = await filing.listMine(owner);
      return sendPage(request, reply, {
        title: request.t('filing.mine.title'),
        body: <MyDossiersPage t={request.t} drafts={mine.drafts} dossiers={mine.dossiers} />,
      });
    });

    // --- The applicant's side of a dossier: the result file, the rating ----------------------------------------
    app.get(
      '/tra-cuu-ho-so/:code/ket-qua/:id',
      {
        schema: {
          tags: ['dossiers'],
          summary: 'Tải kết quả giải quyết (bằng mã hồ sơ và mã tra cứu)',
          params: Type.Object({ code: Type.String({ maxLength: 40 }), id: Type.String({ format: 'uuid' }) }),
          querystring: Type.Object({ ma: Type.String({ maxLength: 20 }) }),
        },
      },
      async (request, reply) => {
        const file = await deps.dossiers.getResultFile(
          request.params.code,
          request.query.ma,
          request.params.id,
        );
        return reply
          .header('content-type', file.mediaType)
          .header('content-disposition', `inline; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"`)
          .header('cache-control', 'private, no-store')
          .send(file.bytes);
      },
    );

    app.post(
      '/tra-cuu-ho-so/:code/danh-gia',
      { schema: { hide: true, params: Type.Object({ code: Type.String({ maxLength: 40 }) }) } },
      async (request, reply) => {
        const b = body(request);
        const rating = (['satisfied', 'neutral', 'dissatisfied'] as const).find((r) => r === b.rating);
        const secret = b.ma ?? '';
        const back = `/tra-cuu-ho-so/${encodeURIComponent(request.params.code)}?ma=${encodeURIComponent(secret)}`;
        if (!rating) return reply.redirect(`${back}&loi=danh-gia#danh-gia`, 303);
        await deps.dossiers.rate(request.params.code, secret, rating, b.comment ?? '', 'tracking');
        return reply.redirect(`${back}&thong-bao=da-danh-gia`, 303);
      },
    );
  };
}
