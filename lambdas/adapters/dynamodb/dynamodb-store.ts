/**
 * The Store of the AWS runtime: one DynamoDB table (table.ts), read and written only through keys and
 * indexes, never a Scan. The design, every access pattern with its key condition and the trade-offs are
 * in README.md next to this file; the comments here say why a method does what it does.
 *
 * Three rules run through it:
 * - Every status change is a conditional write on the current status, so statuses only move forward
 *   whatever the order and the number of times outcomes and reports arrive.
 * - Receipt counters are sharded items added to (ADD), never overwritten, and move in the same
 *   transaction as the receipts they count, so they stay exact after any retry.
 * - Nothing written during a campaign goes to a key that takes more than 1,000 writes a second:
 *   receipts and message ids are keyed per message, everything shared is spread over shards.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import {
  RECEIPT_STATUSES,
  type Area,
  type AuditEntry,
  type Campaign,
  type CampaignRun,
  type IdempotencyRecord,
  type OptOut,
  type Page,
  type PageRequest,
  type Receipt,
  type ReceiptCounts,
  type ReceiptProgress,
  type ReceiptStatus,
  type ResolvedSegmentFilter,
  type Segment,
  type SegmentCounts,
  type StatusCounts,
  type Subscriber,
  type Template,
  type TemplateStatus,
  type TemplateVersion,
} from '../../core/model.js';
import type { DeliveryReport, Recipient, SendOutcome, Store, Stores } from '../../core/ports.js';
import type { Carrier } from '../../core/subscribers/carriers.js';
import { utcMinuteOf } from '../../core/receipts/utc-minute.js';
import { TourStatus, type Tour, type TourRun, type Van } from '../../core/tours/tour-model.js';
import { isFiltered, type AuditFilter, type CampaignFilter, type TemplateVersionFilter, type TourFilter } from '../../core/list-filters.js';
import {
  filteredAudit,
  filteredCampaigns,
  filteredTemplateVersions,
  filteredTours,
  templateVersionListKeys,
  type ListTable,
} from './dynamodb-filtered-lists.js';
import { Index, Shards, TTL_ATTRIBUTE } from './table.js';

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type QueryPage = { items: Item[]; lastKey: Item | undefined };

/** Counter key of receipts whose carrier (or area) is not known (as in the SQLite store). */
const UNKNOWN_CARRIER = 'unknown';
const UNKNOWN_AREA = 'unknown';
/** Statuses a campaign is fired from. */
const DUE_STATUSES: ReadonlySet<string> = new Set(['approved', 'scheduled']);
/** Statuses of a tour that may still broadcast. */
const PLANNED_TOUR_STATUSES: ReadonlySet<string> = new Set([TourStatus.pendingApproval, TourStatus.approved, TourStatus.dispatched]);
/** DynamoDB's limits: items per TransactWriteItems, keys per BatchGetItem, items per BatchWriteItem. */
const MAX_TRANSACT_ITEMS = 100;
const MAX_BATCH_GET = 100;
const MAX_BATCH_WRITE = 25;
/** Requests one store call keeps in flight (per-item conditional writes, shard queries). */
const CONCURRENCY = 32;
/** Retries of a transaction cancelled by a conflict or throttling, with jittered backoff. */
const MAX_TRANSACTION_RETRIES = 8;
/** A unit replaced this many times on condition failures is a bug or a livelock: give up loudly. */
const MAX_UNIT_GENERATIONS = 6;
/** Receipt keys a status-filtered page may look at before returning a short page with a cursor. */
const MIN_RECEIPT_SCAN_PER_PAGE = 1_000;
/** Matched message ids are kept for reports arriving late; the receipt expires after 72 h anyway. */
const MESSAGE_ID_RETENTION_S = 30 * 24 * 3600;
/** Daily slots are deleted by TTL a few days after their day. */
const DAILY_SLOT_RETENTION_S = 3 * 24 * 3600;
/** Tour runs are partitioned by the UTC day of their start. */
const DAY_MS = 24 * 3600 * 1000;

/** Attributes the store adds to records for its keys and indexes; stripped when reading. */
const TECHNICAL_ATTRIBUTES = [
  'pk',
  'sk',
  Index.lists.pk,
  Index.lists.sk,
  Index.timers.pk,
  Index.timers.sk,
  Index.subscribersByArea.pk,
  Index.subscribersByArea.sk,
  Index.receiptsByCampaign.pk,
  Index.receiptsByCampaign.sk,
  Index.receiptsAwaitingReport.pk,
  Index.receiptsAwaitingReport.sk,
  TTL_ATTRIBUTE,
  'optedOut',
] as const;

/** Partition values of the lists index. */
const List = {
  templates: 'TEMPLATES',
  segments: 'SEGMENTS',
  campaigns: 'CAMPAIGNS',
  areas: 'AREAS',
  optOuts: 'OPTOUTS',
  audit: 'AUDIT',
  vans: 'VANS',
  tours: 'TOURS',
} as const;
const DUE = 'DUE';
const OPEN_RUNS = 'RUNS#OPEN';
/** Timers partition of the tours that may still broadcast; the due ones sort under DUE_TOUR by next start. */
const PLANNED_TOURS = 'TOURS#PLANNED';
const DUE_TOUR = 'DUE#';
/** Timers partition of the tour runs waiting for the crew's confirmation, by confirmBy. */
const DISPATCHED_TOUR_RUNS = 'TOURRUNS#DISPATCHED';
/** Lists partitions of the tour runs starting on one UTC day: `TOURRUNS#<yyyy-mm-dd>`. */
const TOUR_RUNS_ON = 'TOURRUNS#';
/**
 * Sort-key prefixes of the items of a counter shard: a run's counts by carrier, by area, and its
 * deliveries in one UTC minute.
 */
const RUN_COUNTER = 'RUN#';
const AREA_COUNTER = 'AREA#';
const MINUTE_COUNTER = 'MIN#';

/** The primary key of each kind of item. */
const keys = {
  template: (id: string): Key => ({ pk: `TPL#${id}`, sk: 'TPL' }),
  version: (templateId: string, version: number): Key => ({
    pk: `TPL#${templateId}`,
    sk: `V#${String(version).padStart(10, '0')}`,
  }),
  area: (code: string): Key => ({ pk: `AREA#${code}`, sk: 'AREA' }),
  subscriber: (phone: string): Key => ({ pk: `SUB#${phone}`, sk: 'SUB' }),
  optOut: (phone: string): Key => ({ pk: `SUB#${phone}`, sk: 'OPTOUT' }),
  segment: (id: string): Key => ({ pk: `SEG#${id}`, sk: 'SEG' }),
  campaign: (id: string): Key => ({ pk: `CMP#${id}`, sk: 'CMP' }),
  run: (campaignId: string, runId: string): Key => ({ pk: `CMP#${campaignId}`, sk: `RUN#${runId}` }),
  receipt: (campaignId: string, runId: string, phone: string): Key => ({
    pk: `RCPT#${campaignId}#${runId}#${phone}`,
    sk: 'RCPT',
  }),
  message: (gatewayId: string, messageId: string): Key => ({ pk: `MSG#${gatewayId}#${messageId}`, sk: 'MSG' }),
  counter: (campaignId: string, shard: number, runId: string): Key => ({
    pk: `CNT#${campaignId}#${shard}`,
    sk: `${RUN_COUNTER}${runId}`,
  }),
  counterShard: (campaignId: string, shard: number): string => `CNT#${campaignId}#${shard}`,
  areaCounter: (campaignId: string, shard: number, runId: string, areaCode: string): Key => ({
    pk: `CNT#${campaignId}#${shard}`,
    sk: `${AREA_COUNTER}${runId}#${areaCode}`,
  }),
  minuteCounter: (campaignId: string, shard: number, runId: string, minute: string): Key => ({
    pk: `CNT#${campaignId}#${shard}`,
    sk: `${MINUTE_COUNTER}${runId}#${minute}`,
  }),
  unmatched: (shard: number): Key => ({ pk: `UNMATCHED#${shard}`, sk: 'CNT' }),
  dailySlot: (phone: string, day: string): Key => ({ pk: `SLOT#${phone}#${day}`, sk: 'SLOT' }),
  audit: (id: string): Key => ({ pk: `AUDIT#${id}`, sk: 'AUDIT' }),
  idempotency: (key: string): Key => ({ pk: `IDEM#${key}`, sk: 'IDEM' }),
  van: (id: string): Key => ({ pk: `VAN#${id}`, sk: 'VAN' }),
  tour: (id: string): Key => ({ pk: `TOUR#${id}`, sk: 'TOUR' }),
  tourRun: (tourId: string, runId: string): Key => ({ pk: `TOUR#${tourId}`, sk: `RUN#${runId}` }),
};

/** Index keys of a subscriber: shard by phone, then area path and phone, so a subtree is a prefix. */
function subscriberWalkKeys(s: Pick<Subscriber, 'phone' | 'areaPath'>): Item {
  return {
    [Index.subscribersByArea.pk]: `SW#${shardOf(s.phone, Shards.subscribers)}`,
    [Index.subscribersByArea.sk]: `${s.areaPath}/#${s.phone}`,
  };
}

function receiptListKeys(campaignId: string, runId: string, phone: string): Item {
  return {
    [Index.receiptsByCampaign.pk]: `RC#${campaignId}#${shardOf(`${runId}#${phone}`, Shards.receiptList)}`,
    [Index.receiptsByCampaign.sk]: `${runId}#${phone}`,
  };
}

function awaitingReportPk(campaignId: string, runId: string, phone: string): string {
  return `AW#${shardOf(`${campaignId}#${runId}#${phone}`, Shards.awaitingReport)}`;
}

