/** Headers every answer carries: no MIME sniffing anywhere, and no cache keeping what the API says. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleFiles } from '../../lambdas/embedded/console-files.js';
import { startHttpServer, type RunningHttpServer } from '../../lambdas/embedded/http-server.js';
import { createApiHandler } from '../../lambdas/http/api-handler.js';
import { newTempFolder } from '../temp-folder.js';
import { startTestApi, type TestApi } from './harness.js';

let api: TestApi;
let withConsole: RunningHttpServer;

beforeAll(async () => {
  api = await startTestApi();
  const dist = newTempFolder('loa-console-dist-');
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Loa</title>');
  writeFileSync(join(dist, 'assets', 'app-1a2b3c.js'), 'console.log("loa")');
  withConsole = await startHttpServer({
    handler: createApiHandler(api.deps, { log: () => {} }),
    host: '127.0.0.1',
    port: 0,
    signingKey: api.signingKey,
    console: consoleFiles({ dist, timezone: 'Asia/Ho_Chi_Minh' }),
  });
});
afterAll(async () => {
  await withConsole.close();
  await api.close();
});

const NOSNIFF = 'nosniff';

describe('every answer', () => {
  it('of the API, successes and problems alike, says nosniff and no-store', async () => {
    const answers = {
      health: await api.anonymous.get('/health'),
      list: await api.as('viewer').get('/v1/campaigns'),
      notFound: await api.as('viewer').get('/v1/nothing-here'),
      notAllowed: await api.as('viewer').request('PUT', '/v1/campaigns'),
      forbidden: await api.as('viewer').post('/v1/campaigns', {}),
      invalid: await api.as('author').post('/v1/campaigns', { name: '' }),
      unauthenticated: await api.anonymous.get('/v1/campaigns'),
      badToken: await api.withToken('not-a-token').get('/v1/campaigns'),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.status]))).toEqual({
      health: 200,
      list: 200,
      notFound: 404,
      notAllowed: 405,
      forbidden: 403,
      invalid: 422,
      unauthenticated: 401,
      badToken: 401,
    });
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.headers.get('x-content-type-options'), name).toBe(NOSNIFF);
      expect(answer.headers.get('cache-control'), name).toBe('no-store');
    }
  });

  it("of the console's files, found or not, says nosniff", async () => {
    for (const path of ['/', '/campaigns/abc', '/config.json', '/assets/app-1a2b3c.js', '/assets/missing.js']) {
      const answer = await fetch(`${withConsole.url}${path}`);
      await answer.arrayBuffer();
      expect(answer.headers.get('x-content-type-options'), path).toBe(NOSNIFF);
    }
    const apiAnswer = await fetch(`${withConsole.url}/v1/campaigns`);
    expect(apiAnswer.status).toBe(401);
    expect(apiAnswer.headers.get('x-content-type-options')).toBe(NOSNIFF);
  });
});
