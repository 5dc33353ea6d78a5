/**
 * Records as items of the table and back, and the requests on one item: a consistent GetItem, a put of a
 * new record, a put on the stored record's revision. Records are stored as the JSON of them carries them,
 * next to the key attributes keys.ts builds, which are stripped when read.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../core/errors.js';
import type { Key } from './keys.js';
import { Index, TTL_ATTRIBUTE } from './table.js';

export type Item = Record<string, unknown>;

/** The table every DynamoDB store reads and writes, through one document client. */
export interface Table {
  db: DynamoDBDocumentClient;
  tableName: string;
}

/** Attributes the stores add to records for their keys and indexes; stripped when reading. */
const TECHNICAL_ATTRIBUTES = [
  'pk',
  'sk',
  Index.lists.pk,
  Index.lists.sk,
  Index.timers.pk,
  Index.timers.sk,
  Index.subscribersByArea.pk,
  Index.subscribersByArea.sk,
  Index.receiptsByCampaign.pk,
  Index.receiptsByCampaign.sk,
  Index.receiptsAwaitingReport.pk,
  Index.receiptsAwaitingReport.sk,
  TTL_ATTRIBUTE,
  'optedOut',
] as const;

/** The record as JSON carries it: undefined properties dropped, as the SQLite store keeps them. */
export function plain<T>(record: T): Item {
  return JSON.parse(JSON.stringify(record)) as Item;
}

/** The record an item holds, without the attributes of its keys. */
export function strip<T>(item: Item): T {
  const record: Item = { ...item };
  for (const attribute of TECHNICAL_ATTRIBUTES) delete record[attribute];
  return record as T;
}

export async function getItem(table: Table, key: Key): Promise<Item | undefined> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }));
  return result.Item;
}

export async function getRecord<T>(table: Table, key: Key): Promise<T | undefined> {
  const item = await getItem(table, key);
  return item && strip<T>(item);
}

/** A put that fails its condition when the key is taken. */
export function putNew(table: Table, item: Item) {
  return { TableName: table.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' };
}

/** Puts a new item; false when its key is taken. */
export async function putIfNew(table: Table, item: Item): Promise<boolean> {
  try {
    await table.db.send(new PutCommand(putNew(table, item)));
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/** Puts a new record; ConflictError naming `what` when its key is taken. */
export async function insertRecord(table: Table, item: Item, what: string): Promise<void> {
  if (!(await putIfNew(table, item))) throw new ConflictError(`${what} already exists`);
}

/** Replaces a record only if the stored one is at `revision - 1`; else (or if there is none) ConflictError. */
export async function updateRecord(table: Table, item: Item, revision: number, what: string): Promise<void> {
  try {
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: item,
        ConditionExpression: '#revision = :previous',
        ExpressionAttributeNames: { '#revision': 'revision' },
        ExpressionAttributeValues: { ':previous': revision - 1 },
      }),
    );
  } catch (error) {
    if (isConditionFailed(error)) throw new ConflictError(`${what} changed since revision ${revision - 1} was read`);
    throw error;
  }
}

/** Puts an item whatever is stored under its key. */
export async function putItem(table: Table, item: Item): Promise<void> {
  await table.db.send(new PutCommand({ TableName: table.tableName, Item: item }));
}

export function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
