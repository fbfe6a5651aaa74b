// Builds the HTTP app: security headers, session, CSRF, i18n, the modules' routes, 404 and the error handler.
import crypto from 'node:crypto';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySession from '@fastify/session';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from './config.ts';
import type { Clock } from './platform/clock.ts';
import type { Database } from './platform/db/database.ts';
import { pendingMigrations } from './platform/db/migrate.ts';
import { installAdmissionControl } from './platform/http/admission.tsx';
import { installErrorHandling } from './platform/http/error-handler.tsx';
import { isLocale, translator } from './platform/i18n/index.ts';
import { UNSAFE_METHODS, safeNextPath } from './platform/http/request.ts';
import { loggerOptions } from './platform/logger.ts';
import type { AdminUnitsModule } from './modules/admin-units/index.ts';
import { SESSION_COOKIE, hasPermissionSomewhere, type IdentityModule } from './modules/identity/index.ts';
import type { CalendarModule } from './modules/calendar/index.ts';
import type { DossiersModule } from './modules/dossiers/index.ts';
import type { FeedbackModule } from './modules/feedback/index.ts';
import type { NotificationsModule } from './modules/notifications/index.ts';
import type { ProceduresModule } from './modules/procedures/index.ts';
import type { SigningModule } from './modules/signing/index.ts';
import { homeRoutes } from './web/home.routes.tsx';
import { assets } from './web/assets.ts';

export interface AppDeps {
  config: Config;
  clock: Clock;
  database: Database;
  adminUnits: AdminUnitsModule;
  identity: IdentityModule;
  procedures: ProceduresModule;
  calendar: CalendarModule;
  dossiers: DossiersModule;
  notifications: NotificationsModule;
  feedback: FeedbackModule;
  signing: SigningModule;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Only for a POST that changes nothing (it carries a body, e.g. a file to verify): no CSRF token needed. */
    csrfExempt?: boolean;
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const app = Fastify({
    logger: loggerOptions(config),
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('locale', 'vi');
  app.decorateRequest('t', translator('vi'));
  app.decorateRequest('principal', undefined);
  app.decorateRequest('sessionExpired', false);

  // The security headers of every answer (helmet's, with this policy), computed once at start-up: @fastify/helmet
  // would build helmet's middleware and parse the policy again on every request.
  const headers = securityHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: config.env === 'production',
  });
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(headers);
  });

  // Pages, CSS and JSON go gzip-compressed to clients that accept it: on a 400 kbit/s line the first page's
  // 18 KB become about 5 KB (docs/PERFORMANCE.md). Answers under 2 KB (the tracking API's, about 1.2 KB: zlib's
  // set-up cost 13 % of its CPU under load for a few hundred bytes) and compressed types (PDF, PNG, JPEG) go as they
  // are; gzip rather than brotli, for its lower CPU cost per answer on a 2-core server.
  await app.register(fastifyCompress, { global: true, threshold: 2048, encodings: ['gzip', 'deflate'] });

  await app.register(fastifySwagger, {
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
    openapi: {
      info: {
        title: 'xaso API',
        description:
          'API của xaso (xã số). Các lệnh thay đổi dữ liệu cần phiên đăng nhập và mã CSRF (header `x-csrf-token`, lấy từ `GET /api/session/csrf-token`).',
        version: '0.1.0',
      },
    },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Plain http on a LAN or localhost must keep working: do not upgrade the UI's requests to https.
    transformStaticCSP: (header) => header.replace(/upgrade-insecure-requests;?/, ''),
  });

  // Every request: its id echoed, its locale from the `lang` cookie (read here without the cookie plugin, which
  // lives in the pages' scope below).
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const lang = /(?:^|;\s*)lang=(vi|en)(?:;|$)/.exec(request.headers.cookie ?? '')?.[1];
    request.locale = isLocale(lang) ? lang : 'vi';
    request.t = translator(request.locale);
  });

  installErrorHandling(app);

  // Past this many requests at once, new ones are told to come back (503, Retry-After): the rest stay fast.
  installAdmissionControl(app, { maxInFlight: config.maxRequestsInFlight, sessionCookie: SESSION_COOKIE });

  // Operations and static assets: no session, no CSRF, nothing per request but the answer.
  app.get('/health', { schema: { tags: ['ops'], summary: 'Tiến trình còn sống' } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/ready',
    {
      schema: {
        tags: ['ops'],
        summary: 'Sẵn sàng nhận yêu cầu: cơ sở dữ liệu truy cập được, migration đã đủ',
      },
    },
    async (_request, reply) => {
      try {
        const pending = await pendingMigrations(database.pool);
        if (pending.length > 0)
          return reply.status(503).send({ status: 'not-ready', pendingMigrations: pending });
        return { status: 'ready' };
      } catch {
        return reply.status(503).send({ status: 'not-ready', database: 'unreachable' });
      }
    },
  );

  app.get(assets.cssPath, { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(assets.css),
  );

  // Pages and the API: sessions, CSRF and the signed-in principal.
  await app.register(async (scope) => {
    await scope.register(fastifyFormbody);
    await scope.register(fastifyCookie);
    await scope.register(fastifySession, {
      secret: config.sessionSecret,
      cookieName: SESSION_COOKIE,
      store: deps.identity.sessionStore,
      saveUninitialized: false,
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.env === 'production', path: '/' },
    });
    await scope.register(fastifyCsrf, {
      sessionPlugin: '@fastify/session',
      // Forms send `_csrf` (a multipart form as a field object), API clients the `x-csrf-token` header.
      getToken: (request) => {
        const field = (request.body as Record<string, unknown> | undefined)?._csrf;
        const value =
          typeof field === 'object' && field !== null ? (field as { value?: unknown }).value : field;
        return typeof value === 'string'
          ? value
          : ((request.headers['x-csrf-token'] as string | undefined) ?? '');
      },
    });

    scope.addHook('onRequest', async (request) => {
      const userId = request.session?.userId;
      if (userId) {
        const principal = await deps.identity.service.loadPrincipal(userId);
        if (principal) {
          request.principal = {
            ...principal,
            menu: {
              manageUsers: hasPermissionSomewhere(principal, 'users.manage'),
              viewAudit: hasPermissionSomewhere(principal, 'audit.view'),
              handleDossiers: hasPermissionSomewhere(principal, 'dossiers.view'),
            },
          };
        }
      } else if (request.cookies[SESSION_COOKIE]) {
        request.sessionExpired = true;
      }
    });

    // CSRF on every state-changing request, forms and API alike.
    scope.addHook('preHandler', (request, reply, done) => {
      if (!UNSAFE_METHODS.has(request.method) || request.routeOptions.config.csrfExempt) return done();
      scope.csrfProtection(request, reply, done);
    });

    scope.get('/ngon-ngu', { schema: { hide: true } }, async (request, reply) => {
      const query = request.query as { lang?: string; next?: string };
      const lang = isLocale(query.lang) ? query.lang : 'vi';
      reply.setCookie('lang', lang, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true });
      return reply.redirect(safeNextPath(query.next, '/'), 303);
    });

    await scope.register(homeRoutes());
    await scope.register(deps.adminUnits.routes);
    await scope.register(deps.identity.routes);
    await scope.register(deps.procedures.routes);
    await scope.register(deps.calendar.routes);
    await scope.register(deps.dossiers.routes);
    await scope.register(deps.notifications.routes);
    await scope.register(deps.feedback.routes);
    await scope.register(deps.signing.routes);
  });
  return app;
}

/** The headers helmet's middleware sets with `options`, read once from a response that records them. */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {});
  return headers;
}
