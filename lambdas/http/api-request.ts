/**
 * The request and response the API handler speaks, whoever carries them: the embedded node:http server or
 * API Gateway (HTTP API, payload format 2.0) in front of a Lambda. Both shells convert to and from these.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ClaimsSource } from './caller-from-claims.js';

export interface ApiRequest {
  method: string;
  /** The path as sent (percent-encoding kept), without the query string or an API Gateway stage. */
  path: string;
  /** Query parameters; a name given twice has its values joined by commas, as API Gateway does. */
  query: Record<string, string | undefined>;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body?: string;
  /**
   * The body as it arrives, for large uploads (CSV imports); only the embedded server streams. Each call
   * reads it from its start (the server keeps a copy of what it has read).
   */
  bodyStream?: () => AsyncIterable<Uint8Array>;
  /** The verified token's claims, as API Gateway's `requestContext.authorizer.jwt.claims`; absent when none. */
  claims?: Record<string, unknown>;
  /** Who verified the claims: absent for API Gateway's Cognito authorizer; 'embedded' for the embedded server's own tokens. */
  claimsSource?: ClaimsSource;
  /** The client's address as the server saw it (API Gateway's `requestContext.http.sourceIp`). */
  sourceIp?: string;
}

export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function fromApiGatewayEvent(event: APIGatewayProxyEventV2WithJWTAuthorizer): ApiRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const body =
    event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  // Routes without an authorizer (health, the OpenAPI document) arrive with no authorizer context at all.
  const claims = (event.requestContext as Partial<typeof event.requestContext>).authorizer?.jwt?.claims;
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: withoutStage(event.rawPath, event.requestContext.stage),
    query: { ...event.queryStringParameters },
    headers,
    ...(body !== undefined && { body }),
    ...(claims !== undefined && { claims }),
    ...(event.requestContext.http.sourceIp && { sourceIp: event.requestContext.http.sourceIp }),
  };
}

export function toApiGatewayResult(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  return { statusCode: response.statusCode, headers: response.headers, body: response.body, isBase64Encoded: false };
}

/** A named stage (not `$default`) is part of rawPath; routes are written without it. */
function withoutStage(rawPath: string, stage: string | undefined): string {
  if (!stage || stage === '$default') return rawPath;
  const prefix = `/${stage}`;
  return rawPath === prefix || rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) || '/' : rawPath;
}
