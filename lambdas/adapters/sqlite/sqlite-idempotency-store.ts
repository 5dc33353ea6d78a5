/** Idempotency records in SQLite: the first record saved under a key is the one kept. */
import type { IdempotencyStore } from '../../core/idempotency/idempotency-store.js';
import type { IdempotencyRecord } from '../../core/model.js';
import type { SqliteDatabase } from './sqlite-database.js';

export class SqliteIdempotencyStore implements IdempotencyStore {
  constructor(private readonly database: SqliteDatabase) {}

  async getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
    return this.database.record<IdempotencyRecord>('SELECT data FROM idempotency_records WHERE key = ?', key);
  }

  async saveIdempotencyRecord(record: IdempotencyRecord): Promise<boolean> {
    return (
      this.database
        .sql('INSERT INTO idempotency_records (key, created_at, subject, data) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
        .run(record.key, record.createdAt, record.subject ?? null, JSON.stringify(record)).changes > 0
    );
  }

  async deleteIdempotencyRecordsAbout(subject: string): Promise<number> {
    return this.database.sql('DELETE FROM idempotency_records WHERE subject = ?').run(subject).changes;
  }

  /**
   * Deletes up to `limit` records made before `createdBefore`, oldest first; returns how many. The
   * embedded runtime's janitor calls it (on AWS, DynamoDB's TTL deletes them).
   */
  deleteIdempotencyRecordsBefore(createdBefore: string, limit: number): number {
    return this.database
      .sql(
        'DELETE FROM idempotency_records WHERE key IN (SELECT key FROM idempotency_records WHERE created_at < ? ORDER BY created_at LIMIT ?)',
      )
      .run(createdBefore, limit).changes;
  }
}
