/**
 * SMSC delivery receipts: the text carried in a deliver_sm with esm_class 0x04, in the de facto format of
 * SMPP 3.4 appendix B, plus the TLVs receipted_message_id and message_state; what they mean for the
 * message; and how their message id is matched with the id the submit_sm_resp gave.
 *
 *   id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...
 */
import type { DeliveryReport } from '../../core/ports.js';
import { MessageState } from './smpp-library.js';

export interface ReceiptText {
  id?: string;
  sub?: string;
  dlvrd?: string;
  submitDate?: Date;
  doneDate?: Date;
  stat?: string;
  err?: string;
  text?: string;
}

/** How a carrier writes message ids: as opaque text, or as a number in hexadecimal or decimal. */
export type MessageIdFormat = 'text' | 'hex' | 'decimal';

/**
 * Per gateway: the format of the submit_sm_resp ids, and of the id in the receipt text. Carriers differ
 * (SMPP 3.3 habits linger: hex in one, decimal in the other), so this is configured, never guessed.
 */
export interface MessageIdFormats {
  submit: MessageIdFormat;
  receipt: MessageIdFormat;
}

export type ReceiptReading =
  | { kind: 'final'; messageId: string; status: DeliveryReport['status']; error?: string; doneDate?: Date }
  /** ENROUTE, ACCEPTD and the like: the carrier still has the message; a final receipt follows. */
  | { kind: 'intermediate'; messageId: string; stat: string }
  | { kind: 'unreadable'; problem: string };

/**
 * Vietnamese carriers stamp receipt dates in local time (the text carries no zone); Vietnam is UTC+7
 * all year.
 */
const RECEIPT_UTC_OFFSET_MINUTES = 7 * 60;

/** Each stat word and what it means; the 7-letter forms of appendix B, and spellings seen in the wild. */
const STAT_MEANINGS: Readonly<Record<string, DeliveryReport['status'] | 'intermediate'>> = {
  DELIVRD: 'delivered',
  DELIVERED: 'delivered',
  UNDELIV: 'failed',
  UNDELIVERABLE: 'failed',
  REJECTD: 'failed',
  REJECTED: 'failed',
  EXPIRED: 'failed',
  DELETED: 'failed',
  UNKNOWN: 'failed',
  ENROUTE: 'intermediate',
  ACCEPTD: 'intermediate',
  ACCEPTED: 'intermediate',
};

/** message_state TLV values as their stat words. */
const STAT_OF_MESSAGE_STATE: Readonly<Record<number, string>> = {
  [MessageState.ENROUTE]: 'ENROUTE',
  [MessageState.DELIVERED]: 'DELIVRD',
  [MessageState.EXPIRED]: 'EXPIRED',
  [MessageState.DELETED]: 'DELETED',
  [MessageState.UNDELIVERABLE]: 'UNDELIV',
  [MessageState.ACCEPTED]: 'ACCEPTD',
  [MessageState.UNKNOWN]: 'UNKNOWN',
  [MessageState.REJECTED]: 'REJECTD',
};

/** A field name and its colon; "submit date" also written submit_date or submitdate by some SMSCs. */
const FIELD = /(?:^|\s)(id|sub|dlvrd|submit[\s_]*date|done[\s_]*date|stat|err|text)\s*:/gi;

/**
 * Reads the fields of a receipt text, whatever their case or spacing, and whichever are missing. `text:`
 * runs to the end, as it holds the start of the message, which may itself contain "stat:".
 */
export function parseReceiptText(receipt: string): ReceiptText {
  const matches = [...receipt.matchAll(FIELD)];
  const fields: ReceiptText = {};
  for (const [index, match] of matches.entries()) {
    const name = match[1]!.toLowerCase().replace(/[\s_]/g, '');
    const start = match.index + match[0].length;
    if (name === 'text') {
      fields.text = receipt.slice(start).trim();
      break;
    }
    const value = receipt.slice(start, matches[index + 1]?.index ?? receipt.length).trim();
    if (name === 'submitdate' || name === 'donedate') {
      const date = parseReceiptDate(value);
      if (date !== undefined) fields[name === 'submitdate' ? 'submitDate' : 'doneDate'] = date;
    } else {
      fields[name as 'id' | 'sub' | 'dlvrd' | 'stat' | 'err'] = value;
    }
  }
  return fields;
}

export interface ReceiptTextFields {
  id: string;
  submitDate: Date;
  doneDate: Date;
  stat: string;
  err: string;
  /** The first characters of the message; appendix B says 20. */
  text?: string;
}

