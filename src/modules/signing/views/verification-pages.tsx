// The public verification pages: a one-field upload form, and the report of each signature in plain Vietnamese.
// Citizen pages: no script, no images, a few hundred bytes of markup around the answer.
import { formatVietnamIso } from '../../../platform/clock.ts';
import type { MessageKey, Translate } from '../../../platform/i18n/index.ts';
import { ErrorSummary, type FieldError } from '../../../web/layout.tsx';
import type { IssuedFile } from '../issued-file.ts';
import type { SignatureReport, VerificationReport } from '../verify.ts';

/** "hh:mm:ss dd/mm/yyyy" in Vietnam time and the same instant in ISO 8601 with +07:00 (QĐ 144/2025 Điều 13). */
export function vietnamTime(at: Date | string): { text: string; iso: string } {
  const iso = formatVietnamIso(typeof at === 'string' ? new Date(at) : at);
  const [date, clock] = [iso.slice(0, 10).split('-'), iso.slice(11, 19)];
  return { text: `${clock} ${date[2]}/${date[1]}/${date[0]}`, iso };
}

function Time({ at }: { at: Date | string }) {
  const { text, iso } = vietnamTime(at);
  return (
    <>
      <time datetime={iso}>{text}</time> <span class="meta">({iso})</span>
    </>
  );
}

export function VerifyFormPage(props: {
  t: Translate;
  csrfToken: string;
  maxMiB: number;
  errors: FieldError[];
}) {
  const { t, errors } = props;
  const error = errors.find((e) => e.field === 'file')?.message;
  return (
    <>
      <h1>{t('verify.title')}</h1>
      <p>{t('verify.intro')}</p>
      <ErrorSummary t={t} errors={errors} />
      <VerifyForm t={t} csrfToken={props.csrfToken} maxMiB={props.maxMiB} error={error} />
    </>
  );
}

function VerifyForm(props: { t: Translate; csrfToken: string; maxMiB: number; error?: string | undefined }) {
  const { t, error } = props;
  return (
    <form method="post" action="/xac-minh" enctype="multipart/form-data">
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <div class={error ? 'field invalid' : 'field'}>
        <label for="file">{t('verify.file')}</label>
        <p class="hint" id="file-hint">
          {t('verify.fileHint', { limit: props.maxMiB })}
        </p>
        {error && (
          <p class="field-error" id="file-error">
            {error}
          </p>
        )}
        <input
          id="file"
          name="file"
          type="file"
          accept="application/pdf,.pdf"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'file-hint file-error' : 'file-hint'}
        />
      </div>
      <button type="submit">{t('verify.submit')}</button>
    </form>
  );
}

export function IssuedFileNotice({ t, issued }: { t: Translate; issued: IssuedFile | null }) {
  if (!issued) return <p class="notice">{t('verify.notIssued')}</p>;
  const kind = t(`verify.kind.${issued.kind}` as MessageKey);
  return (
    <div class="notice" role="status">
      <p>
        {t('verify.issued', {
          code: issued.dossierCode,
          kind,
          date: vietnamTime(issued.issuedAt).text,
        })}
      </p>
      <p>{t('verify.issuedUnit', { unit: issued.unitName, title: issued.title })}</p>
      {issued.trackingPath && (
        <p>
          <a href={issued.trackingPath}>{t('verify.tracking')}</a>
        </p>
      )}
    </div>
  );
}

