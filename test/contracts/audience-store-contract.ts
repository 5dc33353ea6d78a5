/**
 * The behaviour every AudienceStore adapter must have: areas, subscribers, opt-outs, segments, and the
 * recipients a segment filter matches, counted and walked page by page. How the stores are opened:
 * store-contract-fixture.ts.
 */
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../lambdas/core/errors.js';
import type { ResolvedSegmentFilter } from '../../lambdas/core/model.js';
import type { Recipient, Stores } from '../../lambdas/core/ports.js';
import { anArea, anOptOut, aSegment, aSubscriber, aSubscriberIn, at, uniqueId, uniquePhone } from '../factories.js';
import { collect, type OpenStores, storesOpenedForEachTest } from './store-contract-fixture.js';

/** Every recipient of a segment walk, page by page. */
async function walk(store: Stores, filter: ResolvedSegmentFilter, limit: number): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await store.audience.nextRecipients(filter, cursor, limit);
    expect(page.recipients.length).toBeLessThanOrEqual(limit);
    recipients.push(...page.recipients);
    if (page.cursor === undefined) return recipients;
    cursor = page.cursor;
  }
  throw new Error('the walk never ended');
}

function filter(overrides: Partial<ResolvedSegmentFilter>): ResolvedSegmentFilter {
  return { areaPaths: [], tags: [], carriers: [], ...overrides };
}

