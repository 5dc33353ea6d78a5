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

/**
 * The most keys kept; beyond it the least recently used goes. A flood from more addresses than this is not
 * one caller's to limit here: API Gateway's throttling (on AWS) bounds it.
 */
const MAX_KEYS = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: BucketLimit,
    private readonly clock: Clock,
  ) {}

  /** Takes one token from the key's bucket; when it has none, says in whole seconds when the next one comes. */
  take(key: string): Taken {
    const now = this.clock.now().getTime();
    const tokens = this.tokensAt(key, now);
    this.keep(key, { tokens: tokens >= 1 ? tokens - 1 : tokens, at: now });
    if (tokens >= 1) return { allowed: true };
    const waitMs = ((1 - tokens) / this.limit.perSecond) * 1000;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  private tokensAt(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.limit.burst;
    const refilled = (Math.max(0, now - bucket.at) / 1000) * this.limit.perSecond;
    return Math.min(this.limit.burst, bucket.tokens + refilled);
  }

  /** A Map iterates in insertion order: deleting and setting again keeps the least recently used first. */
  private keep(key: string, bucket: { tokens: number; at: number }): void {
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}
