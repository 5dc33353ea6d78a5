import type { Deps } from '../deps.js';

const BATCH = 1_000;

/**
 * Submitted messages with no delivery report after the timeout (72 h) will never get one: expired.
 * Works in batches while `keepGoing()` says so (a Lambda stops before its time is up; the next run
 * expires the rest).
 */
export async function expireOverdueReceipts(
  deps: Pick<Deps, 'receipts' | 'clock' | 'config'>,
  keepGoing: () => boolean = () => true,
): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - deps.config.receiptTimeoutHours * 3_600_000).toISOString();
  let total = 0;
  for (;;) {
    const expired = await deps.receipts.expireReceipts(cutoff, BATCH);
    total += expired;
    if (expired < BATCH || !keepGoing()) return total;
  }
}
