/**
 * Integration clients limited one by one (LOA_INTEGRATION_CLIENTS): only the listed actions, imports only
 * into the listed areas (refused row by row with the reason), audited with the client's id. A client with no
 * entry keeps what the integration role allows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ACTIONS, clientLimitOf, integrationClientsJson } from '../../lambdas/core/auth/client-limits.js';
import { readSettings } from '../../lambdas/embedded/settings.js';
import { callerFromClaims } from '../../lambdas/http/caller-from-claims.js';
import { routeAction } from '../../lambdas/http/client-actions.js';
import { ROUTES } from '../../lambdas/http/routes.js';
import { expectStatus, startTestApi, unique, type TestApi } from './harness.js';

let api: TestApi;
const province = unique('DNI');
const bienHoa = `${province}-BHOA`;
const bienHoaWard = `${bienHoa}-1`;
const longKhanh = `${province}-LKHANH`;

beforeAll(async () => {
  api = await startTestApi({
    config: {
      integrationClients: {
        'hotline-1022': { actions: ['subscribers.import', 'opt-outs.add'], areas: [bienHoa] },
        'read-only': { actions: [] },
      },
    },
  });
  expectStatus(
    await api.as('operator').post('/v1/areas', {
      areas: [
        { code: province, name: 'Tinh Dong Nai' },
        { code: bienHoa, name: 'TP Bien Hoa', parentCode: province },
        { code: bienHoaWard, name: 'Phuong Tan Phong', parentCode: bienHoa },
        { code: longKhanh, name: 'TP Long Khanh', parentCode: province },
      ],
    }),
    201,
  );
});
afterAll(() => api.close());

const hotline = () => api.as('integration', 'hotline-1022');
const importAs = (client: ReturnType<TestApi['as']>, rows: string[]) =>
  client.request('POST', '/v1/subscribers/import?fileName=hotline.csv', {
    body: ['phone,area,tags', ...rows].join('\n'),
    contentType: 'text/csv',
  });

describe('a limited integration client', () => {
  it('takes the listed actions and is refused any other with a 403 naming the action', async () => {
    expect((await hotline().post('/v1/opt-outs', { phone: '0912000111', source: 'hotline-1022' })).status).toBe(201);

    const campaign = await hotline().post('/v1/campaigns', {});
    expect(campaign.status).toBe(403);
    expect(campaign.headers.get('content-type')).toBe('application/problem+json');
    expect(campaign.body.detail).toBe(
      'Client hotline-1022 may not take the action campaigns.create; it may take subscribers.import, opt-outs.add',
    );
    const read = await hotline().get('/v1/templates');
    expect(read.status).toBe(403);
    expect(read.body.detail).toContain('templates.read');
    expect((await hotline().post('/v1/subscribers/lookup', { phone: '0912000111' })).body.detail).toContain('subscribers.lookup');
  });

  it('still learns who it is', async () => {
    expect((await api.as('integration', 'read-only').get('/v1/me')).status).toBe(200);
    expect((await api.as('integration', 'read-only').get('/v1/areas')).status).toBe(403);
  });

  it('imports only into its areas and beneath them, refusing the other rows line by line, audited with its id', async () => {
    const result = await importAs(hotline(), [`0912000201,${bienHoa},`, `0912000202,${longKhanh},`, `0912000203,${bienHoaWard},`]);
    expect(result.status, result.text).toBe(200);
    expect(result.body).toMatchObject({
      imported: 2,
      refused: [{ line: 3, reason: `area "${longKhanh}" is outside the areas client hotline-1022 may import into (${bienHoa})` }],
    });
    const audit = await api.as('operator').get('/v1/audit?action=subscribers.imported&limit=10');
    expect(audit.body.items[0]).toMatchObject({ actor: 'hotline-1022' });
    const lookedUp = await api.as('operator').post('/v1/subscribers/lookup', { phone: '0912000202' });
    expect(lookedUp.status).toBe(404);
  });
});

describe('an integration client with no entry', () => {
  it('is unlimited: it reads, imports anywhere and creates campaigns as the integration role allows', async () => {
    const crm = api.as('integration', 'crm-2');
    expect((await crm.get('/v1/templates')).status).toBe(200);
    expect((await crm.post('/v1/campaigns', {})).status).toBe(422);
    expect((await importAs(crm, [`0912000301,${longKhanh},`])).body).toMatchObject({ imported: 1 });
  });

  it('staff are never limited by a client entry that shares their id', async () => {
    expect((await api.withRoles('hotline-1022', ['operator']).get('/v1/opt-outs')).status).toBe(200);
  });
});

describe('on AWS', () => {
  it("names a client-credentials token's client by its Cognito client id, which its limit is keyed by", () => {
    // Cognito's machine-to-machine access tokens carry the app client's id as both `sub` and `client_id`.
    const claims = { sub: '6f1k2hotline1022', client_id: '6f1k2hotline1022', token_use: 'access', scope: 'loa/integration' };
    const caller = callerFromClaims(claims, 'cognito');
    expect(caller).toEqual({ id: '6f1k2hotline1022', roles: ['integration'] });
    expect(clientLimitOf({ '6f1k2hotline1022': { actions: ['opt-outs.add'] } }, caller)).toEqual({ actions: ['opt-outs.add'] });
  });
});

describe('the action names', () => {
  it('name every route an integration client may call', () => {
    const forIntegration = ROUTES.filter((route) => route.access !== 'public' && route.access.includes('integration'));
    const unnamed = forIntegration
      .filter((route) => route.path !== '/v1/me')
      .map(routeAction)
      .filter((action) => !(CLIENT_ACTIONS as readonly string[]).includes(action));
    expect(unnamed).toEqual([]);
  });

  it('are checked when the setting is read: a wrong action or bad JSON stops start-up naming the variable', () => {
    const read = (value: string) => () => readSettings({ LOA_INTEGRATION_CLIENTS: value });
    expect(
      readSettings({ LOA_INTEGRATION_CLIENTS: '{"c": {"actions": ["opt-outs.add"], "areas": ["DNI"]}}' }).config.integrationClients,
    ).toEqual({
      c: { actions: ['opt-outs.add'], areas: ['DNI'] },
    });
    expect(read('{"c": {"actions": ["campaigns.approve"]}}')).toThrow(/LOA_INTEGRATION_CLIENTS/);
    expect(read('{"c": ')).toThrow(/LOA_INTEGRATION_CLIENTS: expected JSON/);
    expect(integrationClientsJson.safeParse('{"c": {"area": ["DNI"]}}').success).toBe(false);
    expect(readSettings({}).config.integrationClients).toBeUndefined();
  });
});
