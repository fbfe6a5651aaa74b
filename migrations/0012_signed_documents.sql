-- Documents xaso signs (issue 7): the Mẫu 01 receipt of a dossier, signed by its centre, and a dossier's result,
-- signed by the approving leader and then by the agency. Each is a queue entry too: signing runs after the
-- dossier's own transaction, and a failure is recorded, shown to the officer and retried, never lost.
create table signed_documents (
  unit_code text not null,
  id uuid not null,
  dossier_code text not null,
  kind text not null check (kind in ('receipt', 'result')),
  title text not null,
  file_name text not null,
  -- The unsigned PDF; null for a receipt until its first attempt renders it (the form's data is final by then).
  source_sha256 text check (source_sha256 ~ '^[0-9a-f]{64}$'),
  -- Where each signer's appearance goes in the source, when xaso laid the document out: { "<role>": rect }.
  layout jsonb,
  -- The dossier_files row of a result, which takes the signed file once every signer has signed.
  file_id uuid,
  -- Who signs, in order: [{ "holder": "centre" | "agency" | "person", "unitCode", "userId"?, "name", "role" }].
  steps jsonb not null check (jsonb_typeof(steps) = 'array' and jsonb_array_length(steps) > 0),
  done_steps integer not null default 0 check (done_steps >= 0),
  -- The file after done_steps signatures, each verified before it was recorded.
  current_sha256 text check (current_sha256 ~ '^[0-9a-f]{64}$'),
  status text not null check (status in ('pending', 'signed', 'failed')),
  attempts integer not null default 0,
  last_error text,
  next_attempt_at timestamptz,
  created_at timestamptz not null,
  signed_at timestamptz,
  -- Each finished step: [{ "step", "signer", "certificate", "at", "timestamped" }].
  signatures jsonb not null default '[]',
  primary key (unit_code, id),
  foreign key (unit_code, dossier_code) references dossiers (unit_code, code),
  check (status <> 'signed' or (current_sha256 is not null and signed_at is not null))
);

comment on table signed_documents is 'A receipt or result that xaso signs: the unsigned source, the signers in order, how many have signed, the file as it stands, and the attempts (pending, signed, failed with the error and the time of the next try). Owned by the receiving unit of the dossier.';

create index signed_documents_due on signed_documents (next_attempt_at) where status <> 'signed';
create index signed_documents_dossier on signed_documents (unit_code, dossier_code);

-- Every file xaso issued, by the SHA-256 of its exact bytes: how the public verification page answers "did xaso
-- issue this file, and for which dossier". Looked up across units, so keyed by the hash alone.
create table issued_files (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  unit_code text not null,
  document_id uuid not null,
  dossier_code text not null,
  kind text not null check (kind in ('receipt', 'result')),
  title text not null,
  issued_at timestamptz not null
);

comment on table issued_files is 'The exact files xaso issued (signed receipts and results), by SHA-256, with the dossier they belong to: the public verification page looks an uploaded file up here.';
