/**
 * Per-caller rate limits over a real socket. The clock stands still during a flood, so no token comes back
 * while it lasts, and moves on a minute after the set-up so every caller starts with a full bucket.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimits } from '../../lambdas/core/rate-limits/rate-limits.js';
import { rateClassOf } from '../../lambdas/http/rate-limiting.js';
import { ROUTES } from '../../lambdas/http/routes.js';
import { draftCampaign, expectStatus, startTestApi, type ApiResult, type Client, type TestApi } from './harness.js';

const LIMITS: RateLimits = {
  reads: { perSecond: 1, burst: 5 },
  writes: { perSecond: 1, burst: 10 },
  imports: { perSecond: 0.1, burst: 1 },
  decisions: { perSecond: 1, burst: 3 },
  public: { perSecond: 1, burst: 5 },
  reports: { perSecond: 1, burst: 5 },
};

let now = Date.parse('2030-01-07T02:00:00Z');
const clock = { now: () => new Date(now) };
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ clock, config: { rateLimits: LIMITS } });
});
afterAll(() => api.close());

async function flood(client: Client, path: string, times: number): Promise<ApiResult[]> {
  const results: ApiResult[] = [];
  for (let index = 0; index < times; index += 1) results.push(await client.get(path));
  return results;
}

const csv = (phone: string) => ({ body: `phone,area,tags\n${phone},NOWHERE,\n`, contentType: 'text/csv' });

/** A campaign submitted for approval, and what its approver must name to approve it. */
async function pendingCampaign(): Promise<{ id: string; revision: number }> {
  const id = await draftCampaign(api);
  const submitted = await api.as('author').post(`/v1/campaigns/${id}/submit`);
  expectStatus(submitted, 200);
  now += 60_000;
  return { id, revision: submitted.body.revision };
}

describe('rate limits per caller', () => {
  it('answer a flood of reads with 429 problem+json and Retry-After in seconds, past the burst', async () => {
    now += 60_000;
    const results = await flood(api.as('viewer', 'flooder'), '/v1/campaigns', 8);
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const refused = results[5]!;
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toMatchObject({ type: 'urn:loa:problem:too-many-requests', status: 429 });
    expect(api.logs.at(-1)).toMatchObject({ status: 429, caller: 'flooder' });
  });

  it('leave every other caller their own allowance', async () => {
    now += 60_000;
    await flood(api.as('viewer', 'flooder'), '/v1/campaigns', 8);
    expect((await api.as('viewer', 'tuan').get('/v1/campaigns')).status).toBe(200);
    expect((await api.as('operator', 'hoa').get('/v1/campaigns')).status).toBe(200);
  });

  it('let the flooder in again once its bucket has refilled', async () => {
    now += 60_000;
    await flood(api.as('viewer', 'flooder'), '/v1/campaigns', 8);
    now += 1_000;
    expect((await api.as('viewer', 'flooder').get('/v1/campaigns')).status).toBe(200);
    expect((await api.as('viewer', 'flooder').get('/v1/campaigns')).status).toBe(429);
  });

  it('still let an approver approve while the same approver floods reads', async () => {
    const campaign = await pendingCampaign();
    const approver = api.as('approver');
    expect((await flood(approver, '/v1/campaigns', 10)).at(-1)!.status).toBe(429);
    const approved = await approver.post(`/v1/campaigns/${campaign.id}/approve`, { revision: campaign.revision });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
  });

  it('still let an operator cancel while the same operator floods imports and reads', async () => {
    const campaign = await pendingCampaign();
    expectStatus(await api.as('approver').post(`/v1/campaigns/${campaign.id}/approve`, { revision: campaign.revision }), 200);
    const operator = api.as('operator');
    const imports: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      imports.push((await operator.request('POST', '/v1/subscribers/import', csv('+84912345678'))).status);
    }
    expect(imports).toEqual([200, 429, 429, 429]);
    expect((await flood(operator, '/v1/campaigns', 10)).at(-1)!.status).toBe(429);
    const refusedImport = await operator.request('POST', '/v1/subscribers/import', csv('+84912345678'));
    expect(refusedImport.headers.get('retry-after')).toBe('10');

    const cancelled = await operator.post(`/v1/campaigns/${campaign.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('count public routes per client address', async () => {
    now += 60_000;
    const fromLoopback = await flood(api.anonymous, '/health', 7);
    expect(fromLoopback.map((result) => result.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(await statusFrom('127.0.0.2', '/health')).toBe(200);
    // A signed-in caller on the same address is counted by who it is, not by the address.
    expect((await api.as('viewer').get('/v1/campaigns')).status).toBe(200);
  });
});

describe('the classes of routes', () => {
  const classOf = (method: string, path: string) => rateClassOf(ROUTES.find((route) => route.method === method && route.path === path)!);

  it('put approving, rejecting, pausing and cancelling in a class of their own', () => {
    const decisions = ROUTES.filter((route) => rateClassOf(route) === 'decisions').map((route) => `${route.method} ${route.path}`);
    expect(decisions.sort()).toEqual(
      [
        'POST /v1/campaigns/{id}/approve',
        'POST /v1/campaigns/{id}/cancel',
        'POST /v1/campaigns/{id}/pause',
        'POST /v1/campaigns/{id}/reject',
        'POST /v1/templates/{id}/approve',
        'POST /v1/templates/{id}/reject',
        'POST /v1/tours/{id}/approve',
        'POST /v1/tours/{id}/cancel',
        'POST /v1/tours/{id}/reject',
      ].sort(),
    );
  });

  it('count CSV uploads as imports, the delivery-report webhooks as reports, the other public routes as public', () => {
    expect(classOf('POST', '/v1/subscribers/import')).toBe('imports');
    expect(classOf('POST', '/v1/dlr/{gatewayId}')).toBe('reports');
    expect(classOf('GET', '/v1/dlr/{gatewayId}')).toBe('reports');
    expect(classOf('GET', '/health')).toBe('public');
    expect(classOf('GET', '/v1/vans/{id}/calendar.ics')).toBe('public');
    expect(classOf('GET', '/v1/campaigns')).toBe('reads');
    expect(classOf('POST', '/v1/campaigns')).toBe('writes');
  });
});

/** GET from another loopback address than the test's client, as a second machine would. */
function statusFrom(localAddress: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${api.url}${path}`, { localAddress }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('error', reject);
    request.end();
  });
}
