/**
 * The behaviour every TourStore adapter must have: vans, tours (with the tours planned, due, and found
 * by van, status and creator), and tour runs. How the stores are opened: store-contract-fixture.ts.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../lambdas/core/errors.js';
import type { Tour, TourRun, TourStatus, Van } from '../../lambdas/core/tours/tour-model.js';
import { at, uniqueId, uniquePhone } from '../factories.js';
import { collect, type OpenStores, storesOpenedForEachTest } from './store-contract-fixture.js';

function aVan(overrides: Partial<Van> = {}): Van {
  return {
    id: uniqueId('van'),
    plate: '60A-123.45',
    kind: 'van',
    crewLead: { name: 'Nguyen Van An', phone: uniquePhone() },
    homeCommune: 'P/A1',
    status: 'active',
    feedToken: randomBytes(18).toString('base64url'),
    createdBy: 'operator-1',
    createdAt: at(0),
    revision: 1,
    ...overrides,
  };
}

export function aTour(overrides: Partial<Tour> = {}): Tour {
  return {
    id: uniqueId('tour'),
    name: 'Tuyen truyen phong chong sot xuat huyet',
    vanId: uniqueId('van'),
    scriptId: uniqueId('tpl'),
    scriptVersion: 1,
    schedule: { expression: 'cron(0 7 ? * SAT *)', timezone: 'Asia/Ho_Chi_Minh' },
    stops: [
      { areaCode: 'A1', minutes: 20 },
      { areaCode: 'A2', minutes: 15 },
    ],
    priority: 'normal',
    status: 'draft',
    warnings: [],
    createdBy: 'author-1',
    createdAt: at(0),
    runCount: 0,
    revision: 1,
    ...overrides,
  };
}

/** `minutes` after an ISO instant. */
function plus(instant: string, minutes: number): string {
  return new Date(Date.parse(instant) + minutes * 60_000).toISOString();
}

/** A dispatched run of a tour of its own, starting at `startsAt` (its run id, as the use cases make it). */
export function aTourRun(startsAt: string, overrides: Partial<TourRun> = {}): TourRun {
  const endsAt = plus(startsAt, 35);
  return {
    tourId: uniqueId('tour'),
    runId: startsAt,
    vanId: uniqueId('van'),
    startsAt,
    endsAt,
    stops: [
      { areaCode: 'A1', minutes: 20, startsAt, endsAt: plus(startsAt, 20) },
      { areaCode: 'A2', minutes: 15, startsAt: plus(startsAt, 20), endsAt },
    ],
    status: 'dispatched',
    crewCampaignId: uniqueId('cmp'),
    confirmBy: plus(endsAt, 120),
    confirmed: [],
    notes: [],
    ...overrides,
  };
}

/** The ids among `records` that belong to `own`, sorted (for results in any order). */
function idsOf<T extends { id: string }>(records: T[], own: T[]): string[] {
  return records
    .filter((r) => own.some((o) => o.id === r.id))
    .map((r) => r.id)
    .sort();
}

function runKey(run: Pick<TourRun, 'tourId' | 'runId'>): string {
  return `${run.tourId}|${run.runId}`;
}

/** The keys among `runs` of the runs in `own`, sorted. */
function runKeysOf(runs: TourRun[], own: TourRun[]): string[] {
  const mine = new Set(own.map(runKey));
  return runs
    .map(runKey)
    .filter((key) => mine.has(key))
    .sort();
}

