import { storesIn } from '../../lambdas/core/ports.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteQueue } from '../../lambdas/adapters/sqlite/sqlite-queue.js';
import { openSqliteStores, type SqliteStores } from '../../lambdas/adapters/sqlite/sqlite-stores.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { Deps } from '../../lambdas/core/deps.js';
import type { Tour } from '../../lambdas/core/tours/tour-model.js';
import { tourCoverage } from '../../lambdas/core/tours/coverage.js';
import { seedDemo } from '../../lambdas/embedded/demo.js';
import { newTempFolder } from '../temp-folder.js';
import { TEST_PSEUDONYMIZER } from '../test-pseudonymizer.js';

/** Saturday 28 November 2026, 21:00 in Hanoi: the demo's tours run Sunday 29 November to Saturday 5 December. */
const NOW = new Date('2026-11-28T14:00:00Z');

describe('the demo data', () => {
  let deps: Deps;
  let store: SqliteStores;
  let queue: SqliteQueue;
  const scheduled: Tour[] = [];

  beforeAll(async () => {
    const dir = newTempFolder('loa-demo-');
    const clock = { now: () => NOW };
    store = openSqliteStores(join(dir, 'loa.db'));
    queue = SqliteQueue.open(join(dir, 'queue.db'), clock);
    const scheduler = {
      campaignScheduled: async () => {},
      campaignUnscheduled: async () => {},
      tourScheduled: async (tour: Tour) => void scheduled.push(tour),
      tourUnscheduled: async () => {},
    };
    deps = { ...storesIn(store), queue, scheduler, clock, config: DEFAULT_CONFIG, pseudonymizer: TEST_PSEUDONYMIZER };
    await seedDemo(deps);
  });
  afterAll(() => {
    queue.close();
    store.close();
  });

  it('has two vans with a week of approved tours from tomorrow, each armed in the scheduler', async () => {
    const vans = await store.tours.listVans({ limit: 10 });
    expect(vans.items.map((van) => van.kind).sort()).toEqual(['motorbike', 'van']);
    const tours = await store.tours.listTours({}, { limit: 100 });
    expect(tours.items).toHaveLength(14);
    expect(tours.items.every((tour) => tour.status === 'approved')).toBe(true);
    const starts = tours.items.map((tour) => tour.nextFireAt!).sort();
    expect(starts[0]).toBe('2026-11-29T00:00:00.000Z');
    expect(starts.at(-1)).toBe('2026-12-05T07:30:00.000Z');
    expect(scheduled.map((tour) => tour.id).sort()).toEqual(tours.items.map((tour) => tour.id).sort());
  });

  it('passes the school by, and says so', async () => {
    const cityVan = (await store.tours.listVans({ limit: 10 })).items.find((van) => van.homeCommune === 'DNI-DXOAI');
    const [tour] = (await store.tours.listTours({ vanId: cityVan!.id }, { limit: 1 })).items;
    expect(tour!.stops.map((stop) => stop.areaCode)).not.toContain('DNI-DXOAI-4');
    expect(tour!.warnings).toEqual([expect.stringContaining('Trường THPT Đồng Xoài')]);
  });

  it('reaches every residential area once a day, and passes the school by', async () => {
    const week = await tourCoverage(deps, { from: new Date('2026-11-28T17:00:00Z'), to: new Date('2026-12-05T17:00:00Z') });
    const planned = Object.fromEntries(week.areas.map((area) => [area.code, area.planned]));
    expect(planned['DNI-DXOAI-1']).toBe(7);
    expect(planned['DNI-TBIEN-2']).toBe(7);
    expect(planned['DNI-DXOAI-4']).toBe(0);
    expect(week.uncovered).toEqual([]);
  });

  it('is seeded once', async () => {
    expect(await seedDemo(deps)).toEqual({ areas: 0, subscribers: 0 });
    expect((await store.tours.listTours({}, { limit: 100 })).items).toHaveLength(14);
  });
});
