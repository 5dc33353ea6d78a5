/**
 * The ReceiptStore on the Loa table: receipts keyed per message, their sharded counters moved in the
 * same transactions (receipt-transitions.ts, receipt-counters.ts), and the daily slots of each phone.
 * Nothing written per message goes to a key shared by other messages: README.md, "Keeping every key
 * under 1,000 writes a second".
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest, Receipt, ReceiptCounts, ReceiptProgress } from '../../core/model.js';
import { DEFAULT_CONFIG } from '../../core/config.js';
import type { DeliveryReport, SendOutcome } from '../../core/ports.js';
import type { DailySlotRun, PseudonymizedReceipt, ReceiptKey, ReceiptStore } from '../../core/receipts/receipt-store.js';
import { CONCURRENCY, mapLimit } from './concurrency.js';
import { getRecord, isConditionFailed, strip, type Item, type Table } from './items.js';
import { allShards, keys, partitions, receiptListRange, receiptListSortKey, SortKeyPrefix } from './keys.js';
import { decodeAfterCursor, encodeAfterCursor, mergeShards, pageSize, query, queryAll, shardPageLimit, successor } from './paging.js';
import { countedAs, counterUpdates, progressOf, sumCarrierCounters, type CountedUnit } from './receipt-counters.js';
import { expiredUnit, namedReportUnit, outcomeUnit, queuedUnit, reportUnit, type ReceiptTable } from './receipt-transitions.js';
import { Index, Shards, TTL_ATTRIBUTE } from './table.js';
import { pseudonymizeReceipts, receiptsOfPhone, receiptsPastRetention } from './receipt-pseudonyms.js';
import { batchDelete, batchGet, runUnits } from './write-engine.js';

/** Receipt keys a status-filtered page may look at before returning a short page with a cursor. */
const MIN_RECEIPT_SCAN_PER_PAGE = 1_000;
/** Daily slots are deleted by TTL a few days after their day. */
const DAILY_SLOT_RETENTION_S = 3 * 24 * 3600;

export class DynamoDbReceiptStore implements ReceiptStore {
  private readonly table: ReceiptTable;

  /** `retentionDays`: receipts are deleted by TTL that long after their last change (config.retentionDays). */
  constructor(table: Table, options: { retentionDays?: number } = {}) {
    this.table = { ...table, retentionSeconds: (options.retentionDays ?? DEFAULT_CONFIG.retentionDays) * 24 * 3600 };
  }

  async insertReceipts(receipts: Receipt[]): Promise<number> {
    // "Only if not there yet" needs a condition, which BatchWriteItem cannot carry: the receipts go in
    // transactions of up to 99 conditional puts plus the counter update (2 WCU per receipt).
    const unique = new Map<string, Receipt>();
    for (const r of receipts) {
      const id = keys.receipt(r.campaignId, r.runId, r.phone).pk;
      if (!unique.has(id)) unique.set(id, r);
    }
    let added = 0;
    const units = [...unique.values()].map((r) => queuedUnit(this.table, r, () => void added++));
    await this.run(units);
    return added;
  }

  async queuedPhones(campaignId: string, runId: string, phones: string[]): Promise<Set<string>> {
    // Strongly consistent: a receipt queued a moment ago by the fan-out must be seen by its sender.
    const items = await batchGet(
      this.table,
      [...new Set(phones)].map((phone) => keys.receipt(campaignId, runId, phone)),
      { consistent: true, projection: ['phone', 'status'] },
    );
    return new Set(items.filter((item) => item.status === 'queued').map((item) => item.phone as string));
  }

  async recordSendOutcomes(outcomes: SendOutcome[]): Promise<void> {
    // The receipts are read first for their carrier (the counters are per carrier and a transaction
    // returns nothing), and only those still queued are written.
    const unique = new Map<string, SendOutcome>();
    for (const o of outcomes) {
      const id = keys.receipt(o.campaignId, o.runId, o.phone).pk;
      if (!unique.has(id)) unique.set(id, o);
    }
    const stored = new Map(
      (
        await batchGet(
          this.table,
          [...unique.values()].map((o) => keys.receipt(o.campaignId, o.runId, o.phone)),
          { consistent: true, projection: ['pk', 'carrier', 'areaCode', 'status'] },
        )
      ).map((item) => [item.pk as string, item]),
    );
    const queued = [...unique].filter(([id]) => stored.get(id)?.status === 'queued');
    const units = await mapLimit(queued, CONCURRENCY, ([id, o]) => outcomeUnit(this.table, o, countedAs(stored.get(id) ?? {})));
    await this.run(units);
  }

