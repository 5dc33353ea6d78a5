/**
 * The requests on many items: transactions, retried while only conflicts or throttling cancel them;
 * units of change written in transactions with the shared items (counters) they add to, replaced or
 * dropped when a condition fails; BatchGetItem and BatchWriteItem chunked to DynamoDB's limits, their
 * unprocessed keys and items sent again with backoff.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, BatchWriteCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mapLimit } from './concurrency.js';
import type { Item, Table } from './items.js';
import type { Key } from './keys.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limits: items per TransactWriteItems, keys per BatchGetItem, items per BatchWriteItem. */
const MAX_TRANSACT_ITEMS = 100;
const MAX_BATCH_GET = 100;
const MAX_BATCH_WRITE = 25;
/** Transactions or batch requests one call keeps in flight. */
const BATCHES_IN_FLIGHT = 8;
/** Retries of a transaction cancelled by a conflict or throttling, with jittered backoff. */
const MAX_TRANSACTION_RETRIES = 8;
/** A unit replaced this many times on condition failures is a bug or a livelock: give up loudly. */
const MAX_UNIT_GENERATIONS = 6;

/**
 * A logical change written in one transaction: one or more items, and what to do when one of its
 * conditions fails (write a replacement unit, or drop it).
 */
export interface Unit<U> {
  items: TransactItem[];
  onConditionFailed(itemIndex: number): Promise<U | undefined>;
  onApplied?(): void;
  generation?: number;
}

/** Items the units of a transaction add to together (counters), written once a transaction. */
export interface SharedItems<U> {
  /** Which shared items a unit adds to, to size the transactions. */
  idsOf(unit: U): string[];
  /** The updates of the shared items for the units of one transaction, made again for each attempt. */
  updatesFor(units: U[]): TransactItem[];
}

/**
 * One TransactWriteItems, retried with backoff while it is cancelled only by conflicts with other
 * transactions or throttling; a cancellation by a failed condition is thrown to the caller.
 */
export async function transact(table: Table, items: TransactItem[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await table.db.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      const onlyConflicts = isTransactionCancelled(error) && conditionFailures(error).length === 0;
      if (!onlyConflicts || attempt >= MAX_TRANSACTION_RETRIES) throw error;
      await sleep(Math.random() * 25 * 2 ** attempt);
    }
  }
}

/** The indexes of a cancelled transaction's items that failed their condition. */
export function conditionFailures(error: unknown): number[] {
  if (!isTransactionCancelled(error)) return [];
  const reasons = error.CancellationReasons ?? [];
  return reasons.flatMap((reason, i) => (reason.Code === 'ConditionalCheckFailed' ? [i] : []));
}

/**
 * Writes the units in transactions of up to 100 items: the units' items and the updates of the shared
 * items they add to. A unit whose condition fails is replaced or dropped and the rest written again; a
 * transaction cancelled by a conflict or by throttling is retried with backoff.
 */
export async function runUnits<U extends Unit<U>>(table: Table, units: U[], shared: SharedItems<U>): Promise<void> {
  let pending = units;
  while (pending.length > 0) {
    const chunks = chunkUnits(pending, shared);
    const leftovers = await mapLimit(chunks, BATCHES_IN_FLIGHT, (chunk) => runChunk(table, chunk, shared));
    pending = leftovers.flat();
  }
}

