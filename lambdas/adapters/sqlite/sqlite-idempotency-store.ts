/** Idempotency records in SQLite: the first record saved under a key is the one kept. */
import { IDEMPOTENCY_RETENTION_HOURS, type IdempotencyStore } from '../../core/idempotency/idempotency-store.js';
import type { IdempotencyRecord } from '../../core/model.js';
import type { SqliteDatabase } from './sqlite-database.js';

export class SqliteIdempotencyStore implements IdempotencyStore {
  constructor(private readonly database: SqliteDatabase) {}

  async getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
    return this.database.record<IdempotencyRecord>('SELECT data FROM idempotency_records WHERE key = ?', key);
  }

  async saveIdempotencyRecord(record: IdempotencyRecord): Promise<boolean> {
    // A record past its day is gone, whether or not the janitor has deleted it yet.
    const expiredBefore = new Date(Date.parse(record.createdAt) - IDEMPOTENCY_RETENTION_HOURS * 3_600_000).toISOString();
    return (
      this.database
        .sql(
          `INSERT INTO idempotency_records (key, created_at, subject, data) VALUES (?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET created_at = excluded.created_at, subject = excluded.subject, data = excluded.data
           WHERE idempotency_records.created_at <= ?`,
        )
        .run(record.key, record.createdAt, record.subject ?? null, JSON.stringify(record), expiredBefore).changes > 0
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