  async recordDeliveryReports(
    reports: DeliveryReport[],
    options: { keepUnmatched?: boolean } = {},
  ): Promise<{ applied: number; unmatched: number }> {
    const keepUnmatched = options.keepUnmatched ?? true;
    const result = { applied: 0, unmatched: 0 };
    // A receipt or message id twice in one call is handled in a later wave (a transaction names an item once).
    let pending = reports;
    while (pending.length > 0) {
      const wave = new Map<string, DeliveryReport>();
      const later: DeliveryReport[] = [];
      for (const r of pending) {
        const id = r.receipt
          ? keys.receipt(r.receipt.campaignId, r.receipt.runId, r.receipt.phone).pk
          : keys.message(r.gatewayId, r.messageId).pk;
        if (wave.has(id)) later.push(r);
        else wave.set(id, r);
      }
      // A report naming its receipt reads the receipt; the others read their message id item.
      const named = [...wave.values()].flatMap((r) => (r.receipt ? [r.receipt] : []));
      const receipts = byPk(
        await batchGet(
          this.table,
          named.map((k) => keys.receipt(k.campaignId, k.runId, k.phone)),
          { consistent: true, projection: ['pk', 'status', 'carrier', 'areaCode', 'gatewayId', 'gatewayMessageId'] },
        ),
      );
      const byMessageId = [...wave.values()].filter((r) => !r.receipt);
      const messages = byPk(
        await batchGet(
          this.table,
          byMessageId.map((r) => keys.message(r.gatewayId, r.messageId)),
          { consistent: true },
        ),
      );
      const units: CountedUnit[] = [];
      for (const [id, r] of wave) {
        const unit = r.receipt
          ? namedReportUnit(this.table, r, r.receipt, receipts.get(id), result, keepUnmatched)
          : reportUnit(this.table, r, messages.get(id), result, keepUnmatched);
        if (unit) units.push(unit);
      }
      await this.run(units);
      pending = later;
    }
    return result;
  }

  async countUnmatchedReports(): Promise<number> {
    const items = await batchGet(
      this.table,
      allShards(Shards.unmatched).map((shard) => keys.unmatched(shard)),
      { consistent: true },
    );
    return items.reduce((sum, item) => sum + (typeof item.n === 'number' ? item.n : 0), 0);
  }

  async expireReceipts(submittedBefore: string, limit: number): Promise<number> {
    // The awaiting-report index holds a receipt only while it is submitted; the oldest are taken
    // across its shards, and each moves under a condition (the index lags the table a little).
    const size = pageSize({ limit });
    const candidates: Item[] = [];
    const walk = mergeShards(
      Shards.awaitingReport,
      (shard, startKey, pageLimit) =>
        query(this.table, {
          TableName: this.table.tableName,
          IndexName: Index.receiptsAwaitingReport.name,
          KeyConditionExpression: '#pk = :pk AND #sk < :before',
          ExpressionAttributeNames: { '#pk': Index.receiptsAwaitingReport.pk, '#sk': Index.receiptsAwaitingReport.sk },
          ExpressionAttributeValues: { ':pk': partitions.awaitingReport(shard), ':before': submittedBefore },
          ExclusiveStartKey: startKey,
          Limit: pageLimit,
        }),
      (item) => item[Index.receiptsAwaitingReport.sk] as string,
      () => shardPageLimit(size - candidates.length, Shards.awaitingReport),
    );
    for await (const item of walk) {
      candidates.push(item);
      if (candidates.length >= size) break;
    }
    // The index does not carry the area (its projection predates the counters by area): the receipts
    // are read for it. Expiry is the rare path, a receipt that never got a report.
    const areas = new Map(
      (
        await batchGet(
          this.table,
          candidates.map((item) => keys.receipt(item.campaignId as string, item.runId as string, item.phone as string)),
          { consistent: true, projection: ['pk', 'areaCode'] },
        )
      ).map((item) => [item.pk as string, item.areaCode]),
    );
    let expired = 0;
    const units = candidates.map((item) => {
      const campaignId = item.campaignId as string;
      const runId = item.runId as string;
      const phone = item.phone as string;
      const counted = countedAs({ carrier: item.carrier, areaCode: areas.get(keys.receipt(campaignId, runId, phone).pk) });
      return expiredUnit(this.table, { campaignId, runId, phone, counted }, submittedBefore, () => void expired++);
    });
    await this.run(units);
    return expired;
  }

