// HTTP only: the development inbox page, and the administrators' page and API of the outbox.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { pageNumber, requestInfo } from '../../platform/http/request.ts';
import { sendPage } from '../../web/render.tsx';
import { requireActor } from '../identity/index.ts';
import type { NotificationsFullService, OutboxFilter } from './notifications.service.ts';
import { NotificationsQuery, OUTBOX_FILTERS, OutboxPageSchema } from './notifications.schemas.ts';
import { DevInboxPage, OutboxAdminPage } from './views/notification-pages.tsx';

const DEV_INBOX_PAGE_SIZE = 50;
const ADMIN_PAGE_SIZE = 50;

export function notificationsRoutes(deps: {
  service: NotificationsFullService;
  devInbox: boolean;
}): FastifyPluginAsyncTypebox {
  const { service } = deps;
  return async (app) => {
    const tags = ['notifications'];

    // A developer tool without sign-in: it exists only outside production (the route is not even registered there).
    if (deps.devInbox) {
      app.get(
        '/hop-thu-thu-nghiem',
        {
          schema: {
            hide: true,
            querystring: Type.Object({
              den: Type.Optional(Type.String({ maxLength: 254 })),
              trang: Type.Optional(Type.String({ maxLength: 6 })),
            }),
          },
        },
        async (request, reply) => {
          const destination = (request.query.den ?? '').trim();
          const page = pageNumber(request.query.trang);
          const { items, total } = await service.listDevInbox({
            destination,
            page,
            pageSize: DEV_INBOX_PAGE_SIZE,
          });
          return sendPage(request, reply, {
            title: request.t('notification.inbox.title'),
            body: (
              <DevInboxPage
                t={request.t}
                destination={destination}
                items={items}
                total={total}
                page={page}
                pages={Math.max(1, Math.ceil(total / DEV_INBOX_PAGE_SIZE))}
              />
            ),
          });
        },
      );
    }

    app.get(
      '/quan-tri/thong-bao',
      {
        schema: {
          hide: true,
          querystring: Type.Object({
            trang_thai: Type.Optional(Type.String({ maxLength: 20 })),
            trang: Type.Optional(Type.String({ maxLength: 6 })),
          }),
        },
      },
      async (request, reply) => {
        const filter: OutboxFilter = OUTBOX_FILTERS.find((f) => f === request.query.trang_thai) ?? 'problems';
        const result = await service.listOutbox(
          requireActor(request),
          { filter, page: pageNumber(request.query.trang), pageSize: ADMIN_PAGE_SIZE },
          requestInfo(request),
        );
        return sendPage(request, reply, {
          title: request.t('notification.admin.title'),
          body: <OutboxAdminPage t={request.t} filter={filter} result={result} />,
        });
      },
    );

    app.get(
      '/api/notifications',
      {
        schema: {
          tags,
          summary:
            'Thông báo trong hàng đợi gửi (thư điện tử, SMS): số lượng theo trạng thái và danh sách, mới nhất trước. Dành cho quản trị viên tỉnh và hệ thống',
          querystring: NotificationsQuery,
          response: { 200: OutboxPageSchema },
        },
      },
      async (request) =>
        service.listOutbox(
          requireActor(request),
          { filter: request.query.status, page: request.query.page, pageSize: request.query.pageSize },
          requestInfo(request),
        ),
    );
  };
}
