// English for the notifications module's texts (same keys as notifications.vi.ts), spread into en.ts.
import type { notificationsVi } from './notifications.vi.ts';

export const notificationsEn: Record<keyof typeof notificationsVi, string> = {
  'error.NOTIFICATION_REQUEST_INVALID':
    'The system could not create the notification for the citizen, so nothing was saved. This is a software fault: please tell an administrator.',

  'notification.template.one_time_code.name': 'One-time code (OTP)',
  'notification.template.one_time_code.subject': 'Your xã số code: {code}',
  'notification.template.one_time_code.email':
    'Your one-time code is: {code}\n\nIt is valid for {minutes} minutes. Do not give it to anyone, including people who say they are officers.\n\nIf you did not ask for a code, ignore this email.',
  'notification.template.one_time_code.sms':
    'Your xã số code: {code}, valid for {minutes} minutes. Do not give it to anyone.',

  'notification.template.dossier_submitted.name': 'Dossier filed online',
  'notification.template.dossier_submitted.subject': 'Dossier {code} filed',
  'notification.template.dossier_submitted.email':
    'Your dossier was filed online.\n\nDossier code: {code}\nProcedure: {procedureName}\n\nThe one-stop desk will check and receive it; you will then be told the date the result is due.\n\nTrack the dossier: {trackingUrl}',
  'notification.template.dossier_submitted.sms':
    'Dossier {code} was filed online and awaits the one-stop desk. Track: {trackingUrl}',

  'notification.template.dossier_received.name': 'Dossier received',
  'notification.template.dossier_received.subject': 'Dossier {code} received',
  'notification.template.dossier_received.email':
    'Your dossier was received.\n\nDossier code: {code}\nProcedure: {procedureName}\nResult due: {dueAt}\n\nTrack the dossier: {trackingUrl}',
  'notification.template.dossier_received.sms':
    'Dossier {code} was received. Result due: {dueAt}. Track: {trackingUrl}',

  'notification.template.dossier_returned_online.name': 'Online dossier not received',
  'notification.template.dossier_returned_online.subject': 'Dossier {code} not received: please complete it',
  'notification.template.dossier_returned_online.email':
    'Your online dossier was not received.\n\nDossier code: {code}\nReasons, what to complete: {reasons}\n\nPlease complete the dossier as described and file it again.\n\nTrack the dossier: {trackingUrl}',
  'notification.template.dossier_returned_online.sms':
    'Dossier {code} was not received and needs completing. Reasons and guidance: {trackingUrl}',

  'notification.template.supplement_requested.name': 'Supplement requested',
  'notification.template.supplement_requested.subject': 'Supplement requested for dossier {code}',
  'notification.template.supplement_requested.email':
    'The processing agency asks you to supplement your dossier.\n\nDossier code: {code}\nDocuments to supplement: {items}\n\nThe wait for the supplement does not count towards the processing time; a new due date is set once the supplement is complete.\n\nTrack the dossier: {trackingUrl}',
  'notification.template.supplement_requested.sms':
    'Dossier {code} needs more documents. See the list: {trackingUrl}',

  'notification.template.result_ready.name': 'Result ready',
  'notification.template.result_ready.subject': 'The result of dossier {code} is ready',
  'notification.template.result_ready.email':
    'The result of your dossier is ready.\n\nDossier code: {code}\nProcedure: {procedureName}\nWhere to collect it: {place}\n\nWhen you come, bring the receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) and an identity document.\n\nTrack the dossier: {trackingUrl}',
  'notification.template.result_ready.sms':
    'The result of dossier {code} is ready. Collect at: {place}. Details: {trackingUrl}',

  'notification.template.late_apology.name': 'Apology and new due date',
  'notification.template.late_apology.subject': 'Apology and new due date – dossier {code}',
  'notification.template.late_apology.email':
    'The processing agency sincerely apologises that your dossier was not settled by its due date.\n\nDossier code: {code}\nReason: {reason}\nNew due date: {newDueAt}\n\nThe apology slip (Phiếu xin lỗi và hẹn lại ngày trả kết quả) is kept with the dossier; you can see it on the tracking page.\n\nTrack the dossier: {trackingUrl}',
  'notification.template.late_apology.sms':
    'We apologise: dossier {code} is late. New due date: {newDueAt}. Details: {trackingUrl}',

  'notification.channel.email': 'Email',
  'notification.channel.sms': 'SMS',
  'notification.status.pending': 'Waiting',
  'notification.status.sending': 'Sending',
  'notification.status.sent': 'Sent',
  'notification.status.failed': 'Failed',
  'notification.status.retrying': 'Retrying',
  'notification.status.problems': 'Failed and retrying',

  'notification.error.emailNotConfigured': 'No mail server is configured (SMTP_URL): email cannot be sent.',
  'notification.error.smsNotConfigured': 'No SMS gateway is configured: text messages cannot be sent.',
  'notification.error.interrupted': 'The last attempt was interrupted (the app server stopped during it).',

  'notification.inbox.title': 'Test inbox',
  'notification.inbox.intro':
    'In development and testing, email and SMS messages are not sent out: they land here, newest first.',
  'notification.inbox.devOnly':
    'This is a developer tool: the page needs no sign-in and does not exist when running in production.',
  'notification.inbox.destination': 'Recipient (phone number or email address)',
  'notification.inbox.destinationHint':
    'Part of it is enough, for example the last 4 digits of a phone number.',
  'notification.inbox.filter': 'Filter',
  'notification.inbox.clear': 'Show all',
  'notification.inbox.empty': 'No messages yet.',
  'notification.inbox.count': '{count} messages',
  'notification.inbox.receivedAt': 'Time',
  'notification.inbox.channel': 'Channel',
  'notification.inbox.to': 'Recipient',
  'notification.inbox.subject': 'Subject',
  'notification.inbox.body': 'Text',

  'notification.admin.title': 'Notifications to citizens',
  'notification.admin.intro':
    'Email and SMS messages go through a queue: when a channel fails, the system retries after 30 seconds, then 1, 2, 4 and 8 minutes; after 6 failed attempts it stops and records the error for administrators to check.',
  'notification.admin.counts': 'Count by status',
  'notification.admin.countCapped': 'over {count}',
  'notification.admin.show': 'Show',
  'notification.admin.empty': 'No notifications in this status.',
  'notification.admin.createdAt': 'Created',
  'notification.admin.channel': 'Channel',
  'notification.admin.to': 'Recipient',
  'notification.admin.template': 'Notification',
  'notification.admin.dossier': 'Dossier code',
  'notification.admin.status': 'Status',
  'notification.admin.attempts': 'Attempts',
  'notification.admin.nextAttemptAt': 'Next attempt',
  'notification.admin.lastError': 'Last error',
  'notification.admin.sentAt': 'Sent',
  'notification.admin.total': '{count} notifications',
};
