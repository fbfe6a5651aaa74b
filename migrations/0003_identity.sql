-- Accounts, roles granted at units, server-side sessions and sign-in attempts.
create table users (
  id uuid primary key default gen_random_uuid(),
  username text not null,
  full_name text not null,
  email text,
  phone text,
  password_hash text not null,
  is_active boolean not null default true,
  created_at timestamptz not null,
  created_by uuid references users (id)
);
create unique index users_username on users (lower(username));
comment on column users.password_hash is 'argon2id (PHC string); never logged, never returned by the API.';

-- A staff role is always granted at a unit (a commune or the province); the citizen role at none.
-- Grants are never deleted: revoking sets revoked_at/revoked_by, so who could do what, when, stays answerable.
create table role_grants (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id),
  role text not null check (role in ('citizen', 'desk_officer', 'specialist', 'leader', 'records_clerk',
    'community_team_member', 'province_admin', 'system_admin')),
  unit_code text,
  granted_at timestamptz not null,
  granted_by uuid references users (id),
  revoked_at timestamptz,
  revoked_by uuid references users (id),
  check ((role = 'citizen') = (unit_code is null))
);
create unique index role_grants_active on role_grants (user_id, role, coalesce(unit_code, '')) where revoked_at is null;
create index role_grants_unit on role_grants (unit_code) where revoked_at is null;
comment on column role_grants.unit_code is 'Administrative unit the role applies at; a grant at a province also covers its communes.';

-- Server-side sessions (revocable). The key is the SHA-256 of the cookie's session id, so a copy of this table
-- does not give anyone a live session.
create table sessions (
  sid_hash text primary key,
  user_id uuid references users (id),
  data jsonb not null,
  expires_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index sessions_user on sessions (user_id);
create index sessions_expires on sessions (expires_at);

-- Sign-in attempts, counted in the database so throttling holds across several app servers.
create table login_attempts (
  id bigint generated always as identity primary key,
  username_key text not null,
  ip text not null,
  succeeded boolean not null,
  attempted_at timestamptz not null
);
create index login_attempts_username on login_attempts (username_key, attempted_at);
create index login_attempts_ip on login_attempts (ip, attempted_at);
comment on table login_attempts is 'Failed and successful sign-ins; rows older than a day can be purged.';
