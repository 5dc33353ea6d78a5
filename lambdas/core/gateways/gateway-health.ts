import type { Clock } from '../ports.js';

/**
 * When a gateway leaves its routes and when it may come back. The two thresholds differ on purpose
 * (hysteresis): a gateway trips at `tripErrorRate` but returns only after a cool-down and then a period
 * of probe traffic at or below `restoreErrorRate`, so one that fails every other minute does not flap
 * in and out of the route with every good second.
 */
export interface HealthPolicy {
  /** Outcomes older than this no longer count. */
  windowMs: number;
  /** A window with fewer outcomes never trips: three timeouts in a quiet minute are not an outage. */
  minSamples: number;
  tripErrorRate: number;
  restoreErrorRate: number;
  /** Out of its routes this long after tripping, with no traffic at all. */
  coolDownMs: number;
  /** Then on probation, taking `probeShare` of its traffic, until it has been healthy this long. */
  healthyForMs: number;
  probeShare: number;
}

export const DEFAULT_HEALTH_POLICY: HealthPolicy = {
  windowMs: 60_000,
  minSamples: 20,
  tripErrorRate: 0.25,
  restoreErrorRate: 0.05,
  coolDownMs: 60_000,
  healthyForMs: 120_000,
  probeShare: 0.1,
};

export type GatewayState = 'up' | 'down' | 'recovering';

export interface GatewayStateChange {
  gatewayId: string;
  from: GatewayState;
  to: GatewayState;
  errorRate: number;
  at: string;
}

/** Outcomes are counted in one-second buckets, so a gateway at thousands of submits a second costs nothing. */
interface Bucket {
  second: number;
  total: number;
  errors: number;
}

export class GatewayHealth {
  private state: GatewayState = 'up';
  private since: number;
  private buckets: Bucket[] = [];

  constructor(
    readonly gatewayId: string,
    private readonly policy: HealthPolicy,
    private readonly clock: Clock,
    private readonly onChange: (change: GatewayStateChange) => void,
  ) {
    this.since = clock.now().getTime();
  }

  /** Errors are failures of the gateway (transient and uncertain); a refused number or throttling is not. */
  record(error: boolean): void {
    const now = this.clock.now().getTime();
    this.current(now);
    const second = Math.floor(now / 1000);
    let bucket = this.buckets.at(-1);
    if (bucket?.second !== second) {
      bucket = { second, total: 0, errors: 0 };
      this.buckets.push(bucket);
    }
    bucket.total++;
    if (error) bucket.errors++;

    if (this.state === 'down') return;
    const { total, errorRate } = this.window(now);
    if (total >= this.minSamplesFor(this.state) && errorRate >= this.policy.tripErrorRate) this.moveTo('down', now, errorRate);
  }

  /** The state now, after moving on from a cool-down or a probation that has run its course. */
  current(now = this.clock.now().getTime()): GatewayState {
    if (this.state === 'down' && now - this.since >= this.policy.coolDownMs) this.moveTo('recovering', now, 0);
    if (this.state === 'recovering' && now - this.since >= this.policy.healthyForMs) {
      const { total, errorRate } = this.window(now);
      if (total > 0 && errorRate <= this.policy.restoreErrorRate) this.moveTo('up', now, errorRate);
    }
    return this.state;
  }

  snapshot(): { state: GatewayState; since: string; submitsPerSecond: number; errorRate: number } {
    const now = this.clock.now().getTime();
    const state = this.current(now);
    const { total, errorRate } = this.window(now);
    const seconds = Math.max(1, Math.min(this.policy.windowMs, now - this.since) / 1000);
    return { state, since: new Date(this.since).toISOString(), submitsPerSecond: total / seconds, errorRate };
  }

  /** Probe traffic is thin, so a gateway on probation trips again on fewer outcomes. */
  private minSamplesFor(state: GatewayState): number {
    return state === 'recovering' ? Math.max(1, Math.ceil(this.policy.minSamples * this.policy.probeShare)) : this.policy.minSamples;
  }

  private window(now: number): { total: number; errorRate: number } {
    const oldest = Math.floor((now - this.policy.windowMs) / 1000);
    while (this.buckets.length > 0 && this.buckets[0]!.second <= oldest) this.buckets.shift();
    let total = 0;
    let errors = 0;
    for (const bucket of this.buckets) {
      total += bucket.total;
      errors += bucket.errors;
    }
    return { total, errorRate: total === 0 ? 0 : errors / total };
  }

  /** Each state judges only its own outcomes: a gateway on probation is not held to its outage. */
  private moveTo(state: GatewayState, now: number, errorRate: number): void {
    const from = this.state;
    this.state = state;
    this.since = now;
    this.buckets = [];
    this.onChange({ gatewayId: this.gatewayId, from, to: state, errorRate, at: new Date(now).toISOString() });
  }
}
