import { isMessageKey, type MessageKey, type Translate } from '../../../platform/i18n/index.ts';
import { ErrorSummary, TextField, type FieldError } from '../../../web/layout.tsx';
import type { AdminUnit } from '../../admin-units/index.ts';
import type { UserView } from '../identity.service.ts';
import type { Role } from '../roles.ts';

function errorFor(errors: FieldError[], field: string): string | undefined {
  return errors.find((e) => e.field === field)?.message;
}

function unitLabel(units: Map<string, AdminUnit>, code: string | null): string {
  if (!code) return '';
  const unit = units.get(code);
  return unit ? `${unit.fullName} (${code})` : code;
}

export function LoginPage(props: {
  t: Translate;
  csrfToken: string;
  next: string;
  username: string;
  notice?: string | undefined;
  errors: FieldError[];
}) {
  const { t, errors } = props;
  return (
    <>
      <h1>{t('login.title')}</h1>
      {props.notice && <p class="notice">{props.notice}</p>}
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action="/dang-nhap" novalidate>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="next" value={props.next} />
        <TextField
          name="username"
          label={t('login.username')}
          value={props.username}
          autocomplete="username"
          error={errorFor(errors, 'username')}
        />
        <TextField
          name="password"
          type="password"
          label={t('login.password')}
          autocomplete="current-password"
          error={errorFor(errors, 'password')}
        />
        <button type="submit">{t('login.submit')}</button>
      </form>
    </>
  );
}

