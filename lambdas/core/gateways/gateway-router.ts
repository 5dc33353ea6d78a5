import type { Clock, Gateway, Recipient, SubmitResult } from '../ports.js';
import type { Carrier } from '../subscribers/carriers.js';
import { GatewayHealth, type GatewayState, type GatewayStateChange, type HealthPolicy } from './gateway-health.js';
import { RateLimiter, type Limiter, type LimiterFactory, type Sleep } from './rate-limiter.js';

/** Messages for these carriers ('*' for any, and for an unknown carrier) try these gateways in order. */
export interface Route {
  carriers: (Carrier | '*')[];
  gateways: string[];
}

export interface RoutedGateway {
  gateway: Gateway;
  /** Shared by every sender of this gateway: its rate is the carrier's, whoever sends. */
  limiter?: Limiter;
}

export interface GatewayStatus {
  id: string;
  state: GatewayState;
  since: string;
  /** Configured rate in message parts a second; undefined when unlimited. */
  messagesPerSecond: number | undefined;
  submitsPerSecond: number;
  errorRate: number;
  /** Messages moved on from this gateway to the next of their route after it refused them. */
  failovers: number;
  stateChanges: number;
  details?: Record<string, unknown>;
}

export interface RouterEvents {
  stateChanged?(change: GatewayStateChange): void;
  failedOver?(from: string, to: string): void;
}

interface Entry extends RoutedGateway {
  health: GatewayHealth;
  failovers: number;
  stateChanges: number;
  probes: number;
}

/** The route of a carrier's messages: the first naming it, else the one for '*' (which a configuration must have). */
export function routeOf(routes: readonly Route[], carrier: Carrier | undefined): Route {
  const wanted = carrier ?? '*';
  return routes.find((candidate) => candidate.carriers.includes(wanted)) ?? routes.find((candidate) => candidate.carriers.includes('*'))!;
}

/**
 * Picks the gateway for each message: the first healthy one of the route for its carrier. A gateway
 * that failed too often sits out a cool-down and then takes only probe traffic until it has been
 * healthy for a while. A route never goes empty: when every gateway of it is out, one on probation
 * or else its first one is used, and the retries with backoff that follow are what a dead route can do.
 */
export class GatewayRouter {
  private readonly entries = new Map<string, Entry>();

  constructor(
    gateways: Gateway[],
    private readonly routes: Route[],
    private readonly policy: HealthPolicy,
    clock: Clock,
    sleep: Sleep,
    private readonly events: RouterEvents = {},
    /** Each gateway's limiter; by default an in-process RateLimiter at its rate. */
    limiterFor: LimiterFactory = (gateway) =>
      gateway.messagesPerSecond ? new RateLimiter(gateway.messagesPerSecond, clock, sleep) : undefined,
  ) {
    for (const gateway of gateways) {
      const limiter = limiterFor(gateway);
      const entry: Entry = {
        gateway,
        ...(limiter && { limiter }),
        health: new GatewayHealth(gateway.id, policy, clock, (change) => {
          entry.stateChanges++;
          events.stateChanged?.(change);
        }),
        failovers: 0,
        stateChanges: 0,
        probes: 0,
      };
      this.entries.set(gateway.id, entry);
    }
    for (const route of routes) {
      const unknown = route.gateways.find((id) => !this.entries.has(id));
      if (unknown) throw new Error(`route for ${route.carriers.join(', ')} names unknown gateway ${unknown}`);
    }
    if (!routes.some((route) => route.carriers.includes('*'))) throw new Error("no route for carriers ['*']: unknown carriers need one");
  }

  /**
   * The gateway for the recipient's next attempt, skipping those already tried for it. A recipient
   * pinned to a gateway (one that may already have the message) always goes back to it.
   */
  pick(recipient: Recipient, tried: ReadonlySet<string> = new Set()): RoutedGateway | undefined {
    if (recipient.gatewayId) {
      const pinned = this.entries.get(recipient.gatewayId);
      if (pinned) return tried.has(pinned.gateway.id) ? undefined : pinned;
    }
    const candidates = this.routeFor(recipient).filter((entry) => !tried.has(entry.gateway.id));
    for (const entry of candidates) {
      const state = entry.health.current();
      if (state === 'up' || (state === 'recovering' && this.takesProbe(entry))) return entry;
    }
    if (tried.size > 0) return undefined;
    return candidates.find((entry) => entry.health.current() === 'recovering') ?? candidates[0];
  }

  /** Counts the outcome towards the gateway's health. */
  record(gatewayId: string, result: SubmitResult): void {
    this.entries.get(gatewayId)?.health.record(result.outcome === 'transient');
  }

  failedOver(from: string, to: string): void {
    const entry = this.entries.get(from);
    if (entry) entry.failovers++;
    this.events.failedOver?.(from, to);
  }

  status(): GatewayStatus[] {
    return [...this.entries.values()].map((entry) => ({
      id: entry.gateway.id,
      ...entry.health.snapshot(),
      messagesPerSecond: entry.gateway.messagesPerSecond,
      failovers: entry.failovers,
      stateChanges: entry.stateChanges,
      ...(entry.gateway.status && { details: entry.gateway.status() }),
    }));
  }

  private routeFor(recipient: Recipient): Entry[] {
    return routeOf(this.routes, recipient.carrier).gateways.map((id) => this.entries.get(id)!);
  }

  /** Every n-th message offered to a gateway on probation goes to it, for a steady trickle. */
  private takesProbe(entry: Entry): boolean {
    return entry.probes++ % Math.max(1, Math.round(1 / this.policy.probeShare)) === 0;
  }
}
