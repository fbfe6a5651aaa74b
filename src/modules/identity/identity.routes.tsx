// HTTP only: parse, find who is asking, call one service function, present. Authorisation lives in the service's
// policy checks, which always name the unit.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatVietnamDateTime } from '../../platform/clock.ts';
import { isAppError } from '../../platform/errors.ts';
import type { Translate } from '../../platform/i18n/index.ts';
import { requestInfo, requirePrincipal, safeNextPath } from '../../platform/http/request.ts';
import type { Principal } from './identity.policy.ts';
import type { FieldError } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.tsx';
import type { AdminUnitsService } from '../admin-units/index.ts';
import {
  AuditEntrySchema,
  GrantBody,
  GrantForm,
  GrantParams,
  GrantSchema,
  LoginBody,
  LoginForm,
  NewUserBody,
  NewUserForm,
  NoticeQuery,
  UnitCodeParams,
  UserIdParams,
  UserSchema,
} from './identity.schemas.ts';
import type { IdentityService, UserView } from './identity.service.ts';
import { SESSION_COOKIE } from './session-store.ts';
import { GRANTABLE_ROLES, type Role } from './roles.ts';
import {
  AccountPage,
  AuditPage,
  LoginPage,
  UnitAdministrationPage,
  UserDetailPage,
  UsersPage,
  type UserFormValues,
} from './views/pages.tsx';

/** The signed-in principal as the policy knows it: loaded by this module's loadPrincipal, so its roles are known. */
export function requireActor(request: FastifyRequest): Principal {
  return requirePrincipal(request) as Principal;
}

const FIELD_OF_ERROR: Partial<Record<string, string>> = {
  USERNAME_TAKEN: 'username',
  ADMIN_UNIT_NOT_FOUND: 'unitCode',
  ROLE_GRANT_OUTSIDE_UNIT: 'unitCode',
  ROLE_NOT_GRANTABLE: 'role',
  ROLE_ALREADY_GRANTED: 'role',
  ROLE_UNIT_MISMATCH: 'role',
};

/** Turns a service error into messages next to form fields; errors that are not about a field are re-thrown. */
function fieldErrors(error: unknown, t: Translate): FieldError[] {
  if (!isAppError(error)) throw error;
  if (error.code === 'VALIDATION_FAILED' && Array.isArray(error.details.fields)) {
    return (error.details.fields as { field: string; key: Parameters<Translate>[0] }[]).map((f) => ({
      field: f.field,
      message: t(f.key),
    }));
  }
  const field = FIELD_OF_ERROR[error.code];
  if (!field) throw error;
  const params = Object.fromEntries(Object.entries(error.details).map(([k, v]) => [k, String(v)]));
  if (error.code === 'ROLE_NOT_GRANTABLE' && typeof error.details.role === 'string') {
    params.role = t(`role.${error.details.role as Role}`);
  }
  return [{ field, message: t(`error.${error.code}`, params) }];
}

function grantableRoles(principalGrants: { role: string }[]): Role[] {
  const roles = new Set<Role>();
  for (const g of principalGrants) for (const r of GRANTABLE_ROLES[g.role as Role] ?? []) roles.add(r);
  return [...roles];
}

