/**
 * Queries and the pages made of them (README.md, "Lists and cursors" and "Filtered lists"): a page of one
 * lists partition, a bounded filtered page over one or more partitions, and a k-way merge of sharded
 * partitions in key order; and their cursors, base64url JSON refused (ValidationError) when forged or
 * from another list.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../core/errors.js';
import type { Page, PageRequest } from '../../core/model.js';
import { CONCURRENCY, mapLimit } from './concurrency.js';
import { strip, type Item, type Table } from './items.js';
import { Index } from './table.js';

export type QueryPage = { items: Item[]; lastKey: Item | undefined; scanned: number };

/** Filtered reads: at least this many items a request, as DynamoDB applies Limit before the filter. */
const MIN_FILTERED_READ = 100;
/** Items a filtered page may examine: max(1,000, 20 × limit), split over the partitions it reads. */
const MIN_EXAMINED_PER_PAGE = 1_000;
const EXAMINED_PER_ITEM_ASKED = 20;
/** Below every sort key of a filtered list (they start with an ISO timestamp) and above every one. */
const LOWEST = ' ';
const HIGHEST = '\uffff';

export function pageSize(page: { limit: number }): number {
  return Math.max(1, Math.floor(page.limit));
}

export async function query(table: Table, input: QueryCommandInput): Promise<QueryPage> {
  const result = await table.db.send(new QueryCommand(input));
  return { items: result.Items ?? [], lastKey: result.LastEvaluatedKey, scanned: result.ScannedCount ?? 0 };
}

/** Every page of a query, on the table (or `input.IndexName`). */
export async function queryAll(table: Table, input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await query(table, { ...input, TableName: table.tableName, ExclusiveStartKey: startKey });
    items.push(...page.items);
    startKey = page.lastKey;
  } while (startKey);
  return items;
}

/**
 * A page of one partition of the lists index. One more item than asked is read so that the last page has
 * no cursor; the cursor is the LastEvaluatedKey of the page's last item.
 */
export async function listPage<T>(table: Table, list: string, page: PageRequest, options: { forward?: boolean } = {}): Promise<Page<T>> {
  const { forward = true } = options;
  const size = pageSize(page);
  const items: Item[] = [];
  let startKey = decodeListCursor(page.cursor, list);
  do {
    const result = await query(table, {
      TableName: table.tableName,
      IndexName: Index.lists.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': Index.lists.pk },
      ExpressionAttributeValues: { ':pk': list },
      ScanIndexForward: forward,
      ExclusiveStartKey: startKey,
      Limit: size + 1 - items.length,
    });
    items.push(...result.items);
    startKey = result.lastKey;
  } while (items.length <= size && startKey);
  const pageItems = items.slice(0, size);
  const last = pageItems[pageItems.length - 1];
  if (items.length <= size || !last) return { items: pageItems.map((item) => strip<T>(item)) };
  const lastKey = {
    pk: last.pk,
    sk: last.sk,
    [Index.lists.pk]: last[Index.lists.pk],
    [Index.lists.sk]: last[Index.lists.sk],
  };
  return {
    items: pageItems.map((item) => strip<T>(item)),
    nextCursor: Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url'),
  };
}

/** A filtered list: partitions of the lists index read in one order, with a FilterExpression. */
export interface FilteredList {
  /** Names the list in its cursors, so that a cursor of another list is refused. */
  name: string;
  partitions: string[];
  forward: boolean;
  filter: { parts: string[]; names: Record<string, string>; values: Item };
  /** Sort key bounds: `from` inclusive, `to` exclusive (it never equals a key). */
  from?: string;
  to?: string;
}

interface PartitionRead {
  items: Item[];
  /** The last sort key examined; undefined when the partition has nothing more in the range. */
  frontier: string | undefined;
}

/**
 * A page of a filtered list. One request examines a bounded number of items, then answers with what it
 * found (possibly nothing) and a cursor, the last sort key handed out or examined: each partition
 * resumes after it, merged in one order.
 */
export async function filteredListPage<T>(table: Table, list: FilteredList, page: PageRequest): Promise<Page<T>> {
  const size = pageSize(page);
  const after = decodeAfterCursor(page.cursor, { list: list.name });
  const sk = (item: Item) => item[Index.lists.sk] as string;
  let lo = list.from ?? LOWEST;
  let hi = list.to ?? HIGHEST;
  if (after !== undefined && list.forward && after > lo) lo = after;
  if (after !== undefined && !list.forward && after < hi) hi = after;
  if (lo > hi || list.partitions.length === 0) return { items: [] };

  const budget = Math.ceil(Math.max(MIN_EXAMINED_PER_PAGE, EXAMINED_PER_ITEM_ASKED * size) / list.partitions.length);
  const reads = await Promise.all(
    list.partitions.map((partition) => readPartition(table, list, partition, { lo, hi, after, wanted: size + 1, budget })),
  );

  // Every partition was examined up to its frontier: items up to the nearest frontier are all known.
  const frontiers = reads.flatMap((read) => (read.frontier === undefined ? [] : [read.frontier]));
  const nearest = frontiers.length === 0 ? undefined : list.forward ? frontiers.reduce(min) : frontiers.reduce(max);
  const known = reads
    .flatMap((read) => read.items)
    .filter((item) => nearest === undefined || (list.forward ? sk(item) <= nearest : sk(item) >= nearest))
    .sort((a, b) => (list.forward ? compare(sk(a), sk(b)) : compare(sk(b), sk(a))));
  const items = known.slice(0, size);
  const last = items[items.length - 1];
  const resumeAfter = known.length > size && last ? sk(last) : nearest;
  return {
    items: items.map((item) => strip<T>(item)),
    ...(resumeAfter !== undefined && { nextCursor: encodeAfterCursor({ list: list.name }, resumeAfter) }),
  };
}

