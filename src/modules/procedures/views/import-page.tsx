import type { Translate } from '../../../platform/i18n/index.ts';
import { ErrorSummary, TextField, type FieldError } from '../../../web/layout.tsx';
import type { ImportReport } from '../procedures.service.ts';

export function ImportPage(props: {
  t: Translate;
  csrfToken: string;
  errors: FieldError[];
  report?: ImportReport | undefined;
  values: { decision?: string; date?: string };
}) {
  const { t, report } = props;
  return (
    <>
      <h1>{t('import.title')}</h1>
      {report && report.status === 'rejected' && (
        <div class="error-summary" role="alert">
          <h2>{t('import.rejected', { count: report.errors.length })}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('import.row')}</th>
                <th scope="col">{t('import.column')}</th>
                <th scope="col">{t('import.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((e, i) => (
                <tr key={i}>
                  <td>{e.row || '—'}</td>
                  <td>{e.column}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report && report.status !== 'rejected' && (
        <div class="notice" role="status">
          <p>
            {t(report.dryRun ? 'import.dryRunDone' : 'import.done', {
              rows: report.rows,
              created: report.created,
              newVersions: report.newVersions,
              unchanged: report.unchanged,
              withdrawn: report.withdrawn,
            })}
          </p>
          {report.flagged.length > 0 && (
            <>
              <p>{t('import.flagged', { count: report.flagged.length })}</p>
              <ul>
                {report.flagged.slice(0, 100).map((f) => (
                  <li key={f.code}>
                    <a href={`/thu-tuc/${encodeURIComponent(f.code)}`}>{f.code}</a>: {f.problems.join(' | ')}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <ErrorSummary t={t} errors={props.errors} />
      <form method="post" action="/quan-tri/thu-tuc/nhap" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <div class={props.errors.some((e) => e.field === 'file') ? 'field invalid' : 'field'}>
          <label for="file">{t('import.file')}</label>
          <p class="hint" id="file-hint">
            {t('import.fileHint')}
          </p>
          {props.errors
            .filter((e) => e.field === 'file')
            .map((e) => (
              <p class="field-error" id="file-error" key="file">
                {e.message}
              </p>
            ))}
          <input id="file" name="file" type="file" accept=".json,.csv,.xlsx" aria-describedby="file-hint" />
        </div>
        <TextField
          name="decision"
          label={t('import.decision')}
          value={props.values.decision}
          autocomplete="off"
        />
        <TextField
          name="date"
          label={t('import.date')}
          value={props.values.date}
          error={props.errors.find((e) => e.field === 'date')?.message}
          autocomplete="off"
        />
        <div class="field">
          <input id="dryRun" name="dryRun" type="checkbox" value="1" />{' '}
          <label for="dryRun" class="inline-label">
            {t('import.dryRun')}
          </label>
        </div>
        <button type="submit">{t('import.submit')}</button>
      </form>
    </>
  );
}
