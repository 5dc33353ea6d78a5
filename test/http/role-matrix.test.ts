import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../lambdas/core/auth/caller.js';
import { issueToken } from '../../lambdas/embedded/tokens.js';
import type { Route } from '../../lambdas/http/route.js';
import { ROUTES } from '../../lambdas/http/routes.js';
import { draftTour, expectStatus, startTestApi, type Client, type TestApi } from './harness.js';

const ALL = [...ROLES];
const ALL_BUT_CREW = ROLES.filter((role) => role !== 'crew');

/** Who may call what, as the issue lists it. A route missing here, or here and not in the table, fails. */
const EXPECTED_ACCESS: Record<string, 'public' | readonly Role[]> = {
  'GET /health': 'public',
  'GET /openapi.json': 'public',
  'GET /v1/me': ALL,
  'GET /v1/template-versions': ALL,
  'POST /v1/segments/preview': ['author', 'operator'],
  'GET /v1/campaigns/{id}/receipts.csv': ['operator', 'viewer'],
  'POST /v1/tours/check': ['author', 'operator'],
  'POST /v1/templates': ['author'],
  'GET /v1/templates': ALL,
  'GET /v1/templates/{id}': ALL,
  'POST /v1/templates/{id}/versions': ['author'],
  'POST /v1/templates/{id}/submit': ['author'],
  'POST /v1/templates/{id}/approve': ['approver'],
  'POST /v1/templates/{id}/reject': ['approver'],
  'POST /v1/areas': ['operator'],
  'GET /v1/areas': ALL,
  'POST /v1/subscribers/import': ['operator', 'integration'],
  'POST /v1/imports': ['operator', 'integration'],
  'GET /v1/imports/{id}': ['operator', 'integration'],
  'PUT /v1/imports/{id}/file': ['operator', 'integration'],
  'POST /v1/subscribers/lookup': ['operator', 'viewer', 'integration'],
  'POST /v1/subscribers/export': ['operator'],
  'POST /v1/subscribers/erase': ['operator'],
  'POST /v1/opt-outs': ['operator', 'integration'],
  'GET /v1/opt-outs': ['operator', 'viewer'],
  'POST /v1/opt-outs/remove': ['operator'],
  'POST /v1/segments': ['author', 'operator'],
  'GET /v1/segments': ALL,
  'GET /v1/segments/{id}': ALL,
  'POST /v1/campaigns': ['author', 'integration'],
  'GET /v1/campaigns': ALL_BUT_CREW,
  'GET /v1/campaigns/{id}': ALL_BUT_CREW,
  'GET /v1/campaigns/{id}/estimate': ALL_BUT_CREW,
  'GET /v1/campaigns/{id}/progress': ALL_BUT_CREW,
  'POST /v1/campaigns/{id}/submit': ['author', 'integration'],
  'POST /v1/campaigns/{id}/approve': ['approver'],
  'POST /v1/campaigns/{id}/reject': ['approver'],
  'POST /v1/campaigns/{id}/pause': ['operator'],
  'POST /v1/campaigns/{id}/resume': ['operator'],
  'POST /v1/campaigns/{id}/cancel': ['operator'],
  'GET /v1/campaigns/{id}/receipts': ['operator', 'viewer'],
  'GET /v1/schedule-preview': ALL,
  'GET /v1/audit': ['approver', 'operator', 'viewer'],
  'GET /v1/delivery-reports/unmatched': ['operator', 'viewer'],
  'GET /v1/gateways': ['operator', 'viewer'],
  'POST /v1/dlr/{gatewayId}': 'public',
  'GET /v1/dlr/{gatewayId}': 'public',
  'POST /v1/vans': ['operator'],
  'GET /v1/vans': ALL,
  'GET /v1/vans/{id}': ALL,
  'POST /v1/vans/{id}/crew': ['operator'],
  'POST /v1/vans/{id}/maintenance': ['operator'],
  'POST /v1/vans/{id}/activate': ['operator'],
  'GET /v1/vans/{id}/calendar.ics': 'public',
  'GET /v1/vans/{id}/route-sheet': ALL,
  'GET /v1/vans/{id}/sessions': ALL,
  'POST /v1/tours': ['author'],
  'GET /v1/tours': ALL,
  'GET /v1/tours/{id}': ALL,
  'POST /v1/tours/{id}/submit': ['author'],
  'POST /v1/tours/{id}/approve': ['approver'],
  'POST /v1/tours/{id}/reject': ['approver'],
  'POST /v1/tours/{id}/cancel': ['operator'],
  'GET /v1/tours/{id}/runs': ALL,
  'GET /v1/tours/{id}/script': ALL,
  'POST /v1/tours/{id}/confirm': ['crew', 'operator'],
  'GET /v1/coverage': ALL,
};

