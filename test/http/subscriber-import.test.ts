import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../lambdas/core/auth/caller.js';
import { issueToken } from '../../lambdas/embedded/tokens.js';
import { areasWithSubscribers, startTestApi, USERS, type TestApi } from './harness.js';
import { oversizedUpload, uploadStream } from './oversized-upload.js';

const MB = 1024 * 1024;

describe('the subscriber import: its limits and the source it records', () => {
  let api: TestApi;
  let area: string;
  beforeAll(async () => {
    api = await startTestApi();
    area = (await areasWithSubscribers(api, [])).areas[0];
  });
  afterAll(() => api.close());

  const importCsv = (lines: string[], options: { role?: Role; fileName?: string } = {}) =>
    api
      .as(options.role ?? 'operator')
      .request('POST', `/v1/subscribers/import${options.fileName ? `?fileName=${encodeURIComponent(options.fileName)}` : ''}`, {
        body: lines.join('\n'),
        contentType: 'text/csv',
      });
  const lookUp = (phone: string) => api.as('viewer').post('/v1/subscribers/lookup', { phone });

  /** Sends a body to the import as a raw fetch, so it can be a stream, with or without a length. */
  async function upload(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
    const token = await issueToken(api.signingKey, { user: USERS.operator, roles: ['operator'], ttlSeconds: 600 });
    const response = await fetch(`${api.url}/v1/subscribers/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', ...headers },
      body,
      duplex: 'half',
    } as RequestInit);
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as { detail: string } };
  }

  describe('where each subscriber came from', () => {
    it('records the import and its file name on each subscriber, and audits the import under its id', async () => {
      const fileName = 'Đồng Xoài tháng 3.csv';
      const result = await importCsv(['phone,area,tags', `0961100001,${area},`, `0961100002,${area},`, `0961100003,NOWHERE,`], {
        fileName,
      });
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ importId: expect.stringMatching(/^imp_/), fileName, imported: 2, refusedCount: 1 });

      const subscriber = await lookUp('0961100001');
      expect(subscriber.body).toMatchObject({
        source: { kind: 'import', importId: result.body.importId, fileName },
        sourcedAt: subscriber.body.updatedAt,
      });

      const audit = await api.as('viewer').get('/v1/audit?action=subscribers.imported&limit=1000');
      const entry = audit.body.items.find((item: { details?: { importId?: string } }) => item.details?.importId === result.body.importId);
      expect(entry).toMatchObject({
        actor: USERS.operator,
        details: { importId: result.body.importId, fileName, imported: 2, updated: 0, refused: 1 },
      });
    });

    it('records the client as the source of what an integration imports, and audits it as the actor', async () => {
      const result = await importCsv(['phone,area,tags', `0961100004,${area},hotline`], { role: 'integration' });
      expect(result.status).toBe(200);
      expect(result.body.fileName).toBeUndefined();

      expect((await lookUp('0961100004')).body.source).toEqual({
        kind: 'integration',
        clientId: USERS.integration,
        importId: result.body.importId,
      });
      const audit = await api.as('viewer').get('/v1/audit?action=subscribers.imported&limit=1000');
      const entry = audit.body.items.find((item: { details?: { importId?: string } }) => item.details?.importId === result.body.importId);
      expect(entry.actor).toBe(USERS.integration);
    });
  });

  describe('what a report lists', () => {
    it('lists the first 1,000 of 5,000 bad rows by line with the total count, in a small response', async () => {
      const bad = Array.from({ length: 5_000 }, (_, index) => `${'9'.repeat(30)}${index},${area},`);
      const result = await importCsv(['phone,area,tags', ...bad]);

      expect(result.status).toBe(200);
      expect(result.text.length).toBeLessThan(200_000);
      expect(result.body.refusedCount).toBe(5_000);
      expect(result.body.refused).toHaveLength(1_000);
      expect(result.body.refused.map((row: { line: number }) => row.line)).toEqual(Array.from({ length: 1_000 }, (_, index) => index + 2));
    });

    it('quotes at most 40 characters of what a row holds', async () => {
      const long = `0961${'7'.repeat(5_000)}`;
      const result = await importCsv([
        'phone,area,tags,carrier',
        `${long},${area},,`,
        `0961100005,${'X'.repeat(5_000)},,`,
        `0961100006,${area},,${'Y'.repeat(500)}`,
      ]);

      expect(result.body.refused).toEqual([
        { line: 2, reason: expect.stringContaining(`"0961${'7'.repeat(36)}…"`) },
        { line: 3, reason: expect.stringContaining(`"${'X'.repeat(40)}…"`) },
        { line: 4, reason: expect.stringContaining(`"${'Y'.repeat(40)}…"`) },
      ]);
      for (const row of result.body.refused) expect(row.reason.length).toBeLessThan(200);
    });

    it('refuses a row with more than 20 tags or a tag of more than 64 characters, saying which limit', async () => {
      const tags = (count: number) => Array.from({ length: count }, (_, index) => `tag-${index}`).join(';');
      const result = await importCsv([
        'phone,area,tags',
        `0961100007,${area},${tags(20)}`,
        `0961100008,${area},${tags(21)}`,
        `0961100009,${area},ok;${'t'.repeat(65)}`,
        `0961100010,${area},${'t'.repeat(64)}`,
      ]);

      expect(result.body).toMatchObject({ imported: 2, refusedCount: 2 });
      expect(result.body.refused).toEqual([
        { line: 3, reason: '21 tags; a subscriber may have at most 20' },
        { line: 4, reason: `the tag "${'t'.repeat(40)}…" has 65 characters; a tag may have at most 64` },
      ]);
      expect((await lookUp('0961100007')).body.tags).toHaveLength(20);
      expect((await lookUp('0961100008')).status).toBe(404);
    });
  });

  describe('how much one import may hold', () => {
    const firstPhone = '0961200001';
    const rowsFrom = (first: string) => `phone,area,tags,note\n${first},${area},,\n`;

    it('refuses a file announced as over 50 MB at once with 413, before reading it', async () => {
      const started = performance.now();
      const result = await upload(uploadStream(oversizedUpload({ head: rowsFrom(firstPhone), bytes: 60 * MB })), {
        'content-length': String(60 * MB),
      });

      expect(result.status).toBe(413);
      expect(result.type).toBe('application/problem+json');
      expect(result.body.detail).toMatch(/at most 50 MB and 1,000,000 rows/);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect((await lookUp(firstPhone)).status).toBe(404);
    });

    it('answers a streamed upload with 413 as soon as it passes 50 MB, with nothing imported', async () => {
      // Endless: an answer at all shows the server did not wait for the end of the upload.
      const result = await upload(uploadStream(oversizedUpload({ head: rowsFrom(firstPhone), bytes: Number.POSITIVE_INFINITY })));

      expect(result.status).toBe(413);
      expect(result.body.detail).toMatch(/larger than 50 MB/);
      expect((await lookUp(firstPhone)).status).toBe(404);
    }, 60_000);

    it('refuses a file of more than 1,000,000 rows with 413, nothing imported', async () => {
      const result = await importCsv(['phone,area,tags', `${firstPhone},${area},`, ...Array.from({ length: 1_000_000 }, () => 'x,,')]);

      expect(result.status).toBe(413);
      expect(result.body.detail).toMatch(/more than 1,000,000 rows/);
      expect((await lookUp(firstPhone)).status).toBe(404);
    }, 60_000);

    it('still imports a file within the limits on the same server', async () => {
      const result = await importCsv(['phone,area,tags', `${firstPhone},${area},`]);
      expect(result.body).toMatchObject({ imported: 1, refusedCount: 0, refused: [] });
    });
  });
});
