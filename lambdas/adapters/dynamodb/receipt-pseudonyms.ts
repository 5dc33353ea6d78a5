/**
 * A number's receipts under its pseudonym (erasure and retention). The phone is in the receipt's key, so a
 * receipt moves: a new item under the pseudonym's key with the same record and index keys recomputed, the
 * old item deleted on condition that its status has not moved meanwhile, and the message id item that leads
 * a late delivery report to the receipt pointed at the new key, all in one transaction. Counters are keyed
 * by run, carrier and area, never by phone: they stay as they are.
 *
 * A number's receipts are found without a Scan: every campaign of the lists index, every run of each
 * campaign (one Query a campaign), then one BatchGetItem key per run. Receipts past the retention period
 * are found the same way, then through the receipt listing index of each old run.
 */
import type { Receipt } from '../../core/model.js';
import type { PseudonymizedReceipt, ReceiptKey } from '../../core/receipts/receipt-store.js';
import { CONCURRENCY, mapLimit } from './concurrency.js';
import { plain, putNew, strip, type Item, type Table } from './items.js';
import { allShards, indexKeys, keys, List, partitions, receiptListSortKey } from './keys.js';
import { query, queryAll } from './paging.js';
import { Index, Shards, TTL_ATTRIBUTE } from './table.js';
import { batchGet, conditionFailures, transact, type TransactItem } from './write-engine.js';

/** A receipt whose status moved while it was being moved is read again, this many times at most. */
const MOVE_ATTEMPTS = 5;

interface RunOfCampaign {
  campaignId: string;
  runId: string;
  firedAt: string;
}

export async function receiptsOfPhone(table: Table, phone: string): Promise<Receipt[]> {
  const runs = await runsOf(table, await campaignIds(table));
  const items = await batchGet(
    table,
    runs.map((run) => keys.receipt(run.campaignId, run.runId, phone)),
    { consistent: true },
  );
  return items
    .map((item) => strip<Receipt>(item))
    .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.campaignId.localeCompare(b.campaignId) || a.runId.localeCompare(b.runId));
}

/**
 * Receipts still under a number, of runs fired before `firedBefore`, oldest runs first. Numbers are E.164
 * ('+...') and pseudonyms 'anon_...', so a run's numbers are one range of the listing index's sort key
 * (`<runId>#+` up to `<runId>#,`): a run already pseudonymized costs one empty Query a shard.
 */
export async function receiptsPastRetention(table: Table, firedBefore: string, limit: number): Promise<ReceiptKey[]> {
  const old = (await runsOf(table, await campaignIds(table, firedBefore)))
    .filter((run) => run.firedAt < firedBefore)
    .sort((a, b) => a.firedAt.localeCompare(b.firedAt));
  const found: ReceiptKey[] = [];
  for (const run of old) {
    const shards = await mapLimit(allShards(Shards.receiptList), CONCURRENCY, (shard) =>
      query(table, {
        TableName: table.tableName,
        IndexName: Index.receiptsByCampaign.name,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': Index.receiptsByCampaign.pk, '#sk': Index.receiptsByCampaign.sk },
        ExpressionAttributeValues: {
          ':pk': partitions.receiptList(run.campaignId, shard),
          ':from': receiptListSortKey(run.runId, '+'),
          ':to': receiptListSortKey(run.runId, ','),
        },
        Limit: limit - found.length,
      }),
    );
    for (const item of shards.flatMap((page) => page.items)) {
      const phone = (item[Index.receiptsByCampaign.sk] as string).slice(run.runId.length + 1);
      if (found.length < limit) found.push({ campaignId: run.campaignId, runId: run.runId, phone });
    }
    if (found.length >= limit) break;
  }
  return found;
}

