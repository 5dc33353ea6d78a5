import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { areasWithSubscribers, startTestApi, type TestApi } from './harness.js';

describe('live counts while a segment is built, over HTTP', () => {
  let api: TestApi;
  let areas: [string, string];
  let province: string;

  beforeAll(async () => {
    api = await startTestApi();
    // Viettel (096), Vinaphone (091) and Mobifone (090) numbers, alternating between the two areas.
    ({ province, areas } = await areasWithSubscribers(api, [
      '+84961000001',
      '+84911000002',
      '+84901000003',
      '+84961000004',
      '+84961000005',
    ]));
    await api.as('operator').post('/v1/opt-outs', { phone: '+84961000005', source: 'hotline-1022' });
  });
  afterAll(() => api.close());

  it('counts who a filter reaches by carrier and by area, without saving a segment', async () => {
    const auditBefore = (await api.as('viewer').get('/v1/audit?action=segment.created')).body.items.length;

    const whole = await api.as('author').post('/v1/segments/preview', { filter: { areas: [province] } });
    const viettelInOne = await api
      .as('operator')
      .post('/v1/segments/preview', { name: 'Viettel khu 1', filter: { areas: [areas[0]], carriers: ['viettel'] } });

    expect(whole.status, whole.text).toBe(200);
    expect(whole.body).toEqual({
      total: 4,
      byCarrier: { viettel: 2, vinaphone: 1, mobifone: 1 },
      byArea: { [areas[0]]: 2, [areas[1]]: 2 },
    });
    expect(viettelInOne.body).toEqual({ total: 1, byCarrier: { viettel: 1 }, byArea: { [areas[0]]: 1 } });
    expect((await api.as('viewer').get('/v1/audit?action=segment.created')).body.items).toHaveLength(auditBefore);
  });

  it('counts every subscriber by area for an empty filter: the area tree with its counts', async () => {
    const everyone = await api.as('author').post('/v1/segments/preview', { filter: {} });

    expect(everyone.body.byArea).toMatchObject({ [areas[0]]: 2, [areas[1]]: 2 });
  });

  it('names an area it does not know', async () => {
    const result = await api.as('author').post('/v1/segments/preview', { filter: { areas: [areas[0], 'NOWHERE'] } });

    expect(result.status).toBe(422);
    expect(result.body.errors).toEqual([expect.objectContaining({ field: 'filter.areas.1' })]);
  });
});
