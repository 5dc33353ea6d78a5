/**
 * A van's tours as an iCalendar feed (RFC 5545) that the crew lead subscribes to on their phone.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { PlannedStop, Tour, TourStatus, Van } from '../../core/tours/tour-model.js';
import { localTime } from '../../core/time/local-time.js';

export interface CalendarEntry {
  tour: Pick<Tour, 'id' | 'name' | 'status' | 'priority'>;
  /** The script template's name. */
  scriptTitle: string;
  /** e.g. `${scriptId} v${version}` */
  scriptCode: string;
  startsAt: string;
  endsAt: string;
  stops: (PlannedStop & { areaName: string })[];
}

export interface VanCalendarOptions {
  /** The zone the crew lives in: local times in descriptions, and the display hint for the feed. */
  timezone: string;
  /** The feed's DTSTAMP. */
  now: Date;
  /** The configured public address of the API (LOA_PUBLIC_URL); when given, each event links to its tour's script. */
  baseUrl?: string;
}

/** Emergency tours are planned at short notice, so phones are asked to re-read the feed hourly. */
const REFRESH_SECONDS = 60 * 60;

/** Subscribed phones drop (or strike out) a CANCELLED event; the other values only hint how settled a tour is. */
const EVENT_STATUS: Record<TourStatus, ICalEventStatus> = {
  draft: ICalEventStatus.TENTATIVE,
  pending_approval: ICalEventStatus.TENTATIVE,
  approved: ICalEventStatus.CONFIRMED,
  dispatched: ICalEventStatus.CONFIRMED,
  completed: ICalEventStatus.CONFIRMED,
  missed: ICalEventStatus.CONFIRMED,
  cancelled: ICalEventStatus.CANCELLED,
};

const HIGHEST_PRIORITY = 1;

export function vanCalendar(van: Van, entries: CalendarEntry[], options: VanCalendarOptions): string {
  const calendar = ical({
    name: `Xe loa ${van.plate} – ${van.crewLead.name}`,
    prodId: { company: 'Loa', product: 'xe-loa', language: 'VI' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: REFRESH_SECONDS,
    // Not calendar.timezone(): with it, ical-generator writes each Date as a floating time in the server
    // process's own zone (UTC on Lambda), moving every tour seven hours on a phone in Vietnam. Times stay
    // UTC instants, and X-WR-TIMEZONE only tells clients which zone to show them in.
    x: { 'X-WR-TIMEZONE': options.timezone },
  });

  for (const entry of entries) {
    const { tour } = entry;
    const startsAt = new Date(entry.startsAt);
    calendar.createEvent({
      // The start in canonical ISO form, so the same run always has the same UID and updates in place.
      id: `${tour.id}-${startsAt.toISOString()}@loa`,
      start: startsAt,
      end: new Date(entry.endsAt),
      stamp: options.now,
      summary: markedTourName(tour),
      location: entry.stops[0]?.areaName ?? null,
      description: description(entry, options.timezone),
      status: EVENT_STATUS[tour.status],
      priority: tour.priority === 'emergency' ? HIGHEST_PRIORITY : null,
      url: options.baseUrl ? `${options.baseUrl.replace(/\/+$/, '')}/v1/tours/${encodeURIComponent(tour.id)}/script` : null,
    });
  }
  return calendar.toString();
}

/**
 * The tour's name, marked cancelled or urgent as crews read it, on paper and in calendars that show cancelled
 * events instead of removing them.
 */
export function markedTourName(tour: CalendarEntry['tour']): string {
  const marks: string[] = [];
  if (tour.status === 'cancelled') marks.push('[ĐÃ HỦY]');
  if (tour.priority === 'emergency') marks.push('[KHẨN]');
  return [...marks, tour.name].join(' ');
}

function description(entry: CalendarEntry, timezone: string): string {
  const stops = entry.stops.map(
    (stop, index) => `${index + 1}. ${localTime(new Date(stop.startsAt), timezone).hhmm} ${stop.areaName} (${stop.minutes} phút)`,
  );
  return ['Lộ trình:', ...stops, '', `Bài đọc: ${entry.scriptTitle} (${entry.scriptCode})`].join('\n');
}
