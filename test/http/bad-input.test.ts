import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../lambdas/core/auth/caller.js';
import type { Route } from '../../lambdas/http/route.js';
import { ROUTES } from '../../lambdas/http/routes.js';
import {
  approvedTemplate,
  areasWithSubscribers,
  draftCampaign,
  draftTour,
  segmentOf,
  startTestApi,
  type ApiResult,
  type TestApi,
} from './harness.js';

/**
 * Bad input on every route that takes a body or a query: the right status, the offending field named,
 * and nothing changed. Ids in paths are real (set up first), so a 422 is about the input, not a 404.
 */
let api: TestApi;
let ids: { template: string; draftTemplate: string; campaign: string; segment: string; area: string; tour: string; van: string };

const keyOf = (route: Route) => `${route.method} ${route.path}`;
const allowedRole = (route: Route): Role => (route.access === 'public' ? 'viewer' : route.access[0]!);

function pathOf(route: Route): string {
  return route.path.replace(/\{(\w+)\}/g, () => {
    const byCollection: Record<string, string> = { templates: ids.draftTemplate, campaigns: ids.campaign, tours: ids.tour, vans: ids.van };
    return byCollection[route.path.split('/')[2]!] ?? ids.segment;
  });
}

/** Everything the API lists, to show that refused requests changed nothing. */
async function snapshot() {
  const viewer = api.as('viewer');
  const operator = api.as('operator');
  const [templates, template, areas, optOuts, campaigns, campaign, audit, tours, vans] = await Promise.all([
    viewer.get('/v1/templates?limit=1000'),
    viewer.get(`/v1/templates/${ids.draftTemplate}`),
    viewer.get('/v1/areas?limit=1000'),
    operator.get('/v1/opt-outs?limit=1000'),
    viewer.get('/v1/campaigns?limit=1000'),
    viewer.get(`/v1/campaigns/${ids.campaign}`),
    viewer.get('/v1/audit?limit=1000'),
    viewer.get('/v1/tours?limit=1000'),
    viewer.get('/v1/vans?limit=1000'),
  ]);
  return [templates, template, areas, optOuts, campaigns, campaign, audit, tours, vans].map((result) => result.body);
}

function expectProblem(result: ApiResult, status: number, field?: string) {
  expect(result.status, result.text).toBe(status);
  expect(result.headers.get('content-type')).toBe('application/problem+json');
  expect(result.body).toMatchObject({
    status,
    type: expect.stringMatching(/^urn:loa:problem:/),
    title: expect.any(String),
    detail: expect.any(String),
  });
  if (field !== undefined) {
    expect(
      result.body.errors.map((error: { field: string }) => error.field),
      result.text,
    ).toContain(field);
    for (const error of result.body.errors) expect(error.message).toEqual(expect.any(String));
  }
}

beforeAll(async () => {
  api = await startTestApi();
  const template = await approvedTemplate(api);
  const draft = await api
    .as('author')
    .post('/v1/templates', { name: 'Ban nhap', body: 'Thong bao: {{x}}', placeholders: [{ name: 'x', maxLength: 10 }] });
  const { province } = await areasWithSubscribers(api, ['+84961000001', '+84961000002']);
  const tour = await draftTour(api);
  ids = {
    template,
    draftTemplate: draft.body.id,
    campaign: await draftCampaign(api),
    segment: await segmentOf(api, province),
    area: province,
    tour,
    van: (await api.as('viewer').get(`/v1/tours/${tour}`)).body.vanId,
  };
});
afterAll(() => api.close());

const tourBody = () => ({
  name: 'Chuyen loa',
  vanId: ids.van,
  scriptId: 'unused',
  scriptVersion: 1,
  schedule: { expression: 'at(2030-01-09T07:00:00)' },
  stops: [{ areaCode: ids.area, minutes: 10 }],
});

const campaignBody = () => ({
  name: 'Chien dich',
  templateId: ids.template,
  templateVersion: 1,
  segmentId: ids.segment,
  variables: { advice: 'rua tay' },
});

