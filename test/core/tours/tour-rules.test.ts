import { describe, expect, it } from 'vitest';
import type { Area } from '../../../lambdas/core/model.js';
import type { Tour } from '../../../lambdas/core/tours/tour-model.js';
import { checkTour, DEFAULT_TOUR_RULES, planRun, tourStarts, type TourRulesConfig } from '../../../lambdas/core/tours/tour-rules.js';
import { approvedTour, HCM, stop } from './tour-fixture.js';

/** 07:00 on Sunday 1 November 2026 in Ho Chi Minh City (UTC+7). */
const NOW = new Date('2026-11-01T00:00:00Z');

/** A one-time schedule at a local time in Ho Chi Minh City, `yyyy-mm-ddThh:mm`. */
const at = (local: string) => ({ expression: `at(${local}:00)`, timezone: HCM });
/** Every day at hh:mm in Ho Chi Minh City. */
const daily = (hour: number, minute = 0) => ({ expression: `cron(${minute} ${hour} * * ? *)`, timezone: HCM });

const tour = approvedTour;

const AREAS = new Map<string, Area>([
  ['A1', { code: 'A1', name: 'Ấp 1', path: 'P/A1' }],
  ['A2', { code: 'A2', name: 'Ấp 2', path: 'P/A2' }],
  ['Q1', { code: 'Q1', name: 'Bệnh viện đa khoa', path: 'P/Q1', quiet: true }],
]);

function check(
  candidate: Tour,
  others: Tour[] = [],
  options: { config?: Partial<TourRulesConfig>; now?: Date; readingSecondsPerStop?: number } = {},
) {
  return checkTour(candidate, {
    others,
    areas: AREAS,
    now: options.now ?? NOW,
    config: { ...DEFAULT_TOUR_RULES, ...options.config },
    ...(options.readingSecondsPerStop === undefined ? {} : { readingSecondsPerStop: options.readingSecondsPerStop }),
  });
}

const rulesBroken = (candidate: Tour, others: Tour[] = [], options: Parameters<typeof check>[2] = {}) =>
  check(candidate, others, options).problems.map((problem) => problem.rule);

describe('planRun', () => {
  it('starts each stop after the previous one plus the travel between areas', () => {
    const run = planRun([stop('A1', 30), stop('A2', 20)], new Date('2026-11-30T00:00:00Z'), 15);
    expect(run).toEqual({
      startsAt: '2026-11-30T00:00:00.000Z',
      endsAt: '2026-11-30T01:05:00.000Z',
      stops: [
        { areaCode: 'A1', minutes: 30, startsAt: '2026-11-30T00:00:00.000Z', endsAt: '2026-11-30T00:30:00.000Z' },
        { areaCode: 'A2', minutes: 20, startsAt: '2026-11-30T00:45:00.000Z', endsAt: '2026-11-30T01:05:00.000Z' },
      ],
    });
  });
});

describe('tourStarts', () => {
  const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

  it('gives a one-time tour its start in the schedule time zone, if inside the window', () => {
    const oneTime = tour('t', { schedule: at('2026-11-30T07:00') });
    expect(iso(tourStarts(oneTime, NOW, new Date('2026-12-01T00:00:00Z')))).toEqual(['2026-11-30T00:00:00.000Z']);
    expect(tourStarts(oneTime, NOW, new Date('2026-11-30T00:00:00Z'))).toEqual([]);
  });

  it('counts a rate() tour from its approval, or from its creation while undecided', () => {
    const every2Days = { expression: 'rate(2 days)', timezone: HCM };
    const from = new Date('2026-11-02T00:00:00Z');
    const to = new Date('2026-11-08T00:00:00Z');
    const approved = tour('t', { schedule: every2Days, decidedAt: '2026-11-01T01:00:00.000Z' });
    expect(iso(tourStarts(approved, from, to))).toEqual([
      '2026-11-03T01:00:00.000Z',
      '2026-11-05T01:00:00.000Z',
      '2026-11-07T01:00:00.000Z',
    ]);
    const undecided = tour('t', { schedule: every2Days, createdAt: '2026-11-02T05:00:00.000Z' });
    expect(iso(tourStarts(undecided, from, to))).toEqual([
      '2026-11-02T05:00:00.000Z',
      '2026-11-04T05:00:00.000Z',
      '2026-11-06T05:00:00.000Z',
    ]);
  });

  it('expands a cron() tour over the whole window however many starts it has', () => {
    const hourly = tour('t', { schedule: { expression: 'cron(0 * * * ? *)', timezone: HCM } });
    const starts = tourStarts(hourly, NOW, new Date('2026-11-11T00:00:00Z'));
    expect(starts).toHaveLength(240);
    expect(starts[239]?.toISOString()).toBe('2026-11-10T23:00:00.000Z');
  });
});

