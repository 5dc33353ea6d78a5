import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../lambdas/core/gateways/rate-limiter.js';

function fakeTime() {
  let now = 0;
  const slept: number[] = [];
  return {
    clock: { now: () => new Date(now) },
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    slept,
    elapsed: () => now,
  };
}

describe('a gateway rate limiter', () => {
  it('lets a second’s worth of messages through at once, then paces the rest', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(10, time.clock, time.sleep);
    for (let i = 0; i < 30; i++) await limiter.take();
    expect(time.elapsed()).toBe(2_000);
  });

  it('is shared: concurrent senders together stay within the rate', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(5, time.clock, time.sleep);
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 5; i++) await limiter.take();
      }),
    );
    expect(time.elapsed()).toBeGreaterThanOrEqual(3_000);
  });

  it('counts a multi-part message as several', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(10, time.clock, time.sleep);
    await limiter.take(10);
    await limiter.take(5);
    expect(time.elapsed()).toBe(500);
  });

  it('lets a message longer than a second of parts through after a full second', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(2, time.clock, time.sleep);
    await limiter.take(2);
    await limiter.take(5);
    expect(time.elapsed()).toBe(1_000);
  });
});
