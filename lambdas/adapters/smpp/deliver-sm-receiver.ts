/**
 * The deliver_sm an SMSC sends: delivery receipts, passed to the report sink as delivery reports, and
 * replies from handsets, which Loa acknowledges and counts but does not handle.
 */
import type { DeliveryReportSink } from '../../core/ports.js';
import { maskPhone } from '../../core/subscribers/phone-number.js';
import { type MessageIdFormats, readDeliveryReceipt } from './delivery-receipt.js';
import type { SmppGatewayEvents } from './smpp-gateway-options.js';
import { EsmClass, type Pdu, sendCoalesced, shortMessageText, type SmppSession } from './smpp-library.js';

const NUMERIC = /^\d+$/;

export class DeliverSmReceiver {
  /** Final delivery receipts passed to the report sink (a repeated receipt counts again). */
  receipts = 0;
  /** deliver_sm that were not receipts: replies from handsets. */
  mobileOriginated = 0;

  constructor(
    private readonly gatewayId: string,
    private readonly messageIds: MessageIdFormats,
    private readonly onReport: DeliveryReportSink,
    private readonly events: SmppGatewayEvents,
  ) {}

  /** Always answered, first: an unanswered deliver_sm is sent again and holds a slot of the SMSC's window. */
  deliverSm(session: SmppSession, pdu: Pdu): void {
    sendCoalesced(session, pdu.response());
    if (((pdu.esm_class ?? 0) & EsmClass.DELIVERY_RECEIPT) !== 0) this.receipt(pdu);
    else this.mobileOriginatedMessage(pdu);
  }

  private receipt(pdu: Pdu): void {
    const reading = readDeliveryReceipt(
      { text: shortMessageText(pdu), receiptedMessageId: pdu.receipted_message_id, messageState: pdu.message_state },
      this.messageIds,
    );
    if (reading.kind === 'unreadable') {
      this.events.log?.('warn', `delivery receipt ignored: ${reading.problem}`);
      return;
    }
    if (reading.kind === 'intermediate') return;
    const now = new Date();
    // The done date has minutes only: the delivery happened before the end of that minute and before now.
    // The earlier of the two is never before the submission, as the start of the minute could be.
    const endOfDoneMinute = reading.doneDate && new Date(reading.doneDate.getTime() + 59_999);
    const at = endOfDoneMinute && endOfDoneMinute < now ? endOfDoneMinute : now;
    this.receipts++;
    try {
      this.onReport({
        gatewayId: this.gatewayId,
        messageId: reading.messageId,
        status: reading.status,
        ...(reading.error !== undefined && { error: reading.error }),
        at: at.toISOString(),
      });
    } catch (error) {
      // Thrown here it would stop the package's PDU loop and leave the session deaf.
      this.events.log?.('error', `delivery report sink failed: ${String(error)}`);
    }
  }

  private mobileOriginatedMessage(pdu: Pdu): void {
    this.mobileOriginated++;
    const from = pdu.source_addr ?? '';
    this.events.log?.(
      'info',
      `mobile-originated message from ${maskPhone(NUMERIC.test(from) ? `+${from}` : from)} acknowledged, not handled`,
    );
  }
}
