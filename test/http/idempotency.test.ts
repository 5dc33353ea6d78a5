import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, areasWithSubscribers, startTestApi, unique, type TestApi } from './harness.js';

describe('Idempotency-Key', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const templatesNamed = async (name: string) =>
    (await allPages(api.as('viewer'), '/v1/templates', 1000)).items.filter((template) => template.name === name);

  it('returns the first response to a repeat, and acts once', async () => {
    const name = unique('Mau');
    const key = { 'idempotency-key': unique('key') };
    const first = await api.as('author').post('/v1/templates', { name, body: 'Xin chao' }, key);
    const second = await api.as('author').post('/v1/templates', { body: 'Xin chao', name }, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await templatesNamed(name)).toHaveLength(1);
  });

  it('acts once when the repeats arrive together', async () => {
    const name = unique('Mau');
    const key = { 'idempotency-key': unique('key') };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => api.as('author').post('/v1/templates', { name, body: 'Cung luc' }, key)),
    );
    expect(new Set(results.map((result) => result.text)).size).toBe(1);
    expect(await templatesNamed(name)).toHaveLength(1);
  });

  it('refuses the same key for a different body or path with 422', async () => {
    const key = { 'idempotency-key': unique('key') };
    const name = unique('Mau');
    expect((await api.as('author').post('/v1/templates', { name, body: 'Mot' }, key)).status).toBe(201);

    const otherBody = await api.as('author').post('/v1/templates', { name, body: 'Hai' }, key);
    expect(otherBody.status).toBe(422);
    expect(otherBody.body).toMatchObject({
      type: 'urn:loa:problem:idempotency-key-reused',
      errors: [{ field: 'Idempotency-Key', message: expect.any(String) }],
    });
    const otherPath = await api.as('author').post('/v1/segments', { name, filter: {} }, key);
    expect(otherPath.status).toBe(422);
    expect(otherPath.body.type).toBe('urn:loa:problem:idempotency-key-reused');
    expect(await templatesNamed(name)).toHaveLength(1);
  });

  it('scopes keys to the caller: another person with the same key acts on their own', async () => {
    const key = { 'idempotency-key': unique('shared') };
    const name = unique('Mau');
    const mine = await api.as('author', 'lan').post('/v1/templates', { name, body: 'Cua Lan' }, key);
    const theirs = await api.as('author', 'hai').post('/v1/templates', { name, body: 'Cua Hai' }, key);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.createdBy).toBe('hai');
  });

  it('keeps only successes: a refused request may be sent again with the same key once fixed', async () => {
    const key = { 'idempotency-key': unique('key') };
    const name = unique('Mau');
    expect((await api.as('author').post('/v1/templates', { name, body: 'Sai {{x}}' }, key)).status).toBe(422);
    expect((await api.as('author').post('/v1/templates', { name, body: 'Dung' }, key)).status).toBe(201);
  });

  it('replays an action too: a repeated approval answers 200 again, not 409', async () => {
    const id = (await api.as('author').post('/v1/templates', { name: unique('Mau'), body: 'Duyet' })).body.id;
    await api.as('author').post(`/v1/templates/${id}/submit`);
    const key = { 'idempotency-key': unique('approve') };
    const first = await api.as('approver').post(`/v1/templates/${id}/approve`, { version: 1 }, key);
    const again = await api.as('approver').post(`/v1/templates/${id}/approve`, { version: 1 }, key);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await api.as('approver').post(`/v1/templates/${id}/approve`, { version: 1 })).status).toBe(409);
  });

  it('refuses a malformed key with 422', async () => {
    const result = await api.as('author').post('/v1/templates', { name: 'x', body: 'y' }, { 'idempotency-key': 'k'.repeat(300) });
    expect(result.status).toBe(422);
    expect(result.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
  });

  it('does not apply to the CSV import, an upsert: each call imports', async () => {
    const { areas } = await areasWithSubscribers(api, []);
    const send = () =>
      api.as('operator').request('POST', '/v1/subscribers/import', {
        body: `phone,area,tags\n0961000001,${areas[0]},\n`,
        contentType: 'text/csv',
        headers: { 'idempotency-key': 'same-import' },
      });
    expect((await send()).body).toMatchObject({ imported: 1, updated: 0 });
    const second = await send();
    expect(second.body).toMatchObject({ imported: 0, updated: 1 });
    expect(second.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('Idempotency-Key a day later', () => {
  let now = new Date('2026-03-01T08:00:00.000Z');
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ clock: { now: () => now } });
  });
  afterAll(() => api.close());

  it('acts again: the first answer is kept a day, whether or not it is deleted yet', async () => {
    const key = { 'idempotency-key': unique('key') };
    const first = await api.as('author').post('/v1/templates', { name: unique('Mau'), body: 'Hom qua' }, key);
    now = new Date(now.getTime() + 23 * 3_600_000);
    const sameDay = await api.as('author').post('/v1/templates', { name: unique('Mau'), body: 'Hom qua' }, key);
    expect(sameDay.status).toBe(422);

    now = new Date(now.getTime() + 3_600_000);
    const dayLater = await api.as('author').post('/v1/templates', { name: unique('Mau'), body: 'Hom nay' }, key);

    expect(first.status).toBe(201);
    expect(dayLater.status).toBe(201);
    expect(dayLater.headers.get('idempotent-replayed')).toBeNull();
    expect(dayLater.text).not.toBe(first.text);
  });
});
