// What every request carries once the app's hooks have run: its locale, a translator, and (when signed in) the
// principal. Declared here so modules can read them without importing each other.
import type { Locale, Translate } from '../i18n/index.ts';

export interface RequestPrincipal {
  userId: string;
  username: string;
  fullName: string;
  grants: { id: string; role: string; unitCode: string | null }[];
  /** What the navigation offers this user; authorisation itself is always checked at a unit by the policy. */
  menu: { manageUsers: boolean; viewAudit: boolean; handleDossiers: boolean };
}

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
    principal: RequestPrincipal | undefined;
    /** The session cookie came with the request but named no live session: it expired or was revoked. */
    sessionExpired: boolean;
  }
}

declare module '@fastify/session' {
  interface FastifySessionObject {
    userId?: string;
  }
}

/** A request that is not under /api/ is answered with HTML pages, including its errors. */
export function wantsHtml(url: string): boolean {
  return !url.startsWith('/api/') && url !== '/health' && url !== '/ready';
}
