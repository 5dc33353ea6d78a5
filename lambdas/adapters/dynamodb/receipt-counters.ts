/**
 * The receipt counters (README.md, "Counters"): sharded items only ever added to, in the same
 * transaction as the receipts they count. A counter item holds `n_<carrier>_<status>` numbers for a run,
 * `n_<status>` for a run's area, `n` for a run's deliveries in one UTC minute; readers sum the shards.
 */
import { RECEIPT_STATUSES, type ReceiptCounts, type ReceiptProgress, type ReceiptStatus, type StatusCounts } from '../../core/model.js';
import { utcMinuteOf } from '../../core/receipts/utc-minute.js';
import type { Item, Table } from './items.js';
import { keys, randomShard, SortKeyPrefix, type Key } from './keys.js';
import { Shards } from './table.js';
import type { SharedItems, TransactItem, Unit } from './write-engine.js';

/** Counter key of receipts whose carrier (or area) is not known (as in the SQLite store). */
const UNKNOWN_CARRIER = 'unknown';
const UNKNOWN_AREA = 'unknown';

/** One counter move: `n` receipts of a run, carrier and area entering (n > 0) or leaving (n < 0) a status. */
export interface CounterMove {
  campaignId: string;
  runId: string;
  carrier: string;
  areaCode: string;
  status: ReceiptStatus;
  n: number;
  /** A move into delivered: the UTC minute it counts in. */
  deliveredMinute?: string;
}

/** What a receipt's counters are keyed by besides its run: as stored on the receipt (or its message id item). */
export interface Counted {
  carrier?: string;
  areaCode?: string;
}

/** A change to receipts, written in one transaction with the counters it moves. */
export interface CountedUnit extends Unit<CountedUnit> {
  moves: CounterMove[];
  /** Change to the count of unmatched delivery reports. */
  unmatched: number;
}

/**
 * The counter moves of one receipt of a run entering `to` (from `from`, or new), at `at`: by carrier and
 * by area, and a move into delivered counts in the UTC minute of `at`.
 */
export function moves(
  run: { campaignId: string; runId: string },
  counted: Counted,
  from: ReceiptStatus | undefined,
  to: ReceiptStatus,
  at: string,
): CounterMove[] {
  const base = {
    campaignId: run.campaignId,
    runId: run.runId,
    carrier: counted.carrier ?? UNKNOWN_CARRIER,
    areaCode: counted.areaCode ?? UNKNOWN_AREA,
  };
  const entering: CounterMove = { ...base, status: to, n: 1, ...(to === 'delivered' && { deliveredMinute: utcMinuteOf(at) }) };
  return from === undefined ? [entering] : [{ ...base, status: from, n: -1 }, entering];
}

/** The carrier and area of a receipt as read from an item (the receipt, its message id item). */
export function countedAs(item: { carrier?: unknown; areaCode?: unknown }): Counted {
  return {
    ...(typeof item.carrier === 'string' && { carrier: item.carrier }),
    ...(typeof item.areaCode === 'string' && { areaCode: item.areaCode }),
  };
}

/** The counters as the items the units of a transaction add to together. */
export function counterUpdates(table: Table): SharedItems<CountedUnit> {
  return { idsOf: countersOf, updatesFor: (units) => counterItems(table, units) };
}

/** Per run one counter item by carrier, one per area and one per delivered minute, and the unmatched one. */
function countersOf(unit: CountedUnit): string[] {
  const counters = unit.moves.flatMap((m) => {
    const run = `${m.campaignId}\u0000${m.runId}`;
    const items = [run, `${run}\u0000area\u0000${m.areaCode}`];
    if (m.deliveredMinute !== undefined) items.push(`${run}\u0000minute\u0000${m.deliveredMinute}`);
    return items;
  });
  return unit.unmatched === 0 ? counters : [...counters, 'unmatched'];
}

/**
 * The counter updates of a transaction: per run, one shard chosen at random for this transaction, and
 * on it the run's item (by carrier), one item per area and one per delivered minute the units move. All
 * on one shard, so a transaction conflicts with another only where the carrier counters already would.
 */
