/** The audit trail in SQLite, appended once per entry id and listed newest first. */
import type { AuditStore } from '../../core/audit/audit-store.js';
import type { AuditFilter } from '../../core/list-filters.js';
import type { AuditEntry, Page, PageRequest } from '../../core/model.js';
import { auditConditions, joined } from './list-filters.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { decodeCursor, pageSize, toPage, type PageRow } from './sqlite-pages.js';

export class SqliteAuditStore implements AuditStore {
  constructor(private readonly database: SqliteDatabase) {}

  async appendAudit(entries: AuditEntry[]): Promise<void> {
    const append = this.database.sql('INSERT INTO audit (id, at, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    this.database.write(() => {
      for (const entry of entries) append.run(entry.id, entry.at, JSON.stringify(entry));
    });
  }

  async listAudit(page: PageRequest, filter: AuditFilter = {}): Promise<Page<AuditEntry>> {
    // '\uffff' sorts after any ISO timestamp, so the first page starts at the newest entry.
    const [at, id] = decodeCursor(page.cursor, ['\uffff', '']);
    const conditions = joined(auditConditions(filter));
    const rows = this.database
      .sql(`SELECT data, at AS k1, id AS k2 FROM audit WHERE ${conditions.sql}(at, id) < (?, ?) ORDER BY at DESC, id DESC LIMIT ?`)
      .all(...conditions.values, at, id, pageSize(page) + 1) as PageRow[];
    return toPage<AuditEntry>(rows, page);
  }
}
