/**
 * The ports of the core, named after what the use cases need. Each has one adapter per runtime
 * (SQLite or DynamoDB for the Store, a SQLite table or SQS for the Queue, ...), and every adapter of a
 * port passes the same contract suite under test/contracts/.
 */
import type {
  Area,
  AuditEntry,
  Campaign,
  CampaignRun,
  IdempotencyRecord,
  OptOut,
  Page,
  PageRequest,
  Receipt,
  ReceiptCounts,
  ReceiptProgress,
  ResolvedSegmentFilter,
  Segment,
  SegmentCounts,
  Subscriber,
  Template,
  TemplateStatus,
  TemplateVersion,
} from './model.js';
import type { AuditFilter, CampaignFilter, TemplateVersionFilter } from './list-filters.js';
import type { Carrier } from './subscribers/carriers.js';
import type { SmsEncoding } from './templates/sms-parts.js';
import type { Tour } from './tours/tour-model.js';
import type { TourStore } from './tours/tour-store.js';

export interface Clock {
  now(): Date;
}

export interface Recipient {
  phone: string;
  carrier?: Carrier;
  /** The subscriber's area, carried to the receipt for the progress by area. */
  areaCode?: string;
  /** The gateway that may already have this message (its last answer was uncertain): retries go there only. */
  gatewayId?: string;
}

/** What a sender learned from the gateway about one queued receipt. */
export interface SendOutcome {
  campaignId: string;
  runId: string;
  phone: string;
  status: 'submitted' | 'failed';
  gatewayId?: string;
  gatewayMessageId?: string;
  error?: string;
  attempts: number;
  at: string;
}

export interface DeliveryReport {
  gatewayId: string;
  messageId: string;
  status: 'delivered' | 'failed';
  error?: string;
  at: string;
  /** The network that delivered it, when the gateway says (numbers move between carriers). */
  carrier?: Carrier;
}

export interface Store extends TourStore {
  insertTemplate(template: Template, firstVersion: TemplateVersion): Promise<void>;
  getTemplate(id: string): Promise<Template | undefined>;
  /** In creation order. Cursors of every list are opaque strings handed back by the store. */
  listTemplates(page: PageRequest): Promise<Page<Template>>;
  getTemplateVersion(templateId: string, version: number): Promise<TemplateVersion | undefined>;
  listTemplateVersions(templateId: string): Promise<TemplateVersion[]>;
  /** Versions of any template in the filter's statuses, by their `createdAt`, then template and version. */
  findTemplateVersions(filter: TemplateVersionFilter, page: PageRequest): Promise<Page<TemplateVersion>>;
  /** Adds version `template.latestVersion + 1`; ConflictError if another writer added it first. */
  insertTemplateVersion(version: TemplateVersion): Promise<void>;
  /** Replaces a version only while its stored status is still `expected`; else ConflictError. */
  updateTemplateVersion(version: TemplateVersion, expected: TemplateStatus): Promise<void>;

  /** Inserts or renames areas; paths are computed by the caller. */
  putAreas(areas: Area[]): Promise<void>;
  getAreas(codes: string[]): Promise<Area[]>;
  /** In code order. */
  listAreas(page: PageRequest): Promise<Page<Area>>;

  /** Upserts by phone and says how many were new and how many replaced an existing subscriber. */
  upsertSubscribers(subscribers: Subscriber[]): Promise<{ inserted: number; updated: number }>;
  getSubscriber(phone: string): Promise<Subscriber | undefined>;

  /** False when the number had already opted out (the first record is kept). */
  addOptOut(optOut: OptOut): Promise<boolean>;
  /** False when the number had not opted out. */
  removeOptOut(phone: string): Promise<boolean>;
  getOptOut(phone: string): Promise<OptOut | undefined>;
  /** In phone order. */
  listOptOuts(page: PageRequest): Promise<Page<OptOut>>;

