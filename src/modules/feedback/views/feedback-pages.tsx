// PAKN pages: the public form and the published answers; the officers' list with each item's deadlines and actions.
import { formatVietnamDateTime } from '../../../platform/clock.ts';
import type { MessageKey, Translate } from '../../../platform/i18n/index.ts';
import { ErrorSummary, TextField, type FieldError } from '../../../web/layout.tsx';

function errorOf(errors: FieldError[], field: string) {
  return errors.find((e) => e.field === field)?.message;
}

export function FeedbackFormPage(props: {
  t: Translate;
  csrfToken: string;
  communes: { code: string; name: string }[];
  values: Record<string, string>;
  errors: FieldError[];
  sent?: { number: string; answerBy: Date } | undefined;
  published: { number: string; content: string; answer: string; publishedAt: Date }[];
}) {
  const { t, values, errors } = props;
  const contentError = errorOf(errors, 'content');
  const unitError = errorOf(errors, 'unitCode');
  return (
    <>
      <h1>{t('feedback.title')}</h1>
      <p>{t('feedback.intro')}</p>
      {props.sent && (
        <p class="notice" role="status">
          {t('feedback.sent', {
            number: props.sent.number,
            date: formatVietnamDateTime(props.sent.answerBy),
          })}
        </p>
      )}
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action="/phan-anh-kien-nghi">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <div class={unitError ? 'field invalid' : 'field'}>
          <label for="unitCode">{t('feedback.unit')}</label>
          {unitError && <p class="field-error">{unitError}</p>}
          <select id="unitCode" name="unitCode">
            <option value="">{t('filing.centre.choose')}</option>
            {props.communes.map((c) => (
              <option key={c.code} value={c.code} selected={c.code === values.unitCode}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset class="field">
          <legend>{t('feedback.kind')}</legend>
          {(['phan_anh', 'kien_nghi'] as const).map((k) => (
            <div class="choice" key={k}>
              <input
                type="radio"
                id={`kind-${k}`}
                name="kind"
                value={k}
                checked={(values.kind || 'phan_anh') === k}
              />
              <label for={`kind-${k}`}>{t(`feedback.kind.${k}`)}</label>
            </div>
          ))}
        </fieldset>
        <div class={contentError ? 'field invalid' : 'field'}>
          <label for="content">{t('feedback.content')}</label>
          {contentError && <p class="field-error">{contentError}</p>}
          <textarea id="content" name="content" rows={6} aria-invalid={contentError ? 'true' : undefined}>
            {values.content ?? ''}
          </textarea>
        </div>
        <TextField
          name="dossierCode"
          label={t('feedback.dossierCode')}
          hint={t('feedback.dossierCodeHint')}
          value={values.dossierCode}
          error={errorOf(errors, 'dossierCode')}
        />
        <TextField
          name="senderName"
          label={t('dossier.person.name')}
          value={values.senderName}
          error={errorOf(errors, 'senderName')}
          autocomplete="name"
        />
        <TextField
          name="senderContact"
          label={t('filing.start.contact')}
          hint={t('feedback.contactHint')}
          value={values.senderContact}
          error={errorOf(errors, 'senderContact')}
          autocomplete="tel"
        />
        <button type="submit">{t('feedback.submit')}</button>
      </form>
      {props.published.length > 0 && (
        <>
          <h2>{t('feedback.published')}</h2>
          {props.published.map((p) => (
            <article key={p.number} class="card">
              <h3>{p.number}</h3>
              <p>{p.content}</p>
              <p>
                <strong>{t('feedback.answer')}:</strong> {p.answer}
              </p>
              <p class="meta">{formatVietnamDateTime(p.publishedAt)}</p>
            </article>
          ))}
        </>
      )}
    </>
  );
}

export interface OfficerFeedback {
  id: string;
  number: string;
  kind: string;
  content: string;
  sender_name: string;
  sender_contact: string;
  dossier_code: string | null;
  status: string;
  received_at: Date;
  reject_by: Date;
  answer_by: Date;
  answer: string | null;
  rejection_reason: string | null;
  state: string | null;
  onTime: { reject: boolean | null; answer: boolean | null; publish: boolean | null };
}

export function FeedbackListPage(props: {
  t: Translate;
  csrfToken: string;
  unitCode: string;
  items: OfficerFeedback[];
  errors: FieldError[];
  errorId?: string | undefined;
}) {
  const { t } = props;
  return (
    <>
      <h1>{t('feedback.officerTitle')}</h1>
      {props.items.length === 0 && <p>{t('feedback.none')}</p>}
      {props.items.map((f) => (
        <article class="card" key={f.id}>
          <h2>
            {f.number} · {t(`feedback.kind.${f.kind}` as MessageKey)} ·{' '}
            {t(`feedback.status.${f.status}` as MessageKey)}
            {f.state && (
              <span class={`tag deadline-${f.state}`}> {t(`dossier.deadline.${f.state}` as MessageKey)}</span>
            )}
          </h2>
          <p>{f.content}</p>
          <p class="meta">
            {f.sender_name} · {f.sender_contact} ·{' '}
            {t('feedback.receivedAt', { date: formatVietnamDateTime(f.received_at) })}
            {f.dossier_code && ` · ${t('dossier.code')} ${f.dossier_code}`}
          </p>
          <p class="meta">
            {t('feedback.deadlines', {
              reject: formatVietnamDateTime(f.reject_by),
              answer: formatVietnamDateTime(f.answer_by),
            })}
          </p>
          {f.answer && (
            <p>
              <strong>{t('feedback.answer')}:</strong> {f.answer}
            </p>
          )}
          {f.rejection_reason && (
            <p>
              <strong>{t('feedback.rejected')}:</strong> {f.rejection_reason}
            </p>
          )}
          {props.errorId === f.id && <ErrorSummary t={t} errors={props.errors} />}
          {f.status === 'received' && (
            <>
              <form method="post" action={`/can-bo/phan-anh/${props.unitCode}/${f.id}/tra-loi`}>
                <input type="hidden" name="_csrf" value={props.csrfToken} />
                <div class="field">
                  <label for={`answer-${f.id}`}>{t('feedback.answer')}</label>
                  <textarea id={`answer-${f.id}`} name="text" rows={3}></textarea>
                </div>
                <button type="submit">{t('feedback.doAnswer')}</button>
              </form>
              <form method="post" action={`/can-bo/phan-anh/${props.unitCode}/${f.id}/tu-choi`}>
                <input type="hidden" name="_csrf" value={props.csrfToken} />
                <div class="field">
                  <label for={`reason-${f.id}`}>{t('feedback.rejectReason')}</label>
                  <textarea id={`reason-${f.id}`} name="text" rows={2}></textarea>
                </div>
                <button type="submit" class="warning">
                  {t('feedback.doReject')}
                </button>
              </form>
            </>
          )}
          {f.status === 'answered' && (
            <form method="post" action={`/can-bo/phan-anh/${props.unitCode}/${f.id}/cong-khai`}>
              <input type="hidden" name="_csrf" value={props.csrfToken} />
              <button type="submit">{t('feedback.doPublish')}</button>
            </form>
          )}
        </article>
      ))}
    </>
  );
}