const keyOf = (route: Route) => `${route.method} ${route.path}`;

/** The route's path with its parameters filled in (ids that do not exist, a well-formed phone number). */
function pathOf(route: Route): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'phone' ? '%2B84912345678' : 'does-not-exist'));
}

/** A body the allowed roles may send: it reaches validation or the use case, never changes anything much. */
function call(client: Client, route: Route, body: 'harmless' | 'malformed') {
  const path = pathOf(route);
  if (route.body === 'csv') {
    return client.request(route.method, path, { body: 'phone,area,tags\n', contentType: 'text/csv' });
  }
  if (route.body) {
    return client.request(route.method, path, { body: body === 'harmless' ? '{}' : '{"not json', contentType: 'application/json' });
  }
  return client.request(route.method, path);
}

describe('the role matrix', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('covers every route of the table, and the table gives each route the roles the issue lists', () => {
    const table = Object.fromEntries(ROUTES.map((route) => [keyOf(route), route.access]));
    expect(Object.keys(table).sort()).toEqual(Object.keys(EXPECTED_ACCESS).sort());
    for (const [key, access] of Object.entries(EXPECTED_ACCESS)) {
      expect(table[key] === 'public' ? 'public' : [...(table[key] as Role[])].sort(), key).toEqual(
        access === 'public' ? 'public' : [...access].sort(),
      );
    }
  });

  describe.each(ROUTES.map((route) => [keyOf(route), route] as const))('%s', (_, route) => {
    const allowed = route.access === 'public' ? ALL : route.access;

    it.each(ALL)('as %s', async (role) => {
      const client = api.as(role);
      if (allowed.includes(role)) {
        const result = await call(client, route, 'harmless');
        expect([401, 403], `${role}: ${result.status} ${result.text}`).not.toContain(result.status);
        expect(result.status, result.text).toBeLessThan(500);
      } else {
        // Roles are checked before the body is even read: malformed JSON still gets a 403.
        const result = await call(client, route, 'malformed');
        expect(result.status, result.text).toBe(403);
        expect(result.headers.get('content-type')).toBe('application/problem+json');
        expect(result.body).toMatchObject({ status: 403, type: 'urn:loa:problem:forbidden' });
      }
    });

    it('without a token', async () => {
      const result = await call(api.anonymous, route, route.access === 'public' ? 'harmless' : 'malformed');
      if (route.access === 'public') {
        // Open routes never ask for a token (the webhook checks the provider's signature itself).
        expect(result.headers.get('www-authenticate')).toBeNull();
        expect(result.status, result.text).toBeLessThan(500);
      } else {
        expect(result.status, result.text).toBe(401);
        expect(result.body).toMatchObject({ status: 401, type: 'urn:loa:problem:unauthenticated' });
        expect(result.headers.get('www-authenticate')).toBe('Bearer');
      }
    });

    it('with a bad token', async () => {
      const result = await call(api.withToken('not.a.jwt'), route, 'harmless');
      expect(result.status).toBe(401);
      expect(result.headers.get('www-authenticate')).toContain('invalid_token');
    });

    it.skipIf(route.access === 'public')('with a valid token that carries no Loa role', async () => {
      const result = await call(
        api.withToken(await issueToken(api.signingKey, { user: 'nobody', roles: [], ttlSeconds: 60 })),
        route,
        'malformed',
      );
      expect(result.status).toBe(403);
    });
  });

  describe('tokens the server refuses', () => {
    const sign = (claims: Record<string, unknown>, key: Uint8Array, expiresIn: number) =>
      new SignJWT({ jti: 'tok_test', ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
        .sign(key);

    it.each([
      ['expired', async () => sign({ sub: 'lan', roles: ['author'], iss: 'loa-embedded', aud: 'loa' }, api.signingKey, -60)],
      [
        'signed with another key',
        async () => sign({ sub: 'lan', roles: ['author'], iss: 'loa-embedded', aud: 'loa' }, new Uint8Array(32).fill(7), 60),
      ],
      ['for another audience', async () => sign({ sub: 'lan', roles: ['author'], iss: 'loa-embedded', aud: 'other' }, api.signingKey, 60)],
      ['from another issuer', async () => sign({ sub: 'lan', roles: ['author'], iss: 'someone', aud: 'loa' }, api.signingKey, 60)],
      ['without a subject', async () => sign({ roles: ['author'], iss: 'loa-embedded', aud: 'loa' }, api.signingKey, 60)],
      [
        'without an id to revoke it by',
        async () => sign({ sub: 'lan', roles: ['author'], iss: 'loa-embedded', aud: 'loa', jti: undefined }, api.signingKey, 60),
      ],
    ])('%s: 401', async (_, token) => {
      const result = await api.withToken(await token()).get('/v1/templates');
      expect(result.status).toBe(401);
      expect(result.body).toMatchObject({ status: 401 });
    });

    it('a Basic authorization header: 401', async () => {
      const result = await api.anonymous.request('GET', '/v1/templates', { headers: { authorization: 'Basic bGFuOnNlY3JldA==' } });
      expect(result.status).toBe(401);
    });
  });

  it('a caller holding several roles gets what each allows', async () => {
    const both = api.withRoles('thu', ['viewer', 'operator']);
    expect((await both.get('/v1/opt-outs')).status).toBe(200);
    expect((await both.get('/v1/audit')).status).toBe(200);
    expect((await both.post('/v1/templates', { name: 'x', body: 'y' })).status).toBe(403);
  });
});

/** The crew routes that name one van or tour: a crew user reaches only the vans an operator bound it to. */
const CREW_SCOPED = ROUTES.filter(
  (route) => route.access !== 'public' && route.access.includes('crew') && /^\/v1\/(vans|tours)\/\{id\}/.test(route.path),
);

describe('the role matrix for crew, bound to a van or not', () => {
  let api: TestApi;
  let ids: { van: string; tour: string };
  const bound = () => api.as('crew', 'crew-bound');
  const elsewhere = () => api.as('crew', 'crew-elsewhere');
  const pathFor = (route: Route) => route.path.replace('{id}', route.path.startsWith('/v1/vans/') ? ids.van : ids.tour);
  const callAs = (client: Client, route: Route) =>
    client.request(route.method, pathFor(route), route.body ? { body: '{}', contentType: 'application/json' } : {});

  beforeAll(async () => {
    api = await startTestApi();
    const tour = await draftTour(api);
    ids = { tour, van: (await api.as('viewer').get(`/v1/tours/${tour}`)).body.vanId };
    const other = (await api.as('viewer').get(`/v1/tours/${await draftTour(api)}`)).body.vanId;
    expectStatus(await api.as('operator').post(`/v1/vans/${ids.van}/crew`, { users: ['crew-bound'] }), 200);
    expectStatus(await api.as('operator').post(`/v1/vans/${other}/crew`, { users: ['crew-elsewhere'] }), 200);
  });
  afterAll(() => api.close());

  it('covers the van and tour routes crew may call', () => {
    expect(CREW_SCOPED.map(keyOf).sort()).toEqual([
      'GET /v1/tours/{id}',
      'GET /v1/tours/{id}/runs',
      'GET /v1/tours/{id}/script',
      'GET /v1/vans/{id}',
      'GET /v1/vans/{id}/route-sheet',
      'GET /v1/vans/{id}/sessions',
      'POST /v1/tours/{id}/confirm',
    ]);
  });

  describe.each(CREW_SCOPED.map((route) => [keyOf(route), route] as const))('%s', (_, route) => {
    it("reaches its own van's", async () => {
      const result = await callAs(bound(), route);
      // The draft tour has no run to confirm yet: 409, past the van check.
      expect([401, 403, 404], `${result.status} ${result.text}`).not.toContain(result.status);
      expect(result.status, result.text).toBeLessThan(500);
    });

    it("finds no other van's", async () => {
      const result = await callAs(elsewhere(), route);
      expect(result.status, result.text).toBe(404);
      expect(result.body).toMatchObject({ status: 404, type: 'urn:loa:problem:not-found' });
    });
  });

  it('lists only its own vans and their tours', async () => {
    const vanIds = async (client: Client) => (await client.get('/v1/vans?limit=1000')).body.items.map((van: { id: string }) => van.id);
    const tourIds = async (client: Client) => (await client.get('/v1/tours?limit=1000')).body.items.map((tour: { id: string }) => tour.id);
    expect(await vanIds(bound())).toEqual([ids.van]);
    expect(await tourIds(bound())).toEqual([ids.tour]);
    expect(await vanIds(elsewhere())).not.toContain(ids.van);
    expect(await tourIds(elsewhere())).not.toContain(ids.tour);
    expect(await vanIds(api.as('crew', 'crew-unbound'))).toEqual([]);
    expect(await vanIds(api.as('viewer'))).toContain(ids.van);
  });
});
