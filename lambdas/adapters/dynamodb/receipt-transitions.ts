/**
 * The units that move receipts (README.md, "How the hard parts work"): each a conditional write on the
 * receipt's current status, with the counter moves it makes, and what to do when its condition fails.
 * A submission and a report of the same message both write its message id item under a condition, so
 * whichever comes second sees the other and applies it.
 */
import type { Receipt, ReceiptStatus } from '../../core/model.js';
import type { DeliveryReport, SendOutcome } from '../../core/ports.js';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getItem, isConditionFailed, plain, putNew, type Item, type Table } from './items.js';
import { indexKeys, keys } from './keys.js';
import { countedAs, moves, type Counted, type CountedUnit } from './receipt-counters.js';
import { Index, TTL_ATTRIBUTE } from './table.js';
import { UpdateBuilder } from './update-builder.js';

/** Matched message ids are kept for reports arriving late (the receipt expires after 72 h anyway), never past retention. */
const MESSAGE_ID_RETENTION_S = 30 * 24 * 3600;

/** The table, and how long a receipt is kept after its last change (config.retentionDays). */
export interface ReceiptTable extends Table {
  retentionSeconds: number;
}

/** The TTL of a receipt changed at `at`: the retention period later (DynamoDB deletes it within days after). */
function receiptTtl(table: ReceiptTable, at: string): number {
  return Math.floor(Date.parse(at) / 1000) + table.retentionSeconds;
}

/** A new receipt, queued, if there is none for its run and phone yet (else dropped). */
export function queuedUnit(table: ReceiptTable, receipt: Receipt, onApplied: () => void): CountedUnit {
  const { submittedAt: _submitted, doneAt: _done, ...rest } = receipt;
  const { campaignId, runId, phone } = receipt;
  return {
    items: [
      {
        Put: putNew(table, {
          ...plain({ ...rest, status: 'queued' }),
          ...keys.receipt(campaignId, runId, phone),
          ...indexKeys.receipt(campaignId, runId, phone),
          [TTL_ATTRIBUTE]: receiptTtl(table, receipt.queuedAt),
        }),
      },
    ],
    moves: moves(receipt, receipt, undefined, 'queued', receipt.queuedAt),
    unmatched: 0,
    onConditionFailed: async () => undefined,
    onApplied,
  };
}

/**
 * Queued to what the sender learned, for a receipt read as queued with what its counters are keyed by.
 * An accepted submission first points its message id item at the receipt (a single conditional write,
 * outside the transaction), unless the gateway's reports name their receipt.
 */
export async function outcomeUnit(table: ReceiptTable, outcome: SendOutcome, counted: Counted): Promise<CountedUnit> {
  if (outcome.status !== 'submitted') return failedUnit(table, outcome, counted);
  if (outcome.gatewayId === undefined || outcome.gatewayMessageId === undefined || outcome.reportsNameReceipt) {
    return submittedUnit(table, outcome, counted);
  }
  return referredUnit(table, outcome, counted);
}

function failedUnit(table: ReceiptTable, o: SendOutcome, counted: Counted): CountedUnit {
  const update = new UpdateBuilder()
    .set('status', 'failed')
    .set('attempts', o.attempts)
    .set('doneAt', o.at)
    .set(TTL_ATTRIBUTE, receiptTtl(table, o.at))
    .setOrRemove('gatewayId', o.gatewayId)
    .setOrRemove('gatewayMessageId', o.gatewayMessageId)
    .setOrRemove('error', o.error);
  return {
    items: [{ Update: receiptUpdate(table, o, update, 'queued') }],
    moves: moves(o, counted, 'queued', 'failed', o.at),
    unmatched: 0,
    onConditionFailed: async () => undefined,
  };
}

/**
 * The message id item is pointed at the receipt if no report waits on it, in a write of its own: then the
 * receipt moves to submitted. If a report waits (it came first), the receipt moves to the report's status
 * instead. A report that finds the item pointing at a receipt still queued (the receipt's write not done
 * yet, or never: its sender stopped) moves the receipt itself (namedReportUnit), so nothing is lost
 * between the two writes, and the submission's own move is then dropped.
 */
async function referredUnit(table: ReceiptTable, o: SendOutcome, counted: Counted): Promise<CountedUnit> {
  const messageKey = keys.message(o.gatewayId as string, o.gatewayMessageId as string);
  try {
    await table.db.send(
      new UpdateCommand(messageReference(table, o, counted).condition('attribute_not_exists(rStatus)').build(table.tableName, messageKey)),
    );
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    const message = await getItem(table, messageKey);
    if (message?.rStatus === 'delivered' || message?.rStatus === 'failed') return earlyReportUnit(table, o, counted, message);
    return referredUnit(table, o, counted);
  }
  return submittedUnit(table, o, counted);
}

