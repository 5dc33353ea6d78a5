/**
 * The rules a loudspeaker tour must keep (GUIDE section 2): no broadcasting in the night quiet hours, normal
 * tours only in the daily slots and at most a few sessions an area a day, one van on one road at a time, and
 * quiet areas (hospitals, schools) passed by except in emergencies. Pure: the time and the other tours are
 * given, nothing is read or stored.
 */
import type { Area } from '../model.js';
import { fireTimes, parseSchedule } from '../schedules/schedule-expression.js';
import { DEFAULT_TIMEZONE, LocalClock, minuteOfDay } from '../time/local-time.js';
import type { PlannedStop, Tour, TourStop } from './tour-model.js';

export interface TourRulesConfig {
  /** The province's zone: quiet hours, slots and days are on its wall clock. */
  timezone: string;
  /** hh:mm to hh:mm, may cross midnight; no broadcasting at all, emergencies included. */
  quietHours: { start: string; end: string };
  /** hh:mm to hh:mm within one day; a normal tour's whole run lies inside one of them. */
  dailySlots: { start: string; end: string }[];
  /** Sessions an area may hear in one local day; only an emergency tour may take it beyond. */
  maxBroadcastsPerAreaPerDay: number;
  /** Travel between consecutive stops, and the least gap between two runs of one van. */
  minutesBetweenAreas: number;
  /** How far ahead of now recurring tours are expanded for the checks. */
  horizonDays: number;
}

export const DEFAULT_TOUR_RULES: TourRulesConfig = {
  timezone: DEFAULT_TIMEZONE,
  quietHours: { start: '22:00', end: '06:00' },
  dailySlots: [
    { start: '06:30', end: '11:00' },
    { start: '14:00', end: '17:30' },
  ],
  maxBroadcastsPerAreaPerDay: 2,
  minutesBetweenAreas: 15,
  horizonDays: 90,
};

/**
 * A broken rule. `conflict`: runs clash with other runs of the van or other sessions in an area (another
 * tour's or its own); `invalid`: a run, taken alone, falls when no tour may broadcast.
 */
export interface RuleProblem {
  rule: 'van_busy' | 'quiet_hours' | 'outside_slots' | 'area_limit';
  kind: 'conflict' | 'invalid';
  field: string;
  message: string;
}

