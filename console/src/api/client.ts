/**
 * The console's one way to the API: openapi-fetch typed by the API's own OpenAPI document
 * (schema.d.ts is generated from it). Every failure becomes an ApiError the pages can show: a problem
 * with its field errors, or "unreachable" when the connection or the server failed.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    /** 0 when the API could not be reached. */
    readonly status: number,
    readonly type: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** A lost connection or a server fault: said plainly, with a retry. */
  get unreachable(): boolean {
    return this.status === 0 || this.status >= 500;
  }

  /** The message for one field (dotted path such as `schedule.expression`), if the API named it. */
  fieldMessage(field: string): string | undefined {
    return this.errors.find((error) => error.field === field)?.message;
  }
}

/** What a page shows of something that went wrong: the API's own answer, or anything else as the API being unreachable. */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'unreachable', String(error));
}

let bearerToken: (() => string | undefined) | undefined;

/** On AWS the console holds a Cognito access token in memory; embedded it relies on the session cookie. */
export function sendBearerTokenFrom(source: () => string | undefined): void {
  bearerToken = source;
}

const authorization: Middleware = {
  onRequest({ request }) {
    const token = bearerToken?.();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
};

function createApi(baseUrl: string) {
  const client = createClient<paths>({ baseUrl, credentials: 'same-origin' });
  client.use(authorization);
  return client;
}

/** Same origin by default (the embedded runtime); on AWS the API's own URL from config.json. */
export let api = createApi('');
let apiBaseUrl = '';

export function setApiBaseUrl(baseUrl: string): void {
  apiBaseUrl = baseUrl.replace(/\/$/, '');
  api = createApi(apiBaseUrl);
}

/**
 * For the few requests openapi-fetch cannot make, such as an upload that reports its progress
 * (XMLHttpRequest): the route's full URL and the authorization header the typed client would send.
 */
export function rawRequest(path: string): { url: string; headers: Record<string, string> } {
  const token = bearerToken?.();
  return { url: apiBaseUrl + path, headers: token ? { authorization: `Bearer ${token}` } : {} };
}

/** Unwraps an openapi-fetch result: the data, or an ApiError. */
export async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch (error) {
    throw new ApiError(0, 'unreachable', error instanceof Error ? error.message : String(error));
  }
  if (result.response.ok) return result.data as T;
  throw toApiError(result.response.status, result.error);
}

export function toApiError(status: number, body: unknown): ApiError {
  const problem = (typeof body === 'object' && body !== null ? body : {}) as { type?: string; detail?: string; errors?: FieldError[] };
  return new ApiError(status, problem.type ?? '', problem.detail ?? String(body ?? ''), problem.errors ?? []);
}
