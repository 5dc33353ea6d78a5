import { localTime, minuteOfDay } from '../time/local-time.js';

/**
 * Milliseconds until normal-priority sending may go on: 0 outside the quiet hours, otherwise the time
 * left until they end. The window may cross midnight (22:00-07:00).
 */
export function msUntilSendingAllowed(now: Date, quietHours: { start: string; end: string }, timezone: string): number {
  const start = minuteOfDay(quietHours.start);
  const end = minuteOfDay(quietHours.end);
  const { minuteOfDay: current, second } = localTime(now, timezone);
  const quiet = start <= end ? current >= start && current < end : current >= start || current < end;
  if (!quiet) return 0;
  const minutesLeft = (end - current + 24 * 60) % (24 * 60);
  return (minutesLeft * 60 - second) * 1000 - now.getUTCMilliseconds();
}
