// HTTP only: parse, find who is asking, call one service function, present. The API (JSON) and the officers' pages
// (HTML forms that work without JavaScript) call the same service functions.
import crypto from 'node:crypto';
import fastifyMultipart, { type MultipartFile, type MultipartValue } from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorMessage, isAppError } from '../../platform/errors.ts';
import type { MessageKey } from '../../platform/i18n/index.ts';
import { validationFieldErrors } from '../../platform/http/field-errors.ts';
import { pageNumber, requestInfo } from '../../platform/http/request.ts';
import { sendPage } from '../../web/render.tsx';
import type { FieldError } from '../../web/layout.tsx';
import type { AdminUnitsService } from '../admin-units/index.ts';
import {
  hasPermissionSomewhere,
  requireActor,
  type IdentityService,
  type Principal,
} from '../identity/index.ts';
import type { ProceduresService } from '../procedures/index.ts';
import {
  DOSSIER_ACTIONS,
  DOSSIER_STATUSES,
  INTAKE_ACTIONS,
  isDossierAction,
  type DossierAction,
  type DossierStatus,
  type IntakeAction,
} from './dossier-workflow.ts';
import { onlineFilingRoutes } from './online-filing.routes.tsx';
import { readFilePart } from './upload-parts.ts';
import type { OnlineFiling } from './online-filing.ts';
import {
  procedureComponents,
  type ActionInput,
  type DossiersService,
  type IntakeInput,
} from './dossiers.service.ts';
import {
  DossierPage,
  IntakeChoosePage,
  IntakeFormPage,
  LoadPage,
  QueuePage,
  RegisterPage,
  TrackingFormPage,
  TrackingPage,
  emptyIntakeValues,
  type IntakeValues,
} from './views/dossier-pages.tsx';
import { CounterRatingPage } from './views/rating-pages.tsx';

interface Deps {
  service: DossiersService;
  filing: OnlineFiling;
  identity: IdentityService;
  adminUnits: AdminUnitsService;
  procedures: ProceduresService;
  provinceCode: string;
  maxUploadBytes: number;
}

const CODE = Type.String({ pattern: '^\\d{5}-\\d{6}-\\d{4,}$' });
const Person = Type.Object({
  kind: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('organisation')])),
  name: Type.String({ maxLength: 200 }),
  idNumber: Type.String({ maxLength: 20 }),
  address: Type.String({ maxLength: 300 }),
  phone: Type.String({ maxLength: 20 }),
  email: Type.Optional(Type.String({ maxLength: 200 })),
});
const IntakeBody = Type.Object({
  receivingUnitCode: Type.String({ pattern: '^\\d{5}$' }),
  procedureCode: Type.String({ maxLength: 60 }),
  channel: Type.Union([Type.Literal('in_person'), Type.Literal('online'), Type.Literal('postal')]),
  decision: Type.Optional(Type.Union(INTAKE_ACTIONS.map((a) => Type.Literal(a)))),
  applicant: Person,
  representative: Type.Optional(
    Type.Union([
      Type.Null(),
      Type.Intersect([Person, Type.Object({ authorisationDocument: Type.String({ maxLength: 300 }) })]),
    ]),
  ),
  requestSummary: Type.Optional(Type.String({ maxLength: 2000 })),
  setsCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  returnMethod: Type.Optional(
    Type.Union([Type.Literal('at_centre'), Type.Literal('postal'), Type.Literal('online')]),
  ),
  processingUnitCode: Type.Optional(Type.String({ pattern: '^\\d{5}$' })),
  components: Type.Array(
    Type.Object({
      position: Type.Integer({ minimum: 1 }),
      isProvided: Type.Boolean(),
      digitisation: Type.Union(
        ['scanned', 'electronic', 'shown_only', 'verification_result', 'secret', 'not_provided'].map((d) =>
          Type.Literal(d),
        ),
      ),
      uploadIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 50 })),
    }),
    { maxItems: 200 },
  ),
  reasons: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 50 })),
  manualDueAt: Type.Optional(Type.String({ format: 'date-time' })),
  transactionId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});
const ActionBody = Type.Object({
  assigneeId: Type.Optional(Type.String({ format: 'uuid' })),
  note: Type.Optional(Type.String({ maxLength: 4000 })),
  reasons: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 50 })),
  items: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 50 })),
  unitCode: Type.Optional(Type.String({ pattern: '^\\d{5}$' })),
  newDueAt: Type.Optional(Type.String({ format: 'date-time' })),
  uploadId: Type.Optional(Type.String({ format: 'uuid' })),
  resultTitle: Type.Optional(Type.String({ maxLength: 300 })),
  resultContent: Type.Optional(Type.String({ maxLength: 20000 })),
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  transactionId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});
const DossierSchema = Type.Object({}, { additionalProperties: true, $id: 'Dossier' });

function transactionIdOf(
  request: FastifyRequest,
  body: { transactionId?: string | undefined } | undefined,
): string {
  const header = request.headers['idempotency-key'];
  const id = (typeof header === 'string' ? header : undefined) ?? body?.transactionId;
  if (!id || id.trim() === '' || id.length > 100)
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'Idempotency-Key', key: 'validation.idempotencyKey' }],
    });
  return id;
}