describe('van_busy', () => {
  // The other tour runs 07:00-08:00 on 30 November.
  const other = tour('other', { name: 'Morning round', schedule: at('2026-11-30T07:00') });

  it('lets the next tour of the van start once the travel time has passed', () => {
    expect(check(tour('c', { schedule: at('2026-11-30T08:15') }), [other]).problems).toEqual([]);
  });

  it('refuses a tour starting before the travel time has passed, even right as the other ends', () => {
    const backToBack = check(tour('c', { schedule: at('2026-11-30T08:00') }), [other]).problems;
    expect(backToBack).toEqual([
      {
        rule: 'van_busy',
        kind: 'conflict',
        field: 'schedule',
        message:
          'van van-1 is on tour other "Morning round" 2026-11-30 07:00-08:00 (Asia/Ho_Chi_Minh), too close to this ' +
          "tour's run 2026-11-30 08:00-09:00 (Asia/Ho_Chi_Minh): runs of one van need at least 15 minutes between them",
      },
    ]);
    expect(rulesBroken(tour('c', { schedule: at('2026-11-30T08:14') }), [other])).toEqual(['van_busy']);
  });

  it('refuses a tour that would end too close to the start of the other', () => {
    const later = tour('later', { schedule: at('2026-11-30T09:00') });
    const halfHour = (start: string) => tour('c', { schedule: at(start), stops: [stop('A1', 30)] });
    expect(rulesBroken(halfHour('2026-11-30T08:16'), [later])).toEqual(['van_busy']);
    expect(rulesBroken(halfHour('2026-11-30T08:15'), [later])).toEqual([]);
  });

  it('ignores tours of other vans', () => {
    const otherVan = tour('other', { vanId: 'van-2' });
    expect(rulesBroken(tour('c', { schedule: at('2026-11-30T07:30') }), [otherVan])).toEqual([]);
  });

  it('ignores the candidate itself among the others', () => {
    const candidate = tour('c', { schedule: at('2026-11-30T07:00') });
    expect(rulesBroken(candidate, [candidate])).toEqual([]);
  });

  it('finds a daily tour colliding with a one-time tour three weeks later, and reports it once', () => {
    const candidate = tour('c', { schedule: daily(8) });
    const later = tour('later', { name: 'Flood drill', schedule: at('2026-11-22T08:30') });
    const problems = check(candidate, [later]).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain('tour later "Flood drill" 2026-11-22 08:30-09:30');
    expect(problems[0]?.message).toContain("this tour's run 2026-11-22 08:00-09:00");
  });

  it('finds a one-time tour colliding with a daily tour, and two daily tours once, at their first clash', () => {
    const dailyOther = tour('daily', { schedule: daily(8) });
    expect(rulesBroken(tour('c', { schedule: at('2026-12-10T09:00') }), [dailyOther])).toEqual(['van_busy']);
    const problems = check(tour('c', { schedule: daily(8, 30) }), [dailyOther]).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain("this tour's run 2026-11-01 08:30-09:30");
  });

  it('ignores a one-time tour beyond the horizon', () => {
    const farAway = tour('far', { schedule: at('2027-03-01T08:00') });
    expect(rulesBroken(tour('c', { schedule: daily(8) }), [farAway])).toEqual([]);
    expect(rulesBroken(tour('c', { schedule: daily(8) }), [farAway], { config: { horizonDays: 121 } })).toEqual(['van_busy']);
  });

  it('counts a run of another tour that began before now and is still on the road', () => {
    const underway = tour('underway', { schedule: at('2026-11-30T07:00') });
    const now = new Date('2026-11-30T00:30:00Z');
    expect(rulesBroken(tour('c', { schedule: at('2026-11-30T08:00') }), [underway], { now })).toEqual(['van_busy']);
  });

  it('tells apart rate() tours of the same rate by when each was approved', () => {
    const everyDay = { expression: 'rate(1 day)', timezone: HCM };
    // Every morning at 07:00, and every afternoon at 14:00.
    const mornings = tour('c', { schedule: everyDay, decidedAt: '2026-11-01T00:00:00.000Z' });
    const afternoons = tour('other', { schedule: everyDay, decidedAt: '2026-10-20T07:00:00.000Z' });
    expect(rulesBroken(mornings, [afternoons])).toEqual([]);
  });

  it('refuses a recurring tour whose runs overlap each other', () => {
    const twiceAMorning = tour('c', { schedule: { expression: 'cron(0 7,8 * * ? *)', timezone: HCM } });
    const problems = check(twiceAMorning).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain(
      'runs of this tour overlap on van van-1: 2026-11-01 07:00-08:00 (Asia/Ho_Chi_Minh) and 2026-11-01 08:00-09:00',
    );
  });
});

