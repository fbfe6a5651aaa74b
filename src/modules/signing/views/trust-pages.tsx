// The province administrators' page of what verification trusts: the trusted root certificates (name, subject,
// validity, SHA-256 fingerprint), adding and removing one, and the CRLs with their upload form.
import type { Translate } from '../../../platform/i18n/index.ts';
import { ErrorSummary, TextField, type FieldError } from '../../../web/layout.tsx';
import type { CrlView, TrustedRootView } from '../trust.service.ts';
import { vietnamTime } from './verification-pages.tsx';

const PATH = '/quan-tri/chung-thu-tin-cay';

function errorOf(errors: FieldError[], field: string) {
  return errors.find((e) => e.field === field)?.message;
}

/** The fingerprint in groups of four, so a person can compare it with the provider's published one. */
function fingerprint(sha256: string): string {
  return sha256.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}

function FileField(props: { name: string; label: string; accept: string; error?: string | undefined }) {
  const { name, error } = props;
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={name}>{props.label}</label>
      {error && (
        <p class="field-error" id={`${name}-error`}>
          {error}
        </p>
      )}
      <input
        id={name}
        name={name}
        type="file"
        accept={props.accept}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${name}-error` : undefined}
      />
    </div>
  );
}

export function TrustedRootsPage(props: {
  t: Translate;
  csrfToken: string;
  roots: TrustedRootView[];
  crls: CrlView[];
  values: { name?: string | undefined };
  errors: FieldError[];
  notice?: string | undefined;
}) {
  const { t, errors } = props;
  const day = (at: Date) => vietnamTime(at).text.slice(9);
  return (
    <>
      <h1>{t('trust.title')}</h1>
      <p>{t('trust.intro')}</p>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <ErrorSummary t={t} errors={errors} />
      <h2>{t('trust.list')}</h2>
      {props.roots.length === 0 ? (
        <p>{t('trust.none')}</p>
      ) : (
        <div class="table-scroll" tabindex={0} role="region" aria-label={t('trust.list')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('trust.name')}</th>
                <th scope="col">{t('trust.subject')}</th>
                <th scope="col">{t('trust.validity')}</th>
                <th scope="col">{t('trust.fingerprint')}</th>
                <th scope="col">{t('trust.remove')}</th>
              </tr>
            </thead>
            <tbody>
              {props.roots.map((r) => (
                <tr key={r.id}>
                  <td>{r.name}</td>
                  <td>{r.subject}</td>
                  <td>{t('trust.validRange', { from: day(r.notBefore), to: day(r.notAfter) })}</td>
                  <td class="pre">{fingerprint(r.sha256)}</td>
                  <td>
                    <a href={`${PATH}/${r.id}/go`} aria-label={t('trust.removeNamed', { name: r.name })}>
                      {t('trust.remove')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 id="them">{t('trust.add')}</h2>
      <form method="post" action={PATH} enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <TextField
          name="name"
          label={t('trust.nameLabel')}
          hint={t('trust.nameHint')}
          value={props.values.name}
          error={errorOf(errors, 'name')}
          autocomplete="off"
        />
        <FileField
          name="certificate"
          label={t('trust.certificate')}
          accept=".cer,.crt,.pem,.der"
          error={errorOf(errors, 'certificate')}
        />
        <button type="submit">{t('trust.addSubmit')}</button>
      </form>
      <h2 id="crl">{t('trust.crlTitle')}</h2>
      <p>{t('trust.crlIntro')}</p>
      {props.crls.length === 0 ? (
        <p>{t('trust.crlNone')}</p>
      ) : (
        <div class="table-scroll" tabindex={0} role="region" aria-label={t('trust.crlTitle')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('trust.crlIssuer')}</th>
                <th scope="col">{t('trust.crlThisUpdate')}</th>
                <th scope="col">{t('trust.crlNextUpdate')}</th>
                <th scope="col">{t('trust.crlRevoked')}</th>
              </tr>
            </thead>
            <tbody>
              {props.crls.map((c) => (
                <tr key={c.id}>
                  <td>{c.issuerName}</td>
                  <td>{vietnamTime(c.thisUpdate).text}</td>
                  <td>{c.nextUpdate ? vietnamTime(c.nextUpdate).text : '—'}</td>
                  <td>{c.revokedCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form method="post" action={`${PATH}/crl`} enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <FileField
          name="crl"
          label={t('trust.crlFile')}
          accept=".crl,.pem,.der"
          error={errorOf(errors, 'crl')}
        />
        <FileField
          name="issuerCertificate"
          label={t('trust.crlIssuerCertificate')}
          accept=".cer,.crt,.pem,.der"
          error={errorOf(errors, 'issuerCertificate')}
        />
        <button type="submit">{t('trust.crlSubmit')}</button>
      </form>
    </>
  );
}

export function RemoveRootPage(props: { t: Translate; csrfToken: string; root: TrustedRootView }) {
  const { t, root } = props;
  return (
    <>
      <h1>{t('trust.confirmTitle')}</h1>
      <p>{t('trust.confirmText', { name: root.name })}</p>
      <dl class="summary stack">
        <dt>{t('trust.subject')}</dt>
        <dd>{root.subject}</dd>
        <dt>{t('trust.fingerprint')}</dt>
        <dd class="pre">{fingerprint(root.sha256)}</dd>
      </dl>
      <form method="post" action={`${PATH}/${root.id}/go`}>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <button type="submit" class="warning">
          {t('trust.confirmSubmit')}
        </button>{' '}
        <a href={PATH}>{t('trust.cancel')}</a>
      </form>
    </>
  );
}
