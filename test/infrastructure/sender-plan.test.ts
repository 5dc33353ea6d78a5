/** How many senders, and how many jobs each is handed (lib/constructs/dispatch.ts `senderPlan`). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { STOP_MARGIN_MS } from '../../lambdas/settings/sender-time.js';
import {
  DEFAULT_LONGEST_MESSAGE_PARTS,
  MAX_TPS_PER_SENDER,
  MIN_SENDERS,
  SENDER_TIMEOUT,
  senderPlan,
} from '../../lib/constructs/dispatch.js';

describe('senderPlan', () => {
  it.each([1, 5, 20, 21, 50, 99, 100, 101, 500, 1_000, 3_333, 10_000])(
    'at %i parts a second, each sender is asked at most its ceiling, and one sender fewer would be asked more',
    (tps) => {
      const plan = senderPlan(tps);
      expect(plan.concurrency).toBeGreaterThanOrEqual(MIN_SENDERS);
      expect(plan.perSenderTps * plan.concurrency).toBeCloseTo(tps, 9);
      expect(plan.perSenderTps).toBeLessThanOrEqual(MAX_TPS_PER_SENDER);
      if (plan.concurrency > MIN_SENDERS) expect(tps / (plan.concurrency - 1)).toBeGreaterThan(MAX_TPS_PER_SENDER);
    },
  );

  it('hands each sender the jobs of longest messages it sends in its working time (timeout less the stop margin), 1 to 10', () => {
    const workingSeconds = (SENDER_TIMEOUT.toMilliseconds() - STOP_MARGIN_MS) / 1000;
    for (const tps of [1, 20, 100, 500, 10_000]) {
      const plan = senderPlan(tps);
      const parts = plan.batchSize * DEFAULT_CONFIG.sliceSize * DEFAULT_LONGEST_MESSAGE_PARTS;
      expect(plan.batchSize).toBeGreaterThanOrEqual(1);
      expect(plan.batchSize).toBeLessThanOrEqual(10);
      if (plan.batchSize > 1) expect(parts / plan.perSenderTps).toBeLessThanOrEqual(workingSeconds);
    }
    // 20 parts a second, 2 senders at 10: 7,800 parts in 780 s, two jobs of 3-part messages.
    expect(senderPlan(20)).toEqual({ tps: 20, concurrency: 2, perSenderTps: 10, batchSize: 2 });
    expect(senderPlan(20, { longestMessageParts: 1 }).batchSize).toBe(7);
    expect(senderPlan(500).batchSize).toBe(10);
    // Too slow for a whole job: one job, and the sender hands back what it could not send.
    expect(senderPlan(1).batchSize).toBe(1);
  });
});
