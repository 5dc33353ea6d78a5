/**
 * Sign-in on AWS (src/auth/cognito.ts) against a stand-in for Cognito's token endpoint on loopback. The
 * browser's sessionStorage and location are replaced by the least that behaves like them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  beginSignIn,
  challengeOf,
  CognitoSignInError,
  completeSignIn,
  randomUnreserved,
  refresh,
  signOutUrl,
} from '../../src/auth/cognito.js';
import type { CognitoAuthConfig } from '../../src/auth/cognito-config.js';

const UNRESERVED = /^[A-Za-z0-9\-._~]+$/;
const NOW = Date.UTC(2026, 11, 5, 3, 0, 0);

interface TokenRequest {
  path: string;
  contentType: string | undefined;
  body: string;
}

/** Answers every POST with the next queued reply and records the request. */
let server: Server;
let requests: TokenRequest[] = [];
let replies: { status: number; body: unknown }[] = [];
let config: CognitoAuthConfig;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      requests.push({ path: request.url ?? '', contentType: request.headers['content-type'], body });
      const reply = replies.shift() ?? { status: 500, body: { error: 'no reply queued' } };
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  config = {
    kind: 'cognito',
    domain: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientId: '4h2kq9tq0example',
    redirectUri: 'https://d111111abcdef8.cloudfront.net/auth/callback',
    logoutUri: 'https://d111111abcdef8.cloudfront.net/',
    scopes: ['openid', 'profile', 'email'],
  };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** The browser: one tab's sessionStorage, a localStorage that must stay empty, and where it was sent. */
let session: Map<string, string>;
let local: Map<string, string>;
let assigned: string[];

function storage(items: Map<string, string>): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}

beforeEach(() => {
  session = new Map();
  local = new Map();
  assigned = [];
  requests = [];
  replies = [];
  vi.stubGlobal('sessionStorage', storage(session));
  vi.stubGlobal('localStorage', storage(local));
  vi.stubGlobal('location', { assign: (url: string) => void assigned.push(url) });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Starts a sign-in and returns what the managed login was asked for. */
async function startSignIn(): Promise<URL> {
  assigned = [];
  await beginSignIn(config);
  expect(assigned).toHaveLength(1);
  return new URL(assigned[0]!);
}

const callback = (query: Record<string, string>) => `${config.redirectUri}?${new URLSearchParams(query)}`;

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636, appendix B', async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes verifiers of 64 unreserved characters, never the same twice', () => {
    const verifiers = Array.from({ length: 50 }, () => randomUnreserved(64));
    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{64}$/);
    expect(new Set(verifiers).size).toBe(50);
  });
});

describe('beginSignIn', () => {
  it('sends the browser to the managed login with the code flow, the scopes, a state and the challenge of its kept verifier', async () => {
    const url = await startSignIn();
    expect(`${url.origin}${url.pathname}`).toBe(`${config.domain}/oauth2/authorize`);
    const query = Object.fromEntries(url.searchParams);
    expect(query).toEqual({
      response_type: 'code',
      client_id: config.clientId,
      redirect_uri: config.redirectUri,
      scope: 'openid profile email',
      state: expect.stringMatching(UNRESERVED),
      code_challenge: expect.any(String),
      code_challenge_method: 'S256',
    });
    const [verifier, state] = [...session.values()];
    expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{64}$/);
    expect(query.state).toBe(state);
    expect(query.code_challenge).toBe(await challengeOf(verifier!));
    expect(local.size).toBe(0);
  });

  it('starts every sign-in with a new verifier and state', async () => {
    const first = await startSignIn();
    const second = await startSignIn();
    expect(second.searchParams.get('state')).not.toBe(first.searchParams.get('state'));
    expect(second.searchParams.get('code_challenge')).not.toBe(first.searchParams.get('code_challenge'));
  });
});

