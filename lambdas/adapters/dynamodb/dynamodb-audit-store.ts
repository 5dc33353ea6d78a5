/** The AuditStore on the Loa table: one item an entry, listed newest first in the `AUDIT` lists partition. */
import type { AuditStore } from '../../core/audit/audit-store.js';
import { isFiltered, type AuditFilter } from '../../core/list-filters.js';
import type { AuditEntry, Page, PageRequest } from '../../core/model.js';
import { filteredAudit } from './dynamodb-filtered-lists.js';
import { plain, type Table } from './items.js';
import { indexKeys, keys, List } from './keys.js';
import { listPage } from './paging.js';
import { batchPut } from './write-engine.js';

export class DynamoDbAuditStore implements AuditStore {
  constructor(private readonly table: Table) {}

  async appendAudit(entries: AuditEntry[]): Promise<void> {
    // Audit ids are unique, so an unconditional batch put is an append (a repeat rewrites the same entry).
    await batchPut(
      this.table,
      entries.map((entry) => ({ ...plain(entry), ...keys.audit(entry.id), ...indexKeys.audit(entry) })),
    );
  }

  async listAudit(page: PageRequest, filter: AuditFilter = {}): Promise<Page<AuditEntry>> {
    if (isFiltered(filter)) return filteredAudit(this.table, filter, page);
    return listPage<AuditEntry>(this.table, List.audit, page, { forward: false });
  }
}