/** One counter move: `n` receipts of a run, carrier and area entering (n > 0) or leaving (n < 0) a status. */
interface CounterMove {
  campaignId: string;
  runId: string;
  carrier: string;
  areaCode: string;
  status: ReceiptStatus;
  n: number;
  /** A move into delivered: the UTC minute it counts in. */
  deliveredMinute?: string;
}

/** What a receipt's counters are keyed by besides its run: as stored on the receipt (or its message id item). */
interface Counted {
  carrier?: string;
  areaCode?: string;
}

/**
 * A logical change written in one transaction with the counters it moves: one or two items, the
 * counter deltas, and what to do when one of its conditions fails (a replacement unit, or drop it).
 */
interface Unit {
  items: TransactItem[];
  moves: CounterMove[];
  /** Change to the count of unmatched delivery reports. */
  unmatched: number;
  onConditionFailed(itemIndex: number): Promise<Unit | undefined>;
  onApplied?(): void;
  generation?: number;
}

export class DynamoDbStore implements Store, Stores {
  /** Every store is this one object until each has a class of its own. */
  readonly templates = this;
  readonly audience = this;
  readonly campaigns = this;
  readonly receipts = this;
  readonly tours = this;
  readonly audit = this;
  readonly idempotency = this;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // ---- templates -------------------------------------------------------------------------------

  async insertTemplate(template: Template, firstVersion: TemplateVersion): Promise<void> {
    try {
      await this.transact([
        { Put: this.putNew(this.templateItem(template)) },
        {
          Put: this.putNew(versionItem(firstVersion)),
        },
      ]);
    } catch (error) {
      if (conditionFailures(error).length > 0) throw new ConflictError(`Template ${template.id} already exists`);
      throw error;
    }
  }

  async getTemplate(id: string): Promise<Template | undefined> {
    return this.get<Template>(keys.template(id));
  }

  async listTemplates(page: PageRequest): Promise<Page<Template>> {
    return this.listPage<Template>(List.templates, page);
  }

  async getTemplateVersion(templateId: string, version: number): Promise<TemplateVersion | undefined> {
    return this.get<TemplateVersion>(keys.version(templateId, version));
  }

  async findTemplateVersions(filter: TemplateVersionFilter, page: PageRequest): Promise<Page<TemplateVersion>> {
    return filteredTemplateVersions(this.listTable, filter, page);
  }