describe('completeSignIn', () => {
  const tokenReply = {
    access_token: 'access.jwt',
    id_token: 'id.jwt',
    refresh_token: 'refresh-opaque',
    expires_in: 3600,
    token_type: 'Bearer',
  };

  it('posts the code with the verifier to the token endpoint and returns the tokens, leaving nothing in storage', async () => {
    const state = (await startSignIn()).searchParams.get('state')!;
    const verifier = [...session.values()][0]!;
    replies.push({ status: 200, body: tokenReply });

    const tokens = await completeSignIn(config, callback({ code: 'c0de-from-cognito', state }), () => NOW);

    expect(tokens).toEqual({ accessToken: 'access.jwt', idToken: 'id.jwt', refreshToken: 'refresh-opaque', expiresAt: NOW + 3_600_000 });
    expect(requests).toEqual([
      {
        path: '/oauth2/token',
        contentType: 'application/x-www-form-urlencoded',
        body:
          `grant_type=authorization_code&client_id=${config.clientId}&code=c0de-from-cognito` +
          // URLSearchParams writes the verifier's '~' as %7E.
          `&redirect_uri=https%3A%2F%2Fd111111abcdef8.cloudfront.net%2Fauth%2Fcallback&code_verifier=${verifier.replaceAll('~', '%7E')}`,
      },
    ]);
    expect(session.size).toBe(0);
    expect(local.size).toBe(0);
  });

  it('refuses a callback whose state is not the one this tab sent, without asking for tokens, and forgets the sign-in', async () => {
    await startSignIn();
    await expect(completeSignIn(config, callback({ code: 'stolen-code', state: 'forged-state' }))).rejects.toThrow(/state/);
    expect(requests).toEqual([]);
    expect(session.size).toBe(0);
  });

  it('refuses a callback replayed after the sign-in completed', async () => {
    const state = (await startSignIn()).searchParams.get('state')!;
    replies.push({ status: 200, body: tokenReply });
    await completeSignIn(config, callback({ code: 'c0de', state }));
    await expect(completeSignIn(config, callback({ code: 'c0de', state }))).rejects.toThrow(CognitoSignInError);
    expect(requests).toHaveLength(1);
  });

  it('says why when the managed login refused or the token endpoint did', async () => {
    await startSignIn();
    await expect(completeSignIn(config, callback({ error: 'access_denied', error_description: 'User is disabled.' }))).rejects.toThrow(
      'The sign-in was refused: User is disabled.',
    );

    const state = (await startSignIn()).searchParams.get('state')!;
    replies.push({ status: 400, body: { error: 'invalid_grant' } });
    await expect(completeSignIn(config, callback({ code: 'expired', state }))).rejects.toThrow('The token endpoint refused: invalid_grant');
  });
});

describe('refresh', () => {
  it('trades the refresh token for new tokens and keeps the refresh token Cognito does not renew', async () => {
    replies.push({ status: 200, body: { access_token: 'access-2', id_token: 'id-2', expires_in: 3600, token_type: 'Bearer' } });
    const tokens = await refresh(config, 'refresh-opaque', () => NOW);
    expect(tokens).toEqual({ accessToken: 'access-2', idToken: 'id-2', refreshToken: 'refresh-opaque', expiresAt: NOW + 3_600_000 });
    expect(requests[0]!.body).toBe(`grant_type=refresh_token&client_id=${config.clientId}&refresh_token=refresh-opaque`);
  });

  it('fails when the refresh token is no longer accepted (revoked at sign-out, or expired)', async () => {
    replies.push({ status: 400, body: { error: 'invalid_grant', error_description: 'Refresh Token has been revoked' } });
    await expect(refresh(config, 'revoked')).rejects.toThrow('Refresh Token has been revoked');
  });
});

describe('signOutUrl', () => {
  it('is the managed login’s logout endpoint, back to the console', () => {
    expect(signOutUrl(config)).toBe(
      `${config.domain}/logout?client_id=${config.clientId}&logout_uri=https%3A%2F%2Fd111111abcdef8.cloudfront.net%2F`,
    );
  });
});
