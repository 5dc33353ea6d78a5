import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedTemplate, areasWithSubscribers, segmentOf, startTestApi, type TestApi } from './harness.js';

describe('a recurring emergency campaign over HTTP', () => {
  let api: TestApi;
  let campaign: Record<string, unknown>;
  beforeAll(async () => {
    api = await startTestApi();
    const templateId = await approvedTemplate(api, 'Canh bao lu tren song Dong Nai', []);
    const { province } = await areasWithSubscribers(api, ['0961000001']);
    campaign = { name: 'Canh bao lu', templateId, templateVersion: 1, segmentId: await segmentOf(api, province), priority: 'emergency' };
  });
  afterAll(() => api.close());

  it('is refused with 422 on schedule.expression when it would fire more than once an hour', async () => {
    const refused = await api.as('author').post('/v1/campaigns', { ...campaign, schedule: { expression: 'rate(15 minutes)' } });

    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ field: 'schedule.expression', message: expect.stringMatching(/at most once an hour/) }]);
  });

  it('is created when it fires once an hour', async () => {
    const created = await api.as('author').post('/v1/campaigns', { ...campaign, schedule: { expression: 'rate(1 hour)' } });

    expect(created.status, created.text).toBe(201);
  });
});
