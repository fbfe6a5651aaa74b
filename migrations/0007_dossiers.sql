-- Dossiers (hồ sơ) of the one-stop shop: received at a centre, processed by the competent unit, decided, returned.
-- Every table here is owned by the unit that received the dossier (`unit_code`, also the first part of the dossier
-- code), carries it in its primary key and never refers to another unit's rows, so the tables can be distributed
-- by `unit_code`. The action log is the record; `dossiers.status` is a cache written in the same transaction.

create table dossier_counters (
  unit_code text not null,
  scope text not null,
  value integer not null check (value > 0),
  primary key (unit_code, scope)
);

comment on table dossier_counters is 'Sequences per receiving unit: scope ''YYYY'' numbers the register (Sổ theo dõi hồ sơ, Quyển số YYYY), scope ''YYYY-MM-DD'' the dossier codes of one day.';

create table dossiers (
  unit_code text not null,
  code text not null,
  procedure_code text not null,
  procedure_version integer not null,
  procedure_name text not null,
  processing_unit_code text not null,
  channel text not null check (channel in ('in_person', 'online', 'postal')),
  applicant jsonb not null,
  representative jsonb,
  applicant_name text not null,
  applicant_search text not null,
  request_summary text not null,
  sets_count integer not null check (sets_count between 1 and 100),
  return_method text not null,
  fees jsonb not null,
  status text not null,
  assigned_to uuid,
  assigned_name text,
  filed_at timestamptz not null,
  received_at timestamptz,
  due_at timestamptz,
  original_due_at timestamptz,
  deadline jsonb,
  deadline_state text check (deadline_state in ('on_track', 'due_soon', 'overdue')),
  deadline_checked_at timestamptz,
  supplement_requests integer not null default 0,
  rescheduled boolean not null default false,
  result_at timestamptz,
  finished_at timestamptz,
  returned_at timestamptz,
  register_book text not null,
  register_number integer not null,
  tracking_secret text not null,
  version integer not null,
  created_by uuid,
  updated_at timestamptz not null,
  primary key (unit_code, code),
  unique (unit_code, register_book, register_number)
);

comment on table dossiers is 'One row per dossier, keyed by the receiving unit. The record of what happened is dossier_actions; status, assignee, due date and deadline state here are caches written in the same transaction as the action that changed them.';
comment on column dossiers.code is 'Mã hồ sơ: {receiving unit code}-{yymmdd of filing, Vietnam time}-{sequence of that unit and day, 4+ digits}, e.g. 02647-261201-0001 (src/modules/dossiers/dossier-code.ts).';
comment on column dossiers.procedure_version is 'The procedure version the dossier was received under: its deadline, fees and components apply for the dossier''s whole life (DOMAIN §9).';
comment on column dossiers.processing_unit_code is 'The unit whose officers process the dossier now; changes on a transfer (liên thông). Any centre of the province may receive for any commune.';
comment on column dossiers.applicant is 'Chủ hồ sơ: {kind: person|organisation, name, idNumber, address, phone, email}.';
comment on column dossiers.representative is 'The authorised person who filed (người được ủy quyền) with the authorisation document, when present.';
comment on column dossiers.applicant_search is 'Folded applicant name and ID number (platform/text.ts), for the queue''s search.';
comment on column dossiers.status is 'Cached status derived from dossier_actions by src/modules/dossiers/dossier-workflow.ts.';
comment on column dossiers.deadline is 'The deadline computation of the due date: rule, calendar version, counting start, pauses, explanation.';
comment on column dossiers.deadline_state is 'Written by the deadline job: on_track, due_soon (at most one working day left), overdue; null for closed dossiers and those without a due date.';
comment on column dossiers.original_due_at is 'The due date first given; due_at differs only after the one rescheduling (Mẫu 04) or supplement pauses.';
comment on column dossiers.tracking_secret is 'Short code printed on the receipt beside the QR: with the dossier code it opens the tracking page.';
comment on column dossiers.result_at is 'NgayKetThucXuLy: when the result was issued (or the dossier refused or stopped); on time when not after due_at (QĐ 766 indicator 2.1).';
comment on column dossiers.finished_at is 'Set when the dossier reaches a final status (returned, refused, stopped, withdrawn, returned for completion): it leaves the work queues.';
comment on column dossiers.version is 'Incremented by every action: a form sends the version it showed, and a stale one is refused as a conflict.';

