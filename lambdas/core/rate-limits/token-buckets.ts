/**
 * Token buckets by key, timed by the injected clock: each key may spend `burst` requests at once and gets
 * `perSecond` back every second. Kept in memory, per process (per Lambda instance on AWS): a flood writes
 * nothing to any store, and a restart forgets the buckets, which only lets a caller start with a full one.
 */
import type { Clock } from '../ports.js';

export interface BucketLimit {
  /** Requests a second a key gets back, e.g. 0.1 for one every ten seconds. */
  perSecond: number;
  /** Requests a key may make at once, after a quiet spell. */
  burst: number;
}

export type Taken = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Above this many keys, the full buckets are forgotten: a full bucket is the same as a new one. */
const PRUNE_ABOVE = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: BucketLimit,
    private readonly clock: Clock,
  ) {}

  /** Takes one token from the key's bucket; when it has none, says in whole seconds when the next one comes. */
  take(key: string): Taken {
    const now = this.clock.now().getTime();
    if (this.buckets.size > PRUNE_ABOVE) this.prune(now);
    const tokens = this.tokensAt(key, now);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return { allowed: true };
    }
    this.buckets.set(key, { tokens, at: now });
    const waitMs = ((1 - tokens) / this.limit.perSecond) * 1000;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  private tokensAt(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.limit.burst;
    const refilled = (Math.max(0, now - bucket.at) / 1000) * this.limit.perSecond;
    return Math.min(this.limit.burst, bucket.tokens + refilled);
  }

  private prune(now: number): void {
    for (const key of this.buckets.keys()) if (this.tokensAt(key, now) >= this.limit.burst) this.buckets.delete(key);
  }
}
