import type { Translate } from '../../../platform/i18n/index.ts';

export interface OfferingRow {
  code: string;
  name: string;
  field: string;
  offered: boolean;
}

/** The province chooses which procedures a commune centre receives: one checkbox per procedure, by field. */
export function OfferingsPage(props: {
  t: Translate;
  csrfToken: string;
  unit: { code: string; fullName: string };
  rows: OfferingRow[];
  notice?: string | undefined;
}) {
  const { t } = props;
  const fields = [...new Set(props.rows.map((r) => r.field))];
  const offered = props.rows.filter((r) => r.offered).length;
  return (
    <>
      <h1>{t('offerings.title', { unit: props.unit.fullName })}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <p>{t('offerings.summary', { offered, total: props.rows.length })}</p>
      <p>
        <a href={`/thu-tuc?xa=${props.unit.code}`}>{t('offerings.publicList')}</a>
      </p>
      <form method="post" action={`/quan-tri/thu-tuc/don-vi/${props.unit.code}`}>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        {fields.map((field) => (
          <fieldset key={field} class="offerings">
            <legend>{field}</legend>
            {props.rows
              .filter((r) => r.field === field)
              .map((r) => (
                <div key={r.code} class="check">
                  <input type="checkbox" id={`p-${r.code}`} name="codes" value={r.code} checked={r.offered} />
                  <label for={`p-${r.code}`} class="inline-label">
                    {r.name} <span class="meta">{r.code}</span>
                  </label>
                </div>
              ))}
          </fieldset>
        ))}
        <input type="hidden" name="codes" value="" />
        <button type="submit">{t('offerings.save')}</button>
      </form>
    </>
  );
}