async function readPartition(
  table: Table,
  list: FilteredList,
  partition: string,
  range: { lo: string; hi: string; after: string | undefined; wanted: number; budget: number },
): Promise<PartitionRead> {
  const { parts, names, values } = list.filter;
  const filtered = parts.length > 0;
  const items: Item[] = [];
  let examined = 0;
  let startKey: Item | undefined;
  do {
    const stillWanted = range.wanted - items.length;
    const result = await query(table, {
      TableName: table.tableName,
      IndexName: Index.lists.name,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
      ...(filtered && { FilterExpression: parts.join(' AND ') }),
      ExpressionAttributeNames: { '#pk': Index.lists.pk, '#sk': Index.lists.sk, ...names },
      ExpressionAttributeValues: { ':pk': partition, ':lo': range.lo, ':hi': range.hi, ...values },
      ScanIndexForward: list.forward,
      ExclusiveStartKey: startKey,
      Limit: filtered ? Math.min(Math.max(stillWanted, MIN_FILTERED_READ), range.budget - examined) : stillWanted,
    });
    examined += result.scanned;
    // The range is inclusive: the key the cursor names was handed out already.
    items.push(...result.items.filter((item) => item[Index.lists.sk] !== range.after));
    startKey = result.lastKey;
  } while (startKey && items.length < range.wanted && examined < range.budget);
  return { items, frontier: startKey?.[Index.lists.sk] as string | undefined };
}

const min = (a: string, b: string) => (a < b ? a : b);
const max = (a: string, b: string) => (a > b ? a : b);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Items per shard query when `wanted` items are needed from `shards` shards evenly filled. */
export function shardPageLimit(wanted: number, shards: number): number {
  return Math.min(1_000, Math.max(10, Math.ceil((Math.max(wanted, 1) * 1.25) / shards) + 5));
}

/**
 * Yields the items of every shard in one order (by `sortKey`), fetching a shard's next page only when
 * its buffer runs dry: a k-way merge over sharded partitions that reads each item once.
 */
export async function* mergeShards(
  shards: number,
  fetch: (shard: number, startKey: Item | undefined, limit: number) => Promise<QueryPage>,
  sortKey: (item: Item) => string,
  pageLimit: () => number,
): AsyncGenerator<Item> {
  const state = Array.from({ length: shards }, () => ({
    items: [] as Item[],
    position: 0,
    lastKey: undefined as Item | undefined,
    done: false,
    started: false,
  }));
  for (;;) {
    const hungry = state.map((s, shard) => ({ s, shard })).filter(({ s }) => !s.done && s.position >= s.items.length);
    if (hungry.length > 0) {
      const limit = pageLimit();
      await mapLimit(hungry, CONCURRENCY, async ({ s, shard }) => {
        const page = await fetch(shard, s.started ? s.lastKey : undefined, limit);
        s.started = true;
        s.items = page.items;
        s.position = 0;
        s.lastKey = page.lastKey;
        s.done = page.lastKey === undefined;
      });
      continue;
    }
    let best: (typeof state)[number] | undefined;
    let bestKey = '';
    for (const s of state) {
      const item = s.items[s.position];
      if (item === undefined) continue;
      const key = sortKey(item);
      if (best === undefined || key < bestKey) {
        best = s;
        bestKey = key;
      }
    }
    if (best === undefined) return;
    const item = best.items[best.position] as Item;
    best.position++;
    yield item;
  }
}

/** The smallest string after `value`, to resume a key range after the last key handed out. */
export function successor(value: string): string {
  return `${value}\u0000`;
}

/** What a cursor of the last sort key handed out belongs to: a merged walk, or a filtered list. */
type CursorOwner = { walk: string } | { list: string };

/** A cursor that is the last sort key handed out (merged walks, filtered lists). */
export function encodeAfterCursor(owner: CursorOwner, after: string): string {
  return Buffer.from(JSON.stringify({ ...owner, after }), 'utf8').toString('base64url');
}

/** The last sort key handed out, from a cursor of `owner`; ValidationError when forged or of another list. */
export function decodeAfterCursor(cursor: string | undefined, owner: CursorOwner): string | undefined {
  if (cursor === undefined) return undefined;
  const value = decodeJson(cursor);
  if (typeof value !== 'object' || value === null) throw invalidCursor();
  const [field, name] = Object.entries(owner)[0] as [string, string];
  const { [field]: kind, after } = value as Item;
  if (kind !== name || typeof after !== 'string') throw invalidCursor();
  return after;
}

/** The ExclusiveStartKey inside a list cursor; ValidationError when forged or from another list. */
function decodeListCursor(cursor: string | undefined, list: string): Item | undefined {
  if (cursor === undefined) return undefined;
  const key = decodeJson(cursor);
  const expected = ['pk', 'sk', Index.lists.pk, Index.lists.sk];
  if (
    typeof key !== 'object' ||
    key === null ||
    Object.keys(key).length !== expected.length ||
    !expected.every((name) => typeof (key as Item)[name] === 'string') ||
    (key as Item)[Index.lists.pk] !== list
  ) {
    throw invalidCursor();
  }
  return key as Item;
}

function decodeJson(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function invalidCursor(): ValidationError {
  return ValidationError.field('cursor', 'not a cursor of this list');
}
