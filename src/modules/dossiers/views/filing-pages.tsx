// Citizens' pages for filing online, in the GOV.UK question-page style: one topic per page, a back link, the
// answer re-shown with its error next to it, plain HTML forms that work without JavaScript on a cheap phone.
import { formatVietnamDateTime } from '../../../platform/clock.ts';
import type { MessageKey, Translate } from '../../../platform/i18n/index.ts';
import { ErrorSummary, TextField, type FieldError } from '../../../web/layout.tsx';
import type { ApplicantData } from '../dossiers.repo.ts';
import { answerText, type Answers, type EFormField, type EFormPage } from '../eform.ts';

function errorOf(errors: FieldError[], field: string): string | undefined {
  return errors.find((e) => e.field === field)?.message;
}

function Back({ t, href }: { t: Translate; href: string }) {
  return (
    <p>
      <a class="back" href={href}>
        {t('filing.back')}
      </a>
    </p>
  );
}

/** "Sửa" beside an answer; a screen reader listing the page's links also hears which answer it changes. */
function Change({ t, href, what }: { t: Translate; href: string; what: string }) {
  return (
    <a href={href}>
      {t('filing.summary.change')}
      <span class="visually-hidden"> {what}</span>
    </a>
  );
}

function Hidden({ csrfToken }: { csrfToken: string }) {
  return <input type="hidden" name="_csrf" value={csrfToken} />;
}

export function FilingStartPage(props: {
  t: Translate;
  csrfToken: string | undefined;
  procedure: { code: string; name: string };
  components: { name: string; isRequired: boolean }[];
  signedInAs: string | null;
  step: 'choose' | 'code';
  contact: string;
  challengeId: string;
  errors: FieldError[];
  notice?: string | undefined;
}) {
  const { t, procedure } = props;
  const base = `/nop-ho-so/${encodeURIComponent(procedure.code)}`;
  return (
    <>
      <Back t={t} href={`/thu-tuc/${encodeURIComponent(procedure.code)}`} />
      <h1>{t('filing.start.title', { name: procedure.name })}</h1>
      <ErrorSummary t={t} errors={props.errors} />
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {props.step === 'choose' && (
        <>
          <p>{t('filing.start.intro')}</p>
          {props.components.length > 0 && (
            <>
              <h2>{t('filing.start.bring')}</h2>
              <ul>
                {props.components.map((c) => (
                  <li key={c.name}>
                    {c.name}
                    {c.isRequired ? '' : ` (${t('filing.optional')})`}
                  </li>
                ))}
              </ul>
            </>
          )}
          {props.signedInAs ? (
            <form method="post" action={`${base}/bat-dau`}>
              <Hidden csrfToken={props.csrfToken ?? ''} />
              <p>{t('filing.start.as', { name: props.signedInAs })}</p>
              <button type="submit">{t('filing.start.begin')}</button>
            </form>
          ) : (
            <>
              <h2>{t('filing.start.account')}</h2>
              <p>
                <a class="button" href={`/dang-nhap?next=${encodeURIComponent(base)}`}>
                  {t('nav.login')}
                </a>
              </p>
              <h2>{t('filing.start.guest')}</h2>
              <form method="post" action={`${base}/ma`}>
                <Hidden csrfToken={props.csrfToken ?? ''} />
                <TextField
                  name="contact"
                  type="text"
                  label={t('filing.start.contact')}
                  hint={t('filing.start.contactHint')}
                  value={props.contact}
                  error={errorOf(props.errors, 'contact')}
                  autocomplete="tel"
                />
                <button type="submit">{t('filing.start.sendCode')}</button>
              </form>
            </>
          )}
        </>
      )}
      {props.step === 'code' && (
        <form method="post" action={`${base}/xac-minh`}>
          <Hidden csrfToken={props.csrfToken ?? ''} />
          <input type="hidden" name="challengeId" value={props.challengeId} />
          <input type="hidden" name="contact" value={props.contact} />
          <TextField
            name="code"
            label={t('filing.start.code')}
            hint={t('filing.start.codeHint', { contact: props.contact })}
            error={errorOf(props.errors, 'code')}
            autocomplete="one-time-code"
          />
          <button type="submit">{t('filing.start.verify')}</button>
        </form>
      )}
    </>
  );
}

