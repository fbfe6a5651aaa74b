-- What the province trusts when xaso verifies a signature (issue 7): the root certificates of the certification
-- service providers (tổ chức cung cấp dịch vụ chứng thực), e.g. the national root CA, and the certificate revocation
-- lists (CRL, danh sách chứng thư số bị thu hồi) of the authorities under them. Administered by the province's
-- administrators (permission signing.manage); every change is in the audit log. Installation-wide reference data.
create table trusted_roots (
  id uuid primary key,
  name text not null check (length(name) between 1 and 200),
  certificate bytea not null,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  subject text not null,
  not_before timestamptz not null,
  not_after timestamptz not null,
  added_at timestamptz not null,
  added_by uuid,
  removed_at timestamptz,
  removed_by uuid
);

comment on table trusted_roots is 'Root certificates the province trusts: a signature is "trusted" when its certificate chains to one of them, each certificate valid at the signing time. Removing sets removed_at (the row stays for the audit trail).';
comment on column trusted_roots.certificate is 'The certificate, DER. It must be a CA (basicConstraints cA = TRUE); checked at upload with node:crypto.';
comment on column trusted_roots.sha256 is 'SHA-256 of the DER, lower-case hex: the fingerprint shown to administrators.';
comment on column trusted_roots.subject is 'The subject distinguished name as shown (CN=…, O=…, C=VN), for the list.';

-- One active row per certificate: a removed root may be added again.
create unique index trusted_roots_active_sha256 on trusted_roots (sha256) where removed_at is null;

create table certificate_revocation_lists (
  id uuid primary key,
  sha256 text not null unique check (sha256 ~ '^[0-9a-f]{64}$'),
  issuer_name text not null,
  issuer_sha256 text not null check (issuer_sha256 ~ '^[0-9a-f]{64}$'),
  issuer_certificate bytea not null,
  der bytea not null,
  this_update timestamptz not null,
  next_update timestamptz,
  revoked_count integer not null check (revoked_count >= 0),
  added_at timestamptz not null,
  added_by uuid
);

comment on table certificate_revocation_lists is 'CRLs uploaded by administrators. A CRL is accepted only when its signature verifies with a trusted root or with an intermediate certificate (uploaded with it) that a trusted root issued; verification uses, per certificate issuer, the newest CRL whose signature verifies with that issuer.';
comment on column certificate_revocation_lists.issuer_name is 'The CRL issuer distinguished name (CN=…, O=…, C=VN).';
comment on column certificate_revocation_lists.issuer_sha256 is 'SHA-256 of the certificate the CRL signature was verified with (a trusted root or the intermediate in issuer_certificate).';
comment on column certificate_revocation_lists.issuer_certificate is 'That certificate, DER, kept so the check can be repeated and the intermediate offered to the verifier.';

create index certificate_revocation_lists_issuer on certificate_revocation_lists (issuer_sha256, this_update desc);
