/**
 * The progress page's data and the approver's time-to-send, over HTTP from the running runtime: a campaign
 * sent through the built-in SMSC simulator, watched through GET /v1/campaigns/{id}/progress.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { carrierFromPrefix } from '../../lambdas/core/subscribers/carriers.js';
import { startRuntime, type Runtime } from '../../lambdas/embedded/runtime.js';
import { setUpCampaign } from '../embedded/campaign-setup.js';
import { newDataDir, quietHoursAwayFromNow, waitFor } from '../embedded/runtime-process.js';

let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
});

const SIMULATOR_PARTS_PER_SECOND = 400;

async function startSimulatedRuntime() {
  const dataDir = newDataDir();
  const [start, end] = quietHoursAwayFromNow().split('-') as [string, string];
  runtime = await startRuntime({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    config: { ...DEFAULT_CONFIG, quietHours: { start, end } },
    simulator: {
      smscPort: 0,
      reportDelayMs: 50,
      transientErrorRate: 0,
      permanentErrorRate: 0,
      undeliveredRate: 0,
      messagesPerSecond: SIMULATOR_PARTS_PER_SECOND,
    },
  });
  return { url: runtime.url, dataDir };
}

type Counts = Record<'queued' | 'submitted' | 'delivered' | 'failed' | 'expired' | 'total', number>;

describe('the progress of a campaign sent through the runtime', () => {
  it('adds up to its recipients by carrier and by area, and shows its deliveries minute by minute', async () => {
    const { url, dataDir: dir } = await startSimulatedRuntime();
    const { campaignId, phones, optedOut, callAs } = await setUpCampaign(url, dir, { subscribers: 300, optOuts: 4, startInSeconds: 1 });
    const recipients = phones.filter((phone) => !optedOut.includes(phone));

    const progress = await waitFor('every delivery report', async () => {
      const { status, body } = await callAs.viewer('GET', `/v1/campaigns/${campaignId}/progress`);
      expect(status).toBe(200);
      return body.status === 'completed' && body.counts.delivered === recipients.length ? body : undefined;
    });

    expect(progress).toMatchObject({ campaignId, status: 'completed', test: false });
    expect(progress.counts).toEqual({
      queued: 0,
      submitted: 0,
      delivered: recipients.length,
      failed: 0,
      expired: 0,
      total: recipients.length,
    });

    const byCarrier = new Map<string, number>();
    for (const phone of recipients) {
      const carrier = carrierFromPrefix(phone) ?? 'unknown';
      byCarrier.set(carrier, (byCarrier.get(carrier) ?? 0) + 1);
    }
    expect(
      Object.fromEntries(Object.entries(progress.byCarrier as Record<string, Counts>).map(([carrier, c]) => [carrier, c.delivered])),
    ).toEqual(Object.fromEntries(byCarrier));
    // The import alternates the two wards; the first opted-out numbers are two of each.
    expect(progress.byArea).toEqual({
      'DNI-DX-1': { queued: 0, submitted: 0, delivered: 148, failed: 0, expired: 0, total: 148 },
      'DNI-DX-2': { queued: 0, submitted: 0, delivered: 148, failed: 0, expired: 0, total: 148 },
    });

    const minutes = progress.deliveredOverTime as { minute: string; delivered: number }[];
    expect(minutes.reduce((sum, m) => sum + m.delivered, 0)).toBe(recipients.length);
    expect(minutes.map((m) => m.minute)).toEqual([...minutes.map((m) => m.minute)].sort());
    for (const { minute } of minutes) expect(minute).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    expect(Date.parse(progress.updatedAt)).toBeGreaterThanOrEqual(Date.parse(minutes[minutes.length - 1]!.minute));

    for (const role of ['author', 'approver', 'operator'] as const) {
      expect((await callAs[role]('GET', `/v1/campaigns/${campaignId}/progress`)).status).toBe(200);
    }
    expect((await callAs.viewer('GET', '/v1/campaigns/cmp_nope/progress')).status).toBe(404);
  }, 120_000);

  it("tells the approver how long the sending takes at the simulator's rate", async () => {
    const { url, dataDir: dir } = await startSimulatedRuntime();
    const { campaignId, callAs } = await setUpCampaign(url, dir, { subscribers: 40, optOuts: 0, startInSeconds: 3_600 });

    const { status, body } = await callAs.approver('GET', `/v1/campaigns/${campaignId}/estimate`);

    expect(status).toBe(200);
    expect(body.byGateway).toEqual({
      simulator: {
        carriers: expect.any(Array),
        parts: body.parts,
        partsPerSecond: SIMULATOR_PARTS_PER_SECOND,
        sendingSeconds: Math.ceil(body.parts / SIMULATOR_PARTS_PER_SECOND),
      },
    });
    expect(body.sendingSeconds).toBe(Math.ceil(body.parts / SIMULATOR_PARTS_PER_SECOND));
  }, 60_000);
});
