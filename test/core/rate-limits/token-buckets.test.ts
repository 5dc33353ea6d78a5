import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, rateLimitsJson } from '../../../lambdas/core/rate-limits/rate-limits.js';
import { TokenBuckets } from '../../../lambdas/core/rate-limits/token-buckets.js';

function fakeClock(start = Date.parse('2026-12-05T08:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

const takeTimes = (buckets: TokenBuckets, key: string, times: number) => Array.from({ length: times }, () => buckets.take(key).allowed);

describe('token buckets', () => {
  it('let a key spend its whole burst at once, then refuse it', () => {
    const buckets = new TokenBuckets({ perSecond: 5, burst: 20 }, fakeClock());
    expect(takeTimes(buckets, 'lan', 20).every(Boolean)).toBe(true);
    expect(buckets.take('lan')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('give tokens back at the rate, never beyond the burst', () => {
    const clock = fakeClock();
    const buckets = new TokenBuckets({ perSecond: 5, burst: 20 }, clock);
    takeTimes(buckets, 'lan', 20);
    clock.advance(1_000);
    expect(takeTimes(buckets, 'lan', 6)).toEqual([true, true, true, true, true, false]);
    clock.advance(3_600_000);
    expect(takeTimes(buckets, 'lan', 21).filter(Boolean)).toHaveLength(20);
  });

  it('say in whole seconds, rounded up, when the next token comes', () => {
    const clock = fakeClock();
    const buckets = new TokenBuckets({ perSecond: 0.1, burst: 2 }, clock);
    takeTimes(buckets, 'import', 2);
    expect(buckets.take('import')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    clock.advance(2_500);
    expect(buckets.take('import')).toEqual({ allowed: false, retryAfterSeconds: 8 });
    clock.advance(7_500);
    expect(buckets.take('import')).toEqual({ allowed: true });
  });

  it('do not count refused requests against the key', () => {
    const clock = fakeClock();
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, clock);
    buckets.take('lan');
    takeTimes(buckets, 'lan', 50);
    clock.advance(1_000);
    expect(buckets.take('lan').allowed).toBe(true);
  });

  it('keep a bucket per key', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 3 }, fakeClock());
    takeTimes(buckets, 'lan', 10);
    expect(buckets.take('minh').allowed).toBe(true);
  });

  it('keep a caller that goes on asking limited among very many keys, forgetting the least recently used', () => {
    const clock = fakeClock();
    const buckets = new TokenBuckets({ perSecond: 1, burst: 2 }, clock);
    takeTimes(buckets, 'flooder', 2);
    for (let index = 0; index < 20_000; index += 1) {
      buckets.take(`address-${index}`);
      if (index % 1_000 === 0) expect(buckets.take('flooder').allowed).toBe(false);
    }
    expect(buckets.take('flooder').allowed).toBe(false);
    expect(takeTimes(buckets, 'address-0', 2)).toEqual([true, true]);
    expect(takeTimes(buckets, 'address-19999', 2)).toEqual([true, false]);
  });
});

describe('LOA_RATE_LIMITS', () => {
  it('changes the classes it names and keeps the defaults of the others', () => {
    const limits = rateLimitsJson.parse('{"reads":{"perSecond":50,"burst":100}}');
    expect(limits).toEqual({ ...DEFAULT_RATE_LIMITS, reads: { perSecond: 50, burst: 100 } });
  });

  it('refuses what is not JSON, an unknown class and a limit that is not positive', () => {
    expect(rateLimitsJson.safeParse('reads=50').success).toBe(false);
    expect(rateLimitsJson.safeParse('{"everything":{"perSecond":1,"burst":1}}').success).toBe(false);
    expect(rateLimitsJson.safeParse('{"reads":{"perSecond":0,"burst":1}}').success).toBe(false);
    expect(rateLimitsJson.safeParse('{"reads":{"perSecond":1,"burst":0}}').success).toBe(false);
  });
});
