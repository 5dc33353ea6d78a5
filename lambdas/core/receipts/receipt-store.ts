import type { CampaignRun, Page, PageRequest, Receipt, ReceiptCounts, ReceiptProgress } from '../model.js';
import type { DeliveryReport, SendOutcome } from '../ports.js';

/** The run a daily slot is taken for. */
export type DailySlotRun = Pick<CampaignRun, 'campaignId' | 'runId'>;

export type ReceiptKey = Pick<Receipt, 'campaignId' | 'runId' | 'phone'>;

/** A receipt to be kept under a pseudonym (core/privacy/pseudonym.ts) instead of its phone number. */
export interface PseudonymizedReceipt {
  campaignId: string;
  runId: string;
  phone: string;
  pseudonym: string;
}

/**
 * How many days daily slots are kept after their day (by the embedded janitor; DynamoDB's TTL keeps them
 * fewer), and so how far back an erasure forgets a number's slots.
 */
export const DAILY_SLOT_DAYS_KEPT = 7;

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
   * Moves receipts from submitted to delivered or failed: the receipt a report names (`receipt`), else the
   * one submitted with its gateway and message id. A report for a receipt already final is ignored; a
   * report naming a receipt still queued (its submission not recorded yet) moves it straight to the
   * report's status, and the submission's outcome is then ignored. A report matching no receipt is kept
   * and counted as unmatched, or, with `keepUnmatched: false`, dropped and counted as unmatched.
   * `applied` counts the reports that moved a receipt, `unmatched` those of this call matching no receipt
   * (a repeat of a report already kept included); a report is kept once per gateway and message id.
   */
  recordDeliveryReports(reports: DeliveryReport[], options?: { keepUnmatched?: boolean }): Promise<{ applied: number; unmatched: number }>;
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
   * Counts one message of `run` for each phone on the local `day` (yyyy-mm-dd) unless it already has
   * `cap`; returns the phones that have a slot for this run. A slot is taken once per (phone, day, run):
   * asked again for the same run (a fan-out slice repeated after a crash), a phone keeps the slot it got
   * and takes nothing more.
   */
  takeDailySlots(run: DailySlotRun, phones: string[], day: string, cap: number): Promise<Set<string>>;

  /** Every receipt of one phone (or pseudonym), in run order: looked up run by run, never by reading all receipts. */
  receiptsOfPhone(phone: string): Promise<Receipt[]>;
  /**
   * Keeps each receipt under its pseudonym instead of its phone: status, times and counters unchanged, and
   * a delivery report still to come still finds it. Returns how many moved (a receipt already moved, or
   * gone, is skipped).
   */
  pseudonymizeReceipts(receipts: PseudonymizedReceipt[]): Promise<number>;
  /**
   * Up to `limit` receipts still kept under a phone number (not a pseudonym), of runs fired before
   * `firedBefore`, oldest runs first: what the retention period has run out for.
   */
  receiptsPastRetention(firedBefore: string, limit: number): Promise<ReceiptKey[]>;
  /** Forgets the daily slots the phone took on the local `days` (yyyy-mm-dd). */
  forgetDailySlots(phone: string, days: string[]): Promise<void>;
}
