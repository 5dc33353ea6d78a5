import { stat } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueToken, loadOrCreateSigningKey, verifyToken } from '../../lambdas/embedded/tokens.js';
import { ok, route } from '../../lambdas/http/route.js';
import { ROUTES } from '../../lambdas/http/routes.js';
import { startTestApi, type TestApi } from './harness.js';

/** A plain node:http request on a given agent, to see whether the connection was reused. */
function rawRequest(
  url: string,
  agent: Agent,
  options: { method: string; path: string; token?: string; body?: string; contentType?: string },
): Promise<{ status: number; body: string; reusedSocket: boolean; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${options.path}`, {
      method: options.method,
      agent,
      headers: {
        ...(options.token && { authorization: `Bearer ${options.token}` }),
        ...(options.contentType && { 'content-type': options.contentType }),
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, reusedSocket: req.reusedSocket, connection: res.headers.connection }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the embedded HTTP server', () => {
  let release: () => void = () => {};
  let entered: () => void = () => {};
  const slowRoute = route({
    method: 'GET',
    path: '/test/slow',
    summary: 'Waits until the test releases it',
    tag: 'test',
    access: 'public',
    responses: { 200: { description: 'Released', schema: z.strictObject({ done: z.literal(true) }) } },
    handle: async () => {
      entered();
      await new Promise<void>((resolve) => (release = resolve));
      return ok({ done: true });
    },
  });
  const failingRoute = route({
    method: 'GET',
    path: '/test/fail',
    summary: 'Fails unexpectedly',
    tag: 'test',
    access: ['viewer'],
    responses: { 200: { description: 'Never', schema: z.strictObject({}) } },
    handle: async () => {
      throw new Error('database exploded while reading +84912345678 from /var/lib/loa/secret.db');
    },
  });

  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ routes: [...ROUTES, slowRoute, failingRoute] });
  });
  afterAll(() => api.close());

  it('answers GET /health without a token', async () => {
    const health = await api.anonymous.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
  });

  it('keeps connections alive between requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const token = await issueToken(api.signingKey, { user: 'tuan', roles: ['viewer'], ttlSeconds: 60 });
    const first = await rawRequest(api.url, agent, { method: 'GET', path: '/v1/templates', token });
    const second = await rawRequest(api.url, agent, { method: 'GET', path: '/v1/templates', token });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.reusedSocket).toBe(true);
    agent.destroy();
  });

  it('answers a refused CSV upload without reading it, and the connection carries on', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const viewer = await issueToken(api.signingKey, { user: 'tuan', roles: ['viewer'], ttlSeconds: 60 });
    const operator = await issueToken(api.signingKey, { user: 'hoa', roles: ['operator'], ttlSeconds: 60 });
    const big = `phone,area,tags\n${'0961000001,NOWHERE,\n'.repeat(100_000)}`;
    const refused = await rawRequest(api.url, agent, {
      method: 'POST',
      path: '/v1/subscribers/import',
      token: viewer,
      body: big,
      contentType: 'text/csv',
    });
    expect(refused.status).toBe(403);
    const badHeader = await rawRequest(api.url, agent, {
      method: 'POST',
      path: '/v1/subscribers/import',
      token: operator,
      body: `msisdn,region\n${'0961000001,X\n'.repeat(100_000)}`,
      contentType: 'text/csv',
    });
    expect(badHeader.status).toBe(422);
    expect(JSON.parse(badHeader.body).errors[0].field).toBe('header');
    const after = await rawRequest(api.url, agent, { method: 'GET', path: '/health' });
    expect(after.status).toBe(200);
    expect(after.reusedSocket).toBe(true);
    agent.destroy();
  });

  it('answers an unexpected error with a bare 500 and logs the cause with phone numbers masked', async () => {
    const result = await api.as('viewer').get('/test/fail');
    expect(result.status).toBe(500);
    expect(result.body).toEqual({
      type: 'urn:loa:problem:internal',
      title: 'Internal error',
      status: 500,
      detail: expect.any(String),
      instance: expect.stringMatching(/^urn:uuid:/),
    });
    expect(result.text).not.toMatch(/exploded|secret|912345678|at /);
    const logged = api.logs.find((entry) => entry.instance === result.body.instance);
    expect(logged).toMatchObject({ level: 'error', status: 500, caller: 'tuan', error: expect.stringContaining('database exploded') });
    expect(logged?.error).toContain('+8491****678');
    expect(logged?.error).not.toContain('912345678');
  });

  it('never logs a phone number whole', async () => {
    await api.as('viewer').get('/v1/subscribers/%2B84912345678');
    await api.as('viewer').get('/v1/subscribers/0912345679');
    await api.as('operator').delete('/v1/opt-outs/84912345670');
    const lines = JSON.stringify(api.logs);
    expect(lines).toContain('/v1/subscribers/+8491****678');
    expect(lines).not.toMatch(/91234567\d/);
  });

  it('closes by letting requests in flight finish and refusing new ones', async () => {
    const own = await startTestApi({ routes: [slowRoute] });
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const pending = fetch(`${own.url}/test/slow`);
    await inside;
    let closed = false;
    const closing = own.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    release();
    const response = await pending;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    await closing;
    await expect(fetch(`${own.url}/health`)).rejects.toThrow();
  });
});

describe('embedded tokens', () => {
  let dataDir: string;
  beforeAll(async () => {
    const api = await startTestApi();
    dataDir = api.dataDir;
    await api.close();
  });

  it('keeps one signing secret per data folder, readable by its owner only', async () => {
    const first = await loadOrCreateSigningKey(dataDir);
    const second = await loadOrCreateSigningKey(dataDir);
    expect(first.length).toBe(32);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect((await stat(join(dataDir, 'jwt-secret'))).mode & 0o777).toBe(0o600);
  });

  it('issues tokens naming the user and roles, which verify with the same key only', async () => {
    const key = await loadOrCreateSigningKey(dataDir);
    const token = await issueToken(key, { user: 'lan', roles: ['author', 'approver'], ttlSeconds: 600 });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'lan', roles: ['author', 'approver'], iss: 'loa-embedded', aud: 'loa' });
    expect(claims.exp! - claims.iat!).toBe(600);
    expect(await verifyToken(key, token)).toMatchObject({ sub: 'lan' });
    await expect(verifyToken(new Uint8Array(32), token)).rejects.toThrow();
    await expect(verifyToken(key, `${token.slice(0, -2)}xx`)).rejects.toThrow();
    const expired = await issueToken(key, { user: 'lan', roles: ['author'], ttlSeconds: -10 });
    await expect(verifyToken(key, expired)).rejects.toThrow();
  });

  it('makes a token of a person live at most 12 hours and of a system at most 90 days, and refuses longer ones', async () => {
    const key = await loadOrCreateSigningKey(dataDir);
    const day = 86_400;
    await expect(issueToken(key, { user: 'lan', roles: ['author'], ttlSeconds: 12 * 3_600 })).resolves.toBeTypeOf('string');
    await expect(issueToken(key, { user: 'lan', roles: ['author'], ttlSeconds: 12 * 3_600 + 1 })).rejects.toThrow(
      'A token for author lives at most 12 hours',
    );
    await expect(issueToken(key, { user: 'portal', roles: ['integration'], ttlSeconds: 90 * day })).resolves.toBeTypeOf('string');
    await expect(issueToken(key, { user: 'portal', roles: ['integration', 'operator'], ttlSeconds: 13 * 3_600 })).rejects.toThrow(
      'lives at most 12 hours',
    );

    // A 100-year token signed with the key (as an earlier version would mint it) is refused when used.
    const now = Math.floor(Date.now() / 1000);
    const century = await new SignJWT({ roles: ['integration'] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setJti('tok_century')
      .setSubject('portal')
      .setIssuer('loa-embedded')
      .setAudience('loa')
      .setIssuedAt(now)
      .setExpirationTime(now + 100 * 365 * day)
      .sign(key);
    await expect(verifyToken(key, century)).rejects.toThrow('The token lives longer than its roles allow');
  });
});
