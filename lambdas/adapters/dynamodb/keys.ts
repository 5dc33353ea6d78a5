/**
 * The key design of the table (README.md, "Table"): the primary key of every kind of item, the index keys
 * it carries, the partitions readers query, and the shard functions that spread what is written during a
 * campaign. Every pk, sk and index key the DynamoDB stores write or read is built here.
 */
import { DUE_CAMPAIGN_STATUSES } from '../../core/campaigns/campaign-status.js';
import type { Area, AuditEntry, Campaign, CampaignRun, OptOut, Segment, Subscriber, Template, TemplateVersion } from '../../core/model.js';
import { PLANNED_TOUR_STATUSES, TourStatus, type Tour, type TourRun, type Van } from '../../core/tours/tour-model.js';
import { Index, Shards } from './table.js';

export type Key = { pk: string; sk: string };
/** Index key attributes of an item, spread next to its record. */
type IndexKeys = Record<string, string>;

/** Partition values of the lists index. */
export const List = {
  templates: 'TEMPLATES',
  segments: 'SEGMENTS',
  campaigns: 'CAMPAIGNS',
  areas: 'AREAS',
  optOuts: 'OPTOUTS',
  audit: 'AUDIT',
  vans: 'VANS',
  tours: 'TOURS',
} as const;

/** Partition values of the timers index. */
export const Timers = {
  dueCampaigns: 'DUE',
  openRuns: 'RUNS#OPEN',
  /** The tours that may still broadcast; the due ones sort under `DUE_TOUR` by next start. */
  plannedTours: 'TOURS#PLANNED',
  /** The tour runs waiting for the crew's confirmation, by confirmBy. */
  dispatchedTourRuns: 'TOURRUNS#DISPATCHED',
} as const;
/** Sort-key prefix of the due tours in the planned tours partition. */
export const DUE_TOUR = 'DUE#';

/**
 * Sort-key prefixes: a template's versions and a tour's runs in their partitions, and the items of a
 * counter shard (a run's counts by carrier, by area, and its deliveries in one UTC minute).
 */
export const SortKeyPrefix = {
  templateVersion: 'V#',
  tourRun: 'RUN#',
  runCounter: 'RUN#',
  areaCounter: 'AREA#',
  minuteCounter: 'MIN#',
  importRefusals: 'REFUSED#',
} as const;

/** The partition of the gateway board, one item a sender. */
export const GATEWAY_REPORTS = 'GATEWAYS';

/** The primary key of each kind of item. */
export const keys = {
  template: (id: string): Key => ({ pk: `TPL#${id}`, sk: 'TPL' }),
  version: (templateId: string, version: number): Key => ({
    pk: `TPL#${templateId}`,
    sk: `${SortKeyPrefix.templateVersion}${tenDigits(version)}`,
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
    pk: partitions.counterShard(campaignId, shard),
    sk: `${SortKeyPrefix.runCounter}${runId}`,
  }),
  areaCounter: (campaignId: string, shard: number, runId: string, areaCode: string): Key => ({
    pk: partitions.counterShard(campaignId, shard),
    sk: `${SortKeyPrefix.areaCounter}${runId}#${areaCode}`,
  }),
  minuteCounter: (campaignId: string, shard: number, runId: string, minute: string): Key => ({
    pk: partitions.counterShard(campaignId, shard),
    sk: `${SortKeyPrefix.minuteCounter}${runId}#${minute}`,
  }),
  unmatched: (shard: number): Key => ({ pk: `UNMATCHED#${shard}`, sk: 'CNT' }),
  dailySlot: (phone: string, day: string): Key => ({ pk: `SLOT#${phone}#${day}`, sk: 'SLOT' }),
  audit: (id: string): Key => ({ pk: `AUDIT#${id}`, sk: 'AUDIT' }),
  idempotency: (key: string): Key => ({ pk: `IDEM#${key}`, sk: 'IDEM' }),
  /** Names an idempotency record of a request about one number (its pseudonym), for erasing the number. */
  idempotencySubject: (subject: string, key: string): Key => ({ pk: `IDEMSUBJ#${subject}`, sk: `IDEM#${key}` }),
  van: (id: string): Key => ({ pk: `VAN#${id}`, sk: 'VAN' }),
  tour: (id: string): Key => ({ pk: `TOUR#${id}`, sk: 'TOUR' }),
  tourRun: (tourId: string, runId: string): Key => ({ pk: `TOUR#${tourId}`, sk: `${SortKeyPrefix.tourRun}${runId}` }),
  gatewayReport: (sender: string): Key => ({ pk: GATEWAY_REPORTS, sk: `SENDER#${sender}` }),
  /** The message parts a gateway's senders took in one second (epoch seconds): its shared rate bucket. */
  rateBucket: (gatewayId: string, second: number): Key => ({ pk: `RATE#${gatewayId}`, sk: String(second) }),
  import: (id: string): Key => ({ pk: `IMPORT#${id}`, sk: 'IMPORT' }),
  /** A chunk of an import's listed refused rows, from its first line on: in sk order, the chunks are in line order. */
  importRefusals: (id: string, firstLine: number): Key => ({
    pk: `IMPORT#${id}`,
    sk: `${SortKeyPrefix.importRefusals}${tenDigits(firstLine)}`,
  }),
};

