/**
 * The behaviour every Store adapter must have, run against each adapter by its own test file.
 *
 * `open` is called before each test and the store closed after it. An adapter may hand back a store
 * over a fresh database each time or over one shared database (or table): every test makes its own
 * records with unique ids, phones, area codes and tags, and only looks at those. Tests within the
 * suite run one after another.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../lambdas/core/errors.js';
import { utcMinuteOf } from '../../lambdas/core/receipts/utc-minute.js';
import type {
  DeliveredInMinute,
  Page,
  PageRequest,
  Receipt,
  ReceiptCounts,
  ReceiptStatus,
  ResolvedSegmentFilter,
  StatusCounts,
} from '../../lambdas/core/model.js';
import type { DeliveryReport, Recipient, SendOutcome, Stores } from '../../lambdas/core/ports.js';
import {
  aCampaign,
  anArea,
  anAuditEntry,
  anIdempotencyRecord,
  anOptOut,
  aReceipt,
  aRun,
  aSegment,
  aSubscriber,
  aSubscriberIn,
  aTemplate,
  aTemplateVersion,
  at,
  receiptsFor,
  uniqueId,
  uniquePhone,
  uniquePhones,
} from '../factories.js';

export interface OpenedStore {
  store: Stores;
  close(): Promise<void>;
}

/** Every item of a paged list, checking that no page is longer than asked. */
export async function collect<T>(list: (page: PageRequest) => Promise<Page<T>>, limit: number): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await list(cursor === undefined ? { limit } : { limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    if (page.nextCursor === undefined) return items;
    cursor = page.nextCursor;
  }
  throw new Error('the list never ended');
}

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

function statusCounts(partial: Partial<Record<ReceiptStatus, number>>): StatusCounts {
  const counts = { queued: 0, submitted: 0, delivered: 0, failed: 0, expired: 0, ...partial };
  return { ...counts, total: Object.values(counts).reduce((sum, n) => sum + n, 0) };
}

function withoutCarriers(counts: ReceiptCounts): StatusCounts {
  const { byCarrier: _byCarrier, ...totals } = counts;
  return totals;
}

/** The delivered receipts by the UTC minute of their report, recomputed from the receipts. */
function deliveriesByMinute(receipts: Receipt[]): DeliveredInMinute[] {
  const byMinute = new Map<string, number>();
  for (const receipt of receipts) {
    if (receipt.status !== 'delivered' || receipt.doneAt === undefined) continue;
    const minute = utcMinuteOf(receipt.doneAt);
    byMinute.set(minute, (byMinute.get(minute) ?? 0) + 1);
  }
  return [...byMinute].sort(([a], [b]) => a.localeCompare(b)).map(([minute, delivered]) => ({ minute, delivered }));
}

/** Counts recomputed from the receipts themselves, to check the counters that are only added to. */
function tally(receipts: Receipt[]): StatusCounts {
  const counts: Partial<Record<ReceiptStatus, number>> = {};
  for (const receipt of receipts) counts[receipt.status] = (counts[receipt.status] ?? 0) + 1;
  return statusCounts(counts);
}

function submitted(receipt: Pick<Receipt, 'campaignId' | 'runId' | 'phone'>, messageId: string, gatewayId = 'sim'): SendOutcome {
  return {
    campaignId: receipt.campaignId,
    runId: receipt.runId,
    phone: receipt.phone,
    status: 'submitted',
    gatewayId,
    gatewayMessageId: messageId,
    attempts: 1,
    at: at(10),
  };
}

function failed(receipt: Pick<Receipt, 'campaignId' | 'runId' | 'phone'>, error = 'rejected by carrier'): SendOutcome {
  return {
    campaignId: receipt.campaignId,
    runId: receipt.runId,
    phone: receipt.phone,
    status: 'failed',
    error,
    attempts: 3,
    at: at(11),
  };
}

function report(messageId: string, status: DeliveryReport['status'] = 'delivered', gatewayId = 'sim'): DeliveryReport {
  return {
    gatewayId,
    messageId,
    status,
    ...(status === 'failed' && { error: 'UNDELIV' }),
    at: at(20),
  };
}

