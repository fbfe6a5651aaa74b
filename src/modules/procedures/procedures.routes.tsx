// HTTP only: parse, find who is asking, ask the policy, call one service function, present.
import fastifyMultipart, { type MultipartFile, type MultipartValue } from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatVietnamDateTime } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { pageNumber, requestInfo } from '../../platform/http/request.ts';
import { sendPage } from '../../web/render.tsx';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { requireActor, type IdentityService } from '../identity/index.ts';
import { MAX_CATALOGUE_BYTES, readCatalogueFile } from './procedure-files.ts';
import {
  CatalogueItemSchema,
  CataloguePageSchema,
  CatalogueQuery,
  ImportReportSchema,
  OfferingsBody,
  ProcedureCodeParams,
  ProcedureSchema,
  UnitParams,
  VersionParams,
} from './procedures.schemas.ts';
import { renderCentreSheet, renderProcedurePoster } from './procedure-posters.ts';
import { posterProcedureOf, type ImportReport, type ProceduresService } from './procedures.service.ts';
import { CataloguePage, ProcedurePage, VersionsPage } from './views/catalogue-pages.tsx';
import { ImportPage } from './views/import-page.tsx';
import { OfferingsPage } from './views/offerings-page.tsx';

const PAGE_SIZE = 20;

interface Deps {
  service: ProceduresService;
  identity: IdentityService;
  adminUnits: AdminUnitsService;
  provinceCode: string;
  publicUrl: string;
}

