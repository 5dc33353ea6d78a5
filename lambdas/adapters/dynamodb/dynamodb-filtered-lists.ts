/**
 * The filtered lists of the DynamoDB Store (list-filters.ts in the core): campaigns and tours by status
 * and creator, template versions by status and author, the audit log by who, what and when.
 *
 * Each is a Query of partitions of the `lists` index with a FilterExpression. A filter costs the reads of
 * what it drops, so one request examines at most max(1,000, 20 × limit) items and then answers with what
 * it found (possibly nothing) and a cursor: a page never reads a partition unboundedly. Lists are written
 * by people, a few hundred campaigns or tours a year, so one request usually covers years of them.
 * Template versions sit in one partition per status (`TPLV#<status>`), written with the version, so a
 * list of what waits for approval reads only what is pending. The audit log's time range is part of the
 * key condition, so `from`/`to` narrow what is read, not only what is returned.
 *
 * Cursors are the last sort key handed out (or examined), so a list over several partitions (versions in
 * several statuses) resumes each partition after it, merged in one order.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../core/errors.js';
import type { AuditFilter, CampaignFilter, CreatorFilter, TemplateVersionFilter, TourFilter } from '../../core/list-filters.js';
import type { AuditEntry, Campaign, Page, PageRequest, TemplateVersion } from '../../core/model.js';
import type { Tour } from '../../core/tours/tour-model.js';
import { Index } from './table.js';

type Item = Record<string, unknown>;

export interface ListTable {
  db: DynamoDBDocumentClient;
  tableName: string;
}

/** The lists partitions of dynamodb-store.ts that are filtered here. */
const Partition = { campaigns: 'CAMPAIGNS', tours: 'TOURS', audit: 'AUDIT' } as const;
/** Lists partition of the template versions in one status: `TPLV#<status>`. */
const TEMPLATE_VERSIONS = 'TPLV#';

/** Read at least this many items a request when filtering: DynamoDB applies Limit before the filter. */
const MIN_FILTERED_READ = 100;
const MIN_EXAMINED_PER_PAGE = 1_000;
const EXAMINED_PER_ITEM_ASKED = 20;
/** Below every sort key here (they start with an ISO timestamp) and above every one. */
const LOWEST = ' ';
const HIGHEST = '\uffff';

/** The lists index keys of a template version: its status partition, by creation time. */
export function templateVersionListKeys(version: TemplateVersion): Item {
  return {
    [Index.lists.pk]: `${TEMPLATE_VERSIONS}${version.status}`,
    [Index.lists.sk]: `${version.createdAt}#${version.templateId}#${String(version.version).padStart(10, '0')}`,
  };
}

export async function filteredCampaigns(table: ListTable, filter: CampaignFilter, page: PageRequest): Promise<Page<Campaign>> {
  const conditions = new Conditions().oneOf('status', filter.statuses).creator(filter, 'createdBy');
  return walk<Campaign>(table, { name: 'campaigns', partitions: [Partition.campaigns], forward: true, conditions }, page);
}

export async function filteredTours(table: ListTable, filter: TourFilter, page: PageRequest): Promise<Page<Tour>> {
  const conditions = new Conditions().equals('vanId', filter.vanId).equals('status', filter.status).creator(filter, 'createdBy');
  return walk<Tour>(table, { name: 'tours', partitions: [Partition.tours], forward: true, conditions }, page);
}

export async function filteredTemplateVersions(
  table: ListTable,
  filter: TemplateVersionFilter,
  page: PageRequest,
): Promise<Page<TemplateVersion>> {
  const partitions = [...new Set(filter.statuses)].map((status) => `${TEMPLATE_VERSIONS}${status}`);
  const conditions = new Conditions().creator(filter, 'author');
  return walk<TemplateVersion>(table, { name: 'template-versions', partitions, forward: true, conditions }, page);
}

