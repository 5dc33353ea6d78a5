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
        .sql('INSERT INTO idempotency_records (key, created_at, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
        .run(record.key, record.createdAt, JSON.stringify(record)).changes > 0
    );
  }
}
