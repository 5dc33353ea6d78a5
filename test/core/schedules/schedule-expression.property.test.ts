import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/core/errors.js';
import { parseSchedule, searchFireTimes } from '../../../lambdas/core/schedules/schedule-expression.js';
import { wallClockAt } from '../../../lambdas/core/time/local-time.js';

const RUNS = { numRuns: 200 };
const ZONES = ['UTC', 'Asia/Ho_Chi_Minh', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A field as text and, worked out here rather than by the parser, the values it selects. */
interface Field {
  text: string;
  values: Set<number>;
}

function stepping(low: number, high: number, step: number): number[] {
  const values: number[] = [];
  for (let v = low; v <= high; v += step) values.push(v);
  return values;
}

/** One list item of a field: a value, a range, an increment, or `*` with an increment. */
function item(min: number, max: number, names?: string[]): fc.Arbitrary<Field> {
  const value = fc.integer({ min, max });
  const written = (v: number, byName: boolean) => (names && byName ? (names[v - min] as string) : String(v));
  const steps = fc.integer({ min: 1, max: Math.min(max - min + 1, 12) });
  return fc.oneof(
    fc.tuple(value, fc.boolean()).map(([v, byName]) => ({ text: written(v, byName), values: new Set([v]) })),
    fc.tuple(value, value, fc.boolean()).map(([a, b, byName]) => {
      const [low, high] = a <= b ? [a, b] : [b, a];
      return { text: `${written(low, byName)}-${written(high, byName)}`, values: new Set(stepping(low, high, 1)) };
    }),
    ...(names && min === 1 && max === 7
      ? [] // day-of-week takes no increments
      : [
          fc.tuple(value, steps).map(([v, s]) => ({ text: `${v}/${s}`, values: new Set(stepping(v, max, s)) })),
          steps.map((s) => ({ text: `*/${s}`, values: new Set(stepping(min, max, s)) })),
        ]),
  );
}

function field(min: number, max: number, names?: string[]): fc.Arbitrary<Field> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({ text: '*', values: new Set(stepping(min, max, 1)) }) },
    {
      weight: 3,
      arbitrary: fc.array(item(min, max, names), { minLength: 1, maxLength: 3 }).map((items) => ({
        text: items.map((one) => one.text).join(','),
        values: new Set(items.flatMap((one) => [...one.values])),
      })),
    },
  );
}

type DayRule =
  | { kind: 'any' }
  | { kind: 'set'; values: Set<number> }
  | { kind: 'last' }
  | { kind: 'lastWeekday' }
  | { kind: 'nearestWeekday'; day: number }
  | { kind: 'lastOf'; weekday: number }
  | { kind: 'nth'; weekday: number; nth: number };

const dayOfMonth: fc.Arbitrary<{ text: string; rule: DayRule }> = fc.oneof(
  { weight: 4, arbitrary: field(1, 31).map(({ text, values }) => ({ text, rule: { kind: 'set' as const, values } })) },
  { weight: 1, arbitrary: fc.constant({ text: 'L', rule: { kind: 'last' as const } }) },
  { weight: 1, arbitrary: fc.constant({ text: 'LW', rule: { kind: 'lastWeekday' as const } }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 31 }).map((day) => ({ text: `${day}W`, rule: { kind: 'nearestWeekday' as const, day } })),
  },
);
const dayOfWeek: fc.Arbitrary<{ text: string; rule: DayRule }> = fc.oneof(
  { weight: 4, arbitrary: field(1, 7, DAYS).map(({ text, values }) => ({ text, rule: { kind: 'set' as const, values } })) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 7 }).map((weekday) => ({ text: `${weekday}L`, rule: { kind: 'lastOf' as const, weekday } })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 }))
      .map(([weekday, nth]) => ({ text: `${weekday}#${nth}`, rule: { kind: 'nth' as const, weekday, nth } })),
  },
);
const years = fc.oneof(
  fc.constant({ text: '*', values: new Set(stepping(1970, 2199, 1)) }),
  fc
    .integer({ min: 2026, max: 2060 })
    .chain((low) =>
      fc.integer({ min: low, max: 2199 }).map((high) => ({ text: `${low}-${high}`, values: new Set(stepping(low, high, 1)) })),
    ),
);

const cron = fc
  .record({
    minutes: field(0, 59),
    hours: field(0, 23),
    months: field(1, 12, MONTHS),
    years,
    days: fc.oneof(
      dayOfMonth.map((dom) => ({ dom, dow: { text: '?', rule: { kind: 'any' as const } } })),
      dayOfWeek.map((dow) => ({ dom: { text: '?', rule: { kind: 'any' as const } }, dow })),
    ),
  })
  .map((fields) => ({
    ...fields,
    expression: `cron(${[fields.minutes, fields.hours, fields.days.dom, fields.months, fields.days.dow, fields.years]
      .map((one) => one.text)
      .join(' ')})`,
  }));

