/**
 * The OpenAPI 3.1 document, generated from the route table: paths, roles (as `x-roles` and in each
 * description), request schemas from the routes' zod schemas (JSON Schema 2020-12, which OpenAPI 3.1 uses
 * as is), and problem responses.
 */
import { z } from 'zod';
import { PROBLEMS, PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_PREFIX } from './problem.js';
import type { Route } from './route.js';

type JsonSchema = Record<string, unknown>;

export function openApiDocument(routes: readonly Route[]): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Loa',
      version: '1',
      description:
        'Mass SMS and scheduled broadcasts for a provincial information department. Errors are RFC 9457 problem details.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Roles from the `roles` or `cognito:groups` claim, or `<resource>/<role>` OAuth scopes',
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string', description: `${PROBLEM_TYPE_PREFIX}<kind>` },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['field', 'message'],
                properties: { field: { type: 'string', description: 'Dotted path, e.g. areas.0.code' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
      responses: Object.fromEntries(
        Object.entries(PROBLEMS).map(([kind, { title }]) => [
          problemRef(kind),
          { description: title, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } },
        ]),
      ),
    },
  };
}

function operation(route: Route): JsonSchema {
  const isPublic = route.access === 'public';
  const parameters: JsonSchema[] = route.params.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.query) {
    const schema = toJsonSchema(route.query);
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = (schema.required ?? []) as string[];
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      parameters.push({ name, in: 'query', required: required.includes(name), schema: rest, ...(description !== undefined && { description }) });
    }
  }
  if (route.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'A repeat with the same key (per caller) returns the first response instead of acting again',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }

  const problems = new Set<string>(['internal']);
  if (!isPublic) ['unauthenticated', 'forbidden'].forEach((kind) => problems.add(kind));
  if (route.params.length > 0) problems.add('not-found');
  if (route.query || route.body) problems.add('invalid-fields');
  if (route.body && route.body !== 'raw') problems.add('unsupported-media-type');
  if (route.body && route.body !== 'csv') problems.add('payload-too-large');
  if (route.body && route.body !== 'csv' && route.body !== 'raw') problems.add('malformed-json');
  if (route.idempotent) problems.add('idempotency-key-reused');
  if (route.method !== 'GET') problems.add('conflict');

  const responses: Record<string, unknown> = {};
  for (const [status, description] of Object.entries(route.responses)) {
    responses[status] = status === '204' ? { description } : { description, content: { 'application/json': { schema: {} } } };
  }
  for (const kind of problems) {
    const status = String(PROBLEMS[kind as keyof typeof PROBLEMS].status);
    // Two problem kinds share 422: the response refers to the field problems and mentions the other.
    responses[status] ??= { $ref: `#/components/responses/${problemRef(kind)}` };
  }

  return {
    operationId: operationId(route),
    summary: route.summary,
    description: route.access === 'public' ? 'Public: no token needed.' : `Roles: ${route.access.join(', ')}.`,
    tags: [route.tag],
    'x-roles': route.access === 'public' ? [] : [...route.access],
    ...(isPublic && { security: [] }),
    ...(parameters.length > 0 && { parameters }),
    ...(route.body && { requestBody: requestBody(route.body) }),
    responses,
  };
}

function requestBody(body: NonNullable<Route['body']>): JsonSchema {
  if (body === 'raw') {
    return { required: true, content: { '*/*': { schema: { type: 'string', description: 'As the provider sends it: JSON or a form' } } } };
  }
  if (body === 'csv') {
    return {
      required: true,
      content: {
        'text/csv': {
          schema: { type: 'string', description: 'Header: phone,area,tags[,carrier]; tags separated by ";"' },
        },
      },
    };
  }
  const schema = toJsonSchema(body);
  return {
    required: Array.isArray(schema.required) && schema.required.length > 0,
    content: { 'application/json': { schema } },
  };
}

function toJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function problemRef(kind: string): string {
  return `Problem-${kind}`;
}

/** `POST /v1/templates/{id}/approve` becomes `postTemplatesIdApprove`. */
function operationId(route: Route): string {
  const words = route.path
    .split('/')
    .filter((segment) => segment !== '' && segment !== 'v1')
    .flatMap((segment) => segment.replace(/[{}]/g, '').split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return [route.method.toLowerCase(), ...words.map((word) => word[0]!.toUpperCase() + word.slice(1))].join('');
}
