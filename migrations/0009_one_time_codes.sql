-- One-time codes that verify a guest's phone number or email address before they file online (issue: citizens
-- without an account). Only a hash of the code is kept; a code expires, and wrong guesses are counted.
create table one_time_codes (
  id uuid primary key,
  channel text not null check (channel in ('sms', 'email')),
  destination text not null,
  code_hash text not null,
  purpose text not null,
  requested_ip text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  attempts integer not null default 0,
  verified_at timestamptz
);

comment on table one_time_codes is 'Codes sent by SMS or email to verify a contact: sha256 of the code, 10 minutes valid, at most 5 attempts; at most 3 codes per destination in 15 minutes.';
comment on column one_time_codes.destination is 'The phone number (0xxxxxxxxx) or lower-cased email address the code was sent to.';

create index one_time_codes_destination on one_time_codes (destination, created_at);
create index one_time_codes_requested_ip on one_time_codes (requested_ip, created_at);

comment on column one_time_codes.requested_ip is 'The address that asked: at most 10 codes per address an hour, so nobody runs up SMS bills by asking for codes to many numbers.';
