-- The procedure catalogue (CSDL quốc gia về TTHC as the province announces it). A procedure has versions: a
-- change creates a new version with its effective date, and a dossier keeps the version it was received under.
-- `procedures` holds the current version's searchable columns; the full record of every version is in
-- `procedure_versions.record` (the ProcedureRecord of src/modules/procedures/procedure-record.ts).
create table procedures (
  code text primary key,
  base_code text not null,
  name text not null,
  field text not null,
  levels text[] not null,
  online_service_level text check (online_service_level in ('toan_trinh', 'mot_phan', 'none')),
  current_version integer not null,
  search_text text not null,
  has_unparsed_rules boolean not null,
  missing_components text[] not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  withdrawn_at timestamptz
);

comment on table procedures is 'Thủ tục hành chính: one row per announced code, with the current version''s searchable columns.';
comment on column procedures.code is 'As announced: national d.dddddd, or the localised d.dddddd.000.00.00.Hnn of a province.';
comment on column procedures.base_code is 'The 6-digit national code (d.dddddd) the localised code extends.';
comment on column procedures.search_text is 'Folded (no diacritics, đ→d, lower case) name, codes and field, computed by the app; trigram-indexed.';
comment on column procedures.has_unparsed_rules is 'A processing time or fee of the current version was kept as text only and needs an administrator.';
comment on column procedures.missing_components is 'Components the law requires to be published (khoản 2 Điều 8 NĐ 63/2010; QĐ 766 indicator 1.3) that the current version lacks.';
comment on column procedures.withdrawn_at is 'Set when an announcement abolishes the procedure (bãi bỏ); its versions stay for the dossiers that used them.';

create index procedures_search on procedures using gin (search_text gin_trgm_ops);
create index procedures_base_code on procedures (base_code);
create index procedures_field on procedures (field);

create table procedure_versions (
  procedure_code text not null references procedures (code),
  version integer not null check (version > 0),
  effective_from date not null,
  record jsonb not null,
  content_hash text not null,
  created_at timestamptz not null,
  created_by uuid,
  import_id uuid,
  primary key (procedure_code, version)
);

comment on table procedure_versions is 'Every version of every procedure; never updated. A dossier refers to (procedure_code, version).';
comment on column procedure_versions.content_hash is 'sha256 of the canonical JSON of the record without its source: the same content imported again is not a new version.';

-- Which commune centre offers which procedure (the province enables them per centre). Owned by the unit:
-- distributed by unit_code at scale; procedures is a reference table.
create table procedure_offerings (
  unit_code text not null,
  procedure_code text not null references procedures (code),
  enabled_at timestamptz not null,
  enabled_by uuid,
  primary key (unit_code, procedure_code)
);

create table procedure_imports (
  id uuid primary key,
  file_name text not null,
  format text not null,
  dry_run boolean not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  summary jsonb not null,
  errors jsonb not null,
  created_by uuid
);

comment on table procedure_imports is 'Each import run (command or administrator page): what it created, changed, left unchanged, and its per-row errors.';