function personOf(kind: string, v: Record<string, string>) {
  return {
    kind: kind === 'organisation' ? ('organisation' as const) : ('person' as const),
    name: v.name ?? '',
    idNumber: v.idNumber ?? '',
    address: v.address ?? '',
    phone: v.phone ?? '',
    email: v.email ?? '',
  };
}

/** "2026-12-05T17:00" typed in a datetime-local field is Vietnam time. */
function localDateTime(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const date = new Date(`${value}:00+07:00`);
  return Number.isNaN(date.getTime()) ? null : date;
}

type MultipartBody = Record<
  string,
  MultipartFile | MultipartValue | (MultipartFile | MultipartValue)[] | undefined
>;

function partsOf(body: MultipartBody, name: string): (MultipartFile | MultipartValue)[] {
  const part = body[name];
  return part === undefined ? [] : Array.isArray(part) ? part : [part];
}

function textOf(body: MultipartBody, name: string): string {
  const part = partsOf(body, name).find((p) => p.type === 'field');
  return part && part.type === 'field' ? String(part.value ?? '') : '';
}

function textsOf(body: MultipartBody, name: string): string[] {
  return partsOf(body, name).flatMap((p) =>
    p.type === 'field' && String(p.value ?? '') !== '' ? [String(p.value)] : [],
  );
}

async function filesOf(body: MultipartBody, name: string): Promise<{ fileName: string; bytes: Buffer }[]> {
  const files: { fileName: string; bytes: Buffer }[] = [];
  for (const p of partsOf(body, name)) {
    if (p.type !== 'file') continue;
    const bytes = await readFilePart(p);
    if (bytes.length === 0 && !p.filename) continue;
    files.push({ fileName: p.filename, bytes });
  }
  return files;
}

function sendFile(reply: FastifyReply, fileName: string, type: string, bytes: Buffer) {
  return reply
    .header('content-type', type)
    .header('content-disposition', `inline; filename="${fileName.replace(/[^\w.-]/g, '_')}"`)
    .header('cache-control', 'private, no-store')
    .send(bytes);
}