  insertSegment(segment: Segment): Promise<void>;
  getSegment(id: string): Promise<Segment | undefined>;
  /** In creation order. */
  listSegments(page: PageRequest): Promise<Page<Segment>>;
  /** Counts of matching subscribers that have not opted out. */
  countRecipients(filter: ResolvedSegmentFilter): Promise<SegmentCounts>;
  /**
   * The next `limit` matching subscribers that have not opted out, in a stable order, after `cursor`
   * (undefined: from the start). `cursor` in the result is undefined when the walk is over.
   */
  nextRecipients(
    filter: ResolvedSegmentFilter,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ recipients: Recipient[]; cursor: string | undefined }>;

  insertCampaign(campaign: Campaign): Promise<void>;
  getCampaign(id: string): Promise<Campaign | undefined>;
  /** In creation order; only those passing `filter` when given. */
  listCampaigns(page: PageRequest, filter?: CampaignFilter): Promise<Page<Campaign>>;
  /** Writes `campaign` only if the stored revision is `campaign.revision - 1`; else ConflictError. */
  updateCampaign(campaign: Campaign): Promise<void>;
  /** Campaigns in status approved or scheduled whose nextFireAt is at or before `now`. */
  campaignsDue(now: string, limit: number): Promise<Campaign[]>;

  /** False when the run already exists: a schedule fire delivered twice starts one run. */
  insertRun(run: CampaignRun): Promise<boolean>;
  getRun(campaignId: string, runId: string): Promise<CampaignRun | undefined>;
  saveRun(run: CampaignRun): Promise<void>;
  /** Runs whose sending is not done, for resuming after a restart and for completion checks. */
  listUnfinishedRuns(): Promise<CampaignRun[]>;

  /**
   * Inserts receipts in status queued, skipping any that exist (one receipt per run and phone),
   * and adds the new ones to the counters. Returns how many were new.
   */
  insertReceipts(receipts: Receipt[]): Promise<number>;
  /** The phones among `phones` whose receipt in this run is still queued. */
  queuedPhones(campaignId: string, runId: string, phones: string[]): Promise<Set<string>>;
  /**
   * Moves receipts from queued to submitted or failed, each only if still queued, and moves the
   * counters. A delivery report that arrived before its submission was recorded is applied now.
   */
  recordSendOutcomes(outcomes: SendOutcome[]): Promise<void>;
  /**
   * Moves receipts from submitted to delivered or failed by the gateway's message id. A report for
   * a receipt already final is ignored; a report matching no receipt is kept and counted as unmatched.
   * `applied` counts the reports that moved a receipt, `unmatched` those of this call matching no receipt
   * (a repeat of a report already kept included); a report is kept once per gateway and message id.
   */
  recordDeliveryReports(reports: DeliveryReport[]): Promise<{ applied: number; unmatched: number }>;
  /** Reports still matching no receipt (kept, never dropped), one per gateway and message id. */
  countUnmatchedReports(): Promise<number>;
  /**
   * Moves up to `limit` receipts submitted before `submittedBefore` to expired; returns how many.
   * Their `doneAt` stays unset: nothing was reported.
   */
  expireReceipts(submittedBefore: string, limit: number): Promise<number>;
  getReceipt(campaignId: string, runId: string, phone: string): Promise<Receipt | undefined>;
  /** In run order, then phone order. */
  listReceipts(campaignId: string, filter: { status?: Receipt['status']; runId?: string }, page: PageRequest): Promise<Page<Receipt>>;
  campaignCounts(campaignId: string, runId?: string): Promise<ReceiptCounts>;
  /**
   * Every run of a campaign together: the counts by status, carrier and area, and the receipts delivered
   * minute by minute. Read from counters kept as receipts move, so it costs the same for any campaign size.
   */
  campaignProgress(campaignId: string): Promise<ReceiptProgress>;

  /**
   * Counts one message for each phone on the local `day` (yyyy-mm-dd) unless it already has `cap`;
   * returns the phones that got a slot.
   */
  takeDailySlots(phones: string[], day: string, cap: number): Promise<Set<string>>;

