/** How an SMPP gateway is configured (loa.config's `smpp` gateways), and what it tells its owner. */
import type { MessageIdFormats } from './delivery-receipt.js';
import type { SplitMode } from './smpp-message-parts.js';

export interface SmppGatewayOptions {
  id: string;
  host: string;
  port: number;
  /** SMPP over TLS; the SMSC's certificate must be valid for `host` and signed by a trusted authority. */
  tls?: boolean;
  /** A PEM file of the authorities to trust instead of Node's (an SMSC with a private or self-signed CA); only with tls. */
  caFile?: string;
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
