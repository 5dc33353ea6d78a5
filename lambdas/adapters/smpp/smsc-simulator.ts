/**
 * An SMSC on loopback that speaks real SMPP 3.4, built on the same `smpp` package as the gateway, for
 * tests and the benchmark. It binds ESMEs, accepts submit_sm with a message id, reassembles long messages
 * (UDH or SAR) for its record, and sends delivery receipts as deliver_sm with esm_class 0x04, the appendix B
 * text and the receipted_message_id and message_state TLVs, to a session bound as receiver or transceiver
 * for the same system_id. Faults are configured as in carrier-simulator.ts, plus SMPP's own: throttling,
 * dropped connections, slow responses, lost and repeated receipts, ids in another base.
 *
 * Receipts wait in one list released by one interval, not one timer a message; a receipt due while no
 * receiver is bound waits for one, as an SMSC stores them.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Server } from 'node:net';
import { isGsm7 } from '../../core/templates/sms-parts.js';
import { formatReceiptText } from './delivery-receipt.js';
import {
  CommandStatus,
  createSmppServer,
  EsmClass,
  MessageState,
  newPdu,
  type Pdu,
  type PduFields,
  type SmppSession,
} from './smpp-library.js';
import { DataCoding, encodeGsm7, encodeUcs2 } from './smpp-message-parts.js';

export interface SmscSimulatorOptions {
  /** 0, the default, takes any free port. */
  port?: number;
  /** 127.0.0.1 by default. */
  host?: string;
  /** SMPP over TLS with this PEM key and certificate; plain TCP without. */
  tls?: { key: string; cert: string };
  /** When set, binds must present them (else ESME_RINVSYSID, ESME_RINVPASWD). */
  systemId?: string;
  password?: string;
  reportDelayMs: number;
  /** Share of submits answered ESME_RSYSERR (0..1). */
  transientErrorRate: number;
  /** Share of submits answered ESME_RINVDSTADR (0..1). */
  permanentErrorRate: number;
  /** Share of accepted messages whose receipt says UNDELIV (0..1). */
  undeliveredRate: number;
  /** ESME_RTHROTTLED to the submits beyond this many accepted parts in the current second. */
  throttleAbovePerSecond?: number;
  /** Destroys the connection at every N-th submit_sm, which is left unanswered. */
  dropConnectionEvery?: number;
  /** Delays each submit_sm_resp. */
  responseDelayMs?: number;
  /** Share of receipts never sent (0..1). */
  lostReceiptRate?: number;
  /** Share of receipts sent twice (0..1). */
  duplicateReceiptRate?: number;
  /** submit_sm_resp ids in upper-case hexadecimal, receipt text ids in decimal, no receipted_message_id. */
  hexMessageIds?: boolean;
  /** Appends the destination address of each accepted message (when its last part is accepted). */
  submitLogFile?: string;
  /** Keep received() and submitTimes(); true by default, false for long runs. */
  record?: boolean;
  random?: () => number;
}

export interface ReceivedSms {
  to: string;
  text: string;
  encoding: 'GSM-7' | 'UCS-2';
  parts: number;
  dataCoding: number;
  receivedAt: number;
}

export interface SmscSimulatorStats {
  binds: number;
  /** unbind requests received from ESMEs. */
  unbinds: number;
  throttled: number;
  /** enquire_link requests received from ESMEs. */
  enquireLinks: number;
  /** The most submit_sm received and not yet answered at once (meaningful with responseDelayMs). */
  maxPendingResponses: number;
}

type BindMode = 'transceiver' | 'transmitter' | 'receiver';

interface Esme {
  session: SmppSession;
  systemId?: string;
  mode?: BindMode;
}

interface PendingReceipt {
  dueAt: number;
  systemId: string;
  receiptId: string;
  responseId: string;
  handset: string;
  sender: string;
  submittedAt: number;
  delivered: boolean;
  text: string;
}

interface PartialMessage {
  texts: (string | undefined)[];
  received: number;
}

/** Hex ids start high enough that their decimal form has 20 digits, beyond a double's exact integers. */
const HEX_ID_BASE = 0xc0de_0000_0000_0000n;

const TON_INTERNATIONAL = 1;
const NPI_ISDN = 1;