export function identityRoutes(
  identity: IdentityService,
  adminUnits: AdminUnitsService,
): FastifyPluginAsyncTypebox {
  async function unitsOf(users: UserView[]) {
    return adminUnits.findUnits(
      users.flatMap((u) => u.grants.flatMap((g) => (g.unitCode ? [g.unitCode] : []))),
    );
  }

  async function signIn(request: FastifyRequest, username: string, password: string) {
    const { userId } = await identity.authenticate(username, password, requestInfo(request));
    // A new session id at sign-in defeats session fixation.
    await request.session.regenerate();
    request.session.userId = userId;
    return userId;
  }

  async function renderUsers(
    request: FastifyRequest,
    reply: FastifyReply,
    values: UserFormValues,
    errors: FieldError[],
    notice?: string,
  ) {
    const principal = requireActor(request);
    const users = await identity.listManagedUsers(principal, requestInfo(request));
    return sendPage(request, reply, {
      title: request.t('users.title'),
      status: errors.length ? 400 : 200,
      body: (
        <UsersPage
          t={request.t}
          csrfToken={reply.generateCsrf()}
          users={users}
          units={await unitsOf(users)}
          roles={grantableRoles(principal.grants)}
          values={values}
          errors={errors}
          notice={notice}
        />
      ),
    });
  }

  async function renderUser(
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    values: UserFormValues,
    errors: FieldError[],
    notice?: string,
  ) {
    const principal = requireActor(request);
    const user = await identity.getManagedUser(principal, userId, requestInfo(request));
    return sendPage(request, reply, {
      title: request.t('users.detail', { username: user.username }),
      status: errors.length ? 400 : 200,
      body: (
        <UserDetailPage
          t={request.t}
          csrfToken={reply.generateCsrf()}
          user={user}
          units={await unitsOf([user])}
          roles={grantableRoles(principal.grants)}
          values={values}
          errors={errors}
          notice={notice}
        />
      ),
    });
  }

  const notices: Record<string, (t: Translate, request: FastifyRequest) => string> = {
    'da-tao': (t) => t('users.created'),
    'da-giao': (t) => t('users.granted'),
    'da-thu-hoi': (t) => t('users.revoked'),
  };

  return async (app) => {
    app.addSchema(UserSchema);
    const tags = ['identity'];

    // --- API ---------------------------------------------------------------------------------------------
    app.get(
      '/api/session/csrf-token',
      {
        schema: {
          tags,
          summary: 'Lấy mã CSRF cho các lệnh thay đổi dữ liệu',
          response: { 200: Type.Object({ token: Type.String() }) },
        },
      },
      async (_request, reply) => ({
        token: reply.generateCsrf(),
      }),
    );

    app.post(
      '/api/session',
      {
        schema: {
          tags,
          summary: 'Đăng nhập',
          body: LoginBody,
          response: { 200: Type.Object({ userId: Type.String() }) },
        },
      },
      async (request) => ({
        userId: await signIn(request, request.body.username, request.body.password),
      }),
    );

    app.delete(
      '/api/session',
      { schema: { tags, summary: 'Đăng xuất', response: { 204: Type.Null() } } },
      async (request, reply) => {
        if (request.principal) await identity.recordLogout(requireActor(request), requestInfo(request));
        await request.session.destroy();
        // The plugin forgets the session but leaves its cookie; without this the next page would say "expired".
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/me',
      {
        schema: {
          tags,
          summary: 'Người dùng đang đăng nhập và vai trò',
          response: {
            200: Type.Object({
              userId: Type.String(),
              username: Type.String(),
              fullName: Type.String(),
              grants: Type.Array(
                Type.Object({
                  id: Type.String(),
                  role: Type.String(),
                  unitCode: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const { userId, username, fullName, grants } = requireActor(request);
        return { userId, username, fullName, grants };
      },
    );

    app.get(
      '/api/users',
      {
        schema: {
          tags,
          summary: 'Tài khoản thuộc phạm vi quản lý',
          response: { 200: Type.Array(Type.Ref('User')) },
        },
      },
      async (request) => identity.listManagedUsers(requireActor(request), requestInfo(request)),
    );

    app.post(
      '/api/users',
      {
        schema: {
          tags,
          summary: 'Tạo tài khoản cán bộ với một vai trò tại một đơn vị',
          body: NewUserBody,
          response: { 201: Type.Ref('User') },
        },
      },
      async (request, reply) => {
        const user = await identity.createUser(requireActor(request), request.body, requestInfo(request));
        return reply.status(201).send(user);
      },
    );

    app.get(
      '/api/users/:id',
      {
        schema: { tags, summary: 'Một tài khoản', params: UserIdParams, response: { 200: Type.Ref('User') } },
      },
      async (request) =>
        identity.getManagedUser(requireActor(request), request.params.id, requestInfo(request)),
    );

    app.post(
      '/api/users/:id/role-grants',
      {
        schema: {
          tags,
          summary: 'Giao vai trò tại một đơn vị',
          params: UserIdParams,
          body: GrantBody,
          response: { 201: GrantSchema },
        },
      },
      async (request, reply) => {
        const grant = await identity.grantRole(
          requireActor(request),
          request.params.id,
          request.body.role,
          request.body.unitCode,
          requestInfo(request),
        );
        return reply.status(201).send(grant);
      },
    );

    app.post(
      '/api/users/:id/role-grants/:grantId/revoke',
      { schema: { tags, summary: 'Thu hồi vai trò', params: GrantParams, response: { 204: Type.Null() } } },
      async (request, reply) => {
        await identity.revokeRole(
          requireActor(request),
          request.params.id,
          request.params.grantId,
          requestInfo(request),
        );
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/users/:id/revoke-sessions',
      {
        schema: {
          tags,
          summary: 'Kết thúc mọi phiên đăng nhập của tài khoản',
          params: UserIdParams,
          response: { 200: Type.Object({ revoked: Type.Integer() }) },
        },
      },
      async (request) => ({
        revoked: await identity.revokeSessions(
          requireActor(request),
          request.params.id,
          requestInfo(request),
        ),
      }),
    );

    app.get(
      '/api/admin-units/:code/staff',
      {
        schema: {
          tags,
          summary: 'Cán bộ được giao vai trò tại đơn vị',
          params: UnitCodeParams,
          response: { 200: Type.Array(Type.Ref('User')) },
        },
      },
      async (request) => {
        const result = await identity.getUnitAdministration(
          requireActor(request),
          request.params.code,
          requestInfo(request),
        );
        return result.staff;
      },
    );

    app.get(
      '/api/audit-log',
      {
        schema: {
          tags,
          summary: 'Nhật ký kiểm tra của các đơn vị thuộc phạm vi',
          querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
          response: { 200: Type.Array(AuditEntrySchema) },
        },
      },
      async (request) => identity.listAudit(requireActor(request), request.query.limit, requestInfo(request)),
    );

    // --- Pages -------------------------------------------------------------------------------------------
    app.get('/dang-nhap', { schema: { hide: true, querystring: NoticeQuery } }, async (request, reply) => {
      const reason = request.query['thong-bao'];
      const notice =
        reason === 'het-han' || request.sessionExpired
          ? request.t('login.expired')
          : reason === 'da-dang-xuat'
            ? request.t('login.loggedOut')
            : reason === 'can-dang-nhap'
              ? request.t('login.required')
              : undefined;
      return sendPage(request, reply, {
        title: request.t('login.title'),
        body: (
          <LoginPage
            t={request.t}
            csrfToken={reply.generateCsrf()}
            next={safeNextPath(request.query.next)}
            username=""
            notice={notice}
            errors={[]}
          />
        ),
      });
    });

    app.post('/dang-nhap', { schema: { hide: true, body: LoginForm } }, async (request, reply) => {
      const { username = '', password = '', next } = request.body;
      const t = request.t;
      const errors: FieldError[] = [];
      if (!username.trim())
        errors.push({ field: 'username', message: t('form.required', { field: t('field.username') }) });
      if (!password)
        errors.push({ field: 'password', message: t('form.required', { field: t('field.password') }) });
      let status = 400;
      if (errors.length === 0) {
        try {
          await signIn(request, username.trim(), password);
          return reply.redirect(safeNextPath(next), 303);
        } catch (error) {
          if (!isAppError(error) || !['INVALID_CREDENTIALS', 'LOGIN_THROTTLED'].includes(error.code))
            throw error;
          status = error.status;
          errors.push({
            field: 'username',
            message: t(`error.${error.code}`, { minutes: String(error.details.minutes ?? '') }),
          });
        }
      }
      return sendPage(request, reply, {
        title: t('login.title'),
        status,
        body: (
          <LoginPage
            t={t}
            csrfToken={reply.generateCsrf()}
            next={safeNextPath(next)}
            username={username}
            errors={errors}
          />
        ),
      });
    });

    app.post('/dang-xuat', { schema: { hide: true } }, async (request, reply) => {
      if (request.principal) await identity.recordLogout(requireActor(request), requestInfo(request));
      await request.session.destroy();
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/dang-nhap?thong-bao=da-dang-xuat', 303);
    });

    app.get('/tai-khoan', { schema: { hide: true } }, async (request, reply) => {
      const principal = requireActor(request);
      const user: UserView = {
        id: principal.userId,
        username: principal.username,
        fullName: principal.fullName,
        email: null,
        phone: null,
        isActive: true,
        createdAt: '',
        grants: principal.grants.map((g) => ({ ...g, role: g.role as Role, grantedAt: '' })),
      };
      return sendPage(request, reply, {
        title: request.t('account.title'),
        body: <AccountPage t={request.t} user={user} units={await unitsOf([user])} />,
      });
    });

    app.get(
      '/quan-tri/nguoi-dung',
      { schema: { hide: true, querystring: NoticeQuery } },
      async (request, reply) => {
        const notice = request.query['thong-bao'];
        return renderUsers(
          request,
          reply,
          {},
          [],
          notice && notices[notice] ? notices[notice](request.t, request) : undefined,
        );
      },
    );

    app.post(
      '/quan-tri/nguoi-dung',
      { schema: { hide: true, body: NewUserForm } },
      async (request, reply) => {
        const { _csrf, ...values } = request.body;
        try {
          await identity.createUser(
            requireActor(request),
            {
              username: (values.username ?? '').trim(),
              fullName: values.fullName ?? '',
              email: values.email?.trim(),
              phone: values.phone?.trim(),
              password: values.password ?? '',
              role: values.role ?? '',
              unitCode: (values.unitCode ?? '').trim(),
            },
            requestInfo(request),
          );
          return reply.redirect('/quan-tri/nguoi-dung?thong-bao=da-tao', 303);
        } catch (error) {
          return renderUsers(request, reply, values, fieldErrors(error, request.t));
        }
      },
    );

    app.get(
      '/quan-tri/nguoi-dung/:id',
      { schema: { hide: true, params: UserIdParams, querystring: NoticeQuery } },
      async (request, reply) => {
        const notice = request.query['thong-bao'];
        return renderUser(
          request,
          reply,
          request.params.id,
          {},
          [],
          notice && notices[notice] ? notices[notice](request.t, request) : undefined,
        );
      },
    );

    app.post(
      '/quan-tri/nguoi-dung/:id/vai-tro',
      { schema: { hide: true, params: UserIdParams, body: GrantForm } },
      async (request, reply) => {
        const { role = '', unitCode = '' } = request.body;
        try {
          await identity.grantRole(
            requireActor(request),
            request.params.id,
            role,
            unitCode.trim(),
            requestInfo(request),
          );
          return reply.redirect(`/quan-tri/nguoi-dung/${request.params.id}?thong-bao=da-giao`, 303);
        } catch (error) {
          return renderUser(
            request,
            reply,
            request.params.id,
            { role, unitCode },
            fieldErrors(error, request.t),
          );
        }
      },
    );

    app.post(
      '/quan-tri/nguoi-dung/:id/vai-tro/:grantId/thu-hoi',
      { schema: { hide: true, params: GrantParams } },
      async (request, reply) => {
        await identity.revokeRole(
          requireActor(request),
          request.params.id,
          request.params.grantId,
          requestInfo(request),
        );
        return reply.redirect(`/quan-tri/nguoi-dung/${request.params.id}?thong-bao=da-thu-hoi`, 303);
      },
    );

    app.post(
      '/quan-tri/nguoi-dung/:id/ket-thuc-phien',
      { schema: { hide: true, params: UserIdParams } },
      async (request, reply) => {
        const count = await identity.revokeSessions(
          requireActor(request),
          request.params.id,
          requestInfo(request),
        );
        return renderUser(
          request,
          reply,
          request.params.id,
          {},
          [],
          request.t('users.sessionsRevoked', { count }),
        );
      },
    );

    app.get(
      '/quan-tri/don-vi/:code',
      { schema: { hide: true, params: UnitCodeParams } },
      async (request, reply) => {
        const { unit, staff, canManage } = await identity.getUnitAdministration(
          requireActor(request),
          request.params.code,
          requestInfo(request),
        );
        return sendPage(request, reply, {
          title: request.t('unitAdmin.title', { unit: unit.fullName }),
          body: <UnitAdministrationPage t={request.t} unit={unit} staff={staff} canManage={canManage} />,
        });
      },
    );

    app.get('/quan-tri/nhat-ky', { schema: { hide: true } }, async (request, reply) => {
      const entries = await identity.listAudit(requireActor(request), 200, requestInfo(request));
      return sendPage(request, reply, {
        title: request.t('audit.title'),
        body: (
          <AuditPage
            t={request.t}
            entries={entries}
            formatTime={(iso) => formatVietnamDateTime(new Date(iso))}
          />
        ),
      });
    });
  };
}