/** The appendix B text, as an SMSC sends it: one part submitted, dates in local time to the minute. */
export function formatReceiptText(fields: ReceiptTextFields): string {
  const delivered = STAT_MEANINGS[fields.stat] === 'delivered' ? '001' : '000';
  return (
    `id:${fields.id} sub:001 dlvrd:${delivered} submit date:${formatReceiptDate(fields.submitDate)}` +
    ` done date:${formatReceiptDate(fields.doneDate)} stat:${fields.stat} err:${fields.err}` +
    ` text:${(fields.text ?? '').slice(0, 20)}`
  );
}

/**
 * What a receipt says. The message_state TLV, the standard field, wins over the stat word of the text,
 * which appendix B only gives as an example; err comes from the text, the TLVs having no such field.
 */
export function readDeliveryReceipt(
  receipt: { text: string; receiptedMessageId?: string; messageState?: number },
  formats: MessageIdFormats,
): ReceiptReading {
  const fields = parseReceiptText(receipt.text);
  const messageId = receiptMessageId(fields.id, receipt.receiptedMessageId, formats);
  if (messageId === undefined) return { kind: 'unreadable', problem: 'no message id in the receipt' };
  const stat = (receipt.messageState === undefined ? undefined : STAT_OF_MESSAGE_STATE[receipt.messageState]) ?? fields.stat?.toUpperCase();
  if (stat === undefined) return { kind: 'unreadable', problem: 'no stat and no message_state in the receipt' };
  const meaning = Object.hasOwn(STAT_MEANINGS, stat) ? STAT_MEANINGS[stat] : undefined;
  if (meaning === undefined) return { kind: 'unreadable', problem: `unknown receipt state "${stat}"` };
  if (meaning === 'intermediate') return { kind: 'intermediate', messageId, stat };
  const doneDate = fields.doneDate === undefined ? {} : { doneDate: fields.doneDate };
  if (meaning === 'delivered') return { kind: 'final', messageId, status: 'delivered', ...doneDate };
  const error = fields.err === undefined || fields.err === '' ? stat : `${stat} err:${fields.err}`;
  return { kind: 'final', messageId, status: 'failed', error, ...doneDate };
}

/**
 * The id we keep for a submitted message: the submit_sm_resp id lower-cased, and for a numeric format
 * without leading zeros, so that it equals a receipt id converted from another base (which has none).
 */
export function submittedMessageId(id: string, format: MessageIdFormat): string {
  return canonicalMessageId(id.trim(), format);
}

/**
 * The receipt's message id in the form `submittedMessageId` keeps. receipted_message_id is preferred: SMPP
 * 3.4 gives it the format of the submit_sm_resp id. Else the text id is converted from the receipt's base
 * to the submit's (BigInt: 20-digit ids exceed a double). An id that is not a number in the base it should
 * be in is kept as it is; it will match nothing and be counted as unmatched, never guessed at.
 */
export function receiptMessageId(
  textId: string | undefined,
  receiptedMessageId: string | undefined,
  formats: MessageIdFormats,
): string | undefined {
  const tlvId = receiptedMessageId?.trim();
  if (tlvId) return canonicalMessageId(tlvId, formats.submit);
  if (!textId) return undefined;
  const value = numericValue(textId, formats.receipt);
  if (value === undefined || formats.submit === 'text') return textId.toLowerCase();
  return formats.submit === 'hex' ? value.toString(16) : value.toString(10);
}

function canonicalMessageId(id: string, format: MessageIdFormat): string {
  const value = numericValue(id, format);
  return value === undefined ? id.toLowerCase() : format === 'hex' ? value.toString(16) : value.toString(10);
}

const DIGITS: Readonly<Record<MessageIdFormat, RegExp | undefined>> = {
  text: undefined,
  hex: /^[0-9a-f]+$/i,
  decimal: /^\d+$/,
};

function numericValue(id: string, format: MessageIdFormat): bigint | undefined {
  const digits = DIGITS[format];
  if (digits === undefined || !digits.test(id)) return undefined;
  return BigInt(format === 'hex' ? `0x${id}` : id);
}

/** yyMMddhhmm, or yyMMddhhmmss as some SMSCs write it, in the SMSC's local time. */
function parseReceiptDate(value: string): Date | undefined {
  const match = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?$/.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const local = new Date(Date.UTC(2000 + year, month - 1, day, hour, minute, second));
  // Date.UTC rolls a 13th month or a 25th hour over into the next one; such a field is no date.
  const rolledOver =
    local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day || local.getUTCHours() !== hour || local.getUTCMinutes() !== minute;
  return rolledOver ? undefined : new Date(local.getTime() - RECEIPT_UTC_OFFSET_MINUTES * 60_000);
}

function formatReceiptDate(date: Date): string {
  const local = new Date(date.getTime() + RECEIPT_UTC_OFFSET_MINUTES * 60_000);
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    two(local.getUTCFullYear() % 100) +
    two(local.getUTCMonth() + 1) +
    two(local.getUTCDate()) +
    two(local.getUTCHours()) +
    two(local.getUTCMinutes())
  );
}