/** Partition keys read shard by shard or day by day, in the table and in the indexes. */
export const partitions = {
  counterShard: (campaignId: string, shard: number): string => `CNT#${campaignId}#${shard}`,
  subscriberWalk: (shard: number): string => `SW#${shard}`,
  receiptList: (campaignId: string, shard: number): string => `RC#${campaignId}#${shard}`,
  awaitingReport: (shard: number): string => `AW#${shard}`,
  /** The lists partition of the template versions in one status. */
  templateVersions: (status: string): string => `TPLV#${status}`,
  /** The lists partition of the tour runs starting on one UTC day (yyyy-mm-dd). */
  tourRunsOn: (day: string): string => `TOURRUNS#${day}`,
};

/** The index keys each kind of item carries (none: the item is in no index). */
export const indexKeys = {
  template: (template: Template): IndexKeys => lists(List.templates, `${template.createdAt}#${template.id}`),
  /** A version is listed in the partition of its status, so that a status change moves it (a whole put). */
  templateVersion: (version: TemplateVersion): IndexKeys =>
    lists(partitions.templateVersions(version.status), `${version.createdAt}#${version.templateId}#${tenDigits(version.version)}`),
  area: (area: Area): IndexKeys => lists(List.areas, area.code),
  /** Shard by phone, then area path and phone, so that an area subtree is a key range. */
  subscriber: (subscriber: Pick<Subscriber, 'phone' | 'areaPath'>): IndexKeys => ({
    [Index.subscribersByArea.pk]: partitions.subscriberWalk(shardOf(subscriber.phone, Shards.subscribers)),
    [Index.subscribersByArea.sk]: `${subscriber.areaPath}/#${subscriber.phone}`,
  }),
  optOut: (optOut: OptOut): IndexKeys => lists(List.optOuts, optOut.phone),
  segment: (segment: Segment): IndexKeys => lists(List.segments, `${segment.createdAt}#${segment.id}`),
  /** In the timers index only while it waits for its fire time. */
  campaign: (campaign: Campaign): IndexKeys => ({
    ...lists(List.campaigns, `${campaign.createdAt}#${campaign.id}`),
    ...(campaign.nextFireAt !== undefined &&
      DUE_CAMPAIGN_STATUSES.includes(campaign.status) &&
      timers(Timers.dueCampaigns, `${campaign.nextFireAt}#${campaign.id}`)),
  }),
  /** In the timers index only while still sending. */
  run: (run: CampaignRun): IndexKeys => ({
    ...(!run.sendingDone && timers(Timers.openRuns, `${run.campaignId}#${run.runId}`)),
  }),
  /** Written once, when the receipt is queued, never on a status change. */
  receipt: (campaignId: string, runId: string, phone: string): IndexKeys => ({
    [Index.receiptsByCampaign.pk]: partitions.receiptList(campaignId, shardOf(`${runId}#${phone}`, Shards.receiptList)),
    [Index.receiptsByCampaign.sk]: receiptListSortKey(runId, phone),
  }),
  /** Set while the receipt is submitted, removed when it leaves that status. */
  awaitingReport: (receipt: { campaignId: string; runId: string; phone: string; submittedAt: string }): IndexKeys => ({
    [Index.receiptsAwaitingReport.pk]: partitions.awaitingReport(
      shardOf(`${receipt.campaignId}#${receipt.runId}#${receipt.phone}`, Shards.awaitingReport),
    ),
    [Index.receiptsAwaitingReport.sk]: receipt.submittedAt,
  }),
  audit: (entry: AuditEntry): IndexKeys => lists(List.audit, `${entry.at}#${entry.id}`),
  van: (van: Van): IndexKeys => lists(List.vans, `${van.createdAt}#${van.id}`),
  /**
   * A tour that may still broadcast is in the planned tours partition of the timers index: under
   * `DUE#<nextFireAt>#<id>` while approved with a start to dispatch (toursDue reads that range), under
   * `<status>#<id>` otherwise. Any other status takes it out of the index.
   */
  tour: (tour: Tour): IndexKeys => {
    const due = tour.status === TourStatus.approved && tour.nextFireAt !== undefined;
    return {
      ...lists(List.tours, `${tour.createdAt}#${tour.id}`),
      ...(PLANNED_TOUR_STATUSES.includes(tour.status) &&
        timers(Timers.plannedTours, due ? `${DUE_TOUR}${tour.nextFireAt}#${tour.id}` : `${tour.status}#${tour.id}`)),
    };
  },
  /**
   * A run sits under the UTC day of its start in the lists index (coverage reads a few days), and in
   * the timers index by confirmBy only while dispatched (a confirmed or missed run leaves it).
   */
  tourRun: (run: TourRun): IndexKeys => ({
    ...lists(partitions.tourRunsOn(run.startsAt.slice(0, 10)), `${run.startsAt}#${run.tourId}#${run.runId}`),
    ...(run.status === 'dispatched' && timers(Timers.dispatchedTourRuns, `${run.confirmBy}#${run.tourId}#${run.runId}`)),
  }),
};

