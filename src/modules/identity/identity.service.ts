// Use cases of accounts, roles and sign-in. Each command owns its transaction and writes its audit entry inside it.
import crypto from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { MessageKey } from '../../platform/i18n/index.ts';
import { foldText } from '../../platform/text.ts';
import type { AdminUnit, AdminUnitsService } from '../admin-units/index.ts';
import { appendAudit, listAuditEntries } from '../audit/index.ts';
import {
  can,
  rolesAt,
  decideRoleGrant,
  hasPermissionSomewhere,
  unitsWithPermission,
  type Principal,
  type UnitRef,
} from './identity.policy.ts';
import * as repo from './identity.repo.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { STAFF_ROLES, isRole, type Permission, type Role } from './roles.ts';

export interface RequestInfo {
  requestId: string;
  ip: string;
}

export interface NewUserInput {
  username: string;
  fullName: string;
  email?: string | undefined;
  phone?: string | undefined;
  password: string;
  role: string;
  unitCode: string;
}

export interface UserView {
  id: string;
  username: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  isActive: boolean;
  createdAt: string;
  grants: { id: string; role: Role; unitCode: string | null; grantedAt: string }[];
}

const LOGIN_WINDOW_MINUTES = 15;

function fieldProblem(field: string, key: MessageKey) {
  return { field, key };
}

export function validateNewUser(input: NewUserInput) {
  const problems: { field: string; key: MessageKey }[] = [];
  if (!/^[a-z0-9._-]{3,50}$/.test(input.username))
    problems.push(fieldProblem('username', 'validation.username'));
  const fullName = input.fullName.trim();
  if (fullName.length < 2 || fullName.length > 100)
    problems.push(fieldProblem('fullName', 'validation.fullName'));
  if (input.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email)) {
    problems.push(fieldProblem('email', 'validation.email'));
  }
  if (input.phone && !/^0\d{9}$/.test(input.phone)) problems.push(fieldProblem('phone', 'validation.phone'));
  if (input.password.length < 10 || input.password.length > 200) {
    problems.push(fieldProblem('password', 'validation.password'));
  }
  if (!isRole(input.role) || input.role === 'citizen') problems.push(fieldProblem('role', 'validation.role'));
  if (!/^\d{2}(\d{3})?$/.test(input.unitCode)) problems.push(fieldProblem('unitCode', 'validation.unitCode'));
  return problems;
}

function unitRef(unit: AdminUnit): UnitRef {
  return { code: unit.code, parentCode: unit.parentCode };
}

function toUserView(user: repo.UserRecord, grants: repo.GrantRecord[]): UserView {
  return {
    id: user.id,
    username: user.username,
    fullName: user.fullName,
    email: user.email,
    phone: user.phone,
    isActive: user.isActive,
    createdAt: user.createdAt.toISOString(),
    grants: grants
      .filter((g) => g.userId === user.id)
      .map((g) => ({
        id: g.id,
        role: g.role as Role,
        unitCode: g.unitCode,
        grantedAt: g.grantedAt.toISOString(),
      })),
  };
}

function hashCode(id: string, code: string): string {
  return crypto.createHash('sha256').update(`${id}:${code}`).digest('hex');
}

