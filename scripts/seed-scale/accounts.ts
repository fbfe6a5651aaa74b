// The accounts of the generated data, and the contract the load test (`npm run load`) relies on:
//   motcua.{unit}       desk officer (một cửa) of the commune {unit} (5 digits, e.g. motcua.02647)
//   chuyenvien.{unit}   specialist; chuyenvien2.{unit} a second specialist
//   lanhdao.{unit}      leader
//   vanthu.{unit}       records clerk
//   congdan.{n}         citizen, n = 1 … ceil(dossiers / 20): the owners of the dossiers filed online
// every one with the password SCALE_PASSWORD. Accounts that exist already are left as they are.
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { hashPassword } from '../../src/modules/identity/passwords.ts';
import type { Role } from '../../src/modules/identity/index.ts';
import { NULL, nullableText, text } from './copy-text.ts';
import type { Citizens, Person, UnitOfficers } from './generator.ts';
import { emailOf, mobilePhone, personName } from './people.ts';
import { Random, nameUuid } from './random.ts';

export const SCALE_PASSWORD = 'scale-xaso-2026';

export const STAFF_ACCOUNTS = [
  { prefix: 'motcua', role: 'desk_officer', title: 'một cửa' },
  { prefix: 'chuyenvien', role: 'specialist', title: 'chuyên viên' },
  { prefix: 'chuyenvien2', role: 'specialist', title: 'chuyên viên' },
  { prefix: 'lanhdao', role: 'leader', title: 'lãnh đạo' },
  { prefix: 'vanthu', role: 'records_clerk', title: 'văn thư' },
] as const satisfies readonly { prefix: string; role: Role; title: string }[];

export function staffUsername(prefix: (typeof STAFF_ACCOUNTS)[number]['prefix'], unitCode: string): string {
  return `${prefix}.${unitCode}`;
}

export function citizenUsername(n: number): string {
  return `congdan.${n}`;
}

export function citizenCount(dossiers: number): number {
  return Math.ceil(dossiers / 20);
}

/** A citizen's name, phone and email: drawn from the account's number alone, the same in every run. */
export function citizenProfile(n: number, provinceCode: string) {
  const random = new Random(`citizen-account:${n}`);
  const name = personName(random, provinceCode);
  return {
    fullName: name.fullName,
    phone: mobilePhone(random),
    email: random.chance(0.3) ? emailOf(random, name) : null,
  };
}

interface NewAccount {
  username: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  role: Role;
  unitCode: string | null;
}

/**
 * Creates the accounts that do not exist yet, all with the one password hash (argon2id, hashed once: hashing each
 * account would take hours at this scale). Returns how many were created.
 */
export async function createAccounts(
  pool: pg.Pool,
  accounts: Iterable<NewAccount>,
  now: Date,
): Promise<number> {
  const passwordHash = await hashPassword(SCALE_PASSWORD);
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `create temporary table seed_scale_accounts (id uuid, username text, full_name text, email text, phone text,
         role text, unit_code text, grant_id uuid) on commit drop`,
    );
    const lines = (function* () {
      for (const a of accounts)
        yield (
          `${nameUuid(`user:${a.username}`)}\t${text(a.username)}\t${text(a.fullName)}\t${nullableText(a.email)}\t` +
          `${nullableText(a.phone)}\t${a.role}\t${a.unitCode ?? NULL}\t${nameUuid(`grant:${a.username}`)}\n`
        );
    })();
    await pipeline(Readable.from(lines), client.query(copyFrom('copy seed_scale_accounts from stdin')));
    const { rows } = await client.query<{ n: number }>(
      `with created as (
         insert into users (id, username, full_name, email, phone, password_hash, is_active, created_at)
         select id, username, full_name, email, phone, $1, true, $2 from seed_scale_accounts
         on conflict do nothing
         returning id
       ), granted as (
         insert into role_grants (id, user_id, role, unit_code, granted_at)
         select a.grant_id, a.id, a.role, a.unit_code, $2 from seed_scale_accounts a join created c on c.id = a.id
         returning 1
       )
       select count(*)::int as n from granted`,
      [passwordHash, now],
    );
    await client.query('commit');
    return rows[0]!.n;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The officers of each commune, as the database has them (names of existing accounts are theirs). */
export async function readOfficers(
  pool: pg.Pool,
  unitCodes: string[],
): Promise<Record<string, UnitOfficers>> {
  const { rows } = await pool.query<{ id: string; username: string; full_name: string }>(
    `select u.id, u.username, u.full_name from users u
      where u.is_active and u.username ~ '^(motcua|chuyenvien|chuyenvien2|lanhdao|vanthu)\\.[0-9]{5}$'`,
  );
  const byName = new Map(rows.map((r) => [r.username, { id: r.id, name: r.full_name } satisfies Person]));
  const result: Record<string, UnitOfficers> = {};
  for (const code of unitCodes) {
    const get = (prefix: (typeof STAFF_ACCOUNTS)[number]['prefix']) => {
      const person = byName.get(staffUsername(prefix, code));
      if (!person) throw new Error(`Thiếu tài khoản ${staffUsername(prefix, code)}.`);
      return person;
    };
    result[code] = {
      desk: get('motcua'),
      specialists: [get('chuyenvien'), get('chuyenvien2')],
      leader: get('lanhdao'),
      clerk: get('vanthu'),
    };
  }
  return result;
}

/** Citizens congdan.1 … congdan.{count}, in order. */
export async function readCitizens(pool: pg.Pool, count: number): Promise<Citizens> {
  const { rows } = await pool.query<{
    id: string;
    n: number;
    full_name: string;
    phone: string | null;
    email: string | null;
  }>(
    `select id, substr(username, 9)::int as n, full_name, phone, email from users
      where username ~ '^congdan\\.[0-9]+$' and substr(username, 9)::bigint <= $1`,
    [count],
  );
  const citizens: Citizens = {
    offset: 0,
    ids: new Array<string>(count),
    names: new Array<string>(count),
    phones: new Array<string>(count),
    emails: new Array<string | null>(count),
  };
  for (const r of rows) {
    citizens.ids[r.n - 1] = r.id;
    citizens.names[r.n - 1] = r.full_name;
    citizens.phones[r.n - 1] = r.phone ?? '0912345678';
    citizens.emails[r.n - 1] = r.email;
  }
  for (let i = 0; i < count; i++)
    if (!citizens.ids[i]) throw new Error(`Thiếu tài khoản ${citizenUsername(i + 1)}.`);
  return citizens;
}
