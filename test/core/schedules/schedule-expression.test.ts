import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/core/errors.js';
import { fireTimes, isRecurring, nextFireTime, parseSchedule } from '../../../lambdas/core/schedules/schedule-expression.js';
import { DEFAULT_TIMEZONE, wallClockAt, zonedTimeToUtc } from '../../../lambdas/core/time/local-time.js';

/** ISO strings of the next `count` fire times at or after `from`. */
function fires(expression: string, from: string, count = 3, timezone = 'UTC', start?: string): string[] {
  const schedule = parseSchedule(expression, timezone);
  return fireTimes(schedule, {
    from: new Date(from),
    count,
    ...(start === undefined ? {} : { start: new Date(start) }),
  }).map((d) => d.toISOString().replace('.000Z', 'Z'));
}

function reasonOf(expression: string, timezone?: string): { field: string; message: string } {
  try {
    parseSchedule(expression, timezone);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const problem = (error as ValidationError).problems[0];
    if (!problem) throw new Error('no problem recorded');
    return problem;
  }
  throw new Error(`${expression} was accepted`);
}

describe('AWS published cron examples (UTC)', () => {
  // 2026-03-02 is a Monday; 2026-03-06 a Friday.
  it('cron(0 10 * * ? *): 10:00 every day', () => {
    expect(fires('cron(0 10 * * ? *)', '2026-03-02T00:00:00Z')).toEqual([
      '2026-03-02T10:00:00Z',
      '2026-03-03T10:00:00Z',
      '2026-03-04T10:00:00Z',
    ]);
  });

  it('cron(15 12 * * ? *): 12:15 every day', () => {
    expect(fires('cron(15 12 * * ? *)', '2026-03-02T12:15:00Z', 2)).toEqual(['2026-03-02T12:15:00Z', '2026-03-03T12:15:00Z']);
  });

  it('cron(0 18 ? * MON-FRI *): 18:00 Monday to Friday', () => {
    expect(fires('cron(0 18 ? * MON-FRI *)', '2026-03-06T00:00:00Z')).toEqual([
      '2026-03-06T18:00:00Z',
      '2026-03-09T18:00:00Z',
      '2026-03-10T18:00:00Z',
    ]);
  });

  it('cron(0 8 1 * ? *): 08:00 on the first of every month', () => {
    expect(fires('cron(0 8 1 * ? *)', '2026-03-02T00:00:00Z')).toEqual([
      '2026-04-01T08:00:00Z',
      '2026-05-01T08:00:00Z',
      '2026-06-01T08:00:00Z',
    ]);
  });

  it('cron(0/15 * * * ? *): every 15 minutes', () => {
    expect(fires('cron(0/15 * * * ? *)', '2026-03-02T10:07:00Z', 4)).toEqual([
      '2026-03-02T10:15:00Z',
      '2026-03-02T10:30:00Z',
      '2026-03-02T10:45:00Z',
      '2026-03-02T11:00:00Z',
    ]);
  });

  it('cron(0/10 * ? * MON-FRI *): every 10 minutes Monday to Friday', () => {
    expect(fires('cron(0/10 * ? * MON-FRI *)', '2026-03-06T23:45:00Z')).toEqual([
      '2026-03-06T23:50:00Z',
      '2026-03-09T00:00:00Z',
      '2026-03-09T00:10:00Z',
    ]);
  });

  it('cron(0/5 8-17 ? * MON-FRI *): every 5 minutes 08:00-17:55 Monday to Friday', () => {
    expect(fires('cron(0/5 8-17 ? * MON-FRI *)', '2026-03-06T17:50:00Z', 4)).toEqual([
      '2026-03-06T17:50:00Z',
      '2026-03-06T17:55:00Z',
      '2026-03-09T08:00:00Z',
      '2026-03-09T08:05:00Z',
    ]);
  });

  it('cron(0 9 ? * 2#1 *): 09:00 on the first Monday of every month', () => {
    expect(fires('cron(0 9 ? * 2#1 *)', '2026-03-02T00:00:00Z')).toEqual([
      '2026-03-02T09:00:00Z',
      '2026-04-06T09:00:00Z',
      '2026-05-04T09:00:00Z',
    ]);
  });

  it('cron(15 10 ? * 6L 2019-2022): 10:15 on the last Friday of each month, 2019 to 2022 only', () => {
    expect(fires('cron(15 10 ? * 6L 2019-2022)', '2019-01-01T00:00:00Z', 2)).toEqual(['2019-01-25T10:15:00Z', '2019-02-22T10:15:00Z']);
    expect(fires('cron(15 10 ? * 6L 2019-2022)', '2022-12-01T00:00:00Z')).toEqual(['2022-12-30T10:15:00Z']);
    expect(fires('cron(15 10 ? * 6L 2019-2022)', '2026-01-01T00:00:00Z')).toEqual([]);
  });
});