describe('quiet_hours', () => {
  const emergency = (schedule: Tour['schedule'], minutes: number) =>
    tour('c', { priority: 'emergency', schedule, stops: [stop('A1', minutes)] });

  it('lets an emergency tour end exactly when the quiet hours begin', () => {
    expect(rulesBroken(emergency(at('2026-11-30T21:30'), 30))).toEqual([]);
  });

  it('refuses a tour that runs past 22:00, even in an emergency', () => {
    const problems = check(emergency(at('2026-11-30T21:30'), 31)).problems;
    expect(problems).toEqual([
      {
        rule: 'quiet_hours',
        kind: 'invalid',
        field: 'schedule',
        message:
          'the run 2026-11-30 21:30-22:01 (Asia/Ho_Chi_Minh) reaches into the night quiet hours 22:00-06:00: ' +
          'no broadcasting then, not even in an emergency',
      },
    ]);
  });

  it('refuses a tour that crosses midnight', () => {
    const problems = check(emergency(at('2026-11-30T20:00'), 300)).problems;
    expect(problems.map((problem) => problem.rule)).toEqual(['quiet_hours']);
    expect(problems[0]?.message).toContain('2026-11-30 20:00-2026-12-01 01:00');
  });

  it('refuses a tour starting at 05:50, before the quiet hours end, even in an emergency', () => {
    expect(rulesBroken(emergency(at('2026-11-30T05:50'), 20))).toEqual(['quiet_hours']);
    expect(rulesBroken(emergency(at('2026-11-30T06:00'), 20))).toEqual([]);
  });

  it('applies quiet hours that do not cross midnight on the day the run reaches them', () => {
    const config = { quietHours: { start: '01:00', end: '05:00' } };
    expect(rulesBroken(emergency(at('2026-11-30T23:30'), 90), [], { config })).toEqual([]);
    expect(rulesBroken(emergency(at('2026-11-30T23:30'), 91), [], { config })).toEqual(['quiet_hours']);
  });

  it('checks every run of a recurring tour, reporting the first one in quiet hours', () => {
    // The last Saturday of the month at 21:45: 28 November is the first.
    const lateSaturdays = { expression: 'cron(45 21 ? * 7L *)', timezone: HCM };
    const problems = check(emergency(lateSaturdays, 30)).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain('2026-11-28 21:45-22:15');
  });
});

describe('outside_slots', () => {
  it('accepts a normal tour ending exactly at 11:00, and refuses one ending a minute later', () => {
    expect(rulesBroken(tour('c', { schedule: at('2026-11-30T10:00'), stops: [stop('A1', 60)] }))).toEqual([]);
    const late = check(tour('c', { schedule: at('2026-11-30T10:00'), stops: [stop('A1', 61)] })).problems;
    expect(late).toEqual([
      {
        rule: 'outside_slots',
        kind: 'invalid',
        field: 'schedule',
        message:
          'the run 2026-11-30 10:00-11:01 (Asia/Ho_Chi_Minh) does not fit inside one daily slot ' +
          '(06:30-11:00, 14:00-17:30); only emergency tours may run outside them',
      },
    ]);
  });

  it('accepts a normal tour starting at 06:30, and refuses one starting a minute earlier', () => {
    expect(rulesBroken(tour('c', { schedule: at('2026-11-30T06:30') }))).toEqual([]);
    expect(rulesBroken(tour('c', { schedule: at('2026-11-30T06:29') }))).toEqual(['outside_slots']);
  });

  it('counts the travel between stops in the run', () => {
    const twoStops = (start: string) => tour('c', { schedule: at(start), stops: [stop('A1', 60), stop('A2', 60)] });
    expect(rulesBroken(twoStops('2026-11-30T15:15'))).toEqual([]);
    expect(rulesBroken(twoStops('2026-11-30T15:16'))).toEqual(['outside_slots']);
  });

  it('refuses a run spanning the midday break, though it starts and ends inside slots', () => {
    const long = tour('c', { schedule: at('2026-11-30T10:30'), stops: [stop('A1', 240)] });
    expect(rulesBroken(long)).toEqual(['outside_slots']);
  });

  it('lets an emergency tour run outside the slots', () => {
    const noon = tour('c', { priority: 'emergency', schedule: at('2026-11-30T12:00') });
    expect(rulesBroken(noon)).toEqual([]);
  });
});

