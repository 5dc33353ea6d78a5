/**
 * A carrier's or aggregator's SMSC over SMPP 3.4 as a Gateway: binds, submits each part of a message as
 * a submit_sm within a window, reads delivery receipts from deliver_sm, and keeps the bind up (enquire_link
 * when idle, reconnection with backoff after a drop or an unbind from the SMSC) until closed.
 *
 * The `smpp` package has no window and no response timeout; both are kept here. One interval keeps the
 * time of every PDU and of every waiting part (response timeouts, waits for a rebind, enquire_link), so
 * that a busy gateway does not start and clear a timer a PDU.
 *
 * A message of several parts is accepted only when every part is; its message id is that of the last
 * part, the one that asks for the delivery receipt (smpp-message-parts.ts says why only that one).
 */
import type { DeliveryReportSink, Gateway, OutgoingSms, SubmitResult } from '../../core/ports.js';
import { maskPhone } from '../../core/subscribers/phone-number.js';
import { type MessageIdFormats, readDeliveryReceipt, submittedMessageId } from './delivery-receipt.js';
import {
  CommandStatus,
  connectSession,
  describeCommandStatus,
  EsmClass,
  newPdu,
  type Pdu,
  sendCoalesced,
  shortMessageText,
  SMPP_VERSION_3_4,
  type SmppSession,
} from './smpp-library.js';
import { type SplitMode, type SubmitSmFields, submitSmParts } from './smpp-message-parts.js';

export interface SmppGatewayOptions {
  id: string;
  host: string;
  port: number;
  systemId: string;
  password: string;
  /** '' when the SMSC does not ask for one. */
  systemType: string;
  /** A brandname (alphanumeric, at most 11 characters) or a number. */
  sourceAddr: string;
  /** Message parts a second, exposed as messagesPerSecond: the caller rate-limits, the gateway does not pace itself. */
  tps?: number;
  /** At most this many submit_sm outstanding; further submits wait their turn. */
  window: number;
  split: SplitMode;
  /** 'transmitter-receiver' opens a bind_transmitter and a bind_receiver session, for SMSCs without transceiver. */
  bind: 'transceiver' | 'transmitter-receiver';
  /** Per submit_sm (and per bind, enquire_link and unbind); also how long a submit waits for a rebind. */
  responseTimeoutMs: number;
  /** enquire_link after this long without hearing from the SMSC. */
  enquireLinkMs: number;
  /** Reconnection backoff after a drop or an unbind from the SMSC, doubling up to reconnectMaxMs. */
  reconnectMinMs: number;
  reconnectMaxMs: number;
  messageIds: MessageIdFormats;
}

export interface SmppGatewayEvents {
  log?(level: 'info' | 'warn' | 'error', message: string): void;
}

export type SmppGatewayStatus = {
  state: 'connecting' | 'bound' | 'closed';
  /** submit_sm PDUs sent and not yet answered. */
  outstanding: number;
  /** Binds regained after a drop or an unbind from the SMSC, counted per session. */
  reconnects: number;
  /** deliver_sm that were not receipts: replies from handsets, which Loa does not handle. */
  mobileOriginated: number;
  /** Final delivery receipts passed to the report sink (a repeated receipt counts again). */
  receipts: number;
  /** submit_sm answered ESME_RTHROTTLED or ESME_RMSGQFUL. */
  throttled: number;
};

export class SmppGatewayError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The SMSC answered the bind with an error status: wrong credentials, or a bind it does not allow. */
export class SmppBindRefusedError extends SmppGatewayError {
  constructor(
    message: string,
    readonly commandStatus: number,
  ) {
    super(message);
  }
}

/** The SMSC could not be reached, or closed the connection or stayed silent before answering the bind. */
export class SmppConnectionError extends SmppGatewayError {}

type FailureOutcome = Exclude<SubmitResult['outcome'], 'accepted'>;

/**
 * What a submit_sm_resp error status means for the message (SMPP 3.4 section 5.1.3). Throttled: the SMSC
 * wants us slower, and the gateway pauses too. Transient: this attempt failed at the SMSC or beyond it, and
 * the same PDU may pass later. Permanent: the same PDU will get the same answer. A status not in the table
 * (carriers' vendor codes, 0x400 and up) is transient: the dispatcher bounds the attempts, so an unknown
 * code costs retries and ends in a clear failure, never a message dropped on a guess.
 */
