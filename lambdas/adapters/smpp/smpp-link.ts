/** One session of an SMPP gateway, kept bound: the bind, the SMSC's enquire_link and unbind, reconnection. */
import { readFileSync } from 'node:fs';
import { SmppBindRefusedError, SmppConnectionError } from './smpp-errors.js';
import type { SmppGatewayOptions } from './smpp-gateway-options.js';
import {
  CommandStatus,
  connectSession,
  describeCommandStatus,
  newPdu,
  type Pdu,
  type SessionTls,
  SMPP_VERSION_3_4,
  type SmppSession,
} from './smpp-library.js';

export type BindMode = 'transceiver' | 'transmitter' | 'receiver';

/** What a link tells the gateway it serves. */
export interface LinkOwner {
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
export class SmppLink {
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
    const bindCommand = `bind_${this.mode}` as const;
    const { tls, problem } = this.tlsSettings();
    let failure: Error | undefined = problem;
    const session = connectSession(host, port, tls);
    this.current = { session, closed: new Promise((resolve) => session.on('close', resolve)) };
    if (problem !== undefined) session.destroy();
    let connected = false;
    let secured = false;
    session.on('connect', () => (connected = true));
    // One deadline for connecting and binding: an SMSC that takes the connection but never answers is down all the same.
    const bindTimer = setTimeout(() => {
      failure = new SmppConnectionError(`no ${bindCommand}_resp from ${host}:${port} within ${responseTimeoutMs} ms`);
      session.destroy();
    }, responseTimeoutMs);
    // Over TLS the bind waits for the handshake, so the password never leaves before the SMSC has proved who it is.
    session.on(tls === undefined ? 'connect' : 'secureConnect', () => {
      secured = true;
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
      const handshake = tls !== undefined && connected && !secured;
      const untrusted = handshake && /CERT|SIGNATURE/.test((error as NodeJS.ErrnoException).code ?? '');
      const what = `${handshake ? 'TLS handshake failed: ' : ''}${error.message}${untrusted ? `; ${certificateHint(this.options)}` : ''}`;
      failure ??= new SmppConnectionError(`${host}:${port}: ${what}`, { cause: error });
    });
    session.on('pdu', (pdu) => this.received(session, pdu));
    session.on('close', () => {
      clearTimeout(bindTimer);
      this.closed(session, failure);
    });
  }

  /**
   * Read at every connection, so a renewed CA file applies at the next reconnect. A CA file that cannot be
   * read is a problem that ends the connection before it is made, over TLS all the same.
   */
  private tlsSettings(): { tls?: SessionTls; problem?: Error } {
    const { tls, caFile } = this.options;
    if (!tls) return {};
    if (caFile === undefined) return { tls: {} };
    try {
      return { tls: { ca: readFileSync(caFile) } };
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      return { tls: {}, problem: new SmppConnectionError(`cannot read the caFile ${caFile} (${reason})`) };
    }
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

function certificateHint(options: SmppGatewayOptions): string {
  return options.caFile === undefined
    ? "the SMSC's certificate is not signed by an authority Node trusts: set caFile to its CA"
    : `the SMSC's certificate is not signed by the authority in ${options.caFile}, or not issued for ${options.host}`;
}
