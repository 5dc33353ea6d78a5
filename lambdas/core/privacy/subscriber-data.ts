/**
 * A subscriber's rights under Decree 13/2023/ND-CP: to see everything held on their number (export) and to
 * have it deleted (erase). Erasing keeps what the province must still know, and only under the number's
 * keyed pseudonym: that the number opted out (so it is never messaged again, even if imported anew) and
 * the receipts of what was sent (so campaign counts stay true). Both are audited under the pseudonym,
 * never the number.
 */
import type { Caller } from '../auth/caller.js';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import type { OptOut, Receipt, Subscriber } from '../model.js';
import type { SendOutcome } from '../ports.js';
import { DAILY_SLOT_DAYS_KEPT } from '../receipts/receipt-store.js';
import { maskPhone, requirePhone } from '../subscribers/phone-number.js';
import { addDays, localTime } from '../time/local-time.js';

type SubscriberDataDeps = Pick<Deps, 'audience' | 'receipts' | 'idempotency' | 'audit' | 'clock' | 'config' | 'pseudonymizer'>;

/** What a receipt queued but never sent says once its number is erased. */
export const ERASED_BEFORE_SENDING = 'subscriber erased before sending';

export interface SubscriberData {
  phone: string;
  subscriber?: Subscriber;
  optOut?: OptOut;
  receipts: Receipt[];
  exportedAt: string;
}

export interface Erasure {
  /** What the number's records are now kept under. */
  pseudonym: string;
  subscriberDeleted: boolean;
  /** The opt-out is kept under the pseudonym, so the number stays suppressed. */
  optOutKept: boolean;
  receiptsPseudonymized: number;
  idempotencyRecordsDeleted: number;
}

/** What an erasure left under the pseudonym is not linked back here: that it cannot be is what erasing means. */
export async function exportSubscriberData(deps: SubscriberDataDeps, caller: Caller, phoneInput: string): Promise<SubscriberData> {
  const phone = requirePhone(phoneInput);
  const [subscriber, optOut, receipts] = await Promise.all([
    deps.audience.getSubscriber(phone),
    deps.audience.getOptOut(phone),
    deps.receipts.receiptsOfPhone(phone),
  ]);
  if (!subscriber && !optOut && receipts.length === 0) throw new NotFoundError(`Nothing is held on ${maskPhone(phone)}`);
  await audit(deps, caller.id, 'subscriber.exported', await deps.pseudonymizer.pseudonym(phone), { receipts: receipts.length });
  return {
    phone,
    ...(subscriber && { subscriber }),
    ...(optOut && { optOut }),
    receipts,
    exportedAt: deps.clock.now().toISOString(),
  };
}

export async function eraseSubscriber(
  deps: SubscriberDataDeps,
  caller: Caller,
  input: { phone: string; reason: string },
): Promise<Erasure> {
  const phone = requirePhone(input.phone);
  const pseudonym = await deps.pseudonymizer.pseudonym(phone);
  const now = deps.clock.now();

  // The subscriber goes first, so that no fan-out slice starting now finds the number.
  const { subscriber, optedOut } = await deps.audience.eraseSubscriber(phone, pseudonym);
  const receipts = await deps.receipts.receiptsOfPhone(phone);
  // A message not sent yet never will be: its receipt is failed first, so that its run can finish and no
  // sender finds the number queued.
  const queued = receipts.filter((receipt) => receipt.status === 'queued');
  if (queued.length > 0) await deps.receipts.recordSendOutcomes(queued.map((receipt) => erasedOutcome(receipt, now.toISOString())));
  const receiptsPseudonymized = await deps.receipts.pseudonymizeReceipts(
    receipts.map(({ campaignId, runId }) => ({ campaignId, runId, phone, pseudonym })),
  );
  const today = localTime(now, deps.config.timezone).day;
  await deps.receipts.forgetDailySlots(
    phone,
    Array.from({ length: DAILY_SLOT_DAYS_KEPT + 2 }, (_, i) => addDays(today, 1 - i)),
  );
  const idempotencyRecordsDeleted = await deps.idempotency.deleteIdempotencyRecordsAbout(pseudonym);

  if (!subscriber && !optedOut && receipts.length === 0 && idempotencyRecordsDeleted === 0) {
    throw new NotFoundError(`Nothing is held on ${maskPhone(phone)}`);
  }
  const erasure: Erasure = {
    pseudonym,
    subscriberDeleted: subscriber,
    optOutKept: optedOut,
    receiptsPseudonymized,
    idempotencyRecordsDeleted,
  };
  await audit(deps, caller.id, 'subscriber.erased', pseudonym, { reason: input.reason, ...erasure });
  return erasure;
}

function erasedOutcome(receipt: Receipt, at: string): SendOutcome {
  const { campaignId, runId, phone, attempts } = receipt;
  return { campaignId, runId, phone, status: 'failed', error: ERASED_BEFORE_SENDING, attempts, at };
}
