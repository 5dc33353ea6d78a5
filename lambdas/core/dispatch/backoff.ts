/**
 * Exponential backoff with full jitter: a random delay up to base * 2^(attempt-1), capped, so that
 * retries after a carrier outage spread out instead of arriving together.
 */
export function retryDelayMs(attempt: number, baseMs: number, capMs = 5 * 60_000, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}
