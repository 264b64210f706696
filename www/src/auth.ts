// Sign-in for the staff and device pages (clerk, ledger, kiosk): the authorization-code flow with
// PKCE (S256) against the identity provider the server names (GET /v1/auth/config: the centre's
// OIDC provider, or `qiquan serve --dev-issuer` on one machine). The token is kept in
// sessionStorage (this tab only, gone when it closes), never in localStorage or a cookie, and sent
// as `Authorization: Bearer`. Applicants do not sign in: they hold their application's capability
// (register.ts), kept in memory.

const TOKEN = 'qiquan.token';
const PENDING = 'qiquan.pkce';

interface AuthConfig {
  issuer: string | null;
  client_id: string | null;
  authorization_endpoint: string | null;
  token_endpoint: string | null;
  dev: boolean;
}

interface Stored {
  token: string;
  expires: number;
}

function b64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(n: number): string {
  return b64url(crypto.getRandomValues(new Uint8Array(n)));
}

async function challenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return b64url(new Uint8Array(digest));
}

function stored(): Stored | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(TOKEN) ?? 'null') as Stored | null;
    return s && s.expires > Date.now() + 30_000 ? s : null;
  } catch {
    return null;
  }
}

/** The bearer header for the signed-in user ({} when not signed in). */
export function authHeaders(): Record<string, string> {
  const s = stored();
  return s ? { Authorization: `Bearer ${s.token}` } : {};
}

/** `fetch` with the bearer token. */
export function authFetch(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), ...authHeaders() } });
}

/**
 * Makes sure this tab is signed in: finishes a sign-in coming back with `?code=`, else goes to the
 * provider (the page navigates away; the promise then never resolves). `who` is the dev issuer's
 * user (`login_hint`); a real provider asks the person. Resolves false when the server has no
 * provider (the API will answer 401 and the page says so).
 */
export async function signIn(who: string): Promise<boolean> {
  const url = new URL(location.href);
  const code = url.searchParams.get('code');
  const config = (await fetch('/v1/auth/config')
    .then((r) => r.json())
    .catch(() => null)) as AuthConfig | null;
  if (!config?.authorization_endpoint || !config.token_endpoint || !config.client_id) return false;
  const redirect = url.pathname;
  if (code) {
    const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as {
      verifier: string;
      state: string;
      back: string;
    } | null;
    sessionStorage.removeItem(PENDING);
    const sameState = pending !== null && pending.state === url.searchParams.get('state');
    history.replaceState(null, '', url.pathname);
    if (pending && sameState) {
      const res = await fetch(config.token_endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          code_verifier: pending.verifier,
          redirect_uri: redirect,
          client_id: config.client_id,
        }).toString(),
      });
      const body = (await res.json().catch(() => null)) as { access_token?: string; expires_in?: number } | null;
      if (res.ok && body?.access_token) {
        const s: Stored = { token: body.access_token, expires: Date.now() + (body.expires_in ?? 300) * 1000 };
        sessionStorage.setItem(TOKEN, JSON.stringify(s));
        if (pending.back !== url.pathname) {
          // Back to the page as it was asked for (its query read when the module loaded).
          location.replace(pending.back);
          return new Promise(() => undefined);
        }
        return true;
      }
    }
  }
  if (stored()) return true;
  const verifier = random(32);
  const state = random(16);
  sessionStorage.setItem(
    PENDING,
    JSON.stringify({ verifier, state, back: location.pathname + location.search + location.hash }),
  );
  const go = new URL(config.authorization_endpoint, location.href);
  go.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.client_id,
    redirect_uri: redirect,
    scope: 'openid',
    state,
    code_challenge: await challenge(verifier),
    code_challenge_method: 'S256',
    login_hint: new URLSearchParams(location.search).get('as') ?? who,
  }).toString();
  location.assign(go.toString());
  return new Promise(() => undefined);
}

/** Whether this tab holds a token that has not expired. */
export function signedIn(): boolean {
  return stored() !== null;
}

/** Forgets this tab's token. */
export function signOut(): void {
  sessionStorage.removeItem(TOKEN);
}