  async getReceipt(campaignId: string, runId: string, phone: string): Promise<Receipt | undefined> {
    return getRecord<Receipt>(this.table, keys.receipt(campaignId, runId, phone));
  }

  async listReceipts(
    campaignId: string,
    filter: { status?: Receipt['status']; runId?: string },
    page: PageRequest,
  ): Promise<Page<Receipt>> {
    // The listing index is keys-only (written once per receipt, never on a status change), merged
    // over its shards in (run, phone) order; the receipts themselves come by BatchGetItem, and a
    // status filter is applied to them, looking at a bounded number of keys per page.
    const size = pageSize(page);
    const after = decodeAfterCursor(page.cursor, { walk: 'receipts' });
    const range = receiptListRange(filter.runId);
    const lower = after !== undefined && after >= range.start ? successor(after) : range.start;
    const scanLimit = Math.max(MIN_RECEIPT_SCAN_PER_PAGE, 20 * size);
    const found: Receipt[] = [];
    let scanned = 0;
    let lastScanned: string | undefined;
    let batch: Item[] = [];
    const flush = async (): Promise<void> => {
      const items = await batchGet(
        this.table,
        batch.map((k) => ({ pk: k.pk as string, sk: k.sk as string })),
        { consistent: true },
      );
      const byPk = new Map(items.map((item) => [item.pk as string, item]));
      for (const k of batch) {
        const item = byPk.get(k.pk as string);
        if (item && (filter.status === undefined || item.status === filter.status)) found.push(strip<Receipt>(item));
      }
      batch = [];
    };
    const walk = mergeShards(
      Shards.receiptList,
      (shard, startKey, pageLimit) => {
        const names: Record<string, string> = { '#pk': Index.receiptsByCampaign.pk };
        const values: Item = { ':pk': partitions.receiptList(campaignId, shard) };
        let condition = '#pk = :pk';
        if (range.end !== undefined) {
          condition += ' AND #sk BETWEEN :lower AND :upper';
          names['#sk'] = Index.receiptsByCampaign.sk;
          values[':lower'] = lower;
          values[':upper'] = range.end;
        } else if (lower !== '') {
          condition += ' AND #sk >= :lower';
          names['#sk'] = Index.receiptsByCampaign.sk;
          values[':lower'] = lower;
        }
        return query(this.table, {
          TableName: this.table.tableName,
          IndexName: Index.receiptsByCampaign.name,
          KeyConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ExclusiveStartKey: startKey,
          Limit: pageLimit,
        });
      },
      (item) => item[Index.receiptsByCampaign.sk] as string,
      () => shardPageLimit(size + 1 - found.length - batch.length, Shards.receiptList),
    );
    let exhausted = true;
    for await (const key of walk) {
      batch.push(key);
      scanned++;
      lastScanned = key[Index.receiptsByCampaign.sk] as string;
      if (found.length + batch.length > size) {
        await flush();
        if (found.length > size) {
          exhausted = false;
          break;
        }
      }
      if (scanned >= scanLimit) {
        exhausted = false;
        break;
      }
    }
    if (batch.length > 0) await flush();
    if (found.length > size) {
      const items = found.slice(0, size);
      const last = items[items.length - 1] as Receipt;
      return { items, nextCursor: encodeAfterCursor({ walk: 'receipts' }, receiptListSortKey(last.runId, last.phone)) };
    }
    if (!exhausted && lastScanned !== undefined) {
      // The page is short because the scan limit was reached; the walk goes on from here.
      return { items: found, nextCursor: encodeAfterCursor({ walk: 'receipts' }, lastScanned) };
    }
    return { items: found };
  }

