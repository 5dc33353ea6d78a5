/**
 * What the filtered lists of the DynamoDB stores filter on (list-filters.ts in the core): campaigns and
 * tours by status and creator, template versions by status and author, the audit log by who, what and
 * when. Each is a bounded read of partitions of the `lists` index with a FilterExpression
 * (`filteredListPage` in paging.ts). Lists are written by people, a few hundred campaigns or tours a
 * year, so one request usually covers years of them. Template versions sit in one partition per status,
 * written with the version, so a list of what waits for approval reads only what is pending. The audit
 * log's time range is part of the key condition, so `from`/`to` narrow what is read, not only what is
 * returned.
 */
import type { AuditFilter, CampaignFilter, CreatorFilter, TemplateVersionFilter, TourFilter } from '../../core/list-filters.js';
import type { AuditEntry, Campaign, Page, PageRequest, TemplateVersion } from '../../core/model.js';
import type { Tour } from '../../core/tours/tour-model.js';
import type { Item, Table } from './items.js';
import { List, partitions } from './keys.js';
import { filteredListPage } from './paging.js';

export async function filteredCampaigns(table: Table, filter: CampaignFilter, page: PageRequest): Promise<Page<Campaign>> {
  const conditions = new Conditions().oneOf('status', filter.statuses).creator(filter, 'createdBy');
  return filteredListPage<Campaign>(table, { name: 'campaigns', partitions: [List.campaigns], forward: true, filter: conditions }, page);
}

export async function filteredTours(table: Table, filter: TourFilter, page: PageRequest): Promise<Page<Tour>> {
  const conditions = new Conditions().equals('vanId', filter.vanId).equals('status', filter.status).creator(filter, 'createdBy');
  return filteredListPage<Tour>(table, { name: 'tours', partitions: [List.tours], forward: true, filter: conditions }, page);
}

export async function filteredTemplateVersions(
  table: Table,
  filter: TemplateVersionFilter,
  page: PageRequest,
): Promise<Page<TemplateVersion>> {
  const statusPartitions = [...new Set(filter.statuses)].map((status) => partitions.templateVersions(status));
  const conditions = new Conditions().creator(filter, 'author');
  return filteredListPage<TemplateVersion>(
    table,
    { name: 'template-versions', partitions: statusPartitions, forward: true, filter: conditions },
    page,
  );
}

/** Newest first, as the unfiltered audit list. */
export async function filteredAudit(table: Table, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
  const conditions = new Conditions().equals('actor', filter.actor).equals('action', filter.action).equals('subject', filter.subject);
  // A sort key `<at>#<id>` is at or after `from` exactly when `at` is, and never equal to `to`: before it
  // exactly when `at` is.
  return filteredListPage<AuditEntry>(
    table,
    {
      name: 'audit',
      partitions: [List.audit],
      forward: false,
      filter: conditions,
      ...(filter.from && { from: filter.from }),
      ...(filter.to && { to: filter.to }),
    },
    page,
  );
}

/** A FilterExpression built condition by condition. */
class Conditions {
  readonly parts: string[] = [];
  readonly names: Record<string, string> = {};
  readonly values: Item = {};

  equals(field: string, value: string | undefined): this {
    if (value === undefined) return this;
    this.names[`#${field}`] = field;
    this.values[`:${field}`] = value;
    this.parts.push(`#${field} = :${field}`);
    return this;
  }

  oneOf(field: string, values: readonly string[] | undefined): this {
    if (!values || values.length === 0) return this;
    this.names[`#${field}`] = field;
    const placeholders = values.map((value, i) => {
      this.values[`:${field}${i}`] = value;
      return `:${field}${i}`;
    });
    this.parts.push(`#${field} IN (${placeholders.join(', ')})`);
    return this;
  }

  creator(filter: CreatorFilter, field: 'createdBy' | 'author'): this {
    this.equals(field, filter.createdBy);
    if (filter.notCreatedBy !== undefined) {
      this.names[`#${field}`] = field;
      this.values[':notCreatedBy'] = filter.notCreatedBy;
      this.parts.push(`#${field} <> :notCreatedBy`);
    }
    return this;
  }
}
