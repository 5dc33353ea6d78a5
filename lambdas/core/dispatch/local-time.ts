import { wallClockAt } from '../schedules/schedule-expression.js';

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
