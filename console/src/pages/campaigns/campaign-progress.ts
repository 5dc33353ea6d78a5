/**
 * The arithmetic of watching a campaign send, kept out of the components: shares of each receipt status,
 * the bar of each carrier, the rows by area, and the line of delivered messages over time with its scale.
 * Everything is computed from the API's counters, never from receipts, so a million recipients cost the
 * same to watch as ten.
 */
import type { DeliveredInMinute, ReceiptStatus, StatusCounts } from '../../../../lambdas/core/model';

/** In the order a message moves through them. */
export const RECEIPT_STATUSES: readonly ReceiptStatus[] = ['queued', 'submitted', 'delivered', 'failed', 'expired'];

export interface StatusShare {
  status: ReceiptStatus;
  count: number;
  /** 0-100 of the total; 0 when there is nothing yet. */
  percent: number;
}

export function statusShares(counts: StatusCounts): StatusShare[] {
  return RECEIPT_STATUSES.map((status) => ({ status, count: counts[status], percent: percentOf(counts[status], counts.total) }));
}

export function percentOf(part: number, total: number): number {
  return total > 0 ? (part / total) * 100 : 0;
}

/** Messages with a final answer (delivered, failed or expired), 0-100 of the total. */
export function finishedPercent(counts: StatusCounts): number {
  return percentOf(counts.delivered + counts.failed + counts.expired, counts.total);
}

export interface CountsRow {
  key: string;
  counts: StatusCounts;
  shares: StatusShare[];
}

/** One bar per carrier, the largest first; receipts without a known carrier ('unknown') last. */
export function carrierBars(byCarrier: Record<string, StatusCounts>): CountsRow[] {
  return Object.entries(byCarrier)
    .sort(([a, x], [b, y]) => Number(a === 'unknown') - Number(b === 'unknown') || y.total - x.total || a.localeCompare(b))
    .map(([key, counts]) => ({ key, counts, shares: statusShares(counts) }));
}

/** One row per area, by the area's name as staff read it ('unknown' and unnamed codes after the named). */
export function areaRows(byArea: Record<string, StatusCounts>, names: ReadonlyMap<string, string>): (CountsRow & { name?: string })[] {
  const collator = new Intl.Collator('vi');
  return Object.entries(byArea)
    .map(([key, counts]) => ({ key, counts, shares: statusShares(counts), ...(names.has(key) && { name: names.get(key) }) }))
    .sort((a, b) => Number(a.name === undefined) - Number(b.name === undefined) || collator.compare(a.name ?? a.key, b.name ?? b.key));
}

export interface DeliveredPoint {
  /** The minute's start. */
  minute: Date;
  delivered: number;
  /** Delivered up to the end of this minute. */
  cumulative: number;
}

/** Delivered over time, minute by minute, with the running total the chart draws. */
export function deliveredSeries(byMinute: readonly DeliveredInMinute[]): DeliveredPoint[] {
  let cumulative = 0;
  return [...byMinute]
    .sort((a, b) => a.minute.localeCompare(b.minute))
    .map(({ minute, delivered }) => {
      cumulative += delivered;
      return { minute: new Date(minute), delivered, cumulative };
    });
}

export interface ChartBox {
  width: number;
  height: number;
  /** Room for the axis labels: left and bottom. */
  left: number;
  bottom: number;
  top: number;
  right: number;
}

export interface ChartGeometry {
  /** The SVG path of the line: from 0 at the first minute's start to each minute's end. */
  path: string;
  points: { x: number; y: number }[];
  yMax: number;
  yTicks: { value: number; y: number }[];
  xStart: { time: Date; x: number };
  xEnd: { time: Date; x: number };
}

const MINUTE_MS = 60_000;

/**
 * Where the line of delivered messages goes in a box: time runs left to right from the first minute with a
 * delivery to the end of the last, the running total bottom to top on a scale ending at a round number.
 */
export function deliveredChart(series: readonly DeliveredPoint[], box: ChartBox): ChartGeometry | undefined {
  const first = series[0];
  const last = series[series.length - 1];
  if (!first || !last) return undefined;
  const start = first.minute.getTime();
  const end = last.minute.getTime() + MINUTE_MS;
  const { step, max: yMax } = niceScale(last.cumulative);
  const plotWidth = box.width - box.left - box.right;
  const plotHeight = box.height - box.top - box.bottom;
  const x = (time: number) => round(box.left + ((time - start) / (end - start)) * plotWidth);
  const y = (value: number) => round(box.top + plotHeight - (value / yMax) * plotHeight);
  const points = [
    { x: x(start), y: y(0) },
    ...series.map((point) => ({ x: x(point.minute.getTime() + MINUTE_MS), y: y(point.cumulative) })),
  ];
  const yTicks: { value: number; y: number }[] = [];
  for (let value = 0; value <= yMax; value += step) yTicks.push({ value, y: y(value) });
  return {
    path: points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x} ${point.y}`).join(' '),
    points,
    yMax,
    yTicks,
    xStart: { time: new Date(start), x: x(start) },
    xEnd: { time: new Date(end), x: x(end) },
  };
}

/** A scale from 0 in about four steps of 1, 2, 2.5 or 5 times a power of ten, reaching at least `value`. */
export function niceScale(value: number): { step: number; max: number } {
  if (value <= 0) return { step: 1, max: 1 };
  const rough = value / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const whole = Math.max(1, Math.round(step));
  return { step: whole, max: whole * Math.ceil(value / whole) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A number of seconds as whole hours, minutes and seconds, for "about 1 giờ 5 phút". */
export function durationParts(totalSeconds: number): { hours: number; minutes: number; seconds: number } {
  const rounded = Math.max(0, Math.ceil(totalSeconds));
  return { hours: Math.floor(rounded / 3600), minutes: Math.floor((rounded % 3600) / 60), seconds: rounded % 60 };
}
