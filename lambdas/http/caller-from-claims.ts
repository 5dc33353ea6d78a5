import { ROLES, type Caller, type Role } from '../core/auth/caller.js';

/** No verified identity came with the request: 401. */
export class UnauthenticatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

/**
 * The caller named by a verified token's claims. Roles come from any of:
 * - a `roles` claim (the embedded runtime's tokens);
 * - `cognito:groups` (people signed in through Cognito);
 * - OAuth scopes in `scope` ending in `/<role>`, e.g. `loa/integration`, for machine clients using the
 *   client-credentials grant, whose tokens carry no groups.
 * Each may be an array, API Gateway's flattening of an array into a string ("[author approver]"), or a
 * comma- or space-separated string. Names that are not Loa roles are ignored, so a token from the same
 * user pool for another application grants nothing here. A `name` claim (Cognito ID tokens, the embedded
 * runtime's sessions) becomes the caller's display name.
 *
 * @throws UnauthenticatedError when there are no claims or no `sub`.
 */
export function callerFromClaims(claims: Record<string, unknown> | undefined): Caller {
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.trim() === '') {
    throw new UnauthenticatedError(claims ? 'The token names no subject (sub)' : 'A bearer token is required');
  }
  const named = [
    ...claimValues(claims?.roles),
    ...claimValues(claims?.['cognito:groups']),
    ...claimValues(claims?.scope).map((scope) => scope.slice(scope.lastIndexOf('/') + 1)),
  ];
  const roles = ROLES.filter((role) => named.includes(role));
  const name = typeof claims?.name === 'string' ? claims.name.trim() : '';
  return { id: sub, ...(name && { name }), roles };
}

export function hasAnyRole(caller: Caller, allowed: readonly Role[]): boolean {
  return caller.roles.some((role) => allowed.includes(role));
}

function claimValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string').map((item) => item.trim());
  if (typeof value !== 'string') return [];
  const text = value.trim().replace(/^\[(.*)\]$/s, '$1');
  return text.split(/[\s,]+/).filter(Boolean);
}
