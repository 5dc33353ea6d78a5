/**
 * The units that move receipts (README.md, "How the hard parts work"): each a conditional write on the
 * receipt's current status, with the counter moves it makes, and what to do when its condition fails.
 * A submission and a report of the same message both write its message id item under a condition, so
 * whichever comes second sees the other and applies it.
 */
import type { Receipt, ReceiptStatus } from '../../core/model.js';
import type { DeliveryReport, SendOutcome } from '../../core/ports.js';
import { getItem, plain, putNew, type Item, type Table } from './items.js';
import { indexKeys, keys } from './keys.js';
import { countedAs, moves, type Counted, type CountedUnit } from './receipt-counters.js';
import { Index, TTL_ATTRIBUTE } from './table.js';
import { UpdateBuilder } from './update-builder.js';
import type { TransactItem } from './write-engine.js';

/** Matched message ids are kept for reports arriving late; the receipt expires after 72 h anyway. */
const MESSAGE_ID_RETENTION_S = 30 * 24 * 3600;

/** A new receipt, queued, if there is none for its run and phone yet (else dropped). */
export function queuedUnit(table: Table, receipt: Receipt, onApplied: () => void): CountedUnit {
  const { submittedAt: _submitted, doneAt: _done, ...rest } = receipt;
  const { campaignId, runId, phone } = receipt;
  return {
    items: [
      {
        Put: putNew(table, {
          ...plain({ ...rest, status: 'queued' }),
          ...keys.receipt(campaignId, runId, phone),
          ...indexKeys.receipt(campaignId, runId, phone),
        }),
      },
    ],
    moves: moves(receipt, receipt, undefined, 'queued', receipt.queuedAt),
    unmatched: 0,
    onConditionFailed: async () => undefined,
    onApplied,
  };
}

/** Queued to what the sender learned, for a receipt read as queued with what its counters are keyed by. */
export function outcomeUnit(table: Table, outcome: SendOutcome, counted: Counted): CountedUnit {
  return outcome.status === 'submitted' ? submittedUnit(table, outcome, counted) : failedUnit(table, outcome, counted);
}

function failedUnit(table: Table, o: SendOutcome, counted: Counted): CountedUnit {
  const update = new UpdateBuilder()
    .set('status', 'failed')
    .set('attempts', o.attempts)
    .set('doneAt', o.at)
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
 * Queued to submitted, and the message id item points at the receipt. The message id item is
 * written only if no report waits on it; if one does (the report came first), the unit is replaced by
 * one that applies it.
 */
function submittedUnit(table: Table, o: SendOutcome, counted: Counted): CountedUnit {
  const update = new UpdateBuilder().set('status', 'submitted').set('attempts', o.attempts).set('submittedAt', o.at);
  for (const [attribute, value] of Object.entries(indexKeys.awaitingReport({ ...o, submittedAt: o.at }))) update.set(attribute, value);
  update.setOrRemove('gatewayId', o.gatewayId).setOrRemove('gatewayMessageId', o.gatewayMessageId).setOrRemove('error', o.error);
  const items: TransactItem[] = [{ Update: receiptUpdate(table, o, update, 'queued') }];
  const gatewayId = o.gatewayId;
  const messageId = o.gatewayMessageId;
  if (gatewayId !== undefined && messageId !== undefined) {
    const reference = messageReference(o, counted).condition('attribute_not_exists(rStatus)');
    items.push({ Update: reference.build(table.tableName, keys.message(gatewayId, messageId)) });
  }
  return {
    items,
    moves: moves(o, counted, 'queued', 'submitted', o.at),
    unmatched: 0,
    onConditionFailed: async (index) => {
      if (index === 0 || gatewayId === undefined || messageId === undefined) return undefined;
      const message = await getItem(table, keys.message(gatewayId, messageId));
      if (message?.rStatus === 'delivered' || message?.rStatus === 'failed') {
        return earlyReportUnit(table, o, counted, message);
      }
      return submittedUnit(table, o, counted);
    },
  };
}

/** Queued straight to the final status of a report that arrived before the submission was recorded. */
function earlyReportUnit(table: Table, o: SendOutcome, counted: Counted, message: Item): CountedUnit {
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
    .setOrRemove('error', typeof message.rError === 'string' ? message.rError : undefined);
  const reference = messageReference(o, counted)
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
    onConditionFailed: async (index) => (index === 0 ? undefined : submittedUnit(table, o, counted)),
  };
}

/** The message id item names its receipt and what the receipt's counters are keyed by, for its report. */
function messageReference(o: SendOutcome, counted: Counted): UpdateBuilder {
  return new UpdateBuilder()
    .set('campaignId', o.campaignId)
    .set('runId', o.runId)
    .set('phone', o.phone)
    .setOrRemove('carrier', counted.carrier)
    .setOrRemove('areaCode', counted.areaCode)
    .set(TTL_ATTRIBUTE, Math.floor(Date.parse(o.at) / 1000) + MESSAGE_ID_RETENTION_S);
}

function receiptUpdate(table: Table, r: { campaignId: string; runId: string; phone: string }, update: UpdateBuilder, from: ReceiptStatus) {
  return update.condition('#status = :from', { ':from': from }).build(table.tableName, keys.receipt(r.campaignId, r.runId, r.phone));
}

/**
 * The unit for one report given the message id item as read: apply it to the receipt it points
 * at, or keep it on the item until the submission is recorded. Both sides write the same item under
 * a condition, so whichever comes second sees the other.
 */
export function reportUnit(
  table: Table,
  r: DeliveryReport,
  message: Item | undefined,
  result: { applied: number; unmatched: number },
): CountedUnit | undefined {
  const messageKey = keys.message(r.gatewayId, r.messageId);
  const reread = async () => reportUnit(table, r, await getItem(table, messageKey), result);
  if (typeof message?.campaignId === 'string') {
    const campaignId = message.campaignId;
    const runId = message.runId as string;
    const phone = message.phone as string;
    const update = new UpdateBuilder()
      .set('status', r.status)
      .set('doneAt', r.at)
      .setOrRemove('error', r.error)
      .remove(Index.receiptsAwaitingReport.pk)
      .remove(Index.receiptsAwaitingReport.sk)
      .condition('#status = :from AND gatewayId = :gatewayId AND gatewayMessageId = :messageId', {
        ':from': 'submitted',
        ':gatewayId': r.gatewayId,
        ':messageId': r.messageId,
      });
    return {
      items: [{ Update: update.build(table.tableName, keys.receipt(campaignId, runId, phone)) }],
      moves: moves({ campaignId, runId }, countedAs(message), 'submitted', r.status, r.at),
      unmatched: 0,
      // Already final (a repeated report, or expired): ignored, as the port says.
      onConditionFailed: async () => undefined,
      onApplied: () => void result.applied++,
    };
  }
  if (message?.rStatus !== undefined) {
    // The same report again while its receipt is still unknown: kept once, reported as unmatched.
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
 * Submitted to expired, if still submitted before the cutoff (the awaiting-report index the candidate
 * came from lags the table a little).
 */
export function expiredUnit(
  table: Table,
  candidate: { campaignId: string; runId: string; phone: string; counted: Counted },
  submittedBefore: string,
  onApplied: () => void,
): CountedUnit {
  const { campaignId, runId, phone, counted } = candidate;
  const update = new UpdateBuilder()
    .set('status', 'expired')
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
