/** The API Lambda's own limits and headers: the same handler as the embedded server, configured from its environment. */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../../lambdas/core/rate-limits/rate-limits.js';
import { makeApiLambda } from '../../lambdas/handlers/api.js';
import { configFromEnvironment, readAwsEnvironment } from '../../lambdas/handlers/aws-deps.js';
import { apiEvent, cognitoClaims, lambdaContext } from '../aws/lambda-events.js';
import { openSqliteDeps } from '../sqlite-deps.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const configOf = (env: Record<string, string>) => configFromEnvironment(readAwsEnvironment({ TABLE_NAME: 'loa-test', ...env }));

describe('the API Lambda', () => {
  it('limits callers by default, as LOA_RATE_LIMITS changes, and links on LOA_PUBLIC_URL', () => {
    expect(configOf({}).rateLimits).toEqual(DEFAULT_RATE_LIMITS);
    expect(configOf({}).publicUrl).toBeUndefined();
    const configured = configOf({
      LOA_RATE_LIMITS: '{"imports":{"perSecond":1,"burst":5}}',
      LOA_PUBLIC_URL: 'https://api.loa.example.vn/',
    });
    expect(configured.rateLimits).toEqual({ ...DEFAULT_RATE_LIMITS, imports: { perSecond: 1, burst: 5 } });
    expect(configured.publicUrl).toBe('https://api.loa.example.vn');
    expect(() => configOf({ LOA_RATE_LIMITS: '{"reads":5}' })).toThrow(/LOA_RATE_LIMITS/);
    expect(() => configOf({ LOA_PUBLIC_URL: 'https://api.loa.example.vn/v1?x=1' })).toThrow(/LOA_PUBLIC_URL/);
  });

  const sqlite = openSqliteDeps({
    clock: { now: () => new Date('2030-01-07T02:00:00Z') },
    config: configOf({ LOA_RATE_LIMITS: '{"reads":{"perSecond":1,"burst":3},"public":{"perSecond":1,"burst":2}}' }),
  });
  afterAll(() => sqlite.close());
  const lambda = makeApiLambda(sqlite.deps);
  const call = async (path: string, sub?: string) => {
    const result = await lambda(apiEvent('GET', path, sub ? { claims: cognitoClaims(sub, ['viewer']) } : {}), lambdaContext('api'));
    return { status: result.statusCode, headers: result.headers ?? {} };
  };

  it('answers a flood from one caller with 429 and Retry-After, leaving the other callers be', async () => {
    const statuses = [];
    for (let index = 0; index < 4; index += 1) statuses.push((await call('/v1/campaigns', 'flooder')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await call('/v1/campaigns', 'flooder');
    expect(refused.headers).toMatchObject({
      'retry-after': '1',
      'content-type': 'application/problem+json',
      'x-content-type-options': 'nosniff',
    });
    expect((await call('/v1/campaigns', 'tuan')).status).toBe(200);
  });

  it('counts public routes by the client address API Gateway saw', async () => {
    expect([(await call('/health')).status, (await call('/health')).status, (await call('/health')).status]).toEqual([200, 200, 429]);
  });
});
