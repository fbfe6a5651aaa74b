-- Filing online (nộp hồ sơ trực tuyến): drafts a citizen fills page by page and comes back to; who filed a dossier
-- (an account or a verified guest contact) so citizens see their dossiers; the e-form's answers; satisfaction ratings.
create table dossier_drafts (
  unit_code text not null,
  id uuid not null,
  procedure_code text not null,
  procedure_version integer not null,
  owner_user_id uuid,
  owner_contact text,
  answers jsonb not null,
  uploads jsonb not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  submitted_code text,
  primary key (unit_code, id),
  check (owner_user_id is not null or owner_contact is not null)
);

comment on table dossier_drafts is 'An online filing in progress: the applicant, the e-form answers and the uploaded components, saved after every page. unit_code is the province (a draft is no centre''s yet; the centre chosen is in answers); submitted_code is set (once) when it becomes a dossier, so a repeated submit answers with the same dossier.';
comment on column dossier_drafts.owner_contact is 'For a guest: the phone number or email address verified by a one-time code (sms:0912… / email:…).';
comment on column dossier_drafts.uploads is 'Per component position: the uploads (dossier_uploads ids, kept under the chosen centre''s unit_code) of this draft.';

-- A guest filing online has no account: the upload is theirs through the draft.
alter table dossier_uploads alter column uploaded_by drop not null;

create index dossier_drafts_owner_user on dossier_drafts (owner_user_id) where owner_user_id is not null;
create index dossier_drafts_owner_contact on dossier_drafts (owner_contact) where owner_contact is not null;

alter table dossiers add column owner_user_id uuid;
alter table dossiers add column owner_contact text;
alter table dossiers add column eform_answers jsonb;

comment on column dossiers.owner_user_id is 'The citizen account that filed the dossier online, if any: the citizen sees it among their dossiers.';
comment on column dossiers.owner_contact is 'The verified guest contact that filed it (sms:… / email:…), if any.';
comment on column dossiers.eform_answers is 'The answers to the procedure''s e-form (its JSON Schema) given when filing online.';

create index dossiers_owner_user on dossiers (owner_user_id, filed_at) where owner_user_id is not null;
create index dossiers_owner_contact on dossiers (owner_contact, filed_at) where owner_contact is not null;

create table dossier_ratings (
  unit_code text not null,
  dossier_code text not null,
  rating text not null check (rating in ('satisfied', 'neutral', 'dissatisfied')),
  comment text not null,
  channel text not null check (channel in ('tracking', 'counter')),
  rated_at timestamptz not null,
  primary key (unit_code, dossier_code),
  foreign key (unit_code, dossier_code) references dossiers (unit_code, code)
);

comment on table dossier_ratings is 'Mức độ hài lòng of the applicant once the result was returned (QĐ 766 group 5): one rating per dossier, from the tracking page or a counter tablet.';
