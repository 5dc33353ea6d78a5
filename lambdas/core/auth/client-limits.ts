/**
 * Integration clients limited one by one (LOA_INTEGRATION_CLIENTS): the actions a client may take and the
 * areas it may import subscribers into. A client with no entry is unlimited, as the integration role
 * allows: limits narrow a client that needs less, and a deployment without the setting works as before.
 */
import { z } from 'zod';
import { ForbiddenError } from '../errors.js';
import type { Caller } from './caller.js';

/** What a limited client may be allowed, by name. Reading is one action per concept. */
export const CLIENT_ACTIONS = [
  'subscribers.import',
  'subscribers.lookup',
  'opt-outs.add',
  'campaigns.create',
  'campaigns.submit',
  'campaigns.read',
  'templates.read',
  'segments.read',
  'areas.read',
  'schedules.read',
  'vans.read',
  'tours.read',
] as const;
export type ClientAction = (typeof CLIENT_ACTIONS)[number];

export interface ClientLimit {
  /** Absent: any action the integration role allows. */
  actions?: ClientAction[];
  /** Area codes: imports only into these areas and the areas beneath them. Absent: any area. */
  areas?: string[];
}

/** By client id: the caller's id (the token's `sub`; a Cognito client-credentials token's client id). */
export type IntegrationClients = Record<string, ClientLimit>;

const clientLimit = z.strictObject({
  actions: z.array(z.enum(CLIENT_ACTIONS)).optional(),
  areas: z.array(z.string().trim().min(1).max(64)).optional(),
});

/** The setting's JSON, e.g. `{"hotline-1022": {"areas": ["DNI-BHOA"], "actions": ["subscribers.import"]}}`. */
export const integrationClientsJson = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'expected JSON: {"<client id>": {"areas": [...], "actions": [...]}}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), clientLimit));

/** The limit on `caller`, when it is an integration client with an entry; staff roles are never limited here. */
export function clientLimitOf(clients: IntegrationClients | undefined, caller: Caller): ClientLimit | undefined {
  const onlyIntegration = caller.roles.length > 0 && caller.roles.every((role) => role === 'integration');
  return onlyIntegration ? clients?.[caller.id] : undefined;
}

/** @throws ForbiddenError naming the action, when the caller's limit does not list it. */
export function requireClientAction(clients: IntegrationClients | undefined, caller: Caller, action: string): void {
  const actions = clientLimitOf(clients, caller)?.actions;
  if (actions && !(actions as string[]).includes(action)) {
    throw new ForbiddenError(`Client ${caller.id} may not take the action ${action}; it may take ${actions.join(', ') || 'none'}`);
  }
}

/**
 * Why `caller` may not import a subscriber into the area at `areaPath` (codes from the province down,
 * joined by '/'), or undefined when it may.
 */
export function importAreaRefusal(clients: IntegrationClients | undefined, caller: Caller, areaPath: string): string | undefined {
  const areas = clientLimitOf(clients, caller)?.areas;
  if (!areas) return undefined;
  const codes = areaPath.split('/');
  if (areas.some((code) => codes.includes(code))) return undefined;
  return `area "${codes.at(-1)}" is outside the areas client ${caller.id} may import into (${areas.join(', ')})`;
}
