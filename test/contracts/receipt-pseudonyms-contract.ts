/**
 * The ReceiptStore contract, continued: a number's receipts found run by run and kept under its pseudonym
 * (erasure and retention), and its daily slots forgotten. Part of describeReceiptStoreContract, which
 * opens the stores.
 */
import { describe, expect, it } from 'vitest';
import type { Stores } from '../../lambdas/core/ports.js';
import { aCampaign, aReceipt, aRun, uniqueId, uniquePhone } from '../factories.js';
import { receiptHelpers, report, statusCounts, submitted, withoutCarriers } from './receipt-contract-helpers.js';

export function describeReceiptPseudonyms(store: Stores): void {
  const { expectCountersToMatchReceipts } = receiptHelpers(store);

  /** A campaign and its runs in the campaign store, as launchRun leaves them: receipts are found through them. */
  async function campaignWithRuns(runs: number): Promise<{ campaignId: string; runIds: string[] }> {
    const campaign = aCampaign({ createdAt: new Date().toISOString() });
    await store.campaigns.insertCampaign(campaign);
    const runIds = Array.from({ length: runs }, () => uniqueId('run'));
    for (const runId of runIds) await store.campaigns.insertRun(aRun({ campaignId: campaign.id, runId }));
    return { campaignId: campaign.id, runIds };
  }

  describe('pseudonyms', () => {
    it("finds a number's receipts in every run of every campaign, and no one else's", async () => {
      const phone = uniquePhone();
      const other = uniquePhone();
      const first = await campaignWithRuns(2);
      const second = await campaignWithRuns(1);
      await store.receipts.insertReceipts([
        aReceipt({ campaignId: first.campaignId, runId: first.runIds[0]!, phone, queuedAt: '2026-03-01T01:00:00.000Z' }),
        aReceipt({ campaignId: first.campaignId, runId: first.runIds[1]!, phone: other }),
        aReceipt({ campaignId: second.campaignId, runId: second.runIds[0]!, phone, queuedAt: '2026-03-02T01:00:00.000Z' }),
      ]);

      const found = await store.receipts.receiptsOfPhone(phone);
      expect(found.map((r) => [r.campaignId, r.runId, r.phone])).toEqual([
        [first.campaignId, first.runIds[0], phone],
        [second.campaignId, second.runIds[0], phone],
      ]);
      expect(await store.receipts.receiptsOfPhone(uniquePhone())).toEqual([]);
    });

    it('keeps receipts under the pseudonym, counters unchanged, and a late delivery report still finds them', async () => {
      const { campaignId, runIds } = await campaignWithRuns(1);
      const runId = runIds[0]!;
      const [waiting, done, untouched] = [
        aReceipt({ campaignId, runId }),
        aReceipt({ campaignId, runId }),
        aReceipt({ campaignId, runId }),
      ];
      await store.receipts.insertReceipts([waiting!, done!, untouched!]);
      const messageIds = [uniqueId('m'), uniqueId('m')];
      await store.receipts.recordSendOutcomes([submitted(waiting!, messageIds[0]!), submitted(done!, messageIds[1]!)]);
      await store.receipts.recordDeliveryReports([report(messageIds[1]!)]);
      const before = withoutCarriers(await store.receipts.campaignCounts(campaignId));

      const pseudonymOf = (phone: string) => `anon_${phone.slice(1)}`;
      const moves = [waiting!, done!].map(({ phone }) => ({ campaignId, runId, phone, pseudonym: pseudonymOf(phone) }));
      expect(await store.receipts.pseudonymizeReceipts(moves)).toBe(2);
      expect(await store.receipts.pseudonymizeReceipts(moves)).toBe(0);

      expect(await store.receipts.getReceipt(campaignId, runId, waiting!.phone)).toBeUndefined();
      expect(await store.receipts.receiptsOfPhone(done!.phone)).toEqual([]);
      expect(await store.receipts.getReceipt(campaignId, runId, pseudonymOf(done!.phone))).toMatchObject({
        phone: pseudonymOf(done!.phone),
        status: 'delivered',
        gatewayMessageId: messageIds[1],
      });
      expect(await store.receipts.getReceipt(campaignId, runId, untouched!.phone)).toMatchObject({ status: 'queued' });
      expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(before);

      expect(await store.receipts.recordDeliveryReports([report(messageIds[0]!, 'failed')])).toEqual({ applied: 1, unmatched: 0 });
      expect(await store.receipts.getReceipt(campaignId, runId, pseudonymOf(waiting!.phone))).toMatchObject({ status: 'failed' });
      expect(withoutCarriers(await store.receipts.campaignCounts(campaignId))).toEqual(
        statusCounts({ queued: 1, delivered: 1, failed: 1 }),
      );
      await expectCountersToMatchReceipts(campaignId);
    });

    it("forgets a number's daily slots", async () => {
      const phone = uniquePhone();
      const run = { campaignId: uniqueId('cmp'), runId: uniqueId('run') };
      expect(await store.receipts.takeDailySlots(run, [phone], '2026-03-02', 1)).toEqual(new Set([phone]));
      expect(await store.receipts.takeDailySlots({ ...run, runId: uniqueId('run') }, [phone], '2026-03-02', 1)).toEqual(new Set());

      await store.receipts.forgetDailySlots(phone, ['2026-03-01', '2026-03-02']);

      expect(await store.receipts.takeDailySlots({ ...run, runId: uniqueId('run') }, [phone], '2026-03-02', 1)).toEqual(new Set([phone]));
    });
  });
}
