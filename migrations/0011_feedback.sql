-- Phản ánh, kiến nghị (PAKN): citizens' feedback and complaints about procedures and their handling, each with the
-- handling deadlines QĐ 766 indicator 5.2 measures (DOMAIN §7): refuse within 2 working days, ask for more within 5,
-- answer within 15 from receipt, publish the answer within 2 of answering. Owned by the unit it is addressed to.
create table feedback_items (
  unit_code text not null,
  id uuid not null,
  number text not null,
  kind text not null check (kind in ('phan_anh', 'kien_nghi')),
  content text not null,
  sender_name text not null,
  sender_contact text not null,
  dossier_code text,
  status text not null check (status in ('received', 'rejected', 'answered', 'published')),
  received_at timestamptz not null,
  reject_by timestamptz not null,
  supplement_by timestamptz not null,
  answer_by timestamptz not null,
  publish_by timestamptz,
  rejected_at timestamptz,
  rejection_reason text,
  answered_at timestamptz,
  answer text,
  answered_by uuid,
  published_at timestamptz,
  primary key (unit_code, id),
  unique (unit_code, number)
);

comment on table feedback_items is 'PAKN addressed to a commune: the text, who sent it (name and a phone or email, never shown publicly), the dossier it is about when given, and its handling with the deadlines of QĐ 766 indicator 5.2 computed on the working calendar at receipt.';
comment on column feedback_items.number is 'PAKN-{unit}-{yymmdd}-{sequence}: printed to the sender to follow it.';
comment on column feedback_items.publish_by is 'Set when answered: the answer is to be published within 2 working days.';

create index feedback_items_open on feedback_items (unit_code, answer_by) where status = 'received';
