/**
 * Amazon EventBridge Scheduler schedule expressions: parsing, validation and fire times.
 *
 * The three kinds EventBridge Scheduler accepts, each evaluated in a time zone:
 *
 * - `at(yyyy-mm-ddThh:mm:ss)`: one time, a wall-clock time in the schedule's zone.
 * - `rate(value unit)`: every `value` minutes, hours or days from the schedule's start. As on AWS, the unit is
 *   singular when the value is 1 (`rate(1 minute)`) and plural otherwise (`rate(5 minutes)`). A day is a fixed
 *   24 hours, whatever daylight saving time does to the wall clock.
 * - `cron(minutes hours day-of-month month day-of-week year)`: six fields, with `, - * / ? L W #`, months
 *   `JAN-DEC`, days of the week `1-7` or `SUN-SAT` (1 = SUN, 7 = SAT), years 1970-2199. Exactly one of
 *   day-of-month and day-of-week is `?`.
 *
 * The parser errs on the strict side: where AWS's documentation is silent (case of names, extra spaces,
 * leading zeros in a rate), it rejects what AWS might reject, so that an expression accepted here is never
 * refused later by CreateSchedule. See the notes on each rule below.
 *
 * Daylight saving time, as EventBridge Scheduler documents it:
 * - a cron time that does not exist on the wall clock (spring forward) is skipped for that day;
 * - a cron time that occurs twice (fall back) fires once, at its first occurrence;
 * - an `at()` time that falls in a gap fires at the same wall-clock time shifted forward by the gap
 *   (02:30 on the spring-forward night in New York fires at 03:30 EDT), and one that occurs twice fires at
 *   the first occurrence (the "compatible" choice of ECMAScript Temporal); AWS documents neither case.
 */
import { ValidationError } from '../errors.js';
import {
  DEFAULT_TIMEZONE,
  offsetAt,
  runtimeKnowsZone,
  type WallClockTime,
  wallClockAt,
  wallClockMs,
  zonedTimeToUtc,
} from '../time/local-time.js';

export type RateUnit = 'minutes' | 'hours' | 'days';

/** Day-of-month field of a cron expression. */
export type DayOfMonthRule =
  /** `?`: the day-of-week field decides. */
  | { kind: 'any' }
  /** Plain values, ranges, lists, steps and `*` (days past the end of a month never match). */
  | { kind: 'days'; days: readonly number[] }
  /** `L`: the last day of the month. */
  | { kind: 'last' }
  /** `LW`: the last weekday (Monday to Friday) of the month. */
  | { kind: 'lastWeekday' }
  /** `nW`: the weekday nearest day n, without leaving the month. */
  | { kind: 'nearestWeekday'; day: number };

/** Day-of-week field of a cron expression; days are 1 = Sunday ... 7 = Saturday, as on AWS. */
export type DayOfWeekRule =
  /** `?`: the day-of-month field decides. */
  | { kind: 'any' }
  /** Plain values, names, ranges, lists and `*`; `L` alone means 7 (Saturday, the last day of the week). */
  | { kind: 'days'; days: readonly number[] }
  /** `nL`: the last given day of the week in the month (`6L` = last Friday). */
  | { kind: 'last'; day: number }
  /** `d#n`: the n-th given day of the week in the month (`3#2` = second Tuesday). */
  | { kind: 'nth'; day: number; nth: number };

export interface CronFields {
  minutes: readonly number[];
  hours: readonly number[];
  dayOfMonth: DayOfMonthRule;
  months: readonly number[];
  dayOfWeek: DayOfWeekRule;
  years: readonly number[];
}

export type Schedule =
  | { kind: 'at'; expression: string; at: WallClockTime; timezone: string }
  | { kind: 'rate'; expression: string; value: number; unit: RateUnit; timezone: string }
  | { kind: 'cron'; expression: string; fields: CronFields; timezone: string };

