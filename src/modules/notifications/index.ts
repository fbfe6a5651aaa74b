// Public face of the notifications module (thông báo): an outbox in PostgreSQL, written in the same transaction as
// the change it announces, and a job that delivers it by email (SMTP) or SMS (a gateway adapter), with retries and
// backoff, so a failing channel never blocks a dossier. In development both channels land in a local inbox page.
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db/database.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { IdentityService } from '../identity/index.ts';

export type NotificationChannel = 'email' | 'sms';

/** The messages xaso sends; each has a Vietnamese template. */
export type NotificationTemplate =
  | 'one_time_code'
  | 'dossier_submitted'
  | 'dossier_received'
  | 'dossier_returned_online'
  | 'supplement_requested'
  | 'result_ready'
  | 'late_apology';

export interface NotificationRequest {
  channel: NotificationChannel;
  /** An email address or a phone number (0xxxxxxxxx). */
  to: string;
  template: NotificationTemplate;
  /** The values the template prints (dossier code, dates as hh:mm dd/mm/yyyy, tracking URL, code…). */
  params: Record<string, string>;
  /** The dossier the message is about, when there is one (for the administrators' view). */
  dossierCode?: string | undefined;
  /** The unit that sends it (for the administrators' view); null for installation-wide messages. */
  unitCode?: string | null | undefined;
}

export interface NotificationsService {
  /** Adds messages to the outbox inside the caller's transaction: they exist exactly when the change commits. */
  enqueue(tx: Executor, requests: NotificationRequest[]): Promise<void>;
  /** Delivers what is due (called by the periodic job); returns how many were sent and how many failed for good. */
  deliverDue(): Promise<{ sent: number; retried: number; failed: number }>;
}

export interface NotificationsDeps {
  db: Db;
  clock: Clock;
  adminUnits: AdminUnitsService;
  identity: IdentityService;
  /** smtp://user:pass@host:port (or smtps://); empty: email goes to the development inbox. */
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** Whether the development inbox page is served (never in production). */
  devInbox: boolean;
}

import { createNotificationsModule } from './notifications.module.ts';

export { createNotificationsModule };
export type NotificationsModule = ReturnType<typeof createNotificationsModule>;

/** For callers holding free text (an applicant's contact): check or clean it before enqueueing, skip if null. */
export { isValidDestination, normaliseDestination, TEMPLATE_PARAMS } from './notification-templates.ts';
/** The process edge, for a real SMS provider's adapter (or a stand-in in tests) passed to the module. */
export type { EmailSender, OutgoingEmail, SmsGateway } from './notification-channels.ts';
export type { NotificationView, OutboxPage, OutboxFilter, OutboxStatus } from './notifications.service.ts';
