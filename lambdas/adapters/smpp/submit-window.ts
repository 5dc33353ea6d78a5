/**
 * The submit_sm of an SMPP gateway on the wire: parts queue for the bind and for a slot of the window,
 * wait out a throttle pause, and each gets an answer: the SMSC's, or a timeout.
 *
 * The `smpp` package has no window and no response timeout; both are kept here. The gateway's one interval
 * calls `expire`, which keeps the time of every waiting part (response timeouts, waits for a rebind), so
 * that a busy gateway does not start and clear a timer a PDU.
 */
import type { SubmitResult } from '../../core/ports.js';
import { submittedMessageId } from './delivery-receipt.js';
import type { SmppGatewayOptions } from './smpp-gateway-options.js';
import { CommandStatus, describeCommandStatus, newPdu, type Pdu, sendCoalesced, type SmppSession } from './smpp-library.js';
import type { SmppLink } from './smpp-link.js';
import type { SubmitSmFields } from './smpp-message-parts.js';
import { notSent, outcomeOfCommandStatus } from './submit-outcomes.js';

/** The pause after a throttled answer: it doubles with each throttled answer to a part sent after it. */
const THROTTLE_PAUSE_MIN_MS = 100;
const THROTTLE_PAUSE_MAX_MS = 2_000;

interface QueuedPart {
  fields: SubmitSmFields;
  queuedAt: number;
  settle(result: SubmitResult): void;
}

interface OutstandingPart {
  settle(result: SubmitResult): void;
  /** Order of sending, to tell the answers to parts sent before a throttle pause from those sent after. */
  serial: number;
  deadline: number;
  sequence: number;
}

export class SubmitWindow {
  /** submit_sm answered ESME_RTHROTTLED or ESME_RMSGQFUL. */
  throttledAnswers = 0;
  /** Parts waiting for a bind, a window slot or the end of a throttle pause, oldest first from `queueHead`. */
  private queue: QueuedPart[] = [];
  private queueHead = 0;
  /** By sequence number; insertion order is sending order, so deadlines ascend. */
  private readonly outstanding = new Map<number, OutstandingPart>();
  private sentParts = 0;
  private pauseMs = 0;
  private pausedUntil = 0;
  private pauseCoversPartsFrom = 0;
  private pauseTimer: NodeJS.Timeout | undefined;
  private notBoundSince = Date.now();
  private drained: (() => void) | undefined;

  constructor(
    private readonly transmitter: SmppLink,
    private readonly options: Pick<SmppGatewayOptions, 'window' | 'responseTimeoutMs' | 'messageIds'>,
  ) {}

  /** submit_sm PDUs sent and not yet answered. */
  get outstandingParts(): number {
    return this.outstanding.size;
  }

  submit(fields: SubmitSmFields): Promise<SubmitResult> {
    return new Promise((settle) => {
      this.queue.push({ fields, queuedAt: Date.now(), settle });
      this.pump();
    });
  }

  /** Sends queued parts while the transmitter is bound, the window has room and no throttle pause holds. */
  pump(): void {
    const session = this.transmitter.session;
    if (session === undefined) return;
    while (this.queueHead < this.queue.length && this.outstanding.size < this.options.window) {
      const now = Date.now();
      if (now < this.pausedUntil) {
        this.pauseTimer ??= setTimeout(() => {
          this.pauseTimer = undefined;
          this.pump();
        }, this.pausedUntil - now);
        return;
      }
      this.transmit(session, this.dequeue()!, now);
    }
  }

  /** Answers the parts whose submit_sm_resp is overdue, and the queued parts that waited too long for a bind. */
  expire(now: number): void {
    for (const [sequence, entry] of this.outstanding) {
      if (entry.deadline > now) break;
      this.outstanding.delete(sequence);
      entry.settle({ outcome: 'transient', uncertain: true, reason: `no submit_sm_resp within ${this.options.responseTimeoutMs} ms` });
    }
    if (!this.transmitter.bound) {
      const waitedTooLong = (part: QueuedPart) => now - Math.max(part.queuedAt, this.notBoundSince) >= this.options.responseTimeoutMs;
      while (this.queueHead < this.queue.length && waitedTooLong(this.queue[this.queueHead]!)) {
        this.dequeue()!.settle(notSent(`not bound to the SMSC for ${this.options.responseTimeoutMs} ms`));
      }
    }
  }

