/**
 * The receipt counters: a few rows per run, carrier, area and minute, kept in step with the receipts in
 * the same transaction, so progress is read from them however many receipts a campaign has.
 */
import type { ReceiptStatus } from '../../core/model.js';
import { utcMinuteOf } from '../../core/receipts/utc-minute.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { UNKNOWN_CARRIER } from './unknown-carrier.js';

/** Counter key of receipts queued without an area code. */
const UNKNOWN_AREA = 'unknown';

/** What the counters of a receipt are keyed by, as its row has it. */
export interface Keyed {
  campaign_id: string;
  run_id: string;
  carrier: string | null;
  area_code: string | null;
}

interface CounterDelta {
  kind: 'carrier' | 'area' | 'minute';
  campaignId: string;
  runId: string;
  /** The carrier, the area code, or the delivered minute. */
  key: string;
  status: ReceiptStatus;
  n: number;
}

/**
 * Deltas to the receipt counters gathered over one transaction, written once per key at its end: by
 * carrier and status, by area and status, and the deliveries by UTC minute.
 */
export class Counters {
  private readonly byKey = new Map<string, CounterDelta>();

  /** One receipt entering `status`, from `previous` (none: a new receipt), at `at`. */
  move(receipt: Keyed, previous: ReceiptStatus | undefined, status: ReceiptStatus, at: string): void {
    for (const [kind, key] of [
      ['carrier', receipt.carrier ?? UNKNOWN_CARRIER],
      ['area', receipt.area_code ?? UNKNOWN_AREA],
    ] as const) {
      if (previous !== undefined) this.add({ kind, campaignId: receipt.campaign_id, runId: receipt.run_id, key, status: previous, n: -1 });
      this.add({ kind, campaignId: receipt.campaign_id, runId: receipt.run_id, key, status, n: 1 });
    }
    if (status === 'delivered') {
      this.add({ kind: 'minute', campaignId: receipt.campaign_id, runId: receipt.run_id, key: utcMinuteOf(at), status, n: 1 });
    }
  }

  /** Adds the deltas to the counter rows; called inside the transaction that moved the receipts. */
  flush(database: SqliteDatabase): void {
    const byCarrier = database.sql(
      `INSERT INTO receipt_counters (campaign_id, run_id, carrier, status, n) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (campaign_id, run_id, carrier, status) DO UPDATE SET n = n + excluded.n`,
    );
    const byArea = database.sql(
      `INSERT INTO receipt_area_counters (campaign_id, run_id, area_code, status, n) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (campaign_id, run_id, area_code, status) DO UPDATE SET n = n + excluded.n`,
    );
    const byMinute = database.sql(
      `INSERT INTO delivered_by_minute (campaign_id, run_id, minute, n) VALUES (?, ?, ?, ?)
       ON CONFLICT (campaign_id, run_id, minute) DO UPDATE SET n = n + excluded.n`,
    );
    for (const c of this.deltas()) {
      if (c.kind === 'carrier') byCarrier.run(c.campaignId, c.runId, c.key, c.status, c.n);
      else if (c.kind === 'area') byArea.run(c.campaignId, c.runId, c.key, c.status, c.n);
      else byMinute.run(c.campaignId, c.runId, c.key, c.n);
    }
  }

  private add(delta: CounterDelta): void {
    const id = [delta.kind, delta.campaignId, delta.runId, delta.key, delta.status].join('\u0000');
    const entry = this.byKey.get(id);
    if (entry) entry.n += delta.n;
    else this.byKey.set(id, delta);
  }

  private *deltas() {
    for (const entry of this.byKey.values()) if (entry.n !== 0) yield entry;
  }
}