function submittedUnit(table: ReceiptTable, o: SendOutcome, counted: Counted): CountedUnit {
  const update = new UpdateBuilder()
    .set('status', 'submitted')
    .set('attempts', o.attempts)
    .set('submittedAt', o.at)
    .set(TTL_ATTRIBUTE, receiptTtl(table, o.at));
  for (const [attribute, value] of Object.entries(indexKeys.awaitingReport({ ...o, submittedAt: o.at }))) update.set(attribute, value);
  update.setOrRemove('gatewayId', o.gatewayId).setOrRemove('gatewayMessageId', o.gatewayMessageId).setOrRemove('error', o.error);
  return {
    items: [{ Update: receiptUpdate(table, o, update, 'queued') }],
    moves: moves(o, counted, 'queued', 'submitted', o.at),
    unmatched: 0,
    onConditionFailed: async () => undefined,
  };
}

/** Queued straight to the final status of a report that arrived before the submission was recorded. */
function earlyReportUnit(table: ReceiptTable, o: SendOutcome, counted: Counted, message: Item): CountedUnit {
  const gatewayId = o.gatewayId as string;
  const messageId = o.gatewayMessageId as string;
  const status = message.rStatus as 'delivered' | 'failed';
  const update = new UpdateBuilder()
    .set('status', status)
    .set('attempts', o.attempts)
    .set('submittedAt', o.at)
    .set('gatewayId', gatewayId)
    .set('gatewayMessageId', messageId)
    .set('doneAt', message.rAt as string)
    .set(TTL_ATTRIBUTE, receiptTtl(table, o.at))
    .setOrRemove('error', typeof message.rError === 'string' ? message.rError : undefined);
  const reference = messageReference(table, o, counted)
    .remove('rStatus')
    .remove('rError')
    .remove('rAt')
    .condition('rStatus = :waiting', { ':waiting': status });
  return {
    items: [
      { Update: receiptUpdate(table, o, update, 'queued') },
      { Update: reference.build(table.tableName, keys.message(gatewayId, messageId)) },
    ],
    moves: moves(o, counted, 'queued', status, message.rAt as string),
    unmatched: -1,
    onConditionFailed: async (index) => (index === 0 ? undefined : referredUnit(table, o, counted)),
  };
}

/** The message id item names its receipt and what the receipt's counters are keyed by, for its report. */
function messageReference(table: ReceiptTable, o: SendOutcome, counted: Counted): UpdateBuilder {
  return new UpdateBuilder()
    .set('campaignId', o.campaignId)
    .set('runId', o.runId)
    .set('phone', o.phone)
    .setOrRemove('carrier', counted.carrier)
    .setOrRemove('areaCode', counted.areaCode)
    .set(TTL_ATTRIBUTE, Math.floor(Date.parse(o.at) / 1000) + Math.min(MESSAGE_ID_RETENTION_S, table.retentionSeconds));
}

function receiptUpdate(table: Table, r: { campaignId: string; runId: string; phone: string }, update: UpdateBuilder, from: ReceiptStatus) {
  return update.condition('#status = :from', { ':from': from }).build(table.tableName, keys.receipt(r.campaignId, r.runId, r.phone));
}

/** What the report intake counts: reports that moved a receipt, and reports matching none. */
export interface ReportTally {
  applied: number;
  unmatched: number;
}

/**
 * The unit for one report given the message id item as read: apply it to the receipt it points
 * at, or keep it on the item until the submission is recorded (unless `keepUnmatched` is false: then it
 * is only counted). Both sides write the same item under a condition, so whichever comes second sees the
 * other.
 */
export function reportUnit(
  table: ReceiptTable,
  r: DeliveryReport,
  message: Item | undefined,
  result: ReportTally,
  keepUnmatched = true,
): CountedUnit | undefined {
  const messageKey = keys.message(r.gatewayId, r.messageId);
  const reread = async () => reportUnit(table, r, await getItem(table, messageKey), result, keepUnmatched);
  if (typeof message?.campaignId === 'string') {
    const receipt = { campaignId: message.campaignId, runId: message.runId as string, phone: message.phone as string };
    return {
      ...submittedToFinal(table, r, receipt, countedAs(message), result),
      // Already final (a repeated report, or expired): ignored, as the port says. Still queued: the
      // submission is being recorded (or its sender stopped before recording it); the report moves it.
      // Gone (deleted by its TTL before its message id item): ignored too.
      onConditionFailed: async () => {
        const stored = await getItem(table, keys.receipt(receipt.campaignId, receipt.runId, receipt.phone));
        return stored && namedReportUnit(table, r, receipt, stored, result);
      },
    };
  }
  if (message?.rStatus !== undefined || !keepUnmatched) {
    // The same report again while its receipt is still unknown (kept once), or one not to keep: unmatched.
    result.unmatched++;
    return undefined;
  }
  const keep = new UpdateBuilder()
    .set('gatewayId', r.gatewayId)
    .set('messageId', r.messageId)
    .set('rStatus', r.status)
    .set('rAt', r.at)
    .setOrRemove('rError', r.error)
    .condition('attribute_not_exists(campaignId) AND attribute_not_exists(rStatus)');
  return {
    items: [{ Update: keep.build(table.tableName, messageKey) }],
    moves: [],
    unmatched: 1,
    onConditionFailed: reread,
    onApplied: () => void result.unmatched++,
  };
}