export function CentrePage(props: {
  t: Translate;
  csrfToken: string;
  draftId: string;
  communes: { code: string; name: string }[];
  value: string;
  errors: FieldError[];
}) {
  const { t } = props;
  const error = errorOf(props.errors, 'centre');
  return (
    <>
      <h1>{t('filing.centre.title')}</h1>
      <ErrorSummary t={t} errors={props.errors} />
      <form method="post" action={`/nop-ho-so/nhap/${props.draftId}/noi-nop`}>
        <Hidden csrfToken={props.csrfToken} />
        <div class={error ? 'field invalid' : 'field'}>
          <label for="centre">{t('filing.centre.label')}</label>
          <p class="hint" id="centre-hint">
            {t('filing.centre.hint')}
          </p>
          {error && (
            <p class="field-error" id="centre-error">
              {error}
            </p>
          )}
          <select
            id="centre"
            name="centre"
            aria-describedby={error ? 'centre-hint centre-error' : 'centre-hint'}
            aria-invalid={error ? 'true' : undefined}
          >
            <option value="">{t('filing.centre.choose')}</option>
            {props.communes.map((c) => (
              <option key={c.code} value={c.code} selected={c.code === props.value}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('filing.continue')}</button>
      </form>
    </>
  );
}

export function ApplicantPage(props: {
  t: Translate;
  csrfToken: string;
  draftId: string;
  back: string;
  values: Partial<ApplicantData>;
  errors: FieldError[];
}) {
  const { t, values, errors } = props;
  const f = (name: keyof ApplicantData) => errorOf(errors, `applicant.${name}`);
  return (
    <>
      <Back t={t} href={props.back} />
      <h1>{t('filing.applicant.title')}</h1>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={`/nop-ho-so/nhap/${props.draftId}/nguoi-nop`}>
        <Hidden csrfToken={props.csrfToken} />
        <TextField
          name="applicant.name"
          label={t('dossier.person.name')}
          value={values.name}
          error={f('name')}
          autocomplete="name"
        />
        <TextField
          name="applicant.idNumber"
          label={t('dossier.person.idNumber')}
          hint={t('dossier.person.idNumberHint')}
          value={values.idNumber}
          error={f('idNumber')}
          autocomplete="off"
        />
        <TextField
          name="applicant.address"
          label={t('dossier.person.address')}
          value={values.address}
          error={f('address')}
          autocomplete="street-address"
        />
        <TextField
          name="applicant.phone"
          type="tel"
          label={t('dossier.person.phone')}
          value={values.phone}
          error={f('phone')}
          autocomplete="tel"
        />
        <TextField
          name="applicant.email"
          type="email"
          label={t('dossier.person.email')}
          hint={t('dossier.person.emailHint')}
          value={values.email}
          error={f('email')}
          autocomplete="email"
        />
        <button type="submit">{t('filing.continue')}</button>
      </form>
    </>
  );
}

function QuestionField(props: {
  field: EFormField;
  value: string;
  error: string | undefined;
  single: boolean;
}) {
  const { field, value, error } = props;
  const id = field.name;
  const described =
    [field.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const hint = field.hint && (
    <p class="hint" id={`${id}-hint`}>
      {field.hint}
    </p>
  );
  const errorText = error && (
    <p class="field-error" id={`${id}-error`}>
      {error}
    </p>
  );
  if (field.kind === 'choice' || field.kind === 'yes_no') {
    return (
      <fieldset class={error ? 'field invalid' : 'field'} aria-describedby={described}>
        <legend>{field.label}</legend>
        {hint}
        {errorText}
        {field.options.map((o, i) => (
          <div class="choice" key={o.value}>
            <input type="radio" id={`${id}-${i}`} name={id} value={o.value} checked={value === o.value} />
            <label for={`${id}-${i}`}>{o.label}</label>
          </div>
        ))}
      </fieldset>
    );
  }
  const inputType =
    { date: 'date', email: 'email', integer: 'text', number: 'text' }[field.kind as string] ?? 'text';
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{field.label}</label>
      {hint}
      {errorText}
      {field.kind === 'textarea' ? (
        <textarea
          id={id}
          name={id}
          rows={5}
          aria-describedby={described}
          aria-invalid={error ? 'true' : undefined}
        >
          {value}
        </textarea>
      ) : (
        <input
          id={id}
          name={id}
          type={inputType}
          inputMode={field.kind === 'integer' || field.kind === 'number' ? 'numeric' : undefined}
          value={value}
          aria-describedby={described}
          aria-invalid={error ? 'true' : undefined}
        />
      )}
    </div>
  );
}

export function QuestionPage(props: {
  t: Translate;
  csrfToken: string;
  draftId: string;
  back: string;
  page: EFormPage;
  values: Record<string, string>;
  errors: FieldError[];
}) {
  const { t, page } = props;
  return (
    <>
      <Back t={t} href={props.back} />
      <h1>{page.title}</h1>
      {page.hint && <p>{page.hint}</p>}
      <ErrorSummary t={t} errors={props.errors} />
      <form
        method="post"
        action={`/nop-ho-so/nhap/${props.draftId}/cau-hoi/${encodeURIComponent(page.slug)}`}
      >
        <Hidden csrfToken={props.csrfToken} />
        {page.fields.map((f) => (
          <QuestionField
            key={f.name}
            field={f}
            value={props.values[f.name] ?? ''}
            error={errorOf(props.errors, f.name)}
            single={page.fields.length === 1}
          />
        ))}
        <button type="submit">{t('filing.continue')}</button>
      </form>
    </>
  );
}

export function DocumentsPage(props: {
  t: Translate;
  csrfToken: string;
  draftId: string;
  back: string;
  maxMiB: number;
  components: { position: number; name: string; isRequired: boolean; group: string | null }[];
  uploads: Record<string, { id: string; fileName: string }[]>;
  errors: FieldError[];
  notice?: string | undefined;
}) {
  const { t } = props;
  return (
    <>
      <Back t={t} href={props.back} />
      <h1>{t('filing.documents.title')}</h1>
      <p>{t('filing.documents.intro', { max: props.maxMiB })}</p>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <ErrorSummary t={t} errors={props.errors} />
      {props.components.length === 0 && <p>{t('filing.documents.none')}</p>}
      {props.components.map((c) => {
        const files = props.uploads[String(c.position)] ?? [];
        const field = `file-${c.position}`;
        const error = errorOf(props.errors, field);
        return (
          <section
            class={error ? 'component invalid' : 'component'}
            key={c.position}
            aria-labelledby={`c-${c.position}`}
          >
            <h2 id={`c-${c.position}`}>
              {c.position}. {c.name}
              {c.isRequired ? '' : ` (${t('filing.optional')})`}
            </h2>
            {c.group && <p class="meta">{c.group}</p>}
            {files.length > 0 && (
              <ul class="uploads">
                {files.map((f) => (
                  <li key={f.id}>
                    {t('dossier.intake.uploaded')}: {f.fileName}{' '}
                    <form
                      class="inline"
                      method="post"
                      action={`/nop-ho-so/nhap/${props.draftId}/giay-to/${c.position}/xoa`}
                    >
                      <Hidden csrfToken={props.csrfToken} />
                      <input type="hidden" name="uploadId" value={f.id} />
                      <button type="submit" class="link">
                        {t('filing.documents.remove', { name: f.fileName })}
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            )}
            <form
              method="post"
              action={`/nop-ho-so/nhap/${props.draftId}/giay-to/${c.position}`}
              enctype="multipart/form-data"
            >
              <Hidden csrfToken={props.csrfToken} />
              <div class={error ? 'field invalid' : 'field'}>
                <label for={field}>{t('filing.documents.choose', { name: c.name })}</label>
                {error && (
                  <p class="field-error" id={`${field}-error`}>
                    {error}
                  </p>
                )}
                <input
                  id={field}
                  name="file"
                  type="file"
                  accept="application/pdf,image/jpeg,image/png"
                  aria-describedby={error ? `${field}-error` : undefined}
                  aria-invalid={error ? 'true' : undefined}
                />
              </div>
              <button type="submit" class="secondary">
                {t('filing.documents.upload')}
              </button>
            </form>
          </section>
        );
      })}
      <p>
        <a class="button" href={`/nop-ho-so/nhap/${props.draftId}/kiem-tra`}>
          {t('filing.continue')}
        </a>
      </p>
    </>
  );
}

export function SummaryPage(props: {
  t: Translate;
  csrfToken: string;
  draftId: string;
  back: string;
  procedureName: string;
  centreName: string;
  applicant: Partial<ApplicantData>;
  pages: EFormPage[];
  answers: Answers;
  components: { position: number; name: string; isRequired: boolean }[];
  uploads: Record<string, { id: string; fileName: string }[]>;
  errors: FieldError[];
}) {
  const { t, applicant } = props;
  const base = `/nop-ho-so/nhap/${props.draftId}`;
  return (
    <>
      <Back t={t} href={props.back} />
      <h1>{t('filing.summary.title')}</h1>
      <ErrorSummary t={t} errors={props.errors} />
      <h2>{props.procedureName}</h2>
      <dl class="summary stack">
        <dt>{t('filing.centre.label')}</dt>
        <dd>
          {props.centreName || '—'} <Change t={t} href={`${base}/noi-nop`} what={t('filing.centre.label')} />
        </dd>
        <dt>{t('filing.applicant.title')}</dt>
        <dd>
          {[applicant.name, applicant.idNumber, applicant.address, applicant.phone, applicant.email]
            .filter(Boolean)
            .join(' · ') || '—'}{' '}
          <Change t={t} href={`${base}/nguoi-nop`} what={t('filing.applicant.title')} />
        </dd>
        {props.pages.flatMap((p) =>
          p.fields.map((f) => (
            <>
              <dt key={`${f.name}-t`}>{f.label}</dt>
              <dd key={`${f.name}-d`}>
                {answerText(f, props.answers[f.name])}{' '}
                <Change t={t} href={`${base}/cau-hoi/${encodeURIComponent(p.slug)}`} what={f.label} />
              </dd>
            </>
          )),
        )}
        {props.components.map((c) => (
          <>
            <dt key={`c${c.position}-t`}>{c.name}</dt>
            <dd key={`c${c.position}-d`}>
              {(props.uploads[String(c.position)] ?? []).map((u) => u.fileName).join(', ') ||
                t('filing.summary.noFile')}{' '}
              <Change t={t} href={`${base}/giay-to`} what={c.name} />
            </dd>
          </>
        ))}
      </dl>
      <form method="post" action={`${base}/nop`}>
        <Hidden csrfToken={props.csrfToken} />
        <p>{t('filing.summary.declaration')}</p>
        <button type="submit">{t('filing.summary.submit')}</button>
      </form>
    </>
  );
}

export function ConfirmationPage(props: {
  t: Translate;
  code: string;
  secret: string;
  procedureName: string;
  centreName: string;
  filedAt: string;
}) {
  const { t } = props;
  const query = `ma=${encodeURIComponent(props.secret)}`;
  return (
    <>
      <div class="panel" role="status">
        <h1>{t('filing.done.title')}</h1>
        <p>
          {t('dossier.code')}: <strong>{props.code}</strong>
        </p>
        <p>
          {t('dossier.tracking.secret')}: <strong>{props.secret}</strong>
        </p>
      </div>
      <p>
        {t('filing.done.when', {
          time: formatVietnamDateTime(new Date(props.filedAt)),
          centre: props.centreName,
        })}
      </p>
      <h2>{t('filing.done.next')}</h2>
      <ol>
        <li>{t('filing.done.step1', { centre: props.centreName })}</li>
        <li>{t('filing.done.step2')}</li>
        <li>{t('filing.done.step3')}</li>
      </ol>
      <ul>
        <li>
          <a href={`/nop-ho-so/da-nop/${props.code}/phieu.pdf?${query}`}>{t('filing.done.pdf')}</a>
        </li>
        <li>
          <a href={`/tra-cuu-ho-so/${props.code}?${query}`}>{t('filing.done.track')}</a>
        </li>
      </ul>
    </>
  );
}

export function MyDossiersPage(props: {
  t: Translate;
  drafts: { id: string; procedureName: string; updatedAt: Date }[];
  dossiers: { code: string; procedureName: string; status: string; filedAt: Date; trackingPath: string }[];
}) {
  const { t } = props;
  return (
    <>
      <h1>{t('filing.mine.title')}</h1>
      <h2>{t('filing.mine.drafts')}</h2>
      {props.drafts.length === 0 ? (
        <p>{t('filing.mine.noDrafts')}</p>
      ) : (
        <ul>
          {props.drafts.map((d) => (
            <li key={d.id}>
              <a href={`/nop-ho-so/nhap/${d.id}`}>{d.procedureName}</a>{' '}
              <span class="meta">
                {t('filing.mine.savedAt', { time: formatVietnamDateTime(d.updatedAt) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('filing.mine.dossiers')}</h2>
      {props.dossiers.length === 0 ? (
        <p>{t('filing.mine.noDossiers')}</p>
      ) : (
        <ul>
          {props.dossiers.map((d) => (
            <li key={d.code}>
              <a href={d.trackingPath}>{d.code}</a> · {d.procedureName} ·{' '}
              {t(`dossier.status.${d.status}` as MessageKey)}{' '}
              <span class="meta">{formatVietnamDateTime(d.filedAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