/** Writes one chunk; returns the units still to write (the replacements of failed ones, and the rest). */
async function runChunk<U extends Unit<U>>(table: Table, chunk: U[], shared: SharedItems<U>): Promise<U[]> {
  for (let attempt = 0; ; attempt++) {
    const items = chunk.flatMap((unit) => unit.items);
    items.push(...shared.updatesFor(chunk));
    try {
      await table.db.send(new TransactWriteCommand({ TransactItems: items }));
      for (const unit of chunk) unit.onApplied?.();
      return [];
    } catch (error) {
      if (!isTransactionCancelled(error)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = new Map<U, number>();
      let offset = 0;
      for (const unit of chunk) {
        unit.items.forEach((_, i) => {
          if (reasons[offset + i]?.Code === 'ConditionalCheckFailed' && !failed.has(unit)) failed.set(unit, i);
        });
        offset += unit.items.length;
      }
      if (failed.size === 0) {
        if (attempt >= MAX_TRANSACTION_RETRIES) throw error;
        await sleep(Math.random() * 25 * 2 ** attempt);
        continue;
      }
      const next: U[] = chunk.filter((unit) => !failed.has(unit));
      for (const [unit, index] of failed) {
        const generation = (unit.generation ?? 0) + 1;
        if (generation > MAX_UNIT_GENERATIONS) {
          throw new Error('DynamoDB store: a write kept failing its condition', { cause: error });
        }
        const replacement = await unit.onConditionFailed(index);
        if (replacement) next.push({ ...replacement, generation });
      }
      return next;
    }
  }
}

/** Groups units into transactions of at most 100 items: their own items plus the shared items they add to. */
function chunkUnits<U extends Unit<U>>(units: U[], shared: SharedItems<U>): U[][] {
  const chunks: U[][] = [];
  let current: U[] = [];
  let items = 0;
  let sharedIds = new Set<string>();
  for (const unit of units) {
    const withShared = new Set([...sharedIds, ...shared.idsOf(unit)]);
    const total = items + unit.items.length + withShared.size;
    if (current.length > 0 && total > MAX_TRANSACT_ITEMS) {
      chunks.push(current);
      current = [unit];
      items = unit.items.length;
      sharedIds = new Set(shared.idsOf(unit));
    } else {
      current.push(unit);
      items += unit.items.length;
      sharedIds = withShared;
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Reads the items of `keys` (each once), 100 keys a request; keys left unprocessed are asked again. */
export async function batchGet(
  table: Table,
  keyList: Key[],
  options: { consistent?: boolean; projection?: string[] } = {},
): Promise<Item[]> {
  const unique = [...new Map(keyList.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  const names: Record<string, string> = {};
  const projection = options.projection?.map((attribute, i) => {
    names[`#p${i}`] = attribute;
    return `#p${i}`;
  });
  const results = await mapLimit(chunk(unique, MAX_BATCH_GET), BATCHES_IN_FLIGHT, async (part) => {
    const items: Item[] = [];
    let requested: Item[] = part;
    for (let attempt = 0; requested.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(1_000, Math.random() * 25 * 2 ** attempt));
      const result = await table.db.send(
        new BatchGetCommand({
          RequestItems: {
            [table.tableName]: {
              Keys: requested,
              ConsistentRead: options.consistent ?? false,
              ...(projection && { ProjectionExpression: projection.join(', '), ExpressionAttributeNames: names }),
            },
          },
        }),
      );
      items.push(...(result.Responses?.[table.tableName] ?? []));
      requested = result.UnprocessedKeys?.[table.tableName]?.Keys ?? [];
    }
    return items;
  });
  return results.flat();
}

/** Puts the items (the last of each key), 25 a request, unconditionally; items left unprocessed are sent again. */
export async function batchPut(table: Table, items: Item[]): Promise<void> {
  const unique = [...new Map(items.map((item) => [`${String(item.pk)}\u0000${String(item.sk)}`, item])).values()];
  await mapLimit(chunk(unique, MAX_BATCH_WRITE), BATCHES_IN_FLIGHT, async (part) => {
    let requests = part.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(1_000, Math.random() * 25 * 2 ** attempt));
      const result = await table.db.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: requests } }));
      requests = (result.UnprocessedItems?.[table.tableName] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
    }
  });
}

/** Deletes the items of `keys`, 25 a request, unconditionally; keys left unprocessed are sent again. */
export async function batchDelete(table: Table, keyList: Key[]): Promise<void> {
  const unique = [...new Map(keyList.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  await mapLimit(chunk(unique, MAX_BATCH_WRITE), BATCHES_IN_FLIGHT, async (part) => {
    let requests = part.map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(1_000, Math.random() * 25 * 2 ** attempt));
      const result = await table.db.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: requests } }));
      requests = (result.UnprocessedItems?.[table.tableName] ?? []).flatMap((request) =>
        request.DeleteRequest?.Key ? [{ DeleteRequest: { Key: request.DeleteRequest.Key as Key } }] : [],
      );
    }
  });
}

function isTransactionCancelled(error: unknown): error is Error & { CancellationReasons?: { Code?: string }[] } {
  return error instanceof Error && error.name === 'TransactionCanceledException';
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
