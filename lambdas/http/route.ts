/**
 * What a route of the API is: method, path pattern, who may call it, the zod schemas of its input, whether
 * Idempotency-Key applies, and the handler calling the use case. The route table (routes.ts) is a list of
 * these; the API handler, the OpenAPI document and the role-matrix test all read the same list.
 */
import { z } from 'zod';
import { ROLES, type Caller, type Role } from '../core/auth/caller.js';
import type { Deps } from '../core/deps.js';
import type { ProblemKind } from './problem.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** `public` routes need no token; the others need one of the roles. */
export type Access = 'public' | readonly Role[];

/**
 * A JSON body checked by a zod schema, a CSV upload handed to the handler as a stream, or (`raw`) the body
 * as text in any content type, for callers that sign what they send (delivery-report webhooks).
 */
export type BodySpec = z.ZodType | 'csv' | 'raw';

/** A CSV upload: each call reads it from its start, so an import can check the whole file before it writes. */
export type CsvBody = () => AsyncIterable<string | Uint8Array>;

type BodyOf<B> = B extends z.ZodType ? z.output<B> : B extends 'csv' ? CsvBody : B extends 'raw' ? string : undefined;
type QueryOf<Q> = Q extends z.ZodType ? z.output<Q> : undefined;

export interface Reply {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is, for the media types that are not JSON (calendars, printable pages); give its content-type. */
  text?: string;
  headers?: Record<string, string>;
}

export interface RouteContext<B, Q> {
  deps: Deps;
  /** For public routes, an anonymous caller with no roles. */
  caller: Caller;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: B;
  query: Q;
  /** The client's address, where the server knows it. */
  sourceIp?: string;
  /** The route table this request was routed by (what /openapi.json documents). */
  routes: readonly Route[];
}

export interface RouteSpec<B extends BodySpec | undefined, Q extends z.ZodObject | undefined> {
  method: HttpMethod;
  /** With `{name}` for a path parameter, as in OpenAPI: `/v1/templates/{id}/approve`. */
  path: string;
  summary: string;
  /** Said before the roles in the OpenAPI description, e.g. where the route exists. */
  description?: string;
  tag: string;
  access: Access;
  /**
   * A JSON body: an empty body is read as `{}`, so a schema whose fields are all optional makes the body
   * optional. Any non-empty body must be application/json.
   */
  body?: B;
  /** Query parameters; unknown ones are ignored. */
  query?: Q;
  /** Whether a repeat with the same Idempotency-Key returns the first response instead of acting again. */
  idempotent?: boolean;
  /** Problems the handler answers besides those the OpenAPI document infers from the spec (auth, input). */
  problems?: readonly ProblemKind[];
  /**
   * The success statuses and what they carry, for the OpenAPI document: for a JSON body the zod schema of
   * what the handler returns (typed clients, the console's among them, are generated from it; the HTTP tests
   * check every response against it).
   */
  responses: Responses;
  handle(context: RouteContext<BodyOf<B>, QueryOf<Q>>): Promise<Reply>;
}

/** A JSON body: what the handler returns, as a zod schema (the views in views/). */
export interface JsonResponse {
  description: string;
  schema: z.ZodType;
}

/** A body in another media type, sent with okText: a calendar, a printable page. */
export interface TextResponse {
  description: string;
  mediaType: string;
}

export type ResponseDoc = JsonResponse | TextResponse;

/** 204 carries nothing; every other success status says what its body is. */
export type Responses = { [status in 200 | 201 | 202]?: ResponseDoc } & { 204?: string };

export type Route = RouteSpec<BodySpec | undefined, z.ZodObject | undefined> & {
  /** Path parameter names, in order. */
  readonly params: readonly string[];
  readonly pattern: RegExp;
};

export function route<B extends BodySpec | undefined = undefined, Q extends z.ZodObject | undefined = undefined>(
  spec: RouteSpec<B, Q>,
): Route {
  const params: string[] = [];
  const source = spec.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (param === undefined) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(param);
      return '([^/]+)';
    })
    .join('/');
  return { ...(spec as unknown as RouteSpec<BodySpec | undefined, z.ZodObject | undefined>), params, pattern: new RegExp(`^${source}$`) };
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });
export const okText = (text: string, contentType: string): Reply => ({ status: 200, text, headers: { 'content-type': contentType } });

/** A POST that takes no input and moves the resource at `path` from one state to another (409 from any other). */
export function stateChange(spec: {
  path: string;
  summary: string;
  tag: string;
  access: Access;
  view: JsonResponse;
  run: (deps: Deps, caller: Caller, id: string) => Promise<unknown>;
}): Route {
  return route({
    method: 'POST',
    path: spec.path,
    summary: spec.summary,
    tag: spec.tag,
    access: spec.access,
    body: noInput,
    idempotent: true,
    responses: { 200: spec.view },
    handle: async ({ deps, caller, params }) => ok(await spec.run(deps, caller, params.id!)),
  });
}

// ---- schemas shared by several routes --------------------------------------------------------------

/** Every role: for reads open to all staff and integrations. */
export const ALL_ROLES: readonly Role[] = ROLES;
/**
 * Campaigns and their counts: not for crew, who read only their own vans' tours; a tour's crew-route
 * campaign holds another van's plate, stops and times.
 */
export const ALL_BUT_CREW: readonly Role[] = ROLES.filter((role) => role !== 'crew');

/** ?limit (1-1000, default 100) and ?cursor (the nextCursor of the previous page). */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Items per page, 1-1000'),
  cursor: z.string().min(1).max(2048).optional().describe('nextCursor of the previous page'),
});

/** An empty body (or `{}`): actions such as submit, pause or cancel take no input. */
export const noInput = z.strictObject({});

export const name = z.string().trim().min(1).max(200);
