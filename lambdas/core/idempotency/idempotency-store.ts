import type { IdempotencyRecord } from '../model.js';

/** Answers to requests with an Idempotency-Key are kept this long: long enough for any client's retries. */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

/** Where the answers to requests with an Idempotency-Key are kept, so that a repeat gets the same answer. */
export interface IdempotencyStore {
  getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined>;
  /**
   * False when a record with this key already exists. A record made `IDEMPOTENCY_RETENTION_HOURS` or more
   * before this one is past its time and replaced, even if not deleted yet.
   */
  saveIdempotencyRecord(record: IdempotencyRecord): Promise<boolean>;
  /** Deletes the records of requests about `subject` (the pseudonym of the number they named); returns how many. */
  deleteIdempotencyRecordsAbout(subject: string): Promise<number>;
}