export class SmscSimulator {
  private server: Server | undefined;
  private readonly esmes = new Set<Esme>();
  private receipts: PendingReceipt[] = [];
  private receiptsHead = 0;
  private readonly partial = new Map<string, PartialMessage>();
  private readonly messages: ReceivedSms[] = [];
  private readonly acceptedAt: number[] = [];
  private readonly counts: SmscSimulatorStats = { binds: 0, unbinds: 0, throttled: 0, enquireLinks: 0, maxPendingResponses: 0 };
  private pendingResponses = 0;
  private submits = 0;
  private currentSecond = 0;
  private partsThisSecond = 0;
  private serial = 1;
  private readonly idPrefix = Date.now().toString(36);
  private readonly random: () => number;
  private readonly record: boolean;
  private timer: NodeJS.Timeout | undefined;
  private submitLog: number | undefined;

  constructor(private readonly options: SmscSimulatorOptions) {
    this.random = options.random ?? Math.random;
    this.record = options.record ?? true;
  }

  async start(): Promise<{ port: number }> {
    const server = createSmppServer((session) => this.accept(session), this.options.tls);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.submitLog = this.options.submitLogFile === undefined ? undefined : openSync(this.options.submitLogFile, 'a');
    this.timer = setInterval(() => this.releaseReceipts(), Math.min(100, Math.max(5, this.options.reportDelayMs / 4)));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the SMSC simulator is not listening on a TCP port');
    return { port: address.port };
  }

  /** Drops every connection without unbinding; receipts not yet sent are lost with it. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.submitLog !== undefined) closeSync(this.submitLog);
    this.submitLog = undefined;
    for (const esme of this.esmes) esme.session.destroy();
    const server = this.server;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  received(): ReceivedSms[] {
    return this.messages;
  }

  submitTimes(): number[] {
    return this.acceptedAt;
  }

  stats(): SmscSimulatorStats {
    return { ...this.counts };
  }

  /** Sends a handset's reply (UCS-2) to a receiving session; resolves with the deliver_sm_resp status. */
  sendMobileOriginated(from: string, to: string, text: string): Promise<number> {
    const esme = this.receiverFor(undefined);
    if (esme === undefined) return Promise.reject(new Error('no ESME bound to receive'));
    const deliver = newPdu('deliver_sm', {
      source_addr_ton: TON_INTERNATIONAL,
      source_addr_npi: NPI_ISDN,
      source_addr: from,
      destination_addr: to,
      esm_class: 0,
      data_coding: DataCoding['UCS-2'],
      short_message: encodeUcs2(text),
    });
    return new Promise((resolve) => esme.session.send(deliver, (response) => resolve(response.command_status)));
  }

  /** Unbinds every bound session from the SMSC's side, as at a maintenance window; resolves when all have answered. */
  async unbindAll(): Promise<void> {
    const bound = [...this.esmes].filter((esme) => esme.mode !== undefined);
    await Promise.all(
      bound.map(
        (esme) =>
          new Promise<void>((resolve) => {
            esme.mode = undefined;
            esme.session.send(newPdu('unbind'), () => {
              esme.session.close();
              resolve();
            });
          }),
      ),
    );
  }

  private accept(session: SmppSession): void {
    const esme: Esme = { session };
    this.esmes.add(esme);
    // A client that drops mid-PDU is the scenario under test, not a fault of the simulator.
    session.on('error', () => undefined);
    session.on('close', () => this.esmes.delete(esme));
    session.on('pdu', (pdu) => this.handle(esme, pdu));
  }

  private handle(esme: Esme, pdu: Pdu): void {
    if (pdu.isResponse()) return;
    switch (pdu.command) {
      case 'bind_transceiver':
      case 'bind_transmitter':
      case 'bind_receiver':
        this.bind(esme, pdu, pdu.command.slice('bind_'.length) as BindMode);
        return;
      case 'submit_sm':
        this.submitSm(esme, pdu);
        return;
      case 'enquire_link':
        this.counts.enquireLinks++;
        esme.session.send(pdu.response());
        return;
      case 'unbind':
        this.counts.unbinds++;
        esme.mode = undefined;
        esme.session.send(pdu.response());
        esme.session.close();
        return;
      default:
        esme.session.send(newPdu('generic_nack', { command_status: CommandStatus.ESME_RINVCMDID, sequence_number: pdu.sequence_number }));
    }
  }

