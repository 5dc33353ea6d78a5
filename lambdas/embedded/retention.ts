/**
 * What the embedded runtime forgets on its own, as DynamoDB's TTL and the janitor do on AWS: receipts past
 * the retention period are pseudonymized, answers kept for Idempotency-Key retries go after a day, daily
 * slots a week after their day, and delivery reports that matched no receipt after 30 days.
 */
import type { SqliteStores } from '../adapters/sqlite/sqlite-stores.js';
import type { Deps } from '../core/deps.js';
import { IDEMPOTENCY_RETENTION_HOURS } from '../core/idempotency/idempotency-store.js';
import { pseudonymizeReceiptsPastRetention } from '../core/privacy/retention.js';
import { DAILY_SLOT_DAYS_KEPT } from '../core/receipts/receipt-store.js';
import { addDays, localTime } from '../core/time/local-time.js';

/** Records deleted per statement, so that the one SQLite writer is never held for long. */
const DELETE_BATCH = 5_000;
/** A delivery report that matched no receipt in a month never will: its message is long expired. */
const UNMATCHED_REPORT_DAYS = 30;

/** One pass; true when there may be more to do straight away. */
export async function forgetPastRetention(
  store: Pick<SqliteStores, 'idempotency' | 'receipts'>,
  deps: Pick<Deps, 'receipts' | 'clock' | 'config' | 'pseudonymizer'>,
): Promise<boolean> {
  const now = deps.clock.now();
  // One batch a pass: SQLite is synchronous, and the worker loop lets requests and senders in between.
  const pseudonymized = await pseudonymizeReceiptsPastRetention(deps, () => false);
  const idempotencyBefore = new Date(now.getTime() - IDEMPOTENCY_RETENTION_HOURS * 3_600_000).toISOString();
  const deleted = store.idempotency.deleteIdempotencyRecordsBefore(idempotencyBefore, DELETE_BATCH);
  store.receipts.forgetDailySlotsBefore(addDays(localTime(now, deps.config.timezone).day, -DAILY_SLOT_DAYS_KEPT));
  store.receipts.forgetUnmatchedReportsBefore(new Date(now.getTime() - UNMATCHED_REPORT_DAYS * 86_400_000).toISOString());
  return pseudonymized > 0 || deleted === DELETE_BATCH;
}