function byCreation<T extends { createdAt: string; id: string }>(a: T, b: T): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function describeTourStoreContract(adapterName: string, open: OpenStores): void {
  describe(`TourStore contract: ${adapterName}`, () => {
    const store = storesOpenedForEachTest(open);

    /** Moves a stored tour on by one revision. */
    async function update(tour: Tour, changes: Partial<Tour>): Promise<Tour> {
      const next = { ...tour, ...changes, revision: tour.revision + 1 };
      await store.tours.updateTour(next);
      return next;
    }

    describe('vans', () => {
      it('keeps a van and refuses a second one with the same id, leaving the first as it was', async () => {
        const van = aVan();
        await store.tours.insertVan(van);

        await expect(store.tours.insertVan({ ...van, plate: '29B-999.99' })).rejects.toBeInstanceOf(ConflictError);
        expect(await store.tours.getVan(van.id)).toEqual(van);
        expect(await store.tours.getVan(uniqueId('van'))).toBeUndefined();
      });

      it('writes an update that names the revision it read', async () => {
        const van = aVan({ revision: 3 });
        await store.tours.insertVan(van);
        const inMaintenance = { ...van, status: 'maintenance' as const, revision: 4 };

        await store.tours.updateVan(inMaintenance);

        expect(await store.tours.getVan(van.id)).toEqual(inMaintenance);
      });

      it('keeps the crew bound to a van, and an empty crew', async () => {
        const van = aVan();
        await store.tours.insertVan(van);
        const crewed = { ...van, crewUsers: ['hai', 'lam'], revision: van.revision + 1 };
        await store.tours.updateVan(crewed);
        expect(await store.tours.getVan(van.id)).toEqual(crewed);
        const unbound = { ...crewed, crewUsers: [], revision: crewed.revision + 1 };
        await store.tours.updateVan(unbound);
        expect(await store.tours.getVan(van.id)).toEqual(unbound);
      });

      it('refuses an update made from a stale read, or of a van it does not have', async () => {
        const van = aVan();
        await store.tours.insertVan(van);
        await store.tours.updateVan({ ...van, status: 'maintenance', revision: 2 });

        await expect(store.tours.updateVan({ ...van, plate: '29B-999.99', revision: 2 })).rejects.toBeInstanceOf(ConflictError);
        await expect(store.tours.updateVan({ ...van, plate: '29B-999.99', revision: 4 })).rejects.toBeInstanceOf(ConflictError);
        await expect(store.tours.updateVan(aVan({ revision: 2 }))).rejects.toBeInstanceOf(ConflictError);
        expect(await store.tours.getVan(van.id)).toEqual({ ...van, status: 'maintenance', revision: 2 });
      });

      it('lists vans in creation order (then id), page by page, each exactly once', async () => {
        const vans = [at(4), at(1), at(3), at(1), at(2)].map((createdAt) => aVan({ createdAt }));
        for (const van of vans) await store.tours.insertVan(van);

        const listed = await collect((page) => store.tours.listVans(page), 2);

        expect(listed.filter((v) => vans.some((own) => own.id === v.id))).toEqual([...vans].sort(byCreation));
      });
    });

    describe('tours', () => {
      it('keeps a tour with every field and refuses a second one with the same id', async () => {
        const tour = aTour({
          status: 'approved',
          priority: 'emergency',
          warnings: ['A3 skipped: a hospital area'],
          submittedAt: at(10),
          decidedBy: 'approver-1',
          decidedAt: at(20),
          nextFireAt: at(3600),
          runCount: 2,
          revision: 4,
        });
        await store.tours.insertTour(tour);

        await expect(store.tours.insertTour({ ...tour, name: 'other' })).rejects.toBeInstanceOf(ConflictError);
        expect(await store.tours.getTour(tour.id)).toEqual(tour);
        expect(await store.tours.getTour(uniqueId('tour'))).toBeUndefined();
      });

      it('writes an update that names the revision it read, dropping fields left out', async () => {
        const tour = aTour({ status: 'pending_approval', submittedAt: at(1), nextFireAt: at(60) });
        await store.tours.insertTour(tour);
        const { nextFireAt: _dropped, ...rest } = tour;
        const rejected = { ...rest, status: 'draft' as const, rejectionReason: 'wrong script', revision: 2 };

        await store.tours.updateTour(rejected);

        expect(await store.tours.getTour(tour.id)).toEqual(rejected);
      });

      it('refuses an update made from a stale read, or of a tour it does not have', async () => {
        const tour = aTour();
        await store.tours.insertTour(tour);
        const submitted = await update(tour, { status: 'pending_approval' });

        await expect(store.tours.updateTour({ ...tour, status: 'cancelled', revision: 2 })).rejects.toBeInstanceOf(ConflictError);
        await expect(store.tours.updateTour({ ...tour, status: 'cancelled', revision: 5 })).rejects.toBeInstanceOf(ConflictError);
        await expect(store.tours.updateTour(aTour({ revision: 2 }))).rejects.toBeInstanceOf(ConflictError);
        expect(await store.tours.getTour(tour.id)).toEqual(submitted);
      });

      it('lets only one of two concurrent updates from the same read win', async () => {
        const tour = aTour({ status: 'pending_approval', revision: 2 });
        await store.tours.insertTour(tour);
        const approved = { ...tour, status: 'approved' as const, nextFireAt: at(60), revision: 3 };
        const cancelled = { ...tour, status: 'cancelled' as const, revision: 3 };

        const results = await Promise.allSettled([store.tours.updateTour(approved), store.tours.updateTour(cancelled)]);

        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const loser = results.find((r) => r.status === 'rejected');
        expect(loser?.status === 'rejected' && loser.reason).toBeInstanceOf(ConflictError);
        expect(await store.tours.getTour(tour.id)).toEqual(results[0]?.status === 'fulfilled' ? approved : cancelled);
      });

      it('lists tours in creation order (then id), page by page, each exactly once', async () => {
        const tours = [at(5), at(1), at(3), at(1), at(2), at(4)].map((createdAt) => aTour({ createdAt }));
        for (const tour of tours) await store.tours.insertTour(tour);

        const listed = await collect((page) => store.tours.listTours({}, page), 4);

        expect(listed.filter((t) => tours.some((own) => own.id === t.id))).toEqual([...tours].sort(byCreation));
      });

      it('lists the tours of one van, in one status, or both, page by page', async () => {
        const vanA = uniqueId('van');
        const vanB = uniqueId('van');
        const statuses: TourStatus[] = ['draft', 'pending_approval', 'pending_approval', 'approved', 'completed'];
        const tours = [
          ...statuses.map((status, i) => aTour({ vanId: vanA, status, createdAt: at(10 - i) })),
          ...statuses.map((status, i) => aTour({ vanId: vanB, status, createdAt: at(i) })),
        ];
        for (const tour of tours) await store.tours.insertTour(tour);
        const expected = (keep: (t: Tour) => boolean) => tours.filter(keep).sort(byCreation);
        const mine = (listed: Tour[]) => listed.filter((t) => tours.some((own) => own.id === t.id));

        expect(await collect((page) => store.tours.listTours({ vanId: vanA }, page), 2)).toEqual(expected((t) => t.vanId === vanA));
        expect(mine(await collect((page) => store.tours.listTours({ status: 'pending_approval' }, page), 3))).toEqual(
          expected((t) => t.status === 'pending_approval'),
        );
        expect(await collect((page) => store.tours.listTours({ vanId: vanB, status: 'pending_approval' }, page), 1)).toEqual(
          expected((t) => t.vanId === vanB && t.status === 'pending_approval'),
        );
        expect(await collect((page) => store.tours.listTours({ vanId: uniqueId('van') }, page), 2)).toEqual([]);
      });

      it('moves a tour between filtered lists when its status or van changes', async () => {
        const vanA = uniqueId('van');
        const vanB = uniqueId('van');
        const tour = aTour({ vanId: vanA, status: 'pending_approval' });
        await store.tours.insertTour(tour);

        const moved = await update(tour, { vanId: vanB, status: 'approved', nextFireAt: at(60) });

        const ids = async (filter: { vanId?: string; status?: TourStatus }) =>
          idsOf(await collect((page) => store.tours.listTours(filter, page), 50), [tour]);
        expect(await ids({ vanId: vanA })).toEqual([]);
        expect(await ids({ vanId: vanB })).toEqual([moved.id]);
        expect(await ids({ status: 'pending_approval' })).toEqual([]);
        expect(await ids({ status: 'approved' })).toEqual([moved.id]);
        expect(await ids({ vanId: vanB, status: 'approved' })).toEqual([moved.id]);
      });

      it('gives the planned tours: pending approval, approved or dispatched, as their status changes', async () => {
        const byStatus = new Map<TourStatus, Tour>(
          (['draft', 'pending_approval', 'approved', 'dispatched', 'completed', 'missed', 'cancelled'] as const).map((status) => [
            status,
            aTour({ status, ...(status === 'approved' && { nextFireAt: at(60) }) }),
          ]),
        );
        const tours = [...byStatus.values()];
        for (const tour of tours) await store.tours.insertTour(tour);
        const tour = (status: TourStatus) => byStatus.get(status) as Tour;

        expect(idsOf(await store.tours.plannedTours(), tours)).toEqual(
          [tour('pending_approval').id, tour('approved').id, tour('dispatched').id].sort(),
        );
        expect((await store.tours.plannedTours()).find((t) => t.id === tour('approved').id)).toEqual(tour('approved'));

        await update(tour('draft'), { status: 'pending_approval' });
        await update(tour('dispatched'), { status: 'completed' });
        await update(tour('approved'), { status: 'cancelled', nextFireAt: undefined });
        // Approved with no start left to dispatch: planned still, though never due.
        await update(tour('pending_approval'), { status: 'approved' });

        expect(idsOf(await store.tours.plannedTours(), tours)).toEqual([tour('draft').id, tour('pending_approval').id].sort());
      });

      it('finds the approved tours due at a time, up to a limit', async () => {
        const now = '2001-01-01T12:00:00.000Z';
        const early = aTour({ status: 'approved', nextFireAt: '2001-01-01T11:00:00.000Z' });
        const onTheDot = aTour({ status: 'approved', nextFireAt: now });
        const later = aTour({ status: 'approved', nextFireAt: '2001-01-01T12:00:00.001Z' });
        const unscheduled = aTour({ status: 'approved' });
        const notApproved = (['draft', 'pending_approval', 'dispatched', 'completed', 'missed', 'cancelled'] as const).map((status) =>
          aTour({ status, nextFireAt: '2001-01-01T10:00:00.000Z' }),
        );
        const tours = [early, onTheDot, later, unscheduled, ...notApproved];
        for (const tour of tours) await store.tours.insertTour(tour);

        expect(idsOf(await store.tours.toursDue(now, 1000), tours)).toEqual([early.id, onTheDot.id].sort());
        expect(await store.tours.toursDue(now, 1)).toHaveLength(1);
        expect((await store.tours.toursDue(now, 1000)).find((t) => t.id === early.id)).toEqual(early);
      });

      it('takes a tour out of the due ones once it leaves approved or has no next start', async () => {
        const now = '2002-01-01T12:00:00.000Z';
        const due = (minutesBefore: number) => plus(now, -minutesBefore);
        const dispatched = aTour({ status: 'approved', nextFireAt: due(30) });
        const finished = aTour({ status: 'approved', nextFireAt: due(20) });
        const postponed = aTour({ status: 'approved', nextFireAt: due(10) });
        const newlyApproved = aTour({ status: 'pending_approval' });
        const tours = [dispatched, finished, postponed, newlyApproved];
        for (const tour of tours) await store.tours.insertTour(tour);
        expect(idsOf(await store.tours.toursDue(now, 1000), tours)).toEqual([dispatched.id, finished.id, postponed.id].sort());

        await update(dispatched, { status: 'dispatched' });
        await update(finished, { nextFireAt: undefined });
        await update(postponed, { nextFireAt: plus(now, 60) });
        await update(newlyApproved, { status: 'approved', nextFireAt: due(5) });

        expect(idsOf(await store.tours.toursDue(now, 1000), tours)).toEqual([newlyApproved.id]);
        expect(idsOf(await store.tours.toursDue(plus(now, 60), 1000), tours)).toEqual([newlyApproved.id, postponed.id].sort());
      });
    });

    describe('tour runs', () => {
      it('keeps a run once even when its start is dispatched twice', async () => {
        const run = aTourRun(at(0));
        expect(await store.tours.insertTourRun(run)).toBe(true);

        expect(await store.tours.insertTourRun({ ...run, crewCampaignId: uniqueId('cmp'), status: 'missed' })).toBe(false);

        expect(await store.tours.getTourRun(run.tourId, run.runId)).toEqual(run);
        expect(await store.tours.getTourRun(run.tourId, at(60))).toBeUndefined();
        expect(await store.tours.getTourRun(uniqueId('tour'), run.runId)).toBeUndefined();
      });

      it('keeps the runs of one tour apart', async () => {
        const tourId = uniqueId('tour');
        const first = aTourRun(at(0), { tourId });
        const second = aTourRun(at(7 * 24 * 3600), { tourId });

        expect(await store.tours.insertTourRun(first)).toBe(true);
        expect(await store.tours.insertTourRun(second)).toBe(true);

        expect(await store.tours.getTourRun(tourId, first.runId)).toEqual(first);
        expect(await store.tours.getTourRun(tourId, second.runId)).toEqual(second);
      });

      it('lists the runs of one tour, latest start first, page by page, and not the tour itself', async () => {
        const tour = aTour();
        await store.tours.insertTour(tour);
        const days = [3, 0, 5, 1, 4, 2, 6];
        const runs = days.map((day) => aTourRun(at(day * 24 * 3600), { tourId: tour.id }));
        for (const run of runs) await store.tours.insertTourRun(run);
        await store.tours.insertTourRun(aTourRun(at(10 * 24 * 3600)));

        const listed = await collect((page) => store.tours.listTourRuns(tour.id, page), 3);

        expect(listed).toEqual([...runs].sort((a, b) => b.startsAt.localeCompare(a.startsAt)));
        expect((await store.tours.listTourRuns(uniqueId('tour'), { limit: 10 })).items).toEqual([]);
      });

      it('overwrites a run with what the crew confirmed', async () => {
        const run = aTourRun(at(0));
        await store.tours.insertTourRun(run);
        const confirmed: TourRun = {
          ...run,
          status: 'completed',
          confirmed: run.stops.map((stop) => ({ areaCode: stop.areaCode, at: stop.endsAt, by: 'crew-lead' })),
          notes: [{ at: run.endsAt, by: 'crew-lead', text: 'Loa yeu o A2' }],
        };

        await store.tours.saveTourRun(confirmed);

        expect(await store.tours.getTourRun(run.tourId, run.runId)).toEqual(confirmed);
      });

      it('saves a run it did not have', async () => {
        const run = aTourRun(at(0));

        await store.tours.saveTourRun(run);

        expect(await store.tours.getTourRun(run.tourId, run.runId)).toEqual(run);
      });

      it('gives the runs starting in [from, to), over a local week across UTC days', async () => {
        // Monday 00:00 to the next Monday 00:00 in Ho Chi Minh City (UTC+7).
        const from = '2031-05-04T17:00:00.000Z';
        const to = '2031-05-11T17:00:00.000Z';
        const inside = [
          from,
          '2031-05-04T23:59:59.999Z',
          '2031-05-05T00:00:00.000Z',
          ...Array.from({ length: 7 }, (_, day) => plus(from, day * 24 * 60 + 7 * 60)),
          '2031-05-11T16:59:59.999Z',
        ].map((startsAt) => aTourRun(startsAt));
        const outside = ['2031-05-04T16:59:59.999Z', to, '2031-05-11T17:00:00.001Z', '2031-04-27T17:00:00.000Z'].map((startsAt) =>
          aTourRun(startsAt),
        );
        const runs = [...inside, ...outside];
        for (const run of runs) await store.tours.insertTourRun(run);

        const found = await store.tours.tourRunsBetween(from, to);

        expect(runKeysOf(found, runs)).toEqual(runKeysOf(inside, inside));
        expect(found.find((r) => runKey(r) === runKey(inside[0] as TourRun))).toEqual(inside[0]);
      });

      it('gives the runs of a short range within a day, and none of an empty range', async () => {
        const day = '2032-02-10';
        const runs = ['09:59:59.999', '10:00:00.000', '11:30:00.000', '12:00:00.000'].map((time) => aTourRun(`${day}T${time}Z`));
        for (const run of runs) await store.tours.insertTourRun(run);
        const [, atTen, halfPastEleven, atNoon] = runs as [TourRun, TourRun, TourRun, TourRun];

        expect(runKeysOf(await store.tours.tourRunsBetween(`${day}T10:00:00.000Z`, `${day}T12:00:00.000Z`), runs)).toEqual(
          runKeysOf([atTen, halfPastEleven], runs),
        );
        expect(runKeysOf(await store.tours.tourRunsBetween(`${day}T12:00:00.000Z`, `${day}T12:00:00.000Z`), [atNoon])).toEqual([]);
        expect(runKeysOf(await store.tours.tourRunsBetween(`${day}T12:00:00.000Z`, `${day}T10:00:00.000Z`), runs)).toEqual([]);
      });

      it('gives the dispatched runs whose confirmation is overdue', async () => {
        const now = '2003-06-01T12:00:00.000Z';
        const start = (minutesBeforeNow: number) => plus(now, -minutesBeforeNow);
        const overdue = aTourRun(start(300), { confirmBy: plus(now, -1) });
        const dueNow = aTourRun(start(200), { confirmBy: now });
        const notYet = aTourRun(start(100), { confirmBy: plus(now, 1) });
        const completed = aTourRun(start(300), { status: 'completed', confirmBy: plus(now, -60) });
        const missed = aTourRun(start(300), { status: 'missed', confirmBy: plus(now, -60) });
        const runs = [overdue, dueNow, notYet, completed, missed];
        for (const run of runs) await store.tours.insertTourRun(run);

        const found = await store.tours.overdueTourRuns(now);

        expect(runKeysOf(found, runs)).toEqual(runKeysOf([overdue, dueNow], runs));
        expect(found.find((r) => runKey(r) === runKey(overdue))).toEqual(overdue);
      });

      it('takes a run out of the overdue ones once it leaves dispatched, and only then', async () => {
        const now = '2004-06-01T12:00:00.000Z';
        const confirmed = aTourRun(plus(now, -300), { confirmBy: plus(now, -30) });
        const missed = aTourRun(plus(now, -300), { confirmBy: plus(now, -20) });
        const redispatched = aTourRun(plus(now, -300), { status: 'completed', confirmBy: plus(now, -10) });
        const runs = [confirmed, missed, redispatched];
        for (const run of runs) await store.tours.insertTourRun(run);
        expect(runKeysOf(await store.tours.overdueTourRuns(now), runs)).toEqual(runKeysOf([confirmed, missed], runs));

        await store.tours.saveTourRun({ ...confirmed, status: 'completed' });
        await store.tours.saveTourRun({ ...missed, status: 'missed' });
        // A start dispatched again is the same run: inserting it changes nothing.
        expect(await store.tours.insertTourRun({ ...redispatched, status: 'dispatched' })).toBe(false);

        expect(runKeysOf(await store.tours.overdueTourRuns(now), runs)).toEqual([]);
        // Still found by their start: leaving the overdue set does not leave the calendar.
        expect(runKeysOf(await store.tours.tourRunsBetween(plus(now, -300), now), runs)).toEqual(runKeysOf(runs, runs));
      });
    });

    describe('filtered lists', () => {
      it("lists one person's tours in a status, or everyone's but theirs", async () => {
        const lan = uniqueId('lan');
        const hoa = uniqueId('hoa');
        const tours = [
          aTour({ createdBy: lan, status: 'pending_approval', createdAt: at(0) }),
          aTour({ createdBy: hoa, status: 'pending_approval', createdAt: at(1) }),
          aTour({ createdBy: lan, status: 'draft', rejectionReason: 'Trung gio', createdAt: at(2) }),
        ];
        for (const tour of tours) await store.tours.insertTour(tour);

        const forLan = await collect((page) => store.tours.listTours({ status: 'pending_approval', notCreatedBy: lan }, page), 2);
        const lansDrafts = await collect((page) => store.tours.listTours({ status: 'draft', createdBy: lan }, page), 2);

        expect(idsOf(forLan, tours)).toEqual([tours[1]!.id]);
        expect(lansDrafts).toEqual([tours[2]]);
      });
    });
  });
}
