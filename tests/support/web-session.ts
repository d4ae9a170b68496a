/**
 * Signing in to a browser-mode host over real HTTP, for tests that are not about the sign-in
 * screens: the first-run `auth.setup` answers with the HttpOnly session cookie, which the test
 * then hands to a browser context (or sends itself).
 */
import type { Backend } from '../../electron/core/backend';
import { TEST_PASSPHRASE } from './temp-backend';
import type { CallInput, CallName, CallOutput } from '../../shared/api/contract';

export const SESSION_COOKIE = 'sohoa_session';

/** Synthetic administrator used by the tests. */
export const TEST_ADMIN = { username: 'quantri', password: 'mat-khau-thu-nghiem', displayName: 'Phạm Minh Quản' };

export interface WebSession {
  /** The session token, as the host set it in the cookie. */
  token: string;
  /** `sohoa_session=…`, for a Cookie header. */
  cookieHeader: string;
  /** For playwright's `context.addCookies`. */
  cookie: { name: string; value: string; url: string };
}

function sessionFrom(baseUrl: string, res: Response): WebSession {
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  const value = setCookie ? /^[^=]+=([^;]*)/.exec(setCookie)?.[1] : undefined;
  if (!value) throw new Error('the host set no session cookie');
  return {
    token: decodeURIComponent(value),
    cookieHeader: `${SESSION_COOKIE}=${value}`,
    cookie: { name: SESSION_COOKIE, value, url: baseUrl },
  };
}

async function authCall(baseUrl: string, name: 'auth.setup' | 'auth.signIn', body: unknown): Promise<WebSession> {
  const res = await fetch(`${baseUrl}/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const result = (await res.clone().json()) as { ok: boolean; error?: { code: string } };
  if (!result.ok) throw new Error(`${name} failed: ${result.error?.code ?? '?'}`);
  return sessionFrom(baseUrl, res);
}

/**
 * First run: sets the data passphrase when the host has none yet (as the first-run screen does),
 * then creates the administrator through `POST /api/auth.setup` and returns the session.
 */
export async function setUpAdmin(baseUrl: string, admin = TEST_ADMIN): Promise<WebSession> {
  const post = async (name: string, body: unknown): Promise<{ ok: boolean; value?: { state: string } }> =>
    (await fetch(`${baseUrl}/api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((res) => res.json())) as { ok: boolean; value?: { state: string } };
  const vault = await post('vault.status', {});
  if (vault.value?.state === 'unset') {
    const set = await post('vault.setUp', { passphrase: TEST_PASSPHRASE });
    if (!set.ok) throw new Error('vault.setUp failed');
  }
  return authCall(baseUrl, 'auth.setup', admin);
}

export function signIn(baseUrl: string, credentials: { username: string; password: string }): Promise<WebSession> {
  return authCall(baseUrl, 'auth.signIn', credentials);
}

/** A call through dispatch as the session's user, unwrapped; fails the test on a refusal. */
export async function callAs<N extends CallName>(
  backend: Backend,
  session: WebSession,
  name: N,
  input: CallInput<N>,
): Promise<CallOutput<N>> {
  const result = await backend.call(name, input, { token: session.token });
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value as CallOutput<N>;
}
