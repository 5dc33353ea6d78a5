import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/http/routes.js';
import { startTestApi, type TestApi } from './harness.js';

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
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }));
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
      for (const name of route.params) expect(operation.parameters).toContainEqual(expect.objectContaining({ name, in: 'path', required: true }));
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
    expect(receipts).toContainEqual(expect.objectContaining({ name: 'status', in: 'query', required: false, schema: expect.objectContaining({ enum: ['queued', 'submitted', 'delivered', 'failed', 'expired'] }) }));
    expect(receipts).toContainEqual(expect.objectContaining({ name: 'limit', in: 'query', schema: expect.objectContaining({ minimum: 1, maximum: 1000, default: 100 }) }));
    expect(doc.paths['/v1/schedule-preview'].get.parameters).toContainEqual(expect.objectContaining({ name: 'expression', in: 'query', required: true }));
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
