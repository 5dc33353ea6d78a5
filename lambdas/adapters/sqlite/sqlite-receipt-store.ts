/**
 * Receipts in SQLite, with their counters and the daily caps. Every batch method is one transaction of
 * prepared statements, so a million-recipient campaign costs a few thousand commits, and every status
 * change is a conditional UPDATE on the current status, so statuses only move forward whatever the order
 * in which outcomes and reports arrive.
 */
import {
  RECEIPT_STATUSES,
  type Page,
  type PageRequest,
  type Receipt,
  type ReceiptCounts,
  type ReceiptProgress,
  type ReceiptStatus,
  type StatusCounts,
} from '../../core/model.js';
import type { DeliveryReport, SendOutcome } from '../../core/ports.js';
import type { DailySlotRun, PseudonymizedReceipt, ReceiptKey, ReceiptStore } from '../../core/receipts/receipt-store.js';
import type { Carrier } from '../../core/subscribers/carriers.js';
import { Counters, type Keyed } from './receipt-counters.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { decodeCursor, encodeCursor, pageSize } from './sqlite-pages.js';

interface ReceiptRow {
  campaign_id: string;
  run_id: string;
  phone: string;
  carrier: string | null;
  area_code: string | null;
  status: ReceiptStatus;
  test: number;
  gateway_id: string | null;
  gateway_message_id: string | null;
  attempts: number;
  error: string | null;
  queued_at: string;
  submitted_at: string | null;
  done_at: string | null;
}

export class SqliteReceiptStore implements ReceiptStore {
  constructor(private readonly database: SqliteDatabase) {}

  async insertReceipts(receipts: Receipt[]): Promise<number> {
    const insert = this.database.sql(
      `INSERT INTO receipts (campaign_id, run_id, phone, carrier, area_code, status, test, gateway_id,
         gateway_message_id, attempts, error, queued_at, submitted_at, done_at)
       VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, NULL, NULL) ON CONFLICT DO NOTHING`,
    );
    return this.database.write(() => {
      const counters = new Counters();
      let added = 0;
      for (const r of receipts) {
        const keyed: Keyed = { campaign_id: r.campaignId, run_id: r.runId, carrier: r.carrier ?? null, area_code: r.areaCode ?? null };
        const result = insert.run(
          r.campaignId,
          r.runId,
          r.phone,
          keyed.carrier,
          keyed.area_code,
          r.test ? 1 : 0,
          r.gatewayId ?? null,
          r.gatewayMessageId ?? null,
          r.attempts,
          r.error ?? null,
          r.queuedAt,
        );
        if (result.changes > 0) {
          added++;
          counters.move(keyed, undefined, 'queued', r.queuedAt);
        }
      }
      counters.flush(this.database);
      return added;
    });
  }

  async queuedPhones(campaignId: string, runId: string, phones: string[]): Promise<Set<string>> {
    const isQueued = this.database
      .sql(`SELECT 1 FROM receipts WHERE campaign_id = ? AND run_id = ? AND phone = ? AND status = 'queued'`)
      .pluck();
    const queued = new Set<string>();
    // One read transaction: one WAL snapshot for the batch instead of one per lookup.
    this.database.read(() => {
      for (const phone of phones) if (isQueued.get(campaignId, runId, phone) !== undefined) queued.add(phone);
    });
    return queued;
  }

