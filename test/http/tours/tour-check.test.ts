import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedScript, expectStatus, registeredVan, startTestApi, unique, type TestApi } from '../harness.js';

/** Checking a tour plan while it is drawn: the rules' answers, nothing saved. */
describe('POST /v1/tours/check', () => {
  let api: TestApi;
  let areas: { market: string; hospital: string };
  let scriptId: string;
  let vanId: string;

  beforeAll(async () => {
    api = await startTestApi({ clock: { now: () => new Date('2026-11-30T02:00:00Z') } });
    const province = unique('DNI');
    areas = { market: `${province}-CHO`, hospital: `${province}-BV` };
    expectStatus(
      await api.as('operator').post('/v1/areas', {
        areas: [
          { code: province, name: 'Tinh Dong Nai' },
          { code: areas.market, name: 'Cho Tan Hiep', parentCode: province },
          { code: areas.hospital, name: 'Benh vien Thong Nhat', parentCode: province, quiet: true },
        ],
      }),
      201,
    );
    scriptId = await approvedScript(api);
    vanId = (await registeredVan(api, province)).id;
  });
  afterAll(() => api.close());

  /** Tuesday 1 December 2026 at `time` in Hanoi. */
  const plan = (time: string) => ({
    name: unique('Phong chong sot xuat huyet'),
    vanId,
    scriptId,
    scriptVersion: 1,
    schedule: { expression: `at(2026-12-01T${time}:00)` },
    stops: [
      { areaCode: areas.market, minutes: 20 },
      { areaCode: areas.hospital, minutes: 10 },
    ],
  });

  it('passes a plan inside the slots with a warning for the quiet area, and gives its times', async () => {
    const result = await api.as('author').post('/v1/tours/check', plan('07:00'));

    expect(result.status, result.text).toBe(200);
    expect(result.body.problems).toEqual([]);
    expect(result.body.stops).toEqual([{ areaCode: areas.market, minutes: 20 }]);
    expect(result.body.warnings).toEqual([expect.stringContaining('Benh vien Thong Nhat')]);
    expect(result.body.firstRun).toMatchObject({
      startsAt: '2026-12-01T00:00:00.000Z',
      stops: [{ areaCode: areas.market, startsAt: '2026-12-01T00:00:00.000Z', endsAt: '2026-12-01T00:20:00.000Z' }],
    });
  });

  it('answers the night quiet hours and the daily slots in their own words, without saving', async () => {
    const night = await api.as('operator').post('/v1/tours/check', plan('23:00'));
    const noon = await api.as('author').post('/v1/tours/check', plan('12:00'));

    expect(night.status).toBe(200);
    expect(night.body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'quiet_hours', status: 422, message: expect.stringMatching(/night quiet hours 22:00-06:00/) }),
      ]),
    );
    expect(noon.body.problems).toEqual([expect.objectContaining({ rule: 'outside_slots', field: expect.any(String) })]);
    expect((await api.as('viewer').get(`/v1/tours?vanId=${vanId}`)).body.items).toEqual([]);
  });

  it('finds the van already on the road at that time', async () => {
    const tour = await api.as('author').post('/v1/tours', plan('07:00'));
    expectStatus(tour, 201);
    expectStatus(await api.as('author').post(`/v1/tours/${tour.body.id}/submit`), 200);

    const clash = await api.as('author').post('/v1/tours/check', plan('07:15'));

    expect(clash.body.problems).toEqual([expect.objectContaining({ rule: 'van_busy', status: 409 })]);
  });

  it('refuses a plan naming an area it does not know, as creating it would', async () => {
    const result = await api.as('author').post('/v1/tours/check', { ...plan('07:00'), stops: [{ areaCode: 'NOWHERE', minutes: 10 }] });

    expect(result.status).toBe(422);
    expect(result.body.errors).toEqual([expect.objectContaining({ field: 'stops.0.areaCode' })]);
  });
});