export const SUBMIT_STATUS_OUTCOMES: ReadonlyMap<number, FailureOutcome> = new Map<number, FailureOutcome>([
  [CommandStatus.ESME_RTHROTTLED, 'throttled'],
  [CommandStatus.ESME_RMSGQFUL, 'throttled'],

  [CommandStatus.ESME_RSYSERR, 'transient'],
  [CommandStatus.ESME_RSUBMITFAIL, 'transient'],
  // "ESME receiver temporary app error": the destination's side failed this time.
  [CommandStatus.ESME_RX_T_APPN, 'transient'],
  // The SMSC thinks the session is not bound (it lost our bind): the next attempt goes over a rebind.
  [CommandStatus.ESME_RINVBNDSTS, 'transient'],
  [CommandStatus.ESME_RUNKNOWNERR, 'transient'],

  [CommandStatus.ESME_RINVMSGLEN, 'permanent'],
  [CommandStatus.ESME_RINVCMDLEN, 'permanent'],
  [CommandStatus.ESME_RINVCMDID, 'permanent'],
  [CommandStatus.ESME_RINVPRTFLG, 'permanent'],
  [CommandStatus.ESME_RINVREGDLVFLG, 'permanent'],
  [CommandStatus.ESME_RINVSRCADR, 'permanent'],
  [CommandStatus.ESME_RINVDSTADR, 'permanent'],
  [CommandStatus.ESME_RINVSERTYP, 'permanent'],
  [CommandStatus.ESME_RINVESMCLASS, 'permanent'],
  [CommandStatus.ESME_RINVSRCTON, 'permanent'],
  [CommandStatus.ESME_RINVSRCNPI, 'permanent'],
  [CommandStatus.ESME_RINVDSTTON, 'permanent'],
  [CommandStatus.ESME_RINVDSTNPI, 'permanent'],
  [CommandStatus.ESME_RINVSYSTYP, 'permanent'],
  [CommandStatus.ESME_RINVSCHED, 'permanent'],
  [CommandStatus.ESME_RINVEXPIRY, 'permanent'],
  [CommandStatus.ESME_RINVDFTMSGID, 'permanent'],
  // "ESME receiver permanent app error" and "ESME receiver reject message": the destination refuses it.
  [CommandStatus.ESME_RX_P_APPN, 'permanent'],
  [CommandStatus.ESME_RX_R_APPN, 'permanent'],
  [CommandStatus.ESME_RINVTLVSTREAM, 'permanent'],
  [CommandStatus.ESME_RTLVNOTALLWD, 'permanent'],
  [CommandStatus.ESME_RINVTLVLEN, 'permanent'],
  [CommandStatus.ESME_RMISSINGTLV, 'permanent'],
  [CommandStatus.ESME_RINVTLVVAL, 'permanent'],
]);

export function outcomeOfCommandStatus(status: number): FailureOutcome {
  return SUBMIT_STATUS_OUTCOMES.get(status) ?? 'transient';
}

/** The pause after a throttled answer: it doubles with each throttled answer to a part sent after it. */
const THROTTLE_PAUSE_MIN_MS = 100;
const THROTTLE_PAUSE_MAX_MS = 2_000;

const NUMERIC = /^\d+$/;

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

export class SmppGateway implements Gateway {
  readonly id: string;
  readonly messagesPerSecond: number | undefined;
  private readonly transmitter: SmppLink;
  private readonly links: readonly SmppLink[];
  /** Parts waiting for a bind, a window slot or the end of a throttle pause, oldest first from `queueHead`. */
  private queue: QueuedPart[] = [];
  private queueHead = 0;
  /** By sequence number; insertion order is sending order, so deadlines ascend. */
  private readonly outstanding = new Map<number, OutstandingPart>();
  private readonly ticker: NodeJS.Timeout;
  private sentParts = 0;
  private pauseMs = 0;
  private pausedUntil = 0;
  private pauseCoversPartsFrom = 0;
  private pauseTimer: NodeJS.Timeout | undefined;
  private notBoundSince = Date.now();
  private concatReference = Math.floor(Math.random() * 0x10000);
  private started = false;
  private closing: Promise<void> | undefined;
  private drained: (() => void) | undefined;
  private readonly counts = { reconnects: 0, mobileOriginated: 0, receipts: 0, throttled: 0 };

