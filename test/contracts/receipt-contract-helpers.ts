/**
 * What the receipt contracts share: the outcomes and reports they record, the counts they expect, and
 * runs of queued receipts made through the store under test.
 */
import { expect } from 'vitest';
import type { DeliveredInMinute, Receipt, ReceiptCounts, ReceiptStatus, StatusCounts } from '../../lambdas/core/model.js';
import type { DeliveryReport, SendOutcome, Stores } from '../../lambdas/core/ports.js';
import { utcMinuteOf } from '../../lambdas/core/receipts/utc-minute.js';
import { at, receiptsFor, uniqueId, uniquePhones } from '../factories.js';
import { collect } from './store-contract-fixture.js';

export function statusCounts(partial: Partial<Record<ReceiptStatus, number>>): StatusCounts {
  const counts = { queued: 0, submitted: 0, delivered: 0, failed: 0, expired: 0, ...partial };
  return { ...counts, total: Object.values(counts).reduce((sum, n) => sum + n, 0) };
}

export function withoutCarriers(counts: ReceiptCounts): StatusCounts {
  const { byCarrier: _byCarrier, ...totals } = counts;
  return totals;
}

/** The delivered receipts by the UTC minute of their report, recomputed from the receipts. */
export function deliveriesByMinute(receipts: Receipt[]): DeliveredInMinute[] {
  const byMinute = new Map<string, number>();
  for (const receipt of receipts) {
    if (receipt.status !== 'delivered' || receipt.doneAt === undefined) continue;
    const minute = utcMinuteOf(receipt.doneAt);
    byMinute.set(minute, (byMinute.get(minute) ?? 0) + 1);
  }
  return [...byMinute].sort(([a], [b]) => a.localeCompare(b)).map(([minute, delivered]) => ({ minute, delivered }));
}

/** Counts recomputed from the receipts themselves, to check the counters that are only added to. */
export function tally(receipts: Receipt[]): StatusCounts {
  const counts: Partial<Record<ReceiptStatus, number>> = {};
  for (const receipt of receipts) counts[receipt.status] = (counts[receipt.status] ?? 0) + 1;
  return statusCounts(counts);
}

export function submitted(receipt: Pick<Receipt, 'campaignId' | 'runId' | 'phone'>, messageId: string, gatewayId = 'sim'): SendOutcome {
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

export function failed(receipt: Pick<Receipt, 'campaignId' | 'runId' | 'phone'>, error = 'rejected by carrier'): SendOutcome {
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

export function report(messageId: string, status: DeliveryReport['status'] = 'delivered', gatewayId = 'sim'): DeliveryReport {
  return {
    gatewayId,
    messageId,
    status,
    ...(status === 'failed' && { error: 'UNDELIV' }),
    at: at(20),
  };
}

/** Helpers that make and read receipts through `store`. */
export function receiptHelpers(store: Stores) {
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

  return { queuedRun, receiptsOf, expectCountersToMatchReceipts };
}
