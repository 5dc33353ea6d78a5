/**
 * The IdempotencyStore on the Loa table: one item a key, written once and deleted by TTL a day later. A
 * record of a request about a number has a second item in the partition of the number's pseudonym, so
 * that erasing the number finds its records with one Query.
 */
import { IDEMPOTENCY_RETENTION_HOURS, type IdempotencyStore } from '../../core/idempotency/idempotency-store.js';
import type { IdempotencyRecord } from '../../core/model.js';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { getRecord, isConditionFailed, plain, putNew, type Table } from './items.js';
import { keys, type Key } from './keys.js';
import { queryAll } from './paging.js';
import { TTL_ATTRIBUTE } from './table.js';
import { batchDelete, conditionFailures, transact } from './write-engine.js';

export class DynamoDbIdempotencyStore implements IdempotencyStore {
  constructor(private readonly table: Table) {}

  async getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
    return getRecord<IdempotencyRecord>(this.table, keys.idempotency(key));
  }

  async saveIdempotencyRecord(record: IdempotencyRecord): Promise<boolean> {
    const expiresAt = Math.floor(Date.parse(record.createdAt) / 1000) + IDEMPOTENCY_RETENTION_HOURS * 3600;
    const item = { ...plain(record), ...keys.idempotency(record.key), [TTL_ATTRIBUTE]: expiresAt };
    // A record past its day is gone, whether or not DynamoDB's TTL (days late at times) has deleted it yet.
    const put = {
      ...putNew(this.table, item),
      ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
      ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':now': Math.floor(Date.parse(record.createdAt) / 1000) },
    };
    if (record.subject === undefined) {
      try {
        await this.table.db.send(new PutCommand(put));
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    }
    try {
      await transact(this.table, [
        { Put: put },
        {
          Put: {
            TableName: this.table.tableName,
            Item: { ...keys.idempotencySubject(record.subject, record.key), [TTL_ATTRIBUTE]: expiresAt },
          },
        },
      ]);
      return true;
    } catch (error) {
      if (conditionFailures(error).includes(0)) return false;
      throw error;
    }
  }

  async deleteIdempotencyRecordsAbout(subject: string): Promise<number> {
    const pointers = await queryAll(this.table, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.idempotencySubject(subject, '').pk },
      ProjectionExpression: 'pk, sk',
    });
    const doomed: Key[] = pointers.flatMap((pointer) => [
      { pk: pointer.pk as string, sk: pointer.sk as string },
      keys.idempotency((pointer.sk as string).slice('IDEM#'.length)),
    ]);
    await batchDelete(this.table, doomed);
    return pointers.length;
  }
}
