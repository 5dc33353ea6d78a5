/** The stores of the embedded runtime, one per port, all on one SQLite connection. */
import type { Database } from 'better-sqlite3';
import type { Stores } from '../../core/ports.js';
import { SqliteAudienceStore } from './sqlite-audience-store.js';
import { SqliteAuditStore } from './sqlite-audit-store.js';
import { SqliteCampaignStore } from './sqlite-campaign-store.js';
import { SqliteDatabase } from './sqlite-database.js';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store.js';
import { SqliteImportStore } from './sqlite-import-store.js';
import { SqliteReceiptStore } from './sqlite-receipt-store.js';
import { SqliteTemplateStore } from './sqlite-template-store.js';
import { SqliteTourStore } from './sqlite-tour-store.js';

export interface SqliteStores extends Stores {
  /** The connection the stores share; a queue may keep its table in the same file through it. */
  readonly db: Database;
  /** With what only the embedded runtime does: deleting expired records (DynamoDB's TTL does it on AWS). */
  readonly idempotency: SqliteIdempotencyStore;
  readonly receipts: SqliteReceiptStore;
  close(): void;
}

/**
 * The stores on `source`: a database file, opened (or created) with the runtime's pragmas, or a
 * connection already open. Either is brought to the latest schema first.
 */
export function openSqliteStores(source: string | Database): SqliteStores {
  const database = typeof source === 'string' ? SqliteDatabase.open(source) : new SqliteDatabase(source);
  return {
    db: database.db,
    templates: new SqliteTemplateStore(database),
    audience: new SqliteAudienceStore(database),
    campaigns: new SqliteCampaignStore(database),
    receipts: new SqliteReceiptStore(database),
    tours: new SqliteTourStore(database),
    audit: new SqliteAuditStore(database),
    idempotency: new SqliteIdempotencyStore(database),
    imports: new SqliteImportStore(database),
    close: () => database.close(),
  };
}