  async recordSendOutcomes(outcomes: SendOutcome[]): Promise<void> {
    const submitted = this.database.sql(
      `UPDATE receipts SET status = 'submitted', gateway_id = ?, gateway_message_id = ?, attempts = ?, error = ?,
         submitted_at = ?
       WHERE campaign_id = ? AND run_id = ? AND phone = ? AND status = 'queued'`,
    );
    const failed = this.database.sql(
      `UPDATE receipts SET status = 'failed', gateway_id = ?, gateway_message_id = ?, attempts = ?, error = ?,
         done_at = ?
       WHERE campaign_id = ? AND run_id = ? AND phone = ? AND status = 'queued'`,
    );
    // (cheaper than RETURNING, which materialises its rows)
    const keyOf = this.database.sql(
      'SELECT campaign_id, run_id, carrier, area_code FROM receipts WHERE campaign_id = ? AND run_id = ? AND phone = ?',
    );
    const anyKept = this.database.sql('SELECT EXISTS (SELECT 1 FROM unmatched_reports)').pluck();
    const earlyReport = this.database.sql('SELECT * FROM unmatched_reports WHERE gateway_id = ? AND message_id = ?');
    const applyEarly = this.database.sql(
      `UPDATE receipts SET status = ?, error = ?, done_at = ?
       WHERE campaign_id = ? AND run_id = ? AND phone = ? AND status = 'submitted'`,
    );
    const forgetEarly = this.database.sql('DELETE FROM unmatched_reports WHERE gateway_id = ? AND message_id = ?');
    this.database.write(() => {
      const counters = new Counters();
      const reportsWaiting = anyKept.get() === 1;
      for (const o of outcomes) {
        const changed = (o.status === 'submitted' ? submitted : failed).run(
          o.gatewayId ?? null,
          o.gatewayMessageId ?? null,
          o.attempts,
          o.error ?? null,
          o.at,
          o.campaignId,
          o.runId,
          o.phone,
        ).changes;
        if (changed === 0) continue;
        const keyed = keyOf.get(o.campaignId, o.runId, o.phone) as Keyed;
        counters.move(keyed, 'queued', o.status, o.at);
        // A gateway whose reports name their receipt never leaves a report waiting by message id.
        if (!reportsWaiting || o.status !== 'submitted' || o.reportsNameReceipt) continue;
        if (o.gatewayId === undefined || o.gatewayMessageId === undefined) continue;
        const report = earlyReport.get(o.gatewayId, o.gatewayMessageId) as
          | { status: 'delivered' | 'failed'; error: string | null; at: string }
          | undefined;
        if (!report) continue;
        applyEarly.run(report.status, report.error, report.at, o.campaignId, o.runId, o.phone);
        forgetEarly.run(o.gatewayId, o.gatewayMessageId);
        counters.move(keyed, 'submitted', report.status, report.at);
      }
      counters.flush(this.database);
    });
  }