  private bind(esme: Esme, pdu: Pdu, mode: BindMode): void {
    const refusal =
      esme.mode !== undefined
        ? CommandStatus.ESME_RALYBND
        : this.options.systemId !== undefined && pdu.system_id !== this.options.systemId
          ? CommandStatus.ESME_RINVSYSID
          : this.options.password !== undefined && pdu.password !== this.options.password
            ? CommandStatus.ESME_RINVPASWD
            : undefined;
    if (refusal !== undefined) {
      esme.session.send(pdu.response({ command_status: refusal }));
      return;
    }
    esme.systemId = pdu.system_id ?? '';
    esme.mode = mode;
    this.counts.binds++;
    esme.session.send(pdu.response({ system_id: 'LOASIM' }));
  }

  private submitSm(esme: Esme, pdu: Pdu): void {
    if (esme.mode !== 'transmitter' && esme.mode !== 'transceiver') {
      this.respond(esme, pdu, { command_status: CommandStatus.ESME_RINVBNDSTS });
      return;
    }
    this.submits++;
    if (this.options.dropConnectionEvery !== undefined && this.submits % this.options.dropConnectionEvery === 0) {
      esme.session.destroy();
      return;
    }
    const now = Date.now();
    const status = this.decide(now);
    if (status !== CommandStatus.ESME_ROK) {
      this.respond(esme, pdu, { command_status: status });
      return;
    }
    const serial = this.serial++;
    const ids = this.options.hexMessageIds
      ? { response: (HEX_ID_BASE + BigInt(serial)).toString(16).toUpperCase(), receipt: (HEX_ID_BASE + BigInt(serial)).toString(10) }
      : { response: `${this.idPrefix}${serial.toString(36).padStart(7, '0')}`.toUpperCase(), receipt: '' };
    const part = readPart(pdu);
    const whole = this.reassemble(esme.systemId ?? '', pdu.destination_addr ?? '', part);
    if (this.record) this.acceptedAt.push(now);
    if (whole !== undefined) {
      if (this.record) {
        const encoding = part.dataCoding === DataCoding['UCS-2'] ? 'UCS-2' : 'GSM-7';
        this.messages.push({
          to: pdu.destination_addr ?? '',
          text: whole.text,
          encoding,
          parts: whole.parts,
          dataCoding: part.dataCoding,
          receivedAt: now,
        });
      }
      if (this.submitLog !== undefined) writeSync(this.submitLog, `${pdu.destination_addr ?? ''}\n`);
    }
    if (((pdu.registered_delivery ?? 0) & 0x03) !== 0) {
      this.scheduleReceipt(esme, pdu, { responseId: ids.response, receiptId: ids.receipt || ids.response }, part.text, now);
    }
    this.respond(esme, pdu, { message_id: ids.response });
  }

  private decide(now: number): number {
    const second = Math.floor(now / 1000);
    if (second !== this.currentSecond) {
      this.currentSecond = second;
      this.partsThisSecond = 0;
    }
    const limit = this.options.throttleAbovePerSecond;
    if (limit !== undefined && this.partsThisSecond >= limit) {
      this.counts.throttled++;
      return CommandStatus.ESME_RTHROTTLED;
    }
    const roll = this.random();
    if (roll < this.options.permanentErrorRate) return CommandStatus.ESME_RINVDSTADR;
    if (roll < this.options.permanentErrorRate + this.options.transientErrorRate) return CommandStatus.ESME_RSYSERR;
    this.partsThisSecond++;
    return CommandStatus.ESME_ROK;
  }

  private respond(esme: Esme, pdu: Pdu, fields: PduFields): void {
    const response = pdu.response(fields);
    const delayMs = this.options.responseDelayMs ?? 0;
    if (delayMs <= 0) {
      esme.session.send(response);
      return;
    }
    this.pendingResponses++;
    this.counts.maxPendingResponses = Math.max(this.counts.maxPendingResponses, this.pendingResponses);
    setTimeout(() => {
      this.pendingResponses--;
      esme.session.send(response);
    }, delayMs);
  }

  /** The whole message once its last missing part is in; parts of one message share reference and total. */
  private reassemble(systemId: string, to: string, part: ReturnType<typeof readPart>): { text: string; parts: number } | undefined {
    if (part.concatenation === undefined) return { text: part.text, parts: 1 };
    const { reference, total, sequence } = part.concatenation;
    const key = `${systemId}|${to}|${reference}|${total}`;
    const partial = this.partial.get(key) ?? { texts: new Array<string | undefined>(total), received: 0 };
    this.partial.set(key, partial);
    if (partial.texts[sequence - 1] === undefined) {
      partial.texts[sequence - 1] = part.text;
      partial.received++;
    }
    if (partial.received < total) return undefined;
    this.partial.delete(key);
    return { text: partial.texts.join(''), parts: total };
  }