/** The sort key of a receipt in the receipt listing index: by run, then phone. */
export function receiptListSortKey(runId: string, phone: string): string {
  return `${runId}#${phone}`;
}

/** A range of an index's sort key: `start` inclusive, `end` inclusive (undefined: open). */
export interface KeyRange {
  start: string;
  end: string | undefined;
}

/** The receipt listing index range of one run's receipts ('$' follows '#'), or of all runs. */
export function receiptListRange(runId: string | undefined): KeyRange {
  return runId === undefined ? { start: '', end: undefined } : { start: `${runId}#`, end: `${runId}$` };
}

/**
 * The subscriber walk ranges of a segment's areas: a subtree P is every sort key beginning `P/` (up to
 * `P0`, as '0' follows '/'). Nested paths are dropped (their parent covers them) and the ranges are
 * sorted, so they are disjoint and walked in key order. No areas: the whole shard.
 */
export function areaRanges(paths: string[]): KeyRange[] {
  if (paths.length === 0) return [{ start: '', end: undefined }];
  const sorted = [...new Set(paths)].sort((a, b) => (`${a}/` < `${b}/` ? -1 : `${a}/` > `${b}/` ? 1 : 0));
  const kept: string[] = [];
  for (const path of sorted) {
    if (!kept.some((parent) => path.startsWith(`${parent}/`))) kept.push(path);
  }
  return kept.map((path) => ({ start: `${path}/`, end: `${path}0` }));
}

function lists(pk: string, sk: string): IndexKeys {
  return { [Index.lists.pk]: pk, [Index.lists.sk]: sk };
}

function timers(pk: string, sk: string): IndexKeys {
  return { [Index.timers.pk]: pk, [Index.timers.sk]: sk };
}

/** Version numbers padded so that string order is number order. */
function tenDigits(version: number): string {
  return String(version).padStart(10, '0');
}

/** FNV-1a: a fast, stable hash that spreads phone numbers evenly over shards. */
export function shardOf(value: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

/** Counter shards are chosen at random per transaction: a retried transaction may take another. */
export function randomShard(shards: number): number {
  return Math.floor(Math.random() * shards);
}

/** Every shard number of `shards`, in order. */
export function allShards(shards: number): number[] {
  return Array.from({ length: shards }, (_, shard) => shard);
}
