/**
 * `loa start` with a gateway configuration: SMPP bound over TLS to an SMSC with a certificate made for the
 * test, and configurations that would send in clear or trust the wrong authority, which stop the start.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmscSimulator } from '../../lambdas/adapters/smpp/smsc-simulator.js';
import { newTempFolder } from '../temp-folder.js';
import { selfSignedCertificate, type TestCertificate } from '../tls-certificate.js';
import { newDataDir, startRuntimeProcess } from './runtime-process.js';

const SLOW = 120_000;

describe('loa start with gateways that must be reached securely', () => {
  let folder: string;
  let certificate: TestCertificate;
  let stranger: TestCertificate;
  let smsc: SmscSimulator;
  let smscPort: number;

  beforeAll(async () => {
    folder = newTempFolder('loa-transport-');
    certificate = selfSignedCertificate(folder, 'smsc');
    stranger = selfSignedCertificate(folder, 'stranger');
    smsc = new SmscSimulator({
      reportDelayMs: 20,
      transientErrorRate: 0,
      permanentErrorRate: 0,
      undeliveredRate: 0,
      tls: { key: certificate.key, cert: certificate.cert },
    });
    ({ port: smscPort } = await smsc.start());
  });
  afterAll(() => smsc.close());

  function configWith(gateway: Record<string, unknown>): string {
    const file = join(folder, `${String(gateway.id)}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ gateways: [gateway], routes: [{ carriers: ['*'], gateways: [gateway.id] }] }));
    return file;
  }

  const smppOverTls = (caFile: string) => ({
    id: 'smsc-tls',
    type: 'smpp',
    host: '127.0.0.1',
    port: smscPort,
    tls: true,
    caFile,
    systemId: 'loa',
    password: 'loa',
    sourceAddr: 'LOA',
    responseTimeoutMs: 2_000,
  });

  it(
    'binds over TLS when the caFile vouches for the SMSC',
    async () => {
      const before = smsc.stats().binds;
      const runtime = await startRuntimeProcess(newDataDir(), { LOA_CONFIG: configWith(smppOverTls(certificate.certFile)) });

      expect(smsc.stats().binds).toBe(before + 1);
      runtime.child.kill('SIGTERM');
      expect(await runtime.exited).toBe(0);
    },
    SLOW,
  );

  it(
    'does not start when the SMSC presents a certificate of another authority',
    async () => {
      await expect(startRuntimeProcess(newDataDir(), { LOA_CONFIG: configWith(smppOverTls(stranger.certFile)) })).rejects.toThrow(
        /gateway smsc-tls: 127\.0\.0\.1:\d+: TLS handshake failed: .*not signed by the authority in .*stranger\.pem/,
      );
    },
    SLOW,
  );

  it(
    'does not start with an HTTP gateway over plain http to another host, and names it',
    async () => {
      const http = {
        id: 'aggregator-http',
        type: 'http',
        request: { url: 'http://example.com/send', fields: { Phone: '{phone}', Content: '{text}' } },
        response: { codeField: 'code', accepted: [100], messageIdField: 'id' },
      };

      await expect(startRuntimeProcess(newDataDir(), { LOA_CONFIG: configWith(http) })).rejects.toThrow(
        'gateways.0.request.url: gateway aggregator-http must use https: http is allowed only on loopback',
      );
    },
    SLOW,
  );
});
