-- Notifications (thông báo) to citizens and officers: an outbox written in the same transaction as the change it
-- announces, delivered afterwards by a periodic job (src/modules/notifications/), so a failing email server or SMS
-- gateway never blocks a dossier. Messages are rendered when they are written: the row records what was sent.

create table notification_outbox (
  id uuid primary key,
  unit_code text,
  channel text not null check (channel in ('email', 'sms')),
  destination text not null,
  template text not null,
  params jsonb not null,
  subject text,
  body text not null,
  dossier_code text,
  status text not null check (status in ('pending', 'sending', 'sent', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null,
  last_error text,
  provider_message_id text,
  created_at timestamptz not null,
  sent_at timestamptz,
  check ((channel = 'email') = (subject is not null))
);

comment on table notification_outbox is 'Messages to send by email or SMS. Written inside the transaction of the change they announce (they exist exactly when it commits); the delivery job claims due rows with FOR UPDATE SKIP LOCKED, so several app servers never send a row twice at once. Delivery is at least once: a server that dies between sending and recording may send again after the lease.';
comment on column notification_outbox.unit_code is 'The unit that sends the message (the dossier''s receiving unit), for the administrators'' view; null for installation-wide messages such as one-time codes. Not a key: the outbox is installation-wide, like the audit log.';
comment on column notification_outbox.destination is 'An email address, or a phone number 0xxxxxxxxx / +84xxxxxxxxx, checked when written.';
comment on column notification_outbox.template is 'The message (NotificationTemplate of src/modules/notifications/index.ts): one_time_code, dossier_received, supplement_requested, result_ready, late_apology…';
comment on column notification_outbox.params is 'The values the template printed. A one-time code is replaced by ****** once the message is sent or has failed.';
comment on column notification_outbox.subject is 'The rendered Vietnamese subject of an email; null for an SMS.';
comment on column notification_outbox.body is 'The rendered Vietnamese text as sent (a one-time code masked after delivery, like params).';
comment on column notification_outbox.status is 'pending: waiting for next_attempt_at; sending: claimed by a delivery run until next_attempt_at (a lease: a run that died is retried after it); sent; failed: gave up after the last attempt (last_error says why).';
comment on column notification_outbox.attempts is 'Delivery attempts begun, counted when a run claims the row; after a failure the next one waits 30 s × 2^(attempts−1), at most 1 h; the 6th failure is final.';
comment on column notification_outbox.provider_message_id is 'The id the mail server (Message-ID) or SMS gateway gave the message, to trace it at the provider.';

-- Due rows for the delivery job; the administrators' view of problems and the status counts.
create index notification_outbox_due on notification_outbox (next_attempt_at) where status in ('pending', 'sending');
create index notification_outbox_status on notification_outbox (status, created_at desc);
create index notification_outbox_dossier on notification_outbox (dossier_code) where dossier_code is not null;

-- The development inbox: what the development email sender and SMS gateway "delivered". Never used in production.
create table dev_inbox (
  id uuid primary key,
  channel text not null check (channel in ('email', 'sms')),
  destination text not null,
  subject text,
  body text not null,
  reference text,
  received_at timestamptz not null
);

comment on table dev_inbox is 'Development and test only: the messages the stand-in email sender and SMS gateway received instead of a real provider, shown at /hop-thu-thu-nghiem so a tester can read a one-time code sent to a phone.';
comment on column dev_inbox.reference is 'The outbox row id the sender passed along (a real provider gets it as its client reference).';

create index dev_inbox_latest on dev_inbox (received_at desc);
create index dev_inbox_destination on dev_inbox (destination, received_at desc);
