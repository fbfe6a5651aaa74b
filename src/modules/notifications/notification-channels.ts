// The process edge: how a message leaves xaso. Email goes to an SMTP server (nodemailer); an SMS goes to a gateway
// (a provider's HTTP API, outside the process, behind `SmsGateway`). In development and tests both land in the
// development inbox (table dev_inbox, page /hop-thu-thu-nghiem) instead. Without a real channel in production, a
// send fails with a clear error, so the messages show up as failed on the administrators' page instead of vanishing.
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import * as repo from './notifications.repo.ts';

export interface OutgoingEmail {
  to: string;
  subject: string;
  /** Plain text (UTF-8). */
  text: string;
  /** The outbox row's id: the same on every attempt, so a receiver can recognise a message sent twice. */
  reference: string;
}

export interface EmailSender {
  send(email: OutgoingEmail): Promise<{ providerMessageId: string }>;
}

export interface SmsGateway {
  /**
   * Sends one text to a phone (0xxxxxxxxx or +84xxxxxxxxx) and answers the provider's id for it once the provider
   * accepted it; throws when it did not (the outbox retries). `reference` is the outbox row's id: pass it as the
   * provider's client reference where the API has one, so a retry after a lost answer is not sent twice.
   */
  send(to: string, text: string, options: { reference: string }): Promise<{ providerMessageId: string }>;
}

/** The domain of "Name <user@domain>" or "user@domain", for Message-IDs. */
function domainOf(address: string): string {
  return /@([^>\s]+)>?\s*$/.exec(address)?.[1] ?? 'xaso.local';
}

/** Email through an SMTP server; `smtpUrl` is smtp://user:pass@host:port or smtps://… */
export function createSmtpEmailSender({ smtpUrl, from }: { smtpUrl: string; from: string }): EmailSender {
  const options: SMTPTransport.Options = {
    url: smtpUrl,
    // nodemailer's defaults (2 min to connect, 10 min of silence) would hold a delivery run far past its lease.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
  const transport = nodemailer.createTransport(options);
  const domain = domainOf(from);
  return {
    async send({ to, subject, text, reference }) {
      const info = await transport.sendMail({
        from,
        to,
        subject,
        text,
        messageId: `<${reference}@${domain}>`,
      });
      return { providerMessageId: String(info.messageId ?? `<${reference}@${domain}>`) };
    },
  };
}

/** The stand-in provider of development and tests: what it "sends" is stored in dev_inbox. */
export function createDevInboxChannels(db: Db, clock: Clock): { email: EmailSender; sms: SmsGateway } {
  const deliver = async (row: Omit<repo.DevInboxRow, 'id' | 'received_at'>) => {
    const id = crypto.randomUUID();
    await repo.insertDevInboxRow(db, { ...row, id, receivedAt: clock.now() });
    return { providerMessageId: `dev-inbox:${id}` };
  };
  return {
    email: {
      send: ({ to, subject, text, reference }) =>
        deliver({ channel: 'email', destination: to, subject, body: text, reference }),
    },
    sms: {
      send: (to, text, { reference }) =>
        deliver({ channel: 'sms', destination: to, subject: null, body: text, reference }),
    },
  };
}

/** A channel that is not configured: every send fails with `message` (shown to administrators as the last error). */
export function unavailableChannels(messages: { email: string; sms: string }): {
  email: EmailSender;
  sms: SmsGateway;
} {
  return {
    email: { send: () => Promise.reject(new Error(messages.email)) },
    sms: { send: () => Promise.reject(new Error(messages.sms)) },
  };
}
