import { z } from 'zod';
import { zonedTimeToUtc } from '../../core/time/local-time.js';

/**
 * A day (YYYY-MM-DD, from local midnight in the deployment's time zone) or an instant with its offset:
 * `?from=2026-12-01&to=2026-12-08` is the week, as a person reads it.
 */
export const dayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export function instantOf(value: string, timezone: string): Date {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!day) return new Date(value);
  return zonedTimeToUtc(timezone, { year: Number(day[1]), month: Number(day[2]), day: Number(day[3]), hour: 0, minute: 0, second: 0 });
}
