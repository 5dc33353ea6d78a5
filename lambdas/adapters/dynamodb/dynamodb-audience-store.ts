/**
 * The AudienceStore on the Loa table: areas, subscribers, opt-outs and segments. Subscribers sit in the
 * `subscribersByArea` index by shard and area path, so a segment walk reads key ranges of every shard and
 * never scans (README.md, "Segments without a scan"); an opt-out sets a flag on the subscriber item that
 * every walk filters on.
 */
import { UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Area, OptOut, Page, PageRequest, ResolvedSegmentFilter, Segment, SegmentCounts, Subscriber } from '../../core/model.js';
import type { Recipient } from '../../core/ports.js';
import type { AudienceStore } from '../../core/subscribers/audience-store.js';
import type { Carrier } from '../../core/subscribers/carriers.js';
import { CONCURRENCY, mapLimit } from './concurrency.js';
import { getItem, getRecord, insertRecord, plain, putNew, strip, type Item, type Table } from './items.js';
import { areaRanges, indexKeys, keys, List, partitions, type KeyRange } from './keys.js';
import {
  decodeAfterCursor,
  encodeAfterCursor,
  listPage,
  mergeShards,
  pageSize,
  query,
  queryAll,
  shardPageLimit,
  successor,
} from './paging.js';
import { Index, Shards } from './table.js';
import { batchGet, batchPut, conditionFailures, transact } from './write-engine.js';

/** Segment counts put subscribers of no known carrier under 'unknown' (model.ts). */
const UNKNOWN_CARRIER = 'unknown';

export class DynamoDbAudienceStore implements AudienceStore {
  constructor(private readonly table: Table) {}

  // ---- areas -----------------------------------------------------------------------------------

  async putAreas(areas: Area[]): Promise<void> {
    // Plain puts are upserts, so BatchWriteItem (25 a request) is right here.
    await batchPut(
      this.table,
      areas.map((area) => ({ ...plain(area), ...keys.area(area.code), ...indexKeys.area(area) })),
    );
  }

  async getAreas(codes: string[]): Promise<Area[]> {
    const unique = [...new Set(codes)];
    const items = await batchGet(
      this.table,
      unique.map((code) => keys.area(code)),
      { consistent: true },
    );
    const found = new Map(items.map((item) => [item.code as string, strip<Area>(item)]));
    return unique.flatMap((code) => found.get(code) ?? []);
  }

