import { ROLES, type Caller, type Role } from '../core/auth/caller.js';

/** No verified identity came with the request: 401. */
export class UnauthenticatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

/** Loa's OAuth scopes read `loa/<role>`: the resource server of the Cognito user pool (lib/constructs/auth.ts). */
const LOA_SCOPE_PREFIX = 'loa/';

/**
 * Who verified the claims, which decides the claims that may name roles: `cognito` (API Gateway's JWT
 * authorizer, on AWS) or `embedded` (the embedded runtime's own tokens and staff sessions).
 */
export type ClaimsSource = 'cognito' | 'embedded';

/**
 * The caller named by a verified token's claims. Roles come only from:
 * - on AWS, `cognito:groups` (people signed in through Cognito) and OAuth scopes in `scope` that are
 *   exactly `loa/<role>`, e.g. `loa/integration`, for machine clients using the client-credentials grant,
 *   whose tokens carry no groups. A `roles` claim is ignored: a user pool can let users or another app
 *   client put custom claims in a token, but only an administrator places users in groups;
 * - in the embedded runtime, the `roles` claim its own tokens and sessions carry.
 * Each may be an array, API Gateway's flattening of an array into a string ("[author approver]"), or a
 * comma- or space-separated string. Names that are not Loa roles are ignored, so a token from the same
 * user pool for another application grants nothing here. A `name` claim (Cognito ID tokens, the embedded
 * runtime's sessions) becomes the caller's display name.
 *
 * @throws UnauthenticatedError when there are no claims or no `sub`.
 */
export function callerFromClaims(claims: Record<string, unknown> | undefined, source: ClaimsSource = 'cognito'): Caller {
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.trim() === '') {
    throw new UnauthenticatedError(claims ? 'The token names no subject (sub)' : 'A bearer token is required');
  }
  const named =
    source === 'embedded'
      ? claimValues(claims?.roles)
      : [
          ...claimValues(claims?.['cognito:groups']),
          ...claimValues(claims?.scope).flatMap((scope) =>
            scope.startsWith(LOA_SCOPE_PREFIX) ? [scope.slice(LOA_SCOPE_PREFIX.length)] : [],
          ),
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
