/**
 * The OpenAPI 3.1 document, generated from the route table: paths, roles (as `x-roles` and in each
 * description), request schemas from the routes' zod schemas (JSON Schema 2020-12, which OpenAPI 3.1 uses
 * as is), response schemas from the zod views the routes name (those with a `.meta({ id })` become
 * components, so generated clients get their names), and problem responses.
 */
import { z } from 'zod';
import { PROBLEMS, PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_PREFIX } from './problem.js';
import type { ResponseDoc, Route } from './route.js';

type JsonSchema = Record<string, unknown>;

export function openApiDocument(routes: readonly Route[]): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  const named = new NamedSchemas();
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route, named) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Loa',
      version: '1',
      description: 'Mass SMS and scheduled broadcasts for a provincial information department. Errors are RFC 9457 problem details.',
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
        ...named.schemas,
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

function operation(route: Route, named: NamedSchemas): JsonSchema {
  const isPublic = route.access === 'public';
  const parameters: JsonSchema[] = route.params.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.query) {
    const schema = named.toJsonSchema(route.query, 'input');
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = (schema.required ?? []) as string[];
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      parameters.push({
        name,
        in: 'query',
        required: required.includes(name),
        schema: rest,
        ...(description !== undefined && { description }),
      });
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

  // Every route answers a caller over its rate limit (rate-limiting.ts) with 429.
  const problems = new Set<string>(['internal', 'too-many-requests']);
  if (!isPublic) {
    problems.add('unauthenticated');
    problems.add('forbidden');
  }
  if (route.params.length > 0) problems.add('not-found');
  if (route.query || route.body) problems.add('invalid-fields');
  if (route.body && route.body !== 'raw') problems.add('unsupported-media-type');
  if (route.body) problems.add('payload-too-large');
  if (route.body && route.body !== 'csv' && route.body !== 'raw') problems.add('malformed-json');
  if (route.idempotent) problems.add('idempotency-key-reused');
  if (route.method !== 'GET') problems.add('conflict');
  for (const kind of route.problems ?? []) problems.add(kind);

  const responses: Record<string, unknown> = {};
  for (const [status, doc] of Object.entries(route.responses) as [string, ResponseDoc | string][]) {
    if (typeof doc === 'string') responses[status] = { description: doc };
    else if ('schema' in doc) {
      responses[status] = {
        description: doc.description,
        content: { 'application/json': { schema: named.toJsonSchema(doc.schema, 'output') } },
      };
    } else responses[status] = { description: doc.description, content: { [doc.mediaType]: { schema: { type: 'string' } } } };
  }
  for (const kind of problems) {
    const status = String(PROBLEMS[kind as keyof typeof PROBLEMS].status);
    // Two problem kinds share 422: the response refers to the field problems and mentions the other.
    responses[status] ??= { $ref: `#/components/responses/${problemRef(kind)}` };
  }

  return {
    operationId: operationId(route),
    summary: route.summary,
    description: [route.description, route.access === 'public' ? 'Public: no token needed.' : `Roles: ${route.access.join(', ')}.`]
      .filter(Boolean)
      .join(' '),
    tags: [route.tag],
    'x-roles': route.access === 'public' ? [] : [...route.access],
    ...(isPublic && { security: [] }),
    ...(parameters.length > 0 && { parameters }),
    ...(route.body && { requestBody: requestBody(route.body, named) }),
    responses,
  };
}

function requestBody(body: NonNullable<Route['body']>, named: NamedSchemas): JsonSchema {
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
  const schema = named.toJsonSchema(body, 'input');
  return {
    required: Array.isArray(schema.required) && schema.required.length > 0,
    content: { 'application/json': { schema } },
  };
}

/**
 * Converts zod schemas to JSON Schema, and gathers the named ones (those with `.meta({ id })`, which zod
 * puts under `$defs`) for components.schemas, every reference pointing there. A named schema read as input
 * (where defaults make fields optional) is another schema than its output: it is named `<id>Input`.
 */
class NamedSchemas {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly written = new Map<string, string>([['Problem', 'the problem details']]);

  toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const { $schema: _dialect, $defs = {}, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
    const definitions = $defs as Record<string, JsonSchema>;
    const suffix = io === 'input' ? 'Input' : '';
    const pointTo = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(pointTo);
      if (node === null || typeof node !== 'object') return node;
      return Object.fromEntries(
        Object.entries(node).map(([key, value]) => {
          const id = key === '$ref' && typeof value === 'string' ? /^#\/\$defs\/(.+)$/.exec(value)?.[1] : undefined;
          return [key, id === undefined ? pointTo(value) : `#/components/schemas/${id}${suffix}`];
        }),
      );
    };
    for (const [id, definition] of Object.entries(definitions)) this.add(`${id}${suffix}`, pointTo(definition) as JsonSchema);
    return pointTo(rest) as JsonSchema;
  }

  private add(name: string, definition: JsonSchema): void {
    const json = JSON.stringify(definition);
    const known = this.written.get(name);
    if (known !== undefined && known !== json) throw new Error(`Two different schemas are named ${name}: give one another .meta({ id })`);
    this.written.set(name, json);
    this.schemas[name] = definition;
  }
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
