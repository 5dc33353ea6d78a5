import { afterEach, describe, expect, it } from 'vitest';
import { allReceipts, setUpCampaign } from './campaign-setup.js';
import { newDataDir, startRuntimeProcess, waitFor, type RuntimeProcess } from './runtime-process.js';

describe('a campaign through the running runtime', () => {
  let runtime: RuntimeProcess | undefined;
  afterEach(() => {
    runtime?.child.kill('SIGKILL');
  });

  it('reaches every subscriber exactly once, records every delivery report, and skips opted-out numbers', async () => {
    const dataDir = newDataDir();
    runtime = await startRuntimeProcess(dataDir, { LOA_SIM_REPORT_DELAY_MS: '200' });
    const { campaignId, phones, optedOut, callAs } = await setUpCampaign(runtime.url, dataDir, {
      subscribers: 3_000,
      optOuts: 5,
      startInSeconds: 3,
    });

    const expected = phones.length - optedOut.length;
    const done = await waitFor('all delivery reports', async () => {
      const campaign = await callAs.viewer('GET', `/v1/campaigns/${campaignId}`);
      return campaign.body.status === 'completed' && campaign.body.counts.delivered === expected ? campaign.body : undefined;
    });
    expect(done.counts).toMatchObject({ queued: 0, submitted: 0, delivered: expected, failed: 0, expired: 0, total: expected });

    const receipts = await allReceipts(callAs.operator, campaignId);
    const byPhone = new Map<string, number>();
    for (const receipt of receipts) byPhone.set(receipt.phone, (byPhone.get(receipt.phone) ?? 0) + 1);
    expect(receipts).toHaveLength(expected);
    expect([...byPhone.values()].every((count) => count === 1)).toBe(true);
    expect(receipts.every((receipt) => receipt.status === 'delivered' && receipt.gatewayMessageId)).toBe(true);
    for (const phone of optedOut) expect(byPhone.has(phone)).toBe(false);

    runtime.child.kill('SIGTERM');
    expect(await runtime.exited).toBe(0);
  }, 120_000);
});
