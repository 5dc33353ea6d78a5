/**
 * The Loa HTTP API as one function from ApiRequest to ApiResponse, shared by the embedded node:http server
 * and the Lambda behind API Gateway. For each request, in this order:
 *
 * 1. routing: unknown path 404, known path with another method 405;
 * 2. authentication and roles, before anything is read: no identity 401, no allowed role 403 (nor an action
 *    a limited integration client may not take, client-actions.ts); then the caller's rate limit for the
 *    route's class (rate-limiting.ts): 429 with Retry-After;
 * 3. query and body: wrong content type 415, body over 1 MB 413, unparseable JSON 400, invalid fields 422;
 * 4. Idempotency-Key, where the route takes one;
 * 5. the use case, whose errors map to 422, 403, 404 and 409. Anything else is a 500 that says nothing
 *    of the cause to the client and logs it (phone numbers masked) under the problem's `instance`.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Caller } from '../core/auth/caller.js';
import type { Deps } from '../core/deps.js';
import { jsonLinesLog, maskPhoneNumbers, type ApiLog } from './api-log.js';
import type { ApiRequest, ApiResponse } from './api-request.js';
import { callerFromClaims, hasAnyRole } from './caller-from-claims.js';
import { requireRouteAllowed } from './client-actions.js';
import { IDEMPOTENCY_HEADER, withIdempotency } from './idempotency.js';
import { fieldProblems, problemForError, problemResponse, ProblemError } from './problem.js';
import { requestLimiter } from './rate-limiting.js';
import type { CsvBody, Reply, Route } from './route.js';
import { ROUTES } from './routes.js';
import { toNfc } from './nfc-text.js';

/** The largest body accepted but a CSV import's (IMPORT_LIMITS in the core, checked as the import reads). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

const ANONYMOUS: Caller = { id: 'anonymous', roles: [] };

export interface ApiHandlerOptions {
  log?: ApiLog;
  /** Defaults to the Loa route table. */
  routes?: readonly Route[];
}

export type ApiHandler = (request: ApiRequest) => Promise<ApiResponse>;

export function createApiHandler(deps: Deps, options: ApiHandlerOptions = {}): ApiHandler {
  const routes = options.routes ?? ROUTES;
  const log = options.log ?? jsonLinesLog;
  const { rateLimits } = deps.config;
  const limit = rateLimits && requestLimiter(rateLimits, deps.clock);

  return async (request) => {
    const started = performance.now();
    const method = request.method.toUpperCase();
    let caller: Caller | undefined;
    let response: ApiResponse;
    let failure: { error: unknown; instance: string } | undefined;
    try {
      const { route, params } = match(routes, method, request.path);
      caller = authorize(route, request);
      requireRouteAllowed(deps.config.integrationClients, caller, route);
      limit?.(route, caller, request.sourceIp);
      response = await handle(deps, routes, route, params, caller, request);
    } catch (error) {
      const expected = problemForError(error);
      if (expected) response = expected;
      else {
        failure = { error, instance: `urn:uuid:${randomUUID()}` };
        response = problemResponse('internal', 'An unexpected error occurred; quote the instance when reporting it', {
          instance: failure.instance,
        });
      }
    }
    log({
      level: failure ? 'error' : 'info',
      message: failure ? 'request failed' : 'request',
      method,
      path: maskPhoneNumbers(request.path),
      status: response.statusCode,
      ms: Math.round(performance.now() - started),
      ...(caller && caller !== ANONYMOUS && { caller: maskPhoneNumbers(caller.id) }),
      ...(failure && { error: maskPhoneNumbers(describe(failure.error)), instance: failure.instance }),
    });
    return withSafetyHeaders(response);
  };
}

/**
 * On every response, whichever step made it: API answers carry personal data, so no cache keeps them, and
 * no browser guesses a type other than the one sent (a CSV or an error read as HTML).
 */
function withSafetyHeaders(response: ApiResponse): ApiResponse {
  return { ...response, headers: { ...response.headers, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } };
}