export interface TourCheck {
  /** The stops the van will make: a normal tour's quiet areas left out. */
  stops: TourStop[];
  warnings: string[];
  problems: RuleProblem[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Fire times fetched per call while expanding a schedule over a window. */
const EXPANSION_BATCH = 128;

/** The planned times of a run starting at `startsAt`: each stop after the previous plus the travel. */
export function planRun(
  stops: TourStop[],
  startsAt: Date,
  minutesBetweenAreas: number,
): { startsAt: string; endsAt: string; stops: PlannedStop[] } {
  const start = startsAt.getTime();
  const shape = runShape(stops, minutesBetweenAreas);
  return {
    startsAt: startsAt.toISOString(),
    endsAt: new Date(start + shape.duration).toISOString(),
    stops: stops.map((stop, i) => {
      const stopStart = start + (shape.stopOffsets[i] ?? 0);
      return {
        ...stop,
        startsAt: new Date(stopStart).toISOString(),
        endsAt: new Date(stopStart + stop.minutes * MINUTE_MS).toISOString(),
      };
    }),
  };
}

/**
 * Start times of the tour from `from` (inclusive) to `to` (exclusive), from its schedule: one for at(), many
 * for rate() and cron(). A rate() schedule counts from the tour's approval (or creation while undecided),
 * as EventBridge counts from the moment the schedule is created.
 */
export function tourStarts(tour: Pick<Tour, 'schedule' | 'createdAt' | 'decidedAt'>, from: Date, to: Date): Date[] {
  const schedule = parseSchedule(tour.schedule.expression, tour.schedule.timezone);
  const rateStart = new Date(tour.decidedAt ?? tour.createdAt);
  const starts: Date[] = [];
  let cursor = from;
  for (;;) {
    const batch = fireTimes(schedule, { from: cursor, count: EXPANSION_BATCH, start: rateStart });
    for (const start of batch) {
      if (start.getTime() >= to.getTime()) return starts;
      starts.push(start);
    }
    const last = batch[batch.length - 1];
    if (batch.length < EXPANSION_BATCH || last === undefined) return starts;
    cursor = new Date(last.getTime() + 1);
  }
}

/** The tour's first start at or after `from`, if any. */
export function nextTourStart(tour: Pick<Tour, 'schedule' | 'createdAt' | 'decidedAt'>, from: Date): Date | undefined {
  const schedule = parseSchedule(tour.schedule.expression, tour.schedule.timezone);
  return fireTimes(schedule, { from, count: 1, start: new Date(tour.decidedAt ?? tour.createdAt) })[0];
}

/**
 * Checks a candidate tour against the rules. `others` are the other tours that may still broadcast (any van;
 * the candidate itself, if listed, is ignored), `areas` the areas by code, `now` the current time (the
 * candidate's starts before now are ignored), `readingSecondsPerStop` the script's reading time times its
 * repetitions (for a soft warning when a stop is shorter than that), `vanName` the van as messages name it.
 */
export function checkTour(
  candidate: Tour,
  context: {
    others: Tour[];
    areas: Map<string, Area>;
    now: Date;
    config: TourRulesConfig;
    readingSecondsPerStop?: number;
    /** How messages name the van (its plate); its id when not given. */
    vanName?: string;
  },
): TourCheck {
  const { areas, now, config, readingSecondsPerStop } = context;
  const vanName = context.vanName ?? candidate.vanId;
  const emergency = candidate.priority === 'emergency';
  const warnings: string[] = [];

  const visited: IndexedStop[] = [];
  candidate.stops.forEach((stop, index) => {
    if (!emergency && areas.get(stop.areaCode)?.quiet) {
      warnings.push(`${areaLabel(stop.areaCode, areas)} is a quiet area (hospital or school): the tour passes it by`);
    } else {
      visited.push({ stop, index });
    }
  });
  if (readingSecondsPerStop !== undefined) {
    for (const { stop } of visited) {
      if (stop.minutes * 60 < readingSecondsPerStop) {
        warnings.push(
          `the stop in ${areaLabel(stop.areaCode, areas)} lasts ${stop.minutes} min, shorter than the ` +
            `${formatSeconds(readingSecondsPerStop)} the script takes to read with its repetitions`,
        );
      }
    }
  }

  const stops = visited.map(({ stop }) => stop);
  const windowStart = now.getTime();
  const windowEnd = windowStart + config.horizonDays * DAY_MS;
  const clock = new LocalClock(config.timezone);
  // A run of another tour that began before now may still be on the road, and sessions earlier on a day
  // count toward that day's limit: the others are expanded a day beyond the window on either side.
  const startsOf = startsExpander(new Date(windowStart - DAY_MS), new Date(windowEnd + DAY_MS));
  const expand = (tour: Tour): ExpandedTour => ({
    tour,
    shape: runShape(tour.stops, config.minutesBetweenAreas),
    starts: startsOf(tour),
  });
  const subject: ExpandedTour = {
    tour: candidate,
    shape: runShape(stops, config.minutesBetweenAreas),
    starts: startsOf(candidate).filter((start) => start >= windowStart && start < windowEnd),
  };
  const others = context.others.filter((other) => other.id !== candidate.id);

  const problems = [
    ...vanBusy(subject, vanName, others.filter((other) => other.vanId === candidate.vanId).map(expand), clock, config),
    ...quietHours(subject, clock, config),
    ...(emergency ? [] : outsideSlots(subject, clock, config)),
    ...(emergency ? [] : areaLimit(subject, visited, others, expand, clock, areas, config)),
  ];
  return { stops, warnings, problems };
}

interface IndexedStop {
  stop: TourStop;
  /** Its position in the tour as submitted, for the field a problem names. */
  index: number;
}

interface RunShape {
  /** Milliseconds from the run's start to each stop's start. */
  stopOffsets: number[];
  duration: number;
}

interface ExpandedTour {
  tour: Tour;
  shape: RunShape;
  /** Run starts in epoch milliseconds, ascending. */
  starts: number[];
}

function runShape(stops: TourStop[], minutesBetweenAreas: number): RunShape {
  const stopOffsets: number[] = [];
  let elapsed = 0;
  stops.forEach((stop, i) => {
    if (i > 0) elapsed += minutesBetweenAreas * MINUTE_MS;
    stopOffsets.push(elapsed);
    elapsed += stop.minutes * MINUTE_MS;
  });
  return { stopOffsets, duration: elapsed };
}

/**
 * Run starts in epoch milliseconds, ascending, over one window. Tours of a province mostly share a few
 * schedules (every day at 07:00, at 14:00), and expanding a schedule is the costly part of a check, so each
 * distinct schedule is expanded once.
 */
export function startsExpander(from: Date, to: Date): (tour: Pick<Tour, 'schedule' | 'createdAt' | 'decidedAt'>) => number[] {
  const expanded = new Map<string, number[]>();
  return (tour) => {
    const { expression, timezone } = tour.schedule;
    // Only a rate() schedule depends on when the tour was approved or created.
    const anchor = expression.startsWith('rate(') ? ` ${tour.decidedAt ?? tour.createdAt}` : '';
    const key = `${expression} ${timezone}${anchor}`;
    let starts = expanded.get(key);
    if (!starts) {
      starts = tourStarts(tour, from, to).map((start) => start.getTime());
      expanded.set(key, starts);
    }
    return starts;
  };
}

function vanBusy(
  subject: ExpandedTour,
  vanName: string,
  sameVan: ExpandedTour[],
  clock: LocalClock,
  config: TourRulesConfig,
): RuleProblem[] {
  const gap = config.minutesBetweenAreas * MINUTE_MS;
  const busy = (message: string): RuleProblem => ({ rule: 'van_busy', kind: 'conflict', field: 'schedule', message });
  const problems: RuleProblem[] = [];
  const { starts, shape } = subject;

  for (let i = 1; i < starts.length; i++) {
    const previous = starts[i - 1] ?? 0;
    const current = starts[i] ?? 0;
    if (current - previous < shape.duration + gap) {
      const first = clock.range(previous, previous + shape.duration);
      const second = clock.range(current, current + shape.duration);
      problems.push(
        busy(
          `runs of this tour overlap on van ${vanName}: ${first} and ${second} need at least ` +
            `${config.minutesBetweenAreas} minutes between them`,
        ),
      );
      break;
    }
  }

  for (const other of sameVan) {
    for (const start of starts) {
      // Runs of one tour all last as long, so the first of the other's runs that ends (plus the travel) after
      // this one starts is the only one that can collide, and it collides if it starts before this one ends.
      const first = firstAbove(other.starts, start - gap - other.shape.duration);
      const otherStart = other.starts[first];
      if (otherStart === undefined || otherStart >= start + shape.duration + gap) continue;
      const otherRun = clock.range(otherStart, otherStart + other.shape.duration);
      const ownRun = clock.range(start, start + shape.duration);
      problems.push(
        busy(
          `van ${vanName} is on ${tourLabel(other.tour)} ${otherRun}, too close to this tour's run ` +
            `${ownRun}: runs of one van need at least ${config.minutesBetweenAreas} minutes between them`,
        ),
      );
      break;
    }
  }
  return problems;
}

function quietHours(subject: ExpandedTour, clock: LocalClock, config: TourRulesConfig): RuleProblem[] {
  const quiet = { start: minuteOfDay(config.quietHours.start), end: minuteOfDay(config.quietHours.end) };
  for (const start of subject.starts) {
    const end = start + subject.shape.duration;
    if (reachesQuietHours(clock.local(start), clock.local(end), quiet)) {
      const hours = `${config.quietHours.start}-${config.quietHours.end}`;
      return [
        {
          rule: 'quiet_hours',
          kind: 'invalid',
          field: 'schedule',
          message:
            `the run ${clock.range(start, end)} reaches into the night quiet hours ${hours}: ` +
            'no broadcasting then, not even in an emergency',
        },
      ];
    }
  }
  return [];
}

/** Whether a run between two local times (as from LocalClock.local) overlaps a quiet window on any day. */
function reachesQuietHours(start: number, end: number, quiet: { start: number; end: number }): boolean {
  const length = ((quiet.end - quiet.start + 24 * 60) % (24 * 60)) * MINUTE_MS;
  if (length === 0) return false;
  // The window that began the evening before the run's day may still be running when the run starts.
  for (let day = startOfDay(start) - DAY_MS; day <= end; day += DAY_MS) {
    const windowStart = day + quiet.start * MINUTE_MS;
    if (start < windowStart + length && end > windowStart) return true;
  }
  return false;
}

function outsideSlots(subject: ExpandedTour, clock: LocalClock, config: TourRulesConfig): RuleProblem[] {
  const slots = config.dailySlots.map((slot) => ({ start: minuteOfDay(slot.start), end: minuteOfDay(slot.end) }));
  for (const start of subject.starts) {
    const end = start + subject.shape.duration;
    const localStart = clock.local(start);
    const localEnd = clock.local(end);
    const day = startOfDay(localStart);
    const fits = slots.some((slot) => localStart >= day + slot.start * MINUTE_MS && localEnd <= day + slot.end * MINUTE_MS);
    if (!fits) {
      const allowed = config.dailySlots.map((slot) => `${slot.start}-${slot.end}`).join(', ');
      return [
        {
          rule: 'outside_slots',
          kind: 'invalid',
          field: 'schedule',
          message:
            `the run ${clock.range(start, end)} does not fit inside one daily slot (${allowed}); ` +
            'only emergency tours may run outside them',
        },
      ];
    }
  }
  return [];
}

interface Session {
  tour: Tour;
  at: number;
}

function areaLimit(
  subject: ExpandedTour,
  visited: IndexedStop[],
  others: Tour[],
  expand: (tour: Tour) => ExpandedTour,
  clock: LocalClock,
  areas: Map<string, Area>,
  config: TourRulesConfig,
): RuleProblem[] {
  const ownAreas = new Set(visited.map(({ stop }) => stop.areaCode));
  const heard = new Map<string, Session[]>();
  for (const other of others) {
    if (!other.stops.some((stop) => ownAreas.has(stop.areaCode))) continue;
    const { starts, shape } = expand(other);
    for (const start of starts) {
      other.stops.forEach((stop, i) => {
        if (!ownAreas.has(stop.areaCode)) return;
        const at = start + (shape.stopOffsets[i] ?? 0);
        const key = areaDay(stop.areaCode, clock.day(at));
        const sessions = heard.get(key);
        if (sessions) sessions.push({ tour: other, at });
        else heard.set(key, [{ tour: other, at }]);
      });
    }
  }

  // In order of first session, so that the earliest day over the limit is the one reported.
  const own = new Map<string, { areaCode: string; day: string; index: number; count: number }>();
  for (const start of subject.starts) {
    visited.forEach(({ stop, index }, i) => {
      const day = clock.day(start + (subject.shape.stopOffsets[i] ?? 0));
      const key = areaDay(stop.areaCode, day);
      const entry = own.get(key);
      if (entry) entry.count++;
      else own.set(key, { areaCode: stop.areaCode, day, index, count: 1 });
    });
  }

  const problems: RuleProblem[] = [];
  const reported = new Set<string>();
  for (const [key, { areaCode, day, index, count }] of own) {
    const sessions = heard.get(key) ?? [];
    if (reported.has(areaCode) || sessions.length + count <= config.maxBroadcastsPerAreaPerDay) continue;
    reported.add(areaCode);
    const already = sessions.sort((a, b) => a.at - b.at).map((session) => `${tourLabel(session.tour)} at ${clock.time(session.at)}`);
    const planned = already.length > 0 ? `already planned that day: ${already.join(', ')}` : 'none planned by other tours';
    problems.push({
      rule: 'area_limit',
      kind: 'conflict',
      field: `stops.${index}.areaCode`,
      message:
        `${areaLabel(areaCode, areas)} would hear ${sessions.length + count} broadcasts on ${day} ` +
        `(this tour ${count}, ${planned}); at most ${config.maxBroadcastsPerAreaPerDay} a day outside emergencies`,
    });
  }
  return problems;
}

function areaDay(areaCode: string, day: string): string {
  return `${areaCode} ${day}`;
}

/** Index of the first value strictly above `bound` in an ascending array (its length if none). */
function firstAbove(sorted: number[], bound: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) > bound) high = middle;
    else low = middle + 1;
  }
  return low;
}

function startOfDay(local: number): number {
  return Math.floor(local / DAY_MS) * DAY_MS;
}

function tourLabel(tour: Tour): string {
  return `tour ${tour.id} "${tour.name}"`;
}

function areaLabel(areaCode: string, areas: Map<string, Area>): string {
  const area = areas.get(areaCode);
  return area ? `area ${areaCode} (${area.name})` : `area ${areaCode}`;
}

function formatSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
