/**
 * Signing in to the console on AWS: Cognito's managed login with the authorization code grant and PKCE
 * (RFC 7636). The code verifier and the state live in sessionStorage only between the redirect to the
 * managed login and the callback; the tokens go back to the caller, who keeps them in memory (never in
 * localStorage, where any script of the origin could read them long after).
 */
import type { CognitoAuthConfig } from './cognito-config';

export interface CognitoTokens {
  /** Sent to the API as the bearer token: it carries `cognito:groups`, the roles. */
  accessToken: string;
  idToken: string;
  /** When the access token expires, in milliseconds since the epoch. */
  expiresAt: number;
  refreshToken?: string;
}

/** Sign-in that cannot go on: a forged or stale callback, a refusal by the managed login or the token endpoint. */
export class CognitoSignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CognitoSignInError';
  }
}

const VERIFIER_KEY = 'loa.signIn.verifier';
const STATE_KEY = 'loa.signIn.state';
/** RFC 7636 4.1: a code verifier is 43 to 128 of these. */
const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
const VERIFIER_LENGTH = 64;
const STATE_LENGTH = 32;

/** Sends the browser to the managed login; it comes back to `redirectUri` with a code. */
export async function beginSignIn(config: CognitoAuthConfig): Promise<void> {
  const verifier = randomUnreserved(VERIFIER_LENGTH);
  const state = randomUnreserved(STATE_LENGTH);
  sessionStorage.setItem(VERIFIER_KEY, verifier);
  sessionStorage.setItem(STATE_KEY, state);
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scopes.join(' '),
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  });
  location.assign(`${endpoint(config, '/oauth2/authorize')}?${query}`);
}

/**
 * Trades the code of the callback for tokens, once: the verifier and state are gone afterwards, whatever
 * the outcome, so a callback URL replayed later is refused.
 */
export async function completeSignIn(config: CognitoAuthConfig, callbackUrl: string, now: () => number = Date.now): Promise<CognitoTokens> {
  const verifier = sessionStorage.getItem(VERIFIER_KEY);
  const expectedState = sessionStorage.getItem(STATE_KEY);
  sessionStorage.removeItem(VERIFIER_KEY);
  sessionStorage.removeItem(STATE_KEY);

  const query = new URL(callbackUrl).searchParams;
  const error = query.get('error');
  if (error) throw new CognitoSignInError(`The sign-in was refused: ${query.get('error_description') ?? error}`);
  if (!verifier || !expectedState) throw new CognitoSignInError('No sign-in was started in this tab');
  if (query.get('state') !== expectedState)
    throw new CognitoSignInError('The sign-in response does not match the sign-in this tab started (state)');
  const code = query.get('code');
  if (!code) throw new CognitoSignInError('The sign-in response has no authorization code');

  return requestTokens(
    config,
    new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: config.redirectUri,
      code_verifier: verifier,
    }),
    now,
  );
}

/** New access and ID tokens before the old ones expire; Cognito keeps the refresh token, so it is handed back. */
export async function refresh(config: CognitoAuthConfig, refreshToken: string, now: () => number = Date.now): Promise<CognitoTokens> {
  const tokens = await requestTokens(
    config,
    new URLSearchParams({ grant_type: 'refresh_token', client_id: config.clientId, refresh_token: refreshToken }),
    now,
  );
  return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
}

/** Where to send the browser to end the managed login's session too; it comes back to `logoutUri`. */
export function signOutUrl(config: CognitoAuthConfig): string {
  return `${endpoint(config, '/logout')}?${new URLSearchParams({ client_id: config.clientId, logout_uri: config.logoutUri })}`;
}

/** RFC 7636 4.2, S256: BASE64URL(SHA-256(ASCII(verifier))), without padding. */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** `length` characters of the unreserved set, each equally likely. */
export function randomUnreserved(length: number): string {
  // Bytes at or above the largest multiple of the set's size would favour its first characters.
  const limit = 256 - (256 % UNRESERVED.length);
  let text = '';
  while (text.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length))) {
      if (byte < limit && text.length < length) text += UNRESERVED[byte % UNRESERVED.length];
    }
  }
  return text;
}

async function requestTokens(config: CognitoAuthConfig, form: URLSearchParams, now: () => number): Promise<CognitoTokens> {
  const response = await fetch(endpoint(config, '/oauth2/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new CognitoSignInError(`The token endpoint refused: ${String(body.error_description ?? body.error ?? response.status)}`);
  }
  const { access_token: accessToken, id_token: idToken, expires_in: expiresIn, refresh_token: refreshToken } = body;
  if (typeof accessToken !== 'string' || typeof idToken !== 'string' || typeof expiresIn !== 'number') {
    throw new CognitoSignInError('The token endpoint answered without an access token, ID token and expiry');
  }
  return {
    accessToken,
    idToken,
    expiresAt: now() + expiresIn * 1000,
    ...(typeof refreshToken === 'string' && { refreshToken }),
  };
}

function endpoint(config: CognitoAuthConfig, path: string): string {
  return `${config.domain.replace(/\/+$/, '')}${path}`;
}