export interface FireTimesOptions {
  /** Fire times at or after this instant are returned. */
  from: Date;
  /** How many fire times at most. */
  count: number;
  /** Rate schedules only: the first fire (EventBridge's StartDate, or the creation time). Defaults to `from`. */
  start?: Date;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** The largest time value a Date can hold. */
const MAX_DATE_MS = 8.64e15;
export const MIN_CRON_YEAR = 1970;
/** The zone offsets one cron search may look up: see searchFireTimes. */
const MAX_ZONE_LOOKUPS = 500;
export const MAX_CRON_YEAR = 2199;

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function invalid(reason: string): ValidationError {
  return ValidationError.field('schedule', reason);
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

/**
 * Parses and validates an EventBridge Scheduler expression and its time zone. Throws a ValidationError on
 * field `schedule` (or `timezone`) whose message gives the exact reason.
 */
export function parseSchedule(expression: string, timezone: string = DEFAULT_TIMEZONE): Schedule {
  if (typeof expression !== 'string') throw invalid('expression must be a string');
  validateTimezone(timezone);
  const match = /^(at|rate|cron)\((.*)\)$/s.exec(expression);
  if (!match) {
    throw invalid(`"${expression}" must be at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)`);
  }
  const kind = match[1] as 'at' | 'rate' | 'cron';
  const body = match[2] ?? '';
  switch (kind) {
    case 'at':
      return { kind, expression, at: parseAt(body), timezone };
    case 'rate': {
      const { value, unit } = parseRate(body);
      return { kind, expression, value, unit, timezone };
    }
    case 'cron':
      return { kind, expression, fields: parseCron(body), timezone };
  }
}

/**
 * Accepts an IANA time zone name that the runtime knows (`Asia/Ho_Chi_Minh`, `America/New_York`, `UTC`).
 * Offsets such as `+07:00` and names in the wrong case (`asia/ho_chi_minh`, which Intl would accept) are
 * refused, since EventBridge is given the name exactly as stored.
 */
export function validateTimezone(timezone: string): string {
  const unknown = (): ValidationError => ValidationError.field('timezone', `unknown time zone "${String(timezone)}"`);
  if (typeof timezone !== 'string' || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timezone)) {
    throw unknown();
  }
  if (!canonicalZones().has(timezone)) {
    if (!runtimeKnowsZone(timezone)) throw unknown();
    // An alias the runtime knows but does not list (Asia/Ho_Chi_Minh, Etc/UTC): IANA names capitalise the
    // first letter of every segment, which catches the case-insensitive spellings Intl lets through.
    if (!timezone.split('/').every((segment) => /^[A-Z]/.test(segment))) throw unknown();
  }
  return timezone;
}

let canonicalZoneSet: Set<string> | undefined;
function canonicalZones(): Set<string> {
  canonicalZoneSet ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
  return canonicalZoneSet;
}

function parseAt(body: string): WallClockTime {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!m) throw invalid(`at() needs yyyy-mm-ddThh:mm:ss, for example at(2026-03-06T14:00:00); got at(${body})`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = body.slice(0, 10);
  if (month < 1 || month > 12) throw invalid(`at(): ${date} is not a valid date: month ${month} is out of range 1-12`);
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) {
    throw invalid(`at(): ${date} is not a valid date: day ${day} is out of range 1-${last}`);
  }
  if (hour > 23) throw invalid(`at(): hour ${hour} is out of range 0-23`);
  if (minute > 59) throw invalid(`at(): minute ${minute} is out of range 0-59`);
  if (second > 59) throw invalid(`at(): second ${second} is out of range 0-59`);
  return { year, month, day, hour, minute, second };
}

const RATE_UNITS: Record<string, { unit: RateUnit; singular: boolean }> = {
  minute: { unit: 'minutes', singular: true },
  minutes: { unit: 'minutes', singular: false },
  hour: { unit: 'hours', singular: true },
  hours: { unit: 'hours', singular: false },
  day: { unit: 'days', singular: true },
  days: { unit: 'days', singular: false },
};

/**
 * `rate(value unit)`: a single space between a positive whole number (no sign, no leading zero) and the unit.
 * AWS: "If the value is equal to 1, then the unit must be singular. If the value is greater than 1, the unit
 * must be plural."
 */
