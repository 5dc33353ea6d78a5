import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { SmppGateway } from '../../../lambdas/adapters/smpp/smpp-gateway.js';
import { SmscSimulator, type SmscSimulatorOptions } from '../../../lambdas/adapters/smpp/smsc-simulator.js';
import type { DeliveryReport, OutgoingSms } from '../../../lambdas/core/ports.js';
import { smppOptions } from './smpp-options.js';
import { VIETNAMESE_300 } from './vietnamese-texts.js';

const running: { close(): Promise<void> }[] = [];
const directories: string[] = [];

afterEach(async () => {
  for (const closable of running.splice(0).reverse()) await closable.close();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

async function aSimulatorWithGateway(options: Partial<SmscSimulatorOptions> = {}, systemId = 'loa') {
  const simulator = new SmscSimulator({ reportDelayMs: 10, transientErrorRate: 0, permanentErrorRate: 0, undeliveredRate: 0, ...options });
  running.push(simulator);
  const { port } = await simulator.start();
  const reports: DeliveryReport[] = [];
  const gateway = new SmppGateway(smppOptions(port, { id: 'sim', systemId, sourceAddr: '84281022' }), (report) => reports.push(report));
  running.push(gateway);
  return { simulator, gateway, reports };
}

function anSms(to: string, text = 'Thong bao'): OutgoingSms {
  return { reference: `cmp:run:${to}`, to, text, encoding: 'GSM-7' };
}

describe('SmscSimulator', () => {
  it('appends the destination of each accepted message to the submit log once its last part is in', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'loa-smsc-'));
    directories.push(directory);
    const submitLogFile = join(directory, 'submits.log');
    const { gateway } = await aSimulatorWithGateway({ submitLogFile });
    await gateway.start();

    await gateway.submit(anSms('+84912345678', VIETNAMESE_300));
    await gateway.submit(anSms('+84987654321'));

    expect(readFileSync(submitLogFile, 'utf8')).toBe('84912345678\n84987654321\n');
  });

  it('records each accepted part time, and whole messages', async () => {
    const { simulator, gateway } = await aSimulatorWithGateway();
    await gateway.start();

    await gateway.submit(anSms('+84912345678', VIETNAMESE_300));

    expect(simulator.submitTimes()).toHaveLength(5);
    expect(simulator.received()).toHaveLength(1);
  });

  it('records nothing when told not to', async () => {
    const { simulator, gateway } = await aSimulatorWithGateway({ record: false });
    await gateway.start();

    await gateway.submit(anSms('+84912345678'));

    expect(simulator.received()).toEqual([]);
    expect(simulator.submitTimes()).toEqual([]);
  });

  it('never sends the receipts it is told to lose', async () => {
    const { gateway, reports } = await aSimulatorWithGateway({ lostReceiptRate: 1 });
    await gateway.start();

    expect((await gateway.submit(anSms('+84912345678'))).outcome).toBe('accepted');
    await sleep(100);

    expect(reports).toEqual([]);
  });

  it('refuses a bind with another system_id than its own', async () => {
    const { gateway } = await aSimulatorWithGateway({ systemId: 'loa' }, 'intruder');

    await expect(gateway.start()).rejects.toThrow('ESME_RINVSYSID (0x0F)');
  });
});
