// Load shedding. A server given more work than it can do makes every request slow: at two and a half times this
// machine's capacity the load test saw a p95 of 7–8 s and clients timing out (docs/PERFORMANCE.md). Past a limit of
// requests being worked on, a request is answered at once with 503 and Retry-After, so the ones taken stay fast and
// a browser or app knows when to come back. Two kinds of work share the limit and neither may take more than three
// quarters of it: anonymous readers (tracking, the catalogue: they can simply reload) and signed-in work and
// changes (an officer's queue and actions, a filing). So under overload each kind keeps at least a quarter: a flood
// of QR scans cannot stop the counters, and slow officer pages cannot stop the tracking page.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorMessage, AppError } from '../errors.ts';
import { translator, type Locale, type Translate } from '../i18n/index.ts';
import { pageHtml } from '../../web/render.tsx';
import { wantsHtml } from './context.ts';
import { UNSAFE_METHODS } from './request.ts';

export interface AdmissionOptions {
  /** Requests worked on at once (from arrival until their answer is ready); 0 takes every request. */
  maxInFlight: number;
  /** The session cookie's name: a request carrying it is signed-in work. */
  sessionCookie: string;
  retryAfterSeconds?: number;
}

export interface Admission {
  /** Requests being worked on now. */
  inFlight(): number;
  /** Requests refused since the start. */
  refused(): number;
}

/** Cheap answers that monitors and load balancers must always get. */
const ALWAYS_TAKEN = new Set(['/health', '/ready']);

declare module 'fastify' {
  interface FastifyRequest {
    /** Set while the request counts against the admission limit. */
    admitted: boolean;
    /** Counted as signed-in work or a change (else an anonymous reader). */
    admittedAsPriority: boolean;
  }
}

export function installAdmissionControl(app: FastifyInstance, options: AdmissionOptions): Admission {
  let inFlight = 0;
  let refused = 0;
  const limit = options.maxInFlight;
  const kindLimit = Math.max(1, Math.floor(limit * 0.75));
  /** Requests in flight of each kind. */
  const kinds = { signedIn: 0, readers: 0 };
  const kindOf = (priority: boolean): keyof typeof kinds => (priority ? 'signedIn' : 'readers');
  const retryAfter = String(options.retryAfterSeconds ?? 2);
  const cookiePrefix = `${options.sessionCookie}=`;
  const isPriority = (request: FastifyRequest) =>
    UNSAFE_METHODS.has(request.method) || (request.headers.cookie?.includes(cookiePrefix) ?? false);
  const release = (request: FastifyRequest) => {
    if (!request.admitted) return;
    request.admitted = false;
    inFlight--;
    kinds[kindOf(request.admittedAsPriority)]--;
  };

  app.decorateRequest('admitted', false);
  app.decorateRequest('admittedAsPriority', false);
  if (limit === 0) return { inFlight: () => 0, refused: () => 0 };

  // The refusal must cost next to nothing: under overload there are hundreds a second, and rendering each through
  // the error handler and the page layout took the event loop the admitted requests needed. Bodies are made once.
  const refusals = {
    vi: refusalBodies(translator('vi'), 'vi'),
    en: refusalBodies(translator('en'), 'en'),
  };
  app.addHook('onRequest', async (request, reply) => {
    if (ALWAYS_TAKEN.has(request.url)) return;
    const priority = isPriority(request);
    if (inFlight >= limit || kinds[kindOf(priority)] >= kindLimit) {
      refused++;
      const bodies = refusals[request.locale === 'en' ? 'en' : 'vi'];
      const html = wantsHtml(request.url);
      return reply
        .code(503)
        .header('retry-after', retryAfter)
        .header('cache-control', 'no-store')
        .header('content-type', html ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8')
        .send(html ? bodies.html : bodies.json);
    }
    inFlight++;
    kinds[kindOf(priority)]++;
    request.admitted = true;
    request.admittedAsPriority = priority;
    // The work is done when the answer is ready (a slow 3G download no longer counts), or when the client left.
    reply.raw.once('close', () => release(request));
  });
  app.addHook('onSend', async (request) => {
    release(request);
  });
  return { inFlight: () => inFlight, refused: () => refused };
}

/** The 503 answers, as bytes: the error page in the shared layout (with the way back) and the API's error object. */
function refusalBodies(t: Translate, locale: Locale): { html: Buffer; json: Buffer } {
  const message = errorMessage(t, new AppError('SERVER_BUSY'));
  const html = pageHtml({
    t,
    locale,
    title: t('error.title'),
    currentPath: '/',
    body: (
      <>
        <h1>{t('error.title')}</h1>
        <p>{message}</p>
        <p>
          <a href="/">{t('error.back')}</a>
        </p>
      </>
    ),
  });
  const json = JSON.stringify({ error: { code: 'SERVER_BUSY', message, details: {} } });
  return { html: Buffer.from(html), json: Buffer.from(json) };
}
