import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, route } from '../../lambdas/http/route.js';
import { ROUTES } from '../../lambdas/http/routes.js';
import { approvedTemplate, startTestApi, type TestApi } from './harness.js';
import { checkResponseContract } from './response-contract.js';

describe('GET /openapi.json', () => {
  let api: TestApi;
  let doc: any;
  beforeAll(async () => {
    api = await startTestApi();
    const result = await api.anonymous.get('/openapi.json');
    expect(result.status).toBe(200);
    doc = result.body;
  });
  afterAll(() => api.close());

  it('is an OpenAPI 3.1 document with bearer JWT security', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Loa', version: expect.any(String) });
    expect(doc.components.securitySchemes.bearerAuth).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    );
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  it('lists every route of the table, with unique operation ids and its roles', () => {
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })),
    );
    expect(operations.map(({ key }) => key).sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    expect(new Set(operations.map(({ operation }) => operation.operationId)).size).toBe(operations.length);
    for (const route of ROUTES) {
      const operation = doc.paths[route.path][route.method.toLowerCase()];
      expect(operation.summary).toEqual(expect.any(String));
      if (route.access === 'public') expect(operation.security).toEqual([]);
      else {
        expect(operation['x-roles']).toEqual([...route.access]);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
      }
      for (const name of route.params)
        expect(operation.parameters).toContainEqual(expect.objectContaining({ name, in: 'path', required: true }));
      expect(operation.parameters?.some((parameter: any) => parameter.name === 'Idempotency-Key') ?? false).toBe(Boolean(route.idempotent));
    }
  });

  it('describes request bodies and query parameters from the zod schemas', () => {
    const createTemplate = doc.paths['/v1/templates'].post.requestBody;
    expect(createTemplate.required).toBe(true);
    const schema = createTemplate.content['application/json'].schema;
    expect(schema).toMatchObject({ type: 'object', required: expect.arrayContaining(['name', 'body']), additionalProperties: false });
    expect(schema.properties.placeholders.items.properties.maxLength).toMatchObject({ type: 'integer', minimum: 1 });

    expect(doc.paths['/v1/templates/{id}/submit'].post.requestBody.required).toBe(false);
    expect(doc.paths['/v1/areas'].post.requestBody.content['application/json'].schema.properties.areas.items.properties.code.pattern).toBe(
      '^[A-Za-z0-9_.-]+$',
    );
    expect(doc.paths['/v1/subscribers/import'].post.requestBody.content['text/csv']).toBeDefined();

    const receipts = doc.paths['/v1/campaigns/{id}/receipts'].get.parameters;
    expect(receipts).toContainEqual(
      expect.objectContaining({
        name: 'status',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ enum: ['queued', 'submitted', 'delivered', 'failed', 'expired'] }),
      }),
    );
    expect(receipts).toContainEqual(
      expect.objectContaining({ name: 'limit', in: 'query', schema: expect.objectContaining({ minimum: 1, maximum: 1000, default: 100 }) }),
    );
    expect(doc.paths['/v1/schedule-preview'].get.parameters).toContainEqual(
      expect.objectContaining({ name: 'expression', in: 'query', required: true }),
    );
  });

  it('passes the Redocly linter (recommended rules) without an error', async () => {
    // Its warnings are left as they are: no licence (the API is internal to the department), tags without
    // descriptions, the problem responses shared in components though some routes use none of them, and no
    // 4xx on /health and /openapi.json, which have none.
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: '/openapi.json', config });
    const errors = problems.filter((problem) => problem.severity === 'error');
    expect(errors.map((error) => `${error.ruleId} at ${error.location[0]?.pointer}: ${error.message}`)).toEqual([]);
  });

  it('gives every success response its schema, JSON ones under component names', () => {
    for (const route of ROUTES) {
      for (const [status, response] of Object.entries(doc.paths[route.path][route.method.toLowerCase()].responses as Record<string, any>)) {
        if (!status.startsWith('2')) continue;
        const where = `${route.method} ${route.path} ${status}`;
        if (status === '204') expect(response.content, where).toBeUndefined();
        else {
          const [mediaType, { schema }] = Object.entries(response.content as Record<string, { schema: Record<string, unknown> }>)[0]!;
          if (mediaType === 'application/json') expect(Object.keys(schema).length, where).toBeGreaterThan(0);
          else expect(schema, where).toEqual({ type: 'string' });
        }
      }
    }
    const json = (path: string, method = 'get', status = '200') =>
      doc.paths[path][method].responses[status].content['application/json'].schema;
    expect(json('/v1/campaigns/{id}')).toEqual({ $ref: '#/components/schemas/CampaignWithCounts' });
    expect(json('/v1/campaigns').properties.items.items).toEqual({ $ref: '#/components/schemas/Campaign' });
    expect(json('/v1/campaigns').required).toEqual(['items']);
    expect(json('/v1/templates', 'post', '201')).toEqual({ $ref: '#/components/schemas/TemplateWithVersions' });
    expect(doc.components.schemas.Campaign).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: expect.arrayContaining(['id', 'status', 'text', 'sms', 'createdAt']),
    });
    expect(doc.components.schemas.Campaign.properties.status.enum).toContain('pending_approval');
    expect(doc.components.schemas.TemplateVersion.anyOf).toEqual([
      { $ref: '#/components/schemas/SmsTemplateVersion' },
      { $ref: '#/components/schemas/LoudspeakerTemplateVersion' },
    ]);
    expect(doc.paths['/v1/vans/{id}/calendar.ics'].get.responses['200'].content['text/calendar']).toBeDefined();
    expect(JSON.stringify(doc)).not.toContain('#/$defs/');
  });

  it('requires a schema of every JSON success response (a type error otherwise)', () => {
    const spec = { method: 'GET', path: '/x', summary: 'x', tag: 'x', access: 'public', handle: async () => ok({}) } as const;
    // @ts-expect-error a JSON answer must name its schema
    route({ ...spec, responses: { 200: 'described in words only' } });
    // @ts-expect-error a description alone is not enough either
    route({ ...spec, responses: { 200: { description: 'no schema' } } });
    expect(route({ ...spec, responses: { 204: 'nothing to say' } }).responses).toEqual({ 204: 'nothing to say' });
  });

  it('refuses, in every HTTP test, an answer that is not what its route documents', async () => {
    const id = await approvedTemplate(api);
    const read = await api.as('viewer').get(`/v1/templates/${id}`);
    const check = (body: unknown) =>
      checkResponseContract(
        ROUTES,
        { method: 'GET', path: `/v1/templates/${id}` },
        { status: 200, contentType: 'application/json', text: JSON.stringify(body), body },
      );
    expect(() => check(read.body)).not.toThrow();
    const { createdBy, ...renamed } = read.body;
    expect(() => check({ ...renamed, creator: createdBy })).toThrow(/createdBy|creator/);
    expect(() => check({ ...read.body, secret: 'x' })).toThrow(/secret/);
    expect(() => check({ ...read.body, versions: [{ ...read.body.versions[0], sms: undefined }] })).toThrow(/refuses/);
  });

  it('has no dangling references', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const pointer = ref.slice('"$ref":"#/'.length, -1).split('/');
      const target = pointer.reduce((node: any, part) => node?.[part], doc);
      expect(target, ref).toBeDefined();
    }
  });
});
