/**
 * The week of tours: vans as rows, days as columns. Days are the deployment's local days, whatever the
 * browser's own time zone.
 */
import { wallClockAt } from '../../../../lambdas/core/time/local-time';

const DAY_MS = 86_400_000;

/** YYYY-MM-DD of the local day `instant` falls on. */
export function localDay(instant: Date, timezone: string): string {
  const wall = wallClockAt(timezone, instant);
  return `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
}

/** The Monday of the week that `day` (YYYY-MM-DD) is in. */
export function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return addDays(day, -sinceMonday);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The seven days from `monday`. */
export function weekDays(monday: string): string[] {
  return Array.from({ length: 7 }, (_, index) => addDays(monday, index));
}

export interface Placed<S> {
  day: string;
  session: S;
}

/** Each session under the local day it starts on. */
export function byDay<S extends { startsAt: string }>(sessions: readonly S[], days: readonly string[], timezone: string): Map<string, S[]> {
  const cells = new Map<string, S[]>(days.map((day) => [day, []]));
  for (const session of sessions) cells.get(localDay(new Date(session.startsAt), timezone))?.push(session);
  return cells;
}
