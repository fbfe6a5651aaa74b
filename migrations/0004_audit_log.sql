-- The audit log (nhật ký kiểm tra): append-only and hash-chained. Each entry's hash covers its own fields and
-- the previous entry's hash, so editing or deleting any entry breaks the chain from there on
-- (`npm run audit:verify` names the first broken entry). Entries are written in the same transaction as the
-- change they record, under a transaction-level advisory lock that orders the chain.
create table audit_log (
  seq bigint primary key,
  at timestamptz not null,
  actor_id uuid,
  actor_name text,
  unit_code text,
  action text not null,
  target_type text,
  target_id text,
  details jsonb not null default '{}',
  request_id text,
  prev_hash text not null,
  hash text not null unique
);
create index audit_log_target on audit_log (target_type, target_id);
create index audit_log_actor on audit_log (actor_id, at);

comment on column audit_log.actor_id is 'No foreign key on purpose: the audit trail must outlive anything it mentions.';
comment on column audit_log.hash is 'sha256 hex of prev_hash and the canonical JSON of the entry (see src/modules/audit/audit-chain.ts).';

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op;
end;
$$;

create trigger audit_log_no_update_or_delete before update or delete on audit_log
  for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_is_append_only();
