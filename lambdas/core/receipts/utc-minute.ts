const MINUTE_MS = 60_000;

/**
 * The start of the UTC minute of an instant, as ISO 8601: the bucket of the delivered-over-time counters.
 * Both stores bucket with it, so a chart reads the same whichever runtime keeps the counters.
 */
export function utcMinuteOf(at: string): string {
  const ms = Date.parse(at);
  return new Date(ms - (((ms % MINUTE_MS) + MINUTE_MS) % MINUTE_MS)).toISOString();
}
