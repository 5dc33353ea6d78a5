/**
 * Crew bound to vans, over HTTP: an operator binds crew users to a van (audited); a crew user sees and
 * confirms only its van's tours, only stops that have started, and no other crew lead's number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchTour } from '../../../lambdas/core/tours/tour-use-cases.js';
import { approvedScript, expectStatus, registeredVan, startTestApi, unique, type TestApi } from '../harness.js';

/** Tuesday 1 December 2026, 07:00 in Hanoi. */
const START = new Date('2026-12-01T00:00:00Z');

let api: TestApi;
let now = new Date('2026-11-30T02:00:00Z');
let areas: { market: string; boardingHouses: string };
let ours: { id: string };
let theirs: { id: string };
let tourId: string;
let theirTourId: string;

const hai = () => api.as('crew', 'hai');
const mai = () => api.as('crew', 'mai');

async function dispatchedTour(vanId: string, scriptId: string): Promise<string> {
  const created = await api.as('author').post('/v1/tours', {
    name: unique('Tiem soi'),
    vanId,
    scriptId,
    scriptVersion: 1,
    schedule: { expression: 'at(2026-12-01T07:00:00)' },
    stops: [
      { areaCode: areas.market, minutes: 20 },
      { areaCode: areas.boardingHouses, minutes: 20 },
    ],
  });
  expectStatus(created, 201);
  const submitted = await api.as('author').post(`/v1/tours/${created.body.id}/submit`);
  expectStatus(submitted, 200);
  expectStatus(await api.as('approver').post(`/v1/tours/${created.body.id}/approve`, { revision: submitted.body.revision }), 200);
  return created.body.id as string;
}

beforeAll(async () => {
  api = await startTestApi({ clock: { now: () => now } });
  const province = unique('DNI');
  areas = { market: `${province}-CHO`, boardingHouses: `${province}-NT` };
  expectStatus(
    await api.as('operator').post('/v1/areas', {
      areas: [
        { code: province, name: 'Tinh Dong Nai' },
        { code: areas.market, name: 'Cho Tan Hiep', parentCode: province },
        { code: areas.boardingHouses, name: 'Khu nha tro Amata', parentCode: province },
      ],
    }),
    201,
  );
  const scriptId = await approvedScript(api);
  ours = await registeredVan(api, province);
  theirs = await registeredVan(api, province);
  tourId = await dispatchedTour(ours.id, scriptId);
  theirTourId = await dispatchedTour(theirs.id, scriptId);
  now = START;
  await dispatchTour(api.deps, tourId);
  await dispatchTour(api.deps, theirTourId);
});
afterAll(() => api.close());

describe('binding crew to a van', () => {
  it('is done by an operator, shown to operators only, and audited with who was added and removed', async () => {
    const bound = await api.as('operator').post(`/v1/vans/${ours.id}/crew`, { users: ['hai', 'hai', 'lam'] });
    expect(bound.status, bound.text).toBe(200);
    expect(bound.body.crewUsers).toEqual(['hai', 'lam']);
    const changed = await api.as('operator').post(`/v1/vans/${ours.id}/crew`, { users: ['hai'] });
    expect(changed.body.crewUsers).toEqual(['hai']);
    expectStatus(await api.as('operator').post(`/v1/vans/${theirs.id}/crew`, { users: ['mai'] }), 200);

    expect((await api.as('viewer').get(`/v1/vans/${ours.id}`)).body).not.toHaveProperty('crewUsers');
    expect((await hai().get(`/v1/vans/${ours.id}`)).body).not.toHaveProperty('crewUsers');
    expect((await api.as('author').post(`/v1/vans/${ours.id}/crew`, { users: ['lan'] })).status).toBe(403);

    const audit = await api.as('operator').get(`/v1/audit?limit=1000&action=van.crew_changed&subject=${ours.id}`);
    expect(audit.body.items.map((entry: { actor: string; details: unknown }) => [entry.actor, entry.details])).toEqual(
      expect.arrayContaining([
        ['hoa', { added: ['hai', 'lam'], removed: [] }],
        ['hoa', { added: [], removed: ['lam'] }],
      ]),
    );
  });

  it('of an unknown van is 404', async () => {
    expect((await api.as('operator').post('/v1/vans/van-nope/crew', { users: ['hai'] })).status).toBe(404);
  });
});

