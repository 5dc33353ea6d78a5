import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeApiLambda } from '../../lambdas/handlers/api.js';
import type { ApiLogEntry } from '../../lambdas/http/api-log.js';
import { openSqliteDeps, type SqliteDeps } from '../sqlite-deps.js';

// The Lambda wears the Powertools middlewares; their output is not what this file tests.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

/** An API Gateway HTTP API (payload 2.0) event as a JWT authorizer in front of Cognito delivers it. */
function event(
  method: string,
  path: string,
  options: {
    body?: string;
    base64?: boolean;
    contentType?: string;
    claims?: Record<string, string | number | boolean | string[]>;
    stage?: string;
    query?: Record<string, string>;
  } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const stage = options.stage ?? '$default';
  const rawPath = stage === '$default' ? path : `/${stage}${path}`;
  const rawQueryString = new URLSearchParams(options.query).toString();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: {
      accept: '*/*',
      host: 'abc123.execute-api.ap-southeast-1.amazonaws.com',
      'user-agent': 'curl/8.5.0',
      'x-forwarded-proto': 'https',
      ...(options.contentType && { 'content-type': options.contentType }),
      ...(options.claims && { authorization: 'Bearer eyJraWQiOi...' }),
    },
    ...(options.query && { queryStringParameters: options.query }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.ap-southeast-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'curl/8.5.0' },
      requestId: 'Jx1yzhR5SQ0EJvA=',
      routeKey: '$default',
      stage,
      time: '02/Mar/2026:01:00:00 +0000',
      timeEpoch: 1_772_413_200_000,
      ...(options.claims && {
        authorizer: {
          principalId: '',
          integrationLatency: 0,
          jwt: { claims: options.claims, scopes: null },
        },
      }),
    } as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    ...(options.body !== undefined && {
      body: options.base64 ? Buffer.from(options.body).toString('base64') : options.body,
    }),
    isBase64Encoded: options.base64 ?? false,
  };
}

const cognitoClaims = (sub: string, groups: string) => ({
  sub,
  'cognito:groups': groups,
  iss: 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_AbCdEf',
  client_id: '1example23456789',
  token_use: 'access',
  scope: 'aws.cognito.signin.user.admin',
  auth_time: '1772413100',
  exp: '1772416700',
  iat: '1772413100',
  username: sub,
});

const context = { functionName: 'loa-api', awsRequestId: 'req-1' } as Context;

