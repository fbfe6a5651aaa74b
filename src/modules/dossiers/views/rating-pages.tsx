// The counter tablet's rating page: the desk officer opens it for the dossier just returned and hands the tablet to
// the applicant, who taps one of three large buttons (QĐ 766 group 5, "mức độ hài lòng").
import type { Translate } from '../../../platform/i18n/index.ts';

export function CounterRatingPage(props: {
  t: Translate;
  csrfToken: string;
  code: string;
  procedureName: string;
  done?: string | undefined;
  problem?: string | undefined;
}) {
  const { t } = props;
  return (
    <>
      <h1>{t('dossier.tracking.rate')}</h1>
      <p>
        {t('dossier.code')}: <strong>{props.code}</strong> · {props.procedureName}
      </p>
      {props.done && (
        <p class="notice" role="status">
          {props.done}
        </p>
      )}
      {props.problem && (
        <div class="error-summary" role="alert">
          <p>{props.problem}</p>
        </div>
      )}
      {!props.done && (
        <form method="post" action={`/can-bo/danh-gia/${props.code}`} class="rating">
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <p>{t('dossier.tracking.rateIntro')}</p>
          <div class="field">
            <label for="comment">{t('dossier.tracking.comment')}</label>
            <textarea id="comment" name="comment" rows={2}></textarea>
          </div>
          <div class="actions">
            {(['satisfied', 'neutral', 'dissatisfied'] as const).map((r) => (
              <button
                key={r}
                type="submit"
                name="rating"
                value={r}
                class={r === 'dissatisfied' ? 'warning' : r === 'neutral' ? 'secondary' : undefined}
              >
                {t(`dossier.tracking.rating.${r}`)}
              </button>
            ))}
          </div>
        </form>
      )}
    </>
  );
}
