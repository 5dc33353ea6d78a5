/**
 * A typed face of the untyped npm package `smpp` (0.5.1), limited to what the gateway and the simulator
 * use: client sessions, a server, PDUs and their fields, and the command status codes.
 *
 * Two behaviours of the package shape how it is used here. It has no window and no response timeout, so
 * the gateway keeps both. And it picks data_coding 1 (IA5) for a string it can encode in GSM 03.38, so
 * short_message is always handed to it as a Buffer, which it sends untouched with the data_coding given.
 * On the way in it decodes short_message by data_coding, reading 0 and 1 alike as GSM 03.38.
 */
import type { Server, Socket } from 'node:net';
import { createRequire } from 'node:module';
import type { ConnectionOptions, TlsOptions } from 'node:tls';

/** SMPP 3.4 interface_version; the package would announce 5.0 (0x50) by default. */
export const SMPP_VERSION_3_4 = 0x34;

export type BindCommand = 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver';
export type SmppCommand =
  | BindCommand
  | 'submit_sm'
  | 'deliver_sm'
  | 'enquire_link'
  | 'unbind'
  | 'generic_nack'
  | `${BindCommand}_resp`
  | 'submit_sm_resp'
  | 'deliver_sm_resp'
  | 'enquire_link_resp'
  | 'unbind_resp';

/** short_message as the package decodes it: user data header elements split off, text decoded. */
export interface DecodedShortMessage {
  /** Each information element whole: identifier, length, data. */
  udh?: Buffer[];
  /** A string when the package knows the data_coding, else the raw octets. */
  message: string | Buffer;
}

/** The PDU fields and TLVs we read or write, by their SMPP names. */
export interface PduFields {
  command_status?: number;
  /** Set by the package on requests; given only to answer a request with a generic_nack. */
  sequence_number?: number;
  system_id?: string;
  password?: string;
  system_type?: string;
  interface_version?: number;
  service_type?: string;
  source_addr_ton?: number;
  source_addr_npi?: number;
  source_addr?: string;
  dest_addr_ton?: number;
  dest_addr_npi?: number;
  destination_addr?: string;
  esm_class?: number;
  registered_delivery?: number;
  data_coding?: number;
  short_message?: Buffer;
  message_id?: string;
  sar_msg_ref_num?: number;
  sar_total_segments?: number;
  sar_segment_seqnum?: number;
  receipted_message_id?: string;
  message_state?: number;
}

/** A received or built PDU. Received bodies carry short_message and message_payload decoded. */
export interface Pdu extends Omit<PduFields, 'short_message'> {
  readonly command: SmppCommand | 'unknown';
  command_status: number;
  sequence_number: number;
  short_message?: Buffer | DecodedShortMessage;
  message_payload?: Buffer | DecodedShortMessage;
  isResponse(): boolean;
  /** The response to this request (a generic_nack for an unknown command), same sequence number. */
  response(fields?: PduFields): Pdu;
}

export interface SmppSession {
  readonly socket: Socket;
  /** Over TLS, 'connect' comes when TCP connects and 'secureConnect' once the certificate is checked. */
  on(event: 'connect' | 'secureConnect' | 'close', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'pdu', listener: (pdu: Pdu) => void): this;
  /** False, and nothing sent, when the socket is no longer writable. */
  send(pdu: Pdu, onResponse?: (response: Pdu) => void): boolean;
  /** Ends the connection after what was written is flushed. */
  close(callback?: () => void): void;
  destroy(callback?: () => void): void;
}

interface SmppPackage {
  /** With `tls: true` the rest of the options go to tls.connect (ca, servername, ...). */
  connect(options: { host: string; port: number; tls?: boolean } & ConnectionOptions): SmppSession;
  /** With a key and a certificate it is a tls.Server. */
  createServer(options: TlsOptions, onSession: (session: SmppSession) => void): Server;
  PDU: new (command: SmppCommand, fields?: PduFields) => Pdu;
  errors: Record<string, number>;
}

const smpp = createRequire(import.meta.url)('smpp') as SmppPackage;

/** How a session is encrypted: absent for plain TCP; `ca` replaces Node's trusted certificate authorities. */
export interface SessionTls {
  ca?: Buffer;
}

/**
 * Opens a TCP connection, or a TLS one that checks the SMSC's certificate against the host name; the
 * session can be bound after 'connect', or over TLS after 'secureConnect'.
 */
export function connectSession(host: string, port: number, tls?: SessionTls): SmppSession {
  if (tls === undefined) return smpp.connect({ host, port });
  return smpp.connect({ host, port, tls: true, ...(tls.ca && { ca: tls.ca }) });
}

