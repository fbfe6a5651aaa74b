// Officers' pages of the one-stop shop and the public tracking page: plain HTML forms, no JavaScript needed.
import { formatVietnamDateTime } from '../../../platform/clock.ts';
import type { MessageKey, Translate } from '../../../platform/i18n/index.ts';
import { ErrorSummary, Pager, TextField, type FieldError } from '../../../web/layout.tsx';
import type { DossierAction, DossierStatus } from '../dossier-workflow.ts';
import type { DossierView } from '../dossiers.service.ts';

function time(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  return formatVietnamDateTime(typeof iso === 'string' ? new Date(iso) : iso);
}

function errorOf(errors: FieldError[], field: string): string | undefined {
  return errors.find((e) => e.field === field)?.message;
}

function statusLabel(t: Translate, status: DossierStatus): string {
  return t(`dossier.status.${status}` as MessageKey);
}

function actionLabel(t: Translate, action: string): string {
  return t(`dossier.action.${action}` as MessageKey);
}

function DeadlineTag({ t, state }: { t: Translate; state: string | null }) {
  if (!state) return null;
  return <span class={`tag deadline-${state}`}>{t(`dossier.deadline.${state}` as MessageKey)}</span>;
}

function TextArea(props: {
  name: string;
  id?: string;
  label: string;
  hint?: string;
  value?: string;
  error?: string | undefined;
  rows?: number;
}) {
  const id = props.id ?? props.name;
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 3}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      >
        {props.value ?? ''}
      </textarea>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Queue

export interface QueueItem {
  code: string;
  procedureCode: string;
  procedureName: string;
  applicantName: string;
  channel: string;
  status: DossierStatus;
  assignedName: string | null;
  receivedAt: string | null;
  dueAt: string | null;
  deadlineState: string | null;
}