function sendPdf(reply: FastifyReply, fileName: string, pdf: Buffer) {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename="${fileName}"`)
    .send(pdf);
}

/** The record is described in the OpenAPI document as an open object (its TypeScript type is ProcedureRecord). */
function presentProcedure<T extends { record: object }>(procedure: T) {
  return { ...procedure, record: procedure.record as Record<string, unknown> };
}

/** The multipart form of an import, parsed into the file and the decision fields. */
async function importForm(request: FastifyRequest) {
  const body = (request.body ?? {}) as Record<string, MultipartFile | MultipartValue | undefined>;
  const value = (name: string) => {
    const field = body[name];
    return field && field.type === 'field' ? String(field.value ?? '').trim() : '';
  };
  const file = body.file && body.file.type === 'file' ? body.file : undefined;
  const bytes = file ? await file.toBuffer() : undefined;
  return {
    fileName: file?.filename ?? '',
    bytes: bytes && bytes.length > 0 ? bytes : undefined,
    decision: value('decision'),
    date: value('date'),
    dryRun: value('dryRun') === '1' || value('dryRun') === 'true',
  };
}

export function proceduresRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  const { service, identity } = deps;

  async function runImport(
    request: FastifyRequest,
  ): Promise<{ report?: ImportReport; problem?: 'file' | 'date' }> {
    const principal = requireActor(request);
    await identity.assertCan(
      principal,
      'procedures.manage',
      await deps.adminUnits.getUnit(deps.provinceCode),
      requestInfo(request),
    );
    const form = await importForm(request);
    if (!form.bytes) return { problem: 'file' };
    if (form.date && !/^\d{4}-\d{2}-\d{2}$/.test(form.date)) return { problem: 'date' };
    const parsed = await readCatalogueFile(form.fileName, form.bytes, {
      decision: form.decision || null,
      decisionDate: form.date || null,
    });
    const report = await service.importCatalogue(parsed, {
      fileName: form.fileName,
      dryRun: form.dryRun,
      actor: { userId: principal.userId, username: principal.username },
    });
    return { report };
  }

  return async (app) => {
    await app.register(fastifyMultipart, {
      attachFieldsToBody: true,
      limits: { fileSize: MAX_CATALOGUE_BYTES, files: 1, fields: 10 },
      throwFileSizeLimit: true,
    });
    const tags = ['procedures'];

    // --- API -----------------------------------------------------------------------------------------
    app.get(
      '/api/procedures',
      {
        schema: {
          tags,
          summary: 'Tra cứu danh mục thủ tục (không phân biệt dấu, chịu lỗi gõ)',
          querystring: CatalogueQuery,
          response: { 200: CataloguePageSchema },
        },
      },
      async (request) => {
        const { q, field, level, onlineServiceLevel, unit, incomplete, page, pageSize } = request.query;
        const result = await service.searchCatalogue({
          q,
          field,
          level,
          onlineServiceLevel,
          unitCode: unit,
          incomplete,
          page,
          pageSize,
        });
        return { ...result, page, pageSize };
      },
    );

    app.get(
      '/api/procedures/:code',
      {
        schema: {
          tags,
          summary: 'Phiên bản hiện hành của một thủ tục',
          params: ProcedureCodeParams,
          response: { 200: ProcedureSchema },
        },
      },
      async (request) => presentProcedure(await service.getProcedure(request.params.code)),
    );

    app.get(
      '/api/procedures/:code/due-date',
      {
        schema: {
          tags,
          summary:
            'Nếu tiếp nhận hồ sơ đầy đủ vào lúc này (hoặc receivedAt), hẹn trả khi nào — theo từng cách nộp',
          params: ProcedureCodeParams,
          querystring: Type.Object({ receivedAt: Type.Optional(Type.String({ format: 'date-time' })) }),
          response: {
            200: Type.Array(
              Type.Object({
                channel: Type.String(),
                receivedAt: Type.String(),
                ok: Type.Boolean(),
                dueAt: Type.Optional(Type.String()),
                explanation: Type.Optional(Type.String()),
                reason: Type.Optional(Type.String()),
                calendarVersion: Type.String(),
                isCalendarConfirmed: Type.Optional(Type.Boolean()),
              }),
            ),
          },
        },
      },
      async (request) =>
        service.previewDueDates(
          request.params.code,
          request.query.receivedAt ? new Date(request.query.receivedAt) : undefined,
        ),
    );

    app.get(
      '/api/procedures/:code/versions',
      {
        schema: {
          tags,
          summary: 'Các phiên bản của một thủ tục',
          params: ProcedureCodeParams,
          response: {
            200: Type.Array(
              Type.Object({
                version: Type.Integer(),
                effectiveFrom: Type.String(),
                createdAt: Type.String(),
              }),
            ),
          },
        },
      },
      async (request) => service.listVersions(request.params.code),
    );

    app.get(
      '/api/procedures/:code/versions/:version',
      {
        schema: {
          tags,
          summary: 'Một phiên bản của thủ tục',
          params: VersionParams,
          response: { 200: ProcedureSchema },
        },
      },
      async (request) =>
        presentProcedure(await service.getProcedure(request.params.code, request.params.version)),
    );

    app.post(
      '/api/procedure-imports',
      {
        schema: {
          tags,
          summary: 'Nhập danh mục (multipart: file, dryRun, decision, date)',
          consumes: ['multipart/form-data'],
          response: { 200: ImportReportSchema, 422: ImportReportSchema },
        },
      },
      async (request, reply) => {
        const { report, problem } = await runImport(request);
        if (!report) {
          throw new AppError('VALIDATION_FAILED', {
            fields: [
              { field: problem ?? 'file', key: problem === 'date' ? 'import.badDate' : 'import.noFile' },
            ],
          });
        }
        return reply.status(report.status === 'rejected' ? 422 : 200).send(report);
      },
    );

    app.get(
      '/api/admin-units/:code/procedures',
      {
        schema: {
          tags,
          summary: 'Các thủ tục trung tâm của xã tiếp nhận',
          params: UnitParams,
          response: { 200: Type.Array(CatalogueItemSchema) },
        },
      },
      async (request) =>
        (await service.searchCatalogue({ unitCode: request.params.code, page: 1, pageSize: 2000 })).items,
    );

    app.post(
      '/api/admin-units/:code/procedures',
      {
        schema: {
          tags,
          summary: 'Bật/tắt thủ tục tại trung tâm của xã',
          params: UnitParams,
          body: OfferingsBody,
          response: { 200: Type.Object({ enabled: Type.Integer(), disabled: Type.Integer() }) },
        },
      },
      async (request) => {
        const principal = requireActor(request);
        const unit = await deps.adminUnits.getUnit(request.params.code);
        await identity.assertCan(principal, 'procedures.offer', unit, requestInfo(request));
        return service.setOfferings(
          { userId: principal.userId, username: principal.username },
          unit.code,
          request.body,
          String(request.id),
        );
      },
    );

    // --- Pages ---------------------------------------------------------------------------------------
    app.get(
      '/thu-tuc',
      {
        schema: {
          hide: true,
          querystring: Type.Object({
            q: Type.Optional(Type.String({ maxLength: 200 })),
            'linh-vuc': Type.Optional(Type.String({ maxLength: 200 })),
            cap: Type.Optional(Type.String({ maxLength: 10 })),
            'truc-tuyen': Type.Optional(Type.String({ maxLength: 20 })),
            xa: Type.Optional(Type.String({ pattern: '^[0-9]{5}$' })),
            trang: Type.Optional(Type.String({ maxLength: 6 })),
          }),
        },
      },
      async (request, reply) => {
        const query = request.query;
        const filters = {
          q: (query.q ?? '').trim(),
          field: query['linh-vuc'] ?? '',
          level: ['xa', 'tinh', 'bo', 'khac'].includes(query.cap ?? '') ? query.cap! : '',
          online: ['toan_trinh', 'mot_phan', 'none'].includes(query['truc-tuyen'] ?? '')
            ? query['truc-tuyen']!
            : '',
          unit: query.xa ?? '',
        };
        const centre = filters.unit ? await deps.adminUnits.getUnit(filters.unit) : undefined;
        const page = pageNumber(query.trang);
        const [result, fields] = await Promise.all([
          service.searchCatalogue({
            q: filters.q || undefined,
            field: filters.field || undefined,
            level: filters.level || undefined,
            onlineServiceLevel: filters.online || undefined,
            unitCode: filters.unit || undefined,
            page,
            pageSize: PAGE_SIZE,
          }),
          service.listFields(),
        ]);
        return sendPage(request, reply, {
          title: request.t('procedures.title'),
          body: (
            <CataloguePage
              t={request.t}
              filters={filters}
              centre={centre}
              fields={fields}
              items={result.items}
              total={result.total}
              page={page}
              pages={Math.max(1, Math.ceil(result.total / PAGE_SIZE))}
            />
          ),
        });
      },
    );

    app.get(
      '/thu-tuc/:code',
      {
        schema: {
          hide: true,
          params: ProcedureCodeParams,
          querystring: Type.Object({ 'phien-ban': Type.Optional(Type.Integer({ minimum: 1 })) }),
        },
      },
      async (request, reply) => {
        const procedure = await service.getProcedure(request.params.code, request.query['phien-ban']);
        const dueDates = request.query['phien-ban'] ? [] : await service.previewDueDates(procedure.code);
        return sendPage(request, reply, {
          title: procedure.record.name,
          body: (
            <ProcedurePage
              t={request.t}
              record={procedure.record}
              version={procedure.version}
              effectiveFrom={procedure.effectiveFrom}
              withdrawn={procedure.withdrawnAt !== null}
              missingComponents={procedure.missingComponents}
              hasUnparsedRules={procedure.hasUnparsedRules}
              dueDates={dueDates}
            />
          ),
        });
      },
    );

    app.get(
      '/thu-tuc/:code/phien-ban',
      { schema: { hide: true, params: ProcedureCodeParams } },
      async (request, reply) => {
        const [procedure, versions] = await Promise.all([
          service.getProcedure(request.params.code),
          service.listVersions(request.params.code),
        ]);
        return sendPage(request, reply, {
          title: request.t('procedures.versionsTitle', { code: procedure.code }),
          body: (
            <VersionsPage
              t={request.t}
              code={procedure.code}
              name={procedure.record.name}
              current={procedure.currentVersion}
              versions={versions}
              formatTime={(iso) => formatVietnamDateTime(new Date(iso))}
            />
          ),
        });
      },
    );

    app.get(
      '/thu-tuc/:code/ap-phich.pdf',
      {
        schema: {
          tags,
          summary: 'Áp phích A4 của thủ tục, có mã QR tới trang thủ tục',
          params: ProcedureCodeParams,
        },
      },
      async (request, reply) => {
        const procedure = await service.getProcedure(request.params.code);
        const pdf = await renderProcedurePoster(posterProcedureOf(procedure.record), {
          publicUrl: deps.publicUrl,
        });
        return sendPdf(reply, `thu-tuc-${procedure.code}.pdf`, pdf);
      },
    );

    app.get(
      '/don-vi-hanh-chinh/:code/thu-tuc.pdf',
      {
        schema: {
          tags,
          summary: 'Danh mục thủ tục của trung tâm một xã, mỗi dòng một mã QR (A4, để niêm yết)',
          params: UnitParams,
        },
      },
      async (request, reply) => {
        const sheet = await service.centreSheetOf(request.params.code);
        const pdf = await renderCentreSheet(sheet, { publicUrl: deps.publicUrl });
        return sendPdf(reply, `danh-muc-thu-tuc-${sheet.unitCode}.pdf`, pdf);
      },
    );

    async function renderOfferings(
      request: FastifyRequest,
      reply: FastifyReply,
      unitCode: string,
      notice?: string,
    ) {
      const unit = await deps.adminUnits.getUnit(unitCode);
      await identity.assertCan(requireActor(request), 'procedures.offer', unit, requestInfo(request));
      const [all, offered] = await Promise.all([
        service.searchCatalogue({ page: 1, pageSize: 5000 }),
        service.listOfferings(unit.code),
      ]);
      const chosen = new Set(offered);
      const rows = all.items
        .map((p) => ({ code: p.code, name: p.name, field: p.field, offered: chosen.has(p.code) }))
        .sort((a, b) => a.field.localeCompare(b.field, 'vi') || a.name.localeCompare(b.name, 'vi'));
      return sendPage(request, reply, {
        title: request.t('offerings.title', { unit: unit.fullName }),
        body: (
          <OfferingsPage
            t={request.t}
            csrfToken={reply.generateCsrf()}
            unit={unit}
            rows={rows}
            notice={notice}
          />
        ),
      });
    }

    app.get(
      '/quan-tri/thu-tuc/don-vi/:code',
      { schema: { hide: true, params: UnitParams } },
      async (request, reply) => renderOfferings(request, reply, request.params.code),
    );

    app.post(
      '/quan-tri/thu-tuc/don-vi/:code',
      {
        schema: {
          hide: true,
          params: UnitParams,
          body: Type.Object({
            codes: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 5000 })])),
            _csrf: Type.Optional(Type.String()),
          }),
        },
      },
      async (request, reply) => {
        const principal = requireActor(request);
        const unit = await deps.adminUnits.getUnit(request.params.code);
        await identity.assertCan(principal, 'procedures.offer', unit, requestInfo(request));
        const raw = request.body.codes;
        const result = await service.replaceOfferings(
          { userId: principal.userId, username: principal.username },
          unit.code,
          (Array.isArray(raw) ? raw : [raw ?? '']).filter((c) => c !== ''),
          String(request.id),
        );
        return renderOfferings(request, reply, unit.code, request.t('offerings.saved', result));
      },
    );

    app.get('/quan-tri/thu-tuc/nhap', { schema: { hide: true } }, async (request, reply) => {
      await identity.assertCan(
        requireActor(request),
        'procedures.manage',
        await deps.adminUnits.getUnit(deps.provinceCode),
        requestInfo(request),
      );
      return sendPage(request, reply, {
        title: request.t('import.title'),
        body: <ImportPage t={request.t} csrfToken={reply.generateCsrf()} errors={[]} values={{}} />,
      });
    });

    app.post('/quan-tri/thu-tuc/nhap', { schema: { hide: true } }, async (request, reply) => {
      const { report, problem } = await runImport(request);
      const t = request.t;
      const errors = problem
        ? [{ field: problem, message: t(problem === 'date' ? 'import.badDate' : 'import.noFile') }]
        : [];
      return sendPage(request, reply, {
        title: t('import.title'),
        status: problem ? 400 : report?.status === 'rejected' ? 422 : 200,
        body: (
          <ImportPage t={t} csrfToken={reply.generateCsrf()} errors={errors} report={report} values={{}} />
        ),
      });
    });
  };
}
