// Pure: which parameters each message needs, the checks on a request, and the Vietnamese text it renders to. The
// texts live in the catalogue (platform/i18n/notifications.vi.ts); a message is rendered once, when it is written to
// the outbox, so the row records exactly what the citizen received.
import { AppError } from '../../platform/errors.ts';
import { translator, type MessageKey } from '../../platform/i18n/index.ts';
import type { NotificationChannel, NotificationRequest, NotificationTemplate } from './index.ts';

/** The parameters each template prints; every one is required (a missing one is the caller's bug). */
export const TEMPLATE_PARAMS = {
  one_time_code: ['code', 'minutes'],
  dossier_submitted: ['code', 'procedureName', 'trackingUrl'],
  dossier_received: ['code', 'procedureName', 'dueAt', 'trackingUrl'],
  dossier_returned_online: ['code', 'reasons', 'trackingUrl'],
  supplement_requested: ['code', 'items', 'trackingUrl'],
  result_ready: ['code', 'procedureName', 'place', 'trackingUrl'],
  late_apology: ['code', 'reason', 'newDueAt', 'trackingUrl'],
} as const satisfies Record<NotificationTemplate, readonly string[]>;

export const NOTIFICATION_TEMPLATES = Object.keys(TEMPLATE_PARAMS) as NotificationTemplate[];

/**
 * Parameters that must not outlive the delivery: a one-time code in the database is a working credential until it
 * expires, so it is masked in the outbox row once the message is sent or has failed for good.
 */
export const SECRET_PARAMS: Partial<Record<NotificationTemplate, readonly string[]>> = {
  one_time_code: ['code'],
};

export const MASK = '******';

// The same checks as the dossier intake's (dossiers.service.ts), so an applicant's saved contact always passes.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^(0|\+84)\d{9}$/;
const UNIT_CODE = /^(\d{2}|\d{5})$/;

/** Whether `to` is something the channel can deliver to: an email address, or a phone 0xxxxxxxxx / +84xxxxxxxxx. */
export function isValidDestination(channel: NotificationChannel, to: string): boolean {
  return channel === 'email' ? to.length <= 254 && EMAIL.test(to) : PHONE.test(to);
}

/**
 * A contact as people type it ("0912 345 678", " An@Example.VN ") in the form the outbox accepts, or null when it
 * is not deliverable: callers holding free text use this first and skip the message rather than fail their change.
 */
export function normaliseDestination(channel: NotificationChannel, raw: string): string | null {
  const cleaned = channel === 'email' ? raw.trim() : raw.replace(/[\s.\-()]/g, '');
  return isValidDestination(channel, cleaned) ? cleaned : null;
}

function invalid(problem: string, request: Pick<NotificationRequest, 'channel' | 'template'>): never {
  throw new AppError(
    'NOTIFICATION_REQUEST_INVALID',
    { problem, channel: request.channel, template: request.template },
    `notification request invalid: ${problem}`,
  );
}

/** Throws NOTIFICATION_REQUEST_INVALID unless the request can be rendered and delivered as it is. */
export function assertValidRequest(request: NotificationRequest): void {
  if (request.channel !== 'email' && request.channel !== 'sms')
    invalid(`unknown channel "${String(request.channel)}"`, request);
  if (!Object.hasOwn(TEMPLATE_PARAMS, request.template))
    invalid(`unknown template "${String(request.template)}"`, request);
  if (typeof request.to !== 'string' || !isValidDestination(request.channel, request.to))
    invalid(request.channel === 'email' ? 'to is not an email address' : 'to is not a phone number', request);
  for (const name of TEMPLATE_PARAMS[request.template]) {
    const value = request.params[name];
    if (typeof value !== 'string' || value.trim() === '') invalid(`missing parameter "${name}"`, request);
  }
  if (request.unitCode != null && !UNIT_CODE.test(request.unitCode))
    invalid('unitCode is not a unit code', request);
}

export interface RenderedMessage {
  /** The email's subject; null for an SMS. */
  subject: string | null;
  body: string;
}

const vi = translator('vi');

/** The Vietnamese text of a message. Call assertValidRequest first. */
export function renderMessage(
  channel: NotificationChannel,
  template: NotificationTemplate,
  params: Record<string, string>,
): RenderedMessage {
  const key = (part: string) => `notification.template.${template}.${part}` as MessageKey;
  if (channel === 'sms') {
    // One line: an SMS has no paragraphs, and a newline in a parameter must not break it.
    return { subject: null, body: vi(key('sms'), params).replace(/\s+/g, ' ').trim() };
  }
  // A newline in a subject would be a header injection; nodemailer encodes it, but a subject is one line anyway.
  return { subject: vi(key('subject'), params).replace(/\s+/g, ' ').trim(), body: vi(key('email'), params) };
}

/** The message with its secret parameters masked, as the outbox keeps it after delivery; null if nothing is secret. */
export function maskSecrets(
  template: string,
  params: Record<string, string>,
  message: RenderedMessage,
): { params: Record<string, string>; subject: string | null; body: string } | null {
  const secrets = SECRET_PARAMS[template as NotificationTemplate];
  if (!secrets) return null;
  const masked = { ...params };
  let { subject, body } = message;
  for (const name of secrets) {
    const value = params[name];
    if (!value) continue;
    masked[name] = MASK;
    subject = subject === null ? null : subject.split(value).join(MASK);
    body = body.split(value).join(MASK);
  }
  return { params: masked, subject, body };
}
