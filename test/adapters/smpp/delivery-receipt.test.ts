import { describe, expect, it } from 'vitest';
import {
  formatReceiptText,
  type MessageIdFormats,
  parseReceiptText,
  readDeliveryReceipt,
  receiptMessageId,
  submittedMessageId,
} from '../../../lambdas/adapters/smpp/delivery-receipt.js';

const TEXT_IDS: MessageIdFormats = { submit: 'text', receipt: 'text' };

/** Receipts as published by carriers and aggregators, with where they were published. */
const PUBLISHED = {
  // Vonage (Nexmo) help centre, "How to read a Nexmo SMPP Delivery Receipt".
  vonage: 'id:0000000012345678 sub:001 dlvrd:001 submit date:1601010100 done date:1601010101 stat:DELIVRD err:000 text:none',
  // smppcenter.com knowledge base: a 20-digit id, dates with seconds.
  smppcenter:
    'id:64567564356765435676 sub:001 dlvrd:001 submit date:190608165232 done date:190608165237 stat:DELIVRD err:000 text:Hello World',
  // A receipt quoted on e-com-net.com: undelivered, err 075 (ESME_RINVDSTNPI).
  undelivered: 'id:0911897980 sub:001 dlvrd:000 submit date:1201121551 done date:1201121551 stat:UNDELIV err:075 text:-PROFILE',
  // StackOverflow question 8754853: no text field at all.
  noText: 'id:40072910491427628 sub:001 dlvrd:001 submit date:1007291049 done date:1007291049 stat:DELIVRD err:000',
};

/** A local time in Vietnam (UTC+7), as receipt dates are read. */
function vietnamTime(iso: string): Date {
  return new Date(`${iso}+07:00`);
}

describe('parseReceiptText', () => {
  it('reads every field of a published receipt, dates in Vietnamese local time', () => {
    expect(parseReceiptText(PUBLISHED.vonage)).toEqual({
      id: '0000000012345678',
      sub: '001',
      dlvrd: '001',
      submitDate: vietnamTime('2016-01-01T01:00:00'),
      doneDate: vietnamTime('2016-01-01T01:01:00'),
      stat: 'DELIVRD',
      err: '000',
      text: 'none',
    });
  });

  it('reads dates written with seconds', () => {
    expect(parseReceiptText(PUBLISHED.smppcenter)).toMatchObject({
      id: '64567564356765435676',
      doneDate: vietnamTime('2019-06-08T16:52:37'),
      text: 'Hello World',
    });
  });

  it('reads a receipt without a text field', () => {
    expect(parseReceiptText(PUBLISHED.noText)).toMatchObject({ id: '40072910491427628', stat: 'DELIVRD', err: '000' });
    expect(parseReceiptText(PUBLISHED.noText).text).toBeUndefined();
  });

  it('takes field names in any case and values with extra spaces', () => {
    expect(parseReceiptText('ID: abc123   SUB:1  Submit Date:2603021015 DONE  DATE: 2603021016 Stat: undeliv  Err:1 Text: Hi')).toEqual({
      id: 'abc123',
      sub: '1',
      submitDate: vietnamTime('2026-03-02T10:15:00'),
      doneDate: vietnamTime('2026-03-02T10:16:00'),
      stat: 'undeliv',
      err: '1',
      text: 'Hi',
    });
  });

  it('reads the text field to the end, even when the message itself looks like a field', () => {
    expect(parseReceiptText('id:7 stat:DELIVRD err:000 text:stat:UNDELIV id:8')).toMatchObject({
      id: '7',
      stat: 'DELIVRD',
      text: 'stat:UNDELIV id:8',
    });
  });

  it('leaves out missing fields and dates that are not dates', () => {
    expect(parseReceiptText('id:7 done date:2613011200 stat:EXPIRED')).toEqual({ id: '7', stat: 'EXPIRED' });
  });
});

describe('formatReceiptText', () => {
  it('writes the appendix B format, which parseReceiptText reads back', () => {
    const text = formatReceiptText({
      id: 'A1B2',
      submitDate: vietnamTime('2026-03-02T10:15:00'),
      doneDate: vietnamTime('2026-03-02T10:16:00'),
      stat: 'DELIVRD',
      err: '000',
      text: 'Thong bao tu UBND tinh Dong Nai',
    });

    expect(text).toBe(
      'id:A1B2 sub:001 dlvrd:001 submit date:2603021015 done date:2603021016 stat:DELIVRD err:000 text:Thong bao tu UBND ti',
    );
    expect(parseReceiptText(text)).toMatchObject({ id: 'A1B2', doneDate: vietnamTime('2026-03-02T10:16:00'), stat: 'DELIVRD' });
  });
});

