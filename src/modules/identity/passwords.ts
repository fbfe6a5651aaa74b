// argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane): about 20-40 ms a hash on these machines.
import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id of the package's const enum (not importable under verbatimModuleSyntax).
const ARGON2ID = 2;

const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verifying against this when the account does not exist keeps the answer time the same, so timing does not tell
// which usernames exist.
const DUMMY_HASH = hash('xaso-dummy-password-for-timing', OPTIONS);

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash ?? (await DUMMY_HASH), password);
  } catch {
    return false;
  }
}
