import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../lambdas/core/dispatch/backoff.js';

describe('retry backoff', () => {
  it('doubles the ceiling with each attempt', () => {
    const top = () => 1;
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 1_000, { capMs: 60_000, random: top }))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
  });

  it('never waits longer than the cap', () => {
    expect(retryDelayMs(30, 1_000, { capMs: 60_000, random: () => 1 })).toBe(60_000);
  });

  it('spreads retries over the whole range (full jitter)', () => {
    expect(retryDelayMs(3, 1_000, { capMs: 60_000, random: () => 0 })).toBe(0);
    expect(retryDelayMs(3, 1_000, { capMs: 60_000, random: () => 0.5 })).toBe(2_000);
  });
});
