/**
 * The action a route takes, by the names a limited integration client is allowed (core/auth/client-limits.ts):
 * writes by name, reads as "<tag>.read". A route an integration client may call must have a name here
 * or be a read; test/http/client-limits.test.ts checks it.
 */
import { requireClientAction, type IntegrationClients } from '../core/auth/client-limits.js';
import type { Caller } from '../core/auth/caller.js';
import type { Route } from './route.js';

const NAMED: Record<string, string> = {
  'POST /v1/subscribers/import': 'subscribers.import',
  'POST /v1/imports': 'subscribers.import',
  'GET /v1/imports/{id}': 'subscribers.import',
  'PUT /v1/imports/{id}/file': 'subscribers.import',
  'POST /v1/subscribers/lookup': 'subscribers.lookup',
  'POST /v1/opt-outs': 'opt-outs.add',
  'POST /v1/campaigns': 'campaigns.create',
  'POST /v1/campaigns/{id}/submit': 'campaigns.submit',
  'GET /v1/coverage': 'tours.read',
};

/** Who the caller is needs no allowance. */
const ALWAYS = new Set(['GET /v1/me']);

export function routeAction(route: Route): string {
  const key = `${route.method} ${route.path}`;
  return NAMED[key] ?? (route.method === 'GET' ? `${route.tag}.read` : key);
}

/** @throws ForbiddenError when the caller is a limited integration client that may not take the route's action. */
export function requireRouteAllowed(clients: IntegrationClients | undefined, caller: Caller, route: Route): void {
  if (route.access === 'public' || ALWAYS.has(`${route.method} ${route.path}`)) return;
  requireClientAction(clients, caller, routeAction(route));
}
