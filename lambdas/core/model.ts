/**
 * The records the core keeps. Timestamps are ISO 8601 strings in UTC so that both stores and the API
 * carry them unchanged.
 */
import type { Placeholder } from './templates/placeholders.js';
import type { SmsEncoding } from './templates/sms-parts.js';
import type { Carrier } from './subscribers/carriers.js';

export const TemplateStatus = {
  draft: 'draft',
  pendingApproval: 'pending_approval',
  approved: 'approved',
  rejected: 'rejected',
  /** Was pending when a newer submission of its template took its place; never approved. */
  superseded: 'superseded',
} as const;
export type TemplateStatus = (typeof TemplateStatus)[keyof typeof TemplateStatus];

export interface Template {
  id: string;
  name: string;
  /** SMS, or a script read aloud by loudspeaker vans. */
  channel: 'sms' | 'loudspeaker';
  latestVersion: number;
  createdBy: string;
  createdAt: string;
}

/** The four-eyes review of what staff wrote: a second person approves or rejects it, never its creator. */
export interface Review {
  submittedAt?: string;
  decidedBy?: string;
  decidedAt?: string;
  rejectionReason?: string;
  /** sha256 (hex) of the canonical JSON of exactly what was approved; set on approval. */
  approvedHash?: string;
}

export interface TemplateVersion extends Review {
  templateId: string;
  version: number;
  body: string;
  placeholders: Placeholder[];
  /** Loudspeaker scripts: how many times the crew reads it at each stop. */
  repetitionsPerStop?: number;
  status: TemplateStatus;
  author: string;
  createdAt: string;
}

export interface Area {
  code: string;
  name: string;
  parentCode?: string;
  /** Codes from the root down to this area joined by '/', so a subtree is a prefix range. */
  path: string;
  /** A hospital or school area: loudspeakers pass it by, except in emergencies. */
  quiet?: boolean;
}

export interface Subscriber {
  phone: string;
  areaCode: string;
  areaPath: string;
  tags: string[];
  carrier?: Carrier;
  carrierSource: 'explicit' | 'prefix' | 'unknown';
  updatedAt: string;
  /** The import that last wrote the record; absent on records kept before sources were. */
  source?: SubscriberSource;
  /** When that import ran. */
  sourcedAt?: string;
}

/**
 * Where a subscriber's record came from: an import by staff, or one by an integration client (the id of
 * its token). The import id ties it to the `subscribers.imported` audit entry; the file name is as sent.
 */
export type SubscriberSource =
  | { kind: 'import'; importId: string; fileName?: string }
  | { kind: 'integration'; clientId: string; importId: string; fileName?: string };

export interface OptOut {
  phone: string;
  source: string;
  by: string;
  at: string;
}

export interface SegmentFilter {
  /** Area codes; each matches its whole subtree. Empty means every area. */
  areas: string[];
  /** A subscriber matches when it has any of these tags. Empty means any. */
  tags: string[];
  /** Empty means every carrier. */
  carriers: Carrier[];
}

export interface Segment {
  id: string;
  name: string;
  filter: SegmentFilter;
  createdBy: string;
  createdAt: string;
}

/** The filter as the store applies it: area codes resolved to their paths. */
export interface ResolvedSegmentFilter {
  areaPaths: string[];
  tags: string[];
  carriers: Carrier[];
}

export interface SegmentCounts {
  total: number;
  /** By carrier code; subscribers without a known carrier under 'unknown'. */
  byCarrier: Record<string, number>;
  /** By the area code each subscriber is filed under (the leaves, not the areas the filter names). */
  byArea: Record<string, number>;
}

export const CampaignStatus = {
  draft: 'draft',
  pendingApproval: 'pending_approval',
  approved: 'approved',
  scheduled: 'scheduled',
  sending: 'sending',
  paused: 'paused',
  completed: 'completed',
  cancelled: 'cancelled',
} as const;
export type CampaignStatus = (typeof CampaignStatus)[keyof typeof CampaignStatus];

export type Priority = 'normal' | 'emergency';

export interface CampaignSchedule {
  expression: string;
  timezone: string;
}

export interface Campaign extends Review {
  id: string;
  name: string;
  templateId: string;
  templateVersion: number;
  segmentId: string;
  variables: Record<string, string>;
  priority: Priority;
  schedule?: CampaignSchedule;
  test: boolean;
  /** Sent to these numbers instead of the segment: the crew messages of loudspeaker tours. */
  recipients?: string[];
  stripDiacritics: boolean;
  /** The message as it will be sent, rendered once when the campaign is created. */
  text: string;
  sms: { encoding: SmsEncoding; parts: number };
  status: CampaignStatus;
  createdBy: string;
  createdAt: string;
  /** When the scheduler must next start a run; absent once no run is due. */
  nextFireAt?: string;
  runCount: number;
  /** Version counter for optimistic concurrency: each update must name the version it read. */
  revision: number;
}

export interface CampaignRun {
  campaignId: string;
  runId: string;
  firedAt: string;
  test: boolean;
  /** Opaque position of the fan-out in the segment; saved only after a slice is durably queued. */
  cursor?: string;
  fanOutDone: boolean;
  /** Set when every receipt of the run has left `queued`. */
  sendingDone: boolean;
}

export const ReceiptStatus = {
  queued: 'queued',
  submitted: 'submitted',
  delivered: 'delivered',
  failed: 'failed',
  expired: 'expired',
} as const;
export type ReceiptStatus = (typeof ReceiptStatus)[keyof typeof ReceiptStatus];
export const RECEIPT_STATUSES = Object.values(ReceiptStatus);

export interface Receipt {
  campaignId: string;
  runId: string;
  phone: string;
  carrier?: Carrier;
  /** The subscriber's area when the receipt was queued; absent for listed numbers that are no subscriber. */
  areaCode?: string;
  status: ReceiptStatus;
  test: boolean;
  gatewayId?: string;
  gatewayMessageId?: string;
  attempts: number;
  error?: string;
  queuedAt: string;
  submittedAt?: string;
  doneAt?: string;
}

export type StatusCounts = Record<ReceiptStatus, number> & { total: number };

export interface ReceiptCounts extends StatusCounts {
  /** By carrier code, 'unknown' for receipts without one; only carriers with receipts appear. */
  byCarrier: Record<string, StatusCounts>;
}

/** Receipts that reached delivered in one UTC minute (of their delivery report's time). */
export interface DeliveredInMinute {
  /** The minute's start, ISO 8601 UTC (`2026-03-02T01:05:00.000Z`). */
  minute: string;
  delivered: number;
}

/** A campaign's counters for watching it send: never computed from the receipts themselves. */
export interface ReceiptProgress extends ReceiptCounts {
  /** By the area code the receipt was queued with, 'unknown' without one; only areas with receipts appear. */
  byArea: Record<string, StatusCounts>;
  /** Oldest first; minutes in which nothing was delivered are left out. */
  deliveredByMinute: DeliveredInMinute[];
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
}

export interface IdempotencyRecord {
  key: string;
  /** Hash of caller, method, path and body: the same key with another request is refused. */
  requestHash: string;
  statusCode: number;
  body: string;
  createdAt: string;
  /** The pseudonym of the phone number the request named, so that erasing the number deletes the record. */
  subject?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}
