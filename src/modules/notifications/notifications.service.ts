// Use cases of the outbox: write messages inside the caller's transaction, deliver what is due (the periodic job),
// and show the administrators what failed. Delivery happens after the caller's commit and outside it, so a failing
// channel costs the dossier nothing: the row is retried with backoff and, after the last attempt, marked failed.
import crypto from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n/index.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { can, type IdentityService, type Principal, type RequestInfo } from '../identity/index.ts';
import { BATCH_SIZE, LEASE_MS, MAX_ATTEMPTS, SEND_CONCURRENCY, afterFailure } from './delivery-schedule.ts';
import type { EmailSender, SmsGateway } from './notification-channels.ts';
import { assertValidRequest, maskSecrets, renderMessage } from './notification-templates.ts';
import type { NotificationChannel, NotificationRequest, NotificationTemplate } from './index.ts';
import * as repo from './notifications.repo.ts';

export type { OutboxFilter, OutboxStatus } from './notifications.repo.ts';

/** Counts past this say "more than": the `sent` rows only grow. */
export const COUNT_CAP = 10_000;

const vi = translator('vi');

/** A message as the administrators see it: where it goes and how delivery went, never its text (it may hold a code). */
export interface NotificationView {
  id: string;
  unitCode: string | null;
  channel: NotificationChannel;
  destination: string;
  template: NotificationTemplate;
  dossierCode: string | null;
  status: repo.OutboxStatus;
  attempts: number;
  /** When the next attempt is due (pending) or the claim runs out (sending); null once sent or failed. */
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface OutboxPage {
  counts: Record<repo.OutboxStatus | 'retrying', number>;
  countCap: number;
  items: NotificationView[];
  /** Rows matching the filter (capped like the counts). */
  total: number;
  page: number;
  pageSize: number;
}

export interface DevInboxMessage {
  id: string;
  channel: NotificationChannel;
  destination: string;
  subject: string | null;
  body: string;
  receivedAt: string;
}

function present(row: repo.OutboxRow): NotificationView {
  const isOpen = row.status === 'pending' || row.status === 'sending';
  return {
    id: row.id,
    unitCode: row.unit_code,
    channel: row.channel,
    destination: row.destination,
    template: row.template as NotificationTemplate,
    dossierCode: row.dossier_code,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: isOpen ? row.next_attempt_at.toISOString() : null,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at ? row.sent_at.toISOString() : null,
  };
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text;
}

/** Runs `work` over the items, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function createNotificationsService(deps: {
  db: Db;
  clock: Clock;
  adminUnits: AdminUnitsService;
  identity: IdentityService;
  email: EmailSender;
  sms: SmsGateway;
}) {
  const { db, clock, adminUnits, identity } = deps;

  type Outcome = 'sent' | 'retried' | 'failed';

  async function attempt(row: repo.OutboxRow): Promise<Outcome> {
    let providerMessageId: string;
    try {
      const result =
        row.channel === 'email'
          ? await deps.email.send({
              to: row.destination,
              subject: row.subject ?? '',
              text: row.body,
              reference: row.id,
            })
          : await deps.sms.send(row.destination, row.body, { reference: row.id });
      providerMessageId = result.providerMessageId;
    } catch (error) {
      const lastError = errorText(error);
      const next = afterFailure(row.attempts, clock.now());
      if (next.status === 'failed') {
        await repo.recordFailed(db, row.id, row.attempts, { error: lastError, masked: masked(row) });
        return 'failed';
      }
      await repo.recordRetry(db, row.id, row.attempts, {
        nextAttemptAt: next.nextAttemptAt,
        error: lastError,
      });
      return 'retried';
    }
    await repo.recordSent(db, row.id, row.attempts, {
      sentAt: clock.now(),
      providerMessageId,
      masked: masked(row),
    });
    return 'sent';
  }

  function masked(row: repo.OutboxRow) {
    return maskSecrets(row.template, row.params, { subject: row.subject, body: row.body });
  }

  /**
   * The units whose messages the actor may read: the outbox is read at a province, with `users.manage` there (the
   * province's and system administrators). A refusal is audited by identity.assertCan.
   */
  async function outboxScope(actor: Principal, info: RequestInfo): Promise<repo.UnitScope> {
    if (actor.grants.some((g) => g.role === 'system_admin')) return 'all';
    const provinces = new Map<string, Awaited<ReturnType<AdminUnitsService['getUnit']>>>();
    for (const grant of actor.grants) {
      if (!grant.unitCode) continue;
      const unit = await adminUnits.findUnit(grant.unitCode);
      const provinceCode = unit?.level === 'province' ? unit.code : unit?.parentCode;
      if (provinceCode && !provinces.has(provinceCode))
        provinces.set(provinceCode, await adminUnits.getUnit(provinceCode));
    }
    const allowed = [...provinces.values()].filter((p) =>
      can(actor, 'users.manage', { code: p.code, parentCode: p.parentCode }),
    );
    if (allowed.length === 0) {
      const [first] = provinces.values();
      if (first) await identity.assertCan(actor, 'users.manage', first, info);
      await identity.deny(actor, 'FORBIDDEN', null, 'notifications.view', info);
    }
    const codes = new Set<string>();
    for (const province of allowed) {
      codes.add(province.code);
      const { items } = await adminUnits.searchUnits({
        province: province.code,
        level: 'commune',
        page: 1,
        pageSize: 5000,
      });
      for (const unit of items) codes.add(unit.code);
    }
    return [...codes];
  }