function parseRate(body: string): { value: number; unit: RateUnit } {
  const parts = body.split(' ');
  if (parts.length !== 2) throw invalid(`rate(${body}) needs a value and a unit separated by one space, e.g. rate(5 minutes)`);
  const [valueText = '', unitText = ''] = parts;
  if (!/^[1-9]\d*$/.test(valueText) || !Number.isSafeInteger(Number(valueText))) {
    throw invalid(`rate value "${valueText}" must be a positive whole number`);
  }
  const value = Number(valueText);
  const unit = Object.hasOwn(RATE_UNITS, unitText) ? RATE_UNITS[unitText] : undefined;
  if (!unit) throw invalid(`rate unit "${unitText}" is not valid: rate unit must be minute(s), hour(s) or day(s)`);
  const singular = unit.unit.slice(0, -1);
  if (value === 1 && !unit.singular) throw invalid(`rate(1 ${unitText}) must use the singular '${singular}'`);
  if (value > 1 && unit.singular) throw invalid(`rate(${value} ${unitText}) must use the plural '${unit.unit}'`);
  return { value, unit: unit.unit };
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  /** Largest increment after `/` (Quartz's limits, which EventBridge follows); undefined: `/` not allowed. */
  maxStep?: number;
  /** Names for values min, min+1, ... (upper case only). */
  names?: readonly string[];
  hint?: string;
}

const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59, maxStep: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23, maxStep: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31, maxStep: 31 };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, maxStep: 12, names: MONTH_NAMES, hint: ' (1-12 or JAN-DEC)' };
const DAY_OF_WEEK: FieldSpec = { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES, hint: ' (1=SUN ... 7=SAT)' };
const YEAR: FieldSpec = { name: 'year', min: MIN_CRON_YEAR, max: MAX_CRON_YEAR, maxStep: MAX_CRON_YEAR - MIN_CRON_YEAR };

/**
 * Six fields separated by single spaces. Each field is `*`, or a comma-separated list of values, ranges
 * `a-b` (a <= b; ranges that wrap around are refused) and increments `a/n`, `a-b/n`, `*\/n`.
 * The special forms `?`, `L`, `LW`, `nW`, `nL` and `d#n` stand alone in their field, as in Quartz, from which
 * EventBridge's syntax comes ("If you use '#', you can only define one expression in the day-of-week field").
 */
function parseCron(body: string): CronFields {
  const fields = body.trim() === '' ? [] : body.trim().split(/\s+/);
  if (fields.length !== 6) throw invalid(`cron needs 6 fields, got ${fields.length}: minutes hours day-of-month month day-of-week year`);
  if (body !== fields.join(' ')) throw invalid('cron fields must be separated by single spaces');
  const [minuteText, hourText, domText, monthText, dowText, yearText] = fields as [string, string, string, string, string, string];

  if (domText === '?' && dowText === '?') {
    throw invalid('day-of-month and day-of-week cannot both be ?: one of them must be a value or *');
  }
  if (domText !== '?' && dowText !== '?') {
    throw invalid('day-of-month and day-of-week cannot both be specified: one must be ?');
  }
  return {
    minutes: parseValues(minuteText, MINUTE),
    hours: parseValues(hourText, HOUR),
    dayOfMonth: parseDayOfMonth(domText),
    months: parseValues(monthText, MONTH),
    dayOfWeek: parseDayOfWeek(dowText),
    years: parseValues(yearText, YEAR),
  };
}

function parseDayOfMonth(text: string): DayOfMonthRule {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'last' };
  if (text === 'LW') return { kind: 'lastWeekday' };
  const weekday = /^(\d+)W$/.exec(text);
  if (weekday) return { kind: 'nearestWeekday', day: parseValue(weekday[1] ?? '', DAY_OF_MONTH) };
  if (/[LW]/.test(text)) {
    throw invalid(`day-of-month "${text}" is not valid: L, LW and nW (e.g. 15W) must stand alone in the field`);
  }
  return { kind: 'days', days: parseValues(text, DAY_OF_MONTH) };
}

