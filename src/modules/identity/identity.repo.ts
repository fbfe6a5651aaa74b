// The only place with SQL for users, role_grants, sessions and login_attempts.
import { sql as drizzleSql } from 'drizzle-orm';
import { and, count, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { queryRows } from '../../platform/db/rows.ts';
import { loginAttempts, roleGrants, sessions, users } from './identity.tables.ts';

export type UserRecord = typeof users.$inferSelect;
export type GrantRecord = typeof roleGrants.$inferSelect;

export async function findUserByUsername(db: Executor, username: string): Promise<UserRecord | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`);
  return row;
}

export async function findUserById(db: Executor, id: string): Promise<UserRecord | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** An active account with its active grants (oldest first), in one statement: every signed-in request reads it. */
export async function findActiveUserWithGrants(db: Executor, id: string): Promise<ActiveUser | undefined> {
  const [row] = await queryRows<ActiveUser>(
    db,
    sql`select u.id, u.username, u.full_name,
          coalesce((select json_agg(json_build_object('id', g.id, 'role', g.role, 'unitCode', g.unit_code)
                                    order by g.granted_at)
                      from role_grants g where g.user_id = u.id and g.revoked_at is null), '[]') as grants
        from users u where u.id = ${id} and u.is_active`,
  );
  return row;
}

export interface ActiveUser {
  id: string;
  username: string;
  full_name: string;
  grants: { id: string; role: string; unitCode: string | null }[];
}

export async function findActiveGrants(db: Executor, userIds: string[]): Promise<GrantRecord[]> {
  if (userIds.length === 0) return [];
  return db
    .select()
    .from(roleGrants)
    .where(and(inArray(roleGrants.userId, userIds), isNull(roleGrants.revokedAt)))
    .orderBy(roleGrants.grantedAt);
}

export async function findActiveGrant(db: Executor, grantId: string): Promise<GrantRecord | undefined> {
  const [row] = await db
    .select()
    .from(roleGrants)
    .where(and(eq(roleGrants.id, grantId), isNull(roleGrants.revokedAt)));
  return row;
}

export async function insertUser(db: Executor, values: typeof users.$inferInsert): Promise<UserRecord> {
  const [row] = await db.insert(users).values(values).returning();
  return row!;
}

export async function insertGrant(
  db: Executor,
  values: typeof roleGrants.$inferInsert,
): Promise<GrantRecord> {
  const [row] = await db.insert(roleGrants).values(values).returning();
  return row!;
}

export async function revokeGrant(db: Executor, grantId: string, by: string, at: Date): Promise<void> {
  await db.update(roleGrants).set({ revokedAt: at, revokedBy: by }).where(eq(roleGrants.id, grantId));
}

/** Users holding an active grant at one of the units (or any unit when `unitCodes` is 'all'). */
export async function findUsersWithGrantsAt(
  db: Executor,
  unitCodes: string[] | 'all',
): Promise<UserRecord[]> {
  const grantFilter =
    unitCodes === 'all'
      ? isNull(roleGrants.revokedAt)
      : and(isNull(roleGrants.revokedAt), inArray(roleGrants.unitCode, unitCodes.length ? unitCodes : ['']));
  const ids = db.selectDistinct({ id: roleGrants.userId }).from(roleGrants).where(grantFilter);
  return db.select().from(users).where(inArray(users.id, ids)).orderBy(users.username);
}

// Sessions ---------------------------------------------------------------------------------------------------

export async function findLiveSession(db: Executor, sidHash: string, now: Date) {
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.sidHash, sidHash), gt(sessions.expiresAt, now)));
  return row;
}

export async function upsertSession(
  db: Executor,
  values: {
    sidHash: string;
    userId: string | null;
    data: Record<string, unknown>;
    expiresAt: Date;
    now: Date;
  },
): Promise<void> {
  await db
    .insert(sessions)
    .values({ ...values, createdAt: values.now, updatedAt: values.now })
    .onConflictDoUpdate({
      target: sessions.sidHash,
      set: { userId: values.userId, data: values.data, expiresAt: values.expiresAt, updatedAt: values.now },
    });
}

export async function extendSession(
  db: Executor,
  sidHash: string,
  expiresAt: Date,
  now: Date,
): Promise<void> {
  await db.update(sessions).set({ expiresAt, updatedAt: now }).where(eq(sessions.sidHash, sidHash));
}

export async function deleteSession(db: Executor, sidHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.sidHash, sidHash));
}

export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(eq(sessions.userId, userId))
    .returning({ sid: sessions.sidHash });
  return rows.length;
}

export async function deleteExpiredSessions(db: Executor, now: Date): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(lt(sessions.expiresAt, now))
    .returning({ sid: sessions.sidHash });
  return rows.length;
}

// Sign-in attempts -------------------------------------------------------------------------------------------

export async function recordLoginAttempt(
  db: Executor,
  values: { usernameKey: string; ip: string; succeeded: boolean; attemptedAt: Date },
): Promise<void> {
  await db.insert(loginAttempts).values(values);
}

/** Failed attempts since `since` for the account and for the address, and the oldest of them. */
export async function countRecentFailures(db: Executor, usernameKey: string, ip: string, since: Date) {
  const failedSince = and(eq(loginAttempts.succeeded, false), gt(loginAttempts.attemptedAt, since));
  const [byUser] = await db
    .select({ n: count(), oldest: sql<Date | null>`min(${loginAttempts.attemptedAt})` })
    .from(loginAttempts)
    .where(and(failedSince, eq(loginAttempts.usernameKey, usernameKey)));
  const [byIp] = await db
    .select({ n: count(), oldest: sql<Date | null>`min(${loginAttempts.attemptedAt})` })
    .from(loginAttempts)
    .where(and(failedSince, eq(loginAttempts.ip, ip)));
  return {
    byUser: byUser?.n ?? 0,
    byUserOldest: byUser?.oldest ? new Date(byUser.oldest) : null,
    byIp: byIp?.n ?? 0,
    byIpOldest: byIp?.oldest ? new Date(byIp.oldest) : null,
  };
}

export async function lastSuccessfulLogin(db: Executor, usernameKey: string) {
  const [row] = await db
    .select()
    .from(loginAttempts)
    .where(and(eq(loginAttempts.usernameKey, usernameKey), eq(loginAttempts.succeeded, true)))
    .orderBy(desc(loginAttempts.attemptedAt))
    .limit(1);
  return row;
}

export async function deleteLoginAttemptsBefore(db: Executor, before: Date): Promise<number> {
  const rows = await db
    .delete(loginAttempts)
    .where(lt(loginAttempts.attemptedAt, before))
    .returning({ id: loginAttempts.id });
  return rows.length;
}

// --- One-time codes (guest verification) ------------------------------------------------------------------------

export interface OneTimeCodeRow {
  id: string;
  channel: 'sms' | 'email';
  destination: string;
  code_hash: string;
  expires_at: string | Date;
  attempts: number;
  verified_at: string | Date | null;
}

export async function countRecentCodes(db: Executor, destination: string, since: Date): Promise<number> {
  const result = await db.execute(
    drizzleSql`select count(*)::int as n from one_time_codes where destination = ${destination} and created_at > ${since}`,
  );
  return (result.rows[0] as { n: number }).n;
}

export async function countRecentCodesFrom(db: Executor, ip: string, since: Date): Promise<number> {
  const result = await db.execute(
    drizzleSql`select count(*)::int as n from one_time_codes where requested_ip = ${ip} and created_at > ${since}`,
  );
  return (result.rows[0] as { n: number }).n;
}

export async function insertOneTimeCode(
  db: Executor,
  c: {
    requestedIp: string;
    id: string;
    channel: 'sms' | 'email';
    destination: string;
    codeHash: string;
    purpose: string;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db.execute(drizzleSql`
    insert into one_time_codes (id, channel, destination, code_hash, purpose, requested_ip, created_at, expires_at)
    values (${c.id}, ${c.channel}, ${c.destination}, ${c.codeHash}, ${c.purpose}, ${c.requestedIp}, ${c.createdAt},
      ${c.expiresAt})`);
}

export async function findOneTimeCodeForUpdate(
  db: Executor,
  id: string,
): Promise<OneTimeCodeRow | undefined> {
  const result = await db.execute(
    drizzleSql`select id, channel, destination, code_hash, expires_at, attempts, verified_at from one_time_codes
               where id = ${id} for update`,
  );
  return result.rows[0] as OneTimeCodeRow | undefined;
}

export async function recordCodeAttempt(db: Executor, id: string, verifiedAt: Date | null): Promise<void> {
  await db.execute(
    drizzleSql`update one_time_codes set attempts = attempts + 1, verified_at = coalesce(verified_at, ${verifiedAt})
               where id = ${id}`,
  );
}