export function describeAudienceStoreContract(adapterName: string, open: OpenStores): void {
  describe(`AudienceStore contract: ${adapterName}`, () => {
    const store = storesOpenedForEachTest(open);

    describe('areas', () => {
      it('keeps areas and finds them by code, skipping codes it does not know', async () => {
        const province = anArea();
        const ward = anArea({}, province);
        await store.audience.putAreas([province, ward]);

        const found = await store.audience.getAreas([ward.code, uniqueId('AREA'), province.code, ward.code]);

        expect(found.sort((a, b) => a.code.localeCompare(b.code))).toEqual([province, ward].sort((a, b) => a.code.localeCompare(b.code)));
        expect(await store.audience.getAreas([])).toEqual([]);
      });

      it('renames an area that is put again', async () => {
        const area = anArea();
        await store.audience.putAreas([area]);

        await store.audience.putAreas([{ ...area, name: 'Phuong Tan Phu' }]);

        expect(await store.audience.getAreas([area.code])).toEqual([{ ...area, name: 'Phuong Tan Phu' }]);
      });

      it('lists areas in code order, page by page, each exactly once', async () => {
        const root = anArea();
        const areas = [root, ...Array.from({ length: 6 }, () => anArea({}, root))];
        await store.audience.putAreas(areas);

        const listed = await collect((page) => store.audience.listAreas(page), 4);

        const mine = listed.filter((a) => areas.some((own) => own.code === a.code));
        expect(mine).toEqual([...areas].sort((a, b) => (a.code < b.code ? -1 : 1)));
      });
    });

    describe('subscribers', () => {
      it('upserts by phone and says how many were new and how many replaced', async () => {
        const area = anArea();
        const first = aSubscriberIn(area, { tags: ['worker'] });
        const second = aSubscriberIn(area);
        expect(await store.audience.upsertSubscribers([first, second])).toEqual({ inserted: 2, updated: 0 });

        const moved = { ...first, tags: ['student', 'boarding-house'], carrier: 'viettel' as const, updatedAt: at(9) };
        const third = aSubscriberIn(area);
        expect(await store.audience.upsertSubscribers([moved, third])).toEqual({ inserted: 1, updated: 1 });

        expect(await store.audience.getSubscriber(first.phone)).toEqual(moved);
        expect(await store.audience.getSubscriber(third.phone)).toEqual(third);
        expect(await store.audience.getSubscriber(uniquePhone())).toBeUndefined();
      });

      it('keeps a subscriber without a carrier and without tags', async () => {
        const subscriber = aSubscriber({ carrier: undefined, carrierSource: 'unknown', tags: [] });
        delete subscriber.carrier;
        await store.audience.upsertSubscribers([subscriber]);

        const stored = await store.audience.getSubscriber(subscriber.phone);

        expect(stored).toEqual(subscriber);
        expect(stored?.carrier).toBeUndefined();
      });

      it('accepts an empty batch', async () => {
        expect(await store.audience.upsertSubscribers([])).toEqual({ inserted: 0, updated: 0 });
      });

      it('keeps where a subscriber came from and when, replaced by the next import that writes it', async () => {
        const area = anArea();
        const imported = aSubscriberIn(area, {
          source: { kind: 'import', importId: 'imp_1', fileName: 'Đồng Xoài, tháng 3.csv' },
          sourcedAt: at(1),
        });
        await store.audience.upsertSubscribers([imported]);
        expect(await store.audience.getSubscriber(imported.phone)).toEqual(imported);

        const byClient = {
          ...imported,
          source: { kind: 'integration' as const, clientId: 'hotline-1022', importId: 'imp_2' },
          sourcedAt: at(2),
        };
        await store.audience.upsertSubscribers([byClient]);
        expect(await store.audience.getSubscriber(imported.phone)).toEqual(byClient);
      });
    });

    describe('opt-outs', () => {
      it('keeps the first opt-out of a number', async () => {
        const optOut = anOptOut();
        expect(await store.audience.addOptOut(optOut)).toBe(true);

        expect(await store.audience.addOptOut({ ...optOut, source: 'hotline', at: at(60) })).toBe(false);

        expect(await store.audience.getOptOut(optOut.phone)).toEqual(optOut);
      });

      it('removes an opt-out once', async () => {
        const optOut = anOptOut();
        await store.audience.addOptOut(optOut);

        expect(await store.audience.removeOptOut(optOut.phone)).toBe(true);
        expect(await store.audience.removeOptOut(optOut.phone)).toBe(false);
        expect(await store.audience.getOptOut(optOut.phone)).toBeUndefined();
        expect(await store.audience.removeOptOut(uniquePhone())).toBe(false);
      });

      it('lists opt-outs in phone order, page by page, each exactly once', async () => {
        const optOuts = Array.from({ length: 5 }, () => anOptOut());
        for (const optOut of optOuts) await store.audience.addOptOut(optOut);

        const listed = await collect((page) => store.audience.listOptOuts(page), 2);

        const mine = listed.filter((o) => optOuts.some((own) => own.phone === o.phone));
        expect(mine).toEqual(optOuts);
      });

      it('says which numbers or pseudonyms have an opt-out', async () => {
        const [first, second] = [anOptOut(), anOptOut({ phone: `anon_${uniqueId('x')}` })];
        await store.audience.addOptOut(first);
        await store.audience.addOptOut(second);
        const never = uniquePhone();

        expect(await store.audience.optedOutAmong([first.phone, second.phone, never, first.phone])).toEqual(
          new Set([first.phone, second.phone]),
        );
        expect(await store.audience.optedOutAmong([])).toEqual(new Set());
      });
    });

    describe('erasure', () => {
      it('deletes the subscriber and keeps its opt-out only under the pseudonym', async () => {
        const area = anArea();
        await store.audience.putAreas([area]);
        const [erased, neighbour] = [aSubscriberIn(area), aSubscriberIn(area)];
        await store.audience.upsertSubscribers([erased, neighbour]);
        const optOut = anOptOut({ phone: erased.phone, source: 'hotline-1022' });
        await store.audience.addOptOut(optOut);
        const pseudonym = `anon_${uniqueId('x')}`;

        expect(await store.audience.eraseSubscriber(erased.phone, pseudonym)).toEqual({ subscriber: true, optedOut: true });

        expect(await store.audience.getSubscriber(erased.phone)).toBeUndefined();
        expect(await store.audience.getOptOut(erased.phone)).toBeUndefined();
        expect(await store.audience.getOptOut(pseudonym)).toEqual({ ...optOut, phone: pseudonym });
        const listed = await collect((page) => store.audience.listOptOuts(page), 100);
        expect(listed.map((o) => o.phone)).toContain(pseudonym);
        expect(listed.map((o) => o.phone)).not.toContain(erased.phone);
        expect((await walk(store, filter({ areaPaths: [area.path] }), 10)).map((r) => r.phone)).toEqual([neighbour.phone]);
        expect(await store.audience.eraseSubscriber(erased.phone, pseudonym)).toEqual({ subscriber: false, optedOut: false });
      });

      it('erases a subscriber that never opted out, and a number that only opted out', async () => {
        const subscriber = aSubscriber();
        await store.audience.upsertSubscribers([subscriber]);
        const onlyOptedOut = anOptOut();
        await store.audience.addOptOut(onlyOptedOut);
        const [first, second] = [`anon_${uniqueId('x')}`, `anon_${uniqueId('x')}`];

        expect(await store.audience.eraseSubscriber(subscriber.phone, first)).toEqual({ subscriber: true, optedOut: false });
        expect(await store.audience.getOptOut(first)).toBeUndefined();
        expect(await store.audience.eraseSubscriber(onlyOptedOut.phone, second)).toEqual({ subscriber: false, optedOut: true });
        expect(await store.audience.optedOutAmong([onlyOptedOut.phone, second])).toEqual(new Set([second]));
      });
    });

    describe('segments', () => {
      it('keeps a segment and refuses a second one with the same id', async () => {
        const segment = aSegment({ filter: { areas: ['A1'], tags: ['worker'], carriers: ['viettel'] } });
        await store.audience.insertSegment(segment);

        await expect(store.audience.insertSegment({ ...segment, name: 'other' })).rejects.toBeInstanceOf(ConflictError);
        expect(await store.audience.getSegment(segment.id)).toEqual(segment);
        expect(await store.audience.getSegment(uniqueId('seg'))).toBeUndefined();
      });

      it('lists segments in creation order, page by page, each exactly once', async () => {
        // Inserted out of order: the list follows createdAt, not the order of the writes.
        const segments = Array.from({ length: 7 }, (_, i) => aSegment({ name: `Nhóm ${i}`, createdAt: at(i) }));
        for (const segment of [...segments].reverse()) await store.audience.insertSegment(segment);

        const listed = await collect((page) => store.audience.listSegments(page), 3);

        const mine = listed.filter((s) => segments.some((own) => own.id === s.id));
        expect(mine).toEqual(segments);
      });
    });

    describe('recipients', () => {
      /**
       * A province with wards "<p>A1", "<p>A10" and "<p>A1-2" (codes starting like A1's), and a hamlet
       * under A1.
       */
      async function areaTree() {
        const prefix = uniqueId('P');
        const province = anArea({ code: prefix });
        const a1 = anArea({ code: `${prefix}A1` }, province);
        const a10 = anArea({ code: `${prefix}A10` }, province);
        const a1dash2 = anArea({ code: `${prefix}A1-2` }, province);
        const hamlet = anArea({ code: `${prefix}H1` }, a1);
        await store.audience.putAreas([province, a1, a10, a1dash2, hamlet]);
        return { province, a1, a10, a1dash2, hamlet };
      }

      async function subscribe(...subscribers: ReturnType<typeof aSubscriber>[]) {
        await store.audience.upsertSubscribers(subscribers);
        return subscribers;
      }

      function phones(recipients: Recipient[]): string[] {
        return recipients.map((r) => r.phone).sort();
      }

      it('matches an area with its whole subtree, and not a sibling whose code starts the same', async () => {
        const { province, a1, a10, a1dash2, hamlet } = await areaTree();
        const [inA1, inHamlet, inA10, inProvince, inA1dash2] = await subscribe(
          aSubscriberIn(a1),
          aSubscriberIn(hamlet),
          aSubscriberIn(a10),
          aSubscriberIn(province),
          aSubscriberIn(a1dash2),
        );

        const ward = filter({ areaPaths: [a1.path] });
        const counts = await store.audience.countRecipients(ward);
        expect(counts.total).toBe(2);
        expect(counts.byArea).toEqual({ [a1.code]: 1, [hamlet.code]: 1 });
        expect(phones(await walk(store, ward, 10))).toEqual([inA1!.phone, inHamlet!.phone].sort());

        expect((await store.audience.countRecipients(filter({ areaPaths: [a10.path] }))).total).toBe(1);
        expect(phones(await walk(store, filter({ areaPaths: [a10.path] }), 10))).toEqual([inA10!.phone]);
        expect((await store.audience.countRecipients(filter({ areaPaths: [province.path] }))).total).toBe(5);
        expect((await store.audience.countRecipients(filter({ areaPaths: [a1.path, a10.path] }))).total).toBe(3);
        expect(phones(await walk(store, filter({ areaPaths: [province.path] }), 3))).toEqual(
          [inA1!.phone, inHamlet!.phone, inA10!.phone, inProvince!.phone, inA1dash2!.phone].sort(),
        );
      });

      it('counts a subscriber once when the areas overlap', async () => {
        const { province, a1, hamlet } = await areaTree();
        const [inHamlet] = await subscribe(aSubscriberIn(hamlet), aSubscriberIn(a1));

        const overlapping = filter({ areaPaths: [hamlet.path, province.path, a1.path, hamlet.path] });
        expect((await store.audience.countRecipients(overlapping)).total).toBe(2);
        expect(await walk(store, overlapping, 10)).toHaveLength(2);
        expect((await store.audience.countRecipients(filter({ areaPaths: [hamlet.path, hamlet.path] }))).byArea).toEqual({
          [hamlet.code]: 1,
        });
        expect(phones(await walk(store, filter({ areaPaths: [hamlet.path] }), 10))).toEqual([inHamlet!.phone]);
      });

      it('matches a segment naming many areas', async () => {
        const { province, a10 } = await areaTree();
        const wards = Array.from({ length: 30 }, () => anArea({}, province));
        const hamlets = wards.map((ward) => anArea({}, ward));
        await store.audience.putAreas([...wards, ...hamlets]);
        const named = [...wards.slice(0, 20), hamlets[25]!];
        const inside = [...wards.slice(0, 20), ...hamlets.slice(0, 20), hamlets[25]!].map((area) => aSubscriberIn(area));
        const outside = [...wards.slice(20), ...hamlets.slice(20, 25), a10].map((area) => aSubscriberIn(area));
        await subscribe(...inside, ...outside);

        const segment = filter({ areaPaths: named.map((area) => area.path) });
        expect((await store.audience.countRecipients(segment)).total).toBe(inside.length);
        expect(phones(await walk(store, segment, 7))).toEqual(phones(inside));
      });

      it('matches any of the tags', async () => {
        const { province } = await areaTree();
        const worker = uniqueId('worker');
        const student = uniqueId('student');
        const [both, onlyWorker, onlyStudent] = await subscribe(
          aSubscriberIn(province, { tags: [student, worker] }),
          aSubscriberIn(province, { tags: [worker] }),
          aSubscriberIn(province, { tags: [student, 'elderly'] }),
          aSubscriberIn(province, { tags: ['elderly'] }),
          aSubscriberIn(province, { tags: [] }),
        );

        const anyOf = filter({ tags: [worker, student] });
        expect((await store.audience.countRecipients(anyOf)).total).toBe(3);
        expect(phones(await walk(store, anyOf, 2))).toEqual([both!.phone, onlyWorker!.phone, onlyStudent!.phone].sort());
        expect((await store.audience.countRecipients(filter({ tags: [worker] }))).total).toBe(2);
        expect((await store.audience.countRecipients(filter({ areaPaths: [province.path], tags: [student] }))).total).toBe(2);
      });

      it('does not match a tag that only starts like another', async () => {
        const { province } = await areaTree();
        const tag = uniqueId('tag');
        await subscribe(aSubscriberIn(province, { tags: [`${tag}x`] }), aSubscriberIn(province, { tags: [`x${tag}`] }));

        expect((await store.audience.countRecipients(filter({ tags: [tag] }))).total).toBe(0);
      });

      it('filters by carrier and counts subscribers without one as unknown', async () => {
        const { a1, a10 } = await areaTree();
        const noCarrier = aSubscriberIn(a10, { carrierSource: 'unknown' });
        delete noCarrier.carrier;
        const [viettel, mobifone] = await subscribe(
          aSubscriberIn(a1, { carrier: 'viettel' }),
          aSubscriberIn(a10, { carrier: 'mobifone' }),
          aSubscriberIn(a10, { carrier: 'viettel' }),
          noCarrier,
        );
        const paths = [a1.path, a10.path];

        const all = await store.audience.countRecipients(filter({ areaPaths: paths }));
        expect(all).toEqual({
          total: 4,
          byCarrier: { viettel: 2, mobifone: 1, unknown: 1 },
          byArea: { [a1.code]: 1, [a10.code]: 3 },
        });
        expect((await store.audience.countRecipients(filter({ areaPaths: paths, carriers: ['viettel'] }))).total).toBe(2);
        expect((await store.audience.countRecipients(filter({ areaPaths: paths, carriers: ['viettel', 'mobifone'] }))).total).toBe(3);

        const walked = await walk(store, filter({ areaPaths: [a1.path, a10.path] }), 10);
        expect(walked.find((r) => r.phone === viettel!.phone)).toEqual({ phone: viettel!.phone, carrier: 'viettel', areaCode: a1.code });
        expect(walked.find((r) => r.phone === mobifone!.phone)?.carrier).toBe('mobifone');
        expect(walked.find((r) => r.phone === noCarrier.phone)?.carrier).toBeUndefined();
      });

      it('leaves out numbers that opted out, and takes them back when the opt-out is removed', async () => {
        const { province } = await areaTree();
        const [stays, leaves] = await subscribe(aSubscriberIn(province), aSubscriberIn(province));
        await store.audience.addOptOut(anOptOut({ phone: leaves!.phone }));
        await store.audience.addOptOut(anOptOut()); // an opt-out of a number that is no subscriber changes nothing

        const segment = filter({ areaPaths: [province.path] });
        expect((await store.audience.countRecipients(segment)).total).toBe(1);
        expect(phones(await walk(store, segment, 10))).toEqual([stays!.phone]);

        await store.audience.removeOptOut(leaves!.phone);
        expect((await store.audience.countRecipients(segment)).total).toBe(2);
        expect(phones(await walk(store, segment, 10))).toEqual([stays!.phone, leaves!.phone].sort());
      });

      it('follows a subscriber that moved to another area or changed tags', async () => {
        const { a1, a10 } = await areaTree();
        const tag = uniqueId('tag');
        const [subscriber] = await subscribe(aSubscriberIn(a1, { tags: [tag] }));

        await store.audience.upsertSubscribers([{ ...subscriber!, areaCode: a10.code, areaPath: a10.path, tags: [] }]);

        expect((await store.audience.countRecipients(filter({ areaPaths: [a1.path] }))).total).toBe(0);
        expect((await store.audience.countRecipients(filter({ areaPaths: [a10.path] }))).total).toBe(1);
        expect((await store.audience.countRecipients(filter({ tags: [tag] }))).total).toBe(0);
      });

      it('pages through a segment visiting each recipient exactly once, in a stable order', async () => {
        const { a1, a10 } = await areaTree();
        const inside = Array.from({ length: 23 }, () => aSubscriberIn(a1));
        const outside = Array.from({ length: 5 }, () => aSubscriberIn(a10));
        await store.audience.upsertSubscribers([...outside, ...inside].reverse());
        const segment = filter({ areaPaths: [a1.path] });

        for (const limit of [1, 5, 23, 50]) {
          const walked = await walk(store, segment, limit);
          expect(walked.map((r) => r.phone)).toHaveLength(23);
          expect(phones(walked)).toEqual(inside.map((s) => s.phone).sort());
        }
        const first = await walk(store, segment, 4);
        const second = await walk(store, segment, 7);
        expect(second.map((r) => r.phone)).toEqual(first.map((r) => r.phone));
      });

      it('ends the walk at once for a segment matching nobody', async () => {
        const { a10 } = await areaTree();

        const page = await store.audience.nextRecipients(filter({ areaPaths: [a10.path] }), undefined, 10);

        expect(page).toEqual({ recipients: [], cursor: undefined });
        expect(await store.audience.countRecipients(filter({ areaPaths: [a10.path] }))).toEqual({
          total: 0,
          byCarrier: {},
          byArea: {},
        });
      });

      it('matches every area when the filter names none', async () => {
        const { a1, a10 } = await areaTree();
        const tag = uniqueId('tag');
        await subscribe(aSubscriberIn(a1, { tags: [tag] }), aSubscriberIn(a10, { tags: [tag] }), aSubscriber({ tags: [tag] }));

        expect((await store.audience.countRecipients(filter({ tags: [tag] }))).total).toBe(3);
        expect(await walk(store, filter({ tags: [tag] }), 2)).toHaveLength(3);
      });
    });
  });
}