const zone = fc.constantFrom(...ZONES);
const from = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true });

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
/** 1 = Sunday ... 7 = Saturday, as in cron. */
function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}
const isWeekday = (weekday: number) => weekday >= 2 && weekday <= 6;

/** Whether a day fits one of the special forms (L, LW, nW, nL, d#n), checked from the calendar. */
function dayMatches(rule: Exclude<DayRule, { kind: 'set' }>, year: number, month: number, day: number): boolean {
  const last = daysIn(year, month);
  const weekday = weekdayOf(year, month, day);
  switch (rule.kind) {
    case 'any':
      return true;
    case 'last':
      return day === last;
    case 'lastWeekday':
      return isWeekday(weekday) && stepping(day + 1, last, 1).every((later) => !isWeekday(weekdayOf(year, month, later)));
    case 'nearestWeekday':
      return isWeekday(weekday) && Math.abs(day - Math.min(rule.day, last)) <= 2 && rule.day <= last;
    case 'lastOf':
      return weekday === rule.weekday && day + 7 > last;
    case 'nth':
      return weekday === rule.weekday && Math.ceil(day / 7) === rule.nth;
  }
}

describe('the schedule parser and its fire times, for generated expressions', () => {
  it('parses any valid cron; its next fire times are increasing, not before `from`, and match every field', () => {
    fc.assert(
      fc.property(cron, zone, from, (generated, timezone, start) => {
        const schedule = parseSchedule(generated.expression, timezone);
        const { fireTimes } = searchFireTimes(schedule, { from: start, count: 4 });

        fireTimes.forEach((time, index) => {
          expect(time.getTime()).toBeGreaterThanOrEqual(index === 0 ? start.getTime() : (fireTimes[index - 1] as Date).getTime() + 1);
          const wall = wallClockAt(timezone, time);
          expect(generated.minutes.values.has(wall.minute), `minute of ${time.toISOString()}`).toBe(true);
          expect(generated.hours.values.has(wall.hour), `hour of ${time.toISOString()}`).toBe(true);
          expect(generated.months.values.has(wall.month), `month of ${time.toISOString()}`).toBe(true);
          expect(generated.years.values.has(wall.year), `year of ${time.toISOString()}`).toBe(true);
          const { dom, dow } = generated.days;
          if (dom.rule.kind === 'set') expect(dom.rule.values.has(wall.day), `day of ${time.toISOString()}`).toBe(true);
          else expect(dayMatches(dom.rule, wall.year, wall.month, wall.day), `day of ${time.toISOString()}`).toBe(true);
          if (dow.rule.kind === 'set') expect(dow.rule.values.has(weekdayOf(wall.year, wall.month, wall.day))).toBe(true);
          else expect(dayMatches(dow.rule, wall.year, wall.month, wall.day), `weekday of ${time.toISOString()}`).toBe(true);
          expect(wall.second).toBe(0);
        });
      }),
      RUNS,
    );
  });

  it('parses any valid rate; its fire times are one interval apart from the start', () => {
    const units = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom('minute', 'hour', 'day' as const), from, (value, unit, start) => {
        const schedule = parseSchedule(`rate(${value} ${unit}${value === 1 ? '' : 's'})`);
        const { fireTimes } = searchFireTimes(schedule, { from: start, count: 3, start });

        expect(fireTimes.map((time) => time.getTime() - start.getTime())).toEqual([0, 1, 2].map((k) => k * value * units[unit]));
      }),
      RUNS,
    );
  });

  it('refuses a broken expression with a ValidationError giving a reason, and never throws anything else', () => {
    const tokens = fc.constantFrom(
      '60',
      '24',
      '0',
      '32',
      '13',
      '8',
      '1969',
      '2200',
      'L',
      'W',
      '#',
      '5-3',
      '*/0',
      '1/99',
      'jan',
      '',
      '?',
      'x',
      '1,,2',
      '3#6',
    );
    const broken = fc.oneof(
      fc.tuple(cron, fc.nat({ max: 5 }), tokens).map(([generated, at, token]) => {
        const fields = generated.expression.slice(5, -1).split(' ');
        fields[at] = token;
        return `cron(${fields.join(' ')})`;
      }),
      fc.string({ maxLength: 40 }).map((body) => `cron(${body})`),
      fc.string({ maxLength: 20 }).map((body) => `rate(${body})`),
      fc.string({ maxLength: 25 }).map((body) => `at(${body})`),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(broken, zone, (expression, timezone) => {
        let schedule: ReturnType<typeof parseSchedule> | undefined;
        try {
          schedule = parseSchedule(expression, timezone);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          const { problems } = error as ValidationError;
          expect(problems.length).toBeGreaterThan(0);
          for (const problem of problems) {
            expect(['schedule', 'timezone']).toContain(problem.field);
            expect(problem.message.length).toBeGreaterThan(5);
          }
        }
        if (schedule) expect(() => searchFireTimes(schedule, { from: new Date('2026-06-01T00:00:00Z'), count: 2 })).not.toThrow();
      }),
      RUNS,
    );
  });
});
