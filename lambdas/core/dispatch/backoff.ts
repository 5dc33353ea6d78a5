/**
 * Exponential backoff with full jitter: a random delay up to base * 2^(attempt-1), capped, so that
 * retries after a carrier outage spread out instead of arriving together.
 */
export interface BackoffOptions {
  /** The longest delay; 5 minutes unless given. */
  capMs?: number;
  /** Where the jitter is drawn from, a number in [0, 1); Math.random unless a test fixes it. */
  random?: () => number;
}

export function retryDelayMs(attempt: number, baseMs: number, { capMs = 5 * 60_000, random = Math.random }: BackoffOptions = {}): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}