  return {
    /** Adds messages to the outbox inside the caller's transaction: they exist exactly when the change commits. */
    async enqueue(tx: Executor, requests: NotificationRequest[]): Promise<void> {
      const createdAt = clock.now();
      // Every request is checked before anything is written: one bad request fails the caller's change whole.
      const rows = requests.map((request): repo.NewOutboxRow => {
        assertValidRequest(request);
        const rendered = renderMessage(request.channel, request.template, request.params);
        return {
          id: crypto.randomUUID(),
          unitCode: request.unitCode ?? null,
          channel: request.channel,
          destination: request.to,
          template: request.template,
          params: Object.fromEntries(Object.entries(request.params).map(([k, v]) => [k, String(v)])),
          subject: rendered.subject,
          body: rendered.body,
          dossierCode: request.dossierCode ?? null,
          createdAt,
        };
      });
      await repo.insertOutboxRows(tx, rows);
    },

    /**
     * Delivers one batch of due messages (the periodic job calls it every few seconds). Each message is sent on its
     * own: a channel that fails sends its rows back to wait, and the other rows go on.
     */
    async deliverDue(): Promise<{ sent: number; retried: number; failed: number }> {
      const now = clock.now();
      const tally = { sent: 0, retried: 0, failed: 0 };
      tally.failed += await repo.failInterruptedRows(db, {
        now,
        maxAttempts: MAX_ATTEMPTS,
        error: vi('notification.error.interrupted'),
      });
      const claimed = await repo.claimDueRows(db, {
        now,
        leaseUntil: new Date(now.getTime() + LEASE_MS),
        limit: BATCH_SIZE,
        maxAttempts: MAX_ATTEMPTS,
      });
      // Recording an outcome needs the database; if that fails the row keeps its lease and is tried again after
      // it. The first such error is reported once the rest of the batch is done.
      const recordingErrors: unknown[] = [];
      await eachLimited(claimed, SEND_CONCURRENCY, async (row) => {
        try {
          tally[await attempt(row)] += 1;
        } catch (error) {
          recordingErrors.push(error);
        }
      });
      if (recordingErrors.length) throw recordingErrors[0];
      return tally;
    },

    /** Counts by status and one page of messages, for province and system administrators. */
    async listOutbox(
      actor: Principal,
      query: { filter: repo.OutboxFilter; page: number; pageSize: number },
      info: RequestInfo,
    ): Promise<OutboxPage> {
      const scope = await outboxScope(actor, info);
      const counts = await repo.countByStatus(db, scope, COUNT_CAP);
      const items = await repo.listOutbox(db, {
        filter: query.filter,
        scope,
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      const total = query.filter === 'problems' ? counts.failed + counts.retrying : counts[query.filter];
      return {
        counts,
        countCap: COUNT_CAP,
        items: items.map(present),
        total,
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    /** One message of the outbox (tests, support). */
    async getMessage(id: string): Promise<NotificationView & { subject: string | null; body: string }> {
      const row = await repo.findOutboxRow(db, id);
      if (!row) throw new AppError('NOT_FOUND');
      return { ...present(row), subject: row.subject, body: row.body };
    },

    /** The development inbox, newest first; `destination` matches any part of the recipient. */
    async listDevInbox(query: {
      destination?: string | undefined;
      page: number;
      pageSize: number;
    }): Promise<{ items: DevInboxMessage[]; total: number }> {
      const { items, total } = await repo.listDevInbox(db, {
        destinationContains: query.destination?.replace(/\s+/g, '') || undefined,
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      return {
        items: items.map((r) => ({
          id: r.id,
          channel: r.channel,
          destination: r.destination,
          subject: r.subject,
          body: r.body,
          receivedAt: r.received_at.toISOString(),
        })),
        total,
      };
    },
  };
}

export type NotificationsFullService = ReturnType<typeof createNotificationsService>;
