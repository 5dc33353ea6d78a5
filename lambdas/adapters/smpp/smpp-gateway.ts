/**
 * A carrier's or aggregator's SMSC over SMPP 3.4 as a Gateway: binds (smpp-link.ts keeps each session
 * bound: enquire_link when idle, reconnection with backoff after a drop or an unbind from the SMSC),
 * submits each part of a message as a submit_sm within a window (submit-window.ts), and reads delivery
 * receipts from deliver_sm (deliver-sm-receiver.ts), until closed.
 *
 * One interval keeps the time of the window's parts and of each session's enquire_link.
 */
import type { DeliveryReportSink, Gateway, OutgoingSms, SubmitResult } from '../../core/ports.js';
import { DeliverSmReceiver } from './deliver-sm-receiver.js';
import type { SmppGatewayEvents, SmppGatewayOptions } from './smpp-gateway-options.js';
import { type LinkOwner, SmppLink } from './smpp-link.js';
import { type SubmitSmFields, submitSmParts } from './smpp-message-parts.js';
import { messageResult, notSent } from './submit-outcomes.js';
import { SubmitWindow } from './submit-window.js';

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

export class SmppGateway implements Gateway {
  readonly id: string;
  readonly messagesPerSecond: number | undefined;
  private readonly transmitter: SmppLink;
  private readonly links: readonly SmppLink[];
  private readonly window: SubmitWindow;
  private readonly deliveries: DeliverSmReceiver;
  private readonly ticker: NodeJS.Timeout;
  private concatReference = Math.floor(Math.random() * 0x10000);
  private started = false;
  private closing: Promise<void> | undefined;
  private reconnects = 0;

  constructor(
    private readonly options: SmppGatewayOptions,
    onReport: DeliveryReportSink,
    private readonly events: SmppGatewayEvents = {},
  ) {
    this.id = options.id;
    this.messagesPerSecond = options.tps;
    this.deliveries = new DeliverSmReceiver(options.id, options.messageIds, onReport, events);
    const owner: LinkOwner = {
      bound: (link, rebound) => this.linkBound(link, rebound),
      lost: (link, reason) => this.linkLost(link, reason),
      deliverSm: (session, pdu) => this.deliveries.deliverSm(session, pdu),
      log: (level, message) => this.events.log?.(level, message),
    };
    this.transmitter = new SmppLink(options.bind === 'transceiver' ? 'transceiver' : 'transmitter', options, owner);
    this.links = options.bind === 'transceiver' ? [this.transmitter] : [this.transmitter, new SmppLink('receiver', options, owner)];
    this.window = new SubmitWindow(this.transmitter, options);
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
    return {
      state,
      outstanding: this.window.outstandingParts,
      reconnects: this.reconnects,
      mobileOriginated: this.deliveries.mobileOriginated,
      receipts: this.deliveries.receipts,
      throttled: this.window.throttledAnswers,
    };
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
    return this.window.submit(fields);
  }

  private tick(): void {
    const now = Date.now();
    this.window.expire(now);
    for (const link of this.links) link.keepAlive(now);
    this.window.afterSettling();
  }

  private linkBound(link: SmppLink, rebound: boolean): void {
    if (rebound) {
      this.reconnects++;
      this.events.log?.('info', `bound again as ${link.mode}`);
    }
    if (link === this.transmitter) this.window.pump();
  }

  private linkLost(link: SmppLink, reason: string): void {
    this.events.log?.('warn', `${link.mode} session lost (${reason}); reconnecting`);
    if (link === this.transmitter) this.window.transmitterLost(reason);
  }

  private async shutDown(): Promise<void> {
    await this.window.drain();
    clearInterval(this.ticker);
    await Promise.all(this.links.map((link) => link.close()));
  }
}