describe('readDeliveryReceipt', () => {
  it.each([
    ['DELIVRD', { status: 'delivered' }],
    ['UNDELIV', { status: 'failed', error: 'UNDELIV err:075' }],
    ['REJECTD', { status: 'failed', error: 'REJECTD err:075' }],
    ['EXPIRED', { status: 'failed', error: 'EXPIRED err:075' }],
    ['DELETED', { status: 'failed', error: 'DELETED err:075' }],
    ['UNKNOWN', { status: 'failed', error: 'UNKNOWN err:075' }],
  ])('reads stat %s as a final report', (stat, expected) => {
    const reading = readDeliveryReceipt({ text: `id:m1 done date:2603021016 stat:${stat} err:075` }, TEXT_IDS);

    expect(reading).toEqual({ kind: 'final', messageId: 'm1', doneDate: vietnamTime('2026-03-02T10:16:00'), ...expected });
  });

  it.each(['ENROUTE', 'ACCEPTD'])('reads stat %s as intermediate: no report yet', (stat) => {
    expect(readDeliveryReceipt({ text: `id:m1 stat:${stat} err:000` }, TEXT_IDS)).toEqual({ kind: 'intermediate', messageId: 'm1', stat });
  });

  it('reads the published undelivered receipt as failed with its stat and err', () => {
    expect(readDeliveryReceipt({ text: PUBLISHED.undelivered }, { submit: 'decimal', receipt: 'decimal' })).toMatchObject({
      kind: 'final',
      messageId: '911897980',
      status: 'failed',
      error: 'UNDELIV err:075',
    });
  });

  it('prefers the message_state TLV to the stat of the text', () => {
    expect(readDeliveryReceipt({ text: 'id:m1 stat:DELIVRD err:000', messageState: 5 }, TEXT_IDS)).toMatchObject({
      status: 'failed',
      error: 'UNDELIV err:000',
    });
  });

  it('needs no text at all when the TLVs say everything', () => {
    expect(readDeliveryReceipt({ text: '', receiptedMessageId: 'M1', messageState: 2 }, TEXT_IDS)).toEqual({
      kind: 'final',
      messageId: 'm1',
      status: 'delivered',
    });
  });

  it('does not guess at a state it does not know', () => {
    expect(readDeliveryReceipt({ text: 'id:m1 stat:PENDING err:000' }, TEXT_IDS)).toEqual({
      kind: 'unreadable',
      problem: 'unknown receipt state "PENDING"',
    });
  });

  it('cannot read a receipt without a message id', () => {
    expect(readDeliveryReceipt({ text: 'stat:DELIVRD err:000' }, TEXT_IDS)).toMatchObject({ kind: 'unreadable' });
  });
});

describe('matching receipt ids with submit_sm_resp ids', () => {
  it('lower-cases the id kept for a submitted message', () => {
    expect(submittedMessageId('6F3A-B2C1', 'text')).toBe('6f3a-b2c1');
  });

  it('matches a receipt whose id differs only in case', () => {
    const kept = submittedMessageId('Ab12Cd', 'text');

    expect(receiptMessageId('AB12CD', undefined, TEXT_IDS)).toBe(kept);
  });

  it('converts a 20-digit decimal receipt id to the hexadecimal of the submit_sm_resp', () => {
    const kept = submittedMessageId('C0DE000000000001', 'hex');

    expect(receiptMessageId('13897545500111929345', undefined, { submit: 'hex', receipt: 'decimal' })).toBe(kept);
  });

  it('converts a hexadecimal receipt id to the decimal of the submit_sm_resp', () => {
    const kept = submittedMessageId('64567564356765435676', 'decimal');

    expect(receiptMessageId('3800E11B0592D471C', undefined, { submit: 'decimal', receipt: 'hex' })).toBe(kept);
  });

  it('matches numeric ids whatever their leading zeros', () => {
    const kept = submittedMessageId('12345678', 'decimal');

    expect(readDeliveryReceipt({ text: PUBLISHED.vonage }, { submit: 'decimal', receipt: 'decimal' })).toMatchObject({ messageId: kept });
  });

  it('prefers receipted_message_id, which has the submit_sm_resp format, to the text id', () => {
    const kept = submittedMessageId('C0DE000000000001', 'hex');

    expect(receiptMessageId('13897545500111929345', 'C0DE000000000001', { submit: 'hex', receipt: 'decimal' })).toBe(kept);
  });

  it('does not match when the receipt base is configured wrong', () => {
    const kept = submittedMessageId('C0DE000000000001', 'hex');

    expect(receiptMessageId('13897545500111929345', undefined, { submit: 'hex', receipt: 'hex' })).not.toBe(kept);
  });

  it('keeps an id that is no number in its configured base as it is, to be counted as unmatched', () => {
    expect(receiptMessageId('XYZ-1', undefined, { submit: 'hex', receipt: 'decimal' })).toBe('xyz-1');
  });
});