  async listTemplateVersions(templateId: string): Promise<TemplateVersion[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: { ':pk': keys.template(templateId).pk, ':v': 'V#' },
      ConsistentRead: true,
    });
    return items.map((item) => strip<TemplateVersion>(item));
  }

  async insertTemplateVersion(version: TemplateVersion): Promise<void> {
    try {
      await this.transact([
        {
          Update: {
            TableName: this.tableName,
            Key: keys.template(version.templateId),
            UpdateExpression: 'SET latestVersion = :v',
            ConditionExpression: 'attribute_exists(pk) AND latestVersion = :previous',
            ExpressionAttributeValues: { ':v': version.version, ':previous': version.version - 1 },
          },
        },
        { Put: this.putNew(versionItem(version)) },
      ]);
    } catch (error) {
      if (conditionFailures(error).length === 0) throw error;
      const template = await this.getTemplate(version.templateId);
      if (!template) throw new NotFoundError(`No template ${version.templateId}`);
      throw new ConflictError(`Template ${template.id} is at version ${template.latestVersion}; cannot add version ${version.version}`);
    }
  }

  async updateTemplateVersion(version: TemplateVersion, expected: TemplateStatus): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: versionItem(version),
          ConditionExpression: 'attribute_exists(pk) AND #status = :expected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':expected': expected },
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) {
        throw new ConflictError(`Version ${version.version} of template ${version.templateId} is no longer ${expected}`);
      }
      throw error;
    }
  }

  private templateItem(template: Template): Item {
    return {
      ...plain(template),
      ...keys.template(template.id),
      [Index.lists.pk]: List.templates,
      [Index.lists.sk]: `${template.createdAt}#${template.id}`,
    };
  }

  // ---- areas -----------------------------------------------------------------------------------

  async putAreas(areas: Area[]): Promise<void> {
    // Plain puts are upserts, so BatchWriteItem (25 a request) is right here.
    await this.batchPut(
      areas.map((area) => ({
        ...plain(area),
        ...keys.area(area.code),
        [Index.lists.pk]: List.areas,
        [Index.lists.sk]: area.code,
      })),
    );
  }

  async getAreas(codes: string[]): Promise<Area[]> {
    const unique = [...new Set(codes)];
    const items = await this.batchGet(
      unique.map((code) => keys.area(code)),
      { consistent: true },
    );
    const found = new Map(items.map((item) => [item.code as string, strip<Area>(item)]));
    return unique.flatMap((code) => found.get(code) ?? []);
  }

  async listAreas(page: PageRequest): Promise<Page<Area>> {
    return this.listPage<Area>(List.areas, page);
  }

  // ---- subscribers -----------------------------------------------------------------------------

  async upsertSubscribers(subscribers: Subscriber[]): Promise<{ inserted: number; updated: number }> {
    // One UpdateItem per subscriber: it keeps the optedOut flag an opt-out put on the item (even before
    // the subscriber existed), and its old image says whether it was new. A BatchWriteItem would be 25
    // times fewer requests but would wipe the flag and could not tell inserts from updates.
    const byPhone = new Map<string, Subscriber[]>();
    for (const s of subscribers) byPhone.set(s.phone, [...(byPhone.get(s.phone) ?? []), s]);
    let inserted = 0;
    let updated = 0;
    await mapLimit([...byPhone.values()], CONCURRENCY, async (versions) => {
      for (const s of versions) {
        const names: Record<string, string> = { '#tags': 'tags' };
        const values: Item = {
          ':phone': s.phone,
          ':areaCode': s.areaCode,
          ':areaPath': s.areaPath,
          ':tags': [...s.tags],
          ':carrierSource': s.carrierSource,
          ':updatedAt': s.updatedAt,
        };
        const walk = subscriberWalkKeys(s);
        const set = [
          'phone = :phone',
          'areaCode = :areaCode',
          'areaPath = :areaPath',
          '#tags = :tags',
          'carrierSource = :carrierSource',
          'updatedAt = :updatedAt',
        ];
        for (const [name, value] of Object.entries(walk)) {
          set.push(`${name} = :${name}`);
          values[`:${name}`] = value;
        }
        let expression = `SET ${set.join(', ')}`;
        if (s.carrier !== undefined) {
          expression += ', carrier = :carrier';
          values[':carrier'] = s.carrier;
        } else {
          expression += ' REMOVE carrier';
        }
        const result = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.subscriber(s.phone),
            UpdateExpression: expression,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_OLD',
          }),
        );
        if (result.Attributes?.areaCode === undefined) inserted++;
        else updated++;
      }
    });
    return { inserted, updated };
  }

  async getSubscriber(phone: string): Promise<Subscriber | undefined> {
    const item = await this.getItem(keys.subscriber(phone));
    // An opt-out of a number not (yet) subscribed leaves an item holding only the flag.
    if (!item || item.areaCode === undefined) return undefined;
    return strip<Subscriber>(item);
  }

  // ---- opt-outs --------------------------------------------------------------------------------

  async addOptOut(optOut: OptOut): Promise<boolean> {
    // The opt-out record and the flag on the subscriber item move together, so a segment walk can
    // leave the number out with a filter instead of a lookup per recipient.
    try {
      await this.transact([
        {
          Put: this.putNew({
            ...plain(optOut),
            ...keys.optOut(optOut.phone),
            [Index.lists.pk]: List.optOuts,
            [Index.lists.sk]: optOut.phone,
          }),
        },
        {
          Update: {
            TableName: this.tableName,
            Key: keys.subscriber(optOut.phone),
            UpdateExpression: 'SET optedOut = :true',
            ExpressionAttributeValues: { ':true': true },
          },
        },
      ]);
      return true;
    } catch (error) {
      if (conditionFailures(error).length > 0) return false;
      throw error;
    }
  }

  async removeOptOut(phone: string): Promise<boolean> {
    try {
      await this.transact([
        { Delete: { TableName: this.tableName, Key: keys.optOut(phone), ConditionExpression: 'attribute_exists(pk)' } },
        { Update: { TableName: this.tableName, Key: keys.subscriber(phone), UpdateExpression: 'REMOVE optedOut' } },
      ]);
      return true;
    } catch (error) {
      if (conditionFailures(error).length > 0) return false;
      throw error;
    }
  }

  async getOptOut(phone: string): Promise<OptOut | undefined> {
    return this.get<OptOut>(keys.optOut(phone));
  }

  async listOptOuts(page: PageRequest): Promise<Page<OptOut>> {
    return this.listPage<OptOut>(List.optOuts, page);
  }

  // ---- segments and recipients -----------------------------------------------------------------

  async insertSegment(segment: Segment): Promise<void> {
    await this.insertRecord(
      {
        ...plain(segment),
        ...keys.segment(segment.id),
        [Index.lists.pk]: List.segments,
        [Index.lists.sk]: `${segment.createdAt}#${segment.id}`,
      },
      `Segment ${segment.id}`,
    );
  }

  async getSegment(id: string): Promise<Segment | undefined> {
    return this.get<Segment>(keys.segment(id));
  }

  async listSegments(page: PageRequest): Promise<Page<Segment>> {
    return this.listPage<Segment>(List.segments, page);
  }

  async countRecipients(filter: ResolvedSegmentFilter): Promise<SegmentCounts> {
    // Reads the matching key ranges of every subscriber shard, projecting only what is tallied. A
    // Select COUNT would cost the same reads but cannot split the count by carrier and area.
    const counts: SegmentCounts = { total: 0, byCarrier: {}, byArea: {} };
    const queries = areaRanges(filter.areaPaths).flatMap((range) =>
      Array.from({ length: Shards.subscribers }, (_, shard) => ({ range, shard })),
    );
    await mapLimit(queries, CONCURRENCY, async ({ range, shard }) => {
      const input = this.recipientQuery(filter, range, shard, undefined);
      input.ProjectionExpression = 'carrier, areaCode';
      for (const item of await this.queryAll(input)) {
        const carrier = typeof item.carrier === 'string' ? item.carrier : UNKNOWN_CARRIER;
        const area = String(item.areaCode);
        counts.total++;
        counts.byCarrier[carrier] = (counts.byCarrier[carrier] ?? 0) + 1;
        counts.byArea[area] = (counts.byArea[area] ?? 0) + 1;
      }
    });
    return counts;
  }

  async nextRecipients(
    filter: ResolvedSegmentFilter,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ recipients: Recipient[]; cursor: string | undefined }> {
    // The walk merges the subscriber shards in (area path, phone) order, range by range, so the cursor
    // is just the last sort key handed out: a restart resumes every shard after it.
    const size = pageSize({ limit });
    let after = decodeAfterCursor(cursor, 'recipients');
    const found: (Recipient & { sk: string })[] = [];
    for (const range of areaRanges(filter.areaPaths)) {
      if (after !== undefined && range.end !== undefined && after >= range.end) continue;
      const from = after !== undefined && after >= range.start ? after : undefined;
      const walk = mergeShards(
        Shards.subscribers,
        (shard, startKey, pageLimit) => {
          const input = this.recipientQuery(filter, range, shard, from);
          input.ProjectionExpression = 'phone, carrier, areaCode, #walkSk';
          input.ExpressionAttributeNames = { ...input.ExpressionAttributeNames, '#walkSk': Index.subscribersByArea.sk };
          input.ExclusiveStartKey = startKey;
          input.Limit = pageLimit;
          return this.query(input);
        },
        (item) => item[Index.subscribersByArea.sk] as string,
        () => shardPageLimit(size + 1 - found.length, Shards.subscribers),
      );
      for await (const item of walk) {
        found.push({
          phone: item.phone as string,
          ...(typeof item.carrier === 'string' && { carrier: item.carrier as Carrier }),
          ...(typeof item.areaCode === 'string' && { areaCode: item.areaCode }),
          sk: item[Index.subscribersByArea.sk] as string,
        });
        if (found.length > size) break;
      }
      if (found.length > size) break;
      after = undefined;
    }
    const page = found.slice(0, size);
    const last = page[page.length - 1];
    return {
      recipients: page.map(({ sk: _sk, ...recipient }) => recipient),
      cursor: found.length > size && last ? encodeAfterCursor('recipients', last.sk) : undefined,
    };
  }

  /** The query of one subscriber shard over one area range, after `after` (exclusive) when given. */
  private recipientQuery(filter: ResolvedSegmentFilter, range: AreaRange, shard: number, after: string | undefined): QueryCommandInput {
    const names: Record<string, string> = { '#pk': Index.subscribersByArea.pk, '#optedOut': 'optedOut' };
    const values: Item = { ':pk': `SW#${shard}` };
    let keyCondition = '#pk = :pk';
    const lower = after !== undefined ? successor(after) : range.start;
    if (range.end !== undefined) {
      keyCondition += ' AND #sk BETWEEN :lower AND :upper';
      names['#sk'] = Index.subscribersByArea.sk;
      values[':lower'] = lower;
      values[':upper'] = range.end;
    } else if (lower !== '') {
      keyCondition += ' AND #sk >= :lower';
      names['#sk'] = Index.subscribersByArea.sk;
      values[':lower'] = lower;
    }
    const conditions = ['attribute_not_exists(#optedOut)'];
    if (filter.tags.length > 0) {
      names['#tags'] = 'tags';
      const anyTag = filter.tags.map((tag, i) => {
        values[`:tag${i}`] = tag;
        return `contains(#tags, :tag${i})`;
      });
      conditions.push(`(${anyTag.join(' OR ')})`);
    }
    if (filter.carriers.length > 0) {
      names['#carrier'] = 'carrier';
      const carriers = filter.carriers.map((carrier, i) => {
        values[`:carrier${i}`] = carrier;
        return `:carrier${i}`;
      });
      conditions.push(`#carrier IN (${carriers.join(', ')})`);
    }
    return {
      TableName: this.tableName,
      IndexName: Index.subscribersByArea.name,
      KeyConditionExpression: keyCondition,
      FilterExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  // ---- campaigns and runs ----------------------------------------------------------------------

  async insertCampaign(campaign: Campaign): Promise<void> {
    await this.insertRecord(this.campaignItem(campaign), `Campaign ${campaign.id}`);
  }

  async getCampaign(id: string): Promise<Campaign | undefined> {
    return this.get<Campaign>(keys.campaign(id));
  }

  async listCampaigns(page: PageRequest, filter: CampaignFilter = {}): Promise<Page<Campaign>> {
    if (isFiltered(filter)) return filteredCampaigns(this.listTable, filter, page);
    return this.listPage<Campaign>(List.campaigns, page);
  }

  async updateCampaign(campaign: Campaign): Promise<void> {
    await this.updateRecord(this.campaignItem(campaign), campaign.revision, `Campaign ${campaign.id}`);
  }

  async campaignsDue(now: string, limit: number): Promise<Campaign[]> {
    // The timers index holds a campaign only while it is approved or scheduled with a next fire time.
    const result = await this.query({
      TableName: this.tableName,
      IndexName: Index.timers.name,
      KeyConditionExpression: '#pk = :due AND #sk <= :upper',
      ExpressionAttributeNames: { '#pk': Index.timers.pk, '#sk': Index.timers.sk },
      ExpressionAttributeValues: { ':due': DUE, ':upper': `${now}#\uffff` },
      Limit: pageSize({ limit }),
    });
    return result.items.map((item) => strip<Campaign>(item));
  }

  private campaignItem(campaign: Campaign): Item {
    const due = campaign.nextFireAt !== undefined && DUE_STATUSES.has(campaign.status);
    return {
      ...plain(campaign),
      ...keys.campaign(campaign.id),
      [Index.lists.pk]: List.campaigns,
      [Index.lists.sk]: `${campaign.createdAt}#${campaign.id}`,
      ...(due && { [Index.timers.pk]: DUE, [Index.timers.sk]: `${campaign.nextFireAt}#${campaign.id}` }),
    };
  }

  async insertRun(run: CampaignRun): Promise<boolean> {
    try {
      await this.db.send(new PutCommand(this.putNew(this.runItem(run))));
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async getRun(campaignId: string, runId: string): Promise<CampaignRun | undefined> {
    return this.get<CampaignRun>(keys.run(campaignId, runId));
  }

  async saveRun(run: CampaignRun): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: this.runItem(run) }));
  }

  async listUnfinishedRuns(): Promise<CampaignRun[]> {
    const items = await this.queryAll({
      IndexName: Index.timers.name,
      KeyConditionExpression: '#pk = :open',
      ExpressionAttributeNames: { '#pk': Index.timers.pk },
      ExpressionAttributeValues: { ':open': OPEN_RUNS },
    });
    return items.map((item) => strip<CampaignRun>(item));
  }

  private runItem(run: CampaignRun): Item {
    return {
      ...plain(run),
      ...keys.run(run.campaignId, run.runId),
      ...(!run.sendingDone && { [Index.timers.pk]: OPEN_RUNS, [Index.timers.sk]: `${run.campaignId}#${run.runId}` }),
    };
  }

  // ---- vans, tours and tour runs ---------------------------------------------------------------

  async insertVan(van: Van): Promise<void> {
    await this.insertRecord(this.vanItem(van), `Van ${van.id}`);
  }

  async getVan(id: string): Promise<Van | undefined> {
    return this.get<Van>(keys.van(id));
  }

  async updateVan(van: Van): Promise<void> {
    await this.updateRecord(this.vanItem(van), van.revision, `Van ${van.id}`);
  }

  async listVans(page: PageRequest): Promise<Page<Van>> {
    return this.listPage<Van>(List.vans, page);
  }

  private vanItem(van: Van): Item {
    return {
      ...plain(van),
      ...keys.van(van.id),
      [Index.lists.pk]: List.vans,
      [Index.lists.sk]: `${van.createdAt}#${van.id}`,
    };
  }

  async insertTour(tour: Tour): Promise<void> {
    await this.insertRecord(this.tourItem(tour), `Tour ${tour.id}`);
  }

  async getTour(id: string): Promise<Tour | undefined> {
    return this.get<Tour>(keys.tour(id));
  }

  async updateTour(tour: Tour): Promise<void> {
    await this.updateRecord(this.tourItem(tour), tour.revision, `Tour ${tour.id}`);
  }

  async listTours(filter: TourFilter, page: PageRequest): Promise<Page<Tour>> {
    if (isFiltered(filter)) return filteredTours(this.listTable, filter, page);
    return this.listPage<Tour>(List.tours, page);
  }

  async plannedTours(): Promise<Tour[]> {
    const items = await this.queryAll({
      IndexName: Index.timers.name,
      KeyConditionExpression: '#pk = :planned',
      ExpressionAttributeNames: { '#pk': Index.timers.pk },
      ExpressionAttributeValues: { ':planned': PLANNED_TOURS },
    });
    return items.map((item) => strip<Tour>(item));
  }

  async toursDue(now: string, limit: number): Promise<Tour[]> {
    const result = await this.query({
      TableName: this.tableName,
      IndexName: Index.timers.name,
      KeyConditionExpression: '#pk = :planned AND #sk BETWEEN :due AND :upper',
      ExpressionAttributeNames: { '#pk': Index.timers.pk, '#sk': Index.timers.sk },
      ExpressionAttributeValues: { ':planned': PLANNED_TOURS, ':due': DUE_TOUR, ':upper': `${DUE_TOUR}${now}#\uffff` },
      Limit: pageSize({ limit }),
    });
    return result.items.map((item) => strip<Tour>(item));
  }

  /**
   * A tour that may still broadcast is in the PLANNED_TOURS partition of the timers index: under
   * `DUE#<nextFireAt>#<id>` while approved with a start to dispatch (toursDue reads that range), under
   * `<status>#<id>` otherwise. Any other status takes it out of the index.
   */
  private tourItem(tour: Tour): Item {
    const planned = PLANNED_TOUR_STATUSES.has(tour.status);
    const due = tour.status === TourStatus.approved && tour.nextFireAt !== undefined;
    return {
      ...plain(tour),
      ...keys.tour(tour.id),
      [Index.lists.pk]: List.tours,
      [Index.lists.sk]: `${tour.createdAt}#${tour.id}`,
      ...(planned && {
        [Index.timers.pk]: PLANNED_TOURS,
        [Index.timers.sk]: due ? `${DUE_TOUR}${tour.nextFireAt}#${tour.id}` : `${tour.status}#${tour.id}`,
      }),
    };
  }

  async insertTourRun(run: TourRun): Promise<boolean> {
    try {
      await this.db.send(new PutCommand(this.putNew(this.tourRunItem(run))));
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async getTourRun(tourId: string, runId: string): Promise<TourRun | undefined> {
    return this.get<TourRun>(keys.tourRun(tourId, runId));
  }

  async saveTourRun(run: TourRun): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: this.tourRunItem(run) }));
  }

  async listTourRuns(tourId: string, page: PageRequest): Promise<Page<TourRun>> {
    // The tour's partition holds its runs under RUN#<runId>, and a run's id is made from its start.
    const size = pageSize(page);
    const after = decodeAfterCursor(page.cursor, 'tourRuns');
    const { pk } = keys.tour(tourId);
    const { items } = await this.query({
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :run)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':pk': pk, ':run': 'RUN#' },
      ScanIndexForward: false,
      ExclusiveStartKey: after === undefined ? undefined : { pk, sk: after },
      Limit: size + 1,
    });
    const pageItems = items.slice(0, size);
    const last = pageItems.at(-1);
    return {
      items: pageItems.map((item) => strip<TourRun>(item)),
      ...(items.length > size && last && { nextCursor: encodeAfterCursor('tourRuns', last.sk as string) }),
    };
  }

  async tourRunsBetween(from: string, to: string): Promise<TourRun[]> {
    if (!(from < to)) return [];
    // One query per UTC day: a week is 7 or 8. A sort key `<startsAt>#<tourId>#<runId>` is at or after
    // `from` exactly when its start is, and (never equal to `to`, being longer) before `to` exactly
    // when its start is, so the inclusive BETWEEN selects [from, to).
    const days = await mapLimit(utcDaysTouching(from, to), CONCURRENCY, (day) =>
      this.queryAll({
        IndexName: Index.lists.name,
        KeyConditionExpression: '#pk = :day AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': Index.lists.pk, '#sk': Index.lists.sk },
        ExpressionAttributeValues: { ':day': `${TOUR_RUNS_ON}${day}`, ':from': from, ':to': to },
      }),
    );
    return days.flat().map((item) => strip<TourRun>(item));
  }

  async overdueTourRuns(now: string): Promise<TourRun[]> {
    const items = await this.queryAll({
      IndexName: Index.timers.name,
      KeyConditionExpression: '#pk = :dispatched AND #sk <= :upper',
      ExpressionAttributeNames: { '#pk': Index.timers.pk, '#sk': Index.timers.sk },
      ExpressionAttributeValues: { ':dispatched': DISPATCHED_TOUR_RUNS, ':upper': `${now}#\uffff` },
    });
    return items.map((item) => strip<TourRun>(item));
  }

  /**
   * A run sits under the UTC day of its start in the lists index (coverage reads a few days), and in
   * the timers index by confirmBy only while dispatched (a confirmed or missed run leaves it).
   */
  private tourRunItem(run: TourRun): Item {
    return {
      ...plain(run),
      ...keys.tourRun(run.tourId, run.runId),
      [Index.lists.pk]: `${TOUR_RUNS_ON}${run.startsAt.slice(0, 10)}`,
      [Index.lists.sk]: `${run.startsAt}#${run.tourId}#${run.runId}`,
      ...(run.status === 'dispatched' && {
        [Index.timers.pk]: DISPATCHED_TOUR_RUNS,
        [Index.timers.sk]: `${run.confirmBy}#${run.tourId}#${run.runId}`,
      }),
    };
  }

  // ---- receipts --------------------------------------------------------------------------------

  async insertReceipts(receipts: Receipt[]): Promise<number> {
    // "Only if not there yet" needs a condition, which BatchWriteItem cannot carry: the receipts go in
    // transactions of up to 99 conditional puts plus the counter update (2 WCU per receipt).
    const unique = new Map<string, Receipt>();
    for (const r of receipts) {
      const id = keys.receipt(r.campaignId, r.runId, r.phone).pk;
      if (!unique.has(id)) unique.set(id, r);
    }
    let added = 0;
    const units = [...unique.values()].map((r): Unit => {
      const { submittedAt: _submitted, doneAt: _done, ...rest } = r;
      return {
        items: [
          {
            Put: this.putNew({
              ...plain({ ...rest, status: 'queued' }),
              ...keys.receipt(r.campaignId, r.runId, r.phone),
              ...receiptListKeys(r.campaignId, r.runId, r.phone),
            }),
          },
        ],
        moves: moves(r, r, undefined, 'queued', r.queuedAt),
        unmatched: 0,
        onConditionFailed: async () => undefined,
        onApplied: () => void added++,
      };
    });
    await this.runUnits(units);
    return added;
  }

  async queuedPhones(campaignId: string, runId: string, phones: string[]): Promise<Set<string>> {
    // Strongly consistent: a receipt queued a moment ago by the fan-out must be seen by its sender.
    const items = await this.batchGet(
      [...new Set(phones)].map((phone) => keys.receipt(campaignId, runId, phone)),
      { consistent: true, projection: ['phone', 'status'] },
    );
    return new Set(items.filter((item) => item.status === 'queued').map((item) => item.phone as string));
  }

  async recordSendOutcomes(outcomes: SendOutcome[]): Promise<void> {
    // The receipts are read first for their carrier (the counters are per carrier and a transaction
    // returns nothing), and only those still queued are written.
    const unique = new Map<string, SendOutcome>();
    for (const o of outcomes) {
      const id = keys.receipt(o.campaignId, o.runId, o.phone).pk;
      if (!unique.has(id)) unique.set(id, o);
    }
    const stored = new Map(
      (
        await this.batchGet(
          [...unique.values()].map((o) => keys.receipt(o.campaignId, o.runId, o.phone)),
          { consistent: true, projection: ['pk', 'carrier', 'areaCode', 'status'] },
        )
      ).map((item) => [item.pk as string, item]),
    );
    const units: Unit[] = [];
    for (const [id, o] of unique) {
      const receipt = stored.get(id);
      if (receipt?.status !== 'queued') continue;
      const counted = countedAs(receipt);
      units.push(o.status === 'submitted' ? this.submittedUnit(o, counted) : this.failedUnit(o, counted));
    }
    await this.runUnits(units);
  }

  private failedUnit(o: SendOutcome, counted: Counted): Unit {
    const update = new UpdateBuilder()
      .set('status', 'failed')
      .set('attempts', o.attempts)
      .set('doneAt', o.at)
      .setOrRemove('gatewayId', o.gatewayId)
      .setOrRemove('gatewayMessageId', o.gatewayMessageId)
      .setOrRemove('error', o.error);
    return {
      items: [{ Update: this.receiptUpdate(o, update, 'queued') }],
      moves: moves(o, counted, 'queued', 'failed', o.at),
      unmatched: 0,
      onConditionFailed: async () => undefined,
    };
  }

  /**
   * Queued to submitted, and the message id item points at the receipt. The message id item is
   * written only if no report waits on it; if one does (the report came first), the unit is replaced by
   * one that applies it.
   */
  private submittedUnit(o: SendOutcome, counted: Counted): Unit {
    const update = new UpdateBuilder()
      .set('status', 'submitted')
      .set('attempts', o.attempts)
      .set('submittedAt', o.at)
      .set(Index.receiptsAwaitingReport.pk, awaitingReportPk(o.campaignId, o.runId, o.phone))
      .set(Index.receiptsAwaitingReport.sk, o.at)
      .setOrRemove('gatewayId', o.gatewayId)
      .setOrRemove('gatewayMessageId', o.gatewayMessageId)
      .setOrRemove('error', o.error);
    const items: TransactItem[] = [{ Update: this.receiptUpdate(o, update, 'queued') }];
    const gatewayId = o.gatewayId;
    const messageId = o.gatewayMessageId;
    if (gatewayId !== undefined && messageId !== undefined) {
      const reference = this.messageReference(o, counted).condition('attribute_not_exists(rStatus)');
      items.push({ Update: reference.build(this.tableName, keys.message(gatewayId, messageId)) });
    }
    return {
      items,
      moves: moves(o, counted, 'queued', 'submitted', o.at),
      unmatched: 0,
      onConditionFailed: async (index) => {
        if (index === 0 || gatewayId === undefined || messageId === undefined) return undefined;
        const message = await this.getItem(keys.message(gatewayId, messageId));
        if (message?.rStatus === 'delivered' || message?.rStatus === 'failed') {
          return this.earlyReportUnit(o, counted, message);
        }
        return this.submittedUnit(o, counted);
      },
    };
  }

  /** Queued straight to the final status of a report that arrived before the submission was recorded. */
  private earlyReportUnit(o: SendOutcome, counted: Counted, message: Item): Unit {
    const gatewayId = o.gatewayId as string;
    const messageId = o.gatewayMessageId as string;
    const status = message.rStatus as 'delivered' | 'failed';
    const update = new UpdateBuilder()
      .set('status', status)
      .set('attempts', o.attempts)
      .set('submittedAt', o.at)
      .set('gatewayId', gatewayId)
      .set('gatewayMessageId', messageId)
      .set('doneAt', message.rAt as string)
      .setOrRemove('error', typeof message.rError === 'string' ? message.rError : undefined);
    const reference = this.messageReference(o, counted)
      .remove('rStatus')
      .remove('rError')
      .remove('rAt')
      .condition('rStatus = :waiting', { ':waiting': status });
    return {
      items: [
        { Update: this.receiptUpdate(o, update, 'queued') },
        { Update: reference.build(this.tableName, keys.message(gatewayId, messageId)) },
      ],
      moves: moves(o, counted, 'queued', status, message.rAt as string),
      unmatched: -1,
      onConditionFailed: async (index) => (index === 0 ? undefined : this.submittedUnit(o, counted)),
    };
  }

  /** The message id item names its receipt and what the receipt's counters are keyed by, for its report. */
  private messageReference(o: SendOutcome, counted: Counted): UpdateBuilder {
    return new UpdateBuilder()
      .set('campaignId', o.campaignId)
      .set('runId', o.runId)
      .set('phone', o.phone)
      .setOrRemove('carrier', counted.carrier)
      .setOrRemove('areaCode', counted.areaCode)
      .set(TTL_ATTRIBUTE, Math.floor(Date.parse(o.at) / 1000) + MESSAGE_ID_RETENTION_S);
  }

  private receiptUpdate(r: { campaignId: string; runId: string; phone: string }, update: UpdateBuilder, from: ReceiptStatus) {
    return update.condition('#status = :from', { ':from': from }).build(this.tableName, keys.receipt(r.campaignId, r.runId, r.phone));
  }

  async recordDeliveryReports(reports: DeliveryReport[]): Promise<{ applied: number; unmatched: number }> {
    const result = { applied: 0, unmatched: 0 };
    // A message id twice in one call is handled in a later wave (a transaction names an item once).
    let pending = reports;
    while (pending.length > 0) {
      const wave = new Map<string, DeliveryReport>();
      const later: DeliveryReport[] = [];
      for (const r of pending) {
        const id = keys.message(r.gatewayId, r.messageId).pk;
        if (wave.has(id)) later.push(r);
        else wave.set(id, r);
      }
      const messages = new Map(
        (
          await this.batchGet(
            [...wave.values()].map((r) => keys.message(r.gatewayId, r.messageId)),
            { consistent: true },
          )
        ).map((item) => [item.pk as string, item]),
      );
      const units: Unit[] = [];
      for (const [id, r] of wave) {
        const unit = this.reportUnit(r, messages.get(id), result);
        if (unit) units.push(unit);
      }
      await this.runUnits(units);
      pending = later;
    }
    return result;
  }

  /**
   * The unit for one report given the message id item as read: apply it to the receipt it points
   * at, or keep it on the item until the submission is recorded. Both sides write the same item under
   * a condition, so whichever comes second sees the other.
   */
  private reportUnit(r: DeliveryReport, message: Item | undefined, result: { applied: number; unmatched: number }): Unit | undefined {
    const messageKey = keys.message(r.gatewayId, r.messageId);
    const reread = async () => this.reportUnit(r, await this.getItem(messageKey), result);
    if (typeof message?.campaignId === 'string') {
      const campaignId = message.campaignId;
      const runId = message.runId as string;
      const phone = message.phone as string;
      const update = new UpdateBuilder()
        .set('status', r.status)
        .set('doneAt', r.at)
        .setOrRemove('error', r.error)
        .remove(Index.receiptsAwaitingReport.pk)
        .remove(Index.receiptsAwaitingReport.sk)
        .condition('#status = :from AND gatewayId = :gatewayId AND gatewayMessageId = :messageId', {
          ':from': 'submitted',
          ':gatewayId': r.gatewayId,
          ':messageId': r.messageId,
        });
      return {
        items: [{ Update: update.build(this.tableName, keys.receipt(campaignId, runId, phone)) }],
        moves: moves({ campaignId, runId }, countedAs(message), 'submitted', r.status, r.at),
        unmatched: 0,
        // Already final (a repeated report, or expired): ignored, as the port says.
        onConditionFailed: async () => undefined,
        onApplied: () => void result.applied++,
      };
    }
    if (message?.rStatus !== undefined) {
      // The same report again while its receipt is still unknown: kept once, reported as unmatched.
      result.unmatched++;
      return undefined;
    }
    const keep = new UpdateBuilder()
      .set('gatewayId', r.gatewayId)
      .set('messageId', r.messageId)
      .set('rStatus', r.status)
      .set('rAt', r.at)
      .setOrRemove('rError', r.error)
      .condition('attribute_not_exists(campaignId) AND attribute_not_exists(rStatus)');
    return {
      items: [{ Update: keep.build(this.tableName, messageKey) }],
      moves: [],
      unmatched: 1,
      onConditionFailed: reread,
      onApplied: () => void result.unmatched++,
    };
  }

  async countUnmatchedReports(): Promise<number> {
    const items = await this.batchGet(
      Array.from({ length: Shards.unmatched }, (_, shard) => keys.unmatched(shard)),
      { consistent: true },
    );
    return items.reduce((sum, item) => sum + (typeof item.n === 'number' ? item.n : 0), 0);
  }

  async expireReceipts(submittedBefore: string, limit: number): Promise<number> {
    // The awaiting-report index holds a receipt only while it is submitted; the oldest are taken
    // across its shards, and each moves under a condition (the index lags the table a little).
    const size = pageSize({ limit });
    const candidates: Item[] = [];
    const walk = mergeShards(
      Shards.awaitingReport,
      (shard, startKey, pageLimit) =>
        this.query({
          TableName: this.tableName,
          IndexName: Index.receiptsAwaitingReport.name,
          KeyConditionExpression: '#pk = :pk AND #sk < :before',
          ExpressionAttributeNames: { '#pk': Index.receiptsAwaitingReport.pk, '#sk': Index.receiptsAwaitingReport.sk },
          ExpressionAttributeValues: { ':pk': `AW#${shard}`, ':before': submittedBefore },
          ExclusiveStartKey: startKey,
          Limit: pageLimit,
        }),
      (item) => item[Index.receiptsAwaitingReport.sk] as string,
      () => shardPageLimit(size - candidates.length, Shards.awaitingReport),
    );
    for await (const item of walk) {
      candidates.push(item);
      if (candidates.length >= size) break;
    }
    // The index does not carry the area (its projection predates the counters by area): the receipts
    // are read for it. Expiry is the rare path, a receipt that never got a report.
    const areas = new Map(
      (
        await this.batchGet(
          candidates.map((item) => keys.receipt(item.campaignId as string, item.runId as string, item.phone as string)),
          { consistent: true, projection: ['pk', 'areaCode'] },
        )
      ).map((item) => [item.pk as string, item.areaCode]),
    );
    let expired = 0;
    const units = candidates.map((item): Unit => {
      const campaignId = item.campaignId as string;
      const runId = item.runId as string;
      const key = keys.receipt(campaignId, runId, item.phone as string);
      const counted = countedAs({ carrier: item.carrier, areaCode: areas.get(key.pk) });
      const update = new UpdateBuilder()
        .set('status', 'expired')
        .remove(Index.receiptsAwaitingReport.pk)
        .remove(Index.receiptsAwaitingReport.sk)
        .condition('#status = :from AND submittedAt < :before', { ':from': 'submitted', ':before': submittedBefore });
      return {
        items: [{ Update: update.build(this.tableName, key) }],
        moves: moves({ campaignId, runId }, counted, 'submitted', 'expired', submittedBefore),
        unmatched: 0,
        onConditionFailed: async () => undefined,
        onApplied: () => void expired++,
      };
    });
    await this.runUnits(units);
    return expired;
  }

  async getReceipt(campaignId: string, runId: string, phone: string): Promise<Receipt | undefined> {
    return this.get<Receipt>(keys.receipt(campaignId, runId, phone));
  }

  async listReceipts(
    campaignId: string,
    filter: { status?: Receipt['status']; runId?: string },
    page: PageRequest,
  ): Promise<Page<Receipt>> {
    // The listing index is keys-only (written once per receipt, never on a status change), merged
    // over its shards in (run, phone) order; the receipts themselves come by BatchGetItem, and a
    // status filter is applied to them, looking at a bounded number of keys per page.
    const size = pageSize(page);
    const after = decodeAfterCursor(page.cursor, 'receipts');
    const range: AreaRange =
      filter.runId === undefined ? { start: '', end: undefined } : { start: `${filter.runId}#`, end: `${filter.runId}$` };
    const lower = after !== undefined && after >= range.start ? successor(after) : range.start;
    const scanLimit = Math.max(MIN_RECEIPT_SCAN_PER_PAGE, 20 * size);
    const found: Receipt[] = [];
    let scanned = 0;
    let lastScanned: string | undefined;
    let batch: Item[] = [];
    const flush = async (): Promise<void> => {
      const items = await this.batchGet(
        batch.map((k) => ({ pk: k.pk as string, sk: k.sk as string })),
        { consistent: true },
      );
      const byPk = new Map(items.map((item) => [item.pk as string, item]));
      for (const k of batch) {
        const item = byPk.get(k.pk as string);
        if (item && (filter.status === undefined || item.status === filter.status)) found.push(strip<Receipt>(item));
      }
      batch = [];
    };
    const walk = mergeShards(
      Shards.receiptList,
      (shard, startKey, pageLimit) => {
        const names: Record<string, string> = { '#pk': Index.receiptsByCampaign.pk };
        const values: Item = { ':pk': `RC#${campaignId}#${shard}` };
        let condition = '#pk = :pk';
        if (range.end !== undefined) {
          condition += ' AND #sk BETWEEN :lower AND :upper';
          names['#sk'] = Index.receiptsByCampaign.sk;
          values[':lower'] = lower;
          values[':upper'] = range.end;
        } else if (lower !== '') {
          condition += ' AND #sk >= :lower';
          names['#sk'] = Index.receiptsByCampaign.sk;
          values[':lower'] = lower;
        }
        return this.query({
          TableName: this.tableName,
          IndexName: Index.receiptsByCampaign.name,
          KeyConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ExclusiveStartKey: startKey,
          Limit: pageLimit,
        });
      },
      (item) => item[Index.receiptsByCampaign.sk] as string,
      () => shardPageLimit(size + 1 - found.length - batch.length, Shards.receiptList),
    );
    let exhausted = true;
    for await (const key of walk) {
      batch.push(key);
      scanned++;
      lastScanned = key[Index.receiptsByCampaign.sk] as string;
      if (found.length + batch.length > size) {
        await flush();
        if (found.length > size) {
          exhausted = false;
          break;
        }
      }
      if (scanned >= scanLimit) {
        exhausted = false;
        break;
      }
    }
    if (batch.length > 0) await flush();
    if (found.length > size) {
      const items = found.slice(0, size);
      const last = items[items.length - 1] as Receipt;
      return { items, nextCursor: encodeAfterCursor('receipts', `${last.runId}#${last.phone}`) };
    }
    if (!exhausted && lastScanned !== undefined) {
      // The page is short because the scan limit was reached; the walk goes on from here.
      return { items: found, nextCursor: encodeAfterCursor('receipts', lastScanned) };
    }
    return { items: found };
  }

  async campaignCounts(campaignId: string, runId?: string): Promise<ReceiptCounts> {
    const items =
      runId === undefined
        ? await this.counterShards(campaignId, RUN_COUNTER)
        : await this.batchGet(
            shardNumbers().map((shard) => keys.counter(campaignId, shard, runId)),
            { consistent: true },
          );
    return sumCarrierCounters(items);
  }

  async campaignProgress(campaignId: string): Promise<ReceiptProgress> {
    // One query per shard reads all of it: the runs' counts by carrier, by area and by delivered minute.
    const items = await this.counterShards(campaignId, '');
    const bySortKey = (prefix: string) => items.filter((item) => (item.sk as string).startsWith(prefix));
    const byArea: Record<string, StatusCounts> = {};
    for (const item of bySortKey(AREA_COUNTER)) {
      for (const [name, value] of Object.entries(item)) {
        const status = name.startsWith('n_') ? (name.slice(2) as ReceiptStatus) : undefined;
        if (!status || !RECEIPT_STATUSES.includes(status) || typeof value !== 'number' || value === 0) continue;
        const area = (byArea[String(item.areaCode)] ??= emptyStatusCounts());
        area[status] += value;
        area.total += value;
      }
    }
    for (const [area, counts] of Object.entries(byArea)) if (counts.total === 0) delete byArea[area];
    const byMinute = new Map<string, number>();
    for (const item of bySortKey(MINUTE_COUNTER)) {
      const minute = String(item.minute);
      byMinute.set(minute, (byMinute.get(minute) ?? 0) + (typeof item.n === 'number' ? item.n : 0));
    }
    return {
      ...sumCarrierCounters(bySortKey(RUN_COUNTER)),
      byArea,
      deliveredByMinute: [...byMinute]
        .filter(([, delivered]) => delivered !== 0)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([minute, delivered]) => ({ minute, delivered })),
    };
  }

  /** The counter items of a campaign whose sort key starts with `prefix`, from every shard (consistent). */
  private async counterShards(campaignId: string, prefix: string): Promise<Item[]> {
    const pages = await mapLimit(shardNumbers(), CONCURRENCY, (shard) =>
      this.queryAll({
        KeyConditionExpression: prefix === '' ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.counterShard(campaignId, shard), ...(prefix !== '' && { ':prefix': prefix }) },
        ConsistentRead: true,
      }),
    );
    return pages.flat();
  }

  // ---- caps, audit, idempotency ----------------------------------------------------------------

  async takeDailySlots(phones: string[], day: string, cap: number): Promise<Set<string>> {
    // One conditional ADD per phone and day: each phone is its own partition key, and only the phones
    // under the cap get a slot (a transaction would fail as a whole on the first capped phone).
    const granted = new Set<string>();
    if (cap < 1) return granted;
    const expiresAt = Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + DAILY_SLOT_RETENTION_S;
    await mapLimit([...new Set(phones)], CONCURRENCY, async (phone) => {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.dailySlot(phone, day),
            UpdateExpression: 'ADD #n :one SET #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(#n) OR #n < :cap',
            ExpressionAttributeNames: { '#n': 'n', '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':one': 1, ':cap': cap, ':ttl': Number.isFinite(expiresAt) ? expiresAt : 0 },
          }),
        );
        granted.add(phone);
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    });
    return granted;
  }

  async appendAudit(entries: AuditEntry[]): Promise<void> {
    // Audit ids are unique, so an unconditional batch put is an append (a repeat rewrites the same entry).
    await this.batchPut(
      entries.map((entry) => ({
        ...plain(entry),
        ...keys.audit(entry.id),
        [Index.lists.pk]: List.audit,
        [Index.lists.sk]: `${entry.at}#${entry.id}`,
      })),
    );
  }

  async listAudit(page: PageRequest, filter: AuditFilter = {}): Promise<Page<AuditEntry>> {
    if (isFiltered(filter)) return filteredAudit(this.listTable, filter, page);
    return this.listPage<AuditEntry>(List.audit, page, { forward: false });
  }

  async getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
    return this.get<IdempotencyRecord>(keys.idempotency(key));
  }

  async saveIdempotencyRecord(record: IdempotencyRecord): Promise<boolean> {
    try {
      await this.db.send(new PutCommand(this.putNew({ ...plain(record), ...keys.idempotency(record.key) })));
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  // ---- transactions of units with their counters -----------------------------------------------

  /**
   * Writes the units in transactions of up to 100 items: the units' items and, per run, one update
   * of a randomly chosen counter shard with the sum of their moves (plus one of the unmatched-report
   * counter). A unit whose condition fails is replaced or dropped and the rest written again; a
   * transaction cancelled by a conflict or by throttling is retried with backoff.
   */
  private async runUnits(units: Unit[]): Promise<void> {
    let pending = units;
    while (pending.length > 0) {
      const chunks = chunkUnits(pending);
      const leftovers = await mapLimit(chunks, 8, (chunk) => this.runChunk(chunk));
      pending = leftovers.flat();
    }
  }

  /** Writes one chunk; returns the units still to write (the replacements of failed ones, and the rest). */
  private async runChunk(chunk: Unit[]): Promise<Unit[]> {
    for (let attempt = 0; ; attempt++) {
      const items = chunk.flatMap((unit) => unit.items);
      items.push(...this.counterItems(chunk));
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        for (const unit of chunk) unit.onApplied?.();
        return [];
      } catch (error) {
        if (!isTransactionCancelled(error)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const failed = new Map<Unit, number>();
        let offset = 0;
        for (const unit of chunk) {
          unit.items.forEach((_, i) => {
            if (reasons[offset + i]?.Code === 'ConditionalCheckFailed' && !failed.has(unit)) failed.set(unit, i);
          });
          offset += unit.items.length;
        }
        if (failed.size === 0) {
          if (attempt >= MAX_TRANSACTION_RETRIES) throw error;
          await sleep(Math.random() * 25 * 2 ** attempt);
          continue;
        }
        const next: Unit[] = chunk.filter((unit) => !failed.has(unit));
        for (const [unit, index] of failed) {
          const generation = (unit.generation ?? 0) + 1;
          if (generation > MAX_UNIT_GENERATIONS) {
            throw new Error('DynamoDB store: a write kept failing its condition', { cause: error });
          }
          const replacement = await unit.onConditionFailed(index);
          if (replacement) next.push({ ...replacement, generation });
        }
        return next;
      }
    }
  }

  /**
   * The counter updates of a chunk: per run, one shard chosen at random for this transaction, and on it
   * the run's item (by carrier), one item per area and one per delivered minute the chunk moves. All on
   * one shard, so a transaction conflicts with another only where the carrier counters already would.
   */
  private counterItems(chunk: Unit[]): TransactItem[] {
    const byItem = new Map<string, { key: Key; set: Item; deltas: Map<string, number> }>();
    const shards = new Map<string, number>();
    const add = (key: Key, set: Item, attribute: string, n: number) => {
      const id = `${key.pk}\u0000${key.sk}`;
      const entry = byItem.get(id) ?? { key, set, deltas: new Map<string, number>() };
      byItem.set(id, entry);
      entry.deltas.set(attribute, (entry.deltas.get(attribute) ?? 0) + n);
    };
    let unmatched = 0;
    for (const unit of chunk) {
      unmatched += unit.unmatched;
      for (const m of unit.moves) {
        const runKey = `${m.campaignId}\u0000${m.runId}`;
        const shard = shards.get(runKey) ?? randomShard(Shards.counters);
        shards.set(runKey, shard);
        const run = { campaignId: m.campaignId, runId: m.runId };
        add(keys.counter(m.campaignId, shard, m.runId), run, counterAttribute(m.carrier, m.status), m.n);
        add(keys.areaCounter(m.campaignId, shard, m.runId, m.areaCode), { ...run, areaCode: m.areaCode }, `n_${m.status}`, m.n);
        if (m.deliveredMinute !== undefined) {
          add(keys.minuteCounter(m.campaignId, shard, m.runId, m.deliveredMinute), { ...run, minute: m.deliveredMinute }, 'n', m.n);
        }
      }
    }
    const items: TransactItem[] = [];
    for (const { key, set, deltas } of byItem.values()) {
      const nonZero = [...deltas].filter(([, n]) => n !== 0);
      if (nonZero.length === 0) continue;
      const names: Record<string, string> = {};
      const values: Item = {};
      const sets = Object.entries(set).map(([attribute, value], i) => {
        names[`#s${i}`] = attribute;
        values[`:s${i}`] = value;
        return `#s${i} = :s${i}`;
      });
      const adds = nonZero.map(([attribute, n], i) => {
        names[`#a${i}`] = attribute;
        values[`:a${i}`] = n;
        return `#a${i} :a${i}`;
      });
      items.push({
        Update: {
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      });
    }
    if (unmatched !== 0) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: keys.unmatched(randomShard(Shards.unmatched)),
          UpdateExpression: 'ADD #n :n',
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: { ':n': unmatched },
        },
      });
    }
    return items;
  }

  // ---- reads, lists and batches ----------------------------------------------------------------

  /**
   * One TransactWriteItems, retried with backoff while it is cancelled only by conflicts with other
   * transactions or throttling; a cancellation by a failed condition is thrown to the caller.
   */
  private async transact(items: TransactItem[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        const onlyConflicts = isTransactionCancelled(error) && conditionFailures(error).length === 0;
        if (!onlyConflicts || attempt >= MAX_TRANSACTION_RETRIES) throw error;
        await sleep(Math.random() * 25 * 2 ** attempt);
      }
    }
  }

  private putNew(item: Item) {
    return { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' };
  }

  /** Puts a new record; ConflictError naming `what` when its key is taken. */
  private async insertRecord(item: Item, what: string): Promise<void> {
    try {
      await this.db.send(new PutCommand(this.putNew(item)));
    } catch (error) {
      if (isConditionFailed(error)) throw new ConflictError(`${what} already exists`);
      throw error;
    }
  }

  /** Replaces a record only if the stored one is at `revision - 1`; else (or if there is none) ConflictError. */
  private async updateRecord(item: Item, revision: number, what: string): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: '#revision = :previous',
          ExpressionAttributeNames: { '#revision': 'revision' },
          ExpressionAttributeValues: { ':previous': revision - 1 },
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) throw new ConflictError(`${what} changed since revision ${revision - 1} was read`);
      throw error;
    }
  }

  private get listTable(): ListTable {
    return { db: this.db, tableName: this.tableName };
  }

  private async getItem(key: Key): Promise<Item | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return result.Item;
  }

  private async get<T>(key: Key): Promise<T | undefined> {
    const item = await this.getItem(key);
    return item && strip<T>(item);
  }

  private async query(input: QueryCommandInput): Promise<QueryPage> {
    const result = await this.db.send(new QueryCommand(input));
    return { items: result.Items ?? [], lastKey: result.LastEvaluatedKey };
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'> & { TableName?: string }): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.query({ ...input, TableName: this.tableName, ExclusiveStartKey: startKey });
      items.push(...page.items);
      startKey = page.lastKey;
    } while (startKey);
    return items;
  }

  /**
   * A page of one partition of the lists index (filtered lists are in dynamodb-filtered-lists.ts). One more
   * item than asked is read so that the last page has no cursor; the cursor is the LastEvaluatedKey of the
   * page's last item, base64url JSON.
   */
  private async listPage<T>(list: string, page: PageRequest, options: { forward?: boolean } = {}): Promise<Page<T>> {
    const { forward = true } = options;
    const size = pageSize(page);
    const items: Item[] = [];
    let startKey = decodeListCursor(page.cursor, list);
    do {
      const result = await this.query({
        TableName: this.tableName,
        IndexName: Index.lists.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': Index.lists.pk },
        ExpressionAttributeValues: { ':pk': list },
        ScanIndexForward: forward,
        ExclusiveStartKey: startKey,
        Limit: size + 1 - items.length,
      });
      items.push(...result.items);
      startKey = result.lastKey;
    } while (items.length <= size && startKey);
    const pageItems = items.slice(0, size);
    const last = pageItems[pageItems.length - 1];
    if (items.length <= size || !last) return { items: pageItems.map((item) => strip<T>(item)) };
    const lastKey = {
      pk: last.pk,
      sk: last.sk,
      [Index.lists.pk]: last[Index.lists.pk],
      [Index.lists.sk]: last[Index.lists.sk],
    };
    return {
      items: pageItems.map((item) => strip<T>(item)),
      nextCursor: Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url'),
    };
  }

  private async batchGet(keyList: Key[], options: { consistent?: boolean; projection?: string[] } = {}): Promise<Item[]> {
    const unique = [...new Map(keyList.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
    const names: Record<string, string> = {};
    const projection = options.projection?.map((attribute, i) => {
      names[`#p${i}`] = attribute;
      return `#p${i}`;
    });
    const chunks = chunk(unique, MAX_BATCH_GET);
    const results = await mapLimit(chunks, 8, async (part) => {
      const items: Item[] = [];
      let requested: Item[] = part;
      for (let attempt = 0; requested.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1_000, Math.random() * 25 * 2 ** attempt));
        const result = await this.db.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: requested,
                ConsistentRead: options.consistent ?? false,
                ...(projection && { ProjectionExpression: projection.join(', '), ExpressionAttributeNames: names }),
              },
            },
          }),
        );
        items.push(...(result.Responses?.[this.tableName] ?? []));
        requested = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
      return items;
    });
    return results.flat();
  }

  private async batchPut(items: Item[]): Promise<void> {
    const unique = [...new Map(items.map((item) => [`${String(item.pk)}\u0000${String(item.sk)}`, item])).values()];
    await mapLimit(chunk(unique, MAX_BATCH_WRITE), 8, async (part) => {
      let requests = part.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1_000, Math.random() * 25 * 2 ** attempt));
        const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []).flatMap((request) =>
          request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
        );
      }
    });
  }
}

