/**
 * The TourStore on the Loa table: vans, tours and a tour's runs in the tour's partition. The timers index
 * holds the tours that may still broadcast and the runs awaiting the crew's confirmation; the lists index
 * holds the runs by the UTC day of their start (README.md, "Vans and tours").
 */
import { isFiltered, type TourFilter } from '../../core/list-filters.js';
import type { Page, PageRequest } from '../../core/model.js';
import type { Tour, TourRun, Van } from '../../core/tours/tour-model.js';
import type { TourStore } from '../../core/tours/tour-store.js';
import { CONCURRENCY, mapLimit } from './concurrency.js';
import { filteredTours } from './dynamodb-filtered-lists.js';
import { getRecord, insertRecord, plain, putIfNew, putItem, strip, updateRecord, type Item, type Table } from './items.js';
import { DUE_TOUR, indexKeys, keys, List, partitions, SortKeyPrefix, Timers } from './keys.js';
import { decodeAfterCursor, encodeAfterCursor, listPage, pageSize, query, queryAll } from './paging.js';
import { Index } from './table.js';

const DAY_MS = 24 * 3600 * 1000;

export class DynamoDbTourStore implements TourStore {
  constructor(private readonly table: Table) {}

  async insertVan(van: Van): Promise<void> {
    await insertRecord(this.table, vanItem(van), `Van ${van.id}`);
  }

  async getVan(id: string): Promise<Van | undefined> {
    return getRecord<Van>(this.table, keys.van(id));
  }

  async updateVan(van: Van): Promise<void> {
    await updateRecord(this.table, vanItem(van), van.revision, `Van ${van.id}`);
  }

  async listVans(page: PageRequest): Promise<Page<Van>> {
    return listPage<Van>(this.table, List.vans, page);
  }

  async insertTour(tour: Tour): Promise<void> {
    await insertRecord(this.table, tourItem(tour), `Tour ${tour.id}`);
  }

  async getTour(id: string): Promise<Tour | undefined> {
    return getRecord<Tour>(this.table, keys.tour(id));
  }

  async updateTour(tour: Tour): Promise<void> {
    await updateRecord(this.table, tourItem(tour), tour.revision, `Tour ${tour.id}`);
  }

  async listTours(filter: TourFilter, page: PageRequest): Promise<Page<Tour>> {
    if (isFiltered(filter)) return filteredTours(this.table, filter, page);
    return listPage<Tour>(this.table, List.tours, page);
  }

  async plannedTours(): Promise<Tour[]> {
    const items = await queryAll(this.table, {
      IndexName: Index.timers.name,
      KeyConditionExpression: '#pk = :planned',
      ExpressionAttributeNames: { '#pk': Index.timers.pk },
      ExpressionAttributeValues: { ':planned': Timers.plannedTours },
    });
    return items.map((item) => strip<Tour>(item));
  }

  async toursDue(now: string, limit: number): Promise<Tour[]> {
    const result = await query(this.table, {
      TableName: this.table.tableName,
      IndexName: Index.timers.name,
      KeyConditionExpression: '#pk = :planned AND #sk BETWEEN :due AND :upper',
      ExpressionAttributeNames: { '#pk': Index.timers.pk, '#sk': Index.timers.sk },
      ExpressionAttributeValues: { ':planned': Timers.plannedTours, ':due': DUE_TOUR, ':upper': `${DUE_TOUR}${now}#\uffff` },
      Limit: pageSize({ limit }),
    });
    return result.items.map((item) => strip<Tour>(item));
  }

  async insertTourRun(run: TourRun): Promise<boolean> {
    return putIfNew(this.table, tourRunItem(run));
  }

  async getTourRun(tourId: string, runId: string): Promise<TourRun | undefined> {
    return getRecord<TourRun>(this.table, keys.tourRun(tourId, runId));
  }

  async saveTourRun(run: TourRun): Promise<void> {
    await putItem(this.table, tourRunItem(run));
  }

  async listTourRuns(tourId: string, page: PageRequest): Promise<Page<TourRun>> {
    // The tour's partition holds its runs under RUN#<runId>, and a run's id is made from its start.
    const size = pageSize(page);
    const after = decodeAfterCursor(page.cursor, { walk: 'tourRuns' });
    const { pk } = keys.tour(tourId);
    const { items } = await query(this.table, {
      TableName: this.table.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :run)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':pk': pk, ':run': SortKeyPrefix.tourRun },
      ScanIndexForward: false,
      ExclusiveStartKey: after === undefined ? undefined : { pk, sk: after },
      Limit: size + 1,
    });
    const pageItems = items.slice(0, size);
    const last = pageItems.at(-1);
    return {
      items: pageItems.map((item) => strip<TourRun>(item)),
      ...(items.length > size && last && { nextCursor: encodeAfterCursor({ walk: 'tourRuns' }, last.sk as string) }),
    };
  }

  async tourRunsBetween(from: string, to: string): Promise<TourRun[]> {
    if (!(from < to)) return [];
    // One query per UTC day: a week is 7 or 8. A sort key `<startsAt>#<tourId>#<runId>` is at or after
    // `from` exactly when its start is, and (never equal to `to`, being longer) before `to` exactly
    // when its start is, so the inclusive BETWEEN selects [from, to).
    const days = await mapLimit(utcDaysTouching(from, to), CONCURRENCY, (day) =>
      queryAll(this.table, {
        IndexName: Index.lists.name,
        KeyConditionExpression: '#pk = :day AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': Index.lists.pk, '#sk': Index.lists.sk },
        ExpressionAttributeValues: { ':day': partitions.tourRunsOn(day), ':from': from, ':to': to },
      }),
    );
    return days.flat().map((item) => strip<TourRun>(item));
  }

  async overdueTourRuns(now: string): Promise<TourRun[]> {
    const items = await queryAll(this.table, {
      IndexName: Index.timers.name,
      KeyConditionExpression: '#pk = :dispatched AND #sk <= :upper',
      ExpressionAttributeNames: { '#pk': Index.timers.pk, '#sk': Index.timers.sk },
      ExpressionAttributeValues: { ':dispatched': Timers.dispatchedTourRuns, ':upper': `${now}#\uffff` },
    });
    return items.map((item) => strip<TourRun>(item));
  }
}

function vanItem(van: Van): Item {
  return { ...plain(van), ...keys.van(van.id), ...indexKeys.van(van) };
}

/** Every write of a tour is a whole put that recomputes its timer keys (a tour leaving a status leaves its place). */
function tourItem(tour: Tour): Item {
  return { ...plain(tour), ...keys.tour(tour.id), ...indexKeys.tour(tour) };
}

function tourRunItem(run: TourRun): Item {
  return { ...plain(run), ...keys.tourRun(run.tourId, run.runId), ...indexKeys.tourRun(run) };
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