function parseDayOfWeek(text: string): DayOfWeekRule {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'days', days: [7] };
  const last = /^([^,#/-]+)L$/.exec(text);
  if (last) return { kind: 'last', day: parseValue(last[1] ?? '', DAY_OF_WEEK) };
  if (text.includes('#')) {
    const nth = /^([^,#/-]+)#([^,#/-]*)$/.exec(text);
    if (!nth) throw invalid(`day-of-week "${text}": # allows only one expression in the field, such as 3#2`);
    const n = nth[2] ?? '';
    if (!/^[1-5]$/.test(n)) throw invalid(`day-of-week "${text}": the number after # must be 1-5`);
    return { kind: 'nth', day: parseValue(nth[1] ?? '', DAY_OF_WEEK), nth: Number(n) };
  }
  // No day name contains an L, so any L left is a misplaced "last".
  if (text.includes('L')) throw invalid(`day-of-week "${text}": L and nL (e.g. 6L) must stand alone in the field`);
  return { kind: 'days', days: parseValues(text, DAY_OF_WEEK) };
}

/** A list of values, ranges, increments and `*`, returned sorted and without duplicates. */
function parseValues(text: string, spec: FieldSpec): number[] {
  if (text === '?') throw invalid(`? is only allowed in day-of-month or day-of-week, not in ${spec.name}`);
  const values = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') throw invalid(`${spec.name} "${text}" has an empty value in its list`);
    const [rangeText = '', stepText, ...extra] = item.split('/');
    if (extra.length > 0) throw invalid(`${spec.name} value "${item}" has more than one /`);
    let low: number;
    let high: number;
    if (rangeText === '*') {
      low = spec.min;
      high = spec.max;
    } else {
      const [lowText = '', highText, ...more] = rangeText.split('-');
      if (more.length > 0) throw invalid(`${spec.name} value "${item}" is not a valid range`);
      low = parseValue(lowText, spec);
      high = highText === undefined ? (stepText === undefined ? low : spec.max) : parseValue(highText, spec);
      if (low > high) {
        throw invalid(`${spec.name} range "${rangeText}" goes backwards: the start must not be after the end`);
      }
    }
    let step = 1;
    if (stepText !== undefined) {
      if (spec.maxStep === undefined) throw invalid(`${spec.name} does not allow increments (/)`);
      if (!/^\d+$/.test(stepText)) throw invalid(`${spec.name} increment "${stepText}" must be a whole number`);
      step = Number(stepText);
      if (step < 1 || step > spec.maxStep) {
        throw invalid(`${spec.name} increment ${step} is out of range 1-${spec.maxStep}`);
      }
    }
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

function parseValue(text: string, spec: FieldSpec): number {
  let value: number;
  if (/^\d+$/.test(text)) {
    value = Number(text);
  } else if (spec.names?.includes(text)) {
    value = spec.min + spec.names.indexOf(text);
  } else if (spec.names?.includes(text.toUpperCase())) {
    throw invalid(`${spec.name} "${text}" must be written in upper case: ${text.toUpperCase()}`);
  } else if (text === '') {
    throw invalid(`${spec.name} has an empty value`);
  } else {
    throw invalid(`${spec.name} value "${text}" is not valid${spec.hint ?? ''}`);
  }
  if (value < spec.min || value > spec.max) {
    throw invalid(`${spec.name} ${value} is out of range ${spec.min}-${spec.max}${spec.hint ?? ''}`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Fire times

export function isRecurring(schedule: Schedule): boolean {
  return schedule.kind !== 'at';
}

/**
 * Whether two fires can come less than an hour apart: a rate under an hour, or a cron naming more than one
 * minute of the hour. A cron with one minute value fires at least an hour apart on the wall clock, and so
 * in time too (a skipped hour only shortens a two-hour step to one).
 */
export function firesMoreThanHourly(schedule: Schedule): boolean {
  switch (schedule.kind) {
    case 'at':
      return false;
    case 'rate':
      return schedule.value * UNIT_MS[schedule.unit] < HOUR_MS;
    case 'cron':
      return schedule.fields.minutes.length > 1;
  }
}

/**
 * The first `count` fire times at or after `from`, in order.
 * - at: the one time, if it is not before `from`.
 * - rate: start, start + interval, ... (start defaults to `from`: without a StartDate EventBridge fires at once).
 * - cron: the matching wall-clock minutes in the schedule's time zone, through the year 2199; an expression
 *   that never matches (30 February) gives []. The search is bounded (MAX_ZONE_LOOKUPS): see searchFireTimes.
 */
export function fireTimes(schedule: Schedule, options: FireTimesOptions): Date[] {
  return searchFireTimes(schedule, options).fireTimes;
}

export interface FireTimeSearch {
  fireTimes: Date[];
  /**
   * Set when a cron search stopped at its limit before finding `count` fire times: none was looked for from
   * this instant on. A cron matching only wall-clock times that never happen stops here within milliseconds.
   */
  stoppedAt?: Date;
}

/**
 * fireTimes, saying where a cron search stopped when it ran out of work: a cron search makes at most
 * MAX_ZONE_LOOKUPS look-ups of the zone's offset (each a formatting by Intl, 15 to 45 µs), which keeps a
 * preview or a validation well within 50 ms. A daily cron finds 100 fire times within the limit; one firing
 * only on days the clocks change finds about 35.
 */
export function searchFireTimes(schedule: Schedule, options: FireTimesOptions): FireTimeSearch {
  const from = options.from.getTime();
  if (!Number.isFinite(from)) throw new RangeError('fireTimes: from is not a valid date');
  if (!Number.isInteger(options.count) || options.count < 0) {
    throw new RangeError('fireTimes: count must be a whole number >= 0');
  }
  if (options.count === 0) return { fireTimes: [] };
  switch (schedule.kind) {
    case 'at': {
      const at = zonedTimeToUtc(schedule.timezone, schedule.at).getTime();
      return { fireTimes: at >= from ? [new Date(at)] : [] };
    }
    case 'rate':
      return { fireTimes: rateFireTimes(schedule.value, schedule.unit, from, options.count, options.start) };
    case 'cron':
      return cronFireTimes(schedule.fields, schedule.timezone, from, options.count);
  }
}

/**
 * The first fire time strictly after `after`. For a rate schedule the sequence is anchored at `start`, or at
 * `after` itself when no start is given (so the answer is `after` + one interval).
 */
export function nextFireTime(schedule: Schedule, after: Date, start?: Date): Date | undefined {
  const from = after.getTime() + 1;
  return fireTimes(schedule, { from: new Date(from), count: 1, start: start ?? after })[0];
}

const UNIT_MS: Record<RateUnit, number> = { minutes: MINUTE_MS, hours: HOUR_MS, days: DAY_MS };

function rateFireTimes(value: number, unit: RateUnit, from: number, count: number, start?: Date): Date[] {
  const interval = value * UNIT_MS[unit];
  const first = start?.getTime() ?? from;
  if (!Number.isFinite(first)) throw new RangeError('fireTimes: start is not a valid date');
  const skip = first >= from ? 0 : Math.ceil((from - first) / interval);
  const result: Date[] = [];
  for (let k = skip; result.length < count; k++) {
    const t = first + k * interval;
    if (t > MAX_DATE_MS) break;
    result.push(new Date(t));
  }
  return result;
}

function cronFireTimes(fields: CronFields, timezone: string, from: number, count: number): FireTimeSearch {
  const found: Date[] = [];
  const start = wallClockAt(timezone, new Date(from));
  // Wall-clock times before the wall clock at `from` are earlier instants too (a time that occurs twice fires
  // at its first occurrence, which keeps wall clock and instants in the same order), so they are skipped
  // without converting them.
  const startNaive = wallClockMs(start);
  const startDay = Date.UTC(start.year, start.month - 1, start.day);
  const zone = new ZoneLookups(timezone);
  for (const year of fields.years) {
    if (year < start.year) continue;
    for (const month of fields.months) {
      if (year === start.year && month < start.month) continue;
      for (const day of matchingDays(fields, year, month)) {
        const dayMs = Date.UTC(year, month - 1, day);
        if (dayMs < startDay) continue;
        const clock = zone.dayClock(dayMs);
        if (!clock) return { fireTimes: found, stoppedAt: new Date(dayMs - zone.lastOffset) };
        for (const hour of fields.hours) {
          for (const minute of fields.minutes) {
            const naive = dayMs + hour * HOUR_MS + minute * MINUTE_MS;
            if (naive < startNaive) continue;
            const utc = clock(naive);
            if (utc === undefined) continue; // does not exist on this day: EventBridge skips it
            if (utc < from) continue;
            found.push(new Date(utc));
            if (found.length >= count) return { fireTimes: found };
          }
        }
      }
    }
  }
  return { fireTimes: found };
}

/** No zone is ahead of UTC by more than 14 hours (Kiribati) or behind it by more than 12. */
const MAX_AHEAD_MS = 14 * HOUR_MS;
const MAX_BEHIND_MS = 12 * HOUR_MS;

/**
 * The zone's offsets, looked up at most MAX_ZONE_LOOKUPS times. A day whose offset is the same at both ends
 * converts wall-clock times by subtraction; a day in between (a daylight-saving change, at most one: see
 * local-time.ts) finds its change to the minute by bisection and converts around it. So a search costs two
 * look-ups a matching day and a dozen more a changing day, never one per candidate minute.
 */
class ZoneLookups {
  private lookups = 0;
  lastOffset = 0;

  constructor(private readonly timezone: string) {}

  /** The converter of the wall-clock day starting at `dayMs` (as from wallClockMs); undefined past the limit. */
  dayClock(dayMs: number): ((naive: number) => number | undefined) | undefined {
    // Every instant showing a time of this day lies in [dayMs - 14 h, dayMs + 1 day + 12 h].
    const low = dayMs - MAX_AHEAD_MS;
    const high = dayMs + DAY_MS + MAX_BEHIND_MS;
    const before = this.offset(low);
    const after = this.offset(high);
    if (before === undefined || after === undefined) return undefined;
    if (before === after) return (naive) => naive - before;
    const change = this.firstMinuteWithOffset(after, low, high);
    if (change === undefined) return undefined;
    // Before the change the old offset applies and after it the new one; a time showing under both (clocks
    // set back) fires at its first occurrence, one showing under neither (clocks set forward) never.
    return (naive) => {
      if (naive - before < change) return naive - before;
      return naive - after >= change ? naive - after : undefined;
    };
  }

  /** The first whole minute in (low, high] whose offset is `target`, the offset at `high` but not at `low`. */
  private firstMinuteWithOffset(target: number, low: number, high: number): number | undefined {
    let lo = Math.floor(low / MINUTE_MS);
    let hi = Math.ceil(high / MINUTE_MS);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const offset = this.offset(mid * MINUTE_MS);
      if (offset === undefined) return undefined;
      if (offset === target) hi = mid;
      else lo = mid;
    }
    return hi * MINUTE_MS;
  }

  private offset(utcMs: number): number | undefined {
    if (this.lookups >= MAX_ZONE_LOOKUPS) return undefined;
    this.lookups++;
    this.lastOffset = offsetAt(this.timezone, utcMs);
    return this.lastOffset;
  }
}

/** Days of the month (ascending) that the day-of-month and day-of-week fields select. */
function matchingDays(fields: CronFields, year: number, month: number): number[] {
  const last = daysInMonth(year, month);
  const firstWeekday = weekday(year, month, 1);
  const weekdayOf = (day: number): number => ((firstWeekday - 1 + day - 1) % 7) + 1;
  const dom = fields.dayOfMonth;
  switch (dom.kind) {
    case 'days':
      return dom.days.filter((d) => d <= last);
    case 'last':
      return [last];
    case 'lastWeekday': {
      const w = weekdayOf(last);
      return [w === 7 ? last - 1 : w === 1 ? last - 2 : last];
    }
    case 'nearestWeekday': {
      const d = dom.day;
      if (d > last) return []; // 31W in a 30-day month: no such day, no fire
      const w = weekdayOf(d);
      if (w === 7) return [d === 1 ? 3 : d - 1]; // Saturday: Friday before, or Monday the 3rd
      if (w === 1) return [d === last ? d - 2 : d + 1]; // Sunday: Monday after, or Friday before at month end
      return [d];
    }
    case 'any':
      break;
  }
  const dow = fields.dayOfWeek;
  switch (dow.kind) {
    case 'any':
      return range(1, last);
    case 'days':
      return range(1, last).filter((d) => dow.days.includes(weekdayOf(d)));
    case 'last':
      return [last - ((weekdayOf(last) - dow.day + 7) % 7)];
    case 'nth': {
      const d = 1 + ((dow.day - firstWeekday + 7) % 7) + 7 * (dow.nth - 1);
      return d <= last ? [d] : [];
    }
  }
}

function range(low: number, high: number): number[] {
  const out: number[] = [];
  for (let v = low; v <= high; v++) out.push(v);
  return out;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday ... 7 = Saturday. */
function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}