/**
 * Sends like `session.send`, but holds the bytes until the end of the current tick, so that the PDUs
 * written in one tick (the answers to a batch of received PDUs, a burst of submits) leave in one system
 * call rather than one each: with small PDUs the calls, not the bytes, are the cost.
 */
export function sendCoalesced(session: SmppSession, pdu: Pdu, onResponse?: (response: Pdu) => void): boolean {
  const socket = session.socket;
  if (socket.writableCorked === 0) {
    socket.cork();
    process.nextTick(() => socket.uncork());
  }
  return session.send(pdu, onResponse);
}

/** A net.Server that wraps each accepted connection in a session; a tls.Server when given a key and a certificate. */
export function createSmppServer(onSession: (session: SmppSession) => void, tls?: { key: string; cert: string }): Server {
  return smpp.createServer(tls ?? {}, onSession);
}

/** Leave out a field rather than set it to undefined: the package writes any TLV key present, even undefined, as 0. */
export function newPdu(command: SmppCommand, fields: PduFields = {}): Pdu {
  return new smpp.PDU(command, fields);
}

/** The command_status values we act on or send, from SMPP 3.4 section 5.1.3. */
export const CommandStatus = {
  ESME_ROK: 0x00,
  ESME_RINVMSGLEN: 0x01,
  ESME_RINVCMDLEN: 0x02,
  ESME_RINVCMDID: 0x03,
  ESME_RINVBNDSTS: 0x04,
  ESME_RALYBND: 0x05,
  ESME_RINVPRTFLG: 0x06,
  ESME_RINVREGDLVFLG: 0x07,
  ESME_RSYSERR: 0x08,
  ESME_RINVSRCADR: 0x0a,
  ESME_RINVDSTADR: 0x0b,
  ESME_RINVPASWD: 0x0e,
  ESME_RINVSYSID: 0x0f,
  ESME_RMSGQFUL: 0x14,
  ESME_RINVSERTYP: 0x15,
  ESME_RINVESMCLASS: 0x43,
  ESME_RSUBMITFAIL: 0x45,
  ESME_RINVSRCTON: 0x48,
  ESME_RINVSRCNPI: 0x49,
  ESME_RINVDSTTON: 0x50,
  ESME_RINVDSTNPI: 0x51,
  ESME_RINVSYSTYP: 0x53,
  ESME_RTHROTTLED: 0x58,
  ESME_RINVSCHED: 0x61,
  ESME_RINVEXPIRY: 0x62,
  ESME_RINVDFTMSGID: 0x63,
  ESME_RX_T_APPN: 0x64,
  ESME_RX_P_APPN: 0x65,
  ESME_RX_R_APPN: 0x66,
  ESME_RINVTLVSTREAM: 0xc0,
  ESME_RTLVNOTALLWD: 0xc1,
  ESME_RINVTLVLEN: 0xc2,
  ESME_RMISSINGTLV: 0xc3,
  ESME_RINVTLVVAL: 0xc4,
  ESME_RUNKNOWNERR: 0xff,
} as const;

const STATUS_NAMES = new Map(Object.entries(smpp.errors).map(([name, status]) => [status, name]));

/** "ESME_RINVDSTADR (0x0B)"; vendor codes, which the package does not name, as "status 0x0400". */
export function describeCommandStatus(status: number): string {
  const hex = `0x${status.toString(16).toUpperCase().padStart(2, '0')}`;
  const name = STATUS_NAMES.get(status);
  return name === undefined ? `status ${hex}` : `${name} (${hex})`;
}

/** esm_class bits (SMPP 3.4 section 5.2.12). */
export const EsmClass = {
  /** Message type "SMSC delivery receipt" in a deliver_sm. */
  DELIVERY_RECEIPT: 0x04,
  /** short_message starts with a user data header. */
  UDH_INDICATOR: 0x40,
} as const;

/** message_state TLV values (SMPP 3.4 section 5.2.28). */
export const MessageState = {
  ENROUTE: 1,
  DELIVERED: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIVERABLE: 5,
  ACCEPTED: 6,
  UNKNOWN: 7,
  REJECTED: 8,
} as const;

/** The text of a received short_message, or of message_payload when short_message is empty. */
export function shortMessageText(pdu: Pdu): string {
  const text = messageText(pdu.short_message);
  return text === '' ? messageText(pdu.message_payload) : text;
}

function messageText(value: Pdu['short_message']): string {
  if (value === undefined) return '';
  const message = Buffer.isBuffer(value) ? value : value.message;
  return typeof message === 'string' ? message : message.toString('latin1');
}
