import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { estimateCampaign } from '../../../lambdas/core/campaigns/campaign-estimate.js';
import { DEFAULT_CONFIG, type SendingRoute } from '../../../lambdas/core/config.js';
import type { Deps } from '../../../lambdas/core/deps.js';
import type { Carrier } from '../../../lambdas/core/subscribers/carriers.js';
import { openSqliteDeps, type SqliteDeps } from '../../sqlite-deps.js';
import { aCampaignToDni } from './campaign-fixture.js';

const NOW = new Date('2026-11-28T03:00:00Z');

let sqlite: SqliteDeps;

beforeEach(() => {
  sqlite = openSqliteDeps({ clock: { now: () => NOW } });
});
afterEach(() => sqlite.close());

function depsWith(sendingRoutes?: SendingRoute[]): Deps {
  return { ...sqlite.deps, config: { ...DEFAULT_CONFIG, ...(sendingRoutes && { sendingRoutes }) } };
}

/**
 * A campaign of a 2-part text (UCS-2) to 300 Viettel, 100 MobiFone and 50 VinaPhone subscribers and 10
 * of no known carrier.
 */
async function campaignOf(deps: Deps): Promise<string> {
  await deps.audience.putAreas([{ code: 'DNI', name: 'Đồng Nai', path: 'DNI' }]);
  const mix: [Carrier | undefined, number][] = [
    ['viettel', 300],
    ['mobifone', 100],
    ['vinaphone', 50],
    [undefined, 10],
  ];
  let index = 0;
  for (const [carrier, count] of mix) {
    await deps.audience.upsertSubscribers(
      Array.from({ length: count }, () => ({
        phone: `+8420${String(1_000_000 + index++).slice(-7)}`,
        areaCode: 'DNI',
        areaPath: 'DNI',
        tags: [],
        ...(carrier && { carrier }),
        carrierSource: carrier ? ('explicit' as const) : ('unknown' as const),
        updatedAt: NOW.toISOString(),
      })),
    );
  }
  const text = 'Sở Y tế khuyến cáo người dân đeo khẩu trang nơi công cộng, rửa tay thường xuyên và gọi 1022 khi cần hỗ trợ.';
  return (await aCampaignToDni(deps, { body: text, placeholders: [] })).id;
}

describe('how long a campaign takes to send, in its estimate', () => {
  it("divides each carrier's parts by the rate of its route's first gateway, and adds up carriers sharing one", async () => {
    const deps = depsWith([
      { carriers: ['viettel'], gatewayId: 'viettel-smpp', partsPerSecond: 50 },
      { carriers: ['mobifone', '*'], gatewayId: 'aggregator', partsPerSecond: 20 },
    ]);
    const estimate = await estimateCampaign(deps, await campaignOf(deps));

    expect(estimate).toMatchObject({
      partsPerMessage: 2,
      parts: 920,
      byCarrier: {
        viettel: { parts: 600, gatewayId: 'viettel-smpp', partsPerSecond: 50, sendingSeconds: 12 },
        mobifone: { parts: 200, gatewayId: 'aggregator', partsPerSecond: 20, sendingSeconds: 10 },
        vinaphone: { parts: 100, gatewayId: 'aggregator', partsPerSecond: 20, sendingSeconds: 5 },
        unknown: { parts: 20, gatewayId: 'aggregator', partsPerSecond: 20, sendingSeconds: 1 },
      },
      byGateway: {
        'viettel-smpp': { carriers: ['viettel'], parts: 600, partsPerSecond: 50, sendingSeconds: 12 },
        aggregator: {
          carriers: expect.arrayContaining(['mobifone', 'vinaphone', 'unknown']),
          parts: 320,
          partsPerSecond: 20,
          sendingSeconds: 16,
        },
      },
    });
    // The gateways send side by side: the slowest one, which carries three carriers, sets the time.
    expect(estimate.sendingSeconds).toBe(16);
  });

  it('gives no total when a gateway reached has no known rate, rather than guess', async () => {
    const deps = depsWith([
      { carriers: ['viettel'], gatewayId: 'viettel-smpp', partsPerSecond: 50 },
      { carriers: ['*'], gatewayId: 'http-provider' },
    ]);
    const estimate = await estimateCampaign(deps, await campaignOf(deps));

    expect(estimate.byCarrier.viettel).toMatchObject({ partsPerSecond: 50, sendingSeconds: 12 });
    expect(estimate.byCarrier.mobifone).toEqual({ recipients: 100, parts: 200, gatewayId: 'http-provider' });
    expect(estimate.byGateway?.['http-provider']).toEqual({ carriers: expect.any(Array), parts: 320 });
    expect(estimate.sendingSeconds).toBeUndefined();
  });

  it('says nothing of time when the runtime gave no routes', async () => {
    const deps = depsWith();
    const estimate = await estimateCampaign(deps, await campaignOf(deps));

    expect(estimate.sendingSeconds).toBeUndefined();
    expect(estimate.byGateway).toBeUndefined();
    expect(estimate.byCarrier.viettel).toEqual({ recipients: 300, parts: 600 });
  });
});
