// Wires the notifications module: the channels chosen from the configuration, the service, the routes.
import { translator } from '../../platform/i18n/index.ts';
import type { NotificationsDeps } from './index.ts';
import {
  createDevInboxChannels,
  createSmtpEmailSender,
  unavailableChannels,
  type EmailSender,
  type SmsGateway,
} from './notification-channels.ts';
import { notificationsRoutes } from './notifications.routes.tsx';
import { createNotificationsService } from './notifications.service.ts';

export function createNotificationsModule(
  deps: NotificationsDeps & {
    /** A real channel instead of the configured one (an SMS provider's adapter; a failing one in tests). */
    emailSender?: EmailSender | undefined;
    smsGateway?: SmsGateway | undefined;
  },
) {
  const vi = translator('vi');
  const devInbox = createDevInboxChannels(deps.db, deps.clock);
  const unavailable = unavailableChannels({
    email: vi('notification.error.emailNotConfigured'),
    sms: vi('notification.error.smsNotConfigured'),
  });
  // Email: the SMTP server when configured; otherwise the development inbox, or (in production) a clear failure.
  const email =
    deps.emailSender ??
    (deps.smtpUrl
      ? createSmtpEmailSender({ smtpUrl: deps.smtpUrl, from: deps.smtpFrom })
      : deps.devInbox
        ? devInbox.email
        : unavailable.email);
  // SMS: no provider adapter ships yet (gateways are contracts with a carrier); outside production, the inbox.
  const sms = deps.smsGateway ?? (deps.devInbox ? devInbox.sms : unavailable.sms);
  const service = createNotificationsService({
    db: deps.db,
    clock: deps.clock,
    adminUnits: deps.adminUnits,
    identity: deps.identity,
    email,
    sms,
  });
  return {
    service,
    routes: notificationsRoutes({ service, devInbox: deps.devInbox }),
  };
}