describe('the guide: weekly report every Friday at 14:00 local', () => {
  it('cron(0 14 ? * FRI *) in Asia/Ho_Chi_Minh fires at 07:00Z on Fridays', () => {
    const schedule = parseSchedule('cron(0 14 ? * FRI *)');
    expect(schedule.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(fireTimes(schedule, { from: new Date('2026-03-02T00:00:00Z'), count: 3 })).toEqual([
      new Date('2026-03-06T07:00:00Z'),
      new Date('2026-03-13T07:00:00Z'),
      new Date('2026-03-20T07:00:00Z'),
    ]);
  });

  it('from is inclusive; nextFireTime is strictly after', () => {
    const schedule = parseSchedule('cron(0 14 ? * FRI *)');
    const friday = new Date('2026-03-06T07:00:00Z');
    expect(fireTimes(schedule, { from: friday, count: 1 })).toEqual([friday]);
    expect(nextFireTime(schedule, friday)).toEqual(new Date('2026-03-13T07:00:00Z'));
    expect(nextFireTime(schedule, new Date('2026-03-06T06:59:59Z'))).toEqual(friday);
  });
});

describe('special characters', () => {
  it('L in day-of-month: the last day of the month, leap years included', () => {
    expect(fires('cron(0 12 L * ? *)', '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-31T12:00:00Z',
      '2026-02-28T12:00:00Z',
      '2026-03-31T12:00:00Z',
      '2026-04-30T12:00:00Z',
    ]);
    expect(fires('cron(0 0 L 2 ? *)', '2027-01-01T00:00:00Z', 2)).toEqual(['2027-02-28T00:00:00Z', '2028-02-29T00:00:00Z']);
  });

  it('L in day-of-week alone: Saturday, the last day of the week', () => {
    expect(fires('cron(0 9 ? * L *)', '2026-03-02T00:00:00Z', 2)).toEqual(['2026-03-07T09:00:00Z', '2026-03-14T09:00:00Z']);
  });

  it('6L: the last Friday of the month', () => {
    expect(fires('cron(0 9 ? * 6L *)', '2026-01-01T00:00:00Z')).toEqual([
      '2026-01-30T09:00:00Z',
      '2026-02-27T09:00:00Z',
      '2026-03-27T09:00:00Z',
    ]);
    expect(fires('cron(0 9 ? * FRIL *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-30T09:00:00Z']);
  });

  it('15W: the weekday nearest the 15th', () => {
    // 15 Jan 2026 is a Thursday, 15 Feb and 15 Mar are Sundays, 15 Aug is a Saturday.
    expect(fires('cron(0 9 15W * ? *)', '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-15T09:00:00Z',
      '2026-02-16T09:00:00Z',
      '2026-03-16T09:00:00Z',
      '2026-04-15T09:00:00Z',
    ]);
    expect(fires('cron(0 9 15W 8 ? *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-08-14T09:00:00Z']);
  });

  it('nW never leaves the month', () => {
    // 1 Aug 2026 is a Saturday: the nearest weekday in August is Monday the 3rd, not Friday 31 July.
    expect(fires('cron(0 9 1W 8 ? *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-08-03T09:00:00Z']);
    // 31 May 2026 is a Sunday: Friday the 29th. April has no 31st, so it does not fire in April.
    expect(fires('cron(0 9 31W * ? *)', '2026-04-01T00:00:00Z', 2)).toEqual(['2026-05-29T09:00:00Z', '2026-07-31T09:00:00Z']);
  });

  it('LW: the last weekday of the month', () => {
    expect(fires('cron(0 9 LW * ? *)', '2026-01-01T00:00:00Z', 5)).toEqual([
      '2026-01-30T09:00:00Z', // 31 Jan is a Saturday
      '2026-02-27T09:00:00Z', // 28 Feb is a Saturday
      '2026-03-31T09:00:00Z', // a Tuesday
      '2026-04-30T09:00:00Z',
      '2026-05-29T09:00:00Z', // 31 May is a Sunday
    ]);
  });

  it('#: 3#2 is the second Tuesday (1 = SUN, so 3 = TUE); a missing fifth occurrence is skipped', () => {
    expect(fires('cron(0 9 ? * 3#2 *)', '2026-01-01T00:00:00Z')).toEqual([
      '2026-01-13T09:00:00Z',
      '2026-02-10T09:00:00Z',
      '2026-03-10T09:00:00Z',
    ]);
    expect(fires('cron(0 9 ? * TUE#2 *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-13T09:00:00Z']);
    expect(fires('cron(0 9 ? * 6#5 *)', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-30T09:00:00Z', '2026-05-29T09:00:00Z']);
  });

  it('lists, ranges, increments, names and years', () => {
    expect(fires('cron(0,30 9 ? JAN,MAR * 2026)', '2026-01-31T00:00:00Z')).toEqual([
      '2026-01-31T09:00:00Z',
      '2026-01-31T09:30:00Z',
      '2026-03-01T09:00:00Z',
    ]);
    expect(fires('cron(*/20 10 1 * ? *)', '2026-03-01T00:00:00Z')).toEqual([
      '2026-03-01T10:00:00Z',
      '2026-03-01T10:20:00Z',
      '2026-03-01T10:40:00Z',
    ]);
    expect(fires('cron(5-15/5 0 1 1 ? 2030/5)', '2026-01-01T00:00:00Z', 4)).toEqual([
      '2030-01-01T00:05:00Z',
      '2030-01-01T00:10:00Z',
      '2030-01-01T00:15:00Z',
      '2035-01-01T00:05:00Z',
    ]);
  });

  it('exposes the parsed fields', () => {
    const schedule = parseSchedule('cron(0/15 8-9 ? * MON-FRI *)', 'UTC');
    expect(schedule.kind).toBe('cron');
    if (schedule.kind !== 'cron') return;
    expect(schedule.expression).toBe('cron(0/15 8-9 ? * MON-FRI *)');
    expect(schedule.fields.minutes).toEqual([0, 15, 30, 45]);
    expect(schedule.fields.hours).toEqual([8, 9]);
    expect(schedule.fields.dayOfMonth).toEqual({ kind: 'any' });
    expect(schedule.fields.months).toHaveLength(12);
    expect(schedule.fields.dayOfWeek).toEqual({ kind: 'days', days: [2, 3, 4, 5, 6] });
    expect(schedule.fields.years[0]).toBe(1970);
    expect(schedule.fields.years.at(-1)).toBe(2199);
    expect(parseSchedule('cron(0 9 ? * 3#2 *)', 'UTC')).toMatchObject({ fields: { dayOfWeek: { kind: 'nth', day: 3, nth: 2 } } });
    expect(parseSchedule('cron(0 9 LW * ? *)', 'UTC')).toMatchObject({ fields: { dayOfMonth: { kind: 'lastWeekday' } } });
  });
});

describe('impossible and finished schedules end instead of looping', () => {
  it('30 February and 31 April never come', () => {
    const started = Date.now();
    expect(fires('cron(0 0 30 2 ? *)', '1970-01-01T00:00:00Z')).toEqual([]);
    expect(fires('cron(* * 31 4,6,9,11 ? *)', '1970-01-01T00:00:00Z', 1, 'America/New_York')).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('29 February comes only in leap years', () => {
    expect(fires('cron(0 0 29 2 ? *)', '2026-01-01T00:00:00Z', 2)).toEqual(['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z']);
  });

  it('nothing after 2199', () => {
    expect(fires('cron(0 0 1 1 ? *)', '2199-01-02T00:00:00Z')).toEqual([]);
    expect(fires('cron(0 0 1 1 ? *)', '2198-06-01T00:00:00Z')).toEqual(['2199-01-01T00:00:00Z']);
    expect(nextFireTime(parseSchedule('cron(0 0 1 1 ? 2026)', 'UTC'), new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('count 0 gives nothing', () => {
    expect(fires('cron(* * * * ? *)', '2026-01-01T00:00:00Z', 0)).toEqual([]);
  });
});

describe('time zones', () => {
  it('defaults to Asia/Ho_Chi_Minh (UTC+7): cron(0 8 * * ? *) fires at 01:00Z', () => {
    expect(DEFAULT_TIMEZONE).toBe('Asia/Ho_Chi_Minh');
    const schedule = parseSchedule('cron(0 8 * * ? *)');
    expect(schedule.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(fireTimes(schedule, { from: new Date('2026-03-02T00:00:00Z'), count: 2 })).toEqual([
      new Date('2026-03-02T01:00:00Z'),
      new Date('2026-03-03T01:00:00Z'),
    ]);
  });

  it('the local date decides the day: 06:00 Monday in Ho Chi Minh City is 23:00Z on Sunday', () => {
    expect(fires('cron(0 6 ? * MON *)', '2026-03-01T00:00:00Z', 2, 'Asia/Ho_Chi_Minh')).toEqual([
      '2026-03-01T23:00:00Z',
      '2026-03-08T23:00:00Z',
    ]);
  });

  it('America/New_York: a daily 08:00 follows the clock across the spring change', () => {
    // DST starts 2026-03-08 at 02:00 (EST -5 to EDT -4).
    expect(fires('cron(0 8 * * ? *)', '2026-03-07T00:00:00Z', 3, 'America/New_York')).toEqual([
      '2026-03-07T13:00:00Z',
      '2026-03-08T12:00:00Z',
      '2026-03-09T12:00:00Z',
    ]);
  });

  it('a cron time in the spring-forward gap is skipped that day', () => {
    expect(fires('cron(30 2 * * ? *)', '2026-03-07T00:00:00Z', 3, 'America/New_York')).toEqual([
      '2026-03-07T07:30:00Z',
      '2026-03-09T06:30:00Z',
      '2026-03-10T06:30:00Z',
    ]);
  });

  it('a cron time repeated by the fall-back change fires once, at its first occurrence', () => {
    // DST ends 2026-11-01 at 02:00 EDT, back to 01:00 EST: 01:00-01:59 happens twice.
    expect(fires('cron(30 1 * * ? *)', '2026-10-31T00:00:00Z', 3, 'America/New_York')).toEqual([
      '2026-10-31T05:30:00Z',
      '2026-11-01T05:30:00Z',
      '2026-11-02T06:30:00Z',
    ]);
    expect(fires('cron(0/30 1 * * ? *)', '2026-11-01T00:00:00Z', 4, 'America/New_York')).toEqual([
      '2026-11-01T05:00:00Z',
      '2026-11-01T05:30:00Z',
      '2026-11-02T06:00:00Z',
      '2026-11-02T06:30:00Z',
    ]);
  });

  it('a search that starts inside the repeated hour does not go back in time', () => {
    // 06:10Z is 01:10 EST, the second 01:10 of the night.
    expect(fires('cron(0/20 * * * ? *)', '2026-11-01T06:10:00Z', 3, 'America/New_York')).toEqual([
      '2026-11-01T07:00:00Z',
      '2026-11-01T07:20:00Z',
      '2026-11-01T07:40:00Z',
    ]);
  });

  it('wall-clock helpers', () => {
    expect(wallClockAt('Asia/Ho_Chi_Minh', new Date('2026-03-01T23:30:15Z'))).toEqual({
      year: 2026,
      month: 3,
      day: 2,
      hour: 6,
      minute: 30,
      second: 15,
    });
    const wall = { year: 2026, month: 3, day: 8, hour: 12, minute: 0, second: 0 };
    expect(zonedTimeToUtc('America/New_York', wall)).toEqual(new Date('2026-03-08T16:00:00Z'));
  });
});

describe('at()', () => {
  it('is evaluated in its time zone and fires once', () => {
    const schedule = parseSchedule('at(2026-03-06T14:00:00)');
    expect(schedule).toEqual({
      kind: 'at',
      expression: 'at(2026-03-06T14:00:00)',
      at: { year: 2026, month: 3, day: 6, hour: 14, minute: 0, second: 0 },
      timezone: 'Asia/Ho_Chi_Minh',
    });
    expect(isRecurring(schedule)).toBe(false);
    expect(fireTimes(schedule, { from: new Date('2026-01-01T00:00:00Z'), count: 5 })).toEqual([new Date('2026-03-06T07:00:00Z')]);
    expect(fireTimes(schedule, { from: new Date('2026-03-06T07:00:00Z'), count: 5 })).toEqual([new Date('2026-03-06T07:00:00Z')]);
    expect(fireTimes(schedule, { from: new Date('2026-03-06T07:00:01Z'), count: 5 })).toEqual([]);
    expect(nextFireTime(schedule, new Date('2026-03-06T07:00:00Z'))).toBeUndefined();
    expect(fires('at(2026-03-06T14:00:00)', '2026-01-01T00:00:00Z', 1, 'UTC')).toEqual(['2026-03-06T14:00:00Z']);
  });

  it('accepts 29 February in a leap year', () => {
    expect(fires('at(2028-02-29T10:00:00)', '2026-01-01T00:00:00Z', 1, 'UTC')).toEqual(['2028-02-29T10:00:00Z']);
  });

  it('in a DST gap moves forward by the gap; in a repeated hour takes the first occurrence', () => {
    expect(fires('at(2026-03-08T02:30:00)', '2026-01-01T00:00:00Z', 1, 'America/New_York')).toEqual(['2026-03-08T07:30:00Z']);
    expect(fires('at(2026-11-01T01:30:00)', '2026-01-01T00:00:00Z', 1, 'America/New_York')).toEqual(['2026-11-01T05:30:00Z']);
  });
});

describe('rate()', () => {
  it('fires at start, start + n, ... and ignores the time zone', () => {
    expect(fires('rate(5 minutes)', '2026-03-02T10:13:00Z', 3, 'Asia/Ho_Chi_Minh', '2026-03-02T10:02:00Z')).toEqual([
      '2026-03-02T10:17:00Z',
      '2026-03-02T10:22:00Z',
      '2026-03-02T10:27:00Z',
    ]);
    expect(fires('rate(2 hours)', '2026-03-02T00:00:00Z', 2, 'UTC', '2026-03-05T09:30:00Z')).toEqual([
      '2026-03-05T09:30:00Z',
      '2026-03-05T11:30:00Z',
    ]);
  });

  it('starts at `from` without a start, as EventBridge starts at once without a StartDate', () => {
    expect(fires('rate(1 hour)', '2026-03-02T10:13:00Z', 2)).toEqual(['2026-03-02T10:13:00Z', '2026-03-02T11:13:00Z']);
  });

  it('a day is 24 hours, even across a DST change', () => {
    expect(fires('rate(1 day)', '2026-03-07T13:00:00Z', 3, 'America/New_York')).toEqual([
      '2026-03-07T13:00:00Z',
      '2026-03-08T13:00:00Z',
      '2026-03-09T13:00:00Z',
    ]);
  });

  it('nextFireTime is anchored at start, or at `after` when there is none', () => {
    const schedule = parseSchedule('rate(15 minutes)', 'UTC');
    expect(isRecurring(schedule)).toBe(true);
    expect(schedule).toMatchObject({ kind: 'rate', value: 15, unit: 'minutes' });
    expect(nextFireTime(schedule, new Date('2026-03-02T10:00:00Z'))).toEqual(new Date('2026-03-02T10:15:00Z'));
    expect(nextFireTime(schedule, new Date('2026-03-02T10:20:00Z'), new Date('2026-03-02T10:05:00Z'))).toEqual(
      new Date('2026-03-02T10:35:00Z'),
    );
    expect(nextFireTime(schedule, new Date('2026-03-02T10:35:00Z'), new Date('2026-03-02T10:05:00Z'))).toEqual(
      new Date('2026-03-02T10:50:00Z'),
    );
  });

  it('accepts singular with 1 and plural otherwise', () => {
    for (const e of ['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)']) {
      expect(parseSchedule(e).kind).toBe('rate');
    }
    expect(parseSchedule('rate(1 day)')).toMatchObject({ value: 1, unit: 'days' });
  });
});

describe('invalid expressions say why', () => {
  const cases: Array<[string, string]> = [
    ['every friday', 'must be at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)'],
    ['CRON(0 10 * * ? *)', 'must be at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)'],
    [' cron(0 10 * * ? *)', 'must be at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)'],
    ['', 'must be at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)'],
    // cron
    ['cron(0 10 * * ?)', 'cron needs 6 fields, got 5'],
    ['cron(0 0 10 * * ? *)', 'cron needs 6 fields, got 7'],
    ['cron()', 'cron needs 6 fields, got 0'],
    ['cron(0  10 * * ? *)', 'cron fields must be separated by single spaces'],
    ['cron(0 10 * * MON *)', 'day-of-month and day-of-week cannot both be specified: one must be ?'],
    ['cron(0 10 * * * *)', 'day-of-month and day-of-week cannot both be specified: one must be ?'],
    ['cron(0 10 ? * ? *)', 'day-of-month and day-of-week cannot both be ?'],
    ['cron(61 10 * * ? *)', 'minute 61 is out of range 0-59'],
    ['cron(0 24 * * ? *)', 'hour 24 is out of range 0-23'],
    ['cron(0 10 0 * ? *)', 'day-of-month 0 is out of range 1-31'],
    ['cron(0 10 32 * ? *)', 'day-of-month 32 is out of range 1-31'],
    ['cron(0 10 * 13 ? *)', 'month 13 is out of range 1-12'],
    ['cron(0 10 * FOO ? *)', 'month value "FOO" is not valid (1-12 or JAN-DEC)'],
    ['cron(0 10 ? * 0 *)', 'day-of-week 0 is out of range 1-7 (1=SUN ... 7=SAT)'],
    ['cron(0 10 ? * 8 *)', 'day-of-week 8 is out of range 1-7'],
    ['cron(0 10 ? * mon *)', 'day-of-week "mon" must be written in upper case: MON'],
    ['cron(0 10 * * ? 2200)', 'year 2200 is out of range 1970-2199'],
    ['cron(0 10 * * ? 1969)', 'year 1969 is out of range 1970-2199'],
    ['cron(? 10 * * ? *)', '? is only allowed in day-of-month or day-of-week, not in minute'],
    ['cron(0/0 * * * ? *)', 'minute increment 0 is out of range 1-59'],
    ['cron(0/60 * * * ? *)', 'minute increment 60 is out of range 1-59'],
    ['cron(0 10 ? * MON/2 *)', 'day-of-week does not allow increments (/)'],
    ['cron(0 22-2 * * ? *)', 'hour range "22-2" goes backwards'],
    ['cron(0 10 ? * FRI-MON *)', 'day-of-week range "FRI-MON" goes backwards'],
    ['cron(0,,5 10 * * ? *)', 'minute "0,,5" has an empty value in its list'],
    ['cron(0 10 L,15 * ? *)', 'L, LW and nW (e.g. 15W) must stand alone'],
    ['cron(0 10 1-5W * ? *)', 'L, LW and nW (e.g. 15W) must stand alone'],
    ['cron(0 10 32W * ? *)', 'day-of-month 32 is out of range 1-31'],
    ['cron(0 10 ? * 2,6L *)', 'L and nL (e.g. 6L) must stand alone'],
    ['cron(0 10 ? * 2#1,3#2 *)', '# allows only one expression in the field'],
    ['cron(0 10 ? * 2#6 *)', 'the number after # must be 1-5'],
    ['cron(0 10 ? * 8#1 *)', 'day-of-week 8 is out of range 1-7'],
    ['cron(0 10 W * ? *)', 'must stand alone'],
    ['cron(0 10 15 * L *)', 'day-of-month and day-of-week cannot both be specified: one must be ?'],
    // rate
    ['rate(5 weeks)', 'rate unit must be minute(s), hour(s) or day(s)'],
    ['rate(5 Minutes)', 'rate unit must be minute(s), hour(s) or day(s)'],
    ['rate(1 minutes)', "rate(1 minutes) must use the singular 'minute'"],
    ['rate(1 hours)', "rate(1 hours) must use the singular 'hour'"],
    ['rate(5 minute)', "rate(5 minute) must use the plural 'minutes'"],
    ['rate(2 day)', "rate(2 day) must use the plural 'days'"],
    ['rate(0 minutes)', 'rate value "0" must be a positive whole number'],
    ['rate(-5 minutes)', 'rate value "-5" must be a positive whole number'],
    ['rate(1.5 hours)', 'rate value "1.5" must be a positive whole number'],
    ['rate(05 minutes)', 'rate value "05" must be a positive whole number'],
    ['rate(5minutes)', 'needs a value and a unit separated by one space'],
    ['rate(5  minutes)', 'needs a value and a unit separated by one space'],
    // at
    ['at(2026-03-06 14:00:00)', 'at() needs yyyy-mm-ddThh:mm:ss'],
    ['at(2026-03-06T14:00)', 'at() needs yyyy-mm-ddThh:mm:ss'],
    ['at(2026-3-6T14:00:00)', 'at() needs yyyy-mm-ddThh:mm:ss'],
    ['at(2026-03-06T14:00:00Z)', 'at() needs yyyy-mm-ddThh:mm:ss'],
    ['at(2026-02-30T10:00:00)', '2026-02-30 is not a valid date: day 30 is out of range 1-28'],
    ['at(2027-02-29T10:00:00)', '2027-02-29 is not a valid date'],
    ['at(2026-04-31T10:00:00)', '2026-04-31 is not a valid date'],
    ['at(2026-13-01T10:00:00)', '2026-13-01 is not a valid date: month 13 is out of range 1-12'],
    ['at(2026-03-00T10:00:00)', '2026-03-00 is not a valid date'],
    ['at(2026-03-06T24:00:00)', 'hour 24 is out of range 0-23'],
    ['at(2026-03-06T14:60:00)', 'minute 60 is out of range 0-59'],
    ['at(2026-03-06T14:00:60)', 'second 60 is out of range 0-59'],
  ];

  it.each(cases)('%s', (expression, reason) => {
    const problem = reasonOf(expression);
    expect(problem.field).toBe('schedule');
    expect(problem.message).toContain(reason);
  });

  it('the error message names the field', () => {
    expect(() => parseSchedule('cron(61 10 * * ? *)')).toThrow('schedule: minute 61 is out of range 0-59');
  });

  it.each(['Mars/Olympus', '+07:00', 'asia/ho_chi_minh', 'UTC+7', '', 'Asia/Ho_Chi_Minh '])('unknown time zone %j', (tz) => {
    const problem = reasonOf('cron(0 8 * * ? *)', tz);
    expect(problem.field).toBe('timezone');
    expect(problem.message).toContain('unknown time zone');
  });

  it('accepts IANA names, aliases included', () => {
    for (const tz of ['UTC', 'Asia/Ho_Chi_Minh', 'Asia/Saigon', 'America/New_York', 'Europe/London', 'Etc/UTC']) {
      expect(parseSchedule('rate(1 hour)', tz).timezone).toBe(tz);
    }
  });
});
