import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { Layout, type LayoutProps } from './layout.tsx';

export interface PageOptions {
  title: string;
  body: VNode;
  status?: number;
}

/** A full page in the shared layout, as HTML text. preact-render-to-string escapes every text and attribute. */
export function pageHtml(props: Omit<LayoutProps, 'children'> & { body: VNode }): string {
  const { body, ...layout } = props;
  return `<!doctype html>${renderToString(<Layout {...layout}>{body}</Layout>)}`;
}

/** Renders a full page in the shared layout for the request's user and language. */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  { title, body, status = 200 }: PageOptions,
) {
  const principal = request.principal;
  const html = pageHtml({
    t: request.t,
    locale: request.locale,
    title,
    currentPath: request.url,
    csrfToken: principal ? reply.generateCsrf() : undefined,
    user: principal
      ? {
          fullName: principal.fullName,
          isAdmin: principal.menu.manageUsers,
          canViewAudit: principal.menu.viewAudit,
          canHandleDossiers: principal.menu.handleDossiers,
        }
      : undefined,
    body,
  });
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(html);
}
