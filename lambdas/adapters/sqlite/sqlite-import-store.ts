/** Imports in slices in SQLite: the record as JSON, its listed refused rows one a row. */
import { ConflictError } from '../../core/errors.js';
import type { ImportStore } from '../../core/imports/import-store.js';
import type { ImportPosition, ImportRecord, SubscriberImport } from '../../core/imports/subscriber-import.js';
import type { RejectedRow } from '../../core/subscribers/subscriber-csv.js';
import type { SqliteDatabase } from './sqlite-database.js';

export class SqliteImportStore implements ImportStore {
  constructor(private readonly database: SqliteDatabase) {}

  async insertImport(record: ImportRecord): Promise<void> {
    const inserted = this.database
      .sql('INSERT INTO imports (id, status, bytes_read, data) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(record.id, record.status, record.bytesRead, JSON.stringify(record)).changes;
    if (inserted === 0) throw new ConflictError(`Import ${record.id} already exists`);
  }

  async getImport(id: string): Promise<SubscriberImport | undefined> {
    return this.database.read(() => {
      const record = this.database.record<ImportRecord>('SELECT data FROM imports WHERE id = ?', id);
      if (!record) return undefined;
      const refused = this.database
        .sql('SELECT line, reason FROM import_refusals WHERE import_id = ? ORDER BY line, reason')
        .all(id) as RejectedRow[];
      return { ...record, refused };
    });
  }

  async saveImportProgress(next: ImportRecord, from: ImportPosition, newlyRefused: RejectedRow[]): Promise<boolean> {
    return this.database.write(() => {
      const changed = this.database
        .sql('UPDATE imports SET status = ?, bytes_read = ?, data = ? WHERE id = ? AND status = ? AND bytes_read = ?')
        .run(next.status, next.bytesRead, JSON.stringify(next), next.id, from.status, from.bytesRead).changes;
      if (changed === 0) return false;
      const add = this.database.sql('INSERT INTO import_refusals (import_id, line, reason) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
      for (const row of newlyRefused) add.run(next.id, row.line, row.reason);
      return true;
    });
  }
}