  /** The parts sent may or may not have reached the SMSC: answered uncertain. */
  transmitterLost(reason: string): void {
    this.notBoundSince = Date.now();
    for (const entry of this.outstanding.values()) {
      entry.settle({ outcome: 'transient', uncertain: true, reason: `connection lost before the submit_sm_resp (${reason})` });
    }
    this.outstanding.clear();
    this.afterSettling();
  }

  /** Sends what the window has room for now that parts were answered, and tells `drain` when none is left. */
  afterSettling(): void {
    this.pump();
    if (this.drained !== undefined && this.outstanding.size === 0) {
      this.drained();
      this.drained = undefined;
    }
  }

  /** Parts not yet sent are answered transient; resolves once those sent have their answer or timed out. */
  async drain(): Promise<void> {
    while (this.queueHead < this.queue.length) this.dequeue()!.settle(notSent('the gateway is closing'));
    if (this.outstanding.size > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    clearTimeout(this.pauseTimer);
  }

  private transmit(session: SmppSession, part: QueuedPart, now: number): void {
    const request = newPdu('submit_sm', part.fields);
    const entry: OutstandingPart = {
      settle: part.settle,
      serial: this.sentParts++,
      deadline: now + this.options.responseTimeoutMs,
      sequence: 0,
    };
    const sent = sendCoalesced(session, request, (response) => this.submitAnswered(entry, response));
    if (!sent) {
      part.settle(notSent('the connection closed before the submit_sm was written'));
      return;
    }
    entry.sequence = request.sequence_number;
    this.outstanding.set(entry.sequence, entry);
  }

  private submitAnswered(entry: OutstandingPart, response: Pdu): void {
    // Not ours any more when it timed out first: the timeout already answered.
    if (this.outstanding.get(entry.sequence) !== entry) return;
    this.outstanding.delete(entry.sequence);
    entry.settle(this.resultOf(response, entry));
    this.afterSettling();
  }

  private resultOf(response: Pdu, entry: OutstandingPart): SubmitResult {
    const status = response.command_status;
    if (status === CommandStatus.ESME_ROK) {
      if (entry.serial >= this.pauseCoversPartsFrom) this.pauseMs = 0;
      // Accepted, so resending could deliver it twice; but with no id no receipt could ever find it.
      if (!response.message_id) return { outcome: 'transient', uncertain: true, reason: 'the SMSC accepted the part without a message id' };
      return { outcome: 'accepted', messageId: submittedMessageId(response.message_id, this.options.messageIds.submit) };
    }
    const outcome = outcomeOfCommandStatus(status);
    if (outcome === 'throttled') this.throttled(entry.serial);
    return { outcome, reason: `submit_sm refused: ${describeCommandStatus(status)}` };
  }

  /** Parts sent before the current pause began got their throttled answer for the same excess: no doubling. */
  private throttled(serial: number): void {
    this.throttledAnswers++;
    if (serial < this.pauseCoversPartsFrom) return;
    this.pauseMs = this.pauseMs === 0 ? THROTTLE_PAUSE_MIN_MS : Math.min(this.pauseMs * 2, THROTTLE_PAUSE_MAX_MS);
    this.pausedUntil = Date.now() + this.pauseMs;
    this.pauseCoversPartsFrom = this.sentParts;
  }

  private dequeue(): QueuedPart | undefined {
    const part = this.queue[this.queueHead];
    if (part === undefined) return undefined;
    this.queueHead++;
    // Drop the answered head now and then rather than shift() each time, which copies the array.
    if (this.queueHead >= 1024 && this.queueHead * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    return part;
  }
}
