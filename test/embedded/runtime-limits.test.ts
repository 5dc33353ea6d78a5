/**
 * The embedded runtime as `npm start` runs it (settings from the environment): its default rate limits and
 * the address its links are built on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../../lambdas/core/rate-limits/rate-limits.js';
import { startRuntime, type Runtime } from '../../lambdas/embedded/runtime.js';
import { readSettings } from '../../lambdas/embedded/settings.js';
import { newDataDir, tokenFor } from './runtime-process.js';

describe('the runtime settings', () => {
  it('limit callers by default, as LOA_RATE_LIMITS changes, and take LOA_PUBLIC_URL', () => {
    expect(readSettings({}).config.rateLimits).toEqual(DEFAULT_RATE_LIMITS);
    expect(readSettings({}).config.publicUrl).toBeUndefined();
    const configured = readSettings({
      LOA_RATE_LIMITS: '{"writes":{"perSecond":10,"burst":40}}',
      LOA_PUBLIC_URL: 'https://loa.example.vn',
    });
    expect(configured.config.rateLimits).toEqual({ ...DEFAULT_RATE_LIMITS, writes: { perSecond: 10, burst: 40 } });
    expect(configured.config.publicUrl).toBe('https://loa.example.vn');
    expect(() => readSettings({ LOA_RATE_LIMITS: '{"writes":{"perSecond":-1,"burst":40}}' })).toThrow(/LOA_RATE_LIMITS/);
    expect(() => readSettings({ LOA_PUBLIC_URL: 'loa.example.vn' })).toThrow(/LOA_PUBLIC_URL/);
  });
});

describe('the runtime, with the default limits', () => {
  let runtime: Runtime;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = newDataDir();
    runtime = await startRuntime(readSettings({ DATA_DIR: dataDir, PORT: '0' }));
  });
  afterAll(() => runtime.stop());

  it('builds links on http://127.0.0.1 and the port it listens on, without LOA_PUBLIC_URL', () => {
    expect(runtime.deps.config.publicUrl).toBe(`http://127.0.0.1:${new URL(runtime.url).port}`);
  });

  it('answers a flood from one caller with 429 and Retry-After, while the same caller can still decide', async () => {
    const headers = { authorization: `Bearer ${await tokenFor(dataDir, 'minh', ['approver', 'viewer'])}` };
    const flood = Array.from({ length: 200 }, () => fetch(`${runtime.url}/v1/campaigns`, { headers }));
    // Amid the flood; the decision class is the caller's own, so an unknown campaign is a 404, not a 429.
    const decision = fetch(`${runtime.url}/v1/campaigns/no-such-campaign/approve`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ revision: 1 }),
    });
    const answers = await Promise.all(flood);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(DEFAULT_RATE_LIMITS.reads.burst);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.headers.get('retry-after')).toBe('1');
    expect(refused[0]!.headers.get('content-type')).toBe('application/problem+json');
    expect((await decision).status).toBe(404);
    const other = await fetch(`${runtime.url}/v1/campaigns`, {
      headers: { authorization: `Bearer ${await tokenFor(dataDir, 'tuan', ['viewer'])}` },
    });
    expect(other.status).toBe(200);
  });
});
