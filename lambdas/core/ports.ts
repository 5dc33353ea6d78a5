/**
 * The ports of the core, named after what the use cases need. Each has one adapter per runtime
 * (SQLite or DynamoDB for each store, a SQLite table or SQS for the Queue, ...), and every adapter of a
 * port passes the same contract suite under test/contracts/.
 */
import type { Campaign } from './model.js';
import type { Carrier } from './subscribers/carriers.js';
import type { SmsEncoding } from './templates/sms-parts.js';
import type { Tour } from './tours/tour-model.js';
import type { AuditStore } from './audit/audit-store.js';
import type { CampaignStore } from './campaigns/campaign-store.js';
import type { IdempotencyStore } from './idempotency/idempotency-store.js';
import type { ImportStore } from './imports/import-store.js';
import type { ReceiptStore } from './receipts/receipt-store.js';
import type { AudienceStore } from './subscribers/audience-store.js';
import type { TemplateStore } from './templates/template-store.js';
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
  /** Submitted through a gateway whose reports name their receipt: the stores keep no look-up by message id. */
  reportsNameReceipt?: boolean;
}

export interface DeliveryReport {
  gatewayId: string;
  messageId: string;
  status: 'delivered' | 'failed';
  error?: string;
  at: string;
  /** The network that delivered it, when the gateway says (numbers move between carriers). */
  carrier?: Carrier;
  /**
   * The receipt the report is for, when the gateway carried it back with the report (End User Messaging's
   * Context): the report is applied to it directly, with no look-up by message id.
   */
  receipt?: { campaignId: string; runId: string; phone: string };
}

/** The stores, one per aggregate; each has a SQLite and a DynamoDB adapter passing its own contract suite. */
export interface Stores {
  templates: TemplateStore;
  audience: AudienceStore;
  campaigns: CampaignStore;
  receipts: ReceiptStore;
  tours: TourStore;
  audit: AuditStore;
  idempotency: IdempotencyStore;
  imports: ImportStore;
}

/** Only the stores of `from` (deps, or an adapter's stores with its `close`), for building a narrower Deps. */
export function storesIn({ templates, audience, campaigns, receipts, tours, audit, idempotency, imports }: Stores): Stores {
  return { templates, audience, campaigns, receipts, tours, audit, idempotency, imports };
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
  /**
   * Whether the provider drops a repeat of a message it already has. `false` (SNS, End User Messaging):
   * an uncertain submit is never sent again, it fails as uncertain rather than risk a double send.
   * Undefined: an uncertain submit is retried on the same gateway only.
   */
  readonly dropsRepeats?: boolean;
  /** The gateway's delivery reports name their receipt (`DeliveryReport.receipt`): no message-id look-up is kept. */
  readonly reportsNameReceipt?: boolean;
  /** What the adapter knows of its connection, for operators (GET /v1/gateways). */
  status?(): Record<string, unknown>;
}

export type DeliveryReportSink = (report: DeliveryReport) => void;

/**
 * Checks a provider's delivery-report callback (its signature) and reads the reports in it; asynchronous
 * where the gateway's secret is first read from a secret store (AWS).
 */
export type DeliveryReportWebhook = (
  request: { headers: Record<string, string | undefined>; body: string; query: Record<string, string | undefined> },
  now: Date,
) => DeliveryReportWebhookResult | Promise<DeliveryReportWebhookResult>;
export type DeliveryReportWebhookResult = { ok: true; reports: DeliveryReport[] } | { ok: false; status: 401 | 422; detail: string };

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
