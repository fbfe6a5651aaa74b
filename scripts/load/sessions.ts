// Signing in before the run: each account's session cookie and a CSRF token of that session, made once and then
// sent by every request of the connections that act as that person (a token stays valid for its session).
import { passwordOf } from './accounts.ts';

export interface SignedIn {
  username: string;
  userId: string;
  /** The `Cookie` header value. */
  cookie: string;
  csrfToken: string;
}

const SESSION_COOKIE = 'xaso_sid';

function sessionCookieOf(response: Response, previous: string): string {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    if (pair?.startsWith(`${SESSION_COOKIE}=`)) return pair;
  }
  return previous;
}

async function csrfToken(baseUrl: string, cookie: string): Promise<{ cookie: string; token: string }> {
  const response = await fetch(`${baseUrl}/api/session/csrf-token`, {
    headers: cookie ? { cookie } : {},
  });
  if (response.status !== 200)
    throw new Error(`GET /api/session/csrf-token trả về ${response.status}: ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  return { cookie: sessionCookieOf(response, cookie), token };
}

/** Signs in through the API as a browser's script would: a CSRF token first, then POST /api/session. */
export async function signIn(baseUrl: string, username: string): Promise<SignedIn> {
  const before = await csrfToken(baseUrl, '');
  const response = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { cookie: before.cookie, 'content-type': 'application/json', 'x-csrf-token': before.token },
    body: JSON.stringify({ username, password: passwordOf(username) }),
  });
  if (response.status !== 200)
    throw new Error(
      `Không đăng nhập được tài khoản ${username}: HTTP ${response.status} ${await response.text()}`,
    );
  const { userId } = (await response.json()) as { userId: string };
  // The session id changes at sign-in; the token must come from the new session.
  const after = await csrfToken(baseUrl, sessionCookieOf(response, before.cookie));
  return { username, userId, cookie: after.cookie, csrfToken: after.token };
}

/** Signs in every account, a few at a time (each sign-in is an argon2id verification on the server). */
export async function signInAll(
  baseUrl: string,
  usernames: readonly string[],
  inFlight = 4,
): Promise<Map<string, SignedIn>> {
  const signedIn = new Map<string, SignedIn>();
  const queue = [...new Set(usernames)];
  const worker = async () => {
    for (let username = queue.shift(); username !== undefined; username = queue.shift())
      signedIn.set(username, await signIn(baseUrl, username));
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, queue.length) }, worker));
  return signedIn;
}
