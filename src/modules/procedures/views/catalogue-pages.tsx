import { formatVietnamDateTime } from '../../../platform/clock.ts';
import type { Translate } from '../../../platform/i18n/index.ts';
import { Pager } from '../../../web/layout.tsx';
import { REQUIRED_COMPONENTS, type RequiredComponent } from '../procedure-completeness.ts';
import type { ProcedureRecord } from '../procedure-record.ts';
import { describeFees, describeProcessingTime } from '../procedure-text.ts';

export interface CatalogueFilters {
  q: string;
  field: string;
  level: string;
  online: string;
  /** A commune code: only what that centre offers. */
  unit: string;
}

export interface CatalogueItem {
  code: string;
  name: string;
  field: string;
  onlineServiceLevel: string | null;
}

const LEVELS = ['xa', 'tinh', 'bo', 'khac'] as const;
const ONLINE = ['toan_trinh', 'mot_phan', 'none'] as const;

function pageHref(filters: CatalogueFilters, page: number): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.field) params.set('linh-vuc', filters.field);
  if (filters.level) params.set('cap', filters.level);
  if (filters.online) params.set('truc-tuyen', filters.online);
  if (filters.unit) params.set('xa', filters.unit);
  params.set('trang', String(page));
  return `/thu-tuc?${params.toString()}`;
}

