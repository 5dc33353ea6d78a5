import type { Page, PageRequest, Receipt, ReceiptCounts, ReceiptProgress } from '../model.js';
import type { DeliveryReport, SendOutcome } from '../ports.js';

/** Where receipts are kept, one per run and phone, with the counters that move with them. */
export interface ReceiptStore {
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
}
