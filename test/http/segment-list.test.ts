import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, areasWithSubscribers, startTestApi, unique, type TestApi } from './harness.js';

describe('the list of segments over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('lists every saved segment in creation order, page by page, for every role', async () => {
    const { province, areas } = await areasWithSubscribers(api, ['+84961000001', '+84911000002']);
    const filters = [
      { areas: [province], tags: [], carriers: [] },
      { areas: [areas[0]], tags: ['dan-cu'], carriers: [] },
      { areas: [], tags: [], carriers: ['viettel'] },
    ];
    const saved = [];
    for (const filter of filters) {
      const created = await api.as('author', 'lan').post('/v1/segments', { name: unique('Nhóm'), filter });
      expect(created.status, created.text).toBe(201);
      saved.push(created.body);
    }

    const listed = await allPages(api.as('viewer'), '/v1/segments', 2);

    expect(listed.pages).toBe(2);
    expect(listed.items).toEqual(saved.map(({ counts: _counts, ...segment }) => segment));
    expect(listed.items[1]).toMatchObject({ filter: filters[1], createdBy: 'lan' });
    expect((await api.as('crew').get('/v1/segments')).status).toBe(200);
  });

  it('refuses a cursor it did not hand out, naming the parameter', async () => {
    const forged = await api.as('viewer').get('/v1/segments?cursor=bm90LWEtY3Vyc29y');

    expect(forged.status).toBe(422);
    expect(forged.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });
});