function match(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } {
  const onPath = routes.flatMap((route) => {
    const found = route.pattern.exec(path);
    return found ? [{ route, values: found.slice(1) }] : [];
  });
  if (onPath.length === 0) throw new ProblemError('not-found', `No route ${path}`);
  const chosen = onPath.find(({ route }) => route.method === method);
  if (!chosen) {
    const allowed = onPath.map(({ route }) => route.method).join(', ');
    throw new ProblemError('method-not-allowed', `${path} takes ${allowed}, not ${method}`, { headers: { allow: allowed } });
  }
  const params: Record<string, string> = {};
  try {
    for (const [index, name] of chosen.route.params.entries()) params[name] = decodeURIComponent(chosen.values[index] ?? '');
  } catch {
    throw new ProblemError('not-found', `No route ${path}: it is not validly percent-encoded`);
  }
  return { route: chosen.route, params };
}

function authorize(route: Route, request: ApiRequest): Caller {
  if (route.access === 'public') return ANONYMOUS;
  const caller = callerFromClaims(request.claims, request.claimsSource);
  if (!hasAnyRole(caller, route.access)) {
    const held = caller.roles.length > 0 ? caller.roles.join(', ') : 'no Loa role';
    throw new ProblemError('forbidden', `${route.method} ${route.path} needs the role ${route.access.join(' or ')}; you have ${held}`);
  }
  return caller;
}

async function handle(
  deps: Deps,
  routes: readonly Route[],
  route: Route,
  params: Record<string, string>,
  caller: Caller,
  request: ApiRequest,
): Promise<ApiResponse> {
  const query = route.query ? validate(route.query, toNfc(request.query)) : undefined;
  let body: unknown;
  let rawJson: unknown = {};
  if (route.body === 'csv') body = csvBody(request);
  else if (route.body === 'raw') body = await bodyText(request);
  else if (route.body) {
    rawJson = toNfc(await jsonBody(request));
    body = validate(route.body, rawJson);
  }

  const { headers, sourceIp } = request;
  const context = { deps, caller, params, headers, body, query, routes, ...(sourceIp && { sourceIp }) };
  const act = async () => toResponse(await route.handle(context));
  const key = request.headers[IDEMPOTENCY_HEADER];
  if (!route.idempotent || key === undefined) return act();
  return withIdempotency(deps, { caller, key, method: route.method, path: request.path, body: rawJson }, act);
}

function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value, {
    error: (issue) => (issue.input === undefined && issue.code === 'invalid_type' ? 'is required' : undefined),
  });
  if (parsed.success) return parsed.data;
  const errors = fieldProblems(parsed.error.issues);
  throw new ProblemError('invalid-fields', errors.map(({ field, message }) => `${field || '(body)'}: ${message}`).join('; '), {
    errors,
  });
}

function csvBody(request: ApiRequest): CsvBody {
  if (mediaType(request) !== 'text/csv') {
    throw new ProblemError(
      'unsupported-media-type',
      `Send the file as text/csv, not ${request.headers['content-type'] ?? 'no content type'}`,
      {
        headers: { accept: 'text/csv' },
      },
    );
  }
  if (request.bodyStream) return request.bodyStream;
  // API Gateway hands over the whole body (at most 10 MB); the import checks its size like a stream's.
  const text = request.body ?? '';
  return async function* () {
    yield text;
  };
}

/** The JSON body, `{}` when the body is empty. */
async function jsonBody(request: ApiRequest): Promise<unknown> {
  const text = await bodyText(request);
  if (text.trim() === '') return {};
  const type = mediaType(request);
  if (type !== 'application/json' && !type?.endsWith('+json')) {
    throw new ProblemError(
      'unsupported-media-type',
      `Send JSON as application/json, not ${request.headers['content-type'] ?? 'no content type'}`,
      {
        headers: { accept: 'application/json' },
      },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProblemError('malformed-json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}

async function bodyText(request: ApiRequest): Promise<string> {
  const text = request.body ?? (request.bodyStream ? await readLimited(request.bodyStream()) : '');
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES) throw tooLarge();
  return text;
}

const tooLarge = () => new ProblemError('payload-too-large', `A JSON body may be at most ${MAX_JSON_BODY_BYTES} bytes`);

async function readLimited(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > MAX_JSON_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function mediaType(request: ApiRequest): string | undefined {
  return request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}

function toResponse(reply: Reply): ApiResponse {
  if (reply.text !== undefined) {
    return { statusCode: reply.status, headers: { 'cache-control': 'no-store', ...reply.headers }, body: reply.text };
  }
  if (reply.body === undefined) {
    return { statusCode: reply.status, headers: { 'cache-control': 'no-store', ...reply.headers }, body: '' };
  }
  return {
    statusCode: reply.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...reply.headers },
    body: JSON.stringify(reply.body),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}
