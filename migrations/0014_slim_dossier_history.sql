-- A province keeps millions of dossiers for years: rows that only repeated what another table holds go.
-- The components of a dossier are the entries of its procedure version's list (procedure_versions never change),
-- so a row keeps what was given for a position, not a copy of the entry's name, counts and whether it is required.
alter table dossier_components
  drop column name,
  drop column originals,
  drop column copies,
  drop column is_required;

comment on table dossier_components is 'Thành phần hồ sơ as checked at intake: for each position of the procedure version''s components list (procedureComponents of src/modules/dossiers/dossiers.service.ts: the list without its headings, numbered from 1), whether it was given and how it was digitised. Name, counts and whether it is required are read from the version.';

-- Client transaction ids are kept for a retry window, not for ever: the dossier's action log keeps each
-- action's transaction id; this table only lets a retry answer without acting again.
create index dossier_commands_created on dossier_commands (created_at);

comment on table dossier_commands is 'One row per accepted command with its client transaction id, kept 30 days (the job dossier-commands-prune): a retry with the same id within them answers the dossier as it is, without acting again. A later retry is a new command, which the version check and the workflow refuse when the dossier has moved on.';