/**
 * The unit for a report that names its receipt, given the receipt as read (undefined: no such receipt):
 * submitted with the report's message id moves to the report's status; queued (the report came before the
 * submission was recorded) moves straight there, and the submission's outcome is then ignored; anything
 * else is a report for an older attempt or a receipt already final, ignored.
 */
export function namedReportUnit(
  table: ReceiptTable,
  r: DeliveryReport,
  receipt: { campaignId: string; runId: string; phone: string },
  stored: Item | undefined,
  result: ReportTally,
  keepUnmatched = true,
): CountedUnit | undefined {
  // No such receipt (another stage's, or under a pseudonym already): kept by message id, as any unmatched one.
  if (stored === undefined) return reportUnit(table, r, undefined, result, keepUnmatched);
  const reread = async () =>
    namedReportUnit(
      table,
      r,
      receipt,
      await getItem(table, keys.receipt(receipt.campaignId, receipt.runId, receipt.phone)),
      result,
      keepUnmatched,
    );
  if (stored.status === 'submitted' && stored.gatewayId === r.gatewayId && stored.gatewayMessageId === r.messageId) {
    return { ...submittedToFinal(table, r, receipt, countedAs(stored), result), onConditionFailed: reread };
  }
  if (stored.status !== 'queued') return undefined;
  const update = new UpdateBuilder()
    .set('status', r.status)
    .set('gatewayId', r.gatewayId)
    .set('gatewayMessageId', r.messageId)
    .set('doneAt', r.at)
    .set(TTL_ATTRIBUTE, receiptTtl(table, r.at))
    .setOrRemove('error', r.error);
  return {
    items: [{ Update: receiptUpdate(table, receipt, update, 'queued') }],
    moves: moves(receipt, countedAs(stored), 'queued', r.status, r.at),
    unmatched: 0,
    onConditionFailed: reread,
    onApplied: () => void result.applied++,
  };
}

/** Submitted to the report's status, if still submitted with the report's message id. */
function submittedToFinal(
  table: ReceiptTable,
  r: DeliveryReport,
  receipt: { campaignId: string; runId: string; phone: string },
  counted: Counted,
  result: ReportTally,
): CountedUnit {
  const update = new UpdateBuilder()
    .set('status', r.status)
    .set('doneAt', r.at)
    .set(TTL_ATTRIBUTE, receiptTtl(table, r.at))
    .setOrRemove('error', r.error)
    .remove(Index.receiptsAwaitingReport.pk)
    .remove(Index.receiptsAwaitingReport.sk)
    .condition('#status = :from AND gatewayId = :gatewayId AND gatewayMessageId = :messageId', {
      ':from': 'submitted',
      ':gatewayId': r.gatewayId,
      ':messageId': r.messageId,
    });
  return {
    items: [{ Update: update.build(table.tableName, keys.receipt(receipt.campaignId, receipt.runId, receipt.phone)) }],
    moves: moves(receipt, counted, 'submitted', r.status, r.at),
    unmatched: 0,
    onConditionFailed: async () => undefined,
    onApplied: () => void result.applied++,
  };
}

/**
 * Submitted to expired, if still submitted before the cutoff (the awaiting-report index the candidate
 * came from lags the table a little).
 */
export function expiredUnit(
  table: ReceiptTable,
  candidate: { campaignId: string; runId: string; phone: string; counted: Counted },
  submittedBefore: string,
  onApplied: () => void,
): CountedUnit {
  const { campaignId, runId, phone, counted } = candidate;
  const update = new UpdateBuilder()
    .set('status', 'expired')
    .set(TTL_ATTRIBUTE, receiptTtl(table, submittedBefore))
    .remove(Index.receiptsAwaitingReport.pk)
    .remove(Index.receiptsAwaitingReport.sk)
    .condition('#status = :from AND submittedAt < :before', { ':from': 'submitted', ':before': submittedBefore });
  return {
    items: [{ Update: update.build(table.tableName, keys.receipt(campaignId, runId, phone)) }],
    moves: moves({ campaignId, runId }, counted, 'submitted', 'expired', submittedBefore),
    unmatched: 0,
    onConditionFailed: async () => undefined,
    onApplied,
  };
}
