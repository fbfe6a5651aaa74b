import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { Layout } from './layout.tsx';

export interface PageOptions {
  title: string;
  body: VNode;
  status?: number;
}

/** Renders a full page in the shared layout. preact-render-to-string escapes every text and attribute. */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  { title, body, status = 200 }: PageOptions,
) {
  const principal = request.principal;
  const csrfToken = principal ? reply.generateCsrf() : undefined;
  const html = renderToString(
    <Layout
      t={request.t}
      locale={request.locale}
      title={title}
      currentPath={request.url}
      csrfToken={csrfToken}
      user={
        principal
          ? {
              fullName: principal.fullName,
              isAdmin: principal.menu.manageUsers,
              canViewAudit: principal.menu.viewAudit,
              canHandleDossiers: principal.menu.handleDossiers,
            }
          : undefined
      }
    >
      {body}
    </Layout>,
  );
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${html}`);
}
