/**
 * Dates and numbers as the department writes them: dd/MM/yyyy HH:mm (24-hour) in the deployment's time
 * zone whatever the browser's, and numbers grouped by the locale (1.000.000 in Vietnamese).
 */
import { DEFAULT_TIMEZONE, wallClockAt } from '../../lambdas/core/time/local-time';

let timeZone = DEFAULT_TIMEZONE;

export function setTimeZone(zone: string): void {
  timeZone = zone;
}

export function getTimeZone(): string {
  return timeZone;
}

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** Year, month, day, hour and minute of `date` on the wall clock of `zone`, all but the year as two digits (24-hour). */
export function wallClockParts(date: Date, zone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  const wall = wallClockAt(zone, date);
  return {
    year: String(wall.year),
    month: twoDigits(wall.month),
    day: twoDigits(wall.day),
    hour: twoDigits(wall.hour),
    minute: twoDigits(wall.minute),
  };
}

/** `25/12/2026 08:05`; '' for no date. */
export function formatDateTime(value: string | Date | undefined, zone = timeZone): string {
  if (value === undefined || value === '') return '';
  const p = wallClockParts(new Date(value), zone);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** `25/12/2026`. */
export function formatDate(value: string | Date, zone = timeZone): string {
  const p = wallClockParts(new Date(value), zone);
  return `${p.day}/${p.month}/${p.year}`;
}

/** `08:05`. */
export function formatTime(value: string | Date, zone = timeZone): string {
  const p = wallClockParts(new Date(value), zone);
  return `${p.hour}:${p.minute}`;
}

export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 2 }).format(value);
}