describe('area_limit', () => {
  // Two tours of other vans already broadcast in A1 on 30 November.
  const morning = tour('morning', { name: 'Morning news', vanId: 'van-2', schedule: at('2026-11-30T07:00') });
  const afternoon = tour('afternoon', { name: 'Afternoon news', vanId: 'van-3', schedule: at('2026-11-30T14:00') });
  const third = (fields: Partial<Tour> = {}) =>
    tour('c', { schedule: at('2026-11-30T09:00'), stops: [stop('A2', 20), stop('A1', 20)], ...fields });

  it('refuses a third normal broadcast in the area that day, naming the area and the other tours', () => {
    expect(check(third(), [morning, afternoon]).problems).toEqual([
      {
        rule: 'area_limit',
        kind: 'conflict',
        field: 'stops.1.areaCode',
        message:
          'area A1 (Ấp 1) would hear 3 broadcasts on 2026-11-30 (this tour 1, already planned that day: ' +
          'tour morning "Morning news" at 07:00, tour afternoon "Afternoon news" at 14:00); at most 2 a day ' +
          'outside emergencies',
      },
    ]);
  });

  it('accepts a second broadcast in the area that day', () => {
    expect(rulesBroken(third(), [morning])).toEqual([]);
  });

  it('lets an emergency tour exceed the limit', () => {
    expect(rulesBroken(third({ priority: 'emergency' }), [morning, afternoon])).toEqual([]);
  });

  it('counts the sessions of emergency tours, which residents heard too', () => {
    const alarm = tour('alarm', { vanId: 'van-3', priority: 'emergency', schedule: at('2026-11-30T12:00') });
    expect(rulesBroken(third(), [morning, alarm])).toEqual(['area_limit']);
  });

  it('accepts the same tour on another day', () => {
    expect(rulesBroken(third({ schedule: at('2026-12-01T09:00') }), [morning, afternoon])).toEqual([]);
  });

  it('reports a daily tour once, on the first day the area is over the limit', () => {
    const problems = check(third({ schedule: daily(9) }), [morning, afternoon]).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain('on 2026-11-30');
  });

  it('names the stop by its place in the tour as submitted, quiet areas included', () => {
    const problems = check(third({ stops: [stop('Q1', 20), stop('A1', 20)] }), [morning, afternoon]).problems;
    expect(problems.map((problem) => problem.field)).toEqual(['stops.1.areaCode']);
  });

  it('counts the visits of the tour itself', () => {
    const thrice = third({
      schedule: at('2026-11-30T07:00'),
      stops: [stop('A1', 10), stop('A2', 10), stop('A1', 10), stop('A2', 10), stop('A1', 10)],
    });
    expect(check(thrice).problems.map((problem) => problem.field)).toEqual(['stops.0.areaCode']);
  });
});

describe('quiet areas', () => {
  const passing = (priority: Tour['priority']) => tour('c', { priority, stops: [stop('A1', 20), stop('Q1', 20), stop('A2', 20)] });

  it('leaves them out of a normal tour, with a warning naming the area', () => {
    const result = check(passing('normal'));
    expect(result.stops).toEqual([stop('A1', 20), stop('A2', 20)]);
    expect(result.warnings).toEqual(['area Q1 (Bệnh viện đa khoa) is a quiet area (hospital or school): the tour passes it by']);
  });

  it('keeps them in an emergency tour, without a warning', () => {
    const result = check(passing('emergency'));
    expect(result.stops).toEqual([stop('A1', 20), stop('Q1', 20), stop('A2', 20)]);
    expect(result.warnings).toEqual([]);
  });

  it('plans the run without the areas it passes by', () => {
    // With Q1 the run would end at 11:30, outside the morning slot.
    const stops = [stop('A1', 40), stop('Q1', 20), stop('A2', 20)];
    const result = check(tour('c', { schedule: at('2026-11-30T09:40'), stops }));
    expect(result.problems).toEqual([]);
  });

  it('treats an unknown area as not quiet', () => {
    const result = check(tour('c', { stops: [stop('X9', 20)] }));
    expect(result.stops).toEqual([stop('X9', 20)]);
    expect(result.warnings).toEqual([]);
  });
});

