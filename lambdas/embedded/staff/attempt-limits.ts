/**
 * In-memory limits on sign-in attempts, timed by the injected clock. They are per process and forgotten
 * at restart, which an attacker cannot cause; keeping them out of the database means a flood of attempts
 * writes nothing to disk.
 */
import type { Clock } from '../../core/ports.js';

/** Above this many keys, the ones whose window has passed are forgotten. */
const PRUNE_ABOVE = 10_000;

/** At most `limit` attempts per key in any `windowMs`. */
export class SlidingWindowLimit {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Counts an attempt; when over the limit it is not counted and the answer says how long to wait. */
  take(key: string): { allowed: true } | { allowed: false; retryAfterMs: number } {
    const now = this.clock.now().getTime();
    if (this.attempts.size > PRUNE_ABOVE) this.prune(now);
    const recent = (this.attempts.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.attempts.set(key, recent);
      return { allowed: false, retryAfterMs: recent[0]! + this.windowMs - now };
    }
    recent.push(now);
    this.attempts.set(key, recent);
    return { allowed: true };
  }

  private prune(now: number): void {
    for (const [key, times] of this.attempts) if (times.every((at) => at <= now - this.windowMs)) this.attempts.delete(key);
  }
}

/** Locks a key for `lockMs` after `maxFailures` failures in a row; a success starts the count again. */
export class FailureLockout {
  private readonly state = new Map<string, { failures: number; lockedUntil: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly lockMs: number,
    private readonly clock: Clock,
  ) {}

  /** How long the key stays locked; 0 when it is not. */
  lockedForMs(key: string): number {
    const entry = this.state.get(key);
    if (!entry || entry.lockedUntil === 0) return 0;
    const left = entry.lockedUntil - this.clock.now().getTime();
    if (left > 0) return left;
    this.state.delete(key);
    return 0;
  }

  /** Records a failure; true when it locks the key. */
  failed(key: string): boolean {
    const now = this.clock.now().getTime();
    if (this.state.size > PRUNE_ABOVE) {
      for (const [name, entry] of this.state) if (entry.lockedUntil <= now) this.state.delete(name);
    }
    const entry = this.state.get(key) ?? { failures: 0, lockedUntil: 0 };
    entry.failures += 1;
    if (entry.failures >= this.maxFailures) {
      entry.failures = 0;
      entry.lockedUntil = now + this.lockMs;
    }
    this.state.set(key, entry);
    return entry.lockedUntil > now;
  }

  succeeded(key: string): void {
    this.state.delete(key);
  }
}
