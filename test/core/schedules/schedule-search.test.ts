import { describe, expect, it } from 'vitest';
import { parseSchedule, searchFireTimes } from '../../../lambdas/core/schedules/schedule-expression.js';

const FROM = new Date('2026-12-05T00:00:00Z');

/**
 * The search and the milliseconds it took: after a warm-up that loads the zone's Intl data, the fastest of
 * three runs, so that other processes busy on the machine do not count.
 */
function timed(expression: string, timezone: string, count = 10) {
  const schedule = parseSchedule(expression, timezone);
  let search = searchFireTimes(schedule, { from: FROM, count });
  let ms = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    search = searchFireTimes(schedule, { from: FROM, count });
    ms = Math.min(ms, performance.now() - started);
  }
  return { search, ms };
}

describe('searching fire times with a bounded amount of work', () => {
  it.each([
    ['cron(* 2 ? 3 1#2 *)', 'America/New_York'],
    ['cron(30 1 ? 3 1L *)', 'Europe/London'],
    ['cron(*/5 1 ? 3 1L *)', 'Europe/London'],
  ])('%s in %s matches only times the clocks skip: it answers within 50 ms that no fire time was found', (expression, timezone) => {
    const { search, ms } = timed(expression, timezone);

    expect(search.fireTimes).toEqual([]);
    expect(search.stoppedAt!.getTime()).toBeGreaterThan(FROM.getTime());
    expect(ms).toBeLessThan(50);
  });

  it('30 February never matches: no fire time, found at once and without a limit reached', () => {
    const { search, ms } = timed('cron(0 9 30 2 ? *)', 'America/New_York');

    expect(search).toEqual({ fireTimes: [] });
    expect(ms).toBeLessThan(50);
  });

  it('a daily cron in a zone with daylight saving still gives 100 fire times, across both changes of the clock', () => {
    const { search, ms } = timed('cron(0 8 * * ? *)', 'Europe/London', 100);

    expect(search.fireTimes).toHaveLength(100);
    expect(search.stoppedAt).toBeUndefined();
    expect(ms).toBeLessThan(50);
  });

  it('converts the days the clocks change exactly: the skipped hour never fires, the repeated one fires once', () => {
    const spring = searchFireTimes(parseSchedule('cron(30 1,2,3 ? 3 1#2 2027)', 'America/New_York'), { from: FROM, count: 10 });
    expect(spring.fireTimes.map((t) => t.toISOString())).toEqual(['2027-03-14T06:30:00.000Z', '2027-03-14T07:30:00.000Z']);

    const autumn = searchFireTimes(parseSchedule('cron(0,30 1 ? 11 1#1 2027)', 'America/New_York'), { from: FROM, count: 10 });
    expect(autumn.fireTimes.map((t) => t.toISOString())).toEqual(['2027-11-07T05:00:00.000Z', '2027-11-07T05:30:00.000Z']);
  });

  it('a cron firing only on the days the clocks change finds the first of them before its limit', () => {
    const { search } = timed('cron(0 12 ? 3 1L *)', 'Europe/London', 100);

    expect(search.fireTimes[0]!.toISOString()).toBe('2027-03-28T11:00:00.000Z');
    expect(search.fireTimes.length).toBeGreaterThan(20);
    expect(search.stoppedAt!.getTime()).toBeGreaterThan(search.fireTimes.at(-1)!.getTime());
  });
});