function GrantList({ t, user, units }: { t: Translate; user: UserView; units: Map<string, AdminUnit> }) {
  if (user.grants.length === 0) return <p>{t('account.noRoles')}</p>;
  return (
    <ul>
      {user.grants.map((g) => (
        <li key={g.id}>
          {t(`role.${g.role}`)}
          {g.unitCode && (
            <>
              {' '}
              {t('account.atUnit', { unit: '' })}
              <a href={`/quan-tri/don-vi/${g.unitCode}`}>{unitLabel(units, g.unitCode)}</a>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

export function AccountPage({
  t,
  user,
  units,
}: {
  t: Translate;
  user: UserView;
  units: Map<string, AdminUnit>;
}) {
  return (
    <>
      <h1>{t('account.title')}</h1>
      <dl class="summary">
        <dt>{t('users.fullName')}</dt>
        <dd>{user.fullName}</dd>
        <dt>{t('users.username')}</dt>
        <dd>{user.username}</dd>
      </dl>
      <h2>{t('account.roles')}</h2>
      <GrantList t={t} user={user} units={units} />
    </>
  );
}

export interface UserFormValues {
  username?: string;
  fullName?: string;
  email?: string;
  phone?: string;
  role?: string;
  unitCode?: string;
}

function RoleSelect({
  t,
  roles,
  value,
  error,
}: {
  t: Translate;
  roles: readonly Role[];
  value?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for="role">{t('users.role')}</label>
      {error && (
        <p class="field-error" id="role-error">
          {error}
        </p>
      )}
      <select id="role" name="role" aria-describedby={error ? 'role-error' : undefined}>
        {roles.map((r) => (
          <option key={r} value={r} selected={r === value}>
            {t(`role.${r}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function UsersPage(props: {
  t: Translate;
  csrfToken: string;
  users: UserView[];
  units: Map<string, AdminUnit>;
  roles: readonly Role[];
  values: UserFormValues;
  errors: FieldError[];
  notice?: string | undefined;
}) {
  const { t, errors, values } = props;
  return (
    <>
      <h1>{t('users.title')}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <h2>{t('users.list')}</h2>
      {props.users.length === 0 ? (
        <p>{t('users.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('users.username')}</th>
              <th scope="col">{t('users.fullName')}</th>
              <th scope="col">{t('users.grants')}</th>
            </tr>
          </thead>
          <tbody>
            {props.users.map((u) => (
              <tr key={u.id}>
                <td>
                  <a href={`/quan-tri/nguoi-dung/${u.id}`}>{u.username}</a>
                </td>
                <td>{u.fullName}</td>
                <td>
                  {u.grants.map((g) => (
                    <div key={g.id}>
                      {t(`role.${g.role}`)} – {unitLabel(props.units, g.unitCode)}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="tao-tai-khoan">{t('users.create')}</h2>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action="/quan-tri/nguoi-dung" novalidate>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <TextField
          name="username"
          label={t('users.username')}
          hint={t('users.usernameHint')}
          value={values.username}
          error={errorFor(errors, 'username')}
          autocomplete="off"
        />
        <TextField
          name="fullName"
          label={t('users.fullName')}
          value={values.fullName}
          error={errorFor(errors, 'fullName')}
          autocomplete="off"
        />
        <TextField
          name="email"
          type="email"
          label={t('users.email')}
          value={values.email}
          error={errorFor(errors, 'email')}
          autocomplete="off"
        />
        <TextField
          name="phone"
          type="tel"
          label={t('users.phone')}
          value={values.phone}
          error={errorFor(errors, 'phone')}
          autocomplete="off"
        />
        <TextField
          name="password"
          type="password"
          label={t('users.password')}
          hint={t('users.passwordHint')}
          error={errorFor(errors, 'password')}
          autocomplete="new-password"
        />
        <RoleSelect t={t} roles={props.roles} value={values.role} error={errorFor(errors, 'role')} />
        <TextField
          name="unitCode"
          label={t('users.unit')}
          hint={t('users.unitHint')}
          value={values.unitCode}
          error={errorFor(errors, 'unitCode')}
          autocomplete="off"
        />
        <button type="submit">{t('users.submitCreate')}</button>
      </form>
    </>
  );
}

export function UserDetailPage(props: {
  t: Translate;
  csrfToken: string;
  user: UserView;
  units: Map<string, AdminUnit>;
  roles: readonly Role[];
  values: UserFormValues;
  errors: FieldError[];
  notice?: string | undefined;
}) {
  const { t, user, errors } = props;
  return (
    <>
      <h1>{t('users.detail', { username: user.username })}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <dl class="summary">
        <dt>{t('users.fullName')}</dt>
        <dd>{user.fullName}</dd>
        <dt>{t('users.email')}</dt>
        <dd>{user.email ?? '—'}</dd>
        <dt>{t('users.phone')}</dt>
        <dd>{user.phone ?? '—'}</dd>
      </dl>
      <h2>{t('users.grants')}</h2>
      <table>
        <tbody>
          {user.grants.map((g) => (
            <tr key={g.id}>
              <td>{t(`role.${g.role}`)}</td>
              <td>{unitLabel(props.units, g.unitCode)}</td>
              <td>
                <form
                  class="inline"
                  method="post"
                  action={`/quan-tri/nguoi-dung/${user.id}/vai-tro/${g.id}/thu-hoi`}
                >
                  <input type="hidden" name="_csrf" value={props.csrfToken} />
                  <button
                    class="secondary"
                    type="submit"
                    aria-label={`${t('users.revoke')}: ${t(`role.${g.role}`)} – ${g.unitCode ?? ''}`}
                  >
                    {t('users.revoke')}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('users.grant')}</h2>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={`/quan-tri/nguoi-dung/${user.id}/vai-tro`} novalidate>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <RoleSelect t={t} roles={props.roles} value={props.values.role} error={errorFor(errors, 'role')} />
        <TextField
          name="unitCode"
          label={t('users.unit')}
          hint={t('users.unitHint')}
          value={props.values.unitCode}
          error={errorFor(errors, 'unitCode')}
          autocomplete="off"
        />
        <button type="submit">{t('users.submitGrant')}</button>
      </form>
      <h2>{t('users.revokeSessions')}</h2>
      <form method="post" action={`/quan-tri/nguoi-dung/${user.id}/ket-thuc-phien`}>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <button class="warning" type="submit">
          {t('users.revokeSessions')}
        </button>
      </form>
    </>
  );
}

export function UnitAdministrationPage(props: {
  t: Translate;
  unit: AdminUnit;
  staff: UserView[];
  canManage: boolean;
}) {
  const { t, unit } = props;
  return (
    <>
      <h1>{t('unitAdmin.title', { unit: unit.fullName })}</h1>
      {props.canManage && unit.level === 'commune' && (
        <p>
          <a href={`/quan-tri/thu-tuc/don-vi/${unit.code}`}>{t('unitAdmin.offerings')}</a>
        </p>
      )}
      <h2>{t('unitAdmin.staff')}</h2>
      {props.staff.length === 0 ? (
        <p>{t('unitAdmin.noStaff')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('users.fullName')}</th>
              <th scope="col">{t('users.username')}</th>
              <th scope="col">{t('users.grants')}</th>
            </tr>
          </thead>
          <tbody>
            {props.staff.map((u) => (
              <tr key={u.id}>
                <td>
                  {props.canManage ? <a href={`/quan-tri/nguoi-dung/${u.id}`}>{u.fullName}</a> : u.fullName}
                </td>
                <td>{u.username}</td>
                <td>{u.grants.map((g) => t(`role.${g.role}`)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export interface AuditRow {
  seq: number;
  at: string;
  actorName: string | null;
  unitCode: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
}

export function AuditPage({
  t,
  entries,
  formatTime,
}: {
  t: Translate;
  entries: AuditRow[];
  formatTime: (iso: string) => string;
}) {
  return (
    <>
      <h1>{t('audit.title')}</h1>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('audit.seq')}</th>
            <th scope="col">{t('audit.at')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.unit')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{formatTime(e.at)}</td>
              <td>{e.actorName ?? '—'}</td>
              <td>
                {isMessageKey(`auditAction.${e.action}`)
                  ? t(`auditAction.${e.action}` as MessageKey)
                  : e.action}
              </td>
              <td>{e.unitCode ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
