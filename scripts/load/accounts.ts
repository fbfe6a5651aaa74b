// Whose password is which: the accounts of `npm run seed:scale` share one password, the demo accounts of `npm start`
// theirs. The load test signs in as both kinds, whichever the database holds.
import { DEMO_PASSWORD } from '../../src/demo-data.ts';

/** The password of every account `npm run seed:scale` creates (scripts/seed-scale.ts). */
export const SCALE_PASSWORD = 'scale-xaso-2026';

/** The generator's usernames: motcua.02647, chuyenvien.02647, chuyenvien2.02647, lanhdao.02647, vanthu.02647, congdan.17. */
const SCALE_USERNAME = /^(?:(?:motcua|chuyenvien2?|lanhdao|vanthu)\.\d{5}|congdan\.\d+)$/;

export function passwordOf(username: string): string {
  return SCALE_USERNAME.test(username) ? SCALE_PASSWORD : DEMO_PASSWORD;
}