// ---- update expressions --------------------------------------------------------------------------

/** Builds an UpdateItem (or a transaction's Update) with placeholders for every name and value. */
class UpdateBuilder {
  private readonly sets: string[] = [];
  private readonly removes: string[] = [];
  private readonly names: Record<string, string> = { '#status': 'status' };
  private readonly values: Item = {};
  private conditionExpression: string | undefined;

  set(attribute: string, value: unknown): this {
    const i = this.sets.length;
    this.names[`#s${i}`] = attribute;
    this.values[`:s${i}`] = value;
    this.sets.push(`#s${i} = :s${i}`);
    return this;
  }

  remove(attribute: string): this {
    const i = this.removes.length;
    this.names[`#r${i}`] = attribute;
    this.removes.push(`#r${i}`);
    return this;
  }

  setOrRemove(attribute: string, value: unknown): this {
    return value === undefined ? this.remove(attribute) : this.set(attribute, value);
  }

  condition(expression: string, values: Item = {}): this {
    this.conditionExpression = expression;
    Object.assign(this.values, values);
    return this;
  }

  build(tableName: string, key: Key) {
    const parts: string[] = [];
    if (this.sets.length > 0) parts.push(`SET ${this.sets.join(', ')}`);
    if (this.removes.length > 0) parts.push(`REMOVE ${this.removes.join(', ')}`);
    const expression = `${this.sets.join(' ')} ${this.removes.join(' ')} ${this.conditionExpression ?? ''}`;
    // Only the placeholders the expressions use may be sent.
    const names = Object.fromEntries(Object.entries(this.names).filter(([name]) => expression.includes(name)));
    return {
      TableName: tableName,
      Key: key,
      UpdateExpression: parts.join(' '),
      ...(this.conditionExpression !== undefined && { ConditionExpression: this.conditionExpression }),
      ExpressionAttributeNames: names,
      ...(Object.keys(this.values).length > 0 && { ExpressionAttributeValues: this.values }),
    };
  }
}

