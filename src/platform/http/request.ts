import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { RequestPrincipal } from './context.ts';

/** The methods that may change something: they need a CSRF token, and count as work, not reading. */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function requestInfo(request: FastifyRequest): { requestId: string; ip: string } {
  return { requestId: String(request.id), ip: request.ip };
}

/** The signed-in principal; NOT_AUTHENTICATED otherwise (pages turn it into a redirect to the sign-in page). */
export function requirePrincipal(request: FastifyRequest): RequestPrincipal {
  if (!request.principal) throw new AppError('NOT_AUTHENTICATED');
  return request.principal;
}

/** A same-site path to return to after sign-in; anything else (absolute or protocol-relative URLs) goes home. */
export function safeNextPath(next: unknown, fallback = '/tai-khoan'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\'))
    return fallback;
  return next;
}

/** A page number from a query string: a positive integer, or 1. */
export function pageNumber(raw: string | undefined): number {
  const page = Number.parseInt(raw ?? '1', 10);
  return Number.isInteger(page) && page > 0 ? page : 1;
}
