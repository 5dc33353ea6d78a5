import type { IdempotencyRecord } from '../model.js';

/** Where the answers to requests with an Idempotency-Key are kept, so that a repeat gets the same answer. */
export interface IdempotencyStore {
  getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined>;
  /** False when a record with this key already exists. */
  saveIdempotencyRecord(record: IdempotencyRecord): Promise<boolean>;
}
