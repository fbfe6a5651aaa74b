// A @fastify/session store on PostgreSQL: sessions survive restarts, are shared by several app servers, and can be
// revoked (deleting the rows of a user ends their sessions at once). The expiry is idle-based: reading a session
// pushes its expiry forward, written at most every five minutes to keep reads cheap.
import crypto from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import * as repo from './identity.repo.ts';

type Callback = (error?: unknown) => void;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the plugin's Session type is restored from plain data
type GetCallback = (error: unknown, session?: any) => void;

/** The session cookie's name. */
export const SESSION_COOKIE = 'xaso_sid';

const TOUCH_INTERVAL_MS = 5 * 60_000;

function hashSid(sid: string): string {
  return crypto.createHash('sha256').update(sid).digest('hex');
}

export class PostgresSessionStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  get(sid: string, callback: GetCallback): void {
    const now = this.clock.now();
    const sidHash = hashSid(sid);
    repo
      .findLiveSession(this.db, sidHash, now)
      .then(async (row) => {
        if (!row) return callback(null, null);
        const expiresAt = new Date(now.getTime() + this.ttlMs);
        if (expiresAt.getTime() - row.expiresAt.getTime() > TOUCH_INTERVAL_MS) {
          await repo.extendSession(this.db, sidHash, expiresAt, now);
        }
        callback(null, row.data);
      })
      .catch((error: unknown) => callback(error));
  }

  set(sid: string, session: unknown, callback: Callback): void {
    const now = this.clock.now();
    const data = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
    const userId = typeof data.userId === 'string' ? data.userId : null;
    repo
      .upsertSession(this.db, {
        sidHash: hashSid(sid),
        userId,
        data,
        expiresAt: new Date(now.getTime() + this.ttlMs),
        now,
      })
      .then(() => callback())
      .catch((error: unknown) => callback(error));
  }

  destroy(sid: string, callback: Callback): void {
    repo
      .deleteSession(this.db, hashSid(sid))
      .then(() => callback())
      .catch((error: unknown) => callback(error));
  }
}
