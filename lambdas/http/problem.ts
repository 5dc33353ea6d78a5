/**
 * Errors as RFC 9457 problem details (application/problem+json): `type` names the kind of problem,
 * `title` is fixed per type, `detail` says what happened this time, and `errors` lists the offending
 * fields by dotted path (`areas.0.code`) for 422s.
 */
import type { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError, TooLargeError, ValidationError, type FieldProblem } from '../core/errors.js';
import type { ApiResponse } from './api-request.js';
import { UnauthenticatedError } from './caller-from-claims.js';

export const PROBLEMS = {
  'malformed-json': { status: 400, title: 'The body is not valid JSON' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict with the current state' },
  'payload-too-large': { status: 413, title: 'The body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  'password-change-required': { status: 403, title: 'A new password is needed' },
  'account-locked': { status: 423, title: 'The account is locked for a while' },
  'too-many-requests': { status: 429, title: 'Too many attempts' },
  'invalid-fields': { status: 422, title: 'Invalid fields' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused for another request' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type ProblemKind = keyof typeof PROBLEMS;

export const PROBLEM_TYPE_PREFIX = 'urn:loa:problem:';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
  instance?: string;
}

/** Thrown inside the HTTP layer to answer with a problem at once. */
export class ProblemError extends Error {
  constructor(
    readonly kind: ProblemKind,
    detail: string,
    readonly extra: { errors?: FieldProblem[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

export function problemResponse(
  kind: ProblemKind,
  detail: string,
  extra: { errors?: FieldProblem[]; headers?: Record<string, string>; instance?: string } = {},
): ApiResponse {
  const { status, title } = PROBLEMS[kind];
  const body: ProblemBody = {
    type: `${PROBLEM_TYPE_PREFIX}${kind}`,
    title,
    status,
    detail,
    ...(extra.errors && { errors: extra.errors }),
    ...(extra.instance && { instance: extra.instance }),
  };
  return {
    statusCode: status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...extra.headers },
    body: JSON.stringify(body),
  };
}

/** The problem for an error the core or the HTTP layer throws on purpose; undefined for anything else. */
export function problemForError(error: unknown): ApiResponse | undefined {
  if (error instanceof ProblemError) return problemResponse(error.kind, error.message, error.extra);
  if (error instanceof UnauthenticatedError) {
    return problemResponse('unauthenticated', error.message, { headers: { 'www-authenticate': 'Bearer' } });
  }
  if (error instanceof ValidationError) {
    return problemResponse('invalid-fields', error.message, {
      errors: error.problems.length > 0 ? error.problems : [{ field: '', message: error.message }],
    });
  }
  if (error instanceof ForbiddenError) return problemResponse('forbidden', error.message);
  if (error instanceof NotFoundError) return problemResponse('not-found', error.message);
  if (error instanceof ConflictError) return problemResponse('conflict', error.message);
  if (error instanceof TooLargeError) return problemResponse('payload-too-large', error.message);
  return undefined;
}

/**
 * Zod's issues as field problems named by dotted path (query parameters by their bare name, as in the
 * URL). An unknown key is reported on the key itself.
 */
export function fieldProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.flatMap((issue): FieldProblem[] => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), message: 'is not a field of this request' }));
    }
    return [{ field: path.join('.'), message: issue.message }];
  });
}
