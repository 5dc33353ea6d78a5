import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, startTestApi, unique, type TestApi } from './harness.js';

describe('the audit log filtered by who, what and when, over HTTP', () => {
  let api: TestApi;
  let now = new Date('2026-12-03T03:00:00Z');
  let first: string;
  let second: string;

  beforeAll(async () => {
    api = await startTestApi({ clock: { now: () => now } });
    // Thursday 3 December, 10:00 in Hanoi: Lan writes two templates and submits the first; Minh rejects it.
    first = (await api.as('author').post('/v1/templates', { name: unique('Mau'), body: 'Mot' })).body.id;
    second = (await api.as('author').post('/v1/templates', { name: unique('Mau'), body: 'Hai' })).body.id;
    await api.as('author').post(`/v1/templates/${first}/submit`);
    // Friday 4 December, 08:00 in Hanoi.
    now = new Date('2026-12-04T01:00:00Z');
    await api.as('approver').post(`/v1/templates/${first}/reject`, { reason: 'Qua ngan', version: 1 });
  });
  afterAll(() => api.close());

  const trail = (items: { actor: string; action: string; subject: string }[]) =>
    items.map((entry) => [entry.actor, entry.action, entry.subject]);

  it('finds what one person did, newest first', async () => {
    const byLan = await allPages(api.as('viewer'), '/v1/audit?actor=lan', 2);

    expect(trail(byLan.items)).toEqual([
      ['lan', 'template.submitted', first],
      ['lan', 'template.created', second],
      ['lan', 'template.created', first],
    ]);
  });

  it('finds one kind of action, and everything done to one record', async () => {
    const rejections = await api.as('approver').get('/v1/audit?action=template.rejected');
    const onFirst = await allPages(api.as('operator'), `/v1/audit?subject=${first}`, 1);

    expect(trail(rejections.body.items)).toEqual([['minh', 'template.rejected', first]]);
    expect(rejections.body.items[0].details).toEqual({ version: 1, reason: 'Qua ngan' });
    expect(trail(onFirst.items)).toEqual([
      ['minh', 'template.rejected', first],
      ['lan', 'template.submitted', first],
      ['lan', 'template.created', first],
    ]);
  });

  it('finds what happened in a period given as local days or instants, to exclusive', async () => {
    const thursday = await api.as('viewer').get('/v1/audit?from=2026-12-03&to=2026-12-04');
    const friday = await api.as('viewer').get(`/v1/audit?from=2026-12-04&to=2026-12-05&subject=${first}`);
    const beforeTheRejection = await api.as('viewer').get(`/v1/audit?to=${encodeURIComponent('2026-12-04T01:00:00Z')}&subject=${first}`);

    expect(trail(thursday.body.items).map(([, action]) => action)).toEqual(['template.submitted', 'template.created', 'template.created']);
    expect(trail(friday.body.items)).toEqual([['minh', 'template.rejected', first]]);
    expect(trail(beforeTheRejection.body.items).map(([, action]) => action)).toEqual(['template.submitted', 'template.created']);
  });

  it('says which filter is wrong', async () => {
    const result = await api.as('viewer').get('/v1/audit?from=yesterday');

    expect(result.status).toBe(422);
    expect(result.body.errors).toEqual([expect.objectContaining({ field: 'from' })]);
  });
});
