/**
 * The behaviour every ReceiptStore adapter must have: receipts queued, submitted, reported and expired,
 * exactly once each however the calls overlap, with counters that follow them; and the daily slots that
 * cap the messages a phone gets. Their lists, counts and progress: receipt-lists-and-counts-contract.ts.
 * How the stores are opened: store-contract-fixture.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Receipt } from '../../lambdas/core/model.js';
import type { SendOutcome } from '../../lambdas/core/ports.js';
import { aReceipt, at, receiptsFor, uniqueId, uniquePhone, uniquePhones } from '../factories.js';
import { failed, receiptHelpers, report, statusCounts, submitted, withoutCarriers } from './receipt-contract-helpers.js';
import { describeReceiptListsAndCounts } from './receipt-lists-and-counts-contract.js';
import { describeReceiptPseudonyms } from './receipt-pseudonyms-contract.js';
import { type OpenStores, storesOpenedForEachTest } from './store-contract-fixture.js';

export function describeReceiptStoreContract(adapterName: string, open: OpenStores): void {
  describe(`ReceiptStore contract: ${adapterName}`, () => {
    const store = storesOpenedForEachTest(open);
    const { queuedRun, receiptsOf, expectCountersToMatchReceipts } = receiptHelpers(store);

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

      it('applies a report naming its receipt, submitted through a gateway whose reports name it', async () => {
        const { campaignId, runId, receipts } = await queuedRun(2);
        const [a, b] = receipts as [Receipt, Receipt];
        const ids = [uniqueId('msg'), uniqueId('msg')] as const;
        await store.receipts.recordSendOutcomes([
          { ...submitted(a, ids[0], 'eum'), reportsNameReceipt: true },
          { ...submitted(b, ids[1], 'eum'), reportsNameReceipt: true },
        ]);

        const result = await store.receipts.recordDeliveryReports([
          { ...report(ids[0], 'delivered', 'eum'), receipt: a },
          { ...report(ids[1], 'failed', 'eum'), receipt: b },
        ]);

        expect(result).toEqual({ applied: 2, unmatched: 0 });
        expect(await store.receipts.getReceipt(campaignId, runId, a.phone)).toMatchObject({ status: 'delivered', doneAt: at(20) });
        expect(await store.receipts.getReceipt(campaignId, runId, b.phone)).toMatchObject({ status: 'failed', error: 'UNDELIV' });
        await expectCountersToMatchReceipts(campaignId);
      });

      it('moves a queued receipt named by a report that came before its submission, and ignores the submission then', async () => {
        const { campaignId, runId, receipts } = await queuedRun(1);
        const receipt = receipts[0] as Receipt;
        const messageId = uniqueId('msg');
        const before = await store.receipts.countUnmatchedReports();

        expect(await store.receipts.recordDeliveryReports([{ ...report(messageId, 'delivered', 'eum'), receipt }])).toEqual({
          applied: 1,
          unmatched: 0,
        });
        expect(await store.receipts.queuedPhones(campaignId, runId, [receipt.phone])).toEqual(new Set());
        await store.receipts.recordSendOutcomes([{ ...submitted(receipt, messageId, 'eum'), reportsNameReceipt: true }]);

        expect(await store.receipts.getReceipt(campaignId, runId, receipt.phone)).toMatchObject({
          status: 'delivered',
          gatewayId: 'eum',
          gatewayMessageId: messageId,
          doneAt: at(20),
        });
        expect(await store.receipts.countUnmatchedReports()).toBe(before);
        expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(statusCounts({ delivered: 1 }));
        await expectCountersToMatchReceipts(campaignId);
      });

      it('ignores a report naming a receipt already final, or submitted under another message id', async () => {
        const { campaignId, runId, receipts } = await queuedRun(2);
        const [done, resent] = receipts as [Receipt, Receipt];
        const ids = [uniqueId('msg'), uniqueId('msg')] as const;
        await store.receipts.recordSendOutcomes([failed(done), { ...submitted(resent, ids[0], 'eum'), reportsNameReceipt: true }]);

        const result = await store.receipts.recordDeliveryReports([
          { ...report(uniqueId('msg'), 'delivered', 'eum'), receipt: done },
          { ...report(ids[1], 'delivered', 'eum'), receipt: resent },
        ]);

        expect(result).toEqual({ applied: 0, unmatched: 0 });
        expect((await store.receipts.getReceipt(campaignId, runId, resent.phone))?.status).toBe('submitted');
        expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(statusCounts({ failed: 1, submitted: 1 }));
      });

      it('drops and counts the reports matching no receipt when asked not to keep them', async () => {
        const { campaignId, receipts } = await queuedRun(1);
        const messageId = uniqueId('msg');
        await store.receipts.recordSendOutcomes([submitted(receipts[0]!, messageId)]);
        const before = await store.receipts.countUnmatchedReports();
        const elsewhere = { campaignId: uniqueId('cmp'), runId: uniqueId('run'), phone: uniquePhone() };

        const result = await store.receipts.recordDeliveryReports(
          [report(messageId), report(uniqueId('msg')), { ...report(uniqueId('msg'), 'delivered', 'eum'), receipt: elsewhere }],
          { keepUnmatched: false },
        );

        expect(result).toEqual({ applied: 1, unmatched: 2 });
        expect(await store.receipts.countUnmatchedReports()).toBe(before);
        expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(statusCounts({ delivered: 1 }));
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
    });

    describe('daily slots', () => {
      const run = (n: number) => ({ campaignId: 'cmp_slots', runId: `run_${n}` });

      it('grants each phone up to the cap of messages a day', async () => {
        const [a, b] = uniquePhones(2) as [string, string];
        const day = '2026-03-02';

        expect(await store.receipts.takeDailySlots(run(1), [a, b], day, 2)).toEqual(new Set([a, b]));
        expect(await store.receipts.takeDailySlots(run(2), [a], day, 2)).toEqual(new Set([a]));
        expect(await store.receipts.takeDailySlots(run(3), [a, b], day, 2)).toEqual(new Set([b]));
        expect(await store.receipts.takeDailySlots(run(4), [a, b], day, 2)).toEqual(new Set());
        expect(await store.receipts.takeDailySlots(run(5), [a, b], '2026-03-03', 2)).toEqual(new Set([a, b]));
        expect(await store.receipts.takeDailySlots(run(6), [a], day, 3)).toEqual(new Set([a]));
      });

      it('takes a slot once per phone, day and run: the same run asking again keeps its slot and takes no other', async () => {
        const [a, b, c] = uniquePhones(3) as [string, string, string];
        const day = '2026-03-02';

        expect(await store.receipts.takeDailySlots(run(1), [a, b], day, 1)).toEqual(new Set([a, b]));
        expect(await store.receipts.takeDailySlots(run(1), [a, b, c], day, 1)).toEqual(new Set([a, b, c]));
        expect(await store.receipts.takeDailySlots(run(1), [a, b, c], day, 1)).toEqual(new Set([a, b, c]));
        expect(await store.receipts.takeDailySlots({ campaignId: 'cmp_other', runId: 'run_1' }, [a, b, c], day, 1)).toEqual(new Set());
        expect(await store.receipts.takeDailySlots(run(2), [a], day, 2)).toEqual(new Set([a]));
        expect(await store.receipts.takeDailySlots(run(3), [a], day, 2)).toEqual(new Set());
      });

      it('grants no more than the cap to concurrent callers', async () => {
        const phone = uniquePhone();

        const granted = await Promise.all(
          Array.from({ length: 6 }, (_, n) => store.receipts.takeDailySlots(run(n), [phone], '2026-03-02', 3)),
        );

        expect(granted.filter((set) => set.has(phone))).toHaveLength(3);
      });

      it('counts one slot for one run asking concurrently', async () => {
        const phone = uniquePhone();

        const granted = await Promise.all(Array.from({ length: 4 }, () => store.receipts.takeDailySlots(run(1), [phone], '2026-03-02', 2)));

        expect(granted.every((set) => set.has(phone))).toBe(true);
        expect(await store.receipts.takeDailySlots(run(2), [phone], '2026-03-02', 2)).toEqual(new Set([phone]));
        expect(await store.receipts.takeDailySlots(run(3), [phone], '2026-03-02', 2)).toEqual(new Set());
      });
    });

    describeReceiptListsAndCounts(store);
    describeReceiptPseudonyms(store);
  });
}
