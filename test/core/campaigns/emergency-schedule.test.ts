import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/core/errors.js';
import { firesMoreThanHourly, parseSchedule } from '../../../lambdas/core/schedules/schedule-expression.js';
import { openSqliteDeps, type SqliteDeps } from '../../sqlite-deps.js';
import { aCampaignToDni } from './campaign-fixture.js';

const template = { body: 'Canh bao lu', placeholders: [] };

describe('a recurring emergency campaign fires at most once an hour', () => {
  let sqlite: SqliteDeps;
  beforeEach(async () => {
    const now = new Date('2026-11-28T03:00:00Z');
    sqlite = openSqliteDeps({ clock: { now: () => now } });
    await sqlite.stores.audience.putAreas([{ code: 'DNI', name: 'Đồng Nai', path: 'DNI' }]);
  });
  afterEach(() => sqlite.close());

  it.each(['rate(59 minutes)', 'rate(1 minute)', 'cron(0,30 * * * ? *)', 'cron(*/5 6-18 * * ? *)'])(
    'refuses an emergency every %s, naming the schedule',
    async (expression) => {
      const refused = await aCampaignToDni(sqlite.deps, template, { priority: 'emergency', schedule: { expression } }).catch((e) => e);

      expect(refused).toBeInstanceOf(ValidationError);
      expect(refused.problems).toEqual([{ field: 'schedule.expression', message: expect.stringMatching(/at most once an hour/) }]);
    },
  );

  it.each(['rate(1 hour)', 'rate(90 minutes)', 'cron(0 * * * ? *)', 'cron(15 7,8 ? * MON *)', 'at(2026-12-01T07:00:00)'])(
    'accepts an emergency %s',
    async (expression) => {
      const created = await aCampaignToDni(sqlite.deps, template, { priority: 'emergency', schedule: { expression } });

      expect(created.schedule?.expression).toBe(expression);
    },
  );

  it('leaves normal campaigns to their caps and quiet hours: every 5 minutes is accepted', async () => {
    const created = await aCampaignToDni(sqlite.deps, template, { schedule: { expression: 'rate(5 minutes)' } });

    expect(created.priority).toBe('normal');
  });
});

describe('firesMoreThanHourly', () => {
  it('reads the period of rates and the minutes of crons', () => {
    expect(firesMoreThanHourly(parseSchedule('rate(60 minutes)'))).toBe(false);
    expect(firesMoreThanHourly(parseSchedule('rate(59 minutes)'))).toBe(true);
    expect(firesMoreThanHourly(parseSchedule('cron(0 * * * ? *)'))).toBe(false);
    expect(firesMoreThanHourly(parseSchedule('cron(0,59 8 * * ? *)'))).toBe(true);
    expect(firesMoreThanHourly(parseSchedule('at(2026-12-01T07:00:00)'))).toBe(false);
  });
});