  async campaignCounts(campaignId: string, runId?: string): Promise<ReceiptCounts> {
    const items =
      runId === undefined
        ? await this.counterShards(campaignId, SortKeyPrefix.runCounter)
        : await batchGet(
            this.table,
            allShards(Shards.counters).map((shard) => keys.counter(campaignId, shard, runId)),
            { consistent: true },
          );
    return sumCarrierCounters(items);
  }

  async campaignProgress(campaignId: string): Promise<ReceiptProgress> {
    // One query per shard reads all of it: the runs' counts by carrier, by area and by delivered minute.
    return progressOf(await this.counterShards(campaignId, ''));
  }

  async takeDailySlots(run: DailySlotRun, phones: string[], day: string, cap: number): Promise<Set<string>> {
    // One conditional ADD per phone and day: each phone is its own partition key, and only the phones
    // under the cap get a slot (a transaction would fail as a whole on the first capped phone). The item
    // keeps the runs that took a slot in a string set, so the same run asking again takes nothing more.
    const granted = new Set<string>();
    if (cap < 1) return granted;
    const expiresAt = Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + DAILY_SLOT_RETENTION_S;
    const runKey = `${run.campaignId}#${run.runId}`;
    await mapLimit([...new Set(phones)], CONCURRENCY, async (phone) => {
      const key = keys.dailySlot(phone, day);
      try {
        await this.table.db.send(
          new UpdateCommand({
            TableName: this.table.tableName,
            Key: key,
            UpdateExpression: 'ADD #n :one, #runs :runs SET #ttl = :ttl',
            ConditionExpression: '(attribute_not_exists(#n) OR #n < :cap) AND NOT contains(#runs, :run)',
            ExpressionAttributeNames: { '#n': 'n', '#runs': 'runs', '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: {
              ':one': 1,
              ':cap': cap,
              ':runs': new Set([runKey]),
              ':run': runKey,
              ':ttl': Number.isFinite(expiresAt) ? expiresAt : 0,
            },
          }),
        );
        granted.add(phone);
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
        // Capped, or this run's slot already taken (a repeated slice): only the second keeps its slot.
        const { Item } = await this.table.db.send(
          new GetCommand({
            TableName: this.table.tableName,
            Key: key,
            ProjectionExpression: '#runs',
            ExpressionAttributeNames: { '#runs': 'runs' },
            ConsistentRead: true,
          }),
        );
        if ((Item?.runs as Set<string> | undefined)?.has(runKey)) granted.add(phone);
      }
    });
    return granted;
  }

  async receiptsOfPhone(phone: string): Promise<Receipt[]> {
    return receiptsOfPhone(this.table, phone);
  }

  async pseudonymizeReceipts(receipts: PseudonymizedReceipt[]): Promise<number> {
    return pseudonymizeReceipts(this.table, receipts);
  }

  async receiptsPastRetention(firedBefore: string, limit: number): Promise<ReceiptKey[]> {
    return receiptsPastRetention(this.table, firedBefore, limit);
  }

  async forgetDailySlots(phone: string, days: string[]): Promise<void> {
    await batchDelete(
      this.table,
      days.map((day) => keys.dailySlot(phone, day)),
    );
  }

  /** The counter items of a campaign whose sort key starts with `prefix`, from every shard (consistent). */
  private async counterShards(campaignId: string, prefix: string): Promise<Item[]> {
    const pages = await mapLimit(allShards(Shards.counters), CONCURRENCY, (shard) =>
      queryAll(this.table, {
        KeyConditionExpression: prefix === '' ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partitions.counterShard(campaignId, shard), ...(prefix !== '' && { ':prefix': prefix }) },
        ConsistentRead: true,
      }),
    );
    return pages.flat();
  }

  /** Writes receipt units in transactions with the counters they move. */
  private async run(units: CountedUnit[]): Promise<void> {
    await runUnits(this.table, units, counterUpdates(this.table));
  }
}

/** Items by their partition key. */
function byPk(items: Item[]): Map<string, Item> {
  return new Map(items.map((item) => [item.pk as string, item]));
}
