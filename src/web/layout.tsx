import type { ComponentChildren } from 'preact';
import type { Locale, Translate } from '../platform/i18n/index.ts';
import { assets } from './assets.ts';

export interface LayoutProps {
  t: Translate;
  locale: Locale;
  title: string;
  currentPath: string;
  user?:
    { fullName: string; isAdmin: boolean; canViewAudit: boolean; canHandleDossiers: boolean } | undefined;
  /** Needed for the sign-out form when a user is signed in. */
  csrfToken?: string | undefined;
  children: ComponentChildren;
}

export function Layout({ t, locale, title, currentPath, user, csrfToken, children }: LayoutProps) {
  const otherLocale = locale === 'vi' ? 'en' : 'vi';
  const switchHref = `/ngon-ngu?lang=${otherLocale}&next=${encodeURIComponent(currentPath)}`;
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${t('app.name')}`}</title>
        <link rel="stylesheet" href={assets.cssPath} />
      </head>
      <body>
        <a class="skip" href="#noi-dung">
          {t('app.skipToContent')}
        </a>
        <header class="site">
          <div class="bar">
            <a class="brand" href="/">
              {t('app.name')}
              <small>{t('app.tagline')}</small>
            </a>
            <nav aria-label={t('nav.main')}>
              <ul>
                <li>
                  <a href="/thu-tuc">{t('nav.procedures')}</a>
                </li>
                <li>
                  <a href="/don-vi-hanh-chinh">{t('nav.adminUnits')}</a>
                </li>
                <li>
                  <a href="/lich-lam-viec">{t('nav.calendar')}</a>
                </li>
                {user && !user.canHandleDossiers && (
                  <li>
                    <a href="/ho-so-cua-toi">{t('nav.myDossiers')}</a>
                  </li>
                )}
                {user?.canHandleDossiers && (
                  <li>
                    <a href="/can-bo/ho-so">{t('nav.dossiers')}</a>
                  </li>
                )}
                {user?.isAdmin && (
                  <li>
                    <a href="/quan-tri/nguoi-dung">{t('nav.users')}</a>
                  </li>
                )}
                {user?.isAdmin && (
                  <li>
                    <a href="/quan-tri/thong-bao">{t('nav.notifications')}</a>
                  </li>
                )}
                {user?.isAdmin && (
                  <li>
                    <a href="/quan-tri/chung-thu-tin-cay">{t('trust.nav')}</a>
                  </li>
                )}
                {user?.canViewAudit && (
                  <li>
                    <a href="/quan-tri/nhat-ky">{t('nav.audit')}</a>
                  </li>
                )}
                {user ? (
                  <>
                    <li>
                      <a href="/tai-khoan">{user.fullName}</a>
                    </li>
                    <li>
                      <form class="inline" method="post" action="/dang-xuat">
                        <input type="hidden" name="_csrf" value={csrfToken} />
                        <button class="link" type="submit">
                          {t('nav.logout')}
                        </button>
                      </form>
                    </li>
                  </>
                ) : (
                  <li>
                    <a href="/dang-nhap">{t('nav.login')}</a>
                  </li>
                )}
                <li>
                  <a href={switchHref} lang={otherLocale} hreflang={otherLocale}>
                    {t('app.switchLanguage')}
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="noi-dung">{children}</main>
        <footer>
          <p>{t('app.footer')}</p>
        </footer>
      </body>
    </html>
  );
}

export interface FieldError {
  field: string;
  message: string;
}

export function ErrorSummary({ t, errors }: { t: Translate; errors: FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{t('form.errorSummary')}</h2>
      <ul>
        {errors.map((e) => (
          <li key={e.field}>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface TextFieldProps {
  name: string;
  label: string;
  hint?: string | undefined;
  value?: string | undefined;
  type?: 'text' | 'password' | 'email' | 'tel' | 'search';
  error?: string | undefined;
  autocomplete?: string;
  required?: boolean;
}

export function TextField({
  name,
  label,
  hint,
  value,
  type = 'text',
  error,
  autocomplete,
  required,
}: TextFieldProps) {
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={name}>{label}</label>
      {hint && (
        <p class="hint" id={`${name}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${name}-error`}>
          {error}
        </p>
      )}
      <input
        id={name}
        name={name}
        type={type}
        value={value ?? ''}
        autocomplete={autocomplete}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
    </div>
  );
}

/** "Trang x/y" with links to the pages before and after; nothing when there is one page. */
export function Pager({
  t,
  page,
  pages,
  href,
}: {
  t: Translate;
  page: number;
  pages: number;
  href: (page: number) => string;
}) {
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label={t('units.page', { page, pages })}>
      {page > 1 ? <a href={href(page - 1)}>{t('units.previous')}</a> : <span />}
      <span>{t('units.page', { page, pages })}</span>
      {page < pages ? <a href={href(page + 1)}>{t('units.next')}</a> : <span />}
    </nav>
  );
}