/** The ids of every campaign (created before `createdBefore`, when given: its runs cannot be older). */
async function campaignIds(table: Table, createdBefore?: string): Promise<string[]> {
  const campaigns = await queryAll(table, {
    IndexName: Index.lists.name,
    KeyConditionExpression: createdBefore === undefined ? '#pk = :pk' : '#pk = :pk AND #sk < :before',
    ExpressionAttributeNames: { '#pk': Index.lists.pk, ...(createdBefore !== undefined && { '#sk': Index.lists.sk }) },
    ExpressionAttributeValues: { ':pk': List.campaigns, ...(createdBefore !== undefined && { ':before': createdBefore }) },
    ProjectionExpression: 'id',
  });
  return campaigns.map((campaign) => campaign.id as string);
}

async function runsOf(table: Table, campaigns: string[]): Promise<RunOfCampaign[]> {
  const runs = await mapLimit(campaigns, CONCURRENCY, (campaignId) =>
    queryAll(table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
      ExpressionAttributeValues: { ':pk': keys.campaign(campaignId).pk, ':run': 'RUN#' },
      ProjectionExpression: 'campaignId, runId, firedAt',
    }),
  );
  return runs.flat().map((run) => ({ campaignId: run.campaignId as string, runId: run.runId as string, firedAt: run.firedAt as string }));
}

export async function pseudonymizeReceipts(table: Table, receipts: PseudonymizedReceipt[]): Promise<number> {
  const moved = await mapLimit(receipts, CONCURRENCY, (receipt) => moveReceipt(table, receipt));
  return moved.filter(Boolean).length;
}

async function moveReceipt(table: Table, change: PseudonymizedReceipt): Promise<boolean> {
  for (let attempt = 0; attempt < MOVE_ATTEMPTS; attempt++) {
    const [item] = await batchGet(table, [keys.receipt(change.campaignId, change.runId, change.phone)], { consistent: true });
    if (!item) return false;
    const receipt = strip<Receipt>(item);
    const message =
      receipt.gatewayId !== undefined && receipt.gatewayMessageId !== undefined
        ? (await batchGet(table, [keys.message(receipt.gatewayId, receipt.gatewayMessageId)], { consistent: true }))[0]
        : undefined;
    try {
      await transact(table, moveItems(table, receipt, change.pseudonym, message, item[TTL_ATTRIBUTE]));
      return true;
    } catch (error) {
      const failed = conditionFailures(error);
      if (failed.length === 0) throw error;
      // The pseudonym's receipt exists already: moved by an earlier call that stopped before deleting.
      if (failed.includes(0)) return false;
    }
  }
  throw new Error(`The receipt of run ${change.runId} kept changing while it was being pseudonymized`);
}

/** The moved receipt keeps its TTL (`expiresAt`): it is deleted when the receipt would have been. */
function moveItems(table: Table, receipt: Receipt, pseudonym: string, message: Item | undefined, expiresAt: unknown): TransactItem[] {
  const { campaignId, runId, phone } = receipt;
  const moved = { ...receipt, phone: pseudonym };
  const items: TransactItem[] = [
    {
      Put: putNew(table, {
        ...plain(moved),
        ...keys.receipt(campaignId, runId, pseudonym),
        ...indexKeys.receipt(campaignId, runId, pseudonym),
        ...(typeof expiresAt === 'number' && { [TTL_ATTRIBUTE]: expiresAt }),
        ...(moved.status === 'submitted' &&
          moved.submittedAt !== undefined &&
          indexKeys.awaitingReport({ ...moved, submittedAt: moved.submittedAt })),
      }),
    },
    {
      Delete: {
        TableName: table.tableName,
        Key: keys.receipt(campaignId, runId, phone),
        ConditionExpression: '#status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': receipt.status },
      },
    },
  ];
  if (message && message.phone === phone && receipt.gatewayId !== undefined && receipt.gatewayMessageId !== undefined) {
    items.push({
      Update: {
        TableName: table.tableName,
        Key: keys.message(receipt.gatewayId, receipt.gatewayMessageId),
        UpdateExpression: 'SET phone = :pseudonym',
        ConditionExpression: 'phone = :phone',
        ExpressionAttributeValues: { ':pseudonym': pseudonym, ':phone': phone },
      },
    });
  }
  return items;
}
