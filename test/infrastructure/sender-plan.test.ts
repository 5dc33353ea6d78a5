/** How the SMS gateway's rate holds across concurrent senders (lib/constructs/dispatch.ts `senderPlan`). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { MAX_TPS_PER_SENDER, MIN_SENDERS, SENDER_TIMEOUT, senderPlan } from '../../lib/constructs/dispatch.js';

describe('senderPlan', () => {
  it.each([5, 20, 21, 50, 99, 100, 101, 500, 1_000, 3_333, 10_000])(
    'at %i messages a second, the senders together never exceed the rate and none exceeds its own ceiling',
    (tps) => {
      const plan = senderPlan(tps);
      expect(plan.concurrency).toBeGreaterThanOrEqual(MIN_SENDERS);
      expect(plan.perSenderTps * plan.concurrency).toBeCloseTo(tps, 9);
      expect(plan.perSenderTps).toBeLessThanOrEqual(MAX_TPS_PER_SENDER);
      // One sender fewer would have to go faster than a sender may.
      if (plan.concurrency > MIN_SENDERS) expect(tps / (plan.concurrency - 1)).toBeGreaterThan(MAX_TPS_PER_SENDER);
    },
  );

  it('reserves two senders of 10 a second each at SNS’s default 20 messages a second', () => {
    expect(senderPlan(20)).toEqual({ tps: 20, concurrency: 2, perSenderTps: 10, batchSize: 4 });
  });

  it('gives each sender as many jobs as it sends in half its timeout, between 1 and 10', () => {
    for (const tps of [5, 20, 100, 500, 10_000]) {
      const plan = senderPlan(tps);
      const seconds = (plan.batchSize * DEFAULT_CONFIG.sliceSize) / plan.perSenderTps;
      expect(plan.batchSize).toBeGreaterThanOrEqual(1);
      expect(plan.batchSize).toBeLessThanOrEqual(10);
      expect(seconds).toBeLessThanOrEqual(SENDER_TIMEOUT.toSeconds() / 2);
    }
    expect(senderPlan(500).batchSize).toBe(10);
    expect(senderPlan(5).batchSize).toBe(1);
  });

  it('refuses a rate at which one job could not be sent within a sender’s time', () => {
    expect(() => senderPlan(4)).toThrow(/too low.*at least 5/);
    expect(() => senderPlan(4, 100)).not.toThrow();
  });
});
