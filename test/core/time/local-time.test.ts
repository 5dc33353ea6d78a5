import { describe, expect, it } from 'vitest';
import {
  addDays,
  LocalClock,
  localTime,
  minuteOfDay,
  offsetAt,
  resolveWallTime,
  runtimeKnowsZone,
  wallClockAt,
  wallClockMs,
  zonedTimeToUtc,
} from '../../../lambdas/core/time/local-time.js';

const HOUR_MS = 3_600_000;
const wall = (year: number, month: number, day: number, hour: number, minute = 0, second = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});
const utc = (iso: string) => new Date(iso).getTime();

// Published transitions (timeanddate.com): New York springs forward on Sunday 8 March 2026 at 02:00 EST to
// 03:00 EDT and falls back on Sunday 1 November 2026 at 02:00 EDT to 01:00 EST; Lord Howe Island moves its
// clocks by half an hour, back at 02:00 on 5 April 2026 and forward at 02:00 on 4 October 2026; Vietnam keeps
// UTC+7 all year.
describe('local time', () => {
  it('reads the wall clock of Ho Chi Minh City, seven hours ahead of UTC all year', () => {
    expect(wallClockAt('Asia/Ho_Chi_Minh', new Date('2026-12-31T17:30:00Z'))).toEqual(wall(2027, 1, 1, 0, 30));
    expect(wallClockAt('Asia/Ho_Chi_Minh', new Date('2026-07-01T05:15:42Z'))).toEqual(wall(2026, 7, 1, 12, 15, 42));
    expect(offsetAt('Asia/Ho_Chi_Minh', utc('2026-01-15T00:00:00Z'))).toBe(7 * HOUR_MS);
    expect(offsetAt('Asia/Ho_Chi_Minh', utc('2026-07-15T00:00:00Z'))).toBe(7 * HOUR_MS);
    expect(zonedTimeToUtc('Asia/Ho_Chi_Minh', wall(2026, 3, 8, 2, 30)).toISOString()).toBe('2026-03-07T19:30:00.000Z');
  });

  it('follows New York from standard to daylight time', () => {
    expect(offsetAt('America/New_York', utc('2026-03-08T06:59:59Z'))).toBe(-5 * HOUR_MS);
    expect(offsetAt('America/New_York', utc('2026-03-08T07:00:00Z'))).toBe(-4 * HOUR_MS);
    expect(wallClockAt('America/New_York', new Date('2026-03-08T07:00:00Z'))).toEqual(wall(2026, 3, 8, 3));
  });

  it('moves a time in the spring-forward gap forward by the gap', () => {
    expect(resolveWallTime('America/New_York', wallClockMs(wall(2026, 3, 8, 2, 30)))).toEqual({
      kind: 'gap',
      utc: utc('2026-03-08T07:30:00Z'),
    });
    expect(zonedTimeToUtc('America/New_York', wall(2026, 3, 8, 2, 30)).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(zonedTimeToUtc('America/New_York', wall(2026, 3, 8, 3, 0)).toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('takes the first of a time that occurs twice when the clocks fall back', () => {
    expect(resolveWallTime('America/New_York', wallClockMs(wall(2026, 11, 1, 1, 30)))).toEqual({
      kind: 'repeated',
      utc: utc('2026-11-01T05:30:00Z'),
      later: utc('2026-11-01T06:30:00Z'),
    });
    expect(zonedTimeToUtc('America/New_York', wall(2026, 11, 1, 1, 30)).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(resolveWallTime('America/New_York', wallClockMs(wall(2026, 11, 1, 2, 0)))).toEqual({
      kind: 'unique',
      utc: utc('2026-11-01T07:00:00Z'),
    });
  });

  it('handles a zone whose clocks move by half an hour', () => {
    // Lord Howe: UTC+11 in summer, UTC+10:30 in winter.
    expect(resolveWallTime('Australia/Lord_Howe', wallClockMs(wall(2026, 10, 4, 2, 15)))).toEqual({
      kind: 'gap',
      utc: utc('2026-10-03T15:45:00Z'),
    });
    expect(resolveWallTime('Australia/Lord_Howe', wallClockMs(wall(2026, 4, 5, 1, 45)))).toEqual({
      kind: 'repeated',
      utc: utc('2026-04-04T14:45:00Z'),
      later: utc('2026-04-04T15:15:00Z'),
    });
  });

  it('gives the local day, time of day and hh:mm of an instant', () => {
    expect(localTime(new Date('2026-11-30T16:05:09.500Z'), 'Asia/Ho_Chi_Minh')).toEqual({
      day: '2026-11-30',
      minuteOfDay: 23 * 60 + 5,
      second: 9,
      hhmm: '23:05',
    });
    expect(localTime(new Date('2026-11-30T17:00:00Z'), 'Asia/Ho_Chi_Minh').day).toBe('2026-12-01');
    expect(minuteOfDay('22:00')).toBe(1320);
    expect(minuteOfDay('06:30')).toBe(390);
  });

  it('counts local days over month ends and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', 14)).toBe('2026-03-15');
  });

  it('knows the zones the runtime knows', () => {
    expect(runtimeKnowsZone('Asia/Ho_Chi_Minh')).toBe(true);
    expect(runtimeKnowsZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('LocalClock', () => {
  it('agrees with the wall clock every five minutes around both New York transitions', () => {
    const clock = new LocalClock('America/New_York');
    for (const day of ['2026-03-08', '2026-11-01']) {
      for (let t = utc(`${day}T03:00:00Z`); t < utc(`${day}T10:00:00Z`); t += 5 * 60_000) {
        expect(clock.local(t)).toBe(wallClockMs(wallClockAt('America/New_York', new Date(t))));
      }
    }
  });

  it('writes local days, times and runs as messages show them', () => {
    const clock = new LocalClock('Asia/Ho_Chi_Minh');
    const start = utc('2026-11-30T14:30:00Z');
    expect(clock.day(start)).toBe('2026-11-30');
    expect(clock.time(start)).toBe('21:30');
    expect(clock.range(start, start + 45 * 60_000)).toBe('2026-11-30 21:30-22:15 (Asia/Ho_Chi_Minh)');
    expect(clock.range(start, start + 3 * HOUR_MS)).toBe('2026-11-30 21:30-2026-12-01 00:30 (Asia/Ho_Chi_Minh)');
  });
});