describe('a crew user', () => {
  it("sees its own van's tours, sessions and route sheet, and another van's not at all", async () => {
    expect((await hai().get(`/v1/tours/${tourId}`)).status).toBe(200);
    expect((await hai().get(`/v1/vans/${ours.id}/sessions?from=2026-12-01`)).body.sessions).toHaveLength(1);
    expect((await hai().get(`/v1/vans/${ours.id}/route-sheet?date=2026-12-01`)).text).toContain('Cho Tan Hiep');
    for (const path of [
      `/v1/tours/${theirTourId}`,
      `/v1/tours/${theirTourId}/runs`,
      `/v1/tours/${theirTourId}/script`,
      `/v1/vans/${theirs.id}`,
      `/v1/vans/${theirs.id}/sessions?from=2026-12-01`,
      `/v1/vans/${theirs.id}/route-sheet?date=2026-12-01`,
    ]) {
      expect((await hai().get(path)).status, path).toBe(404);
    }
    const tours = await hai().get(`/v1/tours?limit=1000`);
    expect(tours.body.items.map((tour: { id: string }) => tour.id)).toEqual([tourId]);
    const vans = await hai().get(`/v1/vans?limit=1000`);
    expect(vans.body.items.map((van: { id: string }) => van.id)).toEqual([ours.id]);
  });

  it("cannot confirm another van's tour", async () => {
    const refused = await hai().post(`/v1/tours/${theirTourId}/confirm`, { areas: [areas.market] });
    expect(refused.status).toBe(404);
    const run = (await api.as('operator').get(`/v1/tours/${theirTourId}/runs`)).body.items[0];
    expect(run.confirmed).toEqual([]);
  });

  it('confirms a stop once it has started, and not before: 409 naming the stop and its start', async () => {
    now = new Date('2026-12-01T00:10:00Z');
    const early = await hai().post(`/v1/tours/${tourId}/confirm`, { areas: [areas.boardingHouses] });
    expect(early.status, early.text).toBe(409);
    expect(early.body.detail).toBe(`A stop can be confirmed only once it has started; not yet started: ${areas.boardingHouses} at 07:35`);
    const all = await hai().post(`/v1/tours/${tourId}/confirm`, {});
    expect(all.status).toBe(409);

    const started = await hai().post(`/v1/tours/${tourId}/confirm`, { areas: [areas.market] });
    expect(started.status, started.text).toBe(200);
    expect(started.body.confirmed).toEqual([{ areaCode: areas.market, at: now.toISOString(), by: 'hai' }]);

    now = new Date('2026-12-01T00:35:00Z');
    const second = await hai().post(`/v1/tours/${tourId}/confirm`, { areas: [areas.boardingHouses] });
    expect(second.body.status).toBe('completed');
  });

  it('an operator is held to started stops too, on any van', async () => {
    now = new Date('2026-12-01T00:05:00Z');
    const operator = api.as('operator');
    expect((await operator.post(`/v1/tours/${theirTourId}/confirm`, {})).status).toBe(409);
    expect((await operator.post(`/v1/tours/${theirTourId}/confirm`, { areas: [areas.market] })).status).toBe(200);
  });

  it('once unbound, sees the van no more', async () => {
    expectStatus(await api.as('operator').post(`/v1/vans/${theirs.id}/crew`, { users: [] }), 200);
    expect((await mai().get(`/v1/vans/${theirs.id}`)).status).toBe(404);
    expect((await mai().get(`/v1/vans?limit=1000`)).body.items).toEqual([]);
  });
});

describe("the crew lead's number", () => {
  it('is whole to operators and to the van’s own crew, masked to everyone else', async () => {
    const phoneAs = async (client: ReturnType<TestApi['as']>) => (await client.get(`/v1/vans/${ours.id}`)).body.crewLead.phone;
    expect(await phoneAs(api.as('operator'))).toBe('+84912345678');
    expect(await phoneAs(hai())).toBe('+84912345678');
    for (const role of ['author', 'approver', 'viewer', 'integration'] as const) {
      expect(await phoneAs(api.as(role)), role).toBe('+8491****678');
    }
    const list = await api.as('viewer').get('/v1/vans?limit=1000');
    expect(list.body.items.map((van: { crewLead: { phone: string } }) => van.crewLead.phone)).not.toContain('+84912345678');
  });

  it("is whole in the crew SMS campaign's recipients only to operators, and crew cannot read the campaign at all", async () => {
    const { crewCampaignId } = (await api.as('operator').get(`/v1/tours/${tourId}/runs`)).body.items[0];
    const recipientsAs = async (client: ReturnType<TestApi['as']>) => {
      const one = (await client.get(`/v1/campaigns/${crewCampaignId}`)).body.recipients;
      const listed = (await client.get('/v1/campaigns?limit=1000')).body.items.find((item: { id: string }) => item.id === crewCampaignId);
      expect(listed.recipients).toEqual(one);
      return one;
    };
    expect(await recipientsAs(api.as('operator'))).toEqual(['+84912345678']);
    for (const role of ['author', 'approver', 'viewer'] as const) expect(await recipientsAs(api.as(role)), role).toEqual(['+8491****678']);
    expect((await mai().get(`/v1/campaigns/${crewCampaignId}`)).status).toBe(403);
    expect((await mai().get('/v1/campaigns')).status).toBe(403);
  });
});
