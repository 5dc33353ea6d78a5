import { describe, expect, it } from 'vitest';
import { routeSheetHtml, type RouteSheetEntry } from '../../../lambdas/http/tours/route-sheet.js';
import { DENGUE, VAN } from './tour-fixtures.js';

const HCM = 'Asia/Ho_Chi_Minh';
const DAY = '2026-12-05';

/** 07:30–08:15 local (UTC+7) on Saturday 5 December: two stops with ten minutes' travel between them. */
const MORNING: RouteSheetEntry = {
  ...DENGUE,
  scriptText: 'Kính thưa bà con,\n  hãy đậy kín dụng cụ chứa nước.\n\nXin cảm ơn.',
  repetitionsPerStop: 3,
  readingSeconds: 65,
};

/** 15:00–15:30 local the same day. */
const AFTERNOON: RouteSheetEntry = {
  tour: { id: 'tour-flood', name: 'Cảnh báo lũ sông Đồng Nai', status: 'dispatched', priority: 'emergency' },
  scriptTitle: 'Sơ tán khẩn cấp',
  scriptCode: 'tpl-9 v1',
  startsAt: '2026-12-05T08:00:00.000Z',
  endsAt: '2026-12-05T08:30:00.000Z',
  stops: [
    { areaCode: 'AP-BL', areaName: 'Ấp Bình Lợi', minutes: 30, startsAt: '2026-12-05T08:00:00.000Z', endsAt: '2026-12-05T08:30:00.000Z' },
  ],
  scriptText: 'Nước sông đang lên. Bà con di chuyển lên vùng cao.',
  repetitionsPerStop: 5,
  readingSeconds: 40,
};

function sheet(entries: RouteSheetEntry[], date = DAY): string {
  return routeSheetHtml(VAN, date, entries, { timezone: HCM });
}

/** Each table row's cells, as written in the HTML. */
function tableRows(html: string): string[][] {
  return [...html.matchAll(/<tbody>([\s\S]*?)<\/tbody>/g)].flatMap(([, body]) =>
    [...body!.matchAll(/<tr>(.*?)<\/tr>/g)].map(([, row]) => [...row!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map(([, cell]) => cell!)),
  );
}

describe('routeSheetHtml', () => {
  it('is a Vietnamese UTF-8 page that prints on A4', () => {
    const html = sheet([MORNING]);

    expect(html.startsWith('<!doctype html>\n<html lang="vi">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toMatch(/@page \{ size: A4;/);
    expect(html).toMatch(/\.sheet \{ break-after: page; \}/);
  });

  it('names the van, its crew lead with the phone masked, and the day, but not the calendar feed’s secret', () => {
    const html = sheet([MORNING]);

    expect(html).toContain('<dd class="plate">60A-123.45</dd>');
    expect(html).toContain('<dd>Xe ô tô</dd>');
    expect(html).toContain('<dd class="crew-lead">Nguyễn Văn Hùng (+8491****678)</dd>');
    expect(html).not.toContain('912345678');
    expect(html).not.toContain(VAN.feedToken);
    expect(html).toContain('<dd class="date">Thứ Bảy, 05/12/2026</dd>');
  });

  it('lists each tour’s stops in route order at local times, with an empty box to tick, tours in order of start', () => {
    const html = sheet([AFTERNOON, MORNING]);

    expect(tableRows(html)).toEqual([
      ['1', '07:30', 'Khu phố Tân Bình', '20', ''],
      ['2', '08:00', 'Ấp Bình Lợi', '15', ''],
      ['1', '15:00', 'Ấp Bình Lợi', '30', ''],
    ]);
    expect(html).toContain('Phòng chống sốt xuất huyết <span class="hours">07:30–08:15</span></h2>');
    expect(html).toContain('<h2>[KHẨN] Cảnh báo lũ sông Đồng Nai <span class="hours">15:00–15:30</span></h2>');
  });

  it('gives the script with its line breaks and indentation kept, how often to read it and for how long', () => {
    const html = sheet([MORNING]);

    expect(html).toContain('<h3>Bài đọc: Diệt lăng quăng, bọ gậy (tpl-7 v2)</h3>');
    expect(html).toContain(`<div class="script">${MORNING.scriptText}</div>`);
    expect(html).toMatch(/\.script \{ white-space: pre-wrap;/);
    expect(html).toContain('Đọc 3 lần mỗi điểm, mỗi lần khoảng 1 phút 5 giây; tổng 3 phút 15 giây mỗi điểm.');
  });

  it('escapes everything users typed', () => {
    const hostile: RouteSheetEntry = {
      ...MORNING,
      tour: { ...MORNING.tour, name: '<script>alert("x")</script>' },
      stops: [{ ...MORNING.stops[0]!, areaName: 'Tổ 1 & Tổ 2' }],
      scriptTitle: "Bài 'A'",
      scriptText: 'Gọi <b>ngay</b>',
    };
    const html = routeSheetHtml({ ...VAN, plate: '<i>60A</i>' }, DAY, [hostile], { timezone: HCM });

    expect(html).not.toMatch(/<script|<b>|<i>/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('<td>Tổ 1 &amp; Tổ 2</td>');
    expect(html).toContain('Bài đọc: Bài &#39;A&#39;');
    expect(html).toContain('<div class="script">Gọi &lt;b&gt;ngay&lt;/b&gt;</div>');
    expect(html).toContain('<dd class="plate">&lt;i&gt;60A&lt;/i&gt;</dd>');
  });

  it('shows a cancelled tour as called off, without the stops or script that would have the crew run it', () => {
    const cancelled = { ...MORNING, tour: { ...MORNING.tour, status: 'cancelled' as const } };
    const html = sheet([cancelled]);

    expect(html).toContain('<h2>[ĐÃ HỦY] Phòng chống sốt xuất huyết');
    expect(html).toContain('Chuyến đã hủy: không chạy.');
    expect(tableRows(html)).toEqual([]);
    expect(html).not.toContain('Kính thưa bà con');
  });

  it('says so on a day without tours', () => {
    const html = sheet([]);

    expect(html).toContain('Không có chuyến nào trong ngày.');
    expect(html).not.toContain('<table>');
    expect(html).toContain('<dd class="date">Thứ Bảy, 05/12/2026</dd>');
  });

  it('refuses a day that is not a calendar date', () => {
    expect(() => sheet([], '2026-02-31')).toThrow(RangeError);
    expect(() => sheet([], '05/12/2026')).toThrow(RangeError);
  });
});
