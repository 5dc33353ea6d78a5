import { storesIn } from '../../../lambdas/core/ports.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStores, type SqliteStores } from '../../../lambdas/adapters/sqlite/sqlite-stores.js';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config.js';
import { ValidationError } from '../../../lambdas/core/errors.js';
import type { Area } from '../../../lambdas/core/model.js';
import { tourCoverage, type AreaCoverage } from '../../../lambdas/core/tours/coverage.js';
import type { Tour, TourRun } from '../../../lambdas/core/tours/tour-model.js';
import {
  dailyTour,
  DAYS,
  DISPATCHED_DAYS,
  generatedProvince,
  morning,
  stop,
  STOPS_PER_TOUR,
  tourRun,
  VANS,
  WEEK,
} from './generated-province.js';
import { HCM } from './tour-fixture.js';

const DAY_MS = 86_400_000;

let dir: string;
let store: SqliteStores;
const deps = () => ({ ...storesIn(store), config: DEFAULT_CONFIG });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loa-coverage-'));
  store = openSqliteStores(join(dir, 'loa.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const tour = dailyTour;
const run = tourRun;

/** Province P, commune C under it, and residential areas A1..A4 in C. */
const SMALL: Area[] = [
  { code: 'P', name: 'Tỉnh', path: 'P' },
  { code: 'C', name: 'Xã', parentCode: 'P', path: 'P/C' },
  { code: 'A1', name: 'Ấp 1', parentCode: 'C', path: 'P/C/A1' },
  { code: 'A2', name: 'Ấp 2', parentCode: 'C', path: 'P/C/A2' },
  { code: 'A3', name: 'Ấp 3', parentCode: 'C', path: 'P/C/A3' },
  { code: 'A4', name: 'Bệnh viện', parentCode: 'C', path: 'P/C/A4', quiet: true },
];

async function coverageOf(tours: Tour[], runs: TourRun[], period = WEEK) {
  await store.audience.putAreas(SMALL);
  for (const t of tours) await store.tours.insertTour(t);
  for (const r of runs) await store.tours.insertTourRun(r);
  const coverage = await tourCoverage(deps(), period);
  const byCode = new Map(coverage.areas.map((area) => [area.code, area]));
  const counts = (code: string) => {
    const area = byCode.get(code);
    return area && { planned: area.planned, confirmed: area.confirmed, missed: area.missed };
  };
  return { coverage, counts };
}

describe('tourCoverage', () => {
  it('counts a run with 2 of its 3 stops confirmed, and the third as missed once the run is missed', async () => {
    const oneTime = tour('t1', {
      schedule: { expression: 'at(2026-12-01T07:00:00)', timezone: HCM },
      stops: [stop('A1'), stop('A2'), stop('A3')],
      status: 'missed',
      runCount: 1,
    });
    const { nextFireAt: _, ...dispatchedTour } = oneTime;
    const missed = run(oneTime, morning(1), { status: 'missed', confirmedAreas: ['A1', 'A2'] });
    const { coverage, counts } = await coverageOf([dispatchedTour], [missed]);

    expect(counts('A1')).toEqual({ planned: 1, confirmed: 1, missed: 0 });
    expect(counts('A2')).toEqual({ planned: 1, confirmed: 1, missed: 0 });
    expect(counts('A3')).toEqual({ planned: 1, confirmed: 0, missed: 1 });
    expect(coverage.uncovered).toEqual([]);
  });

  it('does not count the unconfirmed stops of a run still dispatched as missed', async () => {
    const oneTime = tour('t1', { stops: [stop('A1'), stop('A2')], status: 'dispatched' });
    const { nextFireAt: _, ...dispatchedTour } = oneTime;
    const { counts } = await coverageOf([dispatchedTour], [run(oneTime, morning(2), { confirmedAreas: ['A2'] })]);
    expect(counts('A1')).toEqual({ planned: 1, confirmed: 0, missed: 0 });
    expect(counts('A2')).toEqual({ planned: 1, confirmed: 1, missed: 0 });
  });

  it('counts an approved daily cron tour once for each day of the period', async () => {
    const { coverage, counts } = await coverageOf([tour('daily', { stops: [stop('A1'), stop('A2')] })], []);
    expect(counts('A1')).toEqual({ planned: 7, confirmed: 0, missed: 0 });
    expect(counts('A2')).toEqual({ planned: 7, confirmed: 0, missed: 0 });
    expect(coverage.areas.reduce((sum, area) => sum + area.planned, 0)).toBe(14);
  });

  it('counts the starts of an approved tour from its next start on, and within the period only', async () => {
    const fromThursday = tour('thu', { stops: [stop('A1')], nextFireAt: morning(3).toISOString() });
    // A next start before the period (the scheduler lagging) counts from the period's start.
    const lagging = tour('lag', { stops: [stop('A2')], nextFireAt: morning(-3).toISOString() });
    const { counts } = await coverageOf([fromThursday, lagging], []);
    expect(counts('A1')?.planned).toBe(4);
    expect(counts('A2')?.planned).toBe(7);

    const twoDays = await tourCoverage(deps(), { from: morning(1), to: morning(3) });
    expect(twoDays.areas.find((area) => area.code === 'A1')?.planned).toBe(0);
    expect(twoDays.areas.find((area) => area.code === 'A2')?.planned).toBe(2);
  });

  it('counts each rate() tour from its own approval, however many share the expression', async () => {
    const every2Days = { expression: 'rate(2 days)', timezone: HCM };
    // Approved at 07:00 on Sunday 29 November, its next start not moved yet: starts 1, 3 and 5 December
    // within the week (taking the other tour's starts would give four).
    const sunday = tour('sun', {
      schedule: every2Days,
      stops: [stop('A1')],
      decidedAt: '2026-11-29T00:00:00.000Z',
      nextFireAt: '2026-11-29T00:00:00.000Z',
    });
    // Approved at 07:00 on Monday 30 November: starts 30 November, 2, 4 and 6 December.
    const monday = tour('mon', {
      schedule: every2Days,
      stops: [stop('A2')],
      decidedAt: '2026-11-30T00:00:00.000Z',
      nextFireAt: '2026-11-30T00:00:00.000Z',
    });
    const { counts } = await coverageOf([sunday, monday], []);
    expect(counts('A1')?.planned).toBe(3);
    expect(counts('A2')?.planned).toBe(4);
  });

  it('does not count a start twice when its run is dispatched already', async () => {
    // Runs on Monday to Wednesday; the Wednesday run was recorded but the tour's next start not moved yet
    // (dispatchTour stopped between the two writes, as a crash would leave it).
    const daily = tour('daily', { stops: [stop('A1'), stop('A2')], nextFireAt: morning(2).toISOString(), runCount: 3 });
    const runs = [
      run(daily, morning(0), { status: 'completed', confirmedAreas: ['A1', 'A2'] }),
      run(daily, morning(1), { status: 'missed' }),
      run(daily, morning(2), { confirmedAreas: ['A1'] }),
    ];
    const { counts } = await coverageOf([daily], runs);
    expect(counts('A1')).toEqual({ planned: 7, confirmed: 2, missed: 1 });
    expect(counts('A2')).toEqual({ planned: 7, confirmed: 1, missed: 1 });
  });

  it('lists only residential areas, in path order, and the ones with nothing planned as uncovered, quiet ones aside', async () => {
    // A stop in the commune itself is not a residential area's broadcast.
    const { coverage } = await coverageOf([tour('t', { stops: [stop('C'), stop('A2')] })], []);
    expect(coverage.areas.map((area) => area.code)).toEqual(['A1', 'A2', 'A3', 'A4']);
    expect(coverage.areas[0]).toEqual({ code: 'A1', name: 'Ấp 1', path: 'P/C/A1', planned: 0, confirmed: 0, missed: 0 });
    expect(coverage.uncovered).toEqual([
      { code: 'A1', name: 'Ấp 1', path: 'P/C/A1' },
      { code: 'A3', name: 'Ấp 3', path: 'P/C/A3' },
    ]);
    expect(coverage.areas[3]).toEqual({ code: 'A4', name: 'Bệnh viện', path: 'P/C/A4', planned: 0, confirmed: 0, missed: 0, quiet: true });
    expect(coverage.from).toBe(WEEK.from.toISOString());
    expect(coverage.to).toBe(WEEK.to.toISOString());
  });

  it('plans nothing for tours not approved, but counts the runs of tours since cancelled or ended', async () => {
    const pending = tour('pending', { status: 'pending_approval', stops: [stop('A1')] });
    const draft = tour('draft', { status: 'draft', stops: [stop('A1')] });
    const { nextFireAt: _, ...cancelled } = tour('cancelled', { status: 'cancelled', stops: [stop('A2')] });
    const { counts } = await coverageOf(
      [pending, draft, cancelled],
      [run(cancelled, morning(0), { status: 'completed', confirmedAreas: ['A2'] }), run(cancelled, morning(1), { status: 'missed' })],
    );
    expect(counts('A1')?.planned).toBe(0);
    expect(counts('A2')).toEqual({ planned: 2, confirmed: 1, missed: 1 });
  });

  it('takes runs starting in [from, to): at from counts, at to does not', async () => {
    const { nextFireAt: _, ...ended } = tour('ended', { status: 'completed', stops: [stop('A1')] });
    const runs = [run(ended, WEEK.from), run(ended, WEEK.to), run(ended, new Date(WEEK.from.getTime() - 1))];
    const { counts } = await coverageOf([ended], runs);
    expect(counts('A1')?.planned).toBe(1);
  });

  it('refuses a period that does not end after it starts, or lasts more than 31 days', async () => {
    await store.audience.putAreas(SMALL);
    const refused = async (period: { from: Date; to: Date }) => {
      const error = await tourCoverage(deps(), period).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).problems;
    };
    const from = WEEK.from;
    expect(await refused({ from, to: from })).toEqual([{ field: 'to', message: 'must be after from' }]);
    expect((await refused({ from, to: new Date(from.getTime() - DAY_MS) }))[0]?.field).toBe('to');
    expect((await refused({ from, to: new Date(from.getTime() + 31 * DAY_MS + 1) }))[0]?.field).toBe('to');
    expect((await refused({ from, to: new Date(Number.NaN) }))[0]?.field).toBe('to');

    const month = await tourCoverage(deps(), { from, to: new Date(from.getTime() + 31 * DAY_MS) });
    expect(month.areas).toHaveLength(4);
  });
});

describe('tourCoverage of a province', () => {
  it('covers a week of 100 vans over 1,000 residential areas', async () => {
    const { areas, residential, tours, runs } = generatedProvince();
    await store.audience.putAreas(areas);
    for (const t of tours) await store.tours.insertTour(t);
    for (const r of runs) await store.tours.insertTourRun(r);
    const coverage = await tourCoverage(deps(), WEEK);

    const total = (field: keyof Pick<AreaCoverage, 'planned' | 'confirmed' | 'missed'>) =>
      coverage.areas.reduce((sum, area) => sum + area[field], 0);
    expect(coverage.areas).toHaveLength(1000);
    expect(coverage.areas.map((area) => area.path)).toEqual(residential.map((area) => area.path).sort());
    expect(total('planned')).toBe(VANS * DAYS * STOPS_PER_TOUR);
    const evenVans = VANS / 2;
    const oddVans = VANS / 2;
    expect(total('confirmed')).toBe(evenVans * DISPATCHED_DAYS * STOPS_PER_TOUR + oddVans * (1 + 2));
    expect(total('missed')).toBe(oddVans * (STOPS_PER_TOUR - 1));

    // Per area: every toured area hears the van each day of the week.
    const heard = new Set(tours.flatMap((t) => t.stops.map((s) => s.areaCode)));
    expect(heard.size).toBe(VANS * STOPS_PER_TOUR);
    for (const area of coverage.areas) expect(area.planned).toBe(heard.has(area.code) ? DAYS : 0);
    const first = (v: number, a: number) => coverage.areas.find((area) => area.code === `DNI-H${Math.floor(v / 10)}-X${v % 10}-A${a}`);
    expect(first(4, 0)).toMatchObject({ planned: 7, confirmed: 2, missed: 0 });
    expect(first(5, 0)).toMatchObject({ planned: 7, confirmed: 2, missed: 0 });
    expect(first(5, 1)).toMatchObject({ planned: 7, confirmed: 1, missed: 1 });
    expect(first(5, 4)).toMatchObject({ planned: 7, confirmed: 0, missed: 1 });

    expect(coverage.uncovered).toHaveLength(residential.length - heard.size);
    expect(coverage.uncovered.map((area) => area.path)).toEqual(
      residential
        .filter((area) => !heard.has(area.code))
        .map((area) => area.path)
        .sort(),
    );
  });

  it('narrows to the residential areas within a district, a commune or one area, and names an unknown one', async () => {
    const { areas, tours, runs } = generatedProvince();
    await store.audience.putAreas(areas);
    for (const t of tours) await store.tours.insertTour(t);
    for (const r of runs) await store.tours.insertTourRun(r);

    const district = await tourCoverage(deps(), WEEK, 'DNI-H1');
    expect(district.areas).toHaveLength(100);
    expect(district.areas.every((area) => area.path.startsWith('DNI/DNI-H1/'))).toBe(true);
    const commune = await tourCoverage(deps(), WEEK, 'DNI-H1-X5');
    expect(commune.areas.map((area) => [area.code, area.planned])).toEqual(
      Array.from({ length: 10 }, (_, a) => [`DNI-H1-X5-A${a}`, a < STOPS_PER_TOUR ? DAYS : 0]),
    );
    expect(commune.uncovered.map((area) => area.code)).toEqual([
      'DNI-H1-X5-A5',
      'DNI-H1-X5-A6',
      'DNI-H1-X5-A7',
      'DNI-H1-X5-A8',
      'DNI-H1-X5-A9',
    ]);
    expect((await tourCoverage(deps(), WEEK, 'DNI-H1-X5-A0')).areas.map((area) => area.code)).toEqual(['DNI-H1-X5-A0']);

    const unknown = await tourCoverage(deps(), WEEK, 'DNI-H99').catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(ValidationError);
    expect((unknown as ValidationError).problems).toEqual([{ field: 'within', message: 'unknown area DNI-H99' }]);
  });
});