/** For each route with a body or query: requests that must be refused with 422, and the field each names. */
const INVALID: Record<string, { title: string; path?: string; body?: () => unknown; field: string }[]> = {
  'POST /v1/templates': [
    { title: 'missing name and body', body: () => ({}), field: 'name' },
    { title: 'missing body', body: () => ({ name: 'x' }), field: 'body' },
    { title: 'unknown field', body: () => ({ name: 'x', body: 'y', colour: 'red' }), field: 'colour' },
    {
      title: 'zero maxLength',
      body: () => ({ name: 'x', body: 'Hi {{a}}', placeholders: [{ name: 'a', maxLength: 0 }] }),
      field: 'placeholders.0.maxLength',
    },
    { title: 'undeclared placeholder (checked by the use case)', body: () => ({ name: 'x', body: 'Hi {{who}}' }), field: 'body' },
    {
      title: 'declared, unused placeholder',
      body: () => ({ name: 'x', body: 'Hi', placeholders: [{ name: 'who', maxLength: 5 }] }),
      field: 'placeholders.0.name',
    },
  ],
  'POST /v1/templates/{id}/versions': [
    { title: 'missing body', body: () => ({}), field: 'body' },
    { title: 'placeholders not a list', body: () => ({ body: 'x', placeholders: 'no' }), field: 'placeholders' },
  ],
  'POST /v1/templates/{id}/submit': [
    { title: 'version not a number', body: () => ({ version: 'one' }), field: 'version' },
    { title: 'version 0', body: () => ({ version: 0 }), field: 'version' },
  ],
  'POST /v1/templates/{id}/approve': [
    { title: 'no version', body: () => ({}), field: 'version' },
    { title: 'negative version', body: () => ({ version: -1 }), field: 'version' },
  ],
  'POST /v1/templates/{id}/reject': [
    { title: 'no reason', body: () => ({ version: 1 }), field: 'reason' },
    { title: 'blank reason', body: () => ({ reason: '   ', version: 1 }), field: 'reason' },
    { title: 'no version', body: () => ({ reason: 'Sai' }), field: 'version' },
  ],
  'POST /v1/areas': [
    { title: 'no areas', body: () => ({}), field: 'areas' },
    { title: 'empty list', body: () => ({ areas: [] }), field: 'areas' },
    { title: 'bad code', body: () => ({ areas: [{ code: 'khu pho 1', name: 'x' }] }), field: 'areas.0.code' },
    { title: 'missing name', body: () => ({ areas: [{ code: 'A1' }] }), field: 'areas.0.name' },
    {
      title: 'unknown parent (checked by the use case)',
      body: () => ({ areas: [{ code: 'A1', name: 'x', parentCode: 'NOPE' }] }),
      field: 'areas.0.parentCode',
    },
    {
      title: 'a code twice',
      body: () => ({
        areas: [
          { code: 'A1', name: 'x' },
          { code: 'A1', name: 'y' },
        ],
      }),
      field: 'areas.1.code',
    },
  ],
  'POST /v1/subscribers/import': [], // see 'POST /v1/subscribers/import' below
  'POST /v1/subscribers/lookup': [
    { title: 'nothing', body: () => ({}), field: 'phone' },
    { title: 'a number too long', body: () => ({ phone: '0'.repeat(33) }), field: 'phone' },
    { title: 'a field where none is taken', body: () => ({ phone: '0912345678', area: 'DX' }), field: 'area' },
  ],
  'POST /v1/subscribers/export': [
    { title: 'nothing', body: () => ({}), field: 'phone' },
    { title: 'not a phone number', body: () => ({ phone: '12345' }), field: 'phone' },
  ],
  'POST /v1/subscribers/erase': [
    { title: 'nothing', body: () => ({}), field: 'phone' },
    { title: 'no reason', body: () => ({ phone: '0912345678' }), field: 'reason' },
    { title: 'a blank reason', body: () => ({ phone: '0912345678', reason: '  ' }), field: 'reason' },
    { title: 'not a phone number', body: () => ({ phone: '12345', reason: 'Yeu cau so 12' }), field: 'phone' },
  ],
  'POST /v1/opt-outs/remove': [
    { title: 'nothing', body: () => ({}), field: 'phone' },
    { title: 'not a phone number', body: () => ({ phone: '12345' }), field: 'phone' },
  ],
  'POST /v1/opt-outs': [
    { title: 'nothing', body: () => ({}), field: 'phone' },
    { title: 'no source', body: () => ({ phone: '0912345678' }), field: 'source' },
    { title: 'not a phone number', body: () => ({ phone: '12345', source: 'hotline' }), field: 'phone' },
    { title: 'a foreign number', body: () => ({ phone: '+14155550100', source: 'hotline' }), field: 'phone' },
    { title: 'a landline', body: () => ({ phone: '02838123456', source: 'hotline' }), field: 'phone' },
  ],
  'POST /v1/segments': [
    { title: 'nothing', body: () => ({}), field: 'filter' },
    { title: 'unknown carrier', body: () => ({ name: 'x', filter: { carriers: ['att'] } }), field: 'filter.carriers.0' },
    { title: 'unknown area (checked by the use case)', body: () => ({ name: 'x', filter: { areas: ['NOPE'] } }), field: 'filter.areas.0' },
  ],
  'POST /v1/campaigns': [
    { title: 'nothing', body: () => ({}), field: 'templateId' },
    { title: 'fractional version', body: () => ({ ...campaignBody(), templateVersion: 1.5 }), field: 'templateVersion' },
    { title: 'unknown priority', body: () => ({ ...campaignBody(), priority: 'urgent' }), field: 'priority' },
    {
      title: 'a version that is not approved',
      body: () => ({ ...campaignBody(), templateId: ids.draftTemplate, variables: { x: 'a' } }),
      field: 'templateVersion',
    },
    { title: 'an unknown segment', body: () => ({ ...campaignBody(), segmentId: 'seg_nope' }), field: 'segmentId' },
    { title: 'a missing variable', body: () => ({ ...campaignBody(), variables: {} }), field: 'variables.advice' },
    { title: 'a variable too long', body: () => ({ ...campaignBody(), variables: { advice: 'x'.repeat(61) } }), field: 'variables.advice' },
    {
      title: 'a bad schedule',
      body: () => ({ ...campaignBody(), schedule: { expression: 'every friday' } }),
      field: 'schedule.expression',
    },
    {
      title: 'a past at()',
      body: () => ({ ...campaignBody(), schedule: { expression: 'at(2020-01-01T00:00:00)' } }),
      field: 'schedule.expression',
    },
    {
      title: 'an unknown time zone',
      body: () => ({ ...campaignBody(), schedule: { expression: 'rate(1 day)', timezone: 'Mars/Olympus' } }),
      field: 'schedule.timezone',
    },
  ],
  'POST /v1/campaigns/{id}/submit': [{ title: 'a field where none is taken', body: () => ({ now: true }), field: 'now' }],
  'POST /v1/campaigns/{id}/approve': [
    { title: 'no revision', body: () => ({}), field: 'revision' },
    { title: 'revision not a number', body: () => ({ revision: 'latest' }), field: 'revision' },
    { title: 'a field where none is taken', body: () => ({ revision: 1, ok: true }), field: 'ok' },
  ],
  'POST /v1/campaigns/{id}/reject': [
    { title: 'no reason', body: () => ({ revision: 1 }), field: 'reason' },
    { title: 'no revision', body: () => ({ reason: 'Sai' }), field: 'revision' },
  ],
  'POST /v1/campaigns/{id}/pause': [{ title: 'a field where none is taken', body: () => ({ minutes: 5 }), field: 'minutes' }],
  'POST /v1/campaigns/{id}/resume': [{ title: 'a field where none is taken', body: () => ({ at: 'now' }), field: 'at' }],
  'POST /v1/campaigns/{id}/cancel': [{ title: 'a field where none is taken', body: () => ({ reason: 'x' }), field: 'reason' }],
  'GET /v1/templates': [{ title: 'limit 0', path: '?limit=0', field: 'limit' }],
  'GET /v1/areas': [{ title: 'limit over 1000', path: '?limit=1001', field: 'limit' }],
  'GET /v1/opt-outs': [{ title: 'limit not a number', path: '?limit=ten', field: 'limit' }],
  'GET /v1/campaigns': [{ title: 'a forged cursor', path: '?cursor=bm90LWEtY3Vyc29y', field: 'cursor' }],
  'GET /v1/campaigns/{id}/receipts': [
    { title: 'unknown status', path: '?status=lost', field: 'status' },
    { title: 'fractional limit', path: '?limit=2.5', field: 'limit' },
  ],
  'GET /v1/schedule-preview': [
    { title: 'no expression', path: '', field: 'expression' },
    { title: 'an expression EventBridge refuses', path: `?expression=${encodeURIComponent('cron(0 14 * * FRI *)')}`, field: 'expression' },
    { title: 'an unknown time zone', path: `?expression=${encodeURIComponent('rate(1 hour)')}&timezone=Mars%2FOlympus`, field: 'timezone' },
    { title: 'from not an instant', path: `?expression=${encodeURIComponent('rate(1 hour)')}&from=yesterday`, field: 'from' },
    { title: 'count 0', path: `?expression=${encodeURIComponent('rate(1 hour)')}&count=0`, field: 'count' },
  ],
  'GET /v1/audit': [{ title: 'limit 5000', path: '?limit=5000', field: 'limit' }],
  'POST /v1/vans': [
    { title: 'nothing', body: () => ({}), field: 'plate' },
    {
      title: 'unknown kind',
      body: () => ({ plate: '60A-1', kind: 'truck', crewLead: { name: 'a', phone: '0912345678' }, homeCommune: ids.area }),
      field: 'kind',
    },
    {
      title: 'crew lead without a phone',
      body: () => ({ plate: '60A-1', kind: 'van', crewLead: { name: 'a' }, homeCommune: ids.area }),
      field: 'crewLead.phone',
    },
    {
      title: 'not a phone number (checked by the use case)',
      body: () => ({ plate: '60A-1', kind: 'van', crewLead: { name: 'a', phone: '12345' }, homeCommune: ids.area }),
      field: 'crewLead.phone',
    },
    {
      title: 'unknown commune (checked by the use case)',
      body: () => ({ plate: '60A-1', kind: 'van', crewLead: { name: 'a', phone: '0912345678' }, homeCommune: 'NOPE' }),
      field: 'homeCommune',
    },
  ],
  'GET /v1/vans': [{ title: 'limit 0', path: '?limit=0', field: 'limit' }],
  'POST /v1/vans/{id}/crew': [
    { title: 'no users', body: () => ({}), field: 'users' },
    { title: 'an empty user id', body: () => ({ users: [' '] }), field: 'users.0' },
    { title: 'more than 20 users', body: () => ({ users: Array.from({ length: 21 }, (_, i) => `crew-${i}`) }), field: 'users' },
  ],
  'POST /v1/vans/{id}/maintenance': [{ title: 'a field where none is taken', body: () => ({ until: 'monday' }), field: 'until' }],
  'POST /v1/vans/{id}/activate': [{ title: 'a field where none is taken', body: () => ({ now: true }), field: 'now' }],
  'GET /v1/vans/{id}/calendar.ics': [{ title: 'no token', path: '', field: 'token' }],
  'GET /v1/vans/{id}/route-sheet': [{ title: 'a date that does not exist', path: '?date=2026-02-31', field: 'date' }],
  'GET /v1/vans/{id}/sessions': [
    { title: 'a day that does not exist', path: '?from=2026-02-31', field: 'from' },
    { title: 'more than 14 days', path: '?days=15', field: 'days' },
  ],
  'GET /v1/campaigns/{id}/receipts.csv': [{ title: 'unknown status', path: '?status=lost', field: 'status' }],
  'GET /v1/template-versions': [{ title: 'unknown status', path: '?status=lost', field: 'status.0' }],
  'GET /v1/segments': [{ title: 'limit 0', path: '?limit=0', field: 'limit' }],
  'POST /v1/segments/preview': [
    { title: 'no filter', body: () => ({}), field: 'filter' },
    { title: 'unknown carrier', body: () => ({ filter: { carriers: ['att'] } }), field: 'filter.carriers.0' },
  ],
  'POST /v1/tours/check': [
    { title: 'no stops', body: () => ({ ...tourBody(), stops: [] }), field: 'stops' },
    { title: 'an unknown van (checked by the use case)', body: () => ({ ...tourBody(), vanId: 'van_nope' }), field: 'vanId' },
  ],
  'POST /v1/tours': [
    { title: 'nothing', body: () => ({}), field: 'vanId' },
    { title: 'no stops', body: () => ({ ...tourBody(), stops: [] }), field: 'stops' },
    { title: 'zero minutes', body: () => ({ ...tourBody(), stops: [{ areaCode: ids.area, minutes: 0 }] }), field: 'stops.0.minutes' },
    { title: 'unknown priority', body: () => ({ ...tourBody(), priority: 'urgent' }), field: 'priority' },
    { title: 'a script that is not an approved loudspeaker template (checked by the use case)', body: tourBody, field: 'scriptVersion' },
    { title: 'an unknown van (checked by the use case)', body: () => ({ ...tourBody(), vanId: 'van_nope' }), field: 'vanId' },
  ],
  'GET /v1/tours': [{ title: 'unknown status', path: '?status=lost', field: 'status' }],
  'POST /v1/tours/{id}/submit': [{ title: 'a field where none is taken', body: () => ({ now: true }), field: 'now' }],
  'POST /v1/tours/{id}/approve': [
    { title: 'no revision', body: () => ({}), field: 'revision' },
    { title: 'revision 0', body: () => ({ revision: 0 }), field: 'revision' },
    { title: 'a field where none is taken', body: () => ({ revision: 1, ok: true }), field: 'ok' },
  ],
  'POST /v1/tours/{id}/reject': [
    { title: 'no reason', body: () => ({ revision: 1 }), field: 'reason' },
    { title: 'no revision', body: () => ({ reason: 'Sai' }), field: 'revision' },
  ],
  'POST /v1/tours/{id}/cancel': [{ title: 'a field where none is taken', body: () => ({ reason: 'x' }), field: 'reason' }],
  'GET /v1/tours/{id}/runs': [{ title: 'a cursor that is no cursor', path: '?cursor=nonsense', field: 'cursor' }],
  'POST /v1/tours/{id}/confirm': [
    { title: 'areas not a list', body: () => ({ areas: ids.area }), field: 'areas' },
    { title: 'an empty list of areas', body: () => ({ areas: [] }), field: 'areas' },
    { title: 'a blank note', body: () => ({ note: '  ' }), field: 'note' },
  ],
  'GET /v1/coverage': [
    { title: 'no period', path: '', field: 'from' },
    { title: 'a day that does not exist', path: '?from=2026-02-30&to=2026-03-02', field: 'from' },
    { title: 'to before from (checked by the use case)', path: '?from=2026-12-08&to=2026-12-01', field: 'to' },
    { title: 'more than 31 days (checked by the use case)', path: '?from=2026-01-01&to=2026-03-01', field: 'to' },
    {
      title: 'an area that does not exist (checked by the use case)',
      path: '?from=2026-12-01&to=2026-12-08&within=NOWHERE-1',
      field: 'within',
    },
  ],
  'POST /v1/imports': [
    { title: 'a file name with a control character', body: () => ({ fileName: 'a\nb.csv' }), field: 'fileName' },
    { title: 'a field where none is taken', body: () => ({ file: 'x.csv' }), field: 'file' },
  ],
  // A CSV: test/http/imports.test.ts has its cases.
  'PUT /v1/imports/{id}/file': [],
  // The provider's own format: test/adapters/http-gateway/delivery-report-webhook.test.ts has its cases.
  'POST /v1/dlr/{gatewayId}': [],
  'GET /v1/dlr/{gatewayId}': [],
};

