import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, approvedTemplate, draftCampaign, draftTour, expectStatus, startTestApi, unique, type TestApi } from './harness.js';

/** What the console's home page asks: what waits for an approver, an author's own work, what runs now. */
describe('what waits on whom, over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  /** Minh approves, and writes too: his own work must never be put before him. */
  const minh = () => api.withRoles('minh', ['author', 'approver']);
  const ids = (items: { id?: string; templateId?: string }[]) => items.map((item) => item.id ?? item.templateId);

  it('shows an approver the templates, campaigns and tours waiting for a decision, never their own', async () => {
    const lansTemplate = (await api.as('author').post('/v1/templates', { name: unique('Mau'), body: 'Lich tiem chung' })).body.id;
    expectStatus(await api.as('author').post(`/v1/templates/${lansTemplate}/submit`), 200);
    const minhsTemplate = (await minh().post('/v1/templates', { name: unique('Mau'), body: 'Lich cat dien' })).body.id;
    expectStatus(await minh().post(`/v1/templates/${minhsTemplate}/submit`), 200);

    const lansCampaign = await draftCampaign(api);
    expectStatus(await api.as('author').post(`/v1/campaigns/${lansCampaign}/submit`), 200);
    const template = await approvedTemplate(api);
    const segment = (await api.as('author').get(`/v1/campaigns/${lansCampaign}`)).body.segmentId;
    const minhs = await minh().post('/v1/campaigns', {
      name: unique('Campaign'),
      templateId: template,
      templateVersion: 1,
      segmentId: segment,
      variables: { advice: 'rua tay' },
    });
    expectStatus(minhs, 201);
    expectStatus(await minh().post(`/v1/campaigns/${minhs.body.id}/submit`), 200);

    const lansTour = await draftTour(api);
    expectStatus(await api.as('author').post(`/v1/tours/${lansTour}/submit`), 200);

    const templates = await allPages(minh(), '/v1/template-versions?awaiting=me', 1);
    const campaigns = await allPages(minh(), '/v1/campaigns?awaiting=me', 1);
    const tours = await allPages(minh(), '/v1/tours?awaiting=me', 1);
    const lansOwnView = await allPages(api.as('author'), '/v1/tours?awaiting=me', 10);

    expect(ids(templates.items)).toContain(lansTemplate);
    expect(ids(templates.items)).not.toContain(minhsTemplate);
    expect(templates.items.find((item) => item.templateId === lansTemplate)).toMatchObject({
      version: 1,
      status: 'pending_approval',
      author: 'lan',
      channel: 'sms',
      latestVersion: 1,
    });
    expect(templates.items.every((item) => item.status === 'pending_approval' && item.author !== 'minh')).toBe(true);
    expect(ids(campaigns.items)).toEqual([lansCampaign]);
    expect(ids(tours.items)).toEqual([lansTour]);
    expect(ids(lansOwnView.items)).toEqual([]);
  });

  it("shows an author their drafts and what was rejected, with the reason, and nobody else's", async () => {
    const rejected = (await api.as('author', 'thu').post('/v1/templates', { name: unique('Mau'), body: 'Thong bao nghi le' })).body.id;
    expectStatus(await api.as('author', 'thu').post(`/v1/templates/${rejected}/submit`), 200);
    expectStatus(await api.as('approver').post(`/v1/templates/${rejected}/reject`, { reason: 'Sai ngay nghi', version: 1 }), 200);
    const draft = (await api.as('author', 'thu').post('/v1/templates', { name: unique('Mau'), body: 'Ban nhap' })).body.id;
    await api.as('author', 'lan').post('/v1/templates', { name: unique('Mau'), body: 'Cua Lan' });

    const campaign = await draftCampaign(api);
    const submitted = await api.as('author').post(`/v1/campaigns/${campaign}/submit`);
    expectStatus(submitted, 200);
    const rejection = { reason: 'Thieu so hotline', revision: submitted.body.revision };
    expectStatus(await api.as('approver').post(`/v1/campaigns/${campaign}/reject`, rejection), 200);

    const thus = await allPages(api.as('author', 'thu'), '/v1/template-versions?createdBy=me&status=draft,rejected', 1);
    const lansCampaigns = await allPages(api.as('author'), '/v1/campaigns?createdBy=me&status=draft', 50);

    expect(thus.items.map((item) => [item.templateId, item.status, item.rejectionReason])).toEqual([
      [rejected, 'rejected', 'Sai ngay nghi'],
      [draft, 'draft', undefined],
    ]);
    expect(lansCampaigns.items.find((item) => item.id === campaign)).toMatchObject({
      status: 'draft',
      rejectionReason: 'Thieu so hotline',
    });
    expect(lansCampaigns.items.every((item) => item.createdBy === 'lan' && item.status === 'draft')).toBe(true);
  });

  it('shows an operator the campaigns scheduled, sending or paused, and not the others', async () => {
    const schedule = { expression: 'cron(0 8 * * ? *)' };
    const scheduled = await draftCampaign(api, { schedule });
    const paused = await draftCampaign(api, { schedule });
    for (const id of [scheduled, paused]) {
      const submitted = await api.as('author').post(`/v1/campaigns/${id}/submit`);
      expectStatus(submitted, 200);
      expectStatus(await api.as('approver').post(`/v1/campaigns/${id}/approve`, { revision: submitted.body.revision }), 200);
    }
    expectStatus(await api.as('operator').post(`/v1/campaigns/${paused}/pause`), 200);
    const draft = await draftCampaign(api);

    const running = await allPages(api.as('operator'), '/v1/campaigns?status=sending,scheduled,paused', 1);

    expect(running.items.map((item) => [item.id, item.status])).toEqual([
      [scheduled, 'scheduled'],
      [paused, 'paused'],
    ]);
    expect(ids(running.items)).not.toContain(draft);
  });

  it('says which query parameter is wrong', async () => {
    const unknown = await api.as('operator').get('/v1/campaigns?status=sending,flying');
    const both = await api.as('approver').get('/v1/template-versions?awaiting=me&status=draft');
    const someoneElse = await api.as('approver').get('/v1/campaigns?awaiting=you');

    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'status.1' })]);
    expect(both.status).toBe(422);
    expect(both.body.errors).toEqual([expect.objectContaining({ field: 'awaiting' })]);
    expect(someoneElse.status).toBe(422);
    expect(someoneElse.body.errors).toEqual([expect.objectContaining({ field: 'awaiting' })]);
  });
});
