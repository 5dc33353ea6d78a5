/**
 * DynamoDB write request units as DynamoDB bills them, from the items before and after each write rather
 * than from what DynamoDB Local reports (Local leaves out the index writes of transactions and does not
 * double transactional items). For each item a request writes:
 *
 * - the table: the larger of its sizes before and after, in 1 KB steps (at least 1), times 2 in a
 *   TransactWriteItems (a cancelled transaction and a failed condition are billed too);
 * - each global secondary index: 1 KB steps of the projected entry when the item enters or leaves the index
 *   or when what is projected changes, twice (a delete and a put) when its index key changes, nothing when
 *   the projection is unchanged (a keys-only index does not see a status change).
 *
 * Items are read (consistently, by a client of their own that nobody counts) just before and just after
 * the request; writes of other requests in flight on the same items between the two reads are rare here
 * (each receipt is its own key) and would blur the counter items' sizes only.
 */
import { BatchGetItemCommand, type AttributeValue, type DynamoDBClient, type GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../../lambdas/adapters/dynamodb/table.js';

type RawItem = Record<string, AttributeValue>;

/** One item written by a request, and whether the request was a transaction. */
interface WrittenKey {
  pk: string;
  sk: string;
  transactional: boolean;
}

export interface WriteUnitModel {
  /** The items a write request touches; empty for a request that writes nothing we model. */
  keysOf(command: string, input: Record<string, unknown>): WrittenKey[];
  /** The items' images now (consistent), by `pk\0sk`. */
  images(keys: WrittenKey[]): Promise<Map<string, RawItem>>;
  /** Units of table and index writes between two images of each key. */
  units(keys: WrittenKey[], before: Map<string, RawItem>, after: Map<string, RawItem>): number;
}

export function writeUnitModel(reader: DynamoDBClient, tableName: string): WriteUnitModel {
  const indexes = tableDefinition(tableName).GlobalSecondaryIndexes ?? [];
  return {
    keysOf: (command, input) => writtenKeys(command, input, tableName),
    images: async (keys) => {
      const images = new Map<string, RawItem>();
      const unique = [...new Map(keys.map((k) => [id(k), k])).values()];
      for (let i = 0; i < unique.length; i += 100) {
        let requested: RawItem[] = unique.slice(i, i + 100).map((k) => ({ pk: { S: k.pk }, sk: { S: k.sk } }));
        while (requested.length > 0) {
          const result = await reader.send(
            new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: requested, ConsistentRead: true } } }),
          );
          for (const item of result.Responses?.[tableName] ?? []) images.set(`${item.pk?.S}\u0000${item.sk?.S}`, item);
          requested = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
        }
      }
      return images;
    },
    units: (keys, before, after) =>
      keys.reduce((sum, k) => {
        const old = before.get(id(k));
        const now = after.get(id(k));
        const table = kilobytes(Math.max(itemSize(old), itemSize(now))) * (k.transactional ? 2 : 1);
        return sum + table + indexes.reduce((n, index) => n + indexUnits(index, old, now), 0);
      }, 0),
  };
}

function id(k: { pk: string; sk: string }): string {
  return `${k.pk}\u0000${k.sk}`;
}

/** The keys of the items a write request names (document-client inputs, or marshalled ones). */
function writtenKeys(command: string, input: Record<string, unknown>, tableName: string): WrittenKey[] {
  const keyOf = (source: unknown, transactional: boolean): WrittenKey[] => {
    const item = source as Record<string, unknown> | undefined;
    if (!item) return [];
    const pk = plainString(item.pk);
    const sk = plainString(item.sk);
    return pk === undefined || sk === undefined ? [] : [{ pk, sk, transactional }];
  };
  switch (command) {
    case 'PutItemCommand':
      return keyOf(input.Item, false);
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return keyOf(input.Key, false);
    case 'BatchWriteItemCommand': {
      const requests = ((input.RequestItems as Record<string, unknown[]> | undefined)?.[tableName] ?? []) as {
        PutRequest?: { Item?: unknown };
        DeleteRequest?: { Key?: unknown };
      }[];
      return requests.flatMap((r) => keyOf(r.PutRequest?.Item ?? r.DeleteRequest?.Key, false));
    }
    case 'TransactWriteItemsCommand': {
      const items = (input.TransactItems ?? []) as Record<string, { Item?: unknown; Key?: unknown } | undefined>[];
      return items.flatMap((t) => keyOf(t.Put?.Item ?? t.Update?.Key ?? t.Delete?.Key ?? t.ConditionCheck?.Key, true));
    }
    default:
      return [];
  }
}

function plainString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const s = (value as { S?: unknown } | undefined)?.S;
  return typeof s === 'string' ? s : undefined;
}

/** Writes to one index between two images of an item. */
function indexUnits(index: GlobalSecondaryIndex, old: RawItem | undefined, now: RawItem | undefined): number {
  const before = indexEntry(index, old);
  const after = indexEntry(index, now);
  if (!before && !after) return 0;
  if (!before || !after) return kilobytes(itemSize(before ?? after));
  const keyOf = (entry: RawItem) => (index.KeySchema ?? []).map((k) => JSON.stringify(entry[k.AttributeName ?? ''])).join('|');
  if (keyOf(before) !== keyOf(after)) return kilobytes(itemSize(before)) + kilobytes(itemSize(after));
  return JSON.stringify(sorted(before)) === JSON.stringify(sorted(after)) ? 0 : kilobytes(Math.max(itemSize(before), itemSize(after)));
}

/** What the index holds of an item: none when the item lacks an index key (sparse), else its projection. */
function indexEntry(index: GlobalSecondaryIndex, item: RawItem | undefined): RawItem | undefined {
  if (!item) return undefined;
  const indexKeys = (index.KeySchema ?? []).map((k) => k.AttributeName ?? '');
  if (indexKeys.some((name) => item[name] === undefined)) return undefined;
  const projection = index.Projection ?? {};
  if (projection.ProjectionType === 'ALL') return item;
  const names = new Set([
    'pk',
    'sk',
    ...indexKeys,
    ...(projection.ProjectionType === 'INCLUDE' ? (projection.NonKeyAttributes ?? []) : []),
  ]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => names.has(name)));
}

function sorted(item: RawItem): [string, AttributeValue][] {
  return Object.entries(item).sort(([a], [b]) => a.localeCompare(b));
}

function kilobytes(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/** An item's size as DynamoDB counts it: attribute names plus values (numbers about a byte per two digits). */
export function itemSize(item: RawItem | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-/, '').replace('.', '').length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + Math.ceil(n.length / 2) + 1, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + valueSize(v), 0);
  return 0;
}
