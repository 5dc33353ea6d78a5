/**
 * The OpenAPI document as the embedded runtime serves it, sign-in routes included: the console's API
 * types are generated from it.
 */
import { openApiDocument } from '../http/openapi.js';
import { ROUTES } from '../http/routes.js';
import { sessionRoutes } from './staff/session-routes.js';
import type { StaffSignIn } from './staff/sign-in.js';

export function consoleApiDocument(): Record<string, unknown> {
  // The document reads what the routes declare, never calls them: no accounts database is needed.
  const signInRoutes = sessionRoutes(undefined as unknown as StaffSignIn, { alwaysHttps: false });
  return openApiDocument([...ROUTES, ...signInRoutes]);
}
