import type { AuditFilter } from '../list-filters.js';
import type { AuditEntry, Page, PageRequest } from '../model.js';

/** Where the audit trail is kept: appended to, never changed. */
export interface AuditStore {
  appendAudit(entries: AuditEntry[]): Promise<void>;
  /** Newest first; only those passing `filter` when given. */
  listAudit(page: PageRequest, filter?: AuditFilter): Promise<Page<AuditEntry>>;
}
