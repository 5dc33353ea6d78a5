import type { SmppGatewayOptions } from '../../../lambdas/adapters/smpp/smpp-gateway-options.js';

/** A bind to an SMSC simulator on loopback, with the short timeouts and backoff tests want. */
export function smppOptions(port: number, overrides: Partial<SmppGatewayOptions> = {}): SmppGatewayOptions {
  return {
    id: 'smpp-vnpt',
    host: '127.0.0.1',
    port,
    systemId: 'loa',
    password: 'secret',
    systemType: '',
    sourceAddr: 'TTTT-DNAI',
    window: 10,
    split: 'udh',
    bind: 'transceiver',
    responseTimeoutMs: 1_000,
    enquireLinkMs: 5_000,
    reconnectMinMs: 20,
    reconnectMaxMs: 200,
    messageIds: { submit: 'text', receipt: 'text' },
    ...overrides,
  };
}
