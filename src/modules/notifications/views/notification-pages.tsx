// The development inbox (what would have been sent) and the administrators' view of the outbox: plain HTML.
import { Fragment } from 'preact';
import { formatVietnamDateTime } from '../../../platform/clock.ts';
import type { MessageKey, Translate } from '../../../platform/i18n/index.ts';
import { Pager, TextField } from '../../../web/layout.tsx';
import type {
  DevInboxMessage,
  NotificationView,
  OutboxFilter,
  OutboxPage,
} from '../notifications.service.ts';

function time(iso: string | null): string {
  return iso ? formatVietnamDateTime(new Date(iso)) : '—';
}

function channelLabel(t: Translate, channel: string): string {
  return t(`notification.channel.${channel}` as MessageKey);
}

// ---------------------------------------------------------------------------------------------------------------
// Development inbox

export function DevInboxPage(props: {
  t: Translate;
  destination: string;
  items: DevInboxMessage[];
  total: number;
  page: number;
  pages: number;
}) {
  const { t } = props;
  const href = (page: number) => {
    const params = new URLSearchParams(props.destination ? { den: props.destination } : {});
    if (page > 1) params.set('trang', String(page));
    const query = params.toString();
    return query ? `/hop-thu-thu-nghiem?${query}` : '/hop-thu-thu-nghiem';
  };
  return (
    <>
      <h1>{t('notification.inbox.title')}</h1>
      <p class="notice">{t('notification.inbox.devOnly')}</p>
      <p>{t('notification.inbox.intro')}</p>
      <form method="get" action="/hop-thu-thu-nghiem" class="search">
        <TextField
          name="den"
          type="search"
          label={t('notification.inbox.destination')}
          hint={t('notification.inbox.destinationHint')}
          value={props.destination}
        />
        <button type="submit">{t('notification.inbox.filter')}</button>{' '}
        {props.destination && <a href="/hop-thu-thu-nghiem">{t('notification.inbox.clear')}</a>}
      </form>
      <p class="meta">{t('notification.inbox.count', { count: props.total.toLocaleString('vi-VN') })}</p>
      {props.items.length === 0 ? (
        <p>{t('notification.inbox.empty')}</p>
      ) : (
        <ul class="results">
          {props.items.map((m) => (
            <li key={m.id}>
              <dl class="summary stack">
                <dt>{t('notification.inbox.receivedAt')}</dt>
                <dd>{time(m.receivedAt)}</dd>
                <dt>{t('notification.inbox.channel')}</dt>
                <dd>{channelLabel(t, m.channel)}</dd>
                <dt>{t('notification.inbox.to')}</dt>
                <dd>{m.destination}</dd>
                {m.subject !== null && (
                  <>
                    <dt>{t('notification.inbox.subject')}</dt>
                    <dd>{m.subject}</dd>
                  </>
                )}
                <dt>{t('notification.inbox.body')}</dt>
                <dd class="pre">{m.body}</dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
      <Pager t={t} page={props.page} pages={props.pages} href={href} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Administrators' view

export const OUTBOX_TABS: readonly OutboxFilter[] = ['problems', 'failed', 'retrying', 'pending', 'sent'];

function count(t: Translate, value: number, cap: number): string {
  return value > cap
    ? t('notification.admin.countCapped', { count: cap.toLocaleString('vi-VN') })
    : value.toLocaleString('vi-VN');
}

function MessageRow({ t, m }: { t: Translate; m: NotificationView }) {
  return (
    <tr>
      <td>{time(m.createdAt)}</td>
      <td>{channelLabel(t, m.channel)}</td>
      <td>{m.destination}</td>
      <td>
        {t(`notification.template.${m.template}.name` as MessageKey)}
        {m.dossierCode && (
          <span class="meta">
            <a href={`/can-bo/ho-so/${m.dossierCode}`}>{m.dossierCode}</a>
          </span>
        )}
      </td>
      <td>
        {m.status === 'pending' && m.attempts > 0
          ? t('notification.status.retrying')
          : t(`notification.status.${m.status}` as MessageKey)}
        {m.sentAt && <span class="meta">{time(m.sentAt)}</span>}
      </td>
      <td>{m.attempts}</td>
      <td>{time(m.nextAttemptAt)}</td>
      <td>{m.lastError ?? '—'}</td>
    </tr>
  );
}

export function OutboxAdminPage(props: { t: Translate; filter: OutboxFilter; result: OutboxPage }) {
  const { t, filter, result } = props;
  const pages = Math.max(1, Math.ceil(Math.min(result.total, result.countCap) / result.pageSize));
  const href = (f: OutboxFilter, page = 1) =>
    `/quan-tri/thong-bao?trang_thai=${f}${page > 1 ? `&trang=${page}` : ''}`;
  const statuses = ['pending', 'sending', 'retrying', 'sent', 'failed'] as const;
  return (
    <>
      <h1>{t('notification.admin.title')}</h1>
      <p>{t('notification.admin.intro')}</p>
      <h2>{t('notification.admin.counts')}</h2>
      <dl class="summary">
        {statuses.map((s) => (
          <Fragment key={s}>
            <dt>{t(`notification.status.${s}`)}</dt>
            <dd>{count(t, result.counts[s], result.countCap)}</dd>
          </Fragment>
        ))}
      </dl>
      <nav aria-label={t('notification.admin.show')}>
        <ul class="tabs">
          {OUTBOX_TABS.map((f) => (
            <li key={f}>
              <a href={href(f)} aria-current={f === filter ? 'page' : undefined}>
                {t(`notification.status.${f}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <p class="meta">{t('notification.admin.total', { count: count(t, result.total, result.countCap) })}</p>
      {result.items.length === 0 ? (
        <p>{t('notification.admin.empty')}</p>
      ) : (
        <div class="table-scroll" role="region" aria-label={t('notification.admin.title')} tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('notification.admin.createdAt')}</th>
                <th scope="col">{t('notification.admin.channel')}</th>
                <th scope="col">{t('notification.admin.to')}</th>
                <th scope="col">{t('notification.admin.template')}</th>
                <th scope="col">{t('notification.admin.status')}</th>
                <th scope="col">{t('notification.admin.attempts')}</th>
                <th scope="col">{t('notification.admin.nextAttemptAt')}</th>
                <th scope="col">{t('notification.admin.lastError')}</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((m) => (
                <MessageRow key={m.id} t={t} m={m} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager t={t} page={result.page} pages={pages} href={(p) => href(filter, p)} />
    </>
  );
}
