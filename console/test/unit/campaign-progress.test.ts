import { describe, expect, it } from 'vitest';
import {
  areaRows,
  carrierBars,
  deliveredChart,
  deliveredSeries,
  durationParts,
  finishedPercent,
  niceScale,
  statusShares,
} from '../../src/pages/campaigns/campaign-progress.js';

function counts(values: Partial<Record<'queued' | 'submitted' | 'delivered' | 'failed' | 'expired', number>>) {
  const full = { queued: 0, submitted: 0, delivered: 0, failed: 0, expired: 0, ...values };
  return { ...full, total: full.queued + full.submitted + full.delivered + full.failed + full.expired };
}

const BOX = { width: 400, height: 200, left: 50, right: 10, top: 10, bottom: 30 };

describe('the shares of a campaign in each receipt status', () => {
  it('gives each status its percentage of the total, in the order a message moves', () => {
    const shares = statusShares(counts({ queued: 200, submitted: 100, delivered: 600, failed: 75, expired: 25 }));
    expect(shares.map(({ status, percent }) => [status, percent])).toEqual([
      ['queued', 20],
      ['submitted', 10],
      ['delivered', 60],
      ['failed', 7.5],
      ['expired', 2.5],
    ]);
  });

  it('gives 0% of nothing rather than dividing by zero', () => {
    expect(statusShares(counts({})).every(({ percent }) => percent === 0)).toBe(true);
    expect(finishedPercent(counts({}))).toBe(0);
  });

  it('counts a message as finished once delivered, failed or expired', () => {
    expect(finishedPercent(counts({ queued: 1, submitted: 1, delivered: 5, failed: 2, expired: 1 }))).toBe(80);
  });
});

describe('the bars by carrier and the rows by area', () => {
  it('puts the largest carrier first and receipts without a carrier last', () => {
    const bars = carrierBars({
      unknown: counts({ delivered: 900 }),
      mobifone: counts({ delivered: 30 }),
      viettel: counts({ delivered: 50, queued: 50 }),
    });
    expect(bars.map(({ key }) => key)).toEqual(['viettel', 'mobifone', 'unknown']);
    expect(bars[0]?.shares.find(({ status }) => status === 'delivered')?.percent).toBe(50);
  });

  it('orders areas by their Vietnamese names, codes without a name after', () => {
    const names = new Map([
      ['DNI-DXOAI-2', 'Khu phố Phú Thanh'],
      ['DNI-DXOAI-1', 'Khu phố Tân Bình'],
      ['DNI-DPHU-1', 'Ấp Tân Hòa'],
    ]);
    const rows = areaRows(
      {
        unknown: counts({ delivered: 1 }),
        'DNI-DXOAI-1': counts({ delivered: 2 }),
        'DNI-DPHU-1': counts({ delivered: 3 }),
        'DNI-DXOAI-2': counts({}),
      },
      names,
    );
    expect(rows.map(({ key, name }) => name ?? key)).toEqual(['Ấp Tân Hòa', 'Khu phố Phú Thanh', 'Khu phố Tân Bình', 'unknown']);
  });
});

describe('the line of delivered messages over time', () => {
  const series = deliveredSeries([
    { minute: '2026-03-05T02:12:00.000Z', delivered: 300 },
    { minute: '2026-03-05T02:10:00.000Z', delivered: 500 },
    { minute: '2026-03-05T02:13:00.000Z', delivered: 200 },
  ]);

  it('runs the total up minute by minute, oldest first, leaving quiet minutes out', () => {
    expect(series.map(({ minute, cumulative }) => [minute.toISOString(), cumulative])).toEqual([
      ['2026-03-05T02:10:00.000Z', 500],
      ['2026-03-05T02:12:00.000Z', 800],
      ['2026-03-05T02:13:00.000Z', 1000],
    ]);
  });

  it('starts at zero on the first minute and ends at the total at the end of the last, inside the box', () => {
    const chart = deliveredChart(series, BOX)!;
    expect(chart.points[0]).toEqual({ x: 50, y: 170 });
    expect(chart.points.at(-1)).toEqual({ x: 390, y: 10 });
    expect(chart.path).toBe('M50 170 L135 90 L305 42 L390 10');
    expect(chart.xStart.time.toISOString()).toBe('2026-03-05T02:10:00.000Z');
    expect(chart.xEnd.time.toISOString()).toBe('2026-03-05T02:14:00.000Z');
  });

  it('labels the scale at round numbers from 0 to at least the total', () => {
    const chart = deliveredChart(series, BOX)!;
    expect(chart.yMax).toBe(1000);
    expect(chart.yTicks.map(({ value }) => value)).toEqual([0, 250, 500, 750, 1000]);
    expect(chart.yTicks.at(-1)?.y).toBe(10);
  });

  it('draws nothing before the first delivery', () => {
    expect(deliveredChart([], BOX)).toBeUndefined();
  });

  it('chooses steps of 1, 2, 2.5 or 5 times a power of ten, never a fraction of a message', () => {
    expect(niceScale(0)).toEqual({ step: 1, max: 1 });
    expect(niceScale(3)).toEqual({ step: 1, max: 3 });
    expect(niceScale(7)).toEqual({ step: 2, max: 8 });
    expect(niceScale(10_000)).toEqual({ step: 2500, max: 10_000 });
    expect(niceScale(1_234_567)).toEqual({ step: 500_000, max: 1_500_000 });
  });
});

describe('a duration in words', () => {
  it('splits seconds into hours, minutes and seconds, rounding up', () => {
    expect(durationParts(3725.2)).toEqual({ hours: 1, minutes: 2, seconds: 6 });
    expect(durationParts(0)).toEqual({ hours: 0, minutes: 0, seconds: 0 });
  });
});