// ---- counters ------------------------------------------------------------------------------------

/**
 * The counter moves of one receipt of a run entering `to` (from `from`, or new), at `at`: by carrier and
 * by area, and a move into delivered counts in the UTC minute of `at`.
 */
function moves(
  run: { campaignId: string; runId: string },
  counted: Counted,
  from: ReceiptStatus | undefined,
  to: ReceiptStatus,
  at: string,
): CounterMove[] {
  const base = {
    campaignId: run.campaignId,
    runId: run.runId,
    carrier: counted.carrier ?? UNKNOWN_CARRIER,
    areaCode: counted.areaCode ?? UNKNOWN_AREA,
  };
  const entering: CounterMove = { ...base, status: to, n: 1, ...(to === 'delivered' && { deliveredMinute: utcMinuteOf(at) }) };
  return from === undefined ? [entering] : [{ ...base, status: from, n: -1 }, entering];
}

/** The carrier and area of a receipt as read from an item (the receipt, its message id item). */
function countedAs(item: { carrier?: unknown; areaCode?: unknown }): Counted {
  return {
    ...(typeof item.carrier === 'string' && { carrier: item.carrier }),
    ...(typeof item.areaCode === 'string' && { areaCode: item.areaCode }),
  };
}

function shardNumbers(): number[] {
  return Array.from({ length: Shards.counters }, (_, shard) => shard);
}

