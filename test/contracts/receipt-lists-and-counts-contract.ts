/**
 * The ReceiptStore contract, continued: a campaign's receipts listed by run and status, and its counts
 * and progress by carrier, area and delivered minute. Part of describeReceiptStoreContract, which opens
 * the stores.
 */
import { describe, expect, it } from 'vitest';
import type { Stores } from '../../lambdas/core/ports.js';
import { aReceipt, at, receiptsFor, uniqueId, uniquePhones } from '../factories.js';
import { failed, receiptHelpers, report, statusCounts, submitted } from './receipt-contract-helpers.js';
import { collect } from './store-contract-fixture.js';

export function describeReceiptListsAndCounts(store: Stores): void {
  const { receiptsOf, expectCountersToMatchReceipts } = receiptHelpers(store);

  describe('lists and counts', () => {
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
}
