/**
 * A van's day on paper: the sheet the crew prints, carries in the cab and ticks by hand stop by stop.
 */
import type { Van } from '../../core/tours/tour-model.js';
import { maskPhone } from '../../core/subscribers/phone-number.js';
import { localTime } from '../../core/time/local-time.js';
import { markedTourName, type CalendarEntry } from './van-calendar.js';

export interface RouteSheetEntry extends CalendarEntry {
  scriptText: string;
  repetitionsPerStop: number;
  /** Seconds to read the script once. */
  readingSeconds: number;
}

const VAN_KIND: Record<Van['kind'], string> = { van: 'Xe ô tô', motorbike: 'Xe máy' };

/** A4, and each van's sheet starting on a page of its own when several are printed together. */
const PRINT_STYLE = `
@page { size: A4; margin: 15mm; }
body { font-family: "Times New Roman", serif; font-size: 12pt; color: #000; }
.sheet { break-after: page; }
.tour { break-inside: avoid; margin-top: 8mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #000; padding: 1mm 2mm; text-align: left; }
td.tick { width: 20mm; }
.script { white-space: pre-wrap; border: 1px solid #000; padding: 3mm; }
`;

/** `date` is the local day (YYYY-MM-DD) the sheet is for; `entries` are that day's tours of the van. */
export function routeSheetHtml(van: Van, date: string, entries: RouteSheetEntry[], options: { timezone: string }): string {
  const tours = [...entries].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const body =
    tours.length === 0
      ? '<p class="no-tours">Không có chuyến nào trong ngày.</p>'
      : tours.map((entry) => tourSection(entry, options.timezone)).join('\n');
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Lộ trình xe loa ${escapeHtml(van.plate)} – ${escapeHtml(date)}</title>
<style>${PRINT_STYLE}</style>
</head>
<body>
<main class="sheet">
<h1>Lộ trình xe loa</h1>
<dl>
<dt>Biển số</dt><dd class="plate">${escapeHtml(van.plate)}</dd>
<dt>Loại xe</dt><dd>${VAN_KIND[van.kind]}</dd>
<dt>Trưởng xe</dt><dd class="crew-lead">${escapeHtml(van.crewLead.name)} (${escapeHtml(maskPhone(van.crewLead.phone))})</dd>
<dt>Ngày</dt><dd class="date">${dayInWords(date)}</dd>
</dl>
${body}
</main>
</body>
</html>
`;
}

function tourSection(entry: RouteSheetEntry, timezone: string): string {
  const { tour } = entry;
  const hhmm = (iso: string) => localTime(new Date(iso), timezone).hhmm;
  const heading = `<h2>${escapeHtml(markedTourName(tour))} <span class="hours">${hhmm(entry.startsAt)}–${hhmm(entry.endsAt)}</span></h2>`;
  // A cancelled tour keeps its heading so the crew sees it is off, but loses what would have them run it.
  if (tour.status === 'cancelled') {
    return `<section class="tour cancelled">\n${heading}\n<p>Chuyến đã hủy: không chạy.</p>\n</section>`;
  }
  const rows = entry.stops.map(
    (stop, index) =>
      `<tr><td>${index + 1}</td><td>${hhmm(stop.startsAt)}</td><td>${escapeHtml(stop.areaName)}</td>` +
      `<td>${stop.minutes}</td><td class="tick"></td></tr>`,
  );
  const once = durationInWords(entry.readingSeconds);
  const perStop = durationInWords(entry.readingSeconds * entry.repetitionsPerStop);
  return `<section class="tour">
${heading}
<table>
<thead><tr><th>STT</th><th>Giờ</th><th>Khu vực</th><th>Số phút</th><th>Đã đọc</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<h3>Bài đọc: ${escapeHtml(entry.scriptTitle)} (${escapeHtml(entry.scriptCode)})</h3>
<p class="reading">Đọc ${entry.repetitionsPerStop} lần mỗi điểm, mỗi lần khoảng ${once}; tổng ${perStop} mỗi điểm.</p>
<div class="script">${escapeHtml(entry.scriptText)}</div>
</section>`;
}

function dayInWords(date: string): string {
  const midnight = new Date(`${date}T00:00:00Z`);
  // Date parsing rolls 2026-02-31 over into March; only a date that reads back the same is a real one.
  if (Number.isNaN(midnight.getTime()) || midnight.toISOString().slice(0, 10) !== date) {
    throw new RangeError(`routeSheetHtml: the date must be YYYY-MM-DD, got "${date}"`);
  }
  // The date is already local; formatting its UTC midnight in UTC keeps it the same day.
  return new Intl.DateTimeFormat('vi-VN', { weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(
    midnight,
  );
}

function durationInWords(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} giây`;
  return rest === 0 ? `${minutes} phút` : `${minutes} phút ${rest} giây`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}
