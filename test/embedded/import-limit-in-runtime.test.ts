import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { oversizedUpload, uploadStream } from '../http/oversized-upload.js';
import { setUpCampaign } from './campaign-setup.js';
import { newDataDir, startRuntimeProcess, tokenFor, waitFor, type RuntimeProcess } from './runtime-process.js';

const MB = 1024 * 1024;

/** The resident memory of a process, from Linux's /proc. */
function residentBytes(pid: number): number {
  const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kilobytes) * 1024;
}

describe('an oversized import while a campaign sends', () => {
  let runtime: RuntimeProcess | undefined;
  afterEach(() => {
    runtime?.child.kill('SIGKILL');
  });

  it('is refused with 413 once past 50 MB, while the sender keeps sending and the memory stays flat', async () => {
    const dataDir = newDataDir();
    // Slow enough that the campaign is still sending when the upload is refused.
    runtime = await startRuntimeProcess(dataDir, { LOA_SIM_TPS: '50', LOA_SIM_REPORT_DELAY_MS: '100' });
    const { campaignId, callAs } = await setUpCampaign(runtime.url, dataDir, { subscribers: 3_000, optOuts: 0, startInSeconds: 2 });
    const sentSoFar = async () => {
      const { counts } = (await callAs.viewer('GET', `/v1/campaigns/${campaignId}`)).body;
      return (counts.submitted as number) + (counts.delivered as number) + (counts.failed as number);
    };
    await waitFor('the campaign to start sending', async () => ((await sentSoFar()) > 0 ? true : undefined));

    const pid = runtime.child.pid!;
    const before = { sent: await sentSoFar(), memory: residentBytes(pid) };
    let peakMemory = before.memory;
    const sampler = setInterval(() => (peakMemory = Math.max(peakMemory, residentBytes(pid))), 50);
    const response = await fetch(`${runtime.url}/v1/subscribers/import?fileName=huge.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor(dataDir, 'hoa', ['operator'])}`, 'content-type': 'text/csv' },
      body: uploadStream(oversizedUpload({ head: 'phone,area,tags,note\n0961999001,DNI-DX-1,,\n', bytes: 60 * MB })),
      duplex: 'half',
    } as RequestInit);
    const refusal = (await response.json()) as { detail: string };
    clearInterval(sampler);
    const after = await sentSoFar();

    expect(response.status).toBe(413);
    expect(refusal.detail).toMatch(/at most 50 MB/);
    expect(after).toBeGreaterThan(before.sent);
    expect(peakMemory - before.memory).toBeLessThan(40 * MB);
    expect((await callAs.operator('POST', '/v1/subscribers/lookup', { phone: '0961999001' })).status).toBe(404);

    runtime.child.kill('SIGTERM');
    expect(await runtime.exited).toBe(0);
  }, 180_000);
});
