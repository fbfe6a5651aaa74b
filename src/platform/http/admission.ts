// Load shedding. A server given more work than it can do makes every request slow: at two and a half times this
// machine's capacity the load test saw a p95 of 7–8 s and clients timing out (docs/PERFORMANCE.md). Past a limit of
// requests being worked on, a request is answered at once with 503 and Retry-After, so the ones taken stay fast and
// a browser or app knows when to come back. The last quarter of the limit is kept for signed-in work and changes
// (an officer's queue and actions, a filing): anonymous readers (tracking, the catalogue) are the first asked to
// wait, since they can simply reload.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

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

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Cheap answers that monitors and load balancers must always get. */
const ALWAYS_TAKEN = new Set(['/health', '/ready']);

declare module 'fastify' {
  interface FastifyRequest {
    /** Set while the request counts against the admission limit. */
    admitted: boolean;
  }
}

export function installAdmissionControl(app: FastifyInstance, options: AdmissionOptions): Admission {
  let inFlight = 0;
  let refused = 0;
  const limit = options.maxInFlight;
  const readerLimit = Math.max(1, Math.floor(limit * 0.75));
  const retryAfter = String(options.retryAfterSeconds ?? 2);
  const cookiePrefix = `${options.sessionCookie}=`;
  const isPriority = (request: FastifyRequest) =>
    UNSAFE_METHODS.has(request.method) || (request.headers.cookie?.includes(cookiePrefix) ?? false);
  const release = (request: FastifyRequest) => {
    if (!request.admitted) return;
    request.admitted = false;
    inFlight--;
  };

  app.decorateRequest('admitted', false);
  if (limit === 0) return { inFlight: () => 0, refused: () => 0 };

  app.addHook('onRequest', async (request, reply) => {
    if (ALWAYS_TAKEN.has(request.url)) return;
    if (inFlight >= (isPriority(request) ? limit : readerLimit)) {
      refused++;
      reply.header('retry-after', retryAfter);
      throw new AppError('SERVER_BUSY');
    }
    inFlight++;
    request.admitted = true;
    // The work is done when the answer is ready (a slow 3G download no longer counts), or when the client left.
    reply.raw.once('close', () => release(request));
  });
  app.addHook('onSend', async (request) => {
    release(request);
  });
  return { inFlight: () => inFlight, refused: () => refused };
}
