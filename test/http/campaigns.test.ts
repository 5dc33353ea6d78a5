import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedTemplate, areasWithSubscribers, segmentOf, startTestApi, type TestApi } from './harness.js';

describe('campaigns over HTTP', () => {
  let api: TestApi;
  let templateId: string;
  let segmentId: string;
  beforeAll(async () => {
    api = await startTestApi();
    templateId = await approvedTemplate(api, 'UBND tinh khuyen cao: {{advice}}', [{ name: 'advice', maxLength: 60 }]);
    const { province } = await areasWithSubscribers(api, ['0961000001', '0911000002', '0901000003']);
    segmentId = await segmentOf(api, province);
  });
  afterAll(() => api.close());

  const newCampaign = async (extra: Record<string, unknown> = {}, by = api.as('author')) => {
    const result = await by.post('/v1/campaigns', {
      name: 'Khuyen cao tuan nay',
      templateId,
      templateVersion: 1,
      segmentId,
      variables: { advice: 'đeo khẩu trang nơi đông người' },
      ...extra,
    });
    expect(result.status, result.text).toBe(201);
    return result.body;
  };

  it('creates a draft with the message rendered once, and its parts counted', async () => {
    const campaign = await newCampaign({ stripDiacritics: true });
    expect(campaign).toMatchObject({
      status: 'draft',
      text: 'UBND tinh khuyen cao: deo khau trang noi dong nguoi',
      sms: { encoding: 'GSM-7', parts: 1 },
      priority: 'normal',
      test: false,
      createdBy: 'lan',
      counts: { total: 0, queued: 0, delivered: 0 },
    });
    expect((await api.as('viewer').get(`/v1/campaigns/${campaign.id}`)).body).toEqual(campaign);
  });

  it('is approved only by a second person, which arms the scheduler', async () => {
    const campaign = await newCampaign();
    expect((await api.as('approver').post(`/v1/campaigns/${campaign.id}/approve`, { revision: campaign.revision })).status).toBe(409);
    const submitted = (await api.as('author').post(`/v1/campaigns/${campaign.id}/submit`)).body;
    expect(submitted.status).toBe('pending_approval');
    const seen = { revision: submitted.revision };

    const byCreator = await api.withRoles('lan', ['author', 'approver']).post(`/v1/campaigns/${campaign.id}/approve`, seen);
    expect(byCreator.status).toBe(403);
    expect(byCreator.body.detail).toMatch(/second person/);
    expect(api.scheduler.scheduled.map((scheduled) => scheduled.id)).not.toContain(campaign.id);

    const approved = await api.as('approver').post(`/v1/campaigns/${campaign.id}/approve`, seen);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'minh', nextFireAt: expect.any(String) });
    expect(api.scheduler.scheduled.at(-1)).toMatchObject({ id: campaign.id, status: 'approved' });
  });

  it('waits for its schedule when it has one', async () => {
    const campaign = await newCampaign({ schedule: { expression: 'cron(0 14 ? * FRI *)' } });
    expect(campaign.schedule).toEqual({ expression: 'cron(0 14 ? * FRI *)', timezone: 'Asia/Ho_Chi_Minh' });
    const submitted = await api.as('author').post(`/v1/campaigns/${campaign.id}/submit`);
    const approved = await api.as('approver').post(`/v1/campaigns/${campaign.id}/approve`, { revision: submitted.body.revision });
    expect(approved.body.status).toBe('scheduled');
    // Fridays at 14:00 in Hanoi are 07:00 UTC.
    expect(approved.body.nextFireAt).toMatch(/T07:00:00\.000Z$/);
    expect(new Date(approved.body.nextFireAt).getUTCDay()).toBe(5);
  });

  it('can be created and submitted by an integration, and rejected back to draft with a reason', async () => {
    const hotline = api.as('integration');
    const campaign = await newCampaign({ priority: 'emergency' }, hotline);
    expect(campaign).toMatchObject({ createdBy: 'hotline-1022', priority: 'emergency' });
    const submitted = await hotline.post(`/v1/campaigns/${campaign.id}/submit`);
    expect(submitted.status).toBe(200);

    const rejected = await api
      .as('approver')
      .post(`/v1/campaigns/${campaign.id}/reject`, { reason: 'Chua dung muc khan cap', revision: submitted.body.revision });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'draft', rejectionReason: 'Chua dung muc khan cap', decidedBy: 'minh' });
    expect((await hotline.post(`/v1/campaigns/${campaign.id}/submit`)).body.status).toBe('pending_approval');
  });

  it('pauses, resumes and cancels, answering 409 from any state that does not allow it', async () => {
    const operator = api.as('operator');
    const campaign = await newCampaign({ schedule: { expression: 'rate(1 day)' } });
    expect((await operator.post(`/v1/campaigns/${campaign.id}/pause`)).status).toBe(409);
    expect((await operator.post(`/v1/campaigns/${campaign.id}/resume`)).status).toBe(409);
    const submitted = await api.as('author').post(`/v1/campaigns/${campaign.id}/submit`);
    await api.as('approver').post(`/v1/campaigns/${campaign.id}/approve`, { revision: submitted.body.revision });

    const paused = await operator.post(`/v1/campaigns/${campaign.id}/pause`);
    expect(paused.body.status).toBe('paused');
    const pausedAgain = await operator.post(`/v1/campaigns/${campaign.id}/pause`);
    expect(pausedAgain.status).toBe(409);
    expect(pausedAgain.body).toMatchObject({ type: 'urn:loa:problem:conflict', detail: expect.stringContaining('paused') });

    const scheduledBefore = api.scheduler.scheduled.length;
    const resumed = await operator.post(`/v1/campaigns/${campaign.id}/resume`);
    expect(resumed.body.status).toBe('scheduled');
    expect(api.scheduler.scheduled.length).toBe(scheduledBefore + 1);

    const cancelled = await operator.post(`/v1/campaigns/${campaign.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.nextFireAt).toBeUndefined();
    expect(api.scheduler.unscheduled).toContain(campaign.id);
    for (const action of ['cancel', 'pause', 'resume']) {
      expect((await operator.post(`/v1/campaigns/${campaign.id}/${action}`)).status, action).toBe(409);
    }
    expect((await api.as('author').post(`/v1/campaigns/${campaign.id}/submit`)).status).toBe(409);
  });

  it('lists receipts, filtered by status and run (none before a run)', async () => {
    const campaign = await newCampaign();
    const receipts = await api.as('viewer').get(`/v1/campaigns/${campaign.id}/receipts?status=delivered&runId=r1&limit=10`);
    expect(receipts.status).toBe(200);
    expect(receipts.body).toEqual({ items: [] });
  });

  it('a test campaign needs configured test numbers, and has them here', async () => {
    const campaign = await newCampaign({ test: true });
    expect(campaign.test).toBe(true);
  });
});
