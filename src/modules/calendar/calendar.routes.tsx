// HTTP only: parse, find who is asking, ask the policy, call one service function, present.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatVietnamDateTime, type Clock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { requestInfo } from '../../platform/http/request.ts';
import type { FieldError } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.tsx';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { can, requireActor, type IdentityService, type Principal } from '../identity/index.ts';
import type { CalendarService } from './calendar.service.ts';
import { CalendarPage } from './views/calendar-page.tsx';

const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

type CalendarChange = Parameters<CalendarService['changeCalendar']>[1];

const Change = Type.Union([
  Type.Object({
    kind: Type.Literal('add-day-off'),
    date: Type.String({ pattern: DATE }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
  }),
  Type.Object({ kind: Type.Literal('remove-day-off'), date: Type.String({ pattern: DATE }) }),
  Type.Object({
    kind: Type.Literal('add-make-up-day'),
    date: Type.String({ pattern: DATE }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
  }),
  Type.Object({ kind: Type.Literal('remove-make-up-day'), date: Type.String({ pattern: DATE }) }),
  Type.Object({
    kind: Type.Literal('set-working-hours'),
    unitCode: Type.Optional(
      Type.String({ pattern: '^[0-9]{2}([0-9]{3})?$', description: 'Một xã có giờ làm việc riêng' }),
    ),
    periods: Type.Array(
      Type.Object({
        start: Type.String({ pattern: '^[0-2][0-9]:[0-5][0-9]$' }),
        end: Type.String({ pattern: '^[0-2][0-9]:[0-5][0-9]$' }),
      }),
      { minItems: 1, maxItems: 4 },
    ),
  }),
  Type.Object({ kind: Type.Literal('confirm-year'), year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
]);

const CalendarSchema = Type.Object({
  version: Type.String(),
  weeklyRestDays: Type.Array(Type.Integer()),
  daysOff: Type.Array(Type.Object({ date: Type.String(), name: Type.String() })),
  makeUpWorkingDays: Type.Array(Type.Object({ date: Type.String(), name: Type.String() })),
  workingHours: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
  centreWorkingHours: Type.Optional(
    Type.Array(
      Type.Object({
        unitCode: Type.String(),
        periods: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
      }),
    ),
  ),
  confirmedYears: Type.Array(Type.Integer()),
});

export function calendarRoutes(deps: {
  service: CalendarService;
  identity: IdentityService;
  adminUnits: AdminUnitsService;
  provinceCode: string;
  clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { service, identity } = deps;

  async function assertManager(request: FastifyRequest, provinceCode: string): Promise<Principal> {
    const principal = requireActor(request);
    await identity.assertCan(
      principal,
      'calendar.manage',
      await deps.adminUnits.getUnit(provinceCode),
      requestInfo(request),
    );
    return principal;
  }

  async function renderPage(
    request: FastifyRequest,
    reply: FastifyReply,
    year: number,
    errors: FieldError[],
    notice?: string,
  ) {
    const province = await deps.adminUnits.getUnit(deps.provinceCode);
    const principal = request.principal as Principal | undefined;
    const canManage = principal
      ? can(principal, 'calendar.manage', { code: province.code, parentCode: null })
      : false;
    const [calendar, versions] = await Promise.all([
      service.getCurrent(province.code),
      service.listVersions(province.code),
    ]);
    return sendPage(request, reply, {
      title: request.t('calendar.title', { province: province.fullName, year }),
      status: errors.length ? 400 : 200,
      body: (
        <CalendarPage
          t={request.t}
          provinceName={province.fullName}
          calendar={calendar}
          year={year}
          versions={versions}
          canManage={canManage}
          csrfToken={canManage ? reply.generateCsrf() : undefined}
          errors={errors}
          notice={notice}
          formatTime={(iso) => formatVietnamDateTime(new Date(iso))}
        />
      ),
    });
  }

  /** The current year in Vietnam time (the last four digits of hh:mm dd/mm/yyyy). */
  const thisYear = () => Number(formatVietnamDateTime(deps.clock.now()).slice(-4));

  const YearQuery = Type.Object({ nam: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) });

  return async (app) => {
    const tags = ['calendar'];
    const ProvinceParams = Type.Object({ province: Type.String({ pattern: '^[0-9]{2}$' }) });

    app.get(
      '/api/calendars/:province',
      {
        schema: {
          tags,
          summary: 'Lịch làm việc hiện hành của tỉnh',
          params: ProvinceParams,
          response: { 200: CalendarSchema },
        },
      },
      async (request) => service.getCurrent(request.params.province),
    );

    app.get(
      '/api/calendars/:province/versions',
      {
        schema: {
          tags,
          summary: 'Các phiên bản của lịch',
          params: ProvinceParams,
          response: {
            200: Type.Array(
              Type.Object({ version: Type.Integer(), note: Type.String(), createdAt: Type.String() }),
            ),
          },
        },
      },
      async (request) => service.listVersions(request.params.province),
    );

    app.post(
      '/api/calendars/:province/changes',
      {
        schema: {
          tags,
          summary: 'Sửa lịch (mỗi thay đổi là một phiên bản mới, có ghi nhật ký)',
          params: ProvinceParams,
          body: Change,
          response: { 200: CalendarSchema },
        },
      },
      async (request) => {
        const principal = await assertManager(request, request.params.province);
        return service.changeCalendar(request.params.province, request.body, {
          userId: principal.userId,
          username: principal.username,
        });
      },
    );

    app.get('/lich-lam-viec', { schema: { hide: true, querystring: YearQuery } }, async (request, reply) =>
      renderPage(request, reply, request.query.nam ?? thisYear(), []),
    );

    app.post(
      '/lich-lam-viec',
      {
        schema: {
          hide: true,
          querystring: YearQuery,
          body: Type.Object({
            kind: Type.String({ maxLength: 30 }),
            date: Type.Optional(Type.String({ maxLength: 20 })),
            name: Type.Optional(Type.String({ maxLength: 200 })),
            _csrf: Type.Optional(Type.String()),
          }),
        },
      },
      async (request, reply) => {
        const year = request.query.nam ?? thisYear();
        const principal = await assertManager(request, deps.provinceCode);
        const { kind, date = '', name = '' } = request.body;
        const t = request.t;
        const errors: FieldError[] = [];
        if (kind !== 'confirm-year' && !new RegExp(DATE).test(date.trim()))
          errors.push({ field: 'date', message: t('calendar.badDate') });
        if ((kind === 'add-day-off' || kind === 'add-make-up-day') && !name.trim())
          errors.push({ field: 'name', message: t('calendar.badName') });
        if (errors.length) return renderPage(request, reply, year, errors);
        let change: CalendarChange | undefined;
        if (kind === 'confirm-year') change = { kind, year };
        else if (kind === 'add-day-off' || kind === 'add-make-up-day')
          change = { kind, date: date.trim(), name: name.trim() };
        else if (kind === 'remove-day-off' || kind === 'remove-make-up-day')
          change = { kind, date: date.trim() };
        if (!change) {
          throw new AppError('VALIDATION_FAILED', {
            fields: [{ field: 'kind', key: 'validation.allowedValues', params: { field: 'kind' } }],
          });
        }
        try {
          await service.changeCalendar(deps.provinceCode, change, {
            userId: principal.userId,
            username: principal.username,
          });
        } catch (error) {
          if (
            error instanceof AppError &&
            (error.code === 'CALENDAR_DAY_EXISTS' || error.code === 'CALENDAR_DAY_NOT_FOUND')
          ) {
            return renderPage(request, reply, year, [
              { field: 'date', message: t(`error.${error.code}`, { date }) },
            ]);
          }
          throw error;
        }
        const versions = await service.listVersions(deps.provinceCode);
        return renderPage(request, reply, year, [], t('calendar.saved', { note: versions[0]?.note ?? '' }));
      },
    );
  };
}