export function describeStoreContract(adapterName: string, open: () => Promise<OpenedStore>): void {
  describe(`Store contract: ${adapterName}`, () => {
    let opened: OpenedStore;
    let store: Stores;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });

    afterEach(async () => {
      await opened.close();
    });

    /** One campaign run with `n` queued receipts (phones ascending). */
    async function queuedRun(n: number, overrides: Partial<Receipt> = {}) {
      const campaignId = uniqueId('cmp');
      const runId = uniqueId('run');
      const receipts = receiptsFor(campaignId, runId, uniquePhones(n), overrides);
      expect(await store.receipts.insertReceipts(receipts)).toBe(n);
      return { campaignId, runId, receipts };
    }

    async function receiptsOf(campaignId: string, runId?: string): Promise<Receipt[]> {
      return collect((page) => store.receipts.listReceipts(campaignId, runId === undefined ? {} : { runId }, page), 50);
    }

    /**
     * The counters agree with the receipts, in total, carrier by carrier, area by area and delivered
     * minute by minute.
     */
    async function expectCountersToMatchReceipts(campaignId: string): Promise<void> {
      const receipts = await receiptsOf(campaignId);
      const counts = await store.receipts.campaignCounts(campaignId);
      expect(withoutCarriers(counts)).toEqual(tally(receipts));
      const carriers = new Set(receipts.map((receipt) => receipt.carrier ?? 'unknown'));
      for (const carrier of carriers) {
        expect(counts.byCarrier[carrier]).toEqual(tally(receipts.filter((r) => (r.carrier ?? 'unknown') === carrier)));
      }
      const { byArea, deliveredByMinute, ...progress } = await store.receipts.campaignProgress(campaignId);
      expect(progress).toEqual(counts);
      const areas = [...new Set(receipts.map((receipt) => receipt.areaCode ?? 'unknown'))];
      expect(Object.keys(byArea).sort()).toEqual(areas.sort());
      for (const area of areas) {
        expect(byArea[area]).toEqual(tally(receipts.filter((r) => (r.areaCode ?? 'unknown') === area)));
      }
      expect(deliveredByMinute).toEqual(deliveriesByMinute(receipts));
    }

    describe('templates', () => {
      it('keeps a template with its first version', async () => {
        const template = aTemplate();
        const version = aTemplateVersion(template.id);
        await store.templates.insertTemplate(template, version);

        expect(await store.templates.getTemplate(template.id)).toEqual(template);
        expect(await store.templates.getTemplateVersion(template.id, 1)).toEqual(version);
        expect(await store.templates.listTemplateVersions(template.id)).toEqual([version]);
      });

      it('returns undefined for a template or version it does not have', async () => {
        const template = aTemplate();
        await store.templates.insertTemplate(template, aTemplateVersion(template.id));

        expect(await store.templates.getTemplate(uniqueId('tpl'))).toBeUndefined();
        expect(await store.templates.getTemplateVersion(template.id, 2)).toBeUndefined();
        expect(await store.templates.listTemplateVersions(uniqueId('tpl'))).toEqual([]);
      });

      it('refuses a second template with the same id', async () => {
        const template = aTemplate();
        await store.templates.insertTemplate(template, aTemplateVersion(template.id));

        await expect(
          store.templates.insertTemplate({ ...template, name: 'other' }, aTemplateVersion(template.id, { body: 'other' })),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.templates.getTemplate(template.id)).toEqual(template);
      });

      it('adds the next version and moves the template to it', async () => {
        const template = aTemplate();
        await store.templates.insertTemplate(template, aTemplateVersion(template.id));
        const second = aTemplateVersion(template.id, { version: 2, body: 'Ban sua: {{message}}', createdAt: at(5) });

        await store.templates.insertTemplateVersion(second);

        expect((await store.templates.getTemplate(template.id))?.latestVersion).toBe(2);
        expect(await store.templates.getTemplateVersion(template.id, 2)).toEqual(second);
        expect((await store.templates.listTemplateVersions(template.id)).map((v) => v.version)).toEqual([1, 2]);
      });

      it('refuses a version that is not the next one', async () => {
        const template = aTemplate();
        await store.templates.insertTemplate(template, aTemplateVersion(template.id));

        await expect(store.templates.insertTemplateVersion(aTemplateVersion(template.id, { version: 3 }))).rejects.toBeInstanceOf(
          ConflictError,
        );
        await expect(store.templates.insertTemplateVersion(aTemplateVersion(template.id, { version: 1 }))).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect((await store.templates.getTemplate(template.id))?.latestVersion).toBe(1);
      });

      it('lets only one of two writers add the same next version', async () => {
        const template = aTemplate();
        await store.templates.insertTemplate(template, aTemplateVersion(template.id));

        const results = await Promise.allSettled([
          store.templates.insertTemplateVersion(aTemplateVersion(template.id, { version: 2, body: 'first {{message}}' })),
          store.templates.insertTemplateVersion(aTemplateVersion(template.id, { version: 2, body: 'second {{message}}' })),
        ]);

        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((r) => r.status === 'rejected');
        expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(ConflictError);
        expect(await store.templates.listTemplateVersions(template.id)).toHaveLength(2);
      });

      it('replaces a version only while its status is the expected one', async () => {
        const template = aTemplate();
        const draft = aTemplateVersion(template.id);
        await store.templates.insertTemplate(template, draft);
        const pending = { ...draft, status: 'pending_approval' as const, submittedAt: at(1) };

        await store.templates.updateTemplateVersion(pending, 'draft');
        await expect(store.templates.updateTemplateVersion({ ...draft, body: 'changed after submission' }, 'draft')).rejects.toBeInstanceOf(
          ConflictError,
        );

        expect(await store.templates.getTemplateVersion(template.id, 1)).toEqual(pending);
      });

      it('lets only one of two concurrent decisions on a version win', async () => {
        const template = aTemplate();
        const pending = aTemplateVersion(template.id, { status: 'pending_approval', submittedAt: at(1) });
        await store.templates.insertTemplate(template, pending);
        const approved = { ...pending, status: 'approved' as const, decidedBy: 'approver-1', decidedAt: at(2) };
        const rejected = { ...pending, status: 'rejected' as const, decidedBy: 'approver-2', decidedAt: at(2) };

        const results = await Promise.allSettled([
          store.templates.updateTemplateVersion(approved, 'pending_approval'),
          store.templates.updateTemplateVersion(rejected, 'pending_approval'),
        ]);

        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const stored = await store.templates.getTemplateVersion(template.id, 1);
        expect(results[0]?.status === 'fulfilled' ? approved : rejected).toEqual(stored);
      });

      it('lists templates in creation order, page by page, each exactly once', async () => {
        const templates = Array.from({ length: 7 }, (_, i) => aTemplate({ createdAt: at(i) }));
        for (const template of templates) await store.templates.insertTemplate(template, aTemplateVersion(template.id));

        const listed = await collect((page) => store.templates.listTemplates(page), 3);

        const mine = listed.filter((t) => templates.some((own) => own.id === t.id));
        expect(mine).toEqual(templates);
      });
    });

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

    describe('campaigns', () => {
      it('keeps a campaign and refuses a second one with the same id', async () => {
        const campaign = aCampaign({ schedule: { expression: 'cron(0 14 ? * FRI *)', timezone: 'Asia/Ho_Chi_Minh' } });
        await store.campaigns.insertCampaign(campaign);

        await expect(store.campaigns.insertCampaign({ ...campaign, name: 'other' })).rejects.toBeInstanceOf(ConflictError);
        expect(await store.campaigns.getCampaign(campaign.id)).toEqual(campaign);
        expect(await store.campaigns.getCampaign(uniqueId('cmp'))).toBeUndefined();
      });

      it('writes an update that names the revision it read', async () => {
        const campaign = aCampaign({ revision: 1 });
        await store.campaigns.insertCampaign(campaign);
        const submitted = { ...campaign, status: 'pending_approval' as const, submittedAt: at(1), revision: 2 };

        await store.campaigns.updateCampaign(submitted);

        expect(await store.campaigns.getCampaign(campaign.id)).toEqual(submitted);
      });

      it('refuses an update made from a stale read', async () => {
        const campaign = aCampaign({ revision: 1 });
        await store.campaigns.insertCampaign(campaign);
        await store.campaigns.updateCampaign({ ...campaign, status: 'pending_approval', revision: 2 });

        await expect(store.campaigns.updateCampaign({ ...campaign, status: 'cancelled', revision: 2 })).rejects.toBeInstanceOf(
          ConflictError,
        );
        await expect(store.campaigns.updateCampaign({ ...campaign, status: 'cancelled', revision: 5 })).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect((await store.campaigns.getCampaign(campaign.id))?.status).toBe('pending_approval');
      });

      it('lets only one of two concurrent updates from the same read win', async () => {
        const campaign = aCampaign({ status: 'sending', revision: 4 });
        await store.campaigns.insertCampaign(campaign);
        const paused = { ...campaign, status: 'paused' as const, revision: 5 };
        const cancelled = { ...campaign, status: 'cancelled' as const, revision: 5 };

        const results = await Promise.allSettled([store.campaigns.updateCampaign(paused), store.campaigns.updateCampaign(cancelled)]);

        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const loser = results.find((r) => r.status === 'rejected');
        expect(loser?.status === 'rejected' && loser.reason).toBeInstanceOf(ConflictError);
        expect(await store.campaigns.getCampaign(campaign.id)).toEqual(results[0]?.status === 'fulfilled' ? paused : cancelled);
      });

      it('refuses to update a campaign it does not have', async () => {
        await expect(store.campaigns.updateCampaign(aCampaign({ revision: 2 }))).rejects.toBeInstanceOf(ConflictError);
      });

      it('finds the approved and scheduled campaigns due at a time', async () => {
        const now = '2001-01-01T12:00:00.000Z';
        const approvedDue = aCampaign({ status: 'approved', nextFireAt: '2001-01-01T11:00:00.000Z' });
        const scheduledDue = aCampaign({ status: 'scheduled', nextFireAt: now });
        const scheduledLater = aCampaign({ status: 'scheduled', nextFireAt: '2001-01-01T12:00:01.000Z' });
        const pausedDue = aCampaign({ status: 'paused', nextFireAt: '2001-01-01T10:00:00.000Z' });
        const sendingDue = aCampaign({ status: 'sending', nextFireAt: '2001-01-01T10:00:00.000Z' });
        const draftDue = aCampaign({ status: 'draft', nextFireAt: '2001-01-01T10:00:00.000Z' });
        const unscheduled = aCampaign({ status: 'scheduled' });
        const all = [approvedDue, scheduledDue, scheduledLater, pausedDue, sendingDue, draftDue, unscheduled];
        for (const campaign of all) await store.campaigns.insertCampaign(campaign);
        const mine = (campaigns: { id: string }[]) =>
          campaigns
            .filter((c) => all.some((own) => own.id === c.id))
            .map((c) => c.id)
            .sort();

        expect(mine(await store.campaigns.campaignsDue(now, 1000))).toEqual([approvedDue.id, scheduledDue.id].sort());
        expect((await store.campaigns.campaignsDue(now, 1)).length).toBe(1);

        await store.campaigns.updateCampaign({ ...approvedDue, status: 'sending', revision: approvedDue.revision + 1 });
        const { nextFireAt: _fired, ...withoutFire } = scheduledDue;
        await store.campaigns.updateCampaign({ ...withoutFire, revision: scheduledDue.revision + 1 });
        await store.campaigns.updateCampaign({ ...pausedDue, status: 'scheduled', revision: pausedDue.revision + 1 });

        expect(mine(await store.campaigns.campaignsDue(now, 1000))).toEqual([pausedDue.id]);
      });

      it('lists campaigns in creation order, page by page, each exactly once', async () => {
        const campaigns = Array.from({ length: 6 }, (_, i) => aCampaign({ createdAt: at(i) }));
        for (const campaign of campaigns) await store.campaigns.insertCampaign(campaign);

        const listed = await collect((page) => store.campaigns.listCampaigns(page), 4);

        const mine = listed.filter((c) => campaigns.some((own) => own.id === c.id));
        expect(mine).toEqual(campaigns);
      });
    });

    describe('runs', () => {
      it('starts a run once even when the schedule fires twice', async () => {
        const run = aRun();
        expect(await store.campaigns.insertRun(run)).toBe(true);

        expect(await store.campaigns.insertRun({ ...run, firedAt: at(30) })).toBe(false);

        expect(await store.campaigns.getRun(run.campaignId, run.runId)).toEqual(run);
        expect(await store.campaigns.getRun(run.campaignId, uniqueId('run'))).toBeUndefined();
      });

      it('saves the fan-out position and lists the runs still sending', async () => {
        const campaignId = uniqueId('cmp');
        const sending = aRun({ campaignId });
        const done = aRun({ campaignId });
        const other = aRun();
        for (const run of [sending, done, other]) await store.campaigns.insertRun(run);

        const advanced = { ...sending, cursor: 'opaque-position', fanOutDone: true };
        await store.campaigns.saveRun(advanced);
        await store.campaigns.saveRun({ ...done, fanOutDone: true, sendingDone: true });

        expect(await store.campaigns.getRun(campaignId, sending.runId)).toEqual(advanced);
        const unfinished = (await store.campaigns.listUnfinishedRuns()).filter((run) =>
          [sending, done, other].some((own) => own.runId === run.runId),
        );
        expect(unfinished.sort((a, b) => a.runId.localeCompare(b.runId))).toEqual(
          [advanced, other].sort((a, b) => a.runId.localeCompare(b.runId)),
        );
      });
    });

    describe('receipts', () => {
      it('keeps a queued receipt as given', async () => {
        const withCarrier = aReceipt({ test: true });
        const withoutCarrier = aReceipt({ campaignId: withCarrier.campaignId, runId: withCarrier.runId });
        delete withoutCarrier.carrier;

        expect(await store.receipts.insertReceipts([withCarrier, withoutCarrier])).toBe(2);

        expect(await store.receipts.getReceipt(withCarrier.campaignId, withCarrier.runId, withCarrier.phone)).toEqual(withCarrier);
        expect(await store.receipts.getReceipt(withCarrier.campaignId, withCarrier.runId, withoutCarrier.phone)).toEqual(withoutCarrier);
        expect(await store.receipts.getReceipt(withCarrier.campaignId, withCarrier.runId, uniquePhone())).toBeUndefined();
      });

      it('keeps one receipt per run and phone when a batch is inserted twice', async () => {
        const { campaignId, runId, receipts } = await queuedRun(5);

        expect(await store.receipts.insertReceipts(receipts)).toBe(0);
        expect(await store.receipts.insertReceipts([...receipts.slice(0, 2), ...receiptsFor(campaignId, runId, uniquePhones(1))])).toBe(1);

        expect(await receiptsOf(campaignId)).toHaveLength(6);
        expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(statusCounts({ queued: 6 }));
      });

      it('keeps one receipt per run and phone when overlapping batches are inserted concurrently', async () => {
        const campaignId = uniqueId('cmp');
        const runId = uniqueId('run');
        const receipts = receiptsFor(campaignId, runId, uniquePhones(90));

        const added = await Promise.all([
          store.receipts.insertReceipts(receipts.slice(0, 60)),
          store.receipts.insertReceipts(receipts.slice(30, 90)),
          store.receipts.insertReceipts(receipts),
          store.receipts.insertReceipts(receipts.slice(10, 20)),
        ]);

        expect(added.reduce((sum, n) => sum + n, 0)).toBe(90);
        const stored = await receiptsOf(campaignId);
        expect(stored).toHaveLength(90);
        expect(new Set(stored.map((r) => r.phone)).size).toBe(90);
        expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(statusCounts({ queued: 90 }));
      });

      it('gives a phone one receipt in each run of a campaign', async () => {
        const campaignId = uniqueId('cmp');
        const phone = uniquePhone();
        const first = aReceipt({ campaignId, phone });
        const second = aReceipt({ campaignId, phone });

        expect(await store.receipts.insertReceipts([first, second])).toBe(2);

        expect((await store.receipts.campaignCounts(campaignId)).total).toBe(2);
        expect((await store.receipts.campaignCounts(campaignId, first.runId)).total).toBe(1);
      });

      it('says which phones are still queued', async () => {
        const { campaignId, runId, receipts } = await queuedRun(4);
        const [a, b, c, d] = receipts as [Receipt, Receipt, Receipt, Receipt];
        await store.receipts.recordSendOutcomes([submitted(a, uniqueId('msg')), failed(b)]);
        const stranger = uniquePhone();

        const queued = await store.receipts.queuedPhones(campaignId, runId, [a.phone, b.phone, c.phone, stranger]);

        expect([...queued].sort()).toEqual([c.phone]);
        expect(await store.receipts.queuedPhones(campaignId, uniqueId('run'), [d.phone])).toEqual(new Set());
        expect(await store.receipts.queuedPhones(campaignId, runId, [])).toEqual(new Set());
      });

      it('records a submission and a failure on queued receipts', async () => {
        const { campaignId, runId, receipts } = await queuedRun(2);
        const [a, b] = receipts as [Receipt, Receipt];
        const messageId = uniqueId('msg');

        await store.receipts.recordSendOutcomes([submitted(a, messageId), failed(b, 'invalid number')]);

        expect(await store.receipts.getReceipt(campaignId, runId, a.phone)).toEqual({
          ...a,
          status: 'submitted',
          gatewayId: 'sim',
          gatewayMessageId: messageId,
          attempts: 1,
          submittedAt: at(10),
        });
        expect(await store.receipts.getReceipt(campaignId, runId, b.phone)).toEqual({
          ...b,
          status: 'failed',
          error: 'invalid number',
          attempts: 3,
          doneAt: at(11),
        });
        expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(statusCounts({ submitted: 1, failed: 1 }));
      });

      it('ignores an outcome for a receipt that already left queued', async () => {
        const { campaignId, runId, receipts } = await queuedRun(2);
        const [a, b] = receipts as [Receipt, Receipt];
        await store.receipts.recordSendOutcomes([submitted(a, uniqueId('msg')), failed(b)]);
        const before = await receiptsOf(campaignId);

        await store.receipts.recordSendOutcomes([failed(a), submitted(b, uniqueId('msg')), submitted(a, uniqueId('msg'))]);

        expect(await receiptsOf(campaignId)).toEqual(before);
        expect(withoutCarriers(await store.receipts.campaignCounts(campaignId, runId))).toEqual(statusCounts({ submitted: 1, failed: 1 }));
      });

      it('moves each receipt once when overlapping outcomes are recorded concurrently', async () => {
        const { campaignId, receipts } = await queuedRun(70);

        await Promise.all([
          store.receipts.recordSendOutcomes(receipts.slice(0, 40).map((r) => submitted(r, `${uniqueId('msg')}`))),
          store.receipts.recordSendOutcomes(receipts.slice(20, 60).map((r) => failed(r))),
          store.receipts.recordSendOutcomes(receipts.slice(0, 60).map((r) => submitted(r, `${uniqueId('msg')}`))),
        ]);

        const stored = await receiptsOf(campaignId);
        expect(stored.filter((r) => r.status === 'queued')).toHaveLength(10);
        const counts = await store.receipts.campaignCounts(campaignId);
        expect(counts.total).toBe(70);
        expect(counts.submitted + counts.failed).toBe(60);
        await expectCountersToMatchReceipts(campaignId);
      });

      it('moves a submitted receipt to delivered or failed by the gateway message id', async () => {
        const { campaignId, runId, receipts } = await queuedRun(3);
        const [a, b, c] = receipts as [Receipt, Receipt, Receipt];
        const ids = [uniqueId('msg'), uniqueId('msg'), uniqueId('msg')] as const;
        await store.receipts.recordSendOutcomes([submitted(a, ids[0]), submitted(b, ids[1]), submitted(c, ids[2], 'other-gw')]);

        const result = await store.receipts.recordDeliveryReports([report(ids[0]), report(ids[1], 'failed')]);

        expect(result).toEqual({ applied: 2, unmatched: 0 });
        expect(await store.receipts.getReceipt(campaignId, runId, a.phone)).toMatchObject({ status: 'delivered', doneAt: at(20) });
        expect(await store.receipts.getReceipt(campaignId, runId, b.phone)).toMatchObject({
          status: 'failed',
          error: 'UNDELIV',
          doneAt: at(20),
        });
        expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(
          statusCounts({ submitted: 1, delivered: 1, failed: 1 }),
        );
      });

      it('matches a report only on the gateway that gave the message id', async () => {
        const { campaignId, runId, receipts } = await queuedRun(1);
        const messageId = uniqueId('msg');
        await store.receipts.recordSendOutcomes([submitted(receipts[0]!, messageId, 'gw-a')]);
        const before = await store.receipts.countUnmatchedReports();

        expect(await store.receipts.recordDeliveryReports([report(messageId, 'delivered', 'gw-b')])).toEqual({
          applied: 0,
          unmatched: 1,
        });

        expect((await store.receipts.getReceipt(campaignId, runId, receipts[0]!.phone))?.status).toBe('submitted');
        expect(await store.receipts.countUnmatchedReports()).toBe(before + 1);
      });

      it('ignores a report for a receipt already final, without counting it unmatched', async () => {
        const { campaignId, runId, receipts } = await queuedRun(2);
        const [a, b] = receipts as [Receipt, Receipt];
        const messageId = uniqueId('msg');
        await store.receipts.recordSendOutcomes([submitted(a, messageId), failed(b)]);
        await store.receipts.recordDeliveryReports([report(messageId)]);
        const before = await store.receipts.countUnmatchedReports();

        expect(await store.receipts.recordDeliveryReports([report(messageId, 'failed'), report(messageId)])).toEqual({
          applied: 0,
          unmatched: 0,
        });

        expect(await store.receipts.getReceipt(campaignId, runId, a.phone)).toMatchObject({ status: 'delivered', doneAt: at(20) });
        expect(await store.receipts.countUnmatchedReports()).toBe(before);
        expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(statusCounts({ delivered: 1, failed: 1 }));
      });

      it('applies a repeated report once within one batch', async () => {
        const { campaignId, receipts } = await queuedRun(1);
        const messageId = uniqueId('msg');
        await store.receipts.recordSendOutcomes([submitted(receipts[0]!, messageId)]);

        expect(await store.receipts.recordDeliveryReports([report(messageId), report(messageId, 'failed')])).toEqual({
          applied: 1,
          unmatched: 0,
        });

        expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(statusCounts({ delivered: 1 }));
      });

      it('keeps and counts a report matching no receipt', async () => {
        const before = await store.receipts.countUnmatchedReports();
        const messageId = uniqueId('msg');

        expect(await store.receipts.recordDeliveryReports([report(messageId), report(uniqueId('msg'), 'failed')])).toEqual({
          applied: 0,
          unmatched: 2,
        });
        // the same report delivered again (gateways retry callbacks) is kept once
        expect(await store.receipts.recordDeliveryReports([report(messageId)])).toEqual({ applied: 0, unmatched: 1 });

        expect(await store.receipts.countUnmatchedReports()).toBe(before + 2);
      });

      it('applies a report that arrived early once the submission is recorded', async () => {
        const { campaignId, runId, receipts } = await queuedRun(2);
        const [early, failedEarly] = receipts as [Receipt, Receipt];
        const ids = [uniqueId('msg'), uniqueId('msg')] as const;
        const before = await store.receipts.countUnmatchedReports();

        expect(await store.receipts.recordDeliveryReports([report(ids[0]), report(ids[1], 'failed')])).toEqual({
          applied: 0,
          unmatched: 2,
        });
        expect(await store.receipts.countUnmatchedReports()).toBe(before + 2);

        await store.receipts.recordSendOutcomes([submitted(early, ids[0]), submitted(failedEarly, ids[1])]);

        expect(await store.receipts.getReceipt(campaignId, runId, early.phone)).toMatchObject({
          status: 'delivered',
          gatewayMessageId: ids[0],
          submittedAt: at(10),
          doneAt: at(20),
        });
        expect(await store.receipts.getReceipt(campaignId, runId, failedEarly.phone)).toMatchObject({
          status: 'failed',
          error: 'UNDELIV',
        });
        expect(await store.receipts.countUnmatchedReports()).toBe(before);
        expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(statusCounts({ delivered: 1, failed: 1 }));
        await expectCountersToMatchReceipts(campaignId);
      });

      it('moves each receipt once when overlapping reports are recorded concurrently', async () => {
        const { campaignId, receipts } = await queuedRun(40);
        const ids = receipts.map(() => uniqueId('msg'));
        await store.receipts.recordSendOutcomes(receipts.map((r, i) => submitted(r, ids[i]!)));

        const results = await Promise.all([
          store.receipts.recordDeliveryReports(ids.slice(0, 30).map((id) => report(id))),
          store.receipts.recordDeliveryReports(ids.slice(20, 40).map((id) => report(id, 'failed'))),
          store.receipts.recordDeliveryReports(ids.map((id) => report(id))),
        ]);

        expect(results.reduce((sum, r) => sum + r.applied, 0)).toBe(40);
        expect(results.reduce((sum, r) => sum + r.unmatched, 0)).toBe(0);
        const counts = await store.receipts.campaignCounts(campaignId);
        expect(counts.delivered + counts.failed).toBe(40);
        expect(counts.submitted).toBe(0);
        await expectCountersToMatchReceipts(campaignId);
      });

      it('keeps the counters right through concurrent inserts, outcomes and reports', async () => {
        const campaignId = uniqueId('cmp');
        const runId = uniqueId('run');
        const carriers = ['viettel', 'mobifone', undefined] as const;
        const areas = [uniqueId('area'), uniqueId('area'), uniqueId('area'), uniqueId('area')];
        const receipts = uniquePhones(60).map((phone, i) => {
          const receipt = aReceipt({ campaignId, runId, phone, carrier: carriers[i % 3], areaCode: areas[i % 4] });
          if (receipt.carrier === undefined) delete receipt.carrier;
          return receipt;
        });
        await store.receipts.insertReceipts(receipts.slice(0, 30));
        const ids = receipts.map(() => uniqueId('msg'));

        await Promise.all([
          store.receipts.insertReceipts(receipts.slice(20, 60)),
          store.receipts.recordSendOutcomes(receipts.slice(0, 40).map((r, i) => submitted(r, ids[i]!))),
          store.receipts.recordDeliveryReports(ids.slice(0, 10).map((id) => report(id))),
          store.receipts.recordSendOutcomes(receipts.slice(35, 50).map((r) => failed(r))),
          store.receipts.recordDeliveryReports(ids.slice(5, 15).map((id) => report(id, 'failed'))),
        ]);
        await store.receipts.recordSendOutcomes(receipts.slice(0, 40).map((r, i) => submitted(r, ids[i]!)));

        const counts = await store.receipts.campaignCounts(campaignId, runId);
        expect(counts.total).toBe(60);
        expect(Object.keys(counts.byCarrier).sort()).toEqual(['mobifone', 'unknown', 'viettel']);
        expect(counts.delivered + counts.failed).toBeGreaterThanOrEqual(15);
        await expectCountersToMatchReceipts(campaignId);
      });

      it('expires the oldest submitted receipts, up to a limit', async () => {
        const { campaignId, runId, receipts } = await queuedRun(6);
        const [old1, old2, old3, recent, delivered, queued] = receipts as [Receipt, Receipt, Receipt, Receipt, Receipt, Receipt];
        const sentAt = (r: Receipt, iso: string): SendOutcome => ({ ...submitted(r, uniqueId('msg')), at: iso });
        const deliveredId = uniqueId('msg');
        await store.receipts.recordSendOutcomes([
          sentAt(old1, '2000-01-01T00:00:01.000Z'),
          sentAt(old2, '2000-01-01T00:00:02.000Z'),
          sentAt(old3, '2000-01-01T00:00:03.000Z'),
          sentAt(recent, '2000-01-05T00:00:00.000Z'),
          { ...submitted(delivered, deliveredId), at: '2000-01-01T00:00:00.000Z' },
        ]);
        await store.receipts.recordDeliveryReports([report(deliveredId)]);
        const cutoff = '2000-01-02T00:00:00.000Z';

        expect(await store.receipts.expireReceipts(cutoff, 2)).toBe(2);
        expect(await store.receipts.expireReceipts(cutoff, 100)).toBe(1);
        expect(await store.receipts.expireReceipts(cutoff, 100)).toBe(0);

        const status = async (r: Receipt) => (await store.receipts.getReceipt(campaignId, runId, r.phone))?.status;
        expect(await Promise.all([old1, old2, old3].map(status))).toEqual(['expired', 'expired', 'expired']);
        expect(await status(recent)).toBe('submitted');
        expect(await status(delivered)).toBe('delivered');
        expect(await status(queued)).toBe('queued');
        expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(
          statusCounts({ expired: 3, submitted: 1, delivered: 1, queued: 1 }),
        );
      });

      it('ignores a delivery report that comes after the receipt expired', async () => {
        const { campaignId, runId, receipts } = await queuedRun(1);
        const messageId = uniqueId('msg');
        await store.receipts.recordSendOutcomes([{ ...submitted(receipts[0]!, messageId), at: '2000-01-01T00:00:00.000Z' }]);
        await store.receipts.expireReceipts('2000-01-01T00:00:00.001Z', 1000);

        expect(await store.receipts.recordDeliveryReports([report(messageId)])).toEqual({ applied: 0, unmatched: 0 });

        expect((await store.receipts.getReceipt(campaignId, runId, receipts[0]!.phone))?.status).toBe('expired');
        expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(statusCounts({ expired: 1 }));
      });

      it('lists receipts by run and status, page by page, in run then phone order', async () => {
        const campaignId = uniqueId('cmp');
        const first = await queuedRunOf(campaignId, 7);
        const second = await queuedRunOf(campaignId, 4);
        await store.receipts.recordSendOutcomes(first.receipts.slice(0, 3).map((r) => failed(r)));
        await store.receipts.recordSendOutcomes(second.receipts.slice(0, 1).map((r) => failed(r)));
        await store.receipts.insertReceipts([aReceipt()]); // another campaign

        const all = await collect((page) => store.receipts.listReceipts(campaignId, {}, page), 3);
        expect(all.map((r) => r.phone)).toEqual([...first.receipts, ...second.receipts].map((r) => r.phone));

        const ofFirst = await collect((page) => store.receipts.listReceipts(campaignId, { runId: first.runId }, page), 2);
        expect(ofFirst.map((r) => r.phone)).toEqual(first.receipts.map((r) => r.phone));

        const failures = await collect((page) => store.receipts.listReceipts(campaignId, { status: 'failed' }, page), 2);
        expect(failures.map((r) => r.phone)).toEqual([...first.receipts.slice(0, 3), ...second.receipts.slice(0, 1)].map((r) => r.phone));
        expect(failures.every((r) => r.status === 'failed')).toBe(true);

        const failuresOfFirst = await collect(
          (page) => store.receipts.listReceipts(campaignId, { status: 'failed', runId: first.runId }, page),
          1,
        );
        expect(failuresOfFirst.map((r) => r.phone)).toEqual(first.receipts.slice(0, 3).map((r) => r.phone));

        expect(await store.receipts.listReceipts(campaignId, { status: 'delivered' }, { limit: 10 })).toEqual({ items: [] });
      });

      async function queuedRunOf(campaignId: string, n: number) {
        const runId = uniqueId('run');
        const receipts = receiptsFor(campaignId, runId, uniquePhones(n));
        await store.receipts.insertReceipts(receipts);
        return { runId, receipts };
      }

      it('counts a campaign by status and carrier, for one run or all', async () => {
        const campaignId = uniqueId('cmp');
        const runId = uniqueId('run');
        const otherRun = uniqueId('run');
        const noCarrier = aReceipt({ campaignId, runId });
        delete noCarrier.carrier;
        const receipts = [
          aReceipt({ campaignId, runId, carrier: 'viettel' }),
          aReceipt({ campaignId, runId, carrier: 'viettel' }),
          aReceipt({ campaignId, runId, carrier: 'vinaphone' }),
          noCarrier,
          aReceipt({ campaignId, runId: otherRun, carrier: 'viettel' }),
        ];
        await store.receipts.insertReceipts(receipts);
        await store.receipts.recordSendOutcomes([submitted(receipts[0]!, uniqueId('msg')), failed(noCarrier)]);

        expect(await store.receipts.campaignCounts(campaignId, runId)).toEqual({
          ...statusCounts({ queued: 2, submitted: 1, failed: 1 }),
          byCarrier: {
            viettel: statusCounts({ queued: 1, submitted: 1 }),
            vinaphone: statusCounts({ queued: 1 }),
            unknown: statusCounts({ failed: 1 }),
          },
        });
        expect(await store.receipts.campaignCounts(campaignId)).toEqual({
          ...statusCounts({ queued: 3, submitted: 1, failed: 1 }),
          byCarrier: {
            viettel: statusCounts({ queued: 2, submitted: 1 }),
            vinaphone: statusCounts({ queued: 1 }),
            unknown: statusCounts({ failed: 1 }),
          },
        });
      });

      it('counts nothing for a campaign without receipts', async () => {
        expect(await store.receipts.campaignCounts(uniqueId('cmp'))).toEqual({ ...statusCounts({}), byCarrier: {} });
        expect(await store.receipts.campaignProgress(uniqueId('cmp'))).toEqual({
          ...statusCounts({}),
          byCarrier: {},
          byArea: {},
          deliveredByMinute: [],
        });
      });

      it('keeps the area a receipt was queued with', async () => {
        const withArea = aReceipt({ areaCode: uniqueId('area') });
        const withoutArea = aReceipt({ campaignId: withArea.campaignId, runId: withArea.runId });

        await store.receipts.insertReceipts([withArea, withoutArea]);
        await store.receipts.recordSendOutcomes([submitted(withArea, uniqueId('msg'))]);

        expect(await store.receipts.getReceipt(withArea.campaignId, withArea.runId, withArea.phone)).toMatchObject({
          areaCode: withArea.areaCode,
          status: 'submitted',
        });
        expect(await store.receipts.getReceipt(withArea.campaignId, withArea.runId, withoutArea.phone)).toEqual(withoutArea);
        expect((await receiptsOf(withArea.campaignId)).map((r) => r.areaCode).sort()).toEqual([withArea.areaCode, undefined]);
      });

      it('follows a campaign by area and by delivered minute, every run together, as its receipts move', async () => {
        const campaignId = uniqueId('cmp');
        const [runId, otherRun] = [uniqueId('run'), uniqueId('run')];
        const [ward, village] = [uniqueId('area'), uniqueId('area')];
        const [a, b, c, d, e, f] = [
          aReceipt({ campaignId, runId, areaCode: ward, carrier: 'viettel' }),
          aReceipt({ campaignId, runId, areaCode: ward, carrier: 'mobifone' }),
          aReceipt({ campaignId, runId, areaCode: ward, carrier: 'viettel' }),
          aReceipt({ campaignId, runId, areaCode: village, carrier: 'viettel' }),
          aReceipt({ campaignId, runId: otherRun, areaCode: village, carrier: 'viettel' }),
          aReceipt({ campaignId, runId: otherRun }),
        ];
        delete f.carrier;
        await store.receipts.insertReceipts([a, b, c, d, e, f]);
        const ids = [a, b, c, d, e].map(() => uniqueId('msg'));
        // e's report comes before its submission is recorded
        await store.receipts.recordDeliveryReports([{ ...report(ids[4]!), at: '2026-03-02T01:07:59.999Z' }]);
        await store.receipts.recordSendOutcomes([
          { ...submitted(a, ids[0]!), at: '2000-01-01T00:00:00.000Z' },
          submitted(b, ids[1]!),
          submitted(c, ids[2]!),
          submitted(d, ids[3]!),
          submitted(e, ids[4]!),
          failed(f),
        ]);
        await store.receipts.recordDeliveryReports([
          { ...report(ids[1]!), at: '2026-03-02T01:05:00.000Z' },
          { ...report(ids[2]!), at: '2026-03-02T01:05:59.999Z' },
          { ...report(ids[3]!, 'failed'), at: '2026-03-02T01:06:00.000Z' },
        ]);
        expect(await store.receipts.expireReceipts('2000-01-02T00:00:00.000Z', 1000)).toBeGreaterThanOrEqual(1);

        const progress = await store.receipts.campaignProgress(campaignId);

        expect(progress).toEqual({
          ...statusCounts({ delivered: 3, failed: 2, expired: 1 }),
          byCarrier: {
            viettel: statusCounts({ delivered: 2, failed: 1, expired: 1 }),
            mobifone: statusCounts({ delivered: 1 }),
            unknown: statusCounts({ failed: 1 }),
          },
          byArea: {
            [ward]: statusCounts({ delivered: 2, expired: 1 }),
            [village]: statusCounts({ delivered: 1, failed: 1 }),
            unknown: statusCounts({ failed: 1 }),
          },
          deliveredByMinute: [
            { minute: '2026-03-02T01:05:00.000Z', delivered: 2 },
            { minute: '2026-03-02T01:07:00.000Z', delivered: 1 },
          ],
        });
      });

      it('keeps the progress counters right when reports across many areas are recorded concurrently', async () => {
        const campaignId = uniqueId('cmp');
        const runId = uniqueId('run');
        const areas = Array.from({ length: 20 }, () => uniqueId('area'));
        const receipts = uniquePhones(60).map((phone, i) => aReceipt({ campaignId, runId, phone, areaCode: areas[i % 20] }));
        await store.receipts.insertReceipts(receipts);
        const ids = receipts.map(() => uniqueId('msg'));
        await store.receipts.recordSendOutcomes(receipts.map((r, i) => submitted(r, ids[i]!)));

        await Promise.all([
          store.receipts.recordDeliveryReports(ids.slice(0, 40).map((id, i) => ({ ...report(id), at: at(60 * (i % 3)) }))),
          store.receipts.recordDeliveryReports(ids.slice(20, 60).map((id, i) => ({ ...report(id), at: at(60 * (i % 5)) }))),
        ]);

        const progress = await store.receipts.campaignProgress(campaignId);
        expect(progress.delivered).toBe(60);
        expect(Object.keys(progress.byArea)).toHaveLength(20);
        expect(progress.deliveredByMinute.reduce((sum, m) => sum + m.delivered, 0)).toBe(60);
        await expectCountersToMatchReceipts(campaignId);
      });
    });

    describe('daily slots', () => {
      it('grants each phone up to the cap of messages a day', async () => {
        const [a, b] = uniquePhones(2) as [string, string];
        const day = '2026-03-02';

        expect(await store.receipts.takeDailySlots([a, b], day, 2)).toEqual(new Set([a, b]));
        expect(await store.receipts.takeDailySlots([a], day, 2)).toEqual(new Set([a]));
        expect(await store.receipts.takeDailySlots([a, b], day, 2)).toEqual(new Set([b]));
        expect(await store.receipts.takeDailySlots([a, b], day, 2)).toEqual(new Set());
        expect(await store.receipts.takeDailySlots([a, b], '2026-03-03', 2)).toEqual(new Set([a, b]));
        expect(await store.receipts.takeDailySlots([a], day, 3)).toEqual(new Set([a]));
      });

      it('grants no more than the cap to concurrent callers', async () => {
        const phone = uniquePhone();

        const granted = await Promise.all(Array.from({ length: 6 }, () => store.receipts.takeDailySlots([phone], '2026-03-02', 3)));

        expect(granted.filter((set) => set.has(phone))).toHaveLength(3);
      });
    });

    describe('audit', () => {
      it('lists entries newest first, page by page, each exactly once', async () => {
        const subject = uniqueId('cmp');
        const entries = Array.from({ length: 7 }, (_, i) =>
          anAuditEntry({ subject, at: at(i, '2999-01-01T00:00:00.000Z'), details: { step: i } }),
        );
        await store.audit.appendAudit(entries.slice(0, 3));
        await store.audit.appendAudit(entries.slice(3));

        const listed = await collect((page) => store.audit.listAudit(page), 3);

        const mine = listed.filter((e) => e.subject === subject);
        expect(mine).toEqual([...entries].reverse());
      });

      it('accepts an empty batch', async () => {
        await store.audit.appendAudit([]);
      });
    });

    describe('idempotency records', () => {
      it('keeps the first record under a key', async () => {
        const record = anIdempotencyRecord();
        expect(await store.idempotency.saveIdempotencyRecord(record)).toBe(true);

        expect(await store.idempotency.saveIdempotencyRecord({ ...record, statusCode: 409, body: '{}' })).toBe(false);

        expect(await store.idempotency.getIdempotencyRecord(record.key)).toEqual(record);
        expect(await store.idempotency.getIdempotencyRecord(uniqueId('idem'))).toBeUndefined();
      });
    });
  });
}