  appendAudit(entries: AuditEntry[]): Promise<void>;
  /** Newest first; only those passing `filter` when given. */
  listAudit(page: PageRequest, filter?: AuditFilter): Promise<Page<AuditEntry>>;

  getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined>;
  /** False when a record with this key already exists. */
  saveIdempotencyRecord(record: IdempotencyRecord): Promise<boolean>;
}

/** A slice of one run's recipients, handed from the fan-out to the senders. */
export interface SendJob {
  /** Deterministic (run and slice), so that a slice queued twice is queued once. */
  id: string;
  campaignId: string;
  runId: string;
  recipients: Recipient[];
  attempt: number;
}

export interface LeasedJob {
  job: SendJob;
  /** Proof of the lease, needed to complete or reschedule the job. */
  lease: string;
}

export interface Queue {
  /** Durable once resolved; a job whose id is already queued is not queued again. */
  enqueue(jobs: SendJob[]): Promise<void>;
  /** Up to `max` jobs that are due, each leased for `leaseMs` (then visible again, as after a crash). */
  take(max: number, leaseMs: number): Promise<LeasedJob[]>;
  /** Deletes the job; does nothing if the lease expired and another worker has taken the job since. */
  complete(leased: LeasedJob): Promise<void>;
  /**
   * Replaces a leased job with `next`, due after `delayMs` (retries with backoff, quiet hours); does
   * nothing if the lease expired and another worker has taken the job since.
   */
  reschedule(leased: LeasedJob, next: SendJob, delayMs: number): Promise<void>;
}

export interface OutgoingSms {
  /** Our own reference for the message (run and phone), for gateways that take one. */
  reference: string;
  to: string;
  carrier?: Carrier;
  text: string;
  encoding: SmsEncoding;
}

/**
 * What a gateway said about one message. `uncertain` marks a transient failure after which the carrier
 * may still have the message (a timeout, a connection lost while waiting for the answer): it is retried
 * through the same gateway, never failed over, so that it is not sent twice through two.
 */
export type SubmitResult =
  | { outcome: 'accepted'; messageId: string }
  | { outcome: 'transient'; reason: string; uncertain?: boolean }
  | { outcome: 'throttled' | 'permanent'; reason: string };

/** One way out to the carriers. Delivery reports come back through the sink given at creation. */
export interface Gateway {
  readonly id: string;
  /** Message parts a second this gateway accepts, as carriers count their rate; undefined when unlimited. */
  readonly messagesPerSecond: number | undefined;
  submit(message: OutgoingSms): Promise<SubmitResult>;
  /** What the adapter knows of its connection, for operators (GET /v1/gateways). */
  status?(): Record<string, unknown>;
}

export type DeliveryReportSink = (report: DeliveryReport) => void;

/** Checks a provider's delivery-report callback (its signature) and reads the reports in it. */
export type DeliveryReportWebhook = (
  request: { headers: Record<string, string | undefined>; body: string; query: Record<string, string | undefined> },
  now: Date,
) => { ok: true; reports: DeliveryReport[] } | { ok: false; status: 401 | 422; detail: string };

/** Tells the runtime's timer (or EventBridge) that a campaign's next fire changed. */
export interface Scheduler {
  campaignScheduled(campaign: Campaign): Promise<void>;
  campaignUnscheduled(campaignId: string): Promise<void>;
  /** A tour's next start (`nextFireAt`) was set: the crew must be dispatched then. */
  tourScheduled(tour: Tour): Promise<void>;
  tourUnscheduled(tourId: string): Promise<void>;
}

export const MetricName = {
  submitted: 'submitted',
  delivered: 'delivered',
  failed: 'failed',
  expired: 'expired',
  retries: 'retries',
  throttles: 'throttles',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** Counts for operations (CloudWatch on AWS). Dimensions are gateway and carrier, never a phone number. */
export interface Metrics {
  count(name: MetricName, value: number, dimensions: { gateway?: string; carrier?: string }): void;
}
