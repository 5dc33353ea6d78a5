/**
 * Local time: the wall clock of an IANA time zone, from the runtime's Intl and nothing else, for schedules,
 * quiet hours, daily caps and tour rules alike.
 *
 * Daylight saving time: a wall-clock time that occurs twice (clocks set back) stands for its first
 * occurrence, and one that never occurs (clocks set forward) for the same time shifted forward by the gap:
 * the "compatible" choice of ECMAScript Temporal, which keeps wall-clock order and instant order the same.
 * No zone changes its offset twice within two days, and the arithmetic below relies on it.
 */

/** The province's zone when a deployment names none: Vietnam keeps UTC+7 all year, without daylight saving. */
export const DEFAULT_TIMEZONE = 'Asia/Ho_Chi_Minh';

/** A calendar date and time of day on the wall clock of some time zone. Months and days count from 1. */
export interface WallClockTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** Whether the runtime's Intl knows the zone, in any spelling it accepts (it ignores case). */
export function runtimeKnowsZone(timezone: string): boolean {
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timezone` at an instant (whole seconds). */
export function wallClockAt(timezone: string, instant: Date): WallClockTime {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timezone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    hour: parts.hour ?? NaN,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  };
}

/**
 * A wall-clock time in milliseconds as if it were UTC: wall-clock times compare with each other and shift
 * by plain arithmetic, whatever the zone's offset.
 */
export function wallClockMs(t: WallClockTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Offset of `timezone` from UTC at an instant, in milliseconds (UTC+7 gives 7 hours). Read from the zone's
 * name in the "GMT-04:00" form: a third of the cost of formatting the whole wall clock, and schedule
 * searches look offsets up by the hundred.
 */
export function offsetAt(timezone: string, utcMs: number): number {
  let formatter = offsetFormatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timezone, formatter);
  }
  const text = formatter.format(new Date(Math.floor(utcMs / 1000) * 1000));
  const offset = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!offset) throw new RangeError(`no UTC offset in "${text}" for ${timezone}`);
  const [, sign, hours = '0', minutes = '0', seconds = '0'] = offset;
  const ms = ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
  return sign === '-' ? -ms : ms;
}

export type WallTimeResolution =
  /** The wall-clock time happens once. */
  | { kind: 'unique'; utc: number }
  /** It happens twice (clocks set back); `utc` is the first occurrence. */
  | { kind: 'repeated'; utc: number; later: number }
  /** It never happens (clocks set forward); `utc` is the instant the same time shifted by the gap would be. */
  | { kind: 'gap'; utc: number };

/**
 * Which instants show the wall-clock time `wallMs` (as from wallClockMs) in `timezone`. The offsets one day
 * either side of it are the candidates, each checked against the zone.
 */
export function resolveWallTime(timezone: string, wallMs: number): WallTimeResolution {
  const before = offsetAt(timezone, wallMs - DAY_MS);
  const after = offsetAt(timezone, wallMs + DAY_MS);
  const candidates = before === after ? [wallMs - before] : [wallMs - before, wallMs - after];
  const valid = candidates.filter((t) => offsetAt(timezone, t) === wallMs - t).sort((a, b) => a - b);
  const [first, second] = valid;
  if (first === undefined) return { kind: 'gap', utc: wallMs - before };
  if (second !== undefined) return { kind: 'repeated', utc: first, later: second };
  return { kind: 'unique', utc: first };
}

/**
 * Converts a wall-clock time in `timezone` to an instant: a time that happens twice gives the first
 * occurrence; one that does not exist (in a spring-forward gap) is moved forward by the length of the gap.
 */
export function zonedTimeToUtc(timezone: string, wall: WallClockTime): Date {
  return new Date(resolveWallTime(timezone, wallClockMs(wall)).utc);
}

const pad = (value: number) => String(value).padStart(2, '0');

/** The local day (yyyy-mm-dd) and time of day (also as hh:mm) in `timezone` at `instant`. */
export function localTime(instant: Date, timezone: string) {
  const wall = wallClockAt(timezone, instant);
  return {
    day: `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`,
    minuteOfDay: wall.hour * 60 + wall.minute,
    second: wall.second,
    hhmm: `${pad(wall.hour)}:${pad(wall.minute)}`,
  };
}

/** Minutes since local midnight of an `hh:mm` setting. */
export function minuteOfDay(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** The local day (yyyy-mm-dd) `days` calendar days after `day`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * One zone's wall clock for code that asks it thousands of times over a few months (the tour rules):
 * instants as wall-clock milliseconds, and as the text of messages.
 */
export class LocalClock {
  /** The zone's offset at each UTC midnight asked about, by day number. */
  private readonly midnightOffsets = new Map<number, number>();

  constructor(readonly timezone: string) {}

  /** The wall-clock time at an instant, in milliseconds as if it were UTC (as wallClockMs gives). */
  local(instant: number): number {
    // Asking Intl costs microseconds. Since no zone changes its offset twice within two days, when the
    // offsets at the UTC midnights either side agree, that is the offset all day long.
    const day = Math.floor(instant / DAY_MS);
    const offset = this.midnightOffset(day);
    return offset === this.midnightOffset(day + 1) ? instant + offset : instant + offsetAt(this.timezone, instant);
  }

  /** yyyy-mm-dd on the local calendar. */
  day(instant: number): string {
    return new Date(this.local(instant)).toISOString().slice(0, 10);
  }

  /** hh:mm on the local clock. */
  time(instant: number): string {
    return new Date(this.local(instant)).toISOString().slice(11, 16);
  }

  /** `2026-11-30 21:30-22:15 (Asia/Ho_Chi_Minh)`, with the end's date too when it falls on another day. */
  range(start: number, end: number): string {
    const endDay = this.day(end);
    const endText = endDay === this.day(start) ? this.time(end) : `${endDay} ${this.time(end)}`;
    return `${this.day(start)} ${this.time(start)}-${endText} (${this.timezone})`;
  }

  private midnightOffset(day: number): number {
    let offset = this.midnightOffsets.get(day);
    if (offset === undefined) {
      offset = offsetAt(this.timezone, day * DAY_MS);
      this.midnightOffsets.set(day, offset);
    }
    return offset;
  }
}
