import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, draftCampaign, startTestApi, unique, type TestApi } from './harness.js';

describe('lists and the audit log over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('pages every list with ?limit and the nextCursor of the page before, each item once', async () => {
    const names = Array.from({ length: 11 }, () => unique('Mau'));
    for (const name of names) expect((await api.as('author').post('/v1/templates', { name, body: 'Trang' })).status).toBe(201);
    await api.as('operator').post('/v1/areas', { areas: Array.from({ length: 9 }, (_, i) => ({ code: `A${i}`, name: `Khu ${i}` })) });
    await draftCampaign(api);
    await draftCampaign(api);

    const templates = await allPages(api.as('viewer'), '/v1/templates', 4);
    expect(
      templates.items
        .map((item) => item.name)
        .filter((name) => names.includes(name))
        .sort(),
    ).toEqual([...names].sort());
    expect(new Set(templates.items.map((item) => item.id)).size).toBe(templates.items.length);
    expect(templates.pages).toBe(Math.ceil(templates.items.length / 4));

    const areas = await allPages(api.as('viewer'), '/v1/areas', 5);
    // Nine here and three for each campaign's province.
    expect(areas.items).toHaveLength(15);
    expect(areas.pages).toBe(3);
    expect(new Set(areas.items.map((item) => item.code)).size).toBe(areas.items.length);

    const campaigns = await allPages(api.as('viewer'), '/v1/campaigns', 1);
    expect(campaigns.items).toHaveLength(2);
    expect(campaigns.pages).toBe(2);

    const audit = await allPages(api.as('viewer'), '/v1/audit', 7);
    expect(new Set(audit.items.map((item) => item.id)).size).toBe(audit.items.length);
  });

  it('defaults to 100 items a page and says when there is no next page', async () => {
    const first = await api.as('viewer').get('/v1/templates');
    expect(first.body.items.length).toBeLessThanOrEqual(100);
    expect(first.body.nextCursor).toBeUndefined();
  });

  it('records who did what to which subject, and when, newest first', async () => {
    const before = Date.now();
    const id = (await api.as('author', 'lan').post('/v1/templates', { name: unique('Mau'), body: 'Ghi nhan' })).body.id;
    await api.as('author', 'lan').post(`/v1/templates/${id}/submit`);
    await api.as('approver', 'minh').post(`/v1/templates/${id}/reject`, { reason: 'Sai chinh ta', version: 1 });
    await api.as('operator', 'hoa').post('/v1/opt-outs', { phone: '0912345678', source: 'hotline-1022' });

    const audit = await api.as('approver').get('/v1/audit?limit=4');
    expect(audit.status).toBe(200);
    expect(
      audit.body.items.map((entry: { actor: string; action: string; subject: string }) => [entry.actor, entry.action, entry.subject]),
    ).toEqual([
      ['hoa', 'opt_out.added', '+8491****678'],
      ['minh', 'template.rejected', id],
      ['lan', 'template.submitted', id],
      ['lan', 'template.created', id],
    ]);
    expect(audit.body.items[1].details).toEqual({ version: 1, reason: 'Sai chinh ta' });
    for (const entry of audit.body.items) {
      expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(entry.at)).toBeLessThanOrEqual(Date.now());
    }
    expect(audit.body.nextCursor).toEqual(expect.any(String));
  });

  it('previews a schedule: the next fire times in UTC', async () => {
    const weekly = await api
      .as('integration')
      .get(`/v1/schedule-preview?expression=${encodeURIComponent('cron(0 14 ? * FRI *)')}&from=2026-03-02T00:00:00Z&count=3`);
    expect(weekly.status).toBe(200);
    expect(weekly.body).toEqual({
      expression: 'cron(0 14 ? * FRI *)',
      timezone: 'Asia/Ho_Chi_Minh',
      fireTimes: ['2026-03-06T07:00:00.000Z', '2026-03-13T07:00:00.000Z', '2026-03-20T07:00:00.000Z'],
    });

    const once = await api
      .as('viewer')
      .get(
        `/v1/schedule-preview?expression=${encodeURIComponent('at(2026-03-02T09:30:00)')}&timezone=UTC&from=2026-03-01T00:00:00%2B07:00`,
      );
    expect(once.body.fireTimes).toEqual(['2026-03-02T09:30:00.000Z']);

    const hourly = await api.as('viewer').get(`/v1/schedule-preview?expression=${encodeURIComponent('rate(1 hour)')}`);
    expect(hourly.body.fireTimes).toHaveLength(10);

    const refused = await api.as('viewer').get(`/v1/schedule-preview?expression=${encodeURIComponent('cron(0 14 * * FRI *)')}`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ field: 'expression', message: expect.stringMatching(/\?/) }]);
  });
});

describe('delivery reports that match no receipt', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('are counted and shown to operations, not lost', async () => {
    expect((await api.as('viewer').get('/v1/delivery-reports/unmatched')).body).toEqual({ count: 0 });
    await api.deps.receipts.recordDeliveryReports([
      { gatewayId: 'simulator', messageId: 'no-such-message', status: 'delivered', at: new Date().toISOString() },
    ]);
    expect((await api.as('operator').get('/v1/delivery-reports/unmatched')).body).toEqual({ count: 1 });
  });
});
