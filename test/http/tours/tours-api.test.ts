import { sync as icalParser, type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchTour, markMissedTourRuns } from '../../../lambdas/core/tours/tour-use-cases.js';
import { approvedScript, expectStatus, registeredVan, startTestApi, unique, USERS, type TestApi } from '../harness.js';

/** Tuesday 1 December 2026, 07:00 in Hanoi: inside the morning slot. */
const START = new Date('2026-12-01T00:00:00Z');
const ONE_TIME = 'at(2026-12-01T07:00:00)';

let api: TestApi;
let now = new Date('2026-11-30T02:00:00Z');
let areas: { province: string; market: string; boardingHouses: string; hospital: string };
let scriptId: string;
let van: { id: string; calendarPath: string; plate: string };

beforeAll(async () => {
  api = await startTestApi({ clock: { now: () => now } });
  const province = unique('DNI');
  areas = { province, market: `${province}-CHO`, boardingHouses: `${province}-NT`, hospital: `${province}-BV` };
  expectStatus(
    await api.as('operator').post('/v1/areas', {
      areas: [
        { code: province, name: 'Tinh Dong Nai' },
        { code: areas.market, name: 'Cho Tan Hiep', parentCode: province },
        { code: areas.boardingHouses, name: 'Khu nha tro Amata', parentCode: province },
        { code: areas.hospital, name: 'Benh vien Thong Nhat', parentCode: province, quiet: true },
      ],
    }),
    201,
  );
  scriptId = await approvedScript(api);
  van = (await registeredVan(api, province)) as typeof van;
  expectStatus(await api.as('operator').post(`/v1/vans/${van.id}/crew`, { users: [USERS.crew] }), 200);
});
afterAll(() => api.close());

const tourBody = (extra: Record<string, unknown> = {}) => ({
  name: unique('Phong chong sot xuat huyet'),
  vanId: van.id,
  scriptId,
  scriptVersion: 1,
  schedule: { expression: ONE_TIME },
  stops: [
    { areaCode: areas.market, minutes: 20 },
    { areaCode: areas.hospital, minutes: 10 },
    { areaCode: areas.boardingHouses, minutes: 20 },
  ],
  ...extra,
});

async function approvedTour(extra: Record<string, unknown> = {}): Promise<string> {
  const created = await api.as('author').post('/v1/tours', tourBody(extra));
  expectStatus(created, 201);
  const submitted = await api.as('author').post(`/v1/tours/${created.body.id}/submit`);
  expectStatus(submitted, 200);
  expectStatus(await api.as('approver').post(`/v1/tours/${created.body.id}/approve`, { revision: submitted.body.revision }), 200);
  return created.body.id as string;
}

describe('vans', () => {
  it('hand the calendar address to operators only', async () => {
    const forOperator = await api.as('operator').get(`/v1/vans/${van.id}`);
    expect(forOperator.body.calendarPath).toMatch(new RegExp(`^/v1/vans/${van.id}/calendar\\.ics\\?token=[\\w-]{20,}$`));
    const forViewer = await api.as('viewer').get(`/v1/vans/${van.id}`);
    expect(forViewer.status).toBe(200);
    expect(forViewer.body).not.toHaveProperty('calendarPath');
    expect(forViewer.body).not.toHaveProperty('feedToken');
  });

  it('in maintenance get no new tours, and back on the road they do', async () => {
    const spare = await registeredVan(api, areas.province);
    expect((await api.as('operator').post(`/v1/vans/${spare.id}/maintenance`)).body.status).toBe('maintenance');
    const refused = await api.as('author').post('/v1/tours', tourBody({ vanId: spare.id }));
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('maintenance');
    expect((await api.as('operator').post(`/v1/vans/${spare.id}/activate`)).body.status).toBe('active');
    expect((await api.as('author').post('/v1/tours', tourBody({ vanId: spare.id }))).status).toBe(201);
  });
});

