/**
 * What the embedded runtime forgets on its own, as DynamoDB's TTL and the janitor do on AWS: receipts past
 * the retention period are pseudonymized, answers kept for Idempotency-Key retries go after a day, and
 * daily slots a week after their day.
 */
import type { SqliteStores } from '../adapters/sqlite/sqlite-stores.js';
import type { Deps } from '../core/deps.js';
import { IDEMPOTENCY_RETENTION_HOURS } from '../core/idempotency/idempotency-store.js';
import { pseudonymizeReceiptsPastRetention } from '../core/privacy/retention.js';
import { addDays, localTime } from '../core/time/local-time.js';

/** Records deleted per statement, so that the one SQLite writer is never held for long. */
const DELETE_BATCH = 5_000;
const SLOT_DAYS_KEPT = 7;

/** One pass; true when there may be more to do straight away. */
export async function forgetPastRetention(
  store: Pick<SqliteStores, 'idempotency' | 'receipts'>,
  deps: Pick<Deps, 'receipts' | 'clock' | 'config' | 'pseudonymizer'>,
): Promise<boolean> {
  const now = deps.clock.now();
  const pseudonymized = await pseudonymizeReceiptsPastRetention(deps);
  const idempotencyBefore = new Date(now.getTime() - IDEMPOTENCY_RETENTION_HOURS * 3_600_000).toISOString();
  const deleted = store.idempotency.deleteIdempotencyRecordsBefore(idempotencyBefore, DELETE_BATCH);
  store.receipts.forgetDailySlotsBefore(addDays(localTime(now, deps.config.timezone).day, -SLOT_DAYS_KEPT));
  return pseudonymized > 0 || deleted === DELETE_BATCH;
}