function SignatureCard({ t, s }: { t: Translate; s: SignatureReport }) {
  const cert = s.signerCertificate;
  const yesNo = (ok: boolean, yes: MessageKey, no: MessageKey) => t(ok ? yes : no);
  return (
    <section class="card" aria-labelledby={`chu-ky-${s.index}`}>
      <h2 id={`chu-ky-${s.index}`}>
        {t('verify.signature', { index: s.index })}:{' '}
        {yesNo(s.isValid, 'verify.signatureValid', 'verify.signatureInvalid')}
      </h2>
      <dl class="summary stack">
        <dt>{t('verify.signer')}</dt>
        <dd>{cert?.commonName ?? s.signerName ?? '—'}</dd>
        <dt>{t('verify.organization')}</dt>
        <dd>{cert?.organization ?? '—'}</dd>
        <dt>{t('verify.issuer')}</dt>
        <dd>{cert?.issuer ?? '—'}</dd>
        <dt>{t('verify.claimedTime')}</dt>
        <dd>{s.claimedTime ? <Time at={s.claimedTime} /> : '—'}</dd>
        <dt>{t('verify.timestampTime')}</dt>
        <dd>
          {s.timestampTime ? <Time at={s.timestampTime} /> : t('verify.noTimestamp')}
          {s.isTimestampValid === false && ` ${t('verify.timestampInvalid')}`}
        </dd>
        <dt>{t('verify.integrity')}</dt>
        <dd>{yesNo(s.isDigestValid && s.isSignatureValid, 'verify.unchanged', 'verify.changed')}</dd>
        <dt>{t('verify.coverage')}</dt>
        <dd>{yesNo(s.coversWholeFile, 'verify.coversWhole', 'verify.coversPart')}</dd>
        <dt>{t('verify.trust')}</dt>
        <dd>{yesNo(s.isTrusted, 'verify.trusted', 'verify.untrusted')}</dd>
        <dt>{t('verify.validity')}</dt>
        <dd>
          {cert
            ? t(s.isCertificateValidAtSigning ? 'verify.validAtSigning' : 'verify.invalidAtSigning', {
                from: vietnamTime(cert.validFrom).text,
                to: vietnamTime(cert.validTo).text,
              })
            : '—'}
        </dd>
        <dt>{t('verify.keyUsage')}</dt>
        <dd>{cert ? yesNo(s.hasSigningKeyUsage, 'verify.keyUsageOk', 'verify.keyUsageBad') : '—'}</dd>
        <dt>{t('verify.revocation')}</dt>
        <dd>
          {t(`verify.revocation.${s.revocation}`, {
            time: s.revokedAt ? vietnamTime(s.revokedAt).text : '',
          })}
        </dd>
      </dl>
      {s.problems.length > 0 && (
        <>
          <h3>{t('verify.problems')}</h3>
          <ul>
            {s.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </>
      )}
      {s.notes.length > 0 && (
        <>
          <h3>{t('verify.notes')}</h3>
          <ul>
            {s.notes.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function VerificationReportPage(props: {
  t: Translate;
  report: VerificationReport;
  issuedFile: IssuedFile | null;
  /** The form to check another file, on the page reached by uploading. */
  form?: { csrfToken: string; maxMiB: number } | undefined;
  downloadPath?: string | undefined;
}) {
  const { t, report } = props;
  return (
    <>
      <h1>{t('verify.resultTitle')}</h1>
      <p class="notice" role="status">
        <strong>{t(report.isWhollyValid ? 'verify.whollyValid' : 'verify.notWhollyValid')}</strong>
      </p>
      {report.problems.length > 0 && (
        <ul>
          {report.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <IssuedFileNotice t={t} issued={props.issuedFile} />
      {props.downloadPath && (
        <p>
          <a href={props.downloadPath}>{t('verify.download')}</a>
        </p>
      )}
      {report.signatures.map((s) => (
        <SignatureCard key={s.index} t={t} s={s} />
      ))}
      <dl class="summary stack">
        <dt>{t('verify.fileSha256')}</dt>
        <dd>{report.sha256}</dd>
      </dl>
      {props.form && (
        <>
          <h2>{t('verify.another')}</h2>
          <VerifyForm t={t} csrfToken={props.form.csrfToken} maxMiB={props.form.maxMiB} />
        </>
      )}
    </>
  );
}

export function IssuedFileNotFoundPage({ t }: { t: Translate }) {
  return (
    <>
      <h1>{t('verify.notFoundTitle')}</h1>
      <p>{t('verify.notFound')}</p>
      <p>
        <a href="/xac-minh">{t('verify.title')}</a>
      </p>
    </>
  );
}