/** Sums runs' counter items (`n_<carrier>_<status>` numbers) by status and carrier. */
function sumCarrierCounters(items: Item[]): ReceiptCounts {
  const sums = new Map<string, Map<ReceiptStatus, number>>();
  for (const item of items) {
    for (const [name, value] of Object.entries(item)) {
      const parsed = parseCounterAttribute(name);
      if (!parsed || typeof value !== 'number') continue;
      const byStatus = sums.get(parsed.carrier) ?? new Map<ReceiptStatus, number>();
      byStatus.set(parsed.status, (byStatus.get(parsed.status) ?? 0) + value);
      sums.set(parsed.carrier, byStatus);
    }
  }
  const counts: ReceiptCounts = { ...emptyStatusCounts(), byCarrier: {} };
  for (const [carrier, byStatus] of [...sums].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [status, n] of byStatus) {
      if (n === 0) continue;
      const perCarrier = (counts.byCarrier[carrier] ??= emptyStatusCounts());
      counts[status] += n;
      counts.total += n;
      perCarrier[status] += n;
      perCarrier.total += n;
    }
  }
  return counts;
}

/** A counter item holds one number per carrier and status: `n_<carrier>_<status>`. */
function counterAttribute(carrier: string, status: ReceiptStatus): string {
  return `n_${carrier}_${status}`;
}