-- Work queues: an officer's own and a unit's open dossiers by due date; the register by receipt time.
create index dossiers_unit_queue on dossiers (processing_unit_code, due_at, code) where finished_at is null;
create index dossiers_assignee_queue on dossiers (assigned_to, due_at, code) where finished_at is null;
create index dossiers_unit_status on dossiers (processing_unit_code, status, due_at) where finished_at is null;
create index dossiers_unit_deadline on dossiers (processing_unit_code, deadline_state, due_at, code) where finished_at is null;
create index dossiers_deadline_open on dossiers (due_at) where finished_at is null and due_at is not null;
create index dossiers_register on dossiers (unit_code, filed_at);
create index dossiers_applicant_search on dossiers using gin (applicant_search gin_trgm_ops);

create table dossier_actions (
  unit_code text not null,
  dossier_code text not null,
  seq integer not null check (seq > 0),
  action text not null,
  status_after text not null,
  at timestamptz not null,
  actor_id uuid,
  actor_name text not null,
  actor_role text,
  acting_unit_code text not null,
  transaction_id text not null,
  details jsonb not null,
  primary key (unit_code, dossier_code, seq),
  foreign key (unit_code, dossier_code) references dossiers (unit_code, code)
);

comment on table dossier_actions is 'Append-only log of every step of a dossier (receive, assign, process, request-supplement, …, return-result). The status is derived from it; Mẫu 06 and the national portal''s QuaTrinhXuLy are produced from it.';
comment on column dossier_actions.acting_unit_code is 'The unit at which the actor held the role that allowed the action (the processing unit, or the receiving centre).';
comment on column dossier_actions.details is 'What the action carried: assignee, reasons, supplement items, new due date, target unit, result file…';

create or replace function dossier_actions_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'dossier_actions is append-only';
end;
$$;

create trigger dossier_actions_no_update before update or delete on dossier_actions
  for each row execute function dossier_actions_append_only();

-- Client transaction ids (Idempotency-Key): a retried command returns the first result and changes nothing.
create table dossier_commands (
  unit_code text not null,
  transaction_id text not null,
  dossier_code text not null,
  action text not null,
  actor_id uuid,
  created_at timestamptz not null,
  primary key (unit_code, transaction_id)
);

comment on table dossier_commands is 'One row per accepted command with its client transaction id; a retry with the same id answers the dossier as it is, without acting again.';

create table dossier_components (
  unit_code text not null,
  dossier_code text not null,
  position integer not null,
  name text not null,
  originals integer,
  copies integer,
  is_required boolean not null,
  is_provided boolean not null,
  digitisation text not null check (digitisation in
    ('scanned', 'electronic', 'shown_only', 'verification_result', 'secret', 'not_provided')),
  primary key (unit_code, dossier_code, position),
  foreign key (unit_code, dossier_code) references dossiers (unit_code, code)
);

comment on table dossier_components is 'Thành phần hồ sơ as checked at intake against the procedure version''s list, with how each was digitised.';
comment on column dossier_components.digitisation is 'scanned: a scan is attached; electronic: filed electronically (not digitised again); shown_only: only shown, not kept; verification_result: another agency''s verification result; secret: a secret document (NĐ 118 Art. 17(1)(c), TT 01/2023/TT-VPCP Art. 8); not_provided.';

-- Files: the bytes are in the content-addressed store (sha256); these rows say what they are for.
create table dossier_files (
  unit_code text not null,
  id uuid not null,
  dossier_code text not null,
  kind text not null check (kind in ('component', 'result')),
  component_position integer,
  file_name text not null,
  media_type text not null check (media_type in ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes integer not null check (size_bytes > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_at timestamptz not null,
  uploaded_by uuid,
  primary key (unit_code, id),
  foreign key (unit_code, dossier_code) references dossiers (unit_code, code)
);

comment on table dossier_files is 'Scans of components (kind component) and result documents (kind result) of a dossier; the content lives in the file store under its SHA-256.';

-- Uploads made before the dossier exists (the counter form): kept so a failed form never loses a good file.
create table dossier_uploads (
  unit_code text not null,
  id uuid not null,
  file_name text not null,
  media_type text not null check (media_type in ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes integer not null check (size_bytes > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_at timestamptz not null,
  uploaded_by uuid not null,
  primary key (unit_code, id)
);

comment on table dossier_uploads is 'Files uploaded at a counter before the dossier is accepted; the intake form carries their ids, so a form sent back with an error keeps them.';

-- The workflow of a procedure (steps, roles, time shares), as data; procedures without a row use the default.
create table dossier_workflows (
  procedure_code text primary key,
  definition jsonb not null,
  updated_at timestamptz not null,
  updated_by uuid
);

comment on table dossier_workflows is 'A procedure''s own workflow (WorkflowDefinition of src/modules/dossiers/dossier-workflow.ts): which roles act at each step and each step''s share of the processing time. A reference table, like procedures.';
