/**
 * What the embedded HTTP server asks before calling the API handler, for a request without a bearer
 * token: the claims of the session its cookie names (the same `sub`, `roles` and `name` a token carries,
 * so every route and role check works for signed-in staff), or a refusal. An unsafe request from a page
 * of another origin is refused when it would act through the cookie, or sign in or out: SameSite=Strict
 * already keeps the cookie off such requests, and this holds even where a browser does not.
 */
import type { ApiResponse } from '../../http/api-request.js';
import { problemResponse } from '../../http/problem.js';
import { isCrossOrigin, sessionIdFrom } from './session-cookie.js';
import type { StaffSignIn } from './sign-in.js';

export const SESSION_PATH = '/v1/session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CookieRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export type CookieAuthentication = { claims?: Record<string, unknown> } | { refused: ApiResponse };

export interface CookieSessions {
  authenticate(request: CookieRequest): CookieAuthentication;
}

export function cookieSessions(signIn: StaffSignIn, options: { alwaysHttps: boolean }): CookieSessions {
  return {
    authenticate({ method, path, headers }) {
      const sessionId = sessionIdFrom(headers);
      const session = sessionId === undefined ? undefined : signIn.current(sessionId);
      const actsThroughCookie = session !== undefined || path === SESSION_PATH;
      if (actsThroughCookie && !SAFE_METHODS.has(method.toUpperCase()) && isCrossOrigin(headers, options.alwaysHttps)) {
        return { refused: problemResponse('forbidden', 'A page of another origin may not act with the session of this one') };
      }
      if (!session) return {};
      const { user, roles, name } = session.account;
      return { claims: { sub: user, roles, name } };
    },
  };
}
