/**
 * Data is kept no longer than its purpose needs (Decree 13/2023/ND-CP): receipts of runs fired more than
 * `retentionDays` ago keep the number's pseudonym instead of the number. Campaign counts and progress are
 * counters, untouched; a person's old messages stay countable, no longer attributable.
 */
import type { Deps } from '../deps.js';

const DAY_MS = 86_400_000;
/** Receipts pseudonymized per store call: one SQLite transaction, or a few hundred DynamoDB transactions. */
const BATCH = 500;

export async function pseudonymizeReceiptsPastRetention(
  deps: Pick<Deps, 'receipts' | 'clock' | 'config' | 'pseudonymizer'>,
  keepGoing: () => boolean = () => true,
): Promise<number> {
  const firedBefore = new Date(deps.clock.now().getTime() - deps.config.retentionDays * DAY_MS).toISOString();
  let moved = 0;
  for (;;) {
    const due = await deps.receipts.receiptsPastRetention(firedBefore, BATCH);
    if (due.length === 0) return moved;
    const withPseudonyms = await Promise.all(
      due.map(async (receipt) => ({ ...receipt, pseudonym: await deps.pseudonymizer.pseudonym(receipt.phone) })),
    );
    const movedNow = await deps.receipts.pseudonymizeReceipts(withPseudonyms);
    moved += movedNow;
    // A batch that moved nothing would come back unchanged: the next pass tries again rather than spin.
    if (movedNow === 0 || due.length < BATCH || !keepGoing()) return moved;
  }
}
