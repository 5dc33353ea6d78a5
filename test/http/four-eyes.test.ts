/**
 * Four-eyes without gaps, over HTTP: every decision names what it decides (a template's version, a
 * campaign's or tour's revision), a template has one pending version at a time, a tour's approver can read
 * the script, and every approval's audit entry carries the hash of what was approved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftCampaign, draftTour, expectStatus, startTestApi, unique, type ApiResult, type TestApi } from './harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

function expectFieldProblem(result: ApiResult, status: number, field: string) {
  expect(result.status, result.text).toBe(status);
  expect(result.headers.get('content-type')).toBe('application/problem+json');
  expect(result.body.errors.map((error: { field: string }) => error.field)).toContain(field);
}

async function auditEntry(subject: string, action: string) {
  const entries = await api.as('viewer').get(`/v1/audit?subject=${subject}&action=${action}`);
  expectStatus(entries, 200);
  expect(entries.body.items, `${action} of ${subject}`).toHaveLength(1);
  return entries.body.items[0];
}

describe.each([
  ['campaign', 'campaigns', () => draftCampaign(api)],
  ['tour', 'tours', () => draftTour(api, '2030-01-15')],
] as const)('a %s', (_, collection, draft) => {
  let id: string;
  let revision: number;
  beforeAll(async () => {
    id = await draft();
    const submitted = await api.as('author').post(`/v1/${collection}/${id}/submit`);
    expectStatus(submitted, 200);
    revision = submitted.body.revision;
  });

  it('is not approved or rejected without the revision the approver saw (422 naming it)', async () => {
    expectFieldProblem(await api.as('approver').post(`/v1/${collection}/${id}/approve`, {}), 422, 'revision');
    expectFieldProblem(await api.as('approver').post(`/v1/${collection}/${id}/approve`), 422, 'revision');
    expectFieldProblem(await api.as('approver').post(`/v1/${collection}/${id}/reject`, { reason: 'Sai' }), 422, 'revision');
    expect((await api.as('viewer').get(`/v1/${collection}/${id}`)).body).toMatchObject({ status: 'pending_approval', revision });
  });

  it('is not approved or rejected at a revision other than the stored one (409)', async () => {
    const stale = await api.as('approver').post(`/v1/${collection}/${id}/approve`, { revision: revision - 1 });
    expect(stale.status, stale.text).toBe(409);
    expect(stale.body.detail).toContain(`revision ${revision}, not ${revision - 1}`);
    const ahead = await api.as('approver').post(`/v1/${collection}/${id}/reject`, { reason: 'Sai', revision: revision + 1 });
    expect(ahead.status, ahead.text).toBe(409);
    expect((await api.as('viewer').get(`/v1/${collection}/${id}`)).body).toMatchObject({ status: 'pending_approval', revision });
  });

  it('records the hash of what was approved, on the record and in the audit entry', async () => {
    const approved = await api.as('approver').post(`/v1/${collection}/${id}/approve`, { revision });
    expectStatus(approved, 200);
    expect(approved.body.approvedHash).toMatch(/^[0-9a-f]{64}$/);
    const action = collection === 'campaigns' ? 'campaign.approve' : 'tour.approved';
    expect((await auditEntry(id, action)).details).toMatchObject({ revision, approvedHash: approved.body.approvedHash });
  });
});

describe('a template', () => {
  it('has one pending version: a newer submission supersedes the older, which can then never be approved', async () => {
    const author = api.as('author');
    const created = await author.post('/v1/templates', { name: unique('Mat nuoc'), body: 'Cup nuoc sang mai' });
    const id = created.body.id as string;
    expectStatus(await author.post(`/v1/templates/${id}/submit`, { version: 1 }), 200);
    expectStatus(await author.post(`/v1/templates/${id}/versions`, { body: 'Cup nuoc sang mai, 7-11 gio' }), 201);
    const submitted = await author.post(`/v1/templates/${id}/submit`, { version: 2 });
    expectStatus(submitted, 200);

    expect(submitted.body.versions.map((version: { status: string }) => version.status)).toEqual(['superseded', 'pending_approval']);
    expect((await auditEntry(id, 'template.superseded')).details).toEqual({ version: 1, supersededBy: 2 });
    const pending = await api.as('approver').get('/v1/template-versions?awaiting=me&limit=1000');
    expect(
      pending.body.items.filter((item: { templateId: string }) => item.templateId === id).map((item: { version: number }) => item.version),
    ).toEqual([2]);

    const superseded = await api.as('approver').post(`/v1/templates/${id}/approve`, { version: 1 });
    expect(superseded.status, superseded.text).toBe(409);
    expect(superseded.body.detail).toContain('superseded');
    expectFieldProblem(await api.as('approver').post(`/v1/templates/${id}/approve`, {}), 422, 'version');

    const approved = await api.as('approver').post(`/v1/templates/${id}/approve`, { version: 2 });
    expectStatus(approved, 200);
    const hash = approved.body.versions[1].approvedHash;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await auditEntry(id, 'template.approved')).details).toEqual({ version: 2, approvedHash: hash });
  });
});

describe("a tour's approver", () => {
  it('reads the text of the script the tour reads', async () => {
    const id = await draftTour(api, '2030-01-22');
    const tour = (await api.as('author').post(`/v1/tours/${id}/submit`)).body;
    const script = await api.as('approver').get(`/v1/tours/${id}/script`);
    expectStatus(script, 200);
    expect(script.body).toMatchObject({
      code: `${tour.scriptId} v${tour.scriptVersion}`,
      text: 'Ba con chu y: tiem vac xin tai tram y te phuong tu 7 gio sang thu Bay.',
    });
  });
});
