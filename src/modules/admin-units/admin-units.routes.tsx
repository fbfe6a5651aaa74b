// HTTP only: parse, call one service function, present.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { pageNumber } from '../../platform/http/request.ts';
import { sendPage } from '../../web/render.tsx';
import {
  AdminUnitSchema,
  PageQuery,
  UnitCodeParams,
  UnitPage,
  UnitSearchQuery,
} from './admin-units.schemas.ts';
import type { AdminUnitsService } from './admin-units.service.ts';
import { UnitDetailPage, UnitsPage } from './views/units-page.tsx';

const PAGE_SIZE = 50;

export function adminUnitsRoutes(service: AdminUnitsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(AdminUnitSchema);

    app.get(
      '/api/admin-units',
      {
        schema: {
          tags: ['admin-units'],
          summary: 'Tra cứu đơn vị hành chính (tìm không phân biệt dấu)',
          querystring: UnitSearchQuery,
          response: { 200: UnitPage },
        },
      },
      async (request, reply) => {
        const { q, level, province, page, pageSize } = request.query;
        const result = await service.searchUnits({ q, level, province, page, pageSize });
        reply.header('cache-control', 'public, max-age=300');
        return { ...result, page, pageSize };
      },
    );

    app.get(
      '/api/admin-units/:code',
      {
        schema: {
          tags: ['admin-units'],
          summary: 'Một đơn vị hành chính theo mã',
          params: UnitCodeParams,
          response: { 200: Type.Ref('AdminUnit') },
        },
      },
      async (request) => service.getUnit(request.params.code),
    );

    app.get(
      '/don-vi-hanh-chinh',
      { schema: { hide: true, querystring: PageQuery } },
      async (request, reply) => {
        const q = (request.query.q ?? '').trim();
        const page = pageNumber(request.query.trang);
        const province = request.query.tinh ? await service.getUnit(request.query.tinh) : undefined;
        const showProvinces = !q && !province;
        const pageSize = showProvinces ? 100 : province && !q ? 500 : PAGE_SIZE;
        const { items, total } = await service.searchUnits({
          q: q || undefined,
          level: showProvinces ? 'province' : province ? 'commune' : undefined,
          province: province?.code,
          page,
          pageSize,
        });
        const communeCounts = showProvinces ? await service.countCommunesByProvince() : undefined;
        return sendPage(request, reply, {
          title: request.t('units.title'),
          body: (
            <UnitsPage
              t={request.t}
              q={q}
              province={province}
              items={items}
              total={total}
              page={page}
              pages={Math.max(1, Math.ceil(total / pageSize))}
              communeCounts={communeCounts}
            />
          ),
        });
      },
    );

    app.get(
      '/don-vi-hanh-chinh/:code',
      { schema: { hide: true, params: UnitCodeParams } },
      async (request, reply) => {
        const unit = await service.getUnit(request.params.code);
        const parent = unit.parentCode ? await service.findUnit(unit.parentCode) : undefined;
        return sendPage(request, reply, {
          title: unit.fullName,
          body: <UnitDetailPage t={request.t} unit={unit} parent={parent} />,
        });
      },
    );
  };
}
