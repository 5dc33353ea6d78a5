import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { areasWithSubscribers, type Client, expectStatus, startTestApi, type TestApi } from './harness.js';

/** Imports in slices in the embedded runtime: created, the file PUT to the server, imported in the background. */
describe('imports in slices, embedded', () => {
  let api: TestApi;
  let areas: [string, string];
  beforeAll(async () => {
    api = await startTestApi();
    areas = (await areasWithSubscribers(api, [])).areas;
  });
  afterAll(() => api.close());

  const put = (client: Client, upload: { url: string; headers: Record<string, string> }, csv: string) =>
    client.request('PUT', new URL(upload.url).pathname, { body: csv, contentType: upload.headers['content-type'] ?? 'text/csv' });

  async function finished(id: string) {
    for (let attempt = 0; attempt < 200; attempt++) {
      const found = await api.as('operator').get(`/v1/imports/${id}`);
      expectStatus(found, 200);
      if (found.body.status === 'done' || found.body.status === 'failed') return found.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`import ${id} did not finish`);
  }

  it('imports the file PUT to the URL it gives, refusing and accepting the rows the synchronous import does', async () => {
    const lines = [
      'phone,area,tags,carrier',
      `0961000101,${areas[0]},dan-cu,`,
      `0961000102,${areas[1]},"dan-cu;y-te",viettel`,
      `0961000103,NOWHERE,dan-cu,`,
      `12345,${areas[0]},dan-cu,`,
      `"0961000104`,
      `",${areas[0]},dan-cu,`,
      `0961000105,${areas[0]},dan-cu,att`,
      '',
      `0961000106,${areas[1]},,`,
    ];
    const csv = `${lines.join('\r\n')}\r\n`;
    const operator = api.as('operator');
    const created = await operator.post('/v1/imports', { fileName: 'dong-nai.csv' });
    expectStatus(created, 201);
    const { id, upload } = created.body;
    expect(created.body).toEqual({
      id: expect.stringMatching(/^imp_/),
      status: 'waiting-for-file',
      upload: { method: 'PUT', url: `${api.url}/v1/imports/${id}/file`, headers: { 'content-type': 'text/csv' } },
    });
    expect((await operator.get(`/v1/imports/${id}`)).body).toMatchObject({ status: 'waiting-for-file', bytesRead: 0, refused: [] });

    expectStatus(await put(operator, upload, csv), 202);
    const done = await finished(id);

    expect(done).toMatchObject({
      id,
      status: 'done',
      fileName: 'dong-nai.csv',
      createdBy: 'hoa',
      fileBytes: Buffer.byteLength(csv),
      bytesRead: Buffer.byteLength(csv),
      header: ['phone', 'area', 'tags', 'carrier'],
      imported: 4,
      updated: 0,
      refusedCount: 3,
    });
    const synchronous = await operator.request('POST', '/v1/subscribers/import', { body: csv, contentType: 'text/csv' });
    expectStatus(synchronous, 200);
    expect(synchronous.body).toMatchObject({ imported: 0, updated: 4, refusedCount: 3 });
    expect(done.refused).toEqual(synchronous.body.refused);
    expect(done.refused.map((row: { line: number }) => row.line)).toEqual([4, 5, 8]);

    const subscriber = await api.as('viewer').post('/v1/subscribers/lookup', { phone: '0961000106' });
    expect(subscriber.body).toMatchObject({ areaCode: areas[1] });
    const audit = await api.as('operator').get(`/v1/audit?action=subscribers.imported&actor=hoa`);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ details: { importId: id, fileName: 'dong-nai.csv', imported: 4, updated: 0, refused: 3 } }),
    );
  });

  it('takes one file per import, only from whoever created it, and shows the import to its creator and operators only', async () => {
    const integration = api.as('integration');
    const created = await integration.post('/v1/imports', {});
    expectStatus(created, 201);
    const { id, upload } = created.body;
    const csv = `phone,area,tags\n0961000201,${areas[0]},\n`;

    expect((await put(api.as('operator'), upload, csv)).status).toBe(404);
    expect((await api.as('integration', 'another-client').get(`/v1/imports/${id}`)).status).toBe(404);
    expectStatus(await put(integration, upload, csv), 202);
    expect((await put(integration, upload, csv)).status).toBe(409);
    expect(await finished(id)).toMatchObject({ status: 'done', imported: 1, createdBy: 'hotline-1022' });
    expect((await integration.get(`/v1/imports/${id}`)).body).toMatchObject({ status: 'done' });
    expect((await api.as('operator').get('/v1/imports/imp_0000nothere')).status).toBe(404);
  });

  it('fails an import whose file lacks a column, writing nothing, and keeps no copy of the file', async () => {
    const operator = api.as('operator');
    const { id, upload } = (await operator.post('/v1/imports', {})).body;
    expectStatus(await put(operator, upload, `msisdn,area\n0961000301,${areas[0]}\n`), 202);

    expect(await finished(id)).toMatchObject({
      status: 'failed',
      imported: 0,
      error: expect.stringContaining('lacks the columns phone, tags'),
    });
    expect((await api.as('viewer').post('/v1/subscribers/lookup', { phone: '0961000301' })).status).toBe(404);
    const { readdir } = await import('node:fs/promises');
    await expect.poll(async () => (await readdir(`${api.dataDir}/imports`)).filter((name) => name.startsWith(id))).toEqual([]);
  });

  it('a file sent as JSON: 415, and the import still waits for its file', async () => {
    const operator = api.as('operator');
    const { id } = (await operator.post('/v1/imports', {})).body;
    const result = await operator.request('PUT', `/v1/imports/${id}/file`, {
      body: '{"phone":"0961000401"}',
      contentType: 'application/json',
    });
    expect(result.status).toBe(415);
    expect((await operator.get(`/v1/imports/${id}`)).body.status).toBe('waiting-for-file');
  });
});