  private scheduleReceipt(esme: Esme, pdu: Pdu, ids: { responseId: string; receiptId: string }, text: string, now: number): void {
    if (this.random() < (this.options.lostReceiptRate ?? 0)) return;
    const receipt: PendingReceipt = {
      dueAt: now + this.options.reportDelayMs,
      systemId: esme.systemId ?? '',
      ...ids,
      handset: pdu.destination_addr ?? '',
      sender: pdu.source_addr ?? '',
      submittedAt: now,
      delivered: this.random() >= this.options.undeliveredRate,
      text,
    };
    this.receipts.push(receipt);
    if (this.random() < (this.options.duplicateReceiptRate ?? 0)) this.receipts.push(receipt);
  }

  private releaseReceipts(): void {
    const now = Date.now();
    while (this.receiptsHead < this.receipts.length) {
      const receipt = this.receipts[this.receiptsHead]!;
      if (receipt.dueAt > now) break;
      const esme = this.receiverFor(receipt.systemId);
      if (esme === undefined) break;
      this.receiptsHead++;
      this.sendReceipt(esme, receipt, now);
    }
    if (this.receiptsHead > 0 && this.receiptsHead * 2 >= this.receipts.length) {
      this.receipts = this.receipts.slice(this.receiptsHead);
      this.receiptsHead = 0;
    }
  }

  private sendReceipt(esme: Esme, receipt: PendingReceipt, now: number): void {
    const text = formatReceiptText({
      id: receipt.receiptId,
      submitDate: new Date(receipt.submittedAt),
      doneDate: new Date(now),
      stat: receipt.delivered ? 'DELIVRD' : 'UNDELIV',
      err: receipt.delivered ? '000' : '001',
      text: receipt.text,
    });
    const gsm = isGsm7(text);
    esme.session.send(
      newPdu('deliver_sm', {
        source_addr_ton: TON_INTERNATIONAL,
        source_addr_npi: NPI_ISDN,
        source_addr: receipt.handset,
        destination_addr: receipt.sender,
        esm_class: EsmClass.DELIVERY_RECEIPT,
        data_coding: gsm ? DataCoding['GSM-7'] : DataCoding['UCS-2'],
        short_message: gsm ? encodeGsm7(text) : encodeUcs2(text),
        message_state: receipt.delivered ? MessageState.DELIVERED : MessageState.UNDELIVERABLE,
        ...(!this.options.hexMessageIds && { receipted_message_id: receipt.responseId }),
      }),
    );
  }

  /** A session that takes deliver_sm: bound as receiver or transceiver, for `systemId` if given. */
  private receiverFor(systemId: string | undefined): Esme | undefined {
    for (const esme of this.esmes) {
      if (esme.mode !== 'receiver' && esme.mode !== 'transceiver') continue;
      if (systemId === undefined || esme.systemId === systemId) return esme;
    }
    return undefined;
  }
}

/** One submit_sm's text (as the package decoded it) and its place in a concatenated message, if any. */
function readPart(pdu: Pdu): {
  text: string;
  dataCoding: number;
  concatenation?: { reference: number; total: number; sequence: number };
} {
  const dataCoding = pdu.data_coding ?? 0;
  const shortMessage = pdu.short_message;
  const decoded = shortMessage === undefined || Buffer.isBuffer(shortMessage) ? { message: shortMessage ?? '' } : shortMessage;
  const text = typeof decoded.message === 'string' ? decoded.message : decoded.message.toString('latin1');
  const header = 'udh' in decoded ? decoded.udh?.find((element) => element[0] === 0x00 && element[1] === 3) : undefined;
  if (header !== undefined) return { text, dataCoding, concatenation: { reference: header[2]!, total: header[3]!, sequence: header[4]! } };
  if (pdu.sar_msg_ref_num !== undefined && pdu.sar_total_segments !== undefined && pdu.sar_segment_seqnum !== undefined) {
    return {
      text,
      dataCoding,
      concatenation: { reference: pdu.sar_msg_ref_num, total: pdu.sar_total_segments, sequence: pdu.sar_segment_seqnum },
    };
  }
  return { text, dataCoding };
}
