import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allReceipts, setUpCampaign } from './campaign-setup.js';
import { api, newDataDir, startRuntimeProcess, tokenFor, waitFor, type RuntimeProcess } from './runtime-process.js';

/** At most this many messages are submitted but not yet recorded at once: 4 senders, 250 each. */
const IN_FLIGHT_WINDOW = 1_000;

describe('a runtime killed in the middle of a campaign', () => {
  const runtimes: RuntimeProcess[] = [];
  afterEach(() => {
    for (const runtime of runtimes) runtime.child.kill('SIGKILL');
  });

  it('completes the campaign after a restart with no recipient missing', async () => {
    const dataDir = newDataDir();
    const submitLog = join(dataDir, 'carrier-submits.log');
    const env = { LOA_SIM_TPS: '2000', LOA_SIM_REPORT_DELAY_MS: '100', LOA_SIM_SUBMIT_LOG: submitLog };
    const first = await startRuntimeProcess(dataDir, env);
    runtimes.push(first);
    const { campaignId, phones, optedOut, callAs } = await setUpCampaign(first.url, dataDir, {
      subscribers: 20_000,
      optOuts: 3,
      startInSeconds: 2,
    });

    await waitFor('the campaign to be well under way', async () => {
      const { body } = await callAs.viewer('GET', `/v1/campaigns/${campaignId}`);
      return body.counts.submitted + body.counts.delivered >= 4_000 ? true : undefined;
    });
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startRuntimeProcess(dataDir, env);
    runtimes.push(second);
    const restarted = {
      viewer: api(second.url, await tokenFor(dataDir, 'tuan', ['viewer'])),
      operator: api(second.url, await tokenFor(dataDir, 'hoa', ['operator'])),
    };
    const expected = phones.length - optedOut.length;
    const done = await waitFor(
      'the campaign to complete',
      async () => {
        const { body } = await restarted.viewer('GET', `/v1/campaigns/${campaignId}`);
        return body.status === 'completed' ? body : undefined;
      },
      90_000,
    );
    expect(done.counts.total).toBe(expected);
    expect(done.counts.queued).toBe(0);

    const receipts = await allReceipts(restarted.operator, campaignId);
    expect(new Set(receipts.map((receipt) => receipt.phone)).size).toBe(expected);
    expect(receipts).toHaveLength(expected);

    const submits = readFileSync(submitLog, 'utf8').trim().split('\n');
    const sentTwice = submits.length - new Set(submits).size;
    console.info(`crash test: ${expected} recipients, ${submits.length} submits, ${sentTwice} sent twice`);
    expect(new Set(submits).size).toBe(expected);
    expect(sentTwice).toBeLessThanOrEqual(IN_FLIGHT_WINDOW);
  }, 180_000);
});