export function CataloguePage(props: {
  t: Translate;
  filters: CatalogueFilters;
  centre?: { code: string; fullName: string } | undefined;
  fields: { field: string; n: number }[];
  items: CatalogueItem[];
  total: number;
  page: number;
  pages: number;
}) {
  const { t, filters } = props;
  return (
    <>
      <h1>
        {props.centre ? t('procedures.atCentre', { unit: props.centre.fullName }) : t('procedures.title')}
      </h1>
      {props.centre && (
        <p>
          <a href={`/don-vi-hanh-chinh/${props.centre.code}/thu-tuc.pdf`}>{t('procedures.centreSheet')}</a>
        </p>
      )}
      <form method="get" action="/thu-tuc" role="search">
        {props.centre && <input type="hidden" name="xa" value={props.centre.code} />}
        <div class="field">
          <label for="q">{t('procedures.searchLabel')}</label>
          <input id="q" name="q" type="search" value={filters.q} />
        </div>
        <div class="filters">
          <div class="field">
            <label for="linh-vuc">{t('procedures.filterField')}</label>
            <select id="linh-vuc" name="linh-vuc">
              <option value="">{t('procedures.any')}</option>
              {props.fields.map((f) => (
                <option key={f.field} value={f.field} selected={f.field === filters.field}>
                  {`${f.field} (${f.n})`}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="cap">{t('procedures.filterLevel')}</label>
            <select id="cap" name="cap">
              <option value="">{t('procedures.any')}</option>
              {LEVELS.map((l) => (
                <option key={l} value={l} selected={l === filters.level}>
                  {t(`procedures.level.${l}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="truc-tuyen">{t('procedures.filterOnline')}</label>
            <select id="truc-tuyen" name="truc-tuyen">
              <option value="">{t('procedures.any')}</option>
              {ONLINE.map((o) => (
                <option key={o} value={o} selected={o === filters.online}>
                  {t(`procedures.online.${o}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit">{t('procedures.searchButton')}</button>
      </form>
      <h2>{t('procedures.count', { count: props.total.toLocaleString('vi-VN') })}</h2>
      {props.items.length === 0 ? (
        <p>{t('procedures.none')}</p>
      ) : (
        <ul class="results">
          {props.items.map((p) => (
            <li key={p.code}>
              <a href={`/thu-tuc/${encodeURIComponent(p.code)}`}>{p.name}</a>
              <span class="meta">
                {p.code} · {p.field}
                {p.onlineServiceLevel && p.onlineServiceLevel !== 'none'
                  ? ` · ${t(`procedures.online.${p.onlineServiceLevel as 'mot_phan'}`)}`
                  : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      <Pager t={t} page={props.page} pages={props.pages} href={(n) => pageHref(filters, n)} />
    </>
  );
}

/** Plain words for a processing time; a text that could not be read is shown as written, with a caution. */
function timeText(t: Translate, rule: ProcedureRecord['channels'][number]['processingTime']): string {
  if (rule.parsed) return describeProcessingTime(rule);
  if (!rule.text.trim()) return t('procedures.timeNotPublished');
  return `${rule.text} (${t('procedures.timeUnclear')})`;
}

function copiesText(t: Translate, originals: number | null, copies: number | null): string {
  const parts = [];
  if (originals) parts.push(t('procedures.originals', { count: originals }));
  if (copies) parts.push(t('procedures.copies', { count: copies }));
  return parts.join(', ');
}

export function ProcedurePage(props: {
  t: Translate;
  record: ProcedureRecord;
  version: number;
  effectiveFrom: string;
  withdrawn: boolean;
  missingComponents: string[];
  hasUnparsedRules: boolean;
  /** "If received now": the due date per channel, when computable. */
  dueDates: { channel: string; receivedAt: string; ok: boolean; dueAt?: string | undefined }[];
}) {
  const { t, record } = props;
  const firstDue = props.dueDates.find((d) => d.ok && d.dueAt);
  const documents = record.components;
  const sameTime = new Set(record.channels.map((c) => c.processingTime.text)).size <= 1;
  const sameFees = new Set(record.channels.map((c) => JSON.stringify(c.fees.map((f) => f.text)))).size <= 1;
  const date = props.effectiveFrom.split('-').reverse().join('/');
  return (
    <>
      <h1>{record.name}</h1>
      {props.withdrawn && <p class="notice">{t('procedures.withdrawn')}</p>}
      {!props.withdrawn && record.channels.some((c) => c.channel === 'online') && (
        <p>
          <a class="button" href={`/nop-ho-so/${encodeURIComponent(record.code)}`}>
            {t('filing.procedureButton')}
          </a>
        </p>
      )}
      <dl class="summary">
        <dt>{t('procedures.code')}</dt>
        <dd>{record.code}</dd>
        <dt>{t('procedures.field')}</dt>
        <dd>{record.field}</dd>
      </dl>

      <h2>{t('procedures.howLong')}</h2>
      {record.channels.length === 0 ? (
        <p>—</p>
      ) : sameTime ? (
        <p>{timeText(t, record.channels[0]!.processingTime)}</p>
      ) : (
        <ul>
          {record.channels.map((c) => (
            <li key={c.channel}>
              {t(`procedures.channel.${c.channel}`)}: {timeText(t, c.processingTime)}
            </li>
          ))}
        </ul>
      )}

      {firstDue?.dueAt && (
        <p class="hint">
          {t('procedures.dueIfNow', { at: formatVietnamDateTime(new Date(firstDue.receivedAt)) })},{' '}
          {t('procedures.dueAt', { due: formatVietnamDateTime(new Date(firstDue.dueAt)) })}.
        </p>
      )}

      <h2>{t('procedures.howMuch')}</h2>
      {record.channels.length === 0 ? (
        <p>—</p>
      ) : sameFees ? (
        <p>{describeFees(record.channels[0]!.fees) || '—'}</p>
      ) : (
        <ul>
          {record.channels.map((c) => (
            <li key={c.channel}>
              {t(`procedures.channel.${c.channel}`)}: {describeFees(c.fees) || '—'}
            </li>
          ))}
        </ul>
      )}

      <h2>{t('procedures.whatToBring')}</h2>
      {documents.length === 0 ? (
        <p>{t('procedures.noComponents')}</p>
      ) : (
        <ul class="components">
          {documents.map((c, i) =>
            c.isHeading ? (
              <li key={i} class="heading">
                {c.name}
              </li>
            ) : (
              <li key={i}>
                {c.name}
                {copiesText(t, c.originals, c.copies) && (
                  <span class="meta"> ({copiesText(t, c.originals, c.copies)})</span>
                )}
                {c.templateName && (
                  <div class="meta">{t('procedures.template', { name: c.templateName })}</div>
                )}
              </li>
            ),
          )}
        </ul>
      )}

      <h2>{t('procedures.howToFile')}</h2>
      <ul>
        {record.channels.map((c) => (
          <li key={c.channel}>{t(`procedures.channel.${c.channel}`)}</li>
        ))}
      </ul>
      {record.implementingAgency && (
        <p>
          <strong>{t('procedures.agency')}:</strong> {record.implementingAgency}
        </p>
      )}
      {record.receivingAddress && (
        <p>
          <strong>{t('procedures.address')}:</strong> {record.receivingAddress}
        </p>
      )}

      {record.subjects.length > 0 && (
        <>
          <h2>{t('procedures.whoFor')}</h2>
          <p>{record.subjects.join('; ')}</p>
        </>
      )}
      {record.conditions && (
        <>
          <h2>{t('procedures.conditions')}</h2>
          <p class="pre">{record.conditions}</p>
        </>
      )}
      {record.steps && (
        <>
          <h2>{t('procedures.steps')}</h2>
          <p class="pre">{record.steps}</p>
        </>
      )}
      {record.results.length > 0 && (
        <>
          <h2>{t('procedures.results')}</h2>
          <ul>
            {record.results.map((r, i) => (
              <li key={i}>{r.name}</li>
            ))}
          </ul>
        </>
      )}
      {record.legalBases.length > 0 && (
        <>
          <h2>{t('procedures.legalBases')}</h2>
          <ul>
            {record.legalBases.map((l, i) => (
              <li key={i}>{l.title}</li>
            ))}
          </ul>
        </>
      )}
      {props.missingComponents.length > 0 && (
        <p class="hint">
          {t('procedures.missing', {
            items: props.missingComponents
              .map((m) => REQUIRED_COMPONENTS[m as RequiredComponent] ?? m)
              .join('; '),
          })}
        </p>
      )}
      {props.hasUnparsedRules && <p class="hint">{t('procedures.needsReview')}</p>}
      <p class="hint">
        {t('procedures.version', { version: props.version, date })}{' '}
        <a href={`/thu-tuc/${encodeURIComponent(record.code)}/phien-ban`}>{t('procedures.history')}</a>
      </p>
      <p>
        <a href={`/thu-tuc/${encodeURIComponent(record.code)}/ap-phich.pdf`}>{t('procedures.poster')}</a>
      </p>
    </>
  );
}

export function VersionsPage(props: {
  t: Translate;
  code: string;
  name: string;
  current: number;
  versions: { version: number; effectiveFrom: string; createdAt: string }[];
  formatTime: (iso: string) => string;
}) {
  const { t } = props;
  return (
    <>
      <h1>{t('procedures.versionsTitle', { code: props.code })}</h1>
      <p>
        <a href={`/thu-tuc/${encodeURIComponent(props.code)}`}>{props.name}</a>
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('procedures.versionLabel')}</th>
            <th scope="col">{t('procedures.effectiveFrom')}</th>
            <th scope="col">{t('procedures.recordedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {props.versions.map((v) => (
            <tr key={v.version}>
              <td>
                <a href={`/thu-tuc/${encodeURIComponent(props.code)}?phien-ban=${v.version}`}>{v.version}</a>
                {v.version === props.current ? ` (${t('procedures.current')})` : ''}
              </td>
              <td>{v.effectiveFrom.split('-').reverse().join('/')}</td>
              <td>{props.formatTime(v.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