export function createIdentityService(deps: {
  db: Db;
  clock: Clock;
  adminUnits: AdminUnitsService;
  loginMaxFailures: number;
}) {
  const { db, clock, adminUnits } = deps;

  async function deny(
    actor: Principal,
    code: 'FORBIDDEN' | 'UNIT_ACCESS_DENIED',
    unitCode: string | null,
    action: string,
    info: RequestInfo,
  ): Promise<never> {
    await db.transaction((tx) =>
      appendAudit(tx, clock, {
        actorId: actor.userId,
        actorName: actor.username,
        unitCode,
        action: 'access.denied',
        details: { attempted: action, reason: code },
        requestId: info.requestId,
      }),
    );
    throw new AppError(code, { unit: unitCode ?? '' });
  }

  /** Throws (and audits) unless the actor holds `permission` at `unit`. */
  async function assertCan(actor: Principal, permission: Permission, unit: AdminUnit, info: RequestInfo) {
    if (can(actor, permission, unitRef(unit))) return;
    const code = hasPermissionSomewhere(actor, permission) ? 'UNIT_ACCESS_DENIED' : 'FORBIDDEN';
    await deny(actor, code, unit.code, permission, info);
  }

  /** Unit codes (provinces expanded to their communes) where the actor holds the permission, or 'all'. */
  async function scopeOf(actor: Principal, permission: Permission): Promise<string[] | 'all'> {
    const scope = unitsWithPermission(actor, permission);
    if (scope.all) return 'all';
    const codes = new Set(scope.codes);
    for (const code of scope.codes) {
      if (code.length !== 2) continue;
      const { items } = await adminUnits.searchUnits({
        province: code,
        level: 'commune',
        page: 1,
        pageSize: 5000,
      });
      for (const unit of items) codes.add(unit.code);
    }
    return [...codes];
  }

  async function assertGrantAllowed(actor: Principal, role: Role, unit: AdminUnit, info: RequestInfo) {
    const decision = decideRoleGrant(actor, role, unitRef(unit));
    if (decision === 'allowed') return;
    await db.transaction((tx) =>
      appendAudit(tx, clock, {
        actorId: actor.userId,
        actorName: actor.username,
        unitCode: unit.code,
        action: 'access.denied',
        details: { attempted: 'role.grant', role, reason: decision },
        requestId: info.requestId,
      }),
    );
    if (decision === 'role-not-grantable') throw new AppError('ROLE_NOT_GRANTABLE', { role });
    throw new AppError('ROLE_GRANT_OUTSIDE_UNIT', { unit: unit.code });
  }

  /** May the actor manage this account? Yes if it holds a role at some unit in the actor's scope. */
  async function assertManages(actor: Principal, grants: repo.GrantRecord[], info: RequestInfo) {
    if (unitsWithPermission(actor, 'users.manage').all) return;
    const units = [
      ...(await adminUnits.findUnits(grants.flatMap((g) => (g.unitCode ? [g.unitCode] : [])))).values(),
    ];
    if (units.some((u) => can(actor, 'users.manage', unitRef(u)))) return;
    const first = units[0];
    if (first) await assertCan(actor, 'users.manage', first, info);
    await deny(actor, 'FORBIDDEN', null, 'users.manage', info);
  }

  return {
    assertCan,
    scopeOf,

    /** The roles the actor holds at the unit. */
    rolesAt(actor: Principal, unit: AdminUnit): Role[] {
      return rolesAt(actor, unitRef(unit));
    },

    /**
     * A one-time code to verify a guest's phone or email (inside the caller's transaction, which also writes the
     * message to the outbox). At most 3 codes per destination in 15 minutes and 10 per requesting address an hour; each valid 10 minutes, 5
     * attempts.
     */
    async createOneTimeCode(
      tx: Executor,
      input: { channel: 'sms' | 'email'; destination: string; purpose: string; requestedIp: string },
    ): Promise<{ id: string; code: string; minutes: number }> {
      const now = clock.now();
      const recent = await repo.countRecentCodes(
        tx,
        input.destination,
        new Date(now.getTime() - 15 * 60_000),
      );
      if (recent >= 3) throw new AppError('LOGIN_THROTTLED', { minutes: 15 });
      const fromAddress = await repo.countRecentCodesFrom(
        tx,
        input.requestedIp,
        new Date(now.getTime() - 3600_000),
      );
      if (fromAddress >= 10) throw new AppError('LOGIN_THROTTLED', { minutes: 60 });
      const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
      const id = crypto.randomUUID();
      await repo.insertOneTimeCode(tx, {
        id,
        channel: input.channel,
        destination: input.destination,
        codeHash: hashCode(id, code),
        purpose: input.purpose,
        requestedIp: input.requestedIp,
        createdAt: now,
        expiresAt: new Date(now.getTime() + 10 * 60_000),
      });
      return { id, code, minutes: 10 };
    },

    /** Checks a one-time code; the verified destination, or ONE_TIME_CODE_INVALID (every attempt counts). */
    async verifyOneTimeCode(
      id: string,
      code: string,
    ): Promise<{ channel: 'sms' | 'email'; destination: string }> {
      return db.transaction(async (tx) => {
        const row = /^[0-9a-f-]{36}$/.test(id) ? await repo.findOneTimeCodeForUpdate(tx, id) : undefined;
        const now = clock.now();
        if (!row) throw new AppError('ONE_TIME_CODE_INVALID', { reason: 'hết hạn' });
        if (new Date(row.expires_at).getTime() < now.getTime() || row.attempts >= 5)
          throw new AppError('ONE_TIME_CODE_INVALID', { reason: 'hết hạn hoặc đã nhập sai quá 5 lần' });
        const matches = crypto.timingSafeEqual(
          Buffer.from(row.code_hash),
          Buffer.from(hashCode(id, code.replace(/\s+/g, ''))),
        );
        await repo.recordCodeAttempt(tx, id, matches ? now : null);
        if (!matches) throw new AppError('ONE_TIME_CODE_INVALID', { reason: 'không đúng' });
        return { channel: row.channel, destination: row.destination };
      });
    },

    /** The id of the account with this username, if any (demo data, command-line tools). */
    async findUserIdByUsername(username: string): Promise<string | undefined> {
      return (await repo.findUserByUsername(db, username))?.id;
    },

    /** Audits a refusal decided elsewhere (a workflow rule) and throws it. */
    deny,

    /** Active staff holding `role` at exactly this unit, by name: whom a dossier can be assigned to. */
    async listStaffWithRole(unitCode: string, role: Role): Promise<{ id: string; fullName: string }[]> {
      const users = await repo.findUsersWithGrantsAt(db, [unitCode]);
      const grants = await repo.findActiveGrants(
        db,
        users.map((u) => u.id),
      );
      const holders = new Set(
        grants.filter((g) => g.unitCode === unitCode && g.role === role).map((g) => g.userId),
      );
      return users
        .filter((u) => u.isActive && holders.has(u.id))
        .map((u) => ({ id: u.id, fullName: u.fullName }))
        .sort((a, b) => a.fullName.localeCompare(b.fullName, 'vi'));
    },

    async authenticate(username: string, password: string, info: RequestInfo): Promise<{ userId: string }> {
      const usernameKey = foldText(username).slice(0, 100);
      const now = clock.now();
      const since = new Date(now.getTime() - LOGIN_WINDOW_MINUTES * 60_000);
      const recent = await repo.countRecentFailures(db, usernameKey, info.ip, since);
      const limitByIp = deps.loginMaxFailures * 4;
      if (recent.byUser >= deps.loginMaxFailures || recent.byIp >= limitByIp) {
        const oldest =
          (recent.byUser >= deps.loginMaxFailures ? recent.byUserOldest : recent.byIpOldest) ?? now;
        const waitMs = oldest.getTime() + LOGIN_WINDOW_MINUTES * 60_000 - now.getTime();
        throw new AppError('LOGIN_THROTTLED', { minutes: Math.max(1, Math.ceil(waitMs / 60_000)) });
      }
      const user = await repo.findUserByUsername(db, username);
      const valid = await verifyPassword(user?.passwordHash, password);
      if (!user || !valid || !user.isActive) {
        await repo.recordLoginAttempt(db, { usernameKey, ip: info.ip, succeeded: false, attemptedAt: now });
        throw new AppError('INVALID_CREDENTIALS');
      }
      await db.transaction(async (tx) => {
        await repo.recordLoginAttempt(tx, { usernameKey, ip: info.ip, succeeded: true, attemptedAt: now });
        await appendAudit(tx, clock, {
          actorId: user.id,
          actorName: user.username,
          action: 'auth.login',
          targetType: 'user',
          targetId: user.id,
          requestId: info.requestId,
        });
      });
      return { userId: user.id };
    },

    async recordLogout(principal: Principal, info: RequestInfo) {
      await db.transaction((tx) =>
        appendAudit(tx, clock, {
          actorId: principal.userId,
          actorName: principal.username,
          action: 'auth.logout',
          targetType: 'user',
          targetId: principal.userId,
          requestId: info.requestId,
        }),
      );
    },

    /** The signed-in user with their active grants; undefined if the account is gone or deactivated. */
    async loadPrincipal(userId: string): Promise<Principal | undefined> {
      const user = await repo.findActiveUserWithGrants(db, userId);
      if (!user) return undefined;
      return {
        userId: user.id,
        username: user.username,
        fullName: user.full_name,
        grants: user.grants.map((g) => ({ id: g.id, role: g.role as Role, unitCode: g.unitCode })),
      };
    },

    async createUser(actor: Principal, input: NewUserInput, info: RequestInfo): Promise<UserView> {
      const problems = validateNewUser(input);
      if (problems.length) throw new AppError('VALIDATION_FAILED', { fields: problems });
      const unit = await adminUnits.getUnit(input.unitCode);
      const role = input.role as Role;
      await assertGrantAllowed(actor, role, unit, info);
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        if (await repo.findUserByUsername(tx, input.username)) {
          throw new AppError('USERNAME_TAKEN', { username: input.username });
        }
        const now = clock.now();
        const user = await repo.insertUser(tx, {
          username: input.username,
          fullName: input.fullName.trim(),
          email: input.email || null,
          phone: input.phone || null,
          passwordHash,
          isActive: true,
          createdAt: now,
          createdBy: actor.userId,
        });
        const grant = await repo.insertGrant(tx, {
          userId: user.id,
          role,
          unitCode: unit.code,
          grantedAt: now,
          grantedBy: actor.userId,
        });
        await appendAudit(tx, clock, {
          actorId: actor.userId,
          actorName: actor.username,
          unitCode: unit.code,
          action: 'user.created',
          targetType: 'user',
          targetId: user.id,
          details: { username: user.username, role, grantId: grant.id },
          requestId: info.requestId,
        });
        return toUserView(user, [grant]);
      });
    },

    async grantRole(
      actor: Principal,
      userId: string,
      roleInput: string,
      unitCode: string,
      info: RequestInfo,
    ) {
      if (!isRole(roleInput)) {
        throw new AppError('VALIDATION_FAILED', { fields: [fieldProblem('role', 'validation.role')] });
      }
      if (roleInput === 'citizen') throw new AppError('ROLE_UNIT_MISMATCH');
      const unit = await adminUnits.getUnit(unitCode);
      await assertGrantAllowed(actor, roleInput, unit, info);
      return db.transaction(async (tx) => {
        const user = await repo.findUserById(tx, userId);
        if (!user) throw new AppError('USER_NOT_FOUND');
        const existing = await repo.findActiveGrants(tx, [userId]);
        if (existing.some((g) => g.role === roleInput && g.unitCode === unit.code)) {
          throw new AppError('ROLE_ALREADY_GRANTED');
        }
        const grant = await repo.insertGrant(tx, {
          userId,
          role: roleInput,
          unitCode: unit.code,
          grantedAt: clock.now(),
          grantedBy: actor.userId,
        });
        await appendAudit(tx, clock, {
          actorId: actor.userId,
          actorName: actor.username,
          unitCode: unit.code,
          action: 'role.granted',
          targetType: 'user',
          targetId: userId,
          details: { role: roleInput, grantId: grant.id },
          requestId: info.requestId,
        });
        return {
          id: grant.id,
          role: roleInput,
          unitCode: unit.code,
          grantedAt: grant.grantedAt.toISOString(),
        };
      });
    },

    async revokeRole(actor: Principal, userId: string, grantId: string, info: RequestInfo): Promise<void> {
      const grant = await repo.findActiveGrant(db, grantId);
      if (!grant || grant.userId !== userId || !grant.unitCode) throw new AppError('ROLE_GRANT_NOT_FOUND');
      const unit = await adminUnits.getUnit(grant.unitCode);
      await assertGrantAllowed(actor, grant.role as Role, unit, info);
      await db.transaction(async (tx) => {
        // Re-read inside the transaction: a concurrent revoke must not be recorded twice.
        if (!(await repo.findActiveGrant(tx, grantId))) throw new AppError('ROLE_GRANT_NOT_FOUND');
        await repo.revokeGrant(tx, grantId, actor.userId, clock.now());
        await appendAudit(tx, clock, {
          actorId: actor.userId,
          actorName: actor.username,
          unitCode: unit.code,
          action: 'role.revoked',
          targetType: 'user',
          targetId: userId,
          details: { role: grant.role, grantId },
          requestId: info.requestId,
        });
      });
    },

    /** Ends every session of a user (after a lost phone, a leaver, a suspected compromise). */
    async revokeSessions(actor: Principal, userId: string, info: RequestInfo): Promise<number> {
      const target = await repo.findUserById(db, userId);
      if (!target) throw new AppError('USER_NOT_FOUND');
      const grants = await repo.findActiveGrants(db, [userId]);
      await assertManages(actor, grants, info);
      return db.transaction(async (tx) => {
        const count = await repo.deleteSessionsOfUser(tx, userId);
        await appendAudit(tx, clock, {
          actorId: actor.userId,
          actorName: actor.username,
          unitCode: grants[0]?.unitCode ?? null,
          action: 'sessions.revoked',
          targetType: 'user',
          targetId: userId,
          details: { count },
          requestId: info.requestId,
        });
        return count;
      });
    },

    /** Accounts holding a role at a unit in the actor's user-management scope. */
    async listManagedUsers(actor: Principal, info: RequestInfo): Promise<UserView[]> {
      if (!hasPermissionSomewhere(actor, 'users.manage'))
        await deny(actor, 'FORBIDDEN', null, 'users.manage', info);
      const scope = await scopeOf(actor, 'users.manage');
      const users = await repo.findUsersWithGrantsAt(db, scope);
      const grants = await repo.findActiveGrants(
        db,
        users.map((u) => u.id),
      );
      return users.map((u) => toUserView(u, grants));
    },

    async getManagedUser(actor: Principal, userId: string, info: RequestInfo): Promise<UserView> {
      const user = await repo.findUserById(db, userId);
      if (!user) throw new AppError('USER_NOT_FOUND');
      const grants = await repo.findActiveGrants(db, [userId]);
      await assertManages(actor, grants, info);
      return toUserView(user, grants);
    },

    /** A unit's administration view: its staff and their roles there. */
    async getUnitAdministration(actor: Principal, unitCode: string, info: RequestInfo) {
      const unit = await adminUnits.getUnit(unitCode);
      await assertCan(actor, 'unit.administration.view', unit, info);
      const users = await repo.findUsersWithGrantsAt(db, [unit.code]);
      const grants = await repo.findActiveGrants(
        db,
        users.map((u) => u.id),
      );
      const staff = users.map((u) => {
        const view = toUserView(u, grants);
        return { ...view, grants: view.grants.filter((g) => g.unitCode === unit.code) };
      });
      return { unit, staff, canManage: can(actor, 'users.manage', unitRef(unit)) };
    },

    async listAudit(actor: Principal, limit: number, info: RequestInfo) {
      if (!hasPermissionSomewhere(actor, 'audit.view'))
        await deny(actor, 'FORBIDDEN', null, 'audit.view', info);
      const scope = await scopeOf(actor, 'audit.view');
      const entries = await listAuditEntries(db, { unitCodes: scope, limit });
      return entries.map((e) => ({ ...e, at: e.at.toISOString() }));
    },

    /** Creates an account without an acting user: first start, demo data, tests. Audited as the system. */
    async bootstrapUser(
      input: Omit<NewUserInput, 'role' | 'unitCode'> & { grants: { role: Role; unitCode: string | null }[] },
    ) {
      // Look first: hashing costs tens of milliseconds and every start calls this for the demo accounts.
      const found = await repo.findUserByUsername(db, input.username);
      if (found) return { id: found.id, created: false };
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        const existing = await repo.findUserByUsername(tx, input.username);
        if (existing) return { id: existing.id, created: false };
        const now = clock.now();
        const user = await repo.insertUser(tx, {
          username: input.username,
          fullName: input.fullName,
          email: input.email ?? null,
          phone: input.phone ?? null,
          passwordHash,
          isActive: true,
          createdAt: now,
        });
        for (const grant of input.grants) {
          await repo.insertGrant(tx, {
            userId: user.id,
            role: grant.role,
            unitCode: grant.unitCode,
            grantedAt: now,
          });
        }
        await appendAudit(tx, clock, {
          actorName: 'system',
          action: 'user.created',
          targetType: 'user',
          targetId: user.id,
          unitCode: input.grants[0]?.unitCode ?? null,
          details: { username: user.username, roles: input.grants.map((g) => g.role) },
        });
        return { id: user.id, created: true };
      });
    },

    /** Housekeeping: expired sessions and sign-in attempts older than a day (throttling looks back 15 minutes). */
    async purgeExpired(): Promise<{ sessions: number; loginAttempts: number }> {
      const now = clock.now();
      return {
        sessions: await repo.deleteExpiredSessions(db, now),
        loginAttempts: await repo.deleteLoginAttemptsBefore(db, new Date(now.getTime() - 24 * 3600_000)),
      };
    },

    staffRoles: STAFF_ROLES,
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
