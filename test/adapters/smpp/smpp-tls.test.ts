import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SmppConnectionError } from '../../../lambdas/adapters/smpp/smpp-errors.js';
import { SmppGateway } from '../../../lambdas/adapters/smpp/smpp-gateway.js';
import type { SmppGatewayOptions } from '../../../lambdas/adapters/smpp/smpp-gateway-options.js';
import { SmscSimulator } from '../../../lambdas/adapters/smpp/smsc-simulator.js';
import type { DeliveryReport } from '../../../lambdas/core/ports.js';
import { newTempFolder } from '../../temp-folder.js';
import { selfSignedCertificate, type TestCertificate } from '../../tls-certificate.js';
import { smppOptions } from './smpp-options.js';

const running: { close(): Promise<void> }[] = [];
let smsc: TestCertificate;
let stranger: TestCertificate;
let folder: string;

beforeAll(() => {
  folder = newTempFolder('loa-smpp-tls-');
  smsc = selfSignedCertificate(folder, 'smsc');
  stranger = selfSignedCertificate(folder, 'stranger');
});

afterEach(async () => {
  for (const closable of running.splice(0).reverse()) await closable.close();
});

async function aTlsSimulator(): Promise<{ simulator: SmscSimulator; port: number }> {
  const simulator = new SmscSimulator({
    reportDelayMs: 20,
    transientErrorRate: 0,
    permanentErrorRate: 0,
    undeliveredRate: 0,
    systemId: 'loa',
    password: 'secret',
    tls: { key: smsc.key, cert: smsc.cert },
  });
  running.push(simulator);
  const { port } = await simulator.start();
  return { simulator, port };
}

function aGateway(port: number, options: Partial<SmppGatewayOptions>) {
  const reports: DeliveryReport[] = [];
  const gateway = new SmppGateway(smppOptions(port, options), (report) => reports.push(report));
  running.push(gateway);
  return { gateway, reports };
}

describe('SmppGateway over TLS', () => {
  it('binds to an SMSC whose certificate the caFile vouches for, submits, and receives the delivery receipt', async () => {
    const { simulator, port } = await aTlsSimulator();
    const { gateway, reports } = aGateway(port, { tls: true, caFile: smsc.certFile });
    await gateway.start();

    const result = await gateway.submit({
      reference: 'cmp_1:run_1:+84912345678',
      to: '+84912345678',
      text: 'Thu nghiem TLS',
      encoding: 'GSM-7',
    });
    expect(result.outcome).toBe('accepted');
    for (let waited = 0; reports.length === 0 && waited < 2_000; waited += 10) await sleep(10);

    expect(simulator.received()).toMatchObject([{ to: '84912345678', text: 'Thu nghiem TLS' }]);
    expect(reports).toEqual([
      {
        gatewayId: 'smpp-vnpt',
        messageId: result.outcome === 'accepted' ? result.messageId : '',
        status: 'delivered',
        at: expect.any(String),
      },
    ]);
  });

  it('refuses to bind when the certificate is signed by another authority than the caFile, and says which file', async () => {
    const { simulator, port } = await aTlsSimulator();
    const { gateway } = aGateway(port, { tls: true, caFile: stranger.certFile });

    const bind = gateway.start();

    await expect(bind).rejects.toThrow(SmppConnectionError);
    await expect(bind).rejects.toThrow(
      new RegExp(
        `^127\\.0\\.0\\.1:${port}: TLS handshake failed: .+; the SMSC's certificate is not signed by the authority in ${stranger.certFile}`,
      ),
    );
    expect(simulator.stats().binds).toBe(0);
  });

  it('refuses a self-signed certificate when no caFile is given', async () => {
    const { port } = await aTlsSimulator();
    const { gateway } = aGateway(port, { tls: true });

    await expect(gateway.start()).rejects.toThrow(/TLS handshake failed: .+; .*set caFile to its CA/);
  });

  it('names a caFile it cannot read', async () => {
    const { port } = await aTlsSimulator();
    const { gateway } = aGateway(port, { tls: true, caFile: `${folder}/missing.pem` });

    await expect(gateway.start()).rejects.toThrow(`cannot read the caFile ${folder}/missing.pem (ENOENT)`);
  });

  it('does not bind in clear text to an SMSC that speaks TLS', async () => {
    const { simulator, port } = await aTlsSimulator();
    const { gateway } = aGateway(port, { responseTimeoutMs: 300 });

    await expect(gateway.start()).rejects.toThrow(SmppConnectionError);
    expect(simulator.stats().binds).toBe(0);
  });
});