function FilterSelect(props: {
  name: string;
  label: string;
  anyLabel: string;
  options: readonly string[];
  value: string;
  optionLabel: (option: string) => string;
}) {
  return (
    <div class="field">
      <label for={props.name}>{props.label}</label>
      <select id={props.name} name={props.name}>
        <option value="">{props.anyLabel}</option>
        {props.options.map((o) => (
          <option key={o} value={o} selected={o === props.value}>
            {props.optionLabel(o)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function QueuePage(props: {
  t: Translate;
  scope: 'mine' | 'unit' | 'centre';
  unitCode: string;
  units: { code: string; name: string }[];
  filters: { status: string; channel: string; deadline: string; procedure: string; q: string };
  items: QueueItem[];
  total: number;
  isTotalCapped: boolean;
  page: number;
  pages: number;
  canReceive: boolean;
  canOversee: boolean;
  statuses: readonly DossierStatus[];
}) {
  const { t, filters } = props;
  const query = (extra: Record<string, string | number>) => {
    const params = new URLSearchParams({
      pham_vi: props.scope,
      don_vi: props.unitCode,
      ...(filters.status ? { trang_thai: filters.status } : {}),
      ...(filters.channel ? { kenh: filters.channel } : {}),
      ...(filters.deadline ? { han: filters.deadline } : {}),
      ...(filters.procedure ? { thu_tuc: filters.procedure } : {}),
      ...(filters.q ? { q: filters.q } : {}),
    });
    for (const [k, v] of Object.entries(extra)) params.set(k, String(v));
    return `/can-bo/ho-so?${params.toString()}`;
  };
  return (
    <>
      <h1>{t('dossier.queue.title')}</h1>
      <p>
        {props.canReceive && (
          <a class="button" href={`/can-bo/ho-so/tiep-nhan?don_vi=${props.unitCode}`}>
            {t('dossier.intake.start')}
          </a>
        )}{' '}
        <a href={`/can-bo/so-theo-doi?don_vi=${props.unitCode}`}>{t('dossier.register.title')}</a>
        {props.canOversee && (
          <>
            {' · '}
            <a href="/can-bo/tai-ho-so">{t('dossier.load.title')}</a>
          </>
        )}
      </p>
      <nav aria-label={t('dossier.queue.scopes')}>
        <ul class="tabs">
          {(['mine', 'unit', 'centre'] as const).map((s) => (
            <li key={s}>
              <a href={query({ pham_vi: s, trang: 1 })} aria-current={s === props.scope ? 'page' : undefined}>
                {t(`dossier.queue.scope.${s}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {/* On a phone the filters would fill the first screen: they fold away, and stay open while one is set. */}
      <details
        class="filter-panel"
        open={
          filters.status || filters.channel || filters.deadline || filters.procedure || filters.q
            ? true
            : undefined
        }
      >
        <summary>{t('dossier.queue.filters')}</summary>
        <form method="get" action="/can-bo/ho-so" class="filters">
          <input type="hidden" name="pham_vi" value={props.scope} />
          {props.units.length > 1 ? (
            <div class="field">
              <label for="don_vi">{t('dossier.queue.unit')}</label>
              <select id="don_vi" name="don_vi">
                {props.units.map((u) => (
                  <option key={u.code} value={u.code} selected={u.code === props.unitCode}>
                    {u.name}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <input type="hidden" name="don_vi" value={props.unitCode} />
          )}
          <FilterSelect
            name="trang_thai"
            label={t('dossier.queue.status')}
            anyLabel={t('dossier.queue.any')}
            options={props.statuses}
            value={filters.status}
            optionLabel={(o) => statusLabel(t, o as DossierStatus)}
          />
          <FilterSelect
            name="kenh"
            label={t('dossier.queue.channel')}
            anyLabel={t('dossier.queue.any')}
            options={['in_person', 'online', 'postal'] as const}
            value={filters.channel}
            optionLabel={(o) => t(`dossier.channel.${o}` as MessageKey)}
          />
          <FilterSelect
            name="han"
            label={t('dossier.queue.deadline')}
            anyLabel={t('dossier.queue.any')}
            options={['overdue', 'due_soon', 'on_track'] as const}
            value={filters.deadline}
            optionLabel={(o) => t(`dossier.deadline.${o}` as MessageKey)}
          />
          <div class="field">
            <label for="thu_tuc">{t('dossier.queue.procedure')}</label>
            <input id="thu_tuc" name="thu_tuc" type="text" value={filters.procedure} />
          </div>
          <div class="field">
            <label for="q">{t('dossier.queue.search')}</label>
            <input id="q" name="q" type="search" value={filters.q} />
          </div>
          <button type="submit">{t('dossier.queue.filter')}</button>
        </form>
      </details>
      <p class="meta">
        {props.isTotalCapped
          ? t('dossier.queue.totalCapped', { count: props.total.toLocaleString('vi-VN') })
          : t('dossier.queue.total', { count: props.total.toLocaleString('vi-VN') })}
      </p>
      {props.items.length === 0 ? (
        <p>{t('dossier.queue.empty')}</p>
      ) : (
        <table class="queue">
          <caption class="visually-hidden">{t('dossier.queue.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dossier.code')}</th>
              <th scope="col">{t('dossier.procedure')}</th>
              <th scope="col">{t('dossier.applicant')}</th>
              <th scope="col">{t('dossier.status')}</th>
              <th scope="col">{t('dossier.dueAt')}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((d) => (
              <tr key={d.code} class={d.deadlineState === 'overdue' ? 'overdue' : undefined}>
                <td>
                  <a href={`/can-bo/ho-so/${d.code}`}>{d.code}</a>
                </td>
                <td>{d.procedureName}</td>
                <td>{d.applicantName}</td>
                <td data-label={t('dossier.status')}>
                  {statusLabel(t, d.status)}
                  {d.assignedName && <span class="meta"> · {d.assignedName}</span>}
                </td>
                <td data-label={t('dossier.dueAt')}>
                  {time(d.dueAt)} <DeadlineTag t={t} state={d.deadlineState} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager t={t} page={props.page} pages={props.pages} href={(p) => query({ trang: p })} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Intake

export function IntakeChoosePage(props: {
  t: Translate;
  unitCode: string;
  q: string;
  procedures: { code: string; name: string; field: string }[];
}) {
  const { t } = props;
  return (
    <>
      <h1>{t('dossier.intake.title')}</h1>
      <p>{t('dossier.intake.choose')}</p>
      <form method="get" action="/can-bo/ho-so/tiep-nhan" class="search">
        <input type="hidden" name="don_vi" value={props.unitCode} />
        <label for="q">{t('dossier.intake.searchProcedure')}</label>
        <input id="q" name="q" type="search" value={props.q} />
        <button type="submit">{t('units.searchButton')}</button>
      </form>
      {props.procedures.length === 0 && (
        <p>{props.q ? t('dossier.intake.noneFound') : t('dossier.intake.noneOffered')}</p>
      )}
      <ul class="results">
        {props.procedures.map((p) => (
          <li key={p.code}>
            <a
              href={`/can-bo/ho-so/tiep-nhan?don_vi=${props.unitCode}&thu_tuc=${encodeURIComponent(p.code)}`}
            >
              {p.name}
            </a>
            <span class="meta">
              {' '}
              {p.code} · {p.field}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

export interface IntakeValues {
  channel: string;
  applicantKind: string;
  applicant: Record<string, string>;
  hasRepresentative: boolean;
  representative: Record<string, string>;
  requestSummary: string;
  setsCount: string;
  returnMethod: string;
  processingUnitCode: string;
  manualDueAt: string;
  reasons: string;
  components: Record<
    number,
    { provided: boolean; digitisation: string; uploads: { id: string; fileName: string }[] }
  >;
}

export function emptyIntakeValues(unitCode: string): IntakeValues {
  return {
    channel: 'in_person',
    applicantKind: 'person',
    applicant: {},
    hasRepresentative: false,
    representative: {},
    requestSummary: '',
    setsCount: '1',
    returnMethod: 'at_centre',
    processingUnitCode: unitCode,
    manualDueAt: '',
    reasons: '',
    components: {},
  };
}

const DIGITISATION = ['scanned', 'shown_only', 'verification_result', 'secret', 'electronic'] as const;

function PersonFields(props: {
  t: Translate;
  prefix: 'applicant' | 'representative';
  values: Record<string, string>;
  errors: FieldError[];
}) {
  const { t, prefix, values, errors } = props;
  const f = (name: string) => `${prefix}.${name}`;
  return (
    <>
      <TextField
        name={f('name')}
        label={t('dossier.person.name')}
        value={values.name}
        error={errorOf(errors, f('name'))}
      />
      <TextField
        name={f('idNumber')}
        label={t('dossier.person.idNumber')}
        hint={t('dossier.person.idNumberHint')}
        value={values.idNumber}
        error={errorOf(errors, f('idNumber'))}
      />
      <TextField
        name={f('address')}
        label={t('dossier.person.address')}
        value={values.address}
        error={errorOf(errors, f('address'))}
      />
      <TextField
        name={f('phone')}
        type="tel"
        label={t('dossier.person.phone')}
        value={values.phone}
        error={errorOf(errors, f('phone'))}
        autocomplete="off"
      />
      <TextField
        name={f('email')}
        type="email"
        label={t('dossier.person.email')}
        hint={t('dossier.person.emailHint')}
        value={values.email}
        error={errorOf(errors, f('email'))}
        autocomplete="off"
      />
    </>
  );
}

export function IntakeFormPage(props: {
  t: Translate;
  csrfToken: string;
  transactionId: string;
  unitCode: string;
  procedure: { code: string; name: string; channels: string[] };
  components: { position: number; name: string; isRequired: boolean; group: string | null }[];
  duePreview: string | null;
  dueNotComputable: string | null;
  communes: { code: string; name: string }[];
  values: IntakeValues;
  errors: FieldError[];
}) {
  const { t, values, errors } = props;
  return (
    <>
      <h1>{t('dossier.intake.title')}</h1>
      <p class="meta">
        {props.procedure.name} ({props.procedure.code}) ·{' '}
        <a href={`/can-bo/ho-so/tiep-nhan?don_vi=${props.unitCode}`}>{t('dossier.intake.changeProcedure')}</a>
      </p>
      {props.duePreview && <p class="notice">{props.duePreview}</p>}
      <ErrorSummary t={t} errors={errors} />
      <form
        method="post"
        action={`/can-bo/ho-so/tiep-nhan?don_vi=${props.unitCode}`}
        enctype="multipart/form-data"
      >
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="_txn" value={props.transactionId} />
        <input type="hidden" name="procedureCode" value={props.procedure.code} />

        <fieldset>
          <legend>{t('dossier.intake.channel')}</legend>
          {props.procedure.channels.map((c) => (
            <div class="choice" key={c}>
              <input
                type="radio"
                id={`channel-${c}`}
                name="channel"
                value={c}
                checked={values.channel === c}
              />
              <label for={`channel-${c}`}>{t(`dossier.channel.${c}` as MessageKey)}</label>
            </div>
          ))}
        </fieldset>

        <fieldset>
          <legend>{t('dossier.intake.applicant')}</legend>
          <div class="choice">
            <input
              type="radio"
              id="kind-person"
              name="applicantKind"
              value="person"
              checked={values.applicantKind !== 'organisation'}
            />
            <label for="kind-person">{t('dossier.person.kindPerson')}</label>
          </div>
          <div class="choice">
            <input
              type="radio"
              id="kind-organisation"
              name="applicantKind"
              value="organisation"
              checked={values.applicantKind === 'organisation'}
            />
            <label for="kind-organisation">{t('dossier.person.kindOrganisation')}</label>
          </div>
          <PersonFields t={t} prefix="applicant" values={values.applicant} errors={errors} />
        </fieldset>

        <fieldset>
          <legend>{t('dossier.intake.representative')}</legend>
          <div class="choice">
            <input
              type="checkbox"
              id="hasRepresentative"
              name="hasRepresentative"
              value="1"
              checked={values.hasRepresentative}
            />
            <label for="hasRepresentative">{t('dossier.intake.hasRepresentative')}</label>
          </div>
          <PersonFields t={t} prefix="representative" values={values.representative} errors={errors} />
          <TextField
            name="representative.authorisationDocument"
            label={t('dossier.person.authorisation')}
            value={values.representative.authorisationDocument}
            error={errorOf(errors, 'representative.authorisationDocument')}
          />
        </fieldset>

        <fieldset>
          <legend>{t('dossier.intake.components')}</legend>
          <p class="hint">{t('dossier.intake.componentsHint')}</p>
          {errorOf(errors, 'components') && (
            <p class="field-error" id="components">
              {errorOf(errors, 'components')}
            </p>
          )}
          {props.components.map((c) => {
            const v = values.components[c.position] ?? {
              provided: false,
              digitisation: 'scanned',
              uploads: [],
            };
            const id = `components.${c.position}`;
            const fileError = errorOf(errors, `${id}.files`);
            const digitisationError = errorOf(errors, `${id}.digitisation`);
            const error = errorOf(errors, id);
            // Every component has its own "Số hóa" and "Bản quét": the hidden words say which one a control is for.
            const whichComponent = (
              <span class="visually-hidden">
                : {c.position}. {c.name}
              </span>
            );
            return (
              <div
                class={error || fileError || digitisationError ? 'component invalid' : 'component'}
                key={c.position}
              >
                {c.group && <p class="meta">{c.group}</p>}
                {error && (
                  <p class="field-error" id={`${id}-error`}>
                    {error}
                  </p>
                )}
                <div class="choice">
                  <input
                    type="checkbox"
                    id={id}
                    name={`c${c.position}.provided`}
                    value="1"
                    checked={v.provided}
                    aria-invalid={error ? 'true' : undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                  />
                  <label for={id}>
                    {c.position}. {c.name}
                    {c.isRequired && <strong> ({t('dossier.intake.required')})</strong>}
                  </label>
                </div>
                <div class={digitisationError ? 'field invalid' : 'field'}>
                  <label for={`${id}.digitisation`}>
                    {t('dossier.intake.digitisation')}
                    {whichComponent}
                  </label>
                  {digitisationError && (
                    <p class="field-error" id={`${id}.digitisation-error`}>
                      {digitisationError}
                    </p>
                  )}
                  <select
                    id={`${id}.digitisation`}
                    name={`c${c.position}.digitisation`}
                    aria-invalid={digitisationError ? 'true' : undefined}
                    aria-describedby={digitisationError ? `${id}.digitisation-error` : undefined}
                  >
                    {DIGITISATION.map((d) => (
                      <option key={d} value={d} selected={v.digitisation === d}>
                        {t(`dossier.digitisation.${d}`)}
                      </option>
                    ))}
                  </select>
                </div>
                {v.uploads.length > 0 && (
                  <ul class="uploads">
                    {v.uploads.map((u) => (
                      <li key={u.id}>
                        {t('dossier.intake.uploaded')}: {u.fileName}
                        <input type="hidden" name={`c${c.position}.uploads`} value={u.id} />
                      </li>
                    ))}
                  </ul>
                )}
                <div class={fileError ? 'field invalid' : 'field'}>
                  <label for={`${id}.files`}>
                    {t('dossier.intake.scan')}
                    {whichComponent}
                  </label>
                  {fileError && (
                    <p class="field-error" id={`${id}.files-error`}>
                      {fileError}
                    </p>
                  )}
                  <input
                    id={`${id}.files`}
                    name={`c${c.position}.file`}
                    type="file"
                    accept="application/pdf,image/jpeg,image/png"
                    multiple
                    aria-invalid={fileError ? 'true' : undefined}
                    aria-describedby={fileError ? `${id}.files-error` : undefined}
                  />
                </div>
              </div>
            );
          })}
        </fieldset>

        <fieldset>
          <legend>{t('dossier.intake.details')}</legend>
          <TextArea
            name="requestSummary"
            label={t('dossier.intake.requestSummary')}
            hint={t('dossier.intake.requestSummaryHint')}
            value={values.requestSummary}
            error={errorOf(errors, 'requestSummary')}
          />
          <TextField
            name="setsCount"
            label={t('dossier.intake.setsCount')}
            value={values.setsCount}
            error={errorOf(errors, 'setsCount')}
          />
          <div class="field">
            <label for="returnMethod">{t('dossier.intake.returnMethod')}</label>
            <select id="returnMethod" name="returnMethod">
              {(['at_centre', 'postal', 'online'] as const).map((m) => (
                <option key={m} value={m} selected={values.returnMethod === m}>
                  {t(`dossier.returnMethod.${m}`)}
                </option>
              ))}
            </select>
          </div>
          <div class={errorOf(errors, 'processingUnitCode') ? 'field invalid' : 'field'}>
            <label for="processingUnitCode">{t('dossier.intake.processingUnit')}</label>
            <p class="hint" id="processingUnitCode-hint">
              {t('dossier.intake.processingUnitHint')}
            </p>
            {errorOf(errors, 'processingUnitCode') && (
              <p class="field-error">{errorOf(errors, 'processingUnitCode')}</p>
            )}
            <select
              id="processingUnitCode"
              name="processingUnitCode"
              aria-describedby="processingUnitCode-hint"
            >
              {props.communes.map((u) => (
                <option key={u.code} value={u.code} selected={values.processingUnitCode === u.code}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
          {props.dueNotComputable && (
            <div class={errorOf(errors, 'manualDueAt') ? 'field invalid' : 'field'}>
              <label for="manualDueAt">{t('dossier.intake.manualDueAt')}</label>
              <p class="hint">{props.dueNotComputable}</p>
              {errorOf(errors, 'manualDueAt') && <p class="field-error">{errorOf(errors, 'manualDueAt')}</p>}
              <input id="manualDueAt" name="manualDueAt" type="datetime-local" value={values.manualDueAt} />
            </div>
          )}
        </fieldset>

        <fieldset>
          <legend>{t('dossier.intake.decision')}</legend>
          <TextArea
            name="reasons"
            label={t('dossier.intake.reasons')}
            hint={t('dossier.intake.reasonsHint')}
            value={values.reasons}
            error={errorOf(errors, 'reasons')}
          />
          <div class="actions">
            <button type="submit" name="decision" value="receive">
              {t('dossier.intake.receive')}
            </button>{' '}
            <button type="submit" name="decision" value="request_completion" class="secondary">
              {t('dossier.intake.requestCompletion')}
            </button>{' '}
            <button type="submit" name="decision" value="refuse_at_intake" class="warning">
              {t('dossier.intake.refuse')}
            </button>
          </div>
        </fieldset>
      </form>
    </>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// One dossier

export interface DossierPageData {
  dossier: DossierView;
  statusLabel: string;
  receivingUnit: { code: string; fullName: string };
  processingUnit: { code: string; fullName: string };
  actions: {
    seq: number;
    action: string;
    at: string;
    actor_name: string;
    status_after: DossierStatus;
    details: Record<string, unknown>;
  }[];
  components: { position: number; name: string; is_provided: boolean; digitisation: string }[];
  files: {
    id: string;
    kind: string;
    component_position: number | null;
    file_name: string;
    size_bytes: number;
  }[];
  allowedActions: DossierAction[];
  assignees: { id: string; fullName: string }[];
  signedDocuments: SignedDocumentData[];
  controlSlip: {
    step: string;
    handedAt: Date;
    result: string | null;
    giver: { name: string };
    receiver: { name: string };
    note: string;
  }[];
}

interface SignedDocumentData {
  id: string;
  kind: 'receipt' | 'result';
  title: string;
  status: 'pending' | 'signed' | 'failed';
  steps: { role: string; holder: { name: string } }[];
  doneSteps: number;
  currentSha256: string | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  signatures: { role: string; signer: string; at: string; timestamped: boolean }[];
  fileId: string | null;
}

/**
 * The documents xaso signs for this dossier and how far each is: signed (every signature verified), waiting, or
 * failed with the reason and the time of the next try, and a button to try again now. Never "signed" before it is.
 */
function SigningSection(props: {
  t: Translate;
  code: string;
  documents: SignedDocumentData[];
  csrfToken: string;
}) {
  const { t } = props;
  if (props.documents.length === 0) return null;
  return (
    <section aria-labelledby="signing-heading">
      <h2 id="signing-heading">{t('signing.section')}</h2>
      <ul class="stack">
        {props.documents.map((d) => (
          <li key={d.id}>
            <strong>{d.title}</strong>:{' '}
            {d.status === 'signed' ? (
              <>
                {t('signing.status.signed')}{' '}
                <a href={`/xac-minh/${d.currentSha256}`}>{t('signing.verifyLink')}</a>
              </>
            ) : d.status === 'failed' ? (
              <span class="field-error">{t('signing.status.failed')}</span>
            ) : (
              t('signing.status.pending')
            )}
            <ul>
              {d.steps.map((step, index) => {
                const done = d.signatures[index];
                return (
                  <li key={index}>
                    {t(`signing.role.${step.role}` as MessageKey)}: {step.holder.name} —{' '}
                    {done
                      ? t(done.timestamped ? 'signing.step.doneTimestamped' : 'signing.step.done', {
                          time: time(done.at),
                        })
                      : t('signing.step.waiting')}
                  </li>
                );
              })}
            </ul>
            {d.status === 'failed' && (
              <>
                <p class="field-error" role="alert">
                  {d.lastError}
                </p>
                {d.nextAttemptAt && (
                  <p class="meta">{t('signing.nextAttempt', { time: time(d.nextAttemptAt) })}</p>
                )}
              </>
            )}
            {d.status !== 'signed' && (
              <form method="post" action={`/can-bo/ho-so/${props.code}/ky-so/${d.id}`}>
                <input type="hidden" name="_csrf" value={props.csrfToken} />
                <button type="submit">{t('signing.retry')}</button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function detailsText(t: Translate, details: Record<string, unknown>): string {
  const parts: string[] = [];
  const list = (v: unknown) => (Array.isArray(v) ? v.join('; ') : '');
  if (details.assignee && typeof details.assignee === 'object')
    parts.push(`${t('dossier.detail.assignee')}: ${(details.assignee as { name: string }).name}`);
  if (details.items) parts.push(`${t('dossier.detail.items')}: ${list(details.items)}`);
  if (details.reasons) parts.push(`${t('dossier.detail.reasons')}: ${list(details.reasons)}`);
  if (typeof details.note === 'string') parts.push(details.note);
  if (typeof details.toUnit === 'string') parts.push(`${t('dossier.detail.toUnit')}: ${details.toUnit}`);
  if (typeof details.newDueAt === 'string')
    parts.push(`${t('dossier.detail.newDueAt')}: ${time(details.newDueAt)}`);
  if (typeof details.dueAtAfter === 'string')
    parts.push(`${t('dossier.detail.newDueAt')}: ${time(details.dueAtAfter)}`);
  if (details.countsAsLate) parts.push(t('dossier.detail.countsAsLate'));
  return parts.join(' · ');
}

const FORMS: { number: string; when: (d: DossierPageData) => boolean }[] = [
  { number: '01', when: (d) => d.actions.some((a) => a.action === 'receive') },
  {
    number: '02',
    when: (d) =>
      d.actions.some((a) => a.action === 'request_supplement' || a.action === 'request_completion'),
  },
  {
    number: '03',
    when: (d) => d.actions.some((a) => a.action === 'refuse' || a.action === 'refuse_at_intake'),
  },
  { number: '04', when: (d) => d.actions.some((a) => a.action === 'reschedule') },
  { number: '05', when: (d) => d.actions.some((a) => a.action === 'stop') },
  { number: '06', when: (d) => d.actions.some((a) => a.action === 'receive') },
];

function ActionForm(props: {
  t: Translate;
  action: DossierAction;
  data: DossierPageData;
  csrfToken: string;
  transactionId: string;
  errors: FieldError[];
  communes: { code: string; name: string }[];
}) {
  const { t, action, data, errors } = props;
  const code = data.dossier.code;
  const kebab = action.replace(/_/g, '-');
  const id = (name: string) => `${kebab}-${name}`;
  const err = (name: string) => errorOf(errors, name);
  const fields = () => {
    switch (action) {
      case 'assign':
        return (
          <div class={err('assigneeId') ? 'field invalid' : 'field'}>
            <label for={id('assigneeId')}>{t('dossier.detail.assignee')}</label>
            {err('assigneeId') && <p class="field-error">{err('assigneeId')}</p>}
            <select id={id('assigneeId')} name="assigneeId">
              {data.assignees.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.fullName}
                </option>
              ))}
            </select>
          </div>
        );
      case 'process':
        return <TextArea id={id('note')} name="note" label={t('dossier.form.note')} error={err('note')} />;
      case 'request_supplement':
        return (
          <>
            <TextArea
              id={id('items')}
              name="items"
              label={t('dossier.form.items')}
              hint={t('dossier.form.onePerLine')}
              error={err('items')}
            />
            <TextArea id={id('note')} name="note" label={t('dossier.form.reasonOptional')} />
          </>
        );
      case 'reject':
      case 'refuse':
      case 'stop':
      case 'withdraw':
      case 'return_online':
        return (
          <TextArea
            id={id('reasons')}
            name="reasons"
            label={t('dossier.form.reasons')}
            hint={t('dossier.form.onePerLine')}
            error={err('reasons')}
          />
        );
      case 'transfer':
        return (
          <>
            <div class={err('unitCode') ? 'field invalid' : 'field'}>
              <label for={id('unitCode')}>{t('dossier.form.transferTo')}</label>
              {err('unitCode') && <p class="field-error">{err('unitCode')}</p>}
              <select id={id('unitCode')} name="unitCode">
                {props.communes
                  .filter((c) => c.code !== data.dossier.processingUnitCode)
                  .map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.name}
                    </option>
                  ))}
              </select>
            </div>
            <TextArea
              id={id('reasons')}
              name="reasons"
              label={t('dossier.form.reasons')}
              error={err('reasons')}
            />
          </>
        );
      case 'reschedule':
        return (
          <>
            <div class={err('newDueAt') ? 'field invalid' : 'field'}>
              <label for={id('newDueAt')}>{t('dossier.form.newDueAt')}</label>
              {err('newDueAt') && <p class="field-error">{err('newDueAt')}</p>}
              <input id={id('newDueAt')} name="newDueAt" type="datetime-local" />
            </div>
            <TextArea
              id={id('reasons')}
              name="reasons"
              label={t('dossier.form.delayReason')}
              error={err('reasons')}
            />
          </>
        );
      case 'issue_result':
        return (
          <>
            <p class="hint">{t('dossier.form.resultHint')}</p>
            <div class={err('uploadId') ? 'field invalid' : 'field'}>
              <label for={id('file')}>{t('dossier.form.resultFile')}</label>
              {err('uploadId') && <p class="field-error">{err('uploadId')}</p>}
              <input id={id('file')} name="file" type="file" accept="application/pdf,image/jpeg,image/png" />
            </div>
            <TextField name="resultTitle" label={t('dossier.form.resultTitle')} error={err('resultTitle')} />
            <TextArea
              id={id('content')}
              name="resultContent"
              label={t('dossier.form.resultContent')}
              error={err('resultContent')}
              rows={5}
            />
          </>
        );
      default:
        return <TextArea id={id('note')} name="note" label={t('dossier.form.noteOptional')} />;
    }
  };
  return (
    <details class="action" open={errors.length > 0 ? true : undefined}>
      <summary>{actionLabel(t, action)}</summary>
      <form
        method="post"
        action={`/can-bo/ho-so/${code}/${kebab}`}
        enctype={action === 'issue_result' ? 'multipart/form-data' : undefined}
      >
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="_txn" value={props.transactionId} />
        <input type="hidden" name="version" value={String(data.dossier.version)} />
        {fields()}
        <button type="submit">{actionLabel(t, action)}</button>
      </form>
    </details>
  );
}

export function DossierPage(props: {
  t: Translate;
  data: DossierPageData;
  csrfToken: string;
  transactionIds: Record<string, string>;
  notice?: string | undefined;
  problem?: string | undefined;
  errorAction?: string | undefined;
  errors: FieldError[];
  communes: { code: string; name: string }[];
}) {
  const { t, data } = props;
  const d = data.dossier;
  const componentFiles = (position: number) =>
    data.files.filter((f) => f.kind === 'component' && f.component_position === position);
  const results = data.files.filter((f) => f.kind === 'result');
  return (
    <>
      <h1>
        {t('dossier.detail.title')} {d.code}
      </h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {props.problem && (
        <div class="error-summary" role="alert">
          <p>{props.problem}</p>
        </div>
      )}
      <dl class="summary stack">
        <dt>{t('dossier.status')}</dt>
        <dd>
          {data.statusLabel} <DeadlineTag t={t} state={d.deadlineState} />
        </dd>
        <dt>{t('dossier.procedure')}</dt>
        <dd>
          {d.procedure.name} ({d.procedure.code},{' '}
          {t('dossier.detail.version', { version: d.procedure.version })})
        </dd>
        <dt>{t('dossier.applicant')}</dt>
        <dd>
          {d.applicant.name} · {d.applicant.idNumber} · {d.applicant.address} · {d.applicant.phone}
          {d.applicant.email ? ` · ${d.applicant.email}` : ''}
        </dd>
        {d.representative && (
          <>
            <dt>{t('dossier.intake.representative')}</dt>
            <dd>
              {d.representative.name} · {d.representative.idNumber} · {d.representative.authorisationDocument}
            </dd>
          </>
        )}
        <dt>{t('dossier.intake.channel')}</dt>
        <dd>{t(`dossier.channel.${d.channel}`)}</dd>
        <dt>{t('dossier.detail.units')}</dt>
        <dd>
          {t('dossier.detail.receivedAt')} {data.receivingUnit.fullName}; {t('dossier.detail.processedAt')}{' '}
          {data.processingUnit.fullName}
        </dd>
        <dt>
          {t(
            d.receivedAt || d.channel !== 'online'
              ? 'dossier.detail.receivedTime'
              : 'dossier.detail.filedTime',
          )}
        </dt>
        <dd>{time(d.receivedAt ?? d.filedAt)}</dd>
        <dt>{t('dossier.dueAt')}</dt>
        <dd>
          {time(d.dueAt)}
          {d.rescheduled && ` (${t('dossier.detail.rescheduledFrom', { date: time(d.originalDueAt) })})`}
          {d.deadlineExplanation && <span class="meta">{d.deadlineExplanation}</span>}
        </dd>
        {d.assignedTo && (
          <>
            <dt>{t('dossier.detail.assignee')}</dt>
            <dd>{d.assignedTo.name}</dd>
          </>
        )}
        <dt>{t('dossier.detail.fees')}</dt>
        <dd>{d.fees.length ? d.fees.map((f) => f.text).join('; ') : t('dossier.detail.noFees')}</dd>
        <dt>{t('dossier.detail.register')}</dt>
        <dd>{t('dossier.detail.registerEntry', { book: d.register.book, number: d.register.number })}</dd>
      </dl>

      <h2>{t('dossier.detail.forms')}</h2>
      <ul>
        {FORMS.filter((f) => f.when(data)).map((f) => (
          <li key={f.number}>
            <a href={`/can-bo/ho-so/${d.code}/mau-${f.number}.pdf`}>
              {t(`dossier.formName.${f.number}` as MessageKey)}
            </a>
          </li>
        ))}
        {results.map((f) => {
          const signing = data.signedDocuments.find((s) => s.fileId === f.id);
          return (
            <li key={f.id}>
              <a href={`/can-bo/ho-so/${d.code}/tep/${f.id}`}>
                {t('dossier.detail.result')}: {f.file_name}
              </a>
              {signing && signing.status !== 'signed' && ` (${t('signing.notYetSigned')})`}
            </li>
          );
        })}
      </ul>
      <SigningSection t={t} code={d.code} documents={data.signedDocuments} csrfToken={props.csrfToken} />

      {data.allowedActions.length > 0 && (
        <>
          <h2>{t('dossier.detail.actions')}</h2>
          {data.allowedActions.map((a) => (
            <ActionForm
              key={a}
              t={t}
              action={a}
              data={data}
              csrfToken={props.csrfToken}
              transactionId={props.transactionIds[a] ?? ''}
              errors={props.errorAction === a ? props.errors : []}
              communes={props.communes}
            />
          ))}
        </>
      )}

      <h2>{t('dossier.intake.components')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('dossier.detail.component')}</th>
            <th scope="col">{t('dossier.intake.digitisation')}</th>
            <th scope="col">{t('dossier.detail.files')}</th>
          </tr>
        </thead>
        <tbody>
          {data.components.map((c) => (
            <tr key={c.position}>
              <td>
                {c.position}. {c.name}
              </td>
              <td>
                {c.is_provided
                  ? t(`dossier.digitisation.${c.digitisation}` as MessageKey)
                  : t('dossier.digitisation.not_provided')}
              </td>
              <td>
                {componentFiles(c.position).map((f) => (
                  <a key={f.id} href={`/can-bo/ho-so/${d.code}/tep/${f.id}`}>
                    {f.file_name}{' '}
                  </a>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('dossier.detail.history')}</h2>
      <ol class="history">
        {data.actions.map((a) => (
          <li key={a.seq}>
            <strong>{actionLabel(t, a.action)}</strong> — {time(a.at)} — {a.actor_name}
            {' → '}
            {statusLabel(t, a.status_after)}
            {detailsText(t, a.details) && <div class="meta">{detailsText(t, a.details)}</div>}
          </li>
        ))}
      </ol>

      {data.controlSlip.length > 0 && (
        <>
          <h2>{t('dossier.detail.controlSlip')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dossier.slip.step')}</th>
                <th scope="col">{t('dossier.slip.handOff')}</th>
                <th scope="col">{t('dossier.slip.time')}</th>
                <th scope="col">{t('dossier.slip.result')}</th>
              </tr>
            </thead>
            <tbody>
              {data.controlSlip.map((r, i) => (
                <tr key={i}>
                  <td>{r.step}</td>
                  <td>
                    {r.giver.name} → {r.receiver.name} ({r.note})
                  </td>
                  <td>{time(r.handedAt)}</td>
                  <td>{r.result ? t(`dossier.handOff.${r.result}` as MessageKey) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Register (Mẫu 07), load, tracking

export function RegisterPage(props: {
  t: Translate;
  unitCode: string;
  units: { code: string; name: string }[];
  from: string;
  to: string;
  rows: {
    index: number;
    dossierCode: string;
    procedureName: string;
    applicantName: string;
    receivedAt: Date | null;
    dueAt: Date | null;
    returnedAt: Date | null;
    note: string;
  }[];
  errors: FieldError[];
}) {
  const { t } = props;
  const query = `don_vi=${props.unitCode}&tu=${props.from}&den=${props.to}`;
  return (
    <>
      <h1>{t('dossier.register.title')}</h1>
      <ErrorSummary t={t} errors={props.errors} />
      <form method="get" action="/can-bo/so-theo-doi" class="filters">
        <div class="field">
          <label for="don_vi">{t('dossier.queue.unit')}</label>
          <select id="don_vi" name="don_vi">
            {props.units.map((u) => (
              <option key={u.code} value={u.code} selected={u.code === props.unitCode}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <div class={errorOf(props.errors, 'tu') ? 'field invalid' : 'field'}>
          <label for="tu">{t('dossier.register.from')}</label>
          <input id="tu" name="tu" type="date" value={props.from} />
        </div>
        <div class="field">
          <label for="den">{t('dossier.register.to')}</label>
          <input id="den" name="den" type="date" value={props.to} />
        </div>
        <button type="submit">{t('dossier.queue.filter')}</button>
      </form>
      <p>
        <a href={`/can-bo/so-theo-doi.pdf?${query}`}>{t('dossier.register.pdf')}</a> ·{' '}
        <a href={`/can-bo/so-theo-doi.xlsx?${query}`}>{t('dossier.register.xlsx')}</a>
      </p>
      <p class="meta">{t('dossier.queue.total', { count: props.rows.length })}</p>
      {/* Eight columns of a legal register do not fit a phone: the table scrolls on its own, the page does not. */}
      <div class="table-scroll" role="region" aria-label={t('dossier.register.title')} tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('dossier.register.index')}</th>
              <th scope="col">{t('dossier.code')}</th>
              <th scope="col">{t('dossier.procedure')}</th>
              <th scope="col">{t('dossier.applicant')}</th>
              <th scope="col">{t('dossier.detail.receivedTime')}</th>
              <th scope="col">{t('dossier.dueAt')}</th>
              <th scope="col">{t('dossier.register.returnedAt')}</th>
              <th scope="col">{t('dossier.register.note')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr key={r.dossierCode}>
                <td>{r.index}</td>
                <td>
                  <a href={`/can-bo/ho-so/${r.dossierCode}`}>{r.dossierCode}</a>
                </td>
                <td>{r.procedureName}</td>
                <td>{r.applicantName}</td>
                <td>{time(r.receivedAt)}</td>
                <td>{time(r.dueAt)}</td>
                <td>{time(r.returnedAt)}</td>
                <td>{r.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function LoadPage(props: {
  t: Translate;
  rows: {
    processing_unit_code: string;
    unitName: string;
    open: number;
    due_soon: number;
    overdue: number;
    awaiting_supplement: number;
    unassigned: number;
  }[];
}) {
  const { t } = props;
  return (
    <>
      <h1>{t('dossier.load.title')}</h1>
      <p>{t('dossier.load.intro')}</p>
      {props.rows.length === 0 ? (
        <p>{t('dossier.queue.empty')}</p>
      ) : (
        <div class="table-scroll" role="region" aria-label={t('dossier.load.title')} tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dossier.queue.unit')}</th>
                <th scope="col">{t('dossier.load.open')}</th>
                <th scope="col">{t('dossier.deadline.overdue')}</th>
                <th scope="col">{t('dossier.deadline.due_soon')}</th>
                <th scope="col">{t('dossier.status.awaiting_supplement')}</th>
                <th scope="col">{t('dossier.load.unassigned')}</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <tr key={r.processing_unit_code} class={r.overdue > 0 ? 'overdue' : undefined}>
                  <td>
                    <a href={`/can-bo/ho-so?pham_vi=unit&don_vi=${r.processing_unit_code}`}>{r.unitName}</a>
                  </td>
                  <td>{r.open}</td>
                  <td>
                    <a href={`/can-bo/ho-so?pham_vi=unit&don_vi=${r.processing_unit_code}&han=overdue`}>
                      {r.overdue}
                    </a>
                  </td>
                  <td>{r.due_soon}</td>
                  <td>{r.awaiting_supplement}</td>
                  <td>{r.unassigned}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function TrackingPage(props: {
  t: Translate;
  tracking: {
    code: string;
    procedureName: string;
    status: DossierStatus;
    receivedAt: string | null;
    dueAt: string | null;
    returnedAt: string | null;
    supplementItems: string[];
    completionItems: string[];
    apology: { reason: string; newDueAt: string } | null;
    steps: { at: string; status: DossierStatus }[];
    results: { id: string; fileName: string; sha256: string }[];
    receiptSha256: string | null;
    canRate: boolean;
  };
  secret: string;
  csrfToken: string;
  notice?: string | undefined;
  ratingError?: string | undefined;
}) {
  const { t, tracking } = props;
  return (
    <>
      <h1>
        {t('dossier.tracking.title')} {tracking.code}
      </h1>
      <dl class="summary stack">
        <dt>{t('dossier.procedure')}</dt>
        <dd>{tracking.procedureName}</dd>
        <dt>{t('dossier.status')}</dt>
        <dd>{statusLabel(t, tracking.status)}</dd>
        <dt>{t('dossier.detail.receivedTime')}</dt>
        <dd>{time(tracking.receivedAt)}</dd>
        <dt>{t('dossier.dueAt')}</dt>
        <dd>{time(tracking.dueAt)}</dd>
        {tracking.returnedAt && (
          <>
            <dt>{t('dossier.register.returnedAt')}</dt>
            <dd>{time(tracking.returnedAt)}</dd>
          </>
        )}
      </dl>
      {tracking.supplementItems.length > 0 && (
        <div class="notice">
          <h2>{t('dossier.tracking.bring')}</h2>
          <ul>
            {tracking.supplementItems.map((i) => (
              <li key={i}>{i}</li>
            ))}
          </ul>
        </div>
      )}
      {tracking.completionItems.length > 0 && (
        <div class="notice">
          <h2>{t('dossier.tracking.complete')}</h2>
          <ul>
            {tracking.completionItems.map((i) => (
              <li key={i}>{i}</li>
            ))}
          </ul>
        </div>
      )}
      {tracking.apology && (
        <div class="notice">
          <h2>{t('dossier.tracking.apology')}</h2>
          <p>
            {t('dossier.tracking.apologyText', {
              reason: tracking.apology.reason,
              date: time(tracking.apology.newDueAt),
            })}
          </p>
        </div>
      )}
      {tracking.results.length > 0 && (
        <>
          <h2>{t('dossier.tracking.results')}</h2>
          <ul>
            {tracking.results.map((f) => (
              <li key={f.id}>
                <a
                  href={`/tra-cuu-ho-so/${tracking.code}/ket-qua/${f.id}?ma=${encodeURIComponent(props.secret)}`}
                >
                  {f.fileName}
                </a>{' '}
                (<a href={`/xac-minh/${f.sha256}`}>{t('signing.verifyLink')}</a>)
              </li>
            ))}
          </ul>
        </>
      )}
      {tracking.receiptSha256 && (
        <p>
          {t('signing.receiptSigned')}{' '}
          <a href={`/xac-minh/${tracking.receiptSha256}`}>{t('signing.verifyLink')}</a>
        </p>
      )}
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {tracking.canRate && (
        // The heading stands before the form, not inside the legend: a legend is drawn across its fieldset's
        // border, so the red bar of an error would start below the heading; the question is the group's name.
        <section aria-labelledby="danh-gia-title">
          <h2 id="danh-gia-title">{t('dossier.tracking.rate')}</h2>
          <form method="post" action={`/tra-cuu-ho-so/${tracking.code}/danh-gia`} id="danh-gia">
            <input type="hidden" name="_csrf" value={props.csrfToken} />
            <input type="hidden" name="ma" value={props.secret} />
            <fieldset
              class={props.ratingError ? 'field invalid' : 'field'}
              aria-describedby={props.ratingError ? 'rating-error' : undefined}
            >
              <legend>{t('dossier.tracking.rateIntro')}</legend>
              {props.ratingError && (
                <p class="field-error" id="rating-error">
                  {props.ratingError}
                </p>
              )}
              {(['satisfied', 'neutral', 'dissatisfied'] as const).map((r) => (
                <div class="choice" key={r}>
                  <input type="radio" id={`rating-${r}`} name="rating" value={r} />
                  <label for={`rating-${r}`}>{t(`dossier.tracking.rating.${r}`)}</label>
                </div>
              ))}
            </fieldset>
            <div class="field">
              <label for="comment">{t('dossier.tracking.comment')}</label>
              <textarea id="comment" name="comment" rows={3}></textarea>
            </div>
            <button type="submit">{t('dossier.tracking.send')}</button>
          </form>
        </section>
      )}
      <h2>{t('dossier.detail.history')}</h2>
      <ol>
        {tracking.steps.map((s, i) => (
          <li key={i}>
            {time(s.at)}: {statusLabel(t, s.status)}
          </li>
        ))}
      </ol>
    </>
  );
}

export function TrackingFormPage(props: { t: Translate; code: string; error?: string | undefined }) {
  const { t } = props;
  return (
    <>
      <h1>{t('dossier.tracking.formTitle')}</h1>
      <p>{t('dossier.tracking.formIntro')}</p>
      {props.error && (
        <div class="error-summary" role="alert">
          <p>{props.error}</p>
        </div>
      )}
      <form method="get" action="/tra-cuu-ho-so">
        <TextField name="ma_ho_so" label={t('dossier.code')} value={props.code} />
        <TextField name="ma" label={t('dossier.tracking.secret')} hint={t('dossier.tracking.secretHint')} />
        <button type="submit">{t('dossier.tracking.submit')}</button>
      </form>
    </>
  );
}
