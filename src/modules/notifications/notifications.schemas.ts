// Request and response schemas of the notifications API (validation, types and the OpenAPI document).
import { Type } from '@sinclair/typebox';
import { NOTIFICATION_TEMPLATES } from './notification-templates.ts';

export const OUTBOX_FILTERS = ['problems', 'failed', 'retrying', 'pending', 'sending', 'sent'] as const;

const nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const NotificationsQuery = Type.Object({
  status: Type.Union(
    OUTBOX_FILTERS.map((f) => Type.Literal(f)),
    {
      default: 'problems',
      description:
        'problems: failed or retrying (the default); pending: waiting for the first attempt; retrying: waiting for the next attempt after a failed one; sending: claimed by a delivery run; sent; failed: given up after the last attempt',
    },
  ),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});

export const NotificationSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  unitCode: nullable(Type.String()),
  channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
  destination: Type.String(),
  template: Type.Union(NOTIFICATION_TEMPLATES.map((t) => Type.Literal(t))),
  dossierCode: nullable(Type.String()),
  status: Type.Union(['pending', 'sending', 'sent', 'failed'].map((s) => Type.Literal(s))),
  attempts: Type.Integer({ minimum: 0 }),
  nextAttemptAt: nullable(Type.String({ format: 'date-time' })),
  lastError: nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: nullable(Type.String({ format: 'date-time' })),
});

const Count = Type.Integer({ minimum: 0, description: 'capped at countCap + 1 (more than countCap)' });

export const OutboxPageSchema = Type.Object({
  counts: Type.Object({ pending: Count, sending: Count, sent: Count, failed: Count, retrying: Count }),
  countCap: Type.Integer(),
  items: Type.Array(NotificationSchema),
  total: Type.Integer({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
});
