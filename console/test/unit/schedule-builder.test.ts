import { describe, expect, it } from 'vitest';
import { defaultOnce, expressionFor, previewSchedule } from '../../src/pages/campaigns/schedule-builder.js';

const ZONE = 'Asia/Ho_Chi_Minh';
/** Thursday 5 March 2026, 09:10 in Hà Nội. */
const NOW = new Date('2026-03-05T02:10:00Z');

function preview(expression: string) {
  return previewSchedule(expression, ZONE, NOW);
}

describe('the schedule builder', () => {
  it('turns "once at" a date and time into an at() expression on the local wall clock', () => {
    expect(expressionFor({ kind: 'once', date: '2026-03-06', time: '14:30' })).toBe('at(2026-03-06T14:30:00)');
  });

  it('writes every N units as rate(), singular for one as EventBridge demands', () => {
    expect(expressionFor({ kind: 'every', value: '15', unit: 'minutes' })).toBe('rate(15 minutes)');
    expect(expressionFor({ kind: 'every', value: '1', unit: 'hours' })).toBe('rate(1 hour)');
    expect(expressionFor({ kind: 'every', value: ' 2 ', unit: 'days' })).toBe('rate(2 days)');
  });

  it('writes a weekly choice as a cron() with ? for the day of the month, days in week order', () => {
    expect(expressionFor({ kind: 'weekly', days: ['FRI', 'MON', 'WED'], time: '07:05' })).toBe('cron(5 7 ? * MON,WED,FRI *)');
  });

  it('has no expression when the campaign sends on approval, and passes a typed one through trimmed', () => {
    expect(expressionFor({ kind: 'none' })).toBeUndefined();
    expect(expressionFor({ kind: 'expression', expression: '  cron(0 8 * * ? *) ' })).toBe('cron(0 8 * * ? *)');
  });

  it('defaults "once at" to the next whole hour on the deployment wall clock', () => {
    expect(defaultOnce(NOW, ZONE)).toEqual({ date: '2026-03-05', time: '10:00' });
    expect(defaultOnce(new Date('2026-03-05T16:30:00Z'), ZONE)).toEqual({ date: '2026-03-06', time: '00:00' });
  });
});

describe('the schedule preview', () => {
  it('gives the next five fire times of a weekly cron in the deployment time zone', () => {
    const result = preview('cron(0 8 ? * MON,FRI *)');
    expect(result.ok && result.fireTimes.map((time) => time.toISOString())).toEqual([
      '2026-03-06T01:00:00.000Z',
      '2026-03-09T01:00:00.000Z',
      '2026-03-13T01:00:00.000Z',
      '2026-03-16T01:00:00.000Z',
      '2026-03-20T01:00:00.000Z',
    ]);
  });

  it('counts a rate from now, as the server does from the approval', () => {
    const result = preview('rate(30 minutes)');
    expect(result.ok && result.fireTimes.map((time) => time.toISOString()).slice(0, 2)).toEqual([
      '2026-03-05T02:10:00.000Z',
      '2026-03-05T02:40:00.000Z',
    ]);
  });

  it('counts an approved rate from its next fire, not from now', () => {
    const result = previewSchedule('rate(1 hour)', ZONE, NOW, 2, new Date('2026-03-05T02:45:00Z'));
    expect(result.ok && result.fireTimes.map((time) => time.toISOString())).toEqual([
      '2026-03-05T02:45:00.000Z',
      '2026-03-05T03:45:00.000Z',
    ]);
  });

  it('says a one-time schedule in the past has passed, and a cron that never fires never fires', () => {
    expect(preview('at(2026-03-05T09:00:00)')).toMatchObject({ ok: false, problem: { key: 'past' } });
    expect(preview('cron(0 8 30 2 ? *)')).toMatchObject({ ok: false, problem: { key: 'never' } });
  });

  it.each([
    ['', 'empty', {}],
    ['every day at 8', 'kind', {}],
    ['at(2026-3-6T14:00:00)', 'atFormat', {}],
    ['at(2026-02-30T08:00:00)', 'atDate', { date: '2026-02-30' }],
    ['at(2026-03-06T25:00:00)', 'atTime', { value: '25' }],
    ['rate(5minutes)', 'rateFormat', {}],
    ['rate(0 minutes)', 'rateValue', { value: '0' }],
    ['rate(5 weeks)', 'rateUnit', { unit: 'weeks' }],
    ['rate(1 minutes)', 'rateSingular', { unit: 'minute' }],
    ['rate(5 minute)', 'ratePlural', { unit: 'minutes' }],
    ['cron(0 8 * * *)', 'cronFieldCount', { count: '5' }],
    ['cron(0 8 ? * ? *)', 'cronBothAny', {}],
    ['cron(0 8 * * MON *)', 'cronNeitherAny', {}],
    ['cron(0 24 * * ? *)', 'cronRange', { field: 'hour', value: '24', range: '0-23' }],
    ['cron(0 8 ? * mon *)', 'cronUpperCase', { field: 'dayOfWeek', value: 'mon', upper: 'MON' }],
    ['cron(0 8 ? * MONDAY *)', 'cronValue', { field: 'dayOfWeek', value: 'MONDAY' }],
    ['cron(0 8 ? JAN-XX * *)', 'cronValue', { field: 'month', value: 'XX' }],
    ['cron(0 18-8 * * ? *)', 'cronBackwards', { field: 'hour', value: '18-8' }],
  ])('explains %j as %s', (expression, key, values) => {
    const result = preview(expression);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.key).toBe(key);
    expect(result.problem.values).toEqual(values);
  });

  it("says an unforeseen mistake with the parser's own reason", () => {
    const result = preview('cron(0 8 ? * 3#9 *)');
    expect(result).toMatchObject({ ok: false, problem: { key: 'other' } });
    if (!result.ok) expect(result.problem.values.reason).toContain('the number after # must be 1-5');
  });

  it('refuses an unknown time zone in words', () => {
    expect(previewSchedule('rate(1 hour)', 'Asia/Hanoi_City', NOW)).toMatchObject({
      ok: false,
      problem: { key: 'timezone', values: { zone: 'Asia/Hanoi_City' } },
    });
  });
});
