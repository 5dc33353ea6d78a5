/**
 * How many requests each caller may make, by class of route. Staff and integrations are counted by who
 * they are, public routes by the client's address. Approving, rejecting, pausing and cancelling have a
 * class of their own, so a caller flooding reads or imports still stops or approves a campaign at once.
 */
import { z } from 'zod';
import type { BucketLimit } from './token-buckets.js';

export const RATE_CLASSES = ['reads', 'writes', 'imports', 'decisions', 'public', 'reports'] as const;
export type RateClass = (typeof RATE_CLASSES)[number];

export type RateLimits = Record<RateClass, BucketLimit>;

/**
 * Far above what one person clicking through the console or a script of the README does, low enough that
 * one caller cannot hold the process that sends. A gateway posts a delivery report for every message it
 * delivers, from one address, as fast as the carrier delivers: `reports` is above any carrier's rate, so
 * that no report is refused during a province-wide send.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  reads: { perSecond: 20, burst: 60 },
  writes: { perSecond: 5, burst: 20 },
  imports: { perSecond: 0.1, burst: 2 },
  decisions: { perSecond: 5, burst: 20 },
  public: { perSecond: 5, burst: 20 },
  reports: { perSecond: 5_000, burst: 10_000 },
};

const bucketLimit = z.strictObject({ perSecond: z.number().positive().max(100_000), burst: z.number().int().min(1).max(1_000_000) });

/**
 * LOA_RATE_LIMITS: JSON naming the classes to change, e.g. {"reads":{"perSecond":50,"burst":100}}; the
 * classes not named keep their defaults.
 */
export const rateLimitsJson = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'expected JSON, e.g. {"reads":{"perSecond":50,"burst":100}}' });
      return z.NEVER;
    }
  })
  .pipe(z.partialRecord(z.enum(RATE_CLASSES), bucketLimit))
  .transform((given): RateLimits => ({ ...DEFAULT_RATE_LIMITS, ...given }));
