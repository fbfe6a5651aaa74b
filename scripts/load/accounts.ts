// Whose password is which: the accounts of `npm run seed:scale` share one password, the demo accounts of `npm start`
// theirs. The load test signs in as both kinds, whichever the database holds.
import { DEMO_PASSWORD } from '../../src/demo-data.ts';
import { SCALE_PASSWORD, STAFF_ACCOUNTS } from '../seed-scale/accounts.ts';

/** The generator's usernames (scripts/seed-scale/accounts.ts): motcua.02647, chuyenvien2.02647, congdan.17, … */
const SCALE_USERNAME = new RegExp(
  `^(?:(?:${STAFF_ACCOUNTS.map((a) => a.prefix).join('|')})\\.\\d{5}|congdan\\.\\d+)$`,
);

export function passwordOf(username: string): string {
  return SCALE_USERNAME.test(username) ? SCALE_PASSWORD : DEMO_PASSWORD;
}