/** Newest first, as the unfiltered audit list. */
export async function filteredAudit(table: ListTable, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
  const conditions = new Conditions().equals('actor', filter.actor).equals('action', filter.action).equals('subject', filter.subject);
  // A sort key `<at>#<id>` is at or after `from` exactly when `at` is, and never equal to `to`: before it
  // exactly when `at` is.
  return walk<AuditEntry>(
    table,
    {
      name: 'audit',
      partitions: [Partition.audit],
      forward: false,
      conditions,
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

interface WalkSpec {
  /** Names the list in its cursors, so that a cursor of another list is refused. */
  name: string;
  partitions: string[];
  forward: boolean;
  conditions: Conditions;
  /** Sort key bounds: `from` inclusive, `to` exclusive (it never equals a key). */
  from?: string;
  to?: string;
}

interface PartitionRead {
  items: Item[];
  /** The last sort key examined; undefined when the partition has nothing more in the range. */
  frontier: string | undefined;
}

async function walk<T>(table: ListTable, spec: WalkSpec, page: PageRequest): Promise<Page<T>> {
  const size = Math.max(1, Math.floor(page.limit));
  const after = decodeCursor(page.cursor, spec.name);
  const sk = (item: Item) => item[Index.lists.sk] as string;
  let lo = spec.from ?? LOWEST;
  let hi = spec.to ?? HIGHEST;
  if (after !== undefined && spec.forward && after > lo) lo = after;
  if (after !== undefined && !spec.forward && after < hi) hi = after;
  if (lo > hi || spec.partitions.length === 0) return { items: [] };

  const budget = Math.ceil(Math.max(MIN_EXAMINED_PER_PAGE, EXAMINED_PER_ITEM_ASKED * size) / spec.partitions.length);
  const reads = await Promise.all(
    spec.partitions.map((partition) => readPartition(table, spec, partition, { lo, hi, after, wanted: size + 1, budget })),
  );

  // Every partition was examined up to its frontier: items up to the nearest frontier are all known.
  const frontiers = reads.flatMap((read) => (read.frontier === undefined ? [] : [read.frontier]));
  const nearest = frontiers.length === 0 ? undefined : spec.forward ? frontiers.reduce(min) : frontiers.reduce(max);
  const known = reads
    .flatMap((read) => read.items)
    .filter((item) => nearest === undefined || (spec.forward ? sk(item) <= nearest : sk(item) >= nearest))
    .sort((a, b) => (spec.forward ? compare(sk(a), sk(b)) : compare(sk(b), sk(a))));
  const items = known.slice(0, size);
  const last = items[items.length - 1];
  const resumeAfter = known.length > size && last ? sk(last) : nearest;
  return {
    items: items.map((item) => strip<T>(item)),
    ...(resumeAfter !== undefined && { nextCursor: encodeCursor(spec.name, resumeAfter) }),
  };
}

async function readPartition(
  table: ListTable,
  spec: WalkSpec,
  partition: string,
  range: { lo: string; hi: string; after: string | undefined; wanted: number; budget: number },
): Promise<PartitionRead> {
  const { parts, names, values } = spec.conditions;
  const filtered = parts.length > 0;
  const items: Item[] = [];
  let examined = 0;
  let startKey: Item | undefined;
  do {
    const stillWanted = range.wanted - items.length;
    const result = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: Index.lists.name,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
        ...(filtered && { FilterExpression: parts.join(' AND ') }),
        ExpressionAttributeNames: { '#pk': Index.lists.pk, '#sk': Index.lists.sk, ...names },
        ExpressionAttributeValues: { ':pk': partition, ':lo': range.lo, ':hi': range.hi, ...values },
        ScanIndexForward: spec.forward,
        ExclusiveStartKey: startKey,
        Limit: filtered ? Math.min(Math.max(stillWanted, MIN_FILTERED_READ), range.budget - examined) : stillWanted,
      }),
    );
    examined += result.ScannedCount ?? 0;
    // The range is inclusive: the key the cursor names was handed out already.
    items.push(...(result.Items ?? []).filter((item) => item[Index.lists.sk] !== range.after));
    startKey = result.LastEvaluatedKey;
  } while (startKey && items.length < range.wanted && examined < range.budget);
  return { items, frontier: startKey?.[Index.lists.sk] as string | undefined };
}

const min = (a: string, b: string) => (a < b ? a : b);
const max = (a: string, b: string) => (a > b ? a : b);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The record without the key attributes the store adds (these records have only primary, list and timer keys). */
function strip<T>(item: Item): T {
  const {
    pk: _pk,
    sk: _sk,
    [Index.lists.pk]: _lpk,
    [Index.lists.sk]: _lsk,
    [Index.timers.pk]: _tpk,
    [Index.timers.sk]: _tsk,
    ...record
  } = item;
  return record as T;
}

function encodeCursor(list: string, after: string): string {
  return Buffer.from(JSON.stringify({ list, after }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined, list: string): string | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const { list: kind, after } = (typeof value === 'object' && value !== null ? value : {}) as Item;
  if (kind !== list || typeof after !== 'string') throw ValidationError.field('cursor', 'not a cursor of this list');
  return after;
}
