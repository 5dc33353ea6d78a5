import { storesIn } from '../../../lambdas/core/ports.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteQueue } from '../../../lambdas/adapters/sqlite/sqlite-queue.js';
import { openSqliteStores, type SqliteStores } from '../../../lambdas/adapters/sqlite/sqlite-stores.js';
import type { Caller } from '../../../lambdas/core/auth/caller.js';
import { estimateCampaign } from '../../../lambdas/core/campaigns/campaign-estimate.js';
import { createCampaign } from '../../../lambdas/core/campaigns/campaign-use-cases.js';
import { DEFAULT_CONFIG, type SendingRoute } from '../../../lambdas/core/config.js';
import type { Deps } from '../../../lambdas/core/deps.js';
import type { Carrier } from '../../../lambdas/core/subscribers/carriers.js';
import { createSegment } from '../../../lambdas/core/segments/segment-use-cases.js';
import { approveTemplate, createTemplate, submitTemplate } from '../../../lambdas/core/templates/template-use-cases.js';

const author: Caller = { id: 'lan', roles: ['author'] };
const approver: Caller = { id: 'minh', roles: ['approver'] };
const NOW = new Date('2026-11-28T03:00:00Z');

let dir: string;
let store: SqliteStores;
let queue: SqliteQueue;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loa-estimate-'));
  store = openSqliteStores(join(dir, 'loa.db'));
  queue = SqliteQueue.open(join(dir, 'queue.db'), { now: () => NOW });
});
afterEach(() => {
  queue.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function depsWith(sendingRoutes?: SendingRoute[]): Deps {
  return {
    ...storesIn(store),
    queue,
    clock: { now: () => NOW },
    config: { ...DEFAULT_CONFIG, ...(sendingRoutes && { sendingRoutes }) },
    scheduler: {
      campaignScheduled: async () => {},
      campaignUnscheduled: async () => {},
      tourScheduled: async () => {},
      tourUnscheduled: async () => {},
    },
  };
}

/**
 * A campaign of a 2-part text (UCS-2) to 300 Viettel, 100 MobiFone and 50 VinaPhone subscribers and 10
 * of no known carrier.
 */
async function campaignOf(deps: Deps): Promise<string> {
  await store.audience.putAreas([{ code: 'DNI', name: 'Đồng Nai', path: 'DNI' }]);
  const mix: [Carrier | undefined, number][] = [
    ['viettel', 300],
    ['mobifone', 100],
    ['vinaphone', 50],
    [undefined, 10],
  ];
  let index = 0;
  for (const [carrier, count] of mix) {
    await store.audience.upsertSubscribers(
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
  const template = await createTemplate(deps, author, { name: 'T', body: text, placeholders: [] });
  await submitTemplate(deps, author, template.id);
  await approveTemplate(deps, approver, template.id, 1);
  const segment = await createSegment(deps, author, { name: 'All', filter: { areas: ['DNI'], tags: [], carriers: [] } });
  const campaign = await createCampaign(deps, author, {
    name: 'C',
    templateId: template.id,
    templateVersion: 1,
    segmentId: segment.id,
    variables: {},
    priority: 'normal',
    test: false,
    stripDiacritics: false,
  });
  return campaign.id;
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