  async recordDeliveryReports(
    reports: DeliveryReport[],
    options: { keepUnmatched?: boolean } = {},
  ): Promise<{ applied: number; unmatched: number }> {
    const keepUnmatched = options.keepUnmatched ?? true;
    const find = this.database.sql(
      `SELECT campaign_id, run_id, phone, carrier, area_code, status FROM receipts
       WHERE gateway_id = ? AND gateway_message_id = ?`,
    );
    const named = this.database.sql(
      `SELECT campaign_id, run_id, phone, carrier, area_code, status, gateway_id, gateway_message_id FROM receipts
       WHERE campaign_id = ? AND run_id = ? AND phone = ?`,
    );
    const apply = this.database.sql(
      `UPDATE receipts SET status = ?, error = ?, done_at = ?
       WHERE campaign_id = ? AND run_id = ? AND phone = ? AND status = 'submitted'`,
    );
    // A report naming a receipt still queued came before its submission was recorded: the submission's
    // outcome then finds the receipt no longer queued and is ignored.
    const applyToQueued = this.database.sql(
      `UPDATE receipts SET status = ?, error = ?, done_at = ?, gateway_id = ?, gateway_message_id = ?
       WHERE campaign_id = ? AND run_id = ? AND phone = ? AND status = 'queued'`,
    );
    const keep = this.database.sql(
      `INSERT INTO unmatched_reports (gateway_id, message_id, status, error, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    type Found = Keyed & { phone: string; status: ReceiptStatus; gateway_id?: string | null; gateway_message_id?: string | null };
    return this.database.write(() => {
      const counters = new Counters();
      let applied = 0;
      let unmatched = 0;
      for (const r of reports) {
        const receipts = (
          r.receipt ? named.all(r.receipt.campaignId, r.receipt.runId, r.receipt.phone) : find.all(r.gatewayId, r.messageId)
        ) as Found[];
        if (receipts.length === 0) {
          if (keepUnmatched) keep.run(r.gatewayId, r.messageId, r.status, r.error ?? null, r.at);
          unmatched++;
          continue;
        }
        let moved = false;
        for (const row of receipts) {
          const sameMessage = !r.receipt || (row.gateway_id === r.gatewayId && row.gateway_message_id === r.messageId);
          if (row.status === 'submitted' && sameMessage) {
            if (apply.run(r.status, r.error ?? null, r.at, row.campaign_id, row.run_id, row.phone).changes === 0) continue;
            counters.move(row, 'submitted', r.status, r.at);
            moved = true;
          } else if (row.status === 'queued' && r.receipt) {
            const args = [r.status, r.error ?? null, r.at, r.gatewayId, r.messageId, row.campaign_id, row.run_id, row.phone];
            if (applyToQueued.run(...args).changes === 0) continue;
            counters.move(row, 'queued', r.status, r.at);
            moved = true;
          }
          // Anything else is final already (statuses only move forward), or a report of an older attempt.
        }
        if (moved) applied++;
      }
      counters.flush(this.database);
      return { applied, unmatched };
    });
  }

  async countUnmatchedReports(): Promise<number> {
    return this.database.sql('SELECT count(*) FROM unmatched_reports').pluck().get() as number;
  }

  async expireReceipts(submittedBefore: string, limit: number): Promise<number> {
    const oldest = this.database.sql(
      `SELECT campaign_id, run_id, phone, carrier, area_code FROM receipts
       WHERE status = 'submitted' AND submitted_at < ? ORDER BY submitted_at LIMIT ?`,
    );
    const expire = this.database.sql(
      `UPDATE receipts SET status = 'expired' WHERE campaign_id = ? AND run_id = ? AND phone = ?
       AND status = 'submitted'`,
    );
    return this.database.write(() => {
      const counters = new Counters();
      let expired = 0;
      const rows = oldest.all(submittedBefore, Math.max(1, Math.floor(limit))) as (Keyed & { phone: string })[];
      for (const row of rows) {
        if (expire.run(row.campaign_id, row.run_id, row.phone).changes === 0) continue;
        expired++;
        counters.move(row, 'submitted', 'expired', submittedBefore);
      }
      counters.flush(this.database);
      return expired;
    });
  }

  async getReceipt(campaignId: string, runId: string, phone: string): Promise<Receipt | undefined> {
    const row = this.database
      .sql('SELECT * FROM receipts WHERE campaign_id = ? AND run_id = ? AND phone = ?')
      .get(campaignId, runId, phone) as ReceiptRow | undefined;
    return row && toReceipt(row);
  }

  async listReceipts(
    campaignId: string,
    filter: { status?: Receipt['status']; runId?: string },
    page: PageRequest,
  ): Promise<Page<Receipt>> {
    const [runAfter, phoneAfter] = decodeCursor(page.cursor, ['', '']);
    const size = pageSize(page);
    // Failed and expired receipts, rare, have partial indexes of their own; the dense statuses are
    // filtered along the campaign's primary-key range, which fills a page quickly.
    const sparse = filter.status === 'failed' || filter.status === 'expired';
    const status = filter.status === undefined ? '' : sparse ? `AND status = '${filter.status}'` : 'AND status = ?';
    const statusParam = filter.status === undefined || sparse ? [] : [filter.status];
    const index = sparse ? `INDEXED BY receipts_${filter.status}` : '';
    const rows = (
      filter.runId === undefined
        ? this.database
            .sql(
              `SELECT * FROM receipts ${index} WHERE campaign_id = ? ${status} AND (run_id, phone) > (?, ?)
             ORDER BY run_id, phone LIMIT ?`,
            )
            .all(campaignId, ...statusParam, runAfter, phoneAfter, size + 1)
        : this.database
            .sql(
              `SELECT * FROM receipts ${index} WHERE campaign_id = ? ${status} AND run_id = ? AND phone > ?
             ORDER BY phone LIMIT ?`,
            )
            .all(campaignId, ...statusParam, filter.runId, phoneAfter, size + 1)
    ) as ReceiptRow[];
    const items = rows.slice(0, size).map(toReceipt);
    const last = items[items.length - 1];
    return rows.length > size && last ? { items, nextCursor: encodeCursor([last.runId, last.phone]) } : { items };
  }

  /** Sums the counter rows (a few per run, carrier and status) of the campaign or of one run. */
  async campaignCounts(campaignId: string, runId?: string): Promise<ReceiptCounts> {
    return this.countsByCarrier(campaignId, runId);
  }

  /**
   * Sums the counter rows of every run: by carrier and status, by area and status, and by delivered
   * minute. A few rows per run, carrier, area and minute, however many receipts.
   */
  async campaignProgress(campaignId: string): Promise<ReceiptProgress> {
    // One read transaction: the three tallies come from one snapshot, so they add up to the same total.
    return this.database.read(() => this.progressOf(campaignId));
  }

  async takeDailySlots(run: DailySlotRun, phones: string[], day: string, cap: number): Promise<Set<string>> {
    const granted = new Set<string>();
    if (cap < 1) return granted;
    const alreadyTaken = this.database
      .sql('SELECT 1 FROM daily_slot_runs WHERE phone = ? AND day = ? AND campaign_id = ? AND run_id = ?')
      .pluck();
    const take = this.database
      .sql(
        `INSERT INTO daily_slots (phone, day, n) VALUES (?, ?, 1)
       ON CONFLICT (phone, day) DO UPDATE SET n = n + 1 WHERE n < ? RETURNING phone`,
      )
      .pluck();
    const recordRun = this.database.sql('INSERT INTO daily_slot_runs (phone, day, campaign_id, run_id) VALUES (?, ?, ?, ?)');
    this.database.write(() => {
      for (const phone of new Set(phones)) {
        if (alreadyTaken.get(phone, day, run.campaignId, run.runId) !== undefined) granted.add(phone);
        else if (take.get(phone, day, cap) !== undefined) {
          recordRun.run(phone, day, run.campaignId, run.runId);
          granted.add(phone);
        }
      }
    });
    return granted;
  }

  async receiptsOfPhone(phone: string): Promise<Receipt[]> {
    // One primary-key look-up a run: a number's receipts are found without reading anyone else's.
    const rows = this.database
      .sql(
        `SELECT r.* FROM campaign_runs c
         JOIN receipts r ON r.campaign_id = c.campaign_id AND r.run_id = c.run_id AND r.phone = ?
         ORDER BY r.queued_at, r.campaign_id, r.run_id`,
      )
      .all(phone) as ReceiptRow[];
    return rows.map(toReceipt);
  }

  async pseudonymizeReceipts(receipts: PseudonymizedReceipt[]): Promise<number> {
    const move = this.database.sql('UPDATE OR IGNORE receipts SET phone = ? WHERE campaign_id = ? AND run_id = ? AND phone = ?');
    return this.database.write(() =>
      receipts.reduce((moved, r) => moved + move.run(r.pseudonym, r.campaignId, r.runId, r.phone).changes, 0),
    );
  }

  async receiptsPastRetention(firedBefore: string, limit: number): Promise<ReceiptKey[]> {
    // Numbers are E.164 ('+...') and pseudonyms 'anon_...': the numbers of a run are one primary-key range,
    // so a run already pseudonymized costs one look-up.
    const rows = this.database
      .sql(
        `SELECT r.campaign_id, r.run_id, r.phone FROM campaign_runs c
         JOIN receipts r ON r.campaign_id = c.campaign_id AND r.run_id = c.run_id AND r.phone >= '+' AND r.phone < ','
         WHERE json_extract(c.data, '$.firedAt') < ?
         ORDER BY json_extract(c.data, '$.firedAt'), r.campaign_id, r.run_id, r.phone LIMIT ?`,
      )
      .all(firedBefore, limit) as { campaign_id: string; run_id: string; phone: string }[];
    return rows.map((row) => ({ campaignId: row.campaign_id, runId: row.run_id, phone: row.phone }));
  }

  /**
   * Deletes the daily slots of days before `day` (yyyy-mm-dd), which no cap looks at any more; the embedded
   * runtime's janitor calls it (on AWS, DynamoDB's TTL deletes them).
   */
  forgetDailySlotsBefore(day: string): void {
    this.database.write(() => {
      this.database.sql('DELETE FROM daily_slots WHERE day < ?').run(day);
      this.database.sql('DELETE FROM daily_slot_runs WHERE day < ?').run(day);
    });
  }

  /** Deletes the unmatched delivery reports that arrived before `at` (ISO); the embedded janitor calls it. */
  forgetUnmatchedReportsBefore(at: string): void {
    this.database.write(() => this.database.sql('DELETE FROM unmatched_reports WHERE at < ?').run(at));
  }

  async forgetDailySlots(phone: string, days: string[]): Promise<void> {
    const forgetSlot = this.database.sql('DELETE FROM daily_slots WHERE phone = ? AND day = ?');
    const forgetRuns = this.database.sql('DELETE FROM daily_slot_runs WHERE phone = ? AND day = ?');
    this.database.write(() => {
      for (const day of days) {
        forgetSlot.run(phone, day);
        forgetRuns.run(phone, day);
      }
    });
  }

  private countsByCarrier(campaignId: string, runId?: string): ReceiptCounts {
    const rows = (
      runId === undefined
        ? this.database.sql('SELECT carrier, status, n FROM receipt_counters WHERE campaign_id = ?').all(campaignId)
        : this.database.sql('SELECT carrier, status, n FROM receipt_counters WHERE campaign_id = ? AND run_id = ?').all(campaignId, runId)
    ) as { carrier: string; status: ReceiptStatus; n: number }[];
    const counts: ReceiptCounts = { ...emptyStatusCounts(), byCarrier: {} };
    for (const row of rows) {
      if (row.n === 0) continue;
      const byCarrier = countsUnder(counts.byCarrier, row.carrier);
      counts[row.status] += row.n;
      counts.total += row.n;
      byCarrier[row.status] += row.n;
      byCarrier.total += row.n;
    }
    return counts;
  }

  private progressOf(campaignId: string): ReceiptProgress {
    const counts = this.countsByCarrier(campaignId);
    const areaRows = this.database.sql('SELECT area_code, status, n FROM receipt_area_counters WHERE campaign_id = ?').all(campaignId) as {
      area_code: string;
      status: ReceiptStatus;
      n: number;
    }[];
    const byArea: Record<string, StatusCounts> = {};
    for (const row of areaRows) {
      if (row.n === 0) continue;
      const area = countsUnder(byArea, row.area_code);
      area[row.status] += row.n;
      area.total += row.n;
    }
    const minuteRows = this.database.sql('SELECT minute, n FROM delivered_by_minute WHERE campaign_id = ?').all(campaignId) as {
      minute: string;
      n: number;
    }[];
    const byMinute = new Map<string, number>();
    for (const row of minuteRows) byMinute.set(row.minute, (byMinute.get(row.minute) ?? 0) + row.n);
    const deliveredByMinute = [...byMinute]
      .filter(([, delivered]) => delivered !== 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([minute, delivered]) => ({ minute, delivered }));
    return { ...counts, byArea, deliveredByMinute };
  }
}

function toReceipt(row: ReceiptRow): Receipt {
  return {
    campaignId: row.campaign_id,
    runId: row.run_id,
    phone: row.phone,
    ...(row.carrier !== null && { carrier: row.carrier as Carrier }),
    ...(row.area_code !== null && { areaCode: row.area_code }),
    status: row.status,
    test: row.test === 1,
    ...(row.gateway_id !== null && { gatewayId: row.gateway_id }),
    ...(row.gateway_message_id !== null && { gatewayMessageId: row.gateway_message_id }),
    attempts: row.attempts,
    ...(row.error !== null && { error: row.error }),
    queuedAt: row.queued_at,
    ...(row.submitted_at !== null && { submittedAt: row.submitted_at }),
    ...(row.done_at !== null && { doneAt: row.done_at }),
  };
}

function emptyStatusCounts(): StatusCounts {
  const counts = { total: 0 } as StatusCounts;
  for (const status of RECEIPT_STATUSES) counts[status] = 0;
  return counts;
}

/** The counts kept under `key` (a carrier, an area), new and empty the first time. */
function countsUnder(tallies: Record<string, StatusCounts>, key: string): StatusCounts {
  let counts = tallies[key];
  if (counts === undefined) {
    counts = emptyStatusCounts();
    tallies[key] = counts;
  }
  return counts;
}