function counterItems(table: Table, units: CountedUnit[]): TransactItem[] {
  const byItem = new Map<string, { key: Key; set: Item; deltas: Map<string, number> }>();
  const shards = new Map<string, number>();
  const add = (key: Key, set: Item, attribute: string, n: number) => {
    const id = `${key.pk}\u0000${key.sk}`;
    const entry = byItem.get(id) ?? { key, set, deltas: new Map<string, number>() };
    byItem.set(id, entry);
    entry.deltas.set(attribute, (entry.deltas.get(attribute) ?? 0) + n);
  };
  let unmatched = 0;
  for (const unit of units) {
    unmatched += unit.unmatched;
    for (const m of unit.moves) {
      const runKey = `${m.campaignId}\u0000${m.runId}`;
      const shard = shards.get(runKey) ?? randomShard(Shards.counters);
      shards.set(runKey, shard);
      const run = { campaignId: m.campaignId, runId: m.runId };
      add(keys.counter(m.campaignId, shard, m.runId), run, counterAttribute(m.carrier, m.status), m.n);
      add(keys.areaCounter(m.campaignId, shard, m.runId, m.areaCode), { ...run, areaCode: m.areaCode }, `n_${m.status}`, m.n);
      if (m.deliveredMinute !== undefined) {
        add(keys.minuteCounter(m.campaignId, shard, m.runId, m.deliveredMinute), { ...run, minute: m.deliveredMinute }, 'n', m.n);
      }
    }
  }
  const items: TransactItem[] = [];
  for (const { key, set, deltas } of byItem.values()) {
    const nonZero = [...deltas].filter(([, n]) => n !== 0);
    if (nonZero.length === 0) continue;
    const names: Record<string, string> = {};
    const values: Item = {};
    const sets = Object.entries(set).map(([attribute, value], i) => {
      names[`#s${i}`] = attribute;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
    const adds = nonZero.map(([attribute, n], i) => {
      names[`#a${i}`] = attribute;
      values[`:a${i}`] = n;
      return `#a${i} :a${i}`;
    });
    items.push({
      Update: {
        TableName: table.tableName,
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
  }
  if (unmatched !== 0) {
    items.push({
      Update: {
        TableName: table.tableName,
        Key: keys.unmatched(randomShard(Shards.unmatched)),
        UpdateExpression: 'ADD #n :n',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':n': unmatched },
      },
    });
  }
  return items;
}

/** A campaign's progress from all its counter items: by carrier, by area and delivered by minute. */
export function progressOf(items: Item[]): ReceiptProgress {
  const bySortKey = (prefix: string) => items.filter((item) => (item.sk as string).startsWith(prefix));
  const byArea: Record<string, StatusCounts> = {};
  for (const item of bySortKey(SortKeyPrefix.areaCounter)) {
    for (const [name, value] of Object.entries(item)) {
      const status = name.startsWith('n_') ? (name.slice(2) as ReceiptStatus) : undefined;
      if (!status || !RECEIPT_STATUSES.includes(status) || typeof value !== 'number' || value === 0) continue;
      const areaCode = String(item.areaCode);
      const area = byArea[areaCode] ?? emptyStatusCounts();
      byArea[areaCode] = area;
      area[status] += value;
      area.total += value;
    }
  }
  for (const [area, counts] of Object.entries(byArea)) if (counts.total === 0) delete byArea[area];
  const byMinute = new Map<string, number>();
  for (const item of bySortKey(SortKeyPrefix.minuteCounter)) {
    const minute = String(item.minute);
    byMinute.set(minute, (byMinute.get(minute) ?? 0) + (typeof item.n === 'number' ? item.n : 0));
  }
  return {
    ...sumCarrierCounters(bySortKey(SortKeyPrefix.runCounter)),
    byArea,
    deliveredByMinute: [...byMinute]
      .filter(([, delivered]) => delivered !== 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([minute, delivered]) => ({ minute, delivered })),
  };
}

/** Sums runs' counter items (`n_<carrier>_<status>` numbers) by status and carrier. */
export function sumCarrierCounters(items: Item[]): ReceiptCounts {
  const sums = new Map<string, Map<ReceiptStatus, number>>();
  for (const item of items) {
    for (const [name, value] of Object.entries(item)) {
      const parsed = parseCounterAttribute(name);
      if (!parsed || typeof value !== 'number') continue;
      const byStatus = sums.get(parsed.carrier) ?? new Map<ReceiptStatus, number>();
      byStatus.set(parsed.status, (byStatus.get(parsed.status) ?? 0) + value);
      sums.set(parsed.carrier, byStatus);
    }
  }
  const counts: ReceiptCounts = { ...emptyStatusCounts(), byCarrier: {} };
  for (const [carrier, byStatus] of [...sums].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [status, n] of byStatus) {
      if (n === 0) continue;
      const perCarrier = counts.byCarrier[carrier] ?? emptyStatusCounts();
      counts.byCarrier[carrier] = perCarrier;
      counts[status] += n;
      counts.total += n;
      perCarrier[status] += n;
      perCarrier.total += n;
    }
  }
  return counts;
}

/** A counter item holds one number per carrier and status: `n_<carrier>_<status>`. */
function counterAttribute(carrier: string, status: ReceiptStatus): string {
  return `n_${carrier}_${status}`;
}

function parseCounterAttribute(name: string): { carrier: string; status: ReceiptStatus } | undefined {
  if (!name.startsWith('n_')) return undefined;
  const split = name.lastIndexOf('_');
  const status = name.slice(split + 1) as ReceiptStatus;
  if (split <= 2 || !RECEIPT_STATUSES.includes(status)) return undefined;
  return { carrier: name.slice(2, split), status };
}

function emptyStatusCounts(): StatusCounts {
  const counts = { total: 0 } as StatusCounts;
  for (const status of RECEIPT_STATUSES) counts[status] = 0;
  return counts;
}