  constructor(
    private readonly options: SmppGatewayOptions,
    private readonly onReport: DeliveryReportSink,
    private readonly events: SmppGatewayEvents = {},
  ) {
    this.id = options.id;
    this.messagesPerSecond = options.tps;
    const owner: LinkOwner = {
      bound: (link, rebound) => this.linkBound(link, rebound),
      lost: (link, reason) => this.linkLost(link, reason),
      deliverSm: (session, pdu) => this.deliverSm(session, pdu),
      log: (level, message) => this.events.log?.(level, message),
    };
    this.transmitter = new SmppLink(options.bind === 'transceiver' ? 'transceiver' : 'transmitter', options, owner);
    this.links = options.bind === 'transceiver' ? [this.transmitter] : [this.transmitter, new SmppLink('receiver', options, owner)];
    this.ticker = setInterval(() => this.tick(), Math.max(5, Math.min(100, Math.floor(options.responseTimeoutMs / 10))));
    this.ticker.unref();
  }

  /** Resolves once every session is bound; rejects, and closes, if one is refused or unreachable. */
  async start(): Promise<void> {
    this.started = true;
    try {
      await Promise.all(this.links.map((link) => link.open()));
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /**
   * Parts not yet sent are answered transient; those sent get their answer or time out (so this takes at
   * most about responseTimeoutMs more); then each session unbinds.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  status(): SmppGatewayStatus {
    const state = !this.started || this.closing ? 'closed' : this.links.every((link) => link.bound) ? 'bound' : 'connecting';
    return { state, outstanding: this.outstanding.size, ...this.counts };
  }

  async submit(message: OutgoingSms): Promise<SubmitResult> {
    let parts: SubmitSmFields[];
    try {
      parts = submitSmParts(message, {
        sourceAddr: this.options.sourceAddr,
        systemType: this.options.systemType,
        split: this.options.split,
        concatReference: this.concatReference++,
      });
    } catch (error) {
      // UnsendableSmsError, or a character the GSM-7 encoder refuses: the same text fails the same way again.
      return { outcome: 'permanent', reason: error instanceof Error ? error.message : String(error) };
    }
    if (parts.length === 1) return this.submitPart(parts[0]!);
    const results = await Promise.all(parts.map((fields) => this.submitPart(fields)));
    return messageResult(results);
  }

  private submitPart(fields: SubmitSmFields): Promise<SubmitResult> {
    if (this.closing) return Promise.resolve(notSent('the gateway is closed'));
    return new Promise((settle) => {
      this.queue.push({ fields, queuedAt: Date.now(), settle });
      this.pump();
    });
  }

  /** Sends queued parts while the transmitter is bound, the window has room and no throttle pause holds. */
  private pump(): void {
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
    this.counts.throttled++;
    if (serial < this.pauseCoversPartsFrom) return;
    this.pauseMs = this.pauseMs === 0 ? THROTTLE_PAUSE_MIN_MS : Math.min(this.pauseMs * 2, THROTTLE_PAUSE_MAX_MS);
    this.pausedUntil = Date.now() + this.pauseMs;
    this.pauseCoversPartsFrom = this.sentParts;
  }

  private tick(): void {
    const now = Date.now();
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
    for (const link of this.links) link.keepAlive(now);
    this.afterSettling();
  }

  private afterSettling(): void {
    this.pump();
    if (this.drained !== undefined && this.outstanding.size === 0) {
      this.drained();
      this.drained = undefined;
    }
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

  private linkBound(link: SmppLink, rebound: boolean): void {
    if (rebound) {
      this.counts.reconnects++;
      this.events.log?.('info', `bound again as ${link.mode}`);
    }
    if (link === this.transmitter) this.pump();
  }

  private linkLost(link: SmppLink, reason: string): void {
    this.events.log?.('warn', `${link.mode} session lost (${reason}); reconnecting`);
    if (link !== this.transmitter) return;
    this.notBoundSince = Date.now();
    for (const entry of this.outstanding.values()) {
      entry.settle({ outcome: 'transient', uncertain: true, reason: `connection lost before the submit_sm_resp (${reason})` });
    }
    this.outstanding.clear();
    this.afterSettling();
  }

  /** Always answered, first: an unanswered deliver_sm is sent again and holds a slot of the SMSC's window. */
  private deliverSm(session: SmppSession, pdu: Pdu): void {
    sendCoalesced(session, pdu.response());
    if (((pdu.esm_class ?? 0) & EsmClass.DELIVERY_RECEIPT) !== 0) this.receipt(pdu);
    else this.mobileOriginated(pdu);
  }

  private receipt(pdu: Pdu): void {
    const reading = readDeliveryReceipt(
      { text: shortMessageText(pdu), receiptedMessageId: pdu.receipted_message_id, messageState: pdu.message_state },
      this.options.messageIds,
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
    this.counts.receipts++;
    try {
      this.onReport({
        gatewayId: this.id,
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

  private mobileOriginated(pdu: Pdu): void {
    this.counts.mobileOriginated++;
    const from = pdu.source_addr ?? '';
    this.events.log?.(
      'info',
      `mobile-originated message from ${maskPhone(NUMERIC.test(from) ? `+${from}` : from)} acknowledged, not handled`,
    );
  }

  private async shutDown(): Promise<void> {
    while (this.queueHead < this.queue.length) this.dequeue()!.settle(notSent('the gateway is closing'));
    if (this.outstanding.size > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    clearInterval(this.ticker);
    clearTimeout(this.pauseTimer);
    await Promise.all(this.links.map((link) => link.close()));
  }
}

function notSent(reason: string): SubmitResult {
  return { outcome: 'transient', reason };
}

/**
 * One result for the parts of a message: refused for good if any part is; else, if any part may have
 * reached the SMSC unanswered, uncertain (so it is retried through this gateway only); else throttled or
 * transient as the parts say. All accepted: the last part's id, the part that asks for the receipt.
 */
function messageResult(results: SubmitResult[]): SubmitResult {
  const described = results.map((result, index) =>
    result.outcome === 'accepted' ? result : { ...result, reason: `part ${index + 1} of ${results.length}: ${result.reason}` },
  );
  return (
    described.find((result) => result.outcome === 'permanent') ??
    described.find((result) => result.outcome === 'transient' && result.uncertain) ??
    described.find((result) => result.outcome === 'throttled') ??
    described.find((result) => result.outcome === 'transient') ??
    described[described.length - 1]!
  );
}

type BindMode = 'transceiver' | 'transmitter' | 'receiver';

interface LinkOwner {
  bound(link: SmppLink, rebound: boolean): void;
  lost(link: SmppLink, reason: string): void;
  deliverSm(session: SmppSession, pdu: Pdu): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

/**
 * One SMPP session kept bound: connects and binds, answers the SMSC's enquire_link and unbind, sends
 * enquire_link when the SMSC has been silent, and after a drop or an unbind reconnects with doubling
 * backoff, forever, until closed. The first bind is the exception: its failure is reported, not retried,
 * because a refused password or a wrong address needs a person, not patience.
 */
class SmppLink {
  /** Set while bound. */
  session: SmppSession | undefined;
  private current: { session: SmppSession; closed: Promise<void> } | undefined;
  private opening: { resolve(): void; reject(error: Error): void } | undefined;
  private everBound = false;
  private closing = false;
  private backoffMs: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private lastHeardAt = 0;
  private enquireSentAt: number | undefined;

  constructor(
    readonly mode: BindMode,
    private readonly options: SmppGatewayOptions,
    private readonly owner: LinkOwner,
  ) {
    this.backoffMs = options.reconnectMinMs;
  }

  get bound(): boolean {
    return this.session !== undefined;
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.opening = { resolve, reject };
      this.connect();
    });
  }

  /** Unbinds (waiting at most responseTimeoutMs for unbind_resp) and closes the connection. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    const current = this.current;
    if (current === undefined) return;
    const { session, closed } = current;
    if (this.session === session) {
      await this.withinResponseTimeout((done) => session.send(newPdu('unbind'), done) || done());
      session.close();
    } else {
      session.destroy();
    }
    await this.withinResponseTimeout((done) => void closed.then(done));
    session.destroy();
  }

  keepAlive(now: number): void {
    const session = this.session;
    if (session === undefined) return;
    if (this.enquireSentAt !== undefined) {
      if (now - this.enquireSentAt < this.options.responseTimeoutMs) return;
      this.owner.log('warn', `no enquire_link_resp within ${this.options.responseTimeoutMs} ms on the ${this.mode} session`);
      session.destroy();
      return;
    }
    if (now - this.lastHeardAt < this.options.enquireLinkMs) return;
    this.enquireSentAt = now;
    session.send(newPdu('enquire_link'), () => (this.enquireSentAt = undefined));
  }

  private connect(): void {
    const { host, port, systemId, password, systemType, responseTimeoutMs } = this.options;
    const session = connectSession(host, port);
    this.current = { session, closed: new Promise((resolve) => session.on('close', resolve)) };
    const bindCommand = `bind_${this.mode}` as const;
    let failure: Error | undefined;
    // One deadline for connecting and binding: an SMSC that takes the connection but never answers is down all the same.
    const bindTimer = setTimeout(() => {
      failure = new SmppConnectionError(`no ${bindCommand}_resp from ${host}:${port} within ${responseTimeoutMs} ms`);
      session.destroy();
    }, responseTimeoutMs);
    session.on('connect', () => {
      const bind = newPdu(bindCommand, { system_id: systemId, password, system_type: systemType, interface_version: SMPP_VERSION_3_4 });
      session.send(bind, (response) => {
        clearTimeout(bindTimer);
        if (response.command_status === CommandStatus.ESME_ROK) {
          this.bindSucceeded(session);
          return;
        }
        failure = new SmppBindRefusedError(
          `${host}:${port} refused ${bindCommand} as "${systemId}": ${describeCommandStatus(response.command_status)}`,
          response.command_status,
        );
        session.destroy();
      });
    });
    session.on('error', (error) => {
      failure ??= new SmppConnectionError(`${host}:${port}: ${error.message}`, { cause: error });
    });
    session.on('pdu', (pdu) => this.received(session, pdu));
    session.on('close', () => {
      clearTimeout(bindTimer);
      this.closed(session, failure);
    });
  }

  private bindSucceeded(session: SmppSession): void {
    this.session = session;
    this.lastHeardAt = Date.now();
    this.enquireSentAt = undefined;
    this.backoffMs = this.options.reconnectMinMs;
    const rebound = this.everBound;
    this.everBound = true;
    this.opening?.resolve();
    this.opening = undefined;
    this.owner.bound(this, rebound);
  }

  private received(session: SmppSession, pdu: Pdu): void {
    this.lastHeardAt = Date.now();
    // Responses reach the callback given to send.
    if (pdu.isResponse()) return;
    switch (pdu.command) {
      case 'deliver_sm':
        this.owner.deliverSm(session, pdu);
        return;
      case 'enquire_link':
        session.send(pdu.response());
        return;
      case 'unbind':
        session.send(pdu.response());
        this.lose(session, 'the SMSC unbound');
        session.close();
        return;
      default:
        session.send(newPdu('generic_nack', { command_status: CommandStatus.ESME_RINVCMDID, sequence_number: pdu.sequence_number }));
    }
  }

  private closed(session: SmppSession, failure: Error | undefined): void {
    this.lose(session, failure?.message ?? 'the connection closed');
    if (this.closing) return;
    if (this.opening !== undefined) {
      this.opening.reject(
        failure ?? new SmppConnectionError(`${this.options.host}:${this.options.port} closed the connection before binding`),
      );
      this.opening = undefined;
      this.closing = true;
      return;
    }
    if (failure instanceof SmppBindRefusedError) this.owner.log('error', failure.message);
    this.reconnectTimer = setTimeout(() => this.connect(), this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.reconnectMaxMs);
  }

  private lose(session: SmppSession, reason: string): void {
    if (this.session !== session) return;
    this.session = undefined;
    if (!this.closing) this.owner.lost(this, reason);
  }

  private withinResponseTimeout(start: (done: () => void) => void): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.options.responseTimeoutMs);
      start(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