describe('a tour from plan to confirmation', () => {
  let tourId: string;

  it('is planned with the quiet area passed by, and a warning that says so', async () => {
    const created = await api.as('author').post('/v1/tours', tourBody());
    expect(created.status, created.text).toBe(201);
    tourId = created.body.id;
    expect(created.body).toMatchObject({ status: 'draft', stops: [{ areaCode: areas.market }, { areaCode: areas.boardingHouses }] });
    expect(created.body.warnings).toEqual([expect.stringContaining('Benh vien Thong Nhat')]);
  });

  it('is never approved by the one who planned it', async () => {
    const submitted = await api.as('author').post(`/v1/tours/${tourId}/submit`);
    expectStatus(submitted, 200);
    const both = api.withRoles('lan', ['author', 'approver']);
    const selfApproved = await both.post(`/v1/tours/${tourId}/approve`, { revision: submitted.body.revision });
    expect(selfApproved.status).toBe(403);
  });

  it('once approved by a second person, arms its schedule and keeps its warning', async () => {
    const { revision } = (await api.as('approver').get(`/v1/tours/${tourId}`)).body;
    const approved = await api.as('approver').post(`/v1/tours/${tourId}/approve`, { revision });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'minh', nextFireAt: START.toISOString() });
    expect(approved.body.warnings).toHaveLength(1);
    expect(api.scheduler.scheduledTours.map((tour) => tour.id)).toContain(tourId);
  });

  it('keeps its van from a second tour at the same time', async () => {
    const clash = await api.as('author').post('/v1/tours', tourBody({ schedule: { expression: 'at(2026-12-01T07:30:00)' } }));
    expect(clash.status).toBe(409);
    expect(clash.body.detail).toMatch(/van/i);
  });

  it('at its start texts the crew lead the route through the SMS path', async () => {
    now = START;
    const run = await dispatchTour(api.deps, tourId);
    expect(run).toBeDefined();
    const campaign = await api.as('operator').get(`/v1/campaigns/${run!.crewCampaignId}`);
    expect(campaign.status).toBe(200);
    expect(campaign.body).toMatchObject({ status: 'approved', priority: 'emergency', recipients: ['+84912345678'] });
    expect(campaign.body.text).toContain('07:00 Cho Tan Hiep (20 ph); 07:35 Khu nha tro Amata (20 ph)');
    expect((await api.as('viewer').get(`/v1/tours/${tourId}`)).body.status).toBe('dispatched');
    const runs = await api.as('viewer').get(`/v1/tours/${tourId}/runs`);
    expect(runs.body.items).toEqual([
      expect.objectContaining({ runId: run!.runId, crewCampaignId: run!.crewCampaignId, status: 'dispatched' }),
    ]);
  });

  it('gives the crew the script to read', async () => {
    const script = await api.as('crew').get(`/v1/tours/${tourId}/script`);
    expect(script.status).toBe(200);
    expect(script.body).toMatchObject({ tourId, code: `${scriptId} v1`, repetitionsPerStop: 2, readingSeconds: expect.any(Number) });
    expect(script.body.text).toContain('tiem vac xin');
  });

  it('is confirmed stop by stop by the crew, with a note, and refuses an area it does not visit', async () => {
    const crew = api.as('crew');
    const wrong = await crew.post(`/v1/tours/${tourId}/confirm`, { areas: [areas.hospital] });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].field).toBe('areas.0');

    now = new Date('2026-12-01T00:25:00Z');
    const first = await crew.post(`/v1/tours/${tourId}/confirm`, { areas: [areas.market] });
    expect(first.body).toMatchObject({ status: 'dispatched', confirmed: [{ areaCode: areas.market, by: 'crew-60a12345' }] });

    now = new Date('2026-12-01T01:00:00Z');
    const second = await crew.post(`/v1/tours/${tourId}/confirm`, { areas: [areas.boardingHouses], note: 'Nhieu cong nhan vang nha' });
    expect(second.body.status).toBe('completed');
    expect(second.body.notes).toEqual([{ at: now.toISOString(), by: 'crew-60a12345', text: 'Nhieu cong nhan vang nha' }]);
    expect((await api.as('viewer').get(`/v1/tours/${tourId}`)).body.status).toBe('completed');
  });

  it("is in the van's calendar feed, which an independent parser reads back", async () => {
    const feed = await api.anonymous.get(van.calendarPath);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const events = Object.values(icalParser.parseICS(feed.text)).filter((item): item is VEvent => item?.type === 'VEVENT');
    const event = events.find((candidate) => candidate.uid.startsWith(tourId));
    expect(event?.start.toISOString()).toBe(START.toISOString());
    expect(event?.end?.toISOString()).toBe('2026-12-01T00:55:00.000Z');
    expect(String(event?.description)).toContain('07:35 Khu nha tro Amata');

    const forged = await api.anonymous.get(`/v1/vans/${van.id}/calendar.ics?token=guessed-token-000000000`);
    expect(forged.status).toBe(403);
  });

  it("is on the van's printable route sheet for the day", async () => {
    const sheet = await api.as('crew').get(`/v1/vans/${van.id}/route-sheet?date=2026-12-01`);
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(sheet.text).toContain('Cho Tan Hiep');
    expect(sheet.text).toContain('tiem vac xin');
    const dayBefore = await api.as('crew').get(`/v1/vans/${van.id}/route-sheet?date=2026-11-30`);
    expect(dayBefore.text).not.toContain('Cho Tan Hiep');
  });

  it("is in the van's sessions of that local day as data, with the stops confirmed and the script", async () => {
    const day = await api.as('crew').get(`/v1/vans/${van.id}/sessions?from=2026-12-01`);
    expect(day.status, day.text).toBe(200);
    expect(day.body).toMatchObject({ vanId: van.id, from: '2026-12-01', days: 1 });
    expect(day.body.sessions).toHaveLength(1);
    const [session] = day.body.sessions;
    expect(session.run.status).toBe('completed');
    expect(session.script.text).toContain('tiem vac xin');
    expect(
      session.stops.map((stop: { areaName: string; confirmedAt?: string }) => [stop.areaName, stop.confirmedAt !== undefined]),
    ).toEqual([
      ['Cho Tan Hiep', true],
      ['Khu nha tro Amata', true],
    ]);
    const before = await api.as('crew').get(`/v1/vans/${van.id}/sessions?from=2026-11-28&days=3`);
    expect(before.body.sessions).toEqual([]);
    const tooLong = await api.as('crew').get(`/v1/vans/${van.id}/sessions?days=15`);
    expect(tooLong.status).toBe(422);
  });

  it('counts in the coverage of the day, by local day', async () => {
    const coverage = await api.as('viewer').get('/v1/coverage?from=2026-12-01&to=2026-12-02');
    expect(coverage.status, coverage.text).toBe(200);
    expect(coverage.body.from).toBe('2026-11-30T17:00:00.000Z');
    const ours = coverage.body.areas.filter((area: { path: string }) => area.path.startsWith(`${areas.province}/`));
    expect(ours).toEqual([
      {
        code: areas.hospital,
        name: 'Benh vien Thong Nhat',
        path: `${areas.province}/${areas.hospital}`,
        planned: 0,
        confirmed: 0,
        missed: 0,
        quiet: true,
      },
      { code: areas.market, name: 'Cho Tan Hiep', path: `${areas.province}/${areas.market}`, planned: 1, confirmed: 1, missed: 0 },
      {
        code: areas.boardingHouses,
        name: 'Khu nha tro Amata',
        path: `${areas.province}/${areas.boardingHouses}`,
        planned: 1,
        confirmed: 1,
        missed: 0,
      },
    ]);
  });
});

describe('a tour nobody confirms', () => {
  it('is missed once the confirmation time after its planned end has passed, and operators can list it', async () => {
    now = new Date('2026-12-02T02:00:00Z');
    const tourId = await approvedTour({ schedule: { expression: 'at(2026-12-03T14:30:00)' } });
    now = new Date('2026-12-03T07:30:00Z');
    await dispatchTour(api.deps, tourId);

    // Planned end 15:25 local; confirmation allowed for two hours after it.
    now = new Date('2026-12-03T10:24:00Z');
    await markMissedTourRuns(api.deps);
    expect((await api.as('operator').get(`/v1/tours/${tourId}`)).body.status).toBe('dispatched');
    now = new Date('2026-12-03T10:25:00Z');
    await markMissedTourRuns(api.deps);
    expect((await api.as('operator').get(`/v1/tours/${tourId}`)).body.status).toBe('missed');
    expect((await api.as('operator').get(`/v1/tours/${tourId}/runs`)).body.items).toEqual([
      expect.objectContaining({ status: 'missed', confirmed: [] }),
    ]);
    const missed = await api.as('operator').get('/v1/tours?status=missed');
    expect(missed.body.items.map((tour: { id: string }) => tour.id)).toContain(tourId);
  });
});