describe('the API Lambda', () => {
  let lambda: ReturnType<typeof makeApiLambda>;
  let sqlite: SqliteDeps;
  const logs: ApiLogEntry[] = [];
  beforeAll(() => {
    sqlite = openSqliteDeps();
    lambda = makeApiLambda(sqlite.deps, { log: (entry) => logs.push(entry) });
  });
  afterAll(() => sqlite.close());

  it('reaches the same handler: cognito:groups "[author approver]" may write a template', async () => {
    const created = await lambda(
      event('POST', '/v1/templates', {
        body: JSON.stringify({ name: 'Thông báo', body: 'Xin chào {{ten}}', placeholders: [{ name: 'ten', maxLength: 20 }] }),
        base64: true,
        contentType: 'application/json',
        claims: cognitoClaims('lan-sub', '[author approver]'),
      }),
      context,
    );
    expect(created.statusCode).toBe(201);
    expect(created.headers?.['content-type']).toBe('application/json; charset=utf-8');
    const template = JSON.parse(created.body!);
    expect(template).toMatchObject({ name: 'Thông báo', createdBy: 'lan-sub', versions: [{ body: 'Xin chào {{ten}}' }] });

    const submitted = await lambda(
      event('POST', `/v1/templates/${template.id}/submit`, { claims: cognitoClaims('lan-sub', '[author approver]') }),
      context,
    );
    expect(submitted.statusCode).toBe(200);
    // Holding the approver group does not let the author approve their own version.
    const selfApproved = await lambda(
      event('POST', `/v1/templates/${template.id}/approve`, {
        body: '{"version":1}',
        contentType: 'application/json',
        claims: cognitoClaims('lan-sub', '[author approver]'),
      }),
      context,
    );
    expect(selfApproved.statusCode).toBe(403);
    expect(selfApproved.headers?.['content-type']).toBe('application/problem+json');
  });

  it('refuses a caller whose groups hold no allowed role (403) and a request without claims (401)', async () => {
    const viewer = await lambda(
      event('POST', '/v1/templates', { body: '{}', contentType: 'application/json', claims: cognitoClaims('tuan', '[viewer]') }),
      context,
    );
    expect(viewer.statusCode).toBe(403);
    const anonymous = await lambda(event('GET', '/v1/templates'), context);
    expect(anonymous.statusCode).toBe(401);
  });

  it("takes roles only from Cognito groups and loa/ scopes: a roles claim or another server's scope grants nothing (403)", async () => {
    const asApprover = (claims: Record<string, string | string[]>) =>
      lambda(event('GET', '/v1/audit', { claims: { sub: 'mallory', token_use: 'access', ...claims } }), context);

    expect((await asApprover({ roles: ['approver', 'operator'] })).statusCode).toBe(403);
    expect((await asApprover({ scope: 'other/operator partner/approver' })).statusCode).toBe(403);
    expect((await asApprover({ scope: 'loa/operator' })).statusCode).toBe(200);
  });

  it('serves public routes without an authorizer, under a named stage too', async () => {
    const health = await lambda(event('GET', '/health', { stage: 'prod' }), context);
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body!)).toEqual({ status: 'ok' });
  });

  it('passes query parameters and takes a machine token by its OAuth scope', async () => {
    const preview = await lambda(
      event('GET', '/v1/schedule-preview', {
        query: { expression: 'rate(1 day)', from: '2026-03-02T00:00:00Z', count: '2' },
        claims: { sub: 'hotline-client', client_id: 'hotline-client', token_use: 'access', scope: 'loa/integration' },
      }),
      context,
    );
    expect(preview.statusCode).toBe(200);
    expect(JSON.parse(preview.body!).fireTimes).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
  });

  it('imports a CSV sent in the event body', async () => {
    const operator = cognitoClaims('hoa', '[operator]');
    await lambda(
      event('POST', '/v1/areas', {
        body: JSON.stringify({ areas: [{ code: 'DNI', name: 'Đồng Nai' }] }),
        contentType: 'application/json',
        claims: operator,
      }),
      context,
    );
    const imported = await lambda(
      event('POST', '/v1/subscribers/import', {
        body: 'phone,area,tags\n0961000001,DNI,\nbad,DNI,\n',
        base64: true,
        contentType: 'text/csv',
        claims: operator,
      }),
      context,
    );
    expect(imported.statusCode).toBe(200);
    expect(JSON.parse(imported.body!)).toMatchObject({
      imported: 1,
      updated: 0,
      refusedCount: 1,
      refused: [{ line: 3, reason: expect.any(String) }],
    });
  });

  it('refuses a body over its limit with 413, as the embedded server does', async () => {
    const operator = cognitoClaims('hoa', '[operator]');
    const rows = 'x,DNI,\n'.repeat(Math.ceil((50 * 1024 * 1024) / 7) + 1);
    const tooLarge = await lambda(
      event('POST', '/v1/subscribers/import', {
        body: `phone,area,tags\n0961000077,DNI,\n${rows}`,
        contentType: 'text/csv',
        claims: operator,
      }),
      context,
    );
    expect(tooLarge.statusCode).toBe(413);
    expect(JSON.parse(tooLarge.body!).detail).toMatch(/at most 50 MB/);

    const json = await lambda(
      event('POST', '/v1/areas', {
        body: JSON.stringify({ areas: [{ code: 'X', name: 'x'.repeat(1_100_000) }] }),
        contentType: 'application/json',
        claims: operator,
      }),
      context,
    );
    expect(json.statusCode).toBe(413);
  });

  it('logs each request with the caller', () => {
    expect(logs).toContainEqual(expect.objectContaining({ method: 'POST', path: '/v1/templates', status: 201, caller: 'lan-sub' }));
  });
});