const withInput = ROUTES.filter((route) => route.body !== undefined || route.query !== undefined);
const jsonRoutes = ROUTES.filter((route) => route.body !== undefined && route.body !== 'csv' && route.body !== 'raw');

describe('bad input', () => {
  it('has cases for every route that takes a body or a query', () => {
    expect(Object.keys(INVALID).sort()).toEqual(withInput.map(keyOf).sort());
  });

  // The CSV import's bad input is not JSON: it has its own cases below.
  const withCases = withInput.filter((route) => (INVALID[keyOf(route)] ?? []).length > 0);
  describe.each(withCases.map((route) => [keyOf(route), route] as const))('%s', (key, route) => {
    it.each(INVALID[key]!)('$title: 422 naming $field, nothing changed', async ({ path, body, field }) => {
      const before = await snapshot();
      const client = api.as(allowedRole(route));
      const result = body
        ? await client.request(route.method, pathOf(route), { json: body() })
        : await client.request(route.method, `${pathOf(route)}${path ?? ''}`);
      expectProblem(result, 422, field);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe.each(jsonRoutes.map((route) => [keyOf(route), route] as const))('%s', (_, route) => {
    it('unparseable JSON: 400, nothing changed', async () => {
      const before = await snapshot();
      const result = await api
        .as(allowedRole(route))
        .request(route.method, pathOf(route), { body: '{"name": "x",', contentType: 'application/json' });
      expectProblem(result, 400);
      expect(result.body.type).toBe('urn:loa:problem:malformed-json');
      expect(await snapshot()).toEqual(before);
    });

    it('JSON sent as another content type: 415, nothing changed', async () => {
      const before = await snapshot();
      const result = await api
        .as(allowedRole(route))
        .request(route.method, pathOf(route), { body: '{"name":"x"}', contentType: 'text/plain' });
      expectProblem(result, 415);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('POST /v1/subscribers/import', () => {
    const importAs = (body: string, contentType?: string) =>
      api.as('operator').request('POST', '/v1/subscribers/import', { body, ...(contentType && { contentType }) });

    it('a CSV sent as JSON or with no content type: 415, nothing imported', async () => {
      const before = await snapshot();
      expectProblem(await importAs('phone,area,tags\n0961000009,X,', 'application/json'), 415);
      expectProblem(await importAs('phone,area,tags\n0961000009,X,'), 415);
      expect(await snapshot()).toEqual(before);
      expect((await api.as('operator').post('/v1/subscribers/lookup', { phone: '0961000009' })).status).toBe(404);
    });

    it('a file without the required columns: 422 naming the header, nothing imported', async () => {
      const before = await snapshot();
      expectProblem(await importAs(`msisdn,area\n0961000009,${ids.area}-1\n`, 'text/csv'), 422, 'header');
      expectProblem(await importAs('', 'text/csv'), 422, 'header');
      expect(await snapshot()).toEqual(before);
      expect((await api.as('operator').post('/v1/subscribers/lookup', { phone: '0961000009' })).status).toBe(404);
    });

    it('a fileName too long or with control characters: 422 naming fileName, nothing imported', async () => {
      const before = await snapshot();
      const csv = `phone,area,tags\n0961000009,${ids.area}-1,\n`;
      for (const fileName of ['x'.repeat(256), 'a\nb.csv']) {
        const result = await api
          .as('operator')
          .request('POST', `/v1/subscribers/import?fileName=${encodeURIComponent(fileName)}`, { body: csv, contentType: 'text/csv' });
        expectProblem(result, 422, 'fileName');
      }
      expect(await snapshot()).toEqual(before);
      expect((await api.as('operator').post('/v1/subscribers/lookup', { phone: '0961000009' })).status).toBe(404);
    });
    // Files over 50 MB or 1,000,000 rows (413): test/http/subscriber-import.test.ts.
  });

  it('a JSON body over 1 MB: 413', async () => {
    const result = await api.as('author').request('POST', '/v1/templates', {
      body: JSON.stringify({ name: 'x', body: 'y'.repeat(1_100_000) }),
      contentType: 'application/json',
    });
    expectProblem(result, 413);
  });

  it('an unknown path: 404; a known path with another method: 405 with Allow', async () => {
    expectProblem(await api.as('viewer').get('/v1/nothing-here'), 404);
    expectProblem(await api.anonymous.get('/v2/templates'), 404);
    const wrongMethod = await api.as('viewer').request('PUT', '/v1/templates');
    expectProblem(wrongMethod, 405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, GET');
  });

  it('an unknown id: 404', async () => {
    expectProblem(await api.as('viewer').get('/v1/templates/tpl_nope'), 404);
    expectProblem(await api.as('viewer').get('/v1/campaigns/cmp_nope'), 404);
    expectProblem(await api.as('viewer').get('/v1/segments/seg_nope'), 404);
    expectProblem(await api.as('viewer').get('/v1/campaigns/cmp_nope/receipts'), 404);
  });
});