  async listAreas(page: PageRequest): Promise<Page<Area>> {
    return listPage<Area>(this.table, List.areas, page);
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
        const set = [
          'phone = :phone',
          'areaCode = :areaCode',
          'areaPath = :areaPath',
          '#tags = :tags',
          'carrierSource = :carrierSource',
          'updatedAt = :updatedAt',
        ];
        for (const [name, value] of Object.entries(indexKeys.subscriber(s))) {
          set.push(`${name} = :${name}`);
          values[`:${name}`] = value;
        }
        // Named through placeholders: SOURCE is one of DynamoDB's reserved words.
        const optional = { carrier: s.carrier, source: s.source, sourcedAt: s.sourcedAt };
        const absent: string[] = [];
        for (const [name, value] of Object.entries(optional)) {
          names[`#${name}`] = name;
          if (value === undefined) absent.push(`#${name}`);
          else {
            set.push(`#${name} = :${name}`);
            values[`:${name}`] = value;
          }
        }
        let expression = `SET ${set.join(', ')}`;
        if (absent.length > 0) expression += ` REMOVE ${absent.join(', ')}`;
        const result = await this.table.db.send(
          new UpdateCommand({
            TableName: this.table.tableName,
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
    const item = await getItem(this.table, keys.subscriber(phone));
    // An opt-out of a number not (yet) subscribed leaves an item holding only the flag.
    if (!item || item.areaCode === undefined) return undefined;
    return strip<Subscriber>(item);
  }

  // ---- opt-outs --------------------------------------------------------------------------------

  async addOptOut(optOut: OptOut): Promise<boolean> {
    // The opt-out record and the flag on the subscriber item move together, so a segment walk can
    // leave the number out with a filter instead of a lookup per recipient.
    try {
      await transact(this.table, [
        { Put: putNew(this.table, { ...plain(optOut), ...keys.optOut(optOut.phone), ...indexKeys.optOut(optOut) }) },
        {
          Update: {
            TableName: this.table.tableName,
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
    const { tableName } = this.table;
    try {
      await transact(this.table, [
        { Delete: { TableName: tableName, Key: keys.optOut(phone), ConditionExpression: 'attribute_exists(pk)' } },
        { Update: { TableName: tableName, Key: keys.subscriber(phone), UpdateExpression: 'REMOVE optedOut' } },
      ]);
      return true;
    } catch (error) {
      if (conditionFailures(error).length > 0) return false;
      throw error;
    }
  }

  async getOptOut(phone: string): Promise<OptOut | undefined> {
    return getRecord<OptOut>(this.table, keys.optOut(phone));
  }

  async listOptOuts(page: PageRequest): Promise<Page<OptOut>> {
    return listPage<OptOut>(this.table, List.optOuts, page);
  }

  async optedOutAmong(phones: string[]): Promise<Set<string>> {
    const items = await batchGet(
      this.table,
      phones.map((phone) => keys.optOut(phone)),
      { consistent: true, projection: ['phone'] },
    );
    return new Set(items.map((item) => item.phone as string));
  }

  async eraseSubscriber(phone: string, pseudonym: string): Promise<{ subscriber: boolean; optedOut: boolean }> {
    const { tableName } = this.table;
    const [subscriber, optOut] = await Promise.all([this.getSubscriber(phone), this.getOptOut(phone)]);
    const kept: OptOut | undefined = optOut && { ...optOut, phone: pseudonym };
    // The subscriber item goes whole (with the opt-out flag, which a pseudonym needs on no item: no
    // subscriber is ever filed under one); the opt-out moves to the pseudonym's key.
    await transact(this.table, [
      { Delete: { TableName: tableName, Key: keys.subscriber(phone) } },
      { Delete: { TableName: tableName, Key: keys.optOut(phone) } },
      ...(kept ? [{ Put: { TableName: tableName, Item: { ...plain(kept), ...keys.optOut(pseudonym), ...indexKeys.optOut(kept) } } }] : []),
    ]);
    return { subscriber: subscriber !== undefined, optedOut: optOut !== undefined };
  }

  // ---- segments and recipients -----------------------------------------------------------------

  async insertSegment(segment: Segment): Promise<void> {
    await insertRecord(
      this.table,
      { ...plain(segment), ...keys.segment(segment.id), ...indexKeys.segment(segment) },
      `Segment ${segment.id}`,
    );
  }

  async getSegment(id: string): Promise<Segment | undefined> {
    return getRecord<Segment>(this.table, keys.segment(id));
  }

  async listSegments(page: PageRequest): Promise<Page<Segment>> {
    return listPage<Segment>(this.table, List.segments, page);
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
      for (const item of await queryAll(this.table, input)) {
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
    let after = decodeAfterCursor(cursor, { walk: 'recipients' });
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
          return query(this.table, input);
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
      cursor: found.length > size && last ? encodeAfterCursor({ walk: 'recipients' }, last.sk) : undefined,
    };
  }

  /** The query of one subscriber shard over one area range, after `after` (exclusive) when given. */
  private recipientQuery(filter: ResolvedSegmentFilter, range: KeyRange, shard: number, after: string | undefined): QueryCommandInput {
    const names: Record<string, string> = { '#pk': Index.subscribersByArea.pk, '#optedOut': 'optedOut' };
    const values: Item = { ':pk': partitions.subscriberWalk(shard) };
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
      TableName: this.table.tableName,
      IndexName: Index.subscribersByArea.name,
      KeyConditionExpression: keyCondition,
      FilterExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }
}