function parseCounterAttribute(name: string): { carrier: string; status: ReceiptStatus } | undefined {
  if (!name.startsWith('n_')) return undefined;
  const split = name.lastIndexOf('_');
  const status = name.slice(split + 1) as ReceiptStatus;
  if (split <= 2 || !RECEIPT_STATUSES.includes(status)) return undefined;
  return { carrier: name.slice(2, split), status };
}

function emptyStatusCounts(): StatusCounts {
  const counts = { total: 0 } as StatusCounts;
  for (const status of RECEIPT_STATUSES) counts[status] = 0;
  return counts;
}

/**
 * Groups units into transactions of at most 100 items: their own items plus the counter items they move
 * (per run one by carrier, one per area and one per delivered minute) and one unmatched item.
 */
function chunkUnits(units: Unit[]): Unit[][] {
  const countersOf = (unit: Unit) =>
    unit.moves.flatMap((m) => {
      const run = `${m.campaignId}\u0000${m.runId}`;
      const items = [run, `${run}\u0000area\u0000${m.areaCode}`];
      if (m.deliveredMinute !== undefined) items.push(`${run}\u0000minute\u0000${m.deliveredMinute}`);
      return items;
    });
  const chunks: Unit[][] = [];
  let current: Unit[] = [];
  let items = 0;
  let counters = new Set<string>();
  let unmatched = false;
  for (const unit of units) {
    const withCounters = new Set([...counters, ...countersOf(unit)]);
    const withUnmatched: boolean = unmatched || unit.unmatched !== 0;
    const total = items + unit.items.length + withCounters.size + (withUnmatched ? 1 : 0);
    if (current.length > 0 && total > MAX_TRANSACT_ITEMS) {
      chunks.push(current);
      current = [unit];
      items = unit.items.length;
      counters = new Set(countersOf(unit));
      unmatched = unit.unmatched !== 0;
    } else {
      current.push(unit);
      items += unit.items.length;
      counters = withCounters;
      unmatched = withUnmatched;
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

// ---- shards and merged walks ---------------------------------------------------------------------

/** FNV-1a: a fast, stable hash that spreads phone numbers evenly over shards. */
function shardOf(value: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

function randomShard(shards: number): number {
  return Math.floor(Math.random() * shards);
}

/** Items per shard query when `wanted` items are needed from `shards` shards evenly filled. */
function shardPageLimit(wanted: number, shards: number): number {
  return Math.min(1_000, Math.max(10, Math.ceil((Math.max(wanted, 1) * 1.25) / shards) + 5));
}

/**
 * Yields the items of every shard in one order (by `sortKey`), fetching a shard's next page only when
 * its buffer runs dry: a k-way merge over sharded partitions that reads each item once.
 */
async function* mergeShards(
  shards: number,
  fetch: (shard: number, startKey: Item | undefined, limit: number) => Promise<QueryPage>,
  sortKey: (item: Item) => string,
  pageLimit: () => number,
): AsyncGenerator<Item> {
  const state = Array.from({ length: shards }, () => ({
    items: [] as Item[],
    position: 0,
    lastKey: undefined as Item | undefined,
    done: false,
    started: false,
  }));
  for (;;) {
    const hungry = state.map((s, shard) => ({ s, shard })).filter(({ s }) => !s.done && s.position >= s.items.length);
    if (hungry.length > 0) {
      const limit = pageLimit();
      await mapLimit(hungry, CONCURRENCY, async ({ s, shard }) => {
        const page = await fetch(shard, s.started ? s.lastKey : undefined, limit);
        s.started = true;
        s.items = page.items;
        s.position = 0;
        s.lastKey = page.lastKey;
        s.done = page.lastKey === undefined;
      });
      continue;
    }
    let best: (typeof state)[number] | undefined;
    let bestKey = '';
    for (const s of state) {
      const item = s.items[s.position];
      if (item === undefined) continue;
      const key = sortKey(item);
      if (best === undefined || key < bestKey) {
        best = s;
        bestKey = key;
      }
    }
    if (best === undefined) return;
    const item = best.items[best.position] as Item;
    best.position++;
    yield item;
  }
}

/** A range of the subscriber walk's sort key: `start` inclusive, `end` inclusive (undefined: open). */
interface AreaRange {
  start: string;
  end: string | undefined;
}

/**
 * The key ranges of a segment's areas: a subtree P is every sort key beginning `P/` (up to `P0`, as
 * '0' follows '/'). Nested paths are dropped (their parent covers them) and the ranges are sorted, so
 * they are disjoint and walked in key order. No areas: the whole shard.
 */
function areaRanges(paths: string[]): AreaRange[] {
  if (paths.length === 0) return [{ start: '', end: undefined }];
  const sorted = [...new Set(paths)].sort((a, b) => (`${a}/` < `${b}/` ? -1 : `${a}/` > `${b}/` ? 1 : 0));
  const kept: string[] = [];
  for (const path of sorted) {
    if (!kept.some((parent) => path.startsWith(`${parent}/`))) kept.push(path);
  }
  return kept.map((path) => ({ start: `${path}/`, end: `${path}0` }));
}

/** The UTC days (yyyy-mm-dd) that [from, to) touches, in order. */
function utcDaysTouching(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(to);
  for (let day = Date.parse(from.slice(0, 10)); day < end; day += DAY_MS) {
    days.push(new Date(day).toISOString().slice(0, 10));
  }
  return days;
}

/** The smallest string after `value`, to resume a key range after the last key handed out. */
function successor(value: string): string {
  return `${value}\u0000`;
}

// ---- records and cursors -------------------------------------------------------------------------

/** A version is listed in the partition of its status, so that a status change moves it (a whole put). */
function versionItem(version: TemplateVersion): Item {
  return { ...plain(version), ...keys.version(version.templateId, version.version), ...templateVersionListKeys(version) };
}

/** The record as JSON carries it: undefined properties dropped, as the SQLite store keeps them. */
function plain<T>(record: T): Item {
  return JSON.parse(JSON.stringify(record)) as Item;
}

function strip<T>(item: Item): T {
  const record: Item = { ...item };
  for (const attribute of TECHNICAL_ATTRIBUTES) delete record[attribute];
  return record as T;
}

function pageSize(page: { limit: number }): number {
  return Math.max(1, Math.floor(page.limit));
}

function invalidCursor(): ValidationError {
  return ValidationError.field('cursor', 'not a cursor of this list');
}

function decodeJson(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The ExclusiveStartKey inside a list cursor; ValidationError when forged or from another list. */
function decodeListCursor(cursor: string | undefined, list: string): Item | undefined {
  if (cursor === undefined) return undefined;
  const key = decodeJson(cursor);
  const expected = ['pk', 'sk', Index.lists.pk, Index.lists.sk];
  if (
    typeof key !== 'object' ||
    key === null ||
    Object.keys(key).length !== expected.length ||
    !expected.every((name) => typeof (key as Item)[name] === 'string') ||
    (key as Item)[Index.lists.pk] !== list
  ) {
    throw invalidCursor();
  }
  return key as Item;
}

/** Cursors of merged walks: the last sort key handed out. */
function encodeAfterCursor(walk: string, after: string): string {
  return Buffer.from(JSON.stringify({ walk, after }), 'utf8').toString('base64url');
}

function decodeAfterCursor(cursor: string | undefined, walk: string): string | undefined {
  if (cursor === undefined) return undefined;
  const value = decodeJson(cursor);
  if (typeof value !== 'object' || value === null) throw invalidCursor();
  const { walk: kind, after } = value as Item;
  if (kind !== walk || typeof after !== 'string') throw invalidCursor();
  return after;
}

// ---- errors and helpers --------------------------------------------------------------------------

function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function isTransactionCancelled(error: unknown): error is Error & { CancellationReasons?: { Code?: string }[] } {
  return error instanceof Error && error.name === 'TransactionCanceledException';
}

/** The indexes of a cancelled transaction's items that failed their condition. */
function conditionFailures(error: unknown): number[] {
  if (!isTransactionCancelled(error)) return [];
  const reasons = error.CancellationReasons ?? [];
  return reasons.flatMap((reason, i) => (reason.Code === 'ConditionalCheckFailed' ? [i] : []));
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Maps with at most `limit` calls in flight; results in input order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
