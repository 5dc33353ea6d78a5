import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.js';

describe('templates over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('goes from draft through a new version and submission to approval by a second person', async () => {
    const author = api.as('author');
    const created = await author.post('/v1/templates', {
      name: 'Khuyến cáo phòng dịch',
      body: 'Sở Y tế khuyến cáo: {{advice}}',
      placeholders: [{ name: 'advice', maxLength: 40 }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Khuyến cáo phòng dịch', channel: 'sms', latestVersion: 1, createdBy: 'lan' });
    expect(created.body.versions[0]).toMatchObject({
      version: 1,
      status: 'draft',
      author: 'lan',
      sms: { encoding: 'UCS-2', parts: 1, partsWithoutDiacritics: 1 },
    });
    const id = created.body.id as string;

    const edited = await author.post(`/v1/templates/${id}/versions`, {
      body: 'Sở Y tế khuyến cáo người dân: {{advice}}. Mọi thắc mắc xin gọi đường dây nóng 1022 của tỉnh.',
      placeholders: [{ name: 'advice', maxLength: 60 }],
    });
    expect(edited.status).toBe(201);
    expect(edited.body.latestVersion).toBe(2);
    // Vietnamese with diacritics is UCS-2 (67 a part when split); without them GSM-7 (153 a part), even
    // with the placeholder filled by 60 two-septet characters at worst.
    expect(edited.body.versions[1].sms).toEqual({ encoding: 'UCS-2', parts: 3, partsWithoutDiacritics: 2 });

    const submitted = await author.post(`/v1/templates/${id}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.versions[1]).toMatchObject({ status: 'pending_approval', submittedAt: expect.any(String) });
    expect(submitted.body.versions[0].status).toBe('draft');

    // The author holding the approver role as well still cannot approve their own version.
    const selfApproval = await api.withRoles('lan', ['author', 'approver']).post(`/v1/templates/${id}/approve`, { version: 2 });
    expect(selfApproval.status).toBe(403);
    expect(selfApproval.body.detail).toMatch(/second person/);

    const approved = await api.as('approver').post(`/v1/templates/${id}/approve`, { version: 2 });
    expect(approved.status).toBe(200);
    expect(approved.body.versions[1]).toMatchObject({ status: 'approved', decidedBy: 'minh', decidedAt: expect.any(String) });

    const read = await api.as('viewer').get(`/v1/templates/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(approved.body);
  });

  it('never changes an approved version: a second approval, rejection or submission is 409, an edit is a new version', async () => {
    const author = api.as('author');
    const approver = api.as('approver');
    const id = (await author.post('/v1/templates', { name: 'Lich tiem', body: 'Lich tiem chung tuan nay' })).body.id as string;
    await author.post(`/v1/templates/${id}/submit`);
    const approved = (await approver.post(`/v1/templates/${id}/approve`, { version: 1 })).body.versions[0];

    for (const [client, action, body] of [
      [approver, 'approve', { version: 1 }],
      [approver, 'reject', { reason: 'doi y', version: 1 }],
      [author, 'submit', {}],
    ] as const) {
      const result = await client.post(`/v1/templates/${id}/${action}`, body);
      expect(result.status, action).toBe(409);
      expect(result.body).toMatchObject({ type: 'urn:loa:problem:conflict', detail: expect.stringContaining('approved') });
    }

    const edited = await author.post(`/v1/templates/${id}/versions`, { body: 'Lich tiem chung da thay doi' });
    expect(edited.status).toBe(201);
    expect(edited.body.versions[0]).toEqual(approved);
    expect(edited.body.versions[1]).toMatchObject({ version: 2, status: 'draft', body: 'Lich tiem chung da thay doi' });
  });

  it('records a rejection with its reason; only the approver decides, and never the author', async () => {
    const author = api.as('author');
    const id = (await author.post('/v1/templates', { name: 'Tin gia', body: 'Canh bao tin gia' })).body.id as string;
    expect((await author.post(`/v1/templates/${id}/approve`, { version: 1 })).status).toBe(403);
    expect((await api.as('approver').post(`/v1/templates/${id}/approve`, { version: 1 })).status).toBe(409);
    await author.post(`/v1/templates/${id}/submit`);

    const rejected = await api.as('approver', 'thao').post(`/v1/templates/${id}/reject`, { reason: 'Thieu nguon tin', version: 1 });
    expect(rejected.status).toBe(200);
    expect(rejected.body.versions[0]).toMatchObject({ status: 'rejected', decidedBy: 'thao', rejectionReason: 'Thieu nguon tin' });
  });

  it('decides only the version the approver names: 422 without one, and one submitted meanwhile supersedes it', async () => {
    const author = api.as('author');
    const approver = api.as('approver');
    const id = (await author.post('/v1/templates', { name: 'Cup nuoc', body: 'Cup nuoc sang mai' })).body.id as string;
    await author.post(`/v1/templates/${id}/submit`);

    for (const [action, body] of [
      ['approve', {}],
      ['reject', { reason: 'Sai gio' }],
    ] as const) {
      const unnamed = await approver.post(`/v1/templates/${id}/${action}`, body);
      expect(unnamed.status, action).toBe(422);
      expect(unnamed.body.errors).toEqual([{ field: 'version', message: 'is required' }]);
    }

    // The author edits and submits version 2 while the approver reads version 1.
    await author.post(`/v1/templates/${id}/versions`, { body: 'Cup nuoc sang mai, tu 7 gio' });
    await author.post(`/v1/templates/${id}/submit`, { version: 2 });
    const decided = await approver.post(`/v1/templates/${id}/approve`, { version: 1 });
    expect(decided.status).toBe(409);
    const versions = (await approver.get(`/v1/templates/${id}`)).body.versions;
    expect(versions.map((version: { status: string }) => version.status)).toEqual(['superseded', 'pending_approval']);
  });

  it('lists templates without their versions', async () => {
    const list = await api.as('integration').get('/v1/templates');
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(3);
    expect(list.body.items[0]).toMatchObject({ id: expect.any(String), name: expect.any(String), latestVersion: expect.any(Number) });
  });
});