describe('reading time', () => {
  it('warns when a stop is shorter than the script takes to read, and not when it is just long enough', () => {
    const candidate = tour('c', { stops: [stop('A1', 2), stop('A2', 3)] });
    expect(check(candidate, [], { readingSecondsPerStop: 150 }).warnings).toEqual([
      'the stop in area A1 (Ấp 1) lasts 2 min, shorter than the 2 min 30 s the script takes to read ' + 'with its repetitions',
    ]);
    expect(check(candidate, [], { readingSecondsPerStop: 120 }).warnings).toEqual([]);
  });
});

describe('time zones', () => {
  it('applies the quiet hours and slots on the wall clock of the configured zone', () => {
    // 15:30 UTC is 22:30 in Ho Chi Minh City (UTC+7).
    const candidate = tour('c', { schedule: { expression: 'at(2026-11-30T15:30:00)', timezone: 'UTC' } });
    expect(rulesBroken(candidate)).toEqual(['quiet_hours', 'outside_slots']);
    expect(rulesBroken(candidate, [], { config: { timezone: 'UTC' } })).toEqual([]);
  });

  it('follows a zone whose offset changes that day', () => {
    // New York falls back from UTC-4 to UTC-5 at 06:00 UTC on 1 November 2026.
    const newYork = { timezone: 'America/New_York' };
    const dawn = (local: string) =>
      tour('c', { priority: 'emergency', schedule: { expression: `at(${local}:00)`, timezone: 'America/New_York' } });
    expect(rulesBroken(dawn('2026-11-01T05:50'), [], { config: newYork })).toEqual(['quiet_hours']);
    expect(rulesBroken(dawn('2026-11-01T06:00'), [], { config: newYork })).toEqual([]);
  });

  it('counts an area day on the local calendar', () => {
    // 06:30 on 30 November in Ho Chi Minh City is still 29 November in UTC.
    const early = tour('early', { vanId: 'van-2', schedule: at('2026-11-30T06:30'), stops: [stop('A1', 30)] });
    const late = tour('late', { vanId: 'van-3', schedule: at('2026-11-30T16:00'), stops: [stop('A1', 30)] });
    expect(rulesBroken(tour('c', { schedule: at('2026-11-30T14:00') }), [early, late])).toEqual(['area_limit']);
  });
});

describe('a province of 100 vans and 1,000 areas', () => {
  const areas = new Map<string, Area>();
  for (let n = 0; n < 1000; n++) {
    const code = `A${String(n).padStart(4, '0')}`;
    areas.set(code, { code, name: `Khu phố ${n}`, path: `P/${code}` });
  }
  const areaCode = (n: number) => `A${String(n).padStart(4, '0')}`;
  // Tour k of van k visits four areas of its own and ends in an area it shares with tour k + 50, every day:
  // even tours 07:00-09:35, odd ones 14:00-16:35.
  const others = Array.from({ length: 100 }, (_, k) =>
    tour(`t${k}`, {
      vanId: `van-${k}`,
      schedule: daily(k % 2 === 0 ? 7 : 14),
      stops: [0, 2, 4, 6].map((j) => stop(areaCode(k * 10 + j), 20)).concat(stop(areaCode((k % 50) * 10 + 9), 15)),
    }),
  );

  it('finds the one van clash and the one area over its limit', () => {
    const candidate = tour('c', {
      vanId: 'van-7',
      schedule: daily(15),
      stops: [stop('A0010', 20), stop('A0039', 20)],
    });
    const result = checkTour(candidate, { others, areas, now: NOW, config: DEFAULT_TOUR_RULES });
    expect(result.problems.map(({ rule, field }) => ({ rule, field }))).toEqual([
      { rule: 'van_busy', field: 'schedule' },
      { rule: 'area_limit', field: 'stops.1.areaCode' },
    ]);
    expect(result.problems[0]?.message).toContain('tour t7 "Tour t7" 2026-11-01 14:00-16:35');
    expect(result.problems[1]?.message).toContain(
      'area A0039 (Khu phố 39) would hear 3 broadcasts on 2026-11-01 (this tour 1, already planned that day: ' +
        'tour t3 "Tour t3" at 16:20, tour t53 "Tour t53" at 16:20)',
    );
  });
});