export function dossiersRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  const { service, identity, adminUnits } = deps;

  const communesOfProvince = () => adminUnits.listCommunes(deps.provinceCode);

  /** The units where the actor holds a staff role (communes), the first being the default of the queue pages. */
  async function staffUnits(actor: Principal) {
    const codes = new Set(
      actor.grants.flatMap((g) => (g.unitCode && g.unitCode.length === 5 ? [g.unitCode] : [])),
    );
    if (
      codes.size === 0 &&
      actor.grants.some((g) => g.role === 'province_admin' || g.role === 'system_admin')
    )
      return communesOfProvince();
    const units = [];
    for (const code of codes) units.push({ code, name: (await adminUnits.getUnit(code)).fullName });
    return units;
  }

  /** The unit a page works on: the one asked for when the actor works there, else the first of the actor's units. */
  async function chosenUnit(actor: Principal, requested: string | undefined) {
    const units = await staffUnits(actor);
    const unitCode = units.some((u) => u.code === requested)
      ? requested!
      : (units[0]?.code ?? requested ?? deps.provinceCode);
    return { units, unitCode };
  }

  async function renderFormPdf(request: FastifyRequest, reply: FastifyReply, code: string, number: string) {
    const actor = requireActor(request);
    const { form, signed } = await service.formData(actor, code, number as '01', requestInfo(request));
    // The receipt as signed by the centre, once its signature exists and verified; until then the unsigned form.
    if (signed) return sendFile(reply, `mau-${number}-${code}.pdf`, 'application/pdf', signed);
    const forms = await import('./dossier-forms.ts');
    const render: Record<string, (f: never) => Promise<Buffer>> = {
      '01': forms.renderReceipt as never,
      '02': forms.renderSupplementRequest as never,
      '03': forms.renderRefusal as never,
      '04': forms.renderApology as never,
      '05': forms.renderStopNotice as never,
      '06': forms.renderControlSlip as never,
    };
    const pdf = await render[number]!(form as never);
    return sendFile(reply, `mau-${number}-${code}.pdf`, 'application/pdf', pdf);
  }

  function registerPeriod(query: { tu?: string | undefined; den?: string | undefined }) {
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const from = query.tu && /^\d{4}-\d{2}-\d{2}$/.test(query.tu) ? query.tu : `${today.slice(0, 7)}-01`;
    const to = query.den && /^\d{4}-\d{2}-\d{2}$/.test(query.den) ? query.den : today;
    const fromAt = new Date(`${from}T00:00:00+07:00`);
    const toAt = new Date(new Date(`${to}T00:00:00+07:00`).getTime() + 24 * 3600_000);
    const valid = fromAt < toAt && toAt.getTime() - fromAt.getTime() <= 367 * 24 * 3600_000;
    return { from, to, fromAt, toAt, valid };
  }

  return async (app) => {
    await app.register(fastifyMultipart, {
      attachFieldsToBody: true,
      limits: { fileSize: deps.maxUploadBytes, files: 60, fields: 400 },
      // Too large a file is reported next to its field (upload-parts.ts), not as a failed request.
      throwFileSizeLimit: false,
    });
    const tags = ['dossiers'];
    await app.register(
      onlineFilingRoutes({
        filing: deps.filing,
        dossiers: service,
        adminUnits,
        provinceCode: deps.provinceCode,
        maxUploadBytes: deps.maxUploadBytes,
      }),
    );

    // --- API -----------------------------------------------------------------------------------------
    app.post(
      '/api/dossier-uploads',
      {
        schema: {
          tags,
          summary:
            'Tải lên bản quét tại quầy (multipart: file) trước khi tiếp nhận; kiểm tra loại tệp theo nội dung',
          consumes: ['multipart/form-data'],
          querystring: Type.Object({ unit: Type.String({ pattern: '^\\d{5}$' }) }),
        },
      },
      async (request) => {
        const actor = requireActor(request);
        const [file] = await filesOf((request.body ?? {}) as MultipartBody, 'file');
        if (!file)
          throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'file', key: 'dossier.v.file' }] });
        return service.storeUpload(actor, request.query.unit, file, requestInfo(request));
      },
    );

    app.post(
      '/api/dossiers',
      {
        schema: {
          tags,
          summary:
            'Tiếp nhận hồ sơ tại quầy (hoặc yêu cầu hoàn thiện, từ chối); header Idempotency-Key bắt buộc',
          body: IntakeBody,
          response: { 201: DossierSchema },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const b = request.body;
        const input: IntakeInput = {
          procedureCode: b.procedureCode,
          channel: b.channel,
          decision: b.decision ?? 'receive',
          applicant: { kind: b.applicant.kind ?? 'person', ...b.applicant, email: b.applicant.email ?? '' },
          representative: b.representative
            ? {
                kind: b.representative.kind ?? 'person',
                ...b.representative,
                email: b.representative.email ?? '',
              }
            : null,
          requestSummary: b.requestSummary ?? '',
          setsCount: b.setsCount ?? 1,
          returnMethod: b.returnMethod ?? 'at_centre',
          processingUnitCode: b.processingUnitCode ?? null,
          components: b.components.map((c) => ({
            ...c,
            digitisation: c.digitisation as never,
            uploadIds: c.uploadIds ?? [],
          })),
          reasons: b.reasons ?? [],
          manualDueAt: b.manualDueAt ? new Date(b.manualDueAt) : null,
        };
        const dossier = await service.receiveDossier(
          actor,
          b.receivingUnitCode,
          input,
          requestInfo(request),
          transactionIdOf(request, b),
        );
        return reply.status(201).send(dossier);
      },
    );

    app.get(
      '/api/dossiers',
      {
        schema: {
          tags,
          summary:
            'Hàng đợi hồ sơ: của tôi (mine), của đơn vị (unit), chờ trả tại trung tâm (centre), theo hạn',
          querystring: Type.Object({
            scope: Type.Union([Type.Literal('mine'), Type.Literal('unit'), Type.Literal('centre')], {
              default: 'unit',
            }),
            unit: Type.String({ pattern: '^\\d{5}$' }),
            status: Type.Optional(Type.Union(DOSSIER_STATUSES.map((s) => Type.Literal(s)))),
            procedure: Type.Optional(Type.String({ maxLength: 60 })),
            channel: Type.Optional(
              Type.Union([Type.Literal('in_person'), Type.Literal('online'), Type.Literal('postal')]),
            ),
            deadline: Type.Optional(
              Type.Union([Type.Literal('on_track'), Type.Literal('due_soon'), Type.Literal('overdue')]),
            ),
            q: Type.Optional(Type.String({ maxLength: 100 })),
            page: Type.Integer({ minimum: 1, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
          }),
        },
      },
      async (request) => {
        const q = request.query;
        return service.listQueue(
          requireActor(request),
          {
            scope: q.scope,
            unitCode: q.unit,
            status: q.status,
            procedureCode: q.procedure,
            channel: q.channel,
            deadlineState: q.deadline,
            q: q.q,
            page: q.page,
            pageSize: q.pageSize,
          },
          requestInfo(request),
        );
      },
    );

    app.get(
      '/api/dossiers/:code',
      {
        schema: {
          tags,
          summary: 'Một hồ sơ: dữ liệu, thành phần, tệp, nhật ký xử lý, việc được làm',
          params: Type.Object({ code: CODE }),
        },
      },
      async (request) =>
        service.getDossierDetail(requireActor(request), request.params.code, requestInfo(request)),
    );

    app.post(
      '/api/dossiers/:code/:action',
      {
        schema: {
          tags,
          summary:
            'Một bước xử lý: assign, process, request-supplement, receive-supplement, submit-for-approval, approve, reject, refuse, issue-result, return-result, stop, withdraw, transfer, reschedule. Header Idempotency-Key bắt buộc; expectedVersion để phát hiện xung đột',
          params: Type.Object({
            code: CODE,
            action: Type.Union(DOSSIER_ACTIONS.map((a) => Type.Literal(a.replace(/_/g, '-')))),
          }),
          body: Type.Optional(ActionBody),
          response: { 200: DossierSchema },
        },
      },
      async (request) => {
        const action = request.params.action.replace(/-/g, '_') as DossierAction;
        const b = request.body ?? {};
        const input: ActionInput = {
          ...b,
          newDueAt: b.newDueAt ? new Date(b.newDueAt) : undefined,
        };
        return service.act(
          requireActor(request),
          request.params.code,
          action,
          input,
          requestInfo(request),
          transactionIdOf(request, b),
          b.expectedVersion,
        );
      },
    );

    app.get(
      '/api/dossier-load',
      {
        schema: {
          tags,
          summary: 'Tải hồ sơ của từng đơn vị: đang giải quyết, sắp đến hạn, quá hạn (lãnh đạo)',
        },
      },
      async (request) => service.unitLoad(requireActor(request), requestInfo(request)),
    );

    app.get(
      '/api/procedures/:code/workflow',
      {
        schema: {
          tags,
          summary: 'Quy trình xử lý của thủ tục (các bước, vai trò, tỷ lệ thời gian)',
          params: Type.Object({ code: Type.String({ maxLength: 60 }) }),
        },
      },
      async (request) => service.getWorkflowOf(request.params.code),
    );

    app.put(
      '/api/procedures/:code/workflow',
      {
        schema: {
          tags,
          summary: 'Đặt quy trình xử lý riêng của thủ tục (quản trị tỉnh)',
          params: Type.Object({ code: Type.String({ maxLength: 60 }) }),
          body: Type.Object({
            steps: Type.Array(
              Type.Object({
                step: Type.String({ maxLength: 20 }),
                name: Type.String({ maxLength: 200 }),
                roles: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 8 }),
                share: Type.Number(),
              }),
              { maxItems: 10 },
            ),
          }),
        },
      },
      async (request) =>
        service.setWorkflow(
          requireActor(request),
          request.params.code,
          request.body as never,
          requestInfo(request),
        ),
    );

    app.get(
      '/api/tracking/:code',
      {
        schema: {
          tags,
          summary: 'Tra cứu tình trạng hồ sơ bằng mã hồ sơ và mã tra cứu in trên giấy tiếp nhận (công khai)',
          params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
          querystring: Type.Object({ ma: Type.String({ maxLength: 20 }) }),
        },
      },
      async (request) => service.track(request.params.code, request.query.ma),
    );

    // --- PDFs and files (pages and API share them) ----------------------------------------------------
    app.get(
      '/can-bo/ho-so/:code/mau-:number.pdf',
      {
        schema: {
          tags,
          summary: 'Biểu mẫu của hồ sơ: Mẫu 01 (giấy tiếp nhận), 02, 03, 04, 05, 06 (phiếu kiểm soát)',
          params: Type.Object({
            code: CODE,
            number: Type.Union(['01', '02', '03', '04', '05', '06'].map((n) => Type.Literal(n))),
          }),
        },
      },
      async (request, reply) => renderFormPdf(request, reply, request.params.code, request.params.number),
    );

    app.get(
      '/can-bo/ho-so/:code/tep/:id',
      {
        schema: {
          tags,
          summary: 'Một tệp của hồ sơ (bản quét hoặc kết quả)',
          params: Type.Object({ code: CODE, id: Type.String({ format: 'uuid' }) }),
        },
      },
      async (request, reply) => {
        const file = await service.getFile(
          requireActor(request),
          request.params.code,
          request.params.id,
          requestInfo(request),
        );
        return sendFile(reply, file.fileName, file.mediaType, file.bytes);
      },
    );

    for (const format of ['pdf', 'xlsx'] as const) {
      app.get(
        `/can-bo/so-theo-doi.${format}`,
        {
          schema: {
            tags,
            summary: `Sổ theo dõi hồ sơ (Mẫu 07) của một trung tâm trong một khoảng thời gian, dạng ${format.toUpperCase()}`,
            querystring: Type.Object({
              don_vi: Type.String({ pattern: '^\\d{5}$' }),
              tu: Type.Optional(Type.String({ maxLength: 10 })),
              den: Type.Optional(Type.String({ maxLength: 10 })),
            }),
          },
        },
        async (request, reply) => {
          const period = registerPeriod(request.query);
          if (!period.valid)
            throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'tu', key: 'dossier.v.period' }] });
          const form = await service.register(
            requireActor(request),
            request.query.don_vi,
            period.fromAt,
            period.toAt,
            requestInfo(request),
          );
          const forms = await import('./dossier-forms.ts');
          const name = `so-theo-doi-${request.query.don_vi}-${period.from}-${period.to}.${format}`;
          return format === 'pdf'
            ? sendFile(reply, name, 'application/pdf', await forms.renderRegister(form))
            : sendFile(
                reply,
                name,
                'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                await forms.registerWorkbook(form),
              );
        },
      );
    }

    // --- Pages ---------------------------------------------------------------------------------------
    app.get(
      '/can-bo/ho-so',
      {
        schema: {
          hide: true,
          querystring: Type.Object({
            pham_vi: Type.Optional(Type.String({ maxLength: 10 })),
            don_vi: Type.Optional(Type.String({ maxLength: 5 })),
            trang_thai: Type.Optional(Type.String({ maxLength: 40 })),
            kenh: Type.Optional(Type.String({ maxLength: 20 })),
            han: Type.Optional(Type.String({ maxLength: 20 })),
            thu_tuc: Type.Optional(Type.String({ maxLength: 60 })),
            q: Type.Optional(Type.String({ maxLength: 100 })),
            trang: Type.Optional(Type.String({ maxLength: 6 })),
          }),
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const q = request.query;
        const { units, unitCode } = await chosenUnit(actor, q.don_vi);
        const isSpecialist = actor.grants.some((g) => g.role === 'specialist');
        const scope =
          (['mine', 'unit', 'centre'] as const).find((s) => s === q.pham_vi) ??
          (isSpecialist ? 'mine' : 'unit');
        const status = (DOSSIER_STATUSES as readonly string[]).includes(q.trang_thai ?? '')
          ? (q.trang_thai as DossierStatus)
          : undefined;
        const channel = (['in_person', 'online', 'postal'] as const).find((c) => c === q.kenh);
        const deadline = (['on_track', 'due_soon', 'overdue'] as const).find((d) => d === q.han);
        const page = pageNumber(q.trang);
        const pageSize = 20;
        const result = await service.listQueue(
          actor,
          {
            scope,
            unitCode,
            status,
            channel,
            deadlineState: deadline,
            procedureCode: q.thu_tuc || undefined,
            q: q.q || undefined,
            page,
            pageSize,
          },
          requestInfo(request),
        );
        return sendPage(request, reply, {
          title: request.t('dossier.queue.title'),
          body: (
            <QueuePage
              t={request.t}
              scope={scope}
              unitCode={unitCode}
              units={units}
              filters={{
                status: status ?? '',
                channel: channel ?? '',
                deadline: deadline ?? '',
                procedure: q.thu_tuc ?? '',
                q: q.q ?? '',
              }}
              items={result.items}
              total={result.total}
              isTotalCapped={result.isTotalCapped}
              page={page}
              pages={Math.max(1, Math.ceil(result.total / pageSize))}
              canReceive={actor.grants.some((g) => g.role === 'desk_officer')}
              canOversee={hasPermissionSomewhere(actor, 'dossiers.oversee')}
              statuses={DOSSIER_STATUSES}
            />
          ),
        });
      },
    );

    async function renderIntake(
      request: FastifyRequest,
      reply: FastifyReply,
      unitCode: string,
      procedureCode: string,
      values: IntakeValues,
      errors: FieldError[],
      transactionId: string,
    ) {
      const procedure = await deps.procedures.getProcedure(procedureCode);
      const previews = await deps.procedures.previewDueDates(procedure.code);
      const anyPreview = previews.find((p) => p.channel === (values.channel || 'in_person')) ?? previews[0];
      return sendPage(request, reply, {
        title: request.t('dossier.intake.title'),
        status: errors.length ? 400 : 200,
        body: (
          <IntakeFormPage
            t={request.t}
            csrfToken={reply.generateCsrf()}
            transactionId={transactionId}
            unitCode={unitCode}
            procedure={{
              code: procedure.code,
              name: procedure.record.name,
              channels: procedure.record.channels.length
                ? procedure.record.channels.map((c) => c.channel)
                : ['in_person'],
            }}
            components={procedureComponents(procedure.record)}
            duePreview={anyPreview?.ok ? (anyPreview.explanation ?? null) : null}
            dueNotComputable={anyPreview && !anyPreview.ok ? (anyPreview.reason ?? null) : null}
            communes={await communesOfProvince()}
            values={values}
            errors={errors}
          />
        ),
      });
    }

    app.get(
      '/can-bo/ho-so/tiep-nhan',
      {
        schema: {
          hide: true,
          querystring: Type.Object({
            don_vi: Type.Optional(Type.String({ maxLength: 5 })),
            thu_tuc: Type.Optional(Type.String({ maxLength: 60 })),
            q: Type.Optional(Type.String({ maxLength: 200 })),
          }),
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const { unitCode } = await chosenUnit(actor, request.query.don_vi);
        await identity.assertCan(
          actor,
          'dossiers.receive',
          await adminUnits.getUnit(unitCode || deps.provinceCode),
          requestInfo(request),
        );
        if (request.query.thu_tuc) {
          return renderIntake(
            request,
            reply,
            unitCode,
            request.query.thu_tuc,
            emptyIntakeValues(unitCode),
            [],
            crypto.randomUUID(),
          );
        }
        const q = (request.query.q ?? '').trim();
        const offered = await deps.procedures.searchCatalogue({
          q: q || undefined,
          unitCode: q ? undefined : unitCode,
          page: 1,
          pageSize: 50,
        });
        return sendPage(request, reply, {
          title: request.t('dossier.intake.title'),
          body: <IntakeChoosePage t={request.t} unitCode={unitCode} q={q} procedures={offered.items} />,
        });
      },
    );

    app.post(
      '/can-bo/ho-so/tiep-nhan',
      { schema: { hide: true, querystring: Type.Object({ don_vi: Type.String({ pattern: '^\\d{5}$' }) }) } },
      async (request, reply) => {
        const actor = requireActor(request);
        const unitCode = request.query.don_vi;
        const body = (request.body ?? {}) as MultipartBody;
        const procedureCode = textOf(body, 'procedureCode');
        const procedure = await deps.procedures.getProcedure(procedureCode);
        const listed = procedureComponents(procedure.record);
        const values: IntakeValues = {
          channel: textOf(body, 'channel') || 'in_person',
          applicantKind: textOf(body, 'applicantKind') === 'organisation' ? 'organisation' : 'person',
          applicant: Object.fromEntries(
            ['name', 'idNumber', 'address', 'phone', 'email'].map((k) => [k, textOf(body, `applicant.${k}`)]),
          ),
          hasRepresentative: textOf(body, 'hasRepresentative') === '1',
          representative: Object.fromEntries(
            ['name', 'idNumber', 'address', 'phone', 'email', 'authorisationDocument'].map((k) => [
              k,
              textOf(body, `representative.${k}`),
            ]),
          ),
          requestSummary: textOf(body, 'requestSummary'),
          setsCount: textOf(body, 'setsCount') || '1',
          returnMethod: textOf(body, 'returnMethod') || 'at_centre',
          processingUnitCode: textOf(body, 'processingUnitCode') || unitCode,
          manualDueAt: textOf(body, 'manualDueAt'),
          reasons: textOf(body, 'reasons'),
          components: {},
        };
        // Files first: each good one is stored now, so that an error anywhere else never loses it.
        const errors: FieldError[] = [];
        for (const l of listed) {
          const uploadIds = textsOf(body, `c${l.position}.uploads`);
          const kept = await service.findUploads(unitCode, uploadIds);
          const uploads = kept.map((u) => ({ id: u.id, fileName: u.fileName }));
          for (const file of await filesOf(body, `c${l.position}.file`)) {
            try {
              const stored = await service.storeUpload(actor, unitCode, file, requestInfo(request));
              uploads.push({ id: stored.id, fileName: stored.fileName });
            } catch (error) {
              if (!isAppError(error) || !['UPLOAD_TYPE_NOT_ALLOWED', 'UPLOAD_TOO_LARGE'].includes(error.code))
                throw error;
              errors.push({
                field: `components.${l.position}.files`,
                message: errorMessage(request.t, error),
              });
            }
          }
          values.components[l.position] = {
            provided: textOf(body, `c${l.position}.provided`) === '1',
            digitisation: textOf(body, `c${l.position}.digitisation`) || 'scanned',
            uploads,
          };
        }
        const transactionId = textOf(body, '_txn') || crypto.randomUUID();
        const decisionText = textOf(body, 'decision');
        const decision = (INTAKE_ACTIONS as readonly string[]).includes(decisionText)
          ? (decisionText as IntakeAction)
          : 'receive';
        // A refused file must neither hide the form's other mistakes nor let the dossier through without it: the
        // service is asked only to check, and its own complaint about that component's files gives way to the refusal.
        const refusedFiles = new Set(errors.map((e) => e.field));
        const setsCount = Number(values.setsCount);
        const input: IntakeInput = {
          procedureCode,
          channel:
            (['in_person', 'online', 'postal'] as const).find((c) => c === values.channel) ?? 'in_person',
          decision,
          applicant: personOf(values.applicantKind, values.applicant),
          representative: values.hasRepresentative
            ? {
                ...personOf('person', values.representative),
                authorisationDocument: values.representative.authorisationDocument ?? '',
              }
            : null,
          requestSummary: values.requestSummary,
          setsCount: Number.isInteger(setsCount) ? setsCount : 0,
          returnMethod:
            (['at_centre', 'postal', 'online'] as const).find((m) => m === values.returnMethod) ??
            'at_centre',
          processingUnitCode: values.processingUnitCode,
          components: listed.map((l) => {
            const v = values.components[l.position]!;
            return {
              position: l.position,
              isProvided: v.provided,
              digitisation: v.digitisation as never,
              uploadIds: v.uploads.map((u) => u.id),
            };
          }),
          reasons: [values.reasons],
          manualDueAt: values.manualDueAt ? localDateTime(values.manualDueAt) : null,
        };
        if (values.manualDueAt && !input.manualDueAt) {
          errors.push({ field: 'manualDueAt', message: request.t('dossier.v.manualDueAt') });
        } else if (refusedFiles.size > 0) {
          const problems = await service.checkIntake(actor, unitCode, input, requestInfo(request));
          errors.unshift(
            ...problems
              .filter((p) => !refusedFiles.has(p.field))
              .map((p) => ({ field: p.field, message: request.t(p.key, p.params) })),
          );
        } else {
          try {
            const dossier = await service.receiveDossier(
              actor,
              unitCode,
              input,
              requestInfo(request),
              transactionId,
            );
            return reply.redirect(`/can-bo/ho-so/${dossier.code}?thong-bao=${decision}`, 303);
          } catch (error) {
            const fields = validationFieldErrors(error, request.t);
            if (!fields) throw error;
            // The form's order: the applicant's mistakes before the refused files of the components.
            errors.unshift(...fields.filter((f) => !refusedFiles.has(f.field)));
          }
        }
        return renderIntake(request, reply, unitCode, procedureCode, values, errors, transactionId);
      },
    );

    async function renderDossier(
      request: FastifyRequest,
      reply: FastifyReply,
      code: string,
      extra: {
        notice?: string;
        problem?: string;
        errorAction?: string;
        errors?: FieldError[];
        status?: number;
      } = {},
    ) {
      const actor = requireActor(request);
      const data = await service.getDossierDetail(actor, code, requestInfo(request));
      const transactionIds = Object.fromEntries(data.allowedActions.map((a) => [a, crypto.randomUUID()]));
      return sendPage(request, reply, {
        title: `${request.t('dossier.detail.title')} ${code}`,
        status: extra.status ?? 200,
        body: (
          <DossierPage
            t={request.t}
            data={data}
            csrfToken={reply.generateCsrf()}
            transactionIds={transactionIds}
            notice={extra.notice}
            problem={extra.problem}
            errorAction={extra.errorAction}
            errors={extra.errors ?? []}
            communes={data.allowedActions.includes('transfer') ? await communesOfProvince() : []}
          />
        ),
      });
    }

    app.get(
      '/can-bo/ho-so/:code',
      {
        schema: {
          hide: true,
          params: Type.Object({ code: CODE }),
          querystring: Type.Object({ 'thong-bao': Type.Optional(Type.String({ maxLength: 40 })) }),
        },
      },
      async (request, reply) => {
        const done = request.query['thong-bao'];
        const isKnown = done && ([...INTAKE_ACTIONS, ...DOSSIER_ACTIONS] as readonly string[]).includes(done);
        return renderDossier(request, reply, request.params.code, {
          ...(isKnown
            ? {
                notice: request.t('dossier.done', {
                  action: request.t(`dossier.action.${done}` as MessageKey),
                }),
              }
            : {}),
        });
      },
    );

    app.post(
      '/can-bo/ho-so/:code/ky-so/:id',
      {
        schema: {
          hide: true,
          params: Type.Object({ code: CODE, id: Type.String({ format: 'uuid' }) }),
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const document = await service.retrySigning(
          actor,
          request.params.code,
          request.params.id,
          requestInfo(request),
        );
        return renderDossier(
          request,
          reply,
          request.params.code,
          document.status === 'signed'
            ? { notice: request.t('signing.retried.signed', { title: document.title }) }
            : { problem: request.t('signing.retried.failed', { reason: document.lastError ?? '' }) },
        );
      },
    );

    app.post(
      '/can-bo/ho-so/:code/:action',
      { schema: { hide: true, params: Type.Object({ code: CODE, action: Type.String({ maxLength: 40 }) }) } },
      async (request, reply) => {
        const actor = requireActor(request);
        const action = request.params.action.replace(/-/g, '_');
        if (!isDossierAction(action)) throw new AppError('NOT_FOUND');
        const raw = (request.body ?? {}) as Record<string, unknown>;
        const isMultipart = Object.values(raw).some(
          (v) => typeof v === 'object' && v !== null && 'type' in (v as object),
        );
        const text = (name: string): string =>
          isMultipart
            ? textOf(raw as MultipartBody, name)
            : typeof raw[name] === 'string'
              ? (raw[name] as string)
              : '';
        const input: ActionInput = {
          assigneeId: text('assigneeId') || undefined,
          note: text('note') || undefined,
          reasons: text('reasons') ? [text('reasons')] : undefined,
          items: text('items') ? [text('items')] : undefined,
          unitCode: text('unitCode') || undefined,
          resultTitle: text('resultTitle') || undefined,
          resultContent: text('resultContent') || undefined,
        };
        const errors: FieldError[] = [];
        if (text('newDueAt')) {
          const at = localDateTime(text('newDueAt'));
          if (at) input.newDueAt = at;
          else errors.push({ field: 'newDueAt', message: request.t('dossier.v.newDueAt') });
        }
        if (isMultipart) {
          const [file] = await filesOf(raw as MultipartBody, 'file');
          if (file && file.bytes.length > 0) {
            try {
              input.uploadId = (
                await service.storeResultUpload(actor, request.params.code, file, requestInfo(request))
              ).id;
            } catch (error) {
              if (!isAppError(error) || !['UPLOAD_TYPE_NOT_ALLOWED', 'UPLOAD_TOO_LARGE'].includes(error.code))
                throw error;
              errors.push({
                field: 'uploadId',
                message: errorMessage(request.t, error),
              });
            }
          }
        }
        if (errors.length > 0)
          return renderDossier(request, reply, request.params.code, {
            errorAction: action,
            errors,
            status: 400,
          });
        const version = Number(text('version'));
        try {
          await service.act(
            actor,
            request.params.code,
            action,
            input,
            requestInfo(request),
            text('_txn') || crypto.randomUUID(),
            Number.isInteger(version) && version > 0 ? version : undefined,
          );
        } catch (error) {
          const fields = validationFieldErrors(error, request.t);
          if (fields)
            return renderDossier(request, reply, request.params.code, {
              errorAction: action,
              errors: fields,
              status: 400,
            });
          if (
            isAppError(error) &&
            ['DOSSIER_CHANGED', 'DOSSIER_ACTION_NOT_ALLOWED', 'DOSSIER_RESCHEDULE_REFUSED'].includes(
              error.code,
            )
          ) {
            return renderDossier(request, reply, request.params.code, {
              problem: errorMessage(request.t, error),
              status: 409,
            });
          }
          throw error;
        }
        return reply.redirect(`/can-bo/ho-so/${request.params.code}?thong-bao=${action}`, 303);
      },
    );

    app.get(
      '/can-bo/so-theo-doi',
      {
        schema: {
          hide: true,
          querystring: Type.Object({
            don_vi: Type.Optional(Type.String({ maxLength: 5 })),
            tu: Type.Optional(Type.String({ maxLength: 10 })),
            den: Type.Optional(Type.String({ maxLength: 10 })),
          }),
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const { units, unitCode } = await chosenUnit(actor, request.query.don_vi);
        const period = registerPeriod(request.query);
        const errors = period.valid ? [] : [{ field: 'tu', message: request.t('dossier.v.period') }];
        const form = period.valid
          ? await service.register(actor, unitCode, period.fromAt, period.toAt, requestInfo(request))
          : { rows: [] };
        return sendPage(request, reply, {
          title: request.t('dossier.register.title'),
          status: errors.length ? 400 : 200,
          body: (
            <RegisterPage
              t={request.t}
              unitCode={unitCode}
              units={units}
              from={period.from}
              to={period.to}
              rows={form.rows}
              errors={errors}
            />
          ),
        });
      },
    );

    const RATING = { params: Type.Object({ code: CODE }) };
    async function counterRatingPage(
      request: FastifyRequest,
      reply: FastifyReply,
      code: string,
      problem?: string,
    ) {
      const context = await service.ratingAtCounter(requireActor(request), code, requestInfo(request));
      const done = context.rating
        ? request.t('dossier.tracking.rated', {
            rating: request.t(`dossier.tracking.rating.${context.rating}` as MessageKey),
          })
        : undefined;
      return sendPage(request, reply, {
        title: request.t('dossier.tracking.rate'),
        status: problem ? 409 : 200,
        body: (
          <CounterRatingPage
            t={request.t}
            csrfToken={reply.generateCsrf()}
            code={context.code}
            procedureName={context.procedureName}
            done={problem ? undefined : done}
            problem={problem}
          />
        ),
      });
    }
    app.get('/can-bo/danh-gia/:code', { schema: { hide: true, ...RATING } }, async (request, reply) =>
      counterRatingPage(request, reply, request.params.code),
    );
    app.post('/can-bo/danh-gia/:code', { schema: { hide: true, ...RATING } }, async (request, reply) => {
      const b = (request.body ?? {}) as Record<string, unknown>;
      const rating = (['satisfied', 'neutral', 'dissatisfied'] as const).find((r) => r === b.rating);
      if (!rating)
        return counterRatingPage(
          request,
          reply,
          request.params.code,
          request.t('dossier.tracking.ratingMissing'),
        );
      const comment = typeof b.comment === 'string' ? b.comment : '';
      try {
        await service.rateAtCounter(
          requireActor(request),
          request.params.code,
          rating,
          comment,
          requestInfo(request),
        );
      } catch (error) {
        if (!isAppError(error) || error.code !== 'DOSSIER_RATING_REFUSED') throw error;
        const message = request.t('error.DOSSIER_RATING_REFUSED', error.details as Record<string, string>);
        return counterRatingPage(request, reply, request.params.code, message);
      }
      return reply.redirect(`/can-bo/danh-gia/${request.params.code}`, 303);
    });

    app.get('/can-bo/tai-ho-so', { schema: { hide: true } }, async (request, reply) => {
      const rows = await service.unitLoad(requireActor(request), requestInfo(request));
      return sendPage(request, reply, {
        title: request.t('dossier.load.title'),
        body: <LoadPage t={request.t} rows={rows} />,
      });
    });

    app.get(
      '/tra-cuu-ho-so',
      {
        schema: {
          hide: true,
          querystring: Type.Object({
            ma_ho_so: Type.Optional(Type.String({ maxLength: 40 })),
            ma: Type.Optional(Type.String({ maxLength: 20 })),
          }),
        },
      },
      async (request, reply) => {
        const { ma_ho_so: code, ma } = request.query;
        if (code && ma)
          return reply.redirect(
            `/tra-cuu-ho-so/${encodeURIComponent(code.trim())}?ma=${encodeURIComponent(ma.trim())}`,
            303,
          );
        return sendPage(request, reply, {
          title: request.t('dossier.tracking.formTitle'),
          body: <TrackingFormPage t={request.t} code={code ?? ''} />,
        });
      },
    );

    app.get(
      '/tra-cuu-ho-so/:code',
      {
        schema: {
          hide: true,
          params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
          querystring: Type.Object({
            ma: Type.Optional(Type.String({ maxLength: 20 })),
            'thong-bao': Type.Optional(Type.String({ maxLength: 20 })),
            loi: Type.Optional(Type.String({ maxLength: 20 })),
          }),
        },
      },
      async (request, reply) => {
        try {
          const secret = request.query.ma ?? '';
          const tracking = await service.track(request.params.code, secret);
          const rating =
            request.query['thong-bao'] === 'da-danh-gia'
              ? await service.findRating(tracking.code)
              : undefined;
          return sendPage(request, reply, {
            title: `${request.t('dossier.tracking.title')} ${tracking.code}`,
            body: (
              <TrackingPage
                t={request.t}
                tracking={tracking}
                secret={secret}
                csrfToken={tracking.canRate ? reply.generateCsrf() : ''}
                notice={
                  rating
                    ? request.t('dossier.tracking.rated', {
                        rating: request.t(`dossier.tracking.rating.${rating.rating}` as MessageKey),
                      })
                    : undefined
                }
                ratingError={
                  request.query.loi === 'danh-gia' ? request.t('dossier.tracking.ratingMissing') : undefined
                }
              />
            ),
          });
        } catch (error) {
          if (!isAppError(error) || error.code !== 'DOSSIER_NOT_FOUND') throw error;
          return sendPage(request, reply, {
            title: request.t('dossier.tracking.formTitle'),
            status: 404,
            body: (
              <TrackingFormPage
                t={request.t}
                code={request.params.code}
                error={request.t('error.DOSSIER_NOT_FOUND', { code: request.params.code })}
              />
            ),
          });
        }
      },
    );
  };
}
