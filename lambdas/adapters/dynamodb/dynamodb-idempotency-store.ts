/** The IdempotencyStore on the Loa table: one item a key, written once. */
import type { IdempotencyStore } from '../../core/idempotency/idempotency-store.js';
import type { IdempotencyRecord } from '../../core/model.js';
import { getRecord, plain, putIfNew, type Table } from './items.js';
import { keys } from './keys.js';

export class DynamoDbIdempotencyStore implements IdempotencyStore {
  constructor(private readonly table: Table) {}

  async getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
    return getRecord<IdempotencyRecord>(this.table, keys.idempotency(key));
  }

  async saveIdempotencyRecord(record: IdempotencyRecord): Promise<boolean> {
    return putIfNew(this.table, { ...plain(record), ...keys.idempotency(record.key) });
  }
}
