import { sync as icalParser, type ParameterValue, type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import { vanCalendar, type CalendarEntry } from '../../../lambdas/http/tours/van-calendar.js';
import { DENGUE, VAN } from './tour-fixtures.js';

const HCM = 'Asia/Ho_Chi_Minh';
/** 07:00 on Tuesday 1 December 2026 in Ho Chi Minh City (UTC+7). */
const NOW = new Date('2026-12-01T00:00:00.000Z');

/** The same recurring tour a day later, 07:30 local on Sunday 6 December. */
const DENGUE_NEXT_DAY: CalendarEntry = {
  ...DENGUE,
  startsAt: '2026-12-06T00:30:00.000Z',
  endsAt: '2026-12-06T01:15:00.000Z',
  stops: [
    {
      areaCode: 'KP-TB',
      areaName: 'Khu phố Tân Bình',
      minutes: 20,
      startsAt: '2026-12-06T00:30:00.000Z',
      endsAt: '2026-12-06T00:50:00.000Z',
    },
    { areaCode: 'AP-BL', areaName: 'Ấp Bình Lợi', minutes: 15, startsAt: '2026-12-06T01:00:00.000Z', endsAt: '2026-12-06T01:15:00.000Z' },
  ],
};

/** 15:00–15:30 local on Monday 7 December. */
const FLOOD: CalendarEntry = {
  tour: { id: 'tour-flood', name: 'Cảnh báo lũ sông Đồng Nai', status: 'dispatched', priority: 'emergency' },
  scriptTitle: 'Sơ tán khẩn cấp',
  scriptCode: 'tpl-9 v1',
  startsAt: '2026-12-07T08:00:00.000Z',
  endsAt: '2026-12-07T08:30:00.000Z',
  stops: [
    { areaCode: 'AP-BL', areaName: 'Ấp Bình Lợi', minutes: 30, startsAt: '2026-12-07T08:00:00.000Z', endsAt: '2026-12-07T08:30:00.000Z' },
  ],
};

/** 16:00–16:20 local on Tuesday 8 December, called off. */
const VACCINATION: CalendarEntry = {
  tour: { id: 'tour-vaccine', name: 'Lịch tiêm chủng tháng 12', status: 'cancelled', priority: 'normal' },
  scriptTitle: 'Tiêm chủng mở rộng',
  scriptCode: 'tpl-3 v4',
  startsAt: '2026-12-08T09:00:00.000Z',
  endsAt: '2026-12-08T09:20:00.000Z',
  stops: [
    {
      areaCode: 'KP-TB',
      areaName: 'Khu phố Tân Bình',
      minutes: 20,
      startsAt: '2026-12-08T09:00:00.000Z',
      endsAt: '2026-12-08T09:20:00.000Z',
    },
  ],
};

const ENTRIES = [DENGUE, DENGUE_NEXT_DAY, FLOOD, VACCINATION];

function feed(entries: CalendarEntry[] = ENTRIES, options: { now?: Date; baseUrl?: string } = {}): string {
  return vanCalendar(VAN, entries, { timezone: HCM, now: options.now ?? NOW, ...(options.baseUrl && { baseUrl: options.baseUrl }) });
}

/** The events as an independent parser reads them, by UID. */
function parsedEvents(ics: string): Map<string, VEvent> {
  const components = Object.values(icalParser.parseICS(ics));
  return new Map(components.filter((c): c is VEvent => c?.type === 'VEVENT').map((event) => [event.uid, event]));
}

function text(value: ParameterValue | undefined): string | undefined {
  return typeof value === 'object' ? value.val : value;
}

function uid(entry: CalendarEntry): string {
  return `${entry.tour.id}-${entry.startsAt}@loa`;
}

describe('vanCalendar', () => {
  it('has one event per tour start, identified by tour and start, at the planned instants', () => {
    const events = parsedEvents(feed());

    expect([...events.keys()].sort()).toEqual(ENTRIES.map(uid).sort());
    for (const entry of ENTRIES) {
      const event = events.get(uid(entry));
      expect(event?.start.toISOString()).toBe(entry.startsAt);
      expect(event?.end?.toISOString()).toBe(entry.endsAt);
      expect(event?.dtstamp.toISOString()).toBe(NOW.toISOString());
    }
  });

  it('writes times as UTC instants, never as floating times in the server process’s zone', () => {
    const ics = feed([DENGUE]);

    expect(ics).toContain('\r\nDTSTART:20261205T003000Z\r\n');
    expect(ics).toContain('\r\nDTEND:20261205T011500Z\r\n');
    expect(ics).toContain('\r\nDTSTAMP:20261201T000000Z\r\n');
  });

  it('keeps the same UID for the same start however it is written and whenever the feed is built, so phones update in place', () => {
    const later = feed([{ ...DENGUE, startsAt: '2026-12-05T00:30:00Z' }], { now: new Date('2026-12-04T10:00:00.000Z') });

    expect([...parsedEvents(later).keys()]).toEqual([uid(DENGUE)]);
  });

  it('names the tour, its first area, and the stops in order at local times with the script', () => {
    const event = parsedEvents(feed()).get(uid(DENGUE));

    expect(text(event?.summary)).toBe('Phòng chống sốt xuất huyết');
    expect(text(event?.location)).toBe('Khu phố Tân Bình');
    expect(text(event?.description)).toBe(
      [
        'Lộ trình:',
        '1. 07:30 Khu phố Tân Bình (20 phút)',
        '2. 08:00 Ấp Bình Lợi (15 phút)',
        '',
        'Bài đọc: Diệt lăng quăng, bọ gậy (tpl-7 v2)',
      ].join('\n'),
    );
    expect(event?.status).toBe('CONFIRMED');
  });

  it('marks an emergency tour in its summary and as highest priority', () => {
    const events = parsedEvents(feed());
    const flood = events.get(uid(FLOOD));

    expect(text(flood?.summary)).toBe('[KHẨN] Cảnh báo lũ sông Đồng Nai');
    expect(flood?.priority).toBe('1');
    expect(events.get(uid(DENGUE))?.priority).toBeUndefined();
    expect(text(flood?.description)).toContain('1. 15:00 Ấp Bình Lợi (30 phút)');
  });

  it('keeps a cancelled tour as a CANCELLED event so subscribed phones remove it', () => {
    const vaccination = parsedEvents(feed()).get(uid(VACCINATION));

    expect(vaccination?.status).toBe('CANCELLED');
    expect(text(vaccination?.summary)).toBe('[ĐÃ HỦY] Lịch tiêm chủng tháng 12');
  });

  it('marks tours not yet approved as tentative', () => {
    const pending = { ...DENGUE, tour: { ...DENGUE.tour, status: 'pending_approval' as const } };

    expect(parsedEvents(feed([pending])).get(uid(DENGUE))?.status).toBe('TENTATIVE');
  });

  it('names the calendar after the van, shows it in the crew’s zone and asks to be refreshed within a day', () => {
    const ics = feed();
    const calendar = icalParser.parseICS(ics).vcalendar;

    expect(calendar?.['WR-CALNAME']).toBe('Xe loa 60A-123.45 – Nguyễn Văn Hùng');
    expect(calendar?.['WR-TIMEZONE']).toBe(HCM);
    const refresh = /\r\nREFRESH-INTERVAL;VALUE=DURATION:PT(\d+)H\r\n/.exec(ics);
    expect(Number(refresh?.[1])).toBeGreaterThan(0);
    expect(Number(refresh?.[1])).toBeLessThanOrEqual(24);
  });

  it('keeps Vietnamese text whole through lines folded at 75 octets', () => {
    const longName = 'Tuyên truyền phòng chống sốt xuất huyết và dịch bệnh mùa mưa tại Khu phố Tân Bình, phường Dĩ An';
    const ics = feed([{ ...DENGUE, tour: { ...DENGUE.tour, name: longName } }]);

    const physicalLines = ics.split('\r\n');
    expect(physicalLines.some((line) => line.startsWith(' '))).toBe(true);
    expect(Math.max(...physicalLines.map((line) => Buffer.byteLength(line, 'utf8')))).toBeLessThanOrEqual(75);
    expect(text(parsedEvents(ics).get(uid(DENGUE))?.summary)).toBe(longName);
  });

  it('never carries the crew lead’s phone number, nor the secret in the feed’s own URL', () => {
    const ics = feed();

    expect(ics).not.toContain('912345678');
    expect(ics).not.toContain(VAN.feedToken);
  });

  it('links each event to its tour’s script when the API’s address is given', () => {
    const withLinks = parsedEvents(feed([DENGUE], { baseUrl: 'https://loa.example.vn/' }));
    const withoutLinks = parsedEvents(feed([DENGUE]));

    // node-ical types URL as a string but hands it over with its VALUE=URI parameter.
    expect(text(withLinks.get(uid(DENGUE))?.url)).toBe('https://loa.example.vn/v1/tours/tour-dengue/script');
    expect(withoutLinks.get(uid(DENGUE))?.url).toBeUndefined();
  });

  it('is a valid calendar with no events when the van has no tours', () => {
    const ics = feed([]);

    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(parsedEvents(ics).size).toBe(0);
  });
});
