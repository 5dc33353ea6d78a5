/**
 * Campaigns through the runtime over real gateways on loopback: an SMPP bind to the SMSC simulator with
 * its fault modes, and an eSMS-style HTTP provider with its delivery-report webhook.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SmscSimulator, type SmscSimulatorOptions } from '../../lambdas/adapters/smpp/smsc-simulator.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { DEFAULT_HEALTH_POLICY } from '../../lambdas/core/gateways/gateway-health.js';
import type { GatewayConfig } from '../../lambdas/embedded/loa-config.js';
import { startRuntime, type Runtime } from '../../lambdas/embedded/runtime.js';
import { esmsOptions, ESMS_WEBHOOK_TOKEN } from '../adapters/http-gateway/esms-options.js';
import { FakeProvider } from '../adapters/http-gateway/fake-provider.js';
import { smppOptions } from '../adapters/smpp/smpp-options.js';
import { allReceipts, setUpCampaign, type CampaignSetup } from './campaign-setup.js';
import { newDataDir, quietHoursAwayFromNow, waitFor } from './runtime-process.js';

let runtime: Runtime | undefined;
let smsc: SmscSimulator | undefined;
let provider: FakeProvider | undefined;
afterEach(async () => {
  await runtime?.stop();
  await smsc?.close();
  await provider?.stop();
  runtime = smsc = provider = undefined;
});

const NO_FAULTS = { reportDelayMs: 50, transientErrorRate: 0, permanentErrorRate: 0, undeliveredRate: 0 };

async function startWith(gateway: GatewayConfig): Promise<{ url: string; dataDir: string }> {
  const dataDir = newDataDir();
  const [start, end] = quietHoursAwayFromNow().split('-') as [string, string];
  runtime = await startRuntime({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    config: { ...DEFAULT_CONFIG, quietHours: { start, end }, retryBaseMs: 100 },
    gateways: { gateways: [gateway], routes: [{ carriers: ['*'], gateways: [gateway.id] }], health: DEFAULT_HEALTH_POLICY },
    simulator: { ...NO_FAULTS, smscPort: 0 },
  });
  return { url: runtime.url, dataDir };
}

async function startSmpp(faults: Partial<SmscSimulatorOptions>, tps?: number) {
  smsc = new SmscSimulator({ ...NO_FAULTS, ...faults });
  const { port } = await smsc.start();
  return startWith({
    ...smppOptions(port, { id: 'carrier-smpp', window: 50, responseTimeoutMs: 2_000, reconnectMinMs: 50, reconnectMaxMs: 500 }),
    ...(tps !== undefined && { tps }),
    type: 'smpp',
  });
}

async function completed(setup: CampaignSetup) {
  return waitFor(
    'the campaign to complete',
    async () => {
      const { body } = await setup.callAs.viewer('GET', `/v1/campaigns/${setup.campaignId}`);
      return body.status === 'completed' ? body : undefined;
    },
    90_000,
  );
}

describe('a campaign over SMPP', () => {
  it('loses nothing when the SMSC drops the connection mid-campaign: every recipient gets one receipt', async () => {
    const { url, dataDir } = await startSmpp({ dropConnectionEvery: 150 });
    const setup = await setUpCampaign(url, dataDir, { subscribers: 600, optOuts: 0, startInSeconds: 4 });
    const done = await completed(setup);
    expect(done.counts).toMatchObject({ total: 600, queued: 0, failed: 0 });

    const receipts = await allReceipts(setup.callAs.operator, setup.campaignId);
    expect(new Set(receipts.map((receipt) => receipt.phone)).size).toBe(600);
    const reached = new Set(smsc!.received().map((sms) => `+${sms.to}`));
    expect(setup.phones.every((phone) => reached.has(phone))).toBe(true);
    expect(smsc!.stats().binds).toBeGreaterThan(3);

    const gateways = await setup.callAs.viewer('GET', '/v1/gateways');
    expect(gateways.body.items).toEqual([
      expect.objectContaining({ id: 'carrier-smpp', state: expect.any(String), details: expect.objectContaining({ state: 'bound' }) }),
    ]);
    expect(gateways.body.items[0].details.reconnects).toBeGreaterThan(3);
  }, 120_000);

  it('slows down when the SMSC throttles, and fails nothing', async () => {
    const { url, dataDir } = await startSmpp({ throttleAbovePerSecond: 150 });
    const setup = await setUpCampaign(url, dataDir, { subscribers: 600, optOuts: 0, startInSeconds: 4 });
    const done = await completed(setup);
    expect(done.counts).toMatchObject({ total: 600, queued: 0, failed: 0 });
    expect(smsc!.stats().throttled).toBeGreaterThan(0);
    expect(smsc!.received()).toHaveLength(600);
  }, 120_000);

  it('holds the configured rate in message parts a second within 10% over 10 seconds', async () => {
    const tps = 100;
    const { url, dataDir } = await startSmpp({}, tps);
    const setup = await setUpCampaign(url, dataDir, { subscribers: 1_150, optOuts: 0, startInSeconds: 4 });
    await completed(setup);

    // The bucket starts full (one second's worth at once); the steady rate is what follows it.
    const times = smsc!.submitTimes().slice(tps);
    const seconds = (times.at(-1)! - times[0]!) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(10);
    const rate = (times.length - 1) / seconds;
    expect(rate).toBeGreaterThan(tps * 0.9);
    expect(rate).toBeLessThan(tps * 1.1);
  }, 120_000);
});

describe('a campaign over an eSMS-style HTTP API', () => {
  it('sends each message once, and takes delivery reports on the webhook as eSMS sends them, refusing a wrong token', async () => {
    provider = await FakeProvider.start();
    const { url, dataDir } = await startWith({ ...esmsOptions(provider.baseUrl), type: 'http' });
    const setup = await setUpCampaign(url, dataDir, { subscribers: 6, optOuts: 1, startInSeconds: 4 });
    const done = await completed(setup);
    expect(done.counts).toMatchObject({ total: 5, submitted: 5 });
    expect(provider.requests).toHaveLength(5);
    const sent = provider.jsonBodies();
    expect(sent[0]).toMatchObject({ IsUnicode: '1', Brandname: 'UBNDDONGNAI' });
    expect(new Set(sent.map((body) => body.Phone)).size).toBe(5);

    const receipts = await allReceipts(setup.callAs.operator, setup.campaignId);
    // As eSMS calls the CallbackUrl: GET, the report in the query, with the token the URL was given.
    const report = (token: string, smsId: string) =>
      fetch(
        `${url}/v1/dlr/esms?token=${token}&SMSID=${smsId}&SendFailed=0&SendStatus=5&SendSuccess=1` +
          '&TotalPrice=0.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=2&telcoid=1&phonenumber=0912345678',
      );

    const forged = await report('not-the-token', receipts[0]!.gatewayMessageId!);
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toMatch(/problem\+json/);
    const unchanged = await setup.callAs.viewer('GET', `/v1/campaigns/${setup.campaignId}`);
    expect(unchanged.body.counts).toMatchObject({ delivered: 0, submitted: 5 });

    const accepted = await report(ESMS_WEBHOOK_TOKEN, receipts[0]!.gatewayMessageId!);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ received: 1, applied: 1 });
    const repeated = await report(ESMS_WEBHOOK_TOKEN, receipts[0]!.gatewayMessageId!);
    expect(await repeated.json()).toEqual({ received: 1, applied: 0 });
    const after = await setup.callAs.viewer('GET', `/v1/campaigns/${setup.campaignId}`);
    expect(after.body.counts).toMatchObject({ delivered: 1, submitted: 4 });

    expect((await fetch(`${url}/v1/dlr/nowhere`, { method: 'POST', body: '{}' })).status).toBe(404);
  }, 60_000);
});
