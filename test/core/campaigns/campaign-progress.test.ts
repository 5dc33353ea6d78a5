import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SqliteStores } from '../../../lambdas/adapters/sqlite/sqlite-stores.js';
import { campaignProgress } from '../../../lambdas/core/campaigns/campaign-progress.js';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config.js';
import type { DispatchDeps } from '../../../lambdas/core/dispatch/dispatcher.js';
import { NotFoundError } from '../../../lambdas/core/errors.js';
import type { Gateway, OutgoingSms, SubmitResult } from '../../../lambdas/core/ports.js';
import { openSqliteDeps, type SqliteDeps } from '../../sqlite-deps.js';
import { throughOneGateway } from '../dispatch/one-gateway.js';
import { sendEverythingDue } from '../dispatch/send-everything-due.js';
import { anApprovedCampaignToDni } from './campaign-fixture.js';

/** 10:00 in Hanoi: inside the sending window. */
const MORNING = new Date('2026-11-28T03:00:00Z');

/** Accepts everything, with the message's own reference as its id. */
class AcceptingGateway implements Gateway {
  readonly id = 'carrier';
  readonly messagesPerSecond = undefined;
  async submit(message: OutgoingSms): Promise<SubmitResult> {
    return { outcome: 'accepted', messageId: message.reference };
  }
}

let now: Date;
let sqlite: SqliteDeps;
let store: SqliteStores;
let deps: DispatchDeps;

beforeEach(() => {
  now = MORNING;
  sqlite = openSqliteDeps({ clock: { now: () => now }, config: { ...DEFAULT_CONFIG, sliceSize: 3 } });
  store = sqlite.stores;
  deps = throughOneGateway(sqlite.deps, new AcceptingGateway());
});
afterEach(() => sqlite.close());

const phone = (index: number) => `+8496${String(1_000_000 + index).slice(-7)}`;

/** Six Viettel subscribers in one ward and four MobiFone ones in another, all under the province. */
async function twoWards() {
  await store.audience.putAreas([
    { code: 'DNI', name: 'Đồng Nai', path: 'DNI' },
    { code: 'DNI-1', name: 'Tân Bình', parentCode: 'DNI', path: 'DNI/DNI-1' },
    { code: 'DNI-2', name: 'Phú Thanh', parentCode: 'DNI', path: 'DNI/DNI-2' },
  ]);
  await store.audience.upsertSubscribers(
    Array.from({ length: 10 }, (_, index) => ({
      phone: phone(index),
      areaCode: index < 6 ? 'DNI-1' : 'DNI-2',
      areaPath: index < 6 ? 'DNI/DNI-1' : 'DNI/DNI-2',
      tags: [],
      carrier: index < 6 ? ('viettel' as const) : ('mobifone' as const),
      carrierSource: 'explicit' as const,
      updatedAt: MORNING.toISOString(),
    })),
  );
}

async function sentCampaign() {
  const campaign = await anApprovedCampaignToDni(deps, { body: 'Thong bao mat nuoc', placeholders: [] });
  await sendEverythingDue(deps);
  const runId = (await store.receipts.listReceipts(campaign.id, {}, { limit: 1 })).items[0]!.runId;
  const report = (index: number, status: 'delivered' | 'failed', at: string) => ({
    gatewayId: 'carrier',
    messageId: `${campaign.id}:${runId}:${phone(index)}`,
    status,
    at,
  });
  return { campaignId: campaign.id, report };
}

const counts = (partial: Partial<Record<'queued' | 'submitted' | 'delivered' | 'failed' | 'expired', number>>) => {
  const full = { queued: 0, submitted: 0, delivered: 0, failed: 0, expired: 0, ...partial };
  return { ...full, total: Object.values(full).reduce((sum, n) => sum + n, 0) };
};

describe('the live progress of a campaign', () => {
  it('counts its receipts by status, carrier and ward, and its deliveries minute by minute', async () => {
    await twoWards();
    const { campaignId, report } = await sentCampaign();
    await store.receipts.recordDeliveryReports([
      ...[0, 1, 2, 6, 7].map((i) => report(i, 'delivered', '2026-11-28T03:00:30.000Z')),
      ...[3, 4, 8].map((i) => report(i, 'delivered', '2026-11-28T03:01:05.000Z')),
      report(9, 'failed', '2026-11-28T03:01:10.000Z'),
    ]);
    now = new Date('2026-11-28T03:02:00.000Z');

    expect(await campaignProgress(deps, campaignId)).toEqual({
      campaignId,
      status: 'completed',
      test: false,
      counts: counts({ submitted: 1, delivered: 8, failed: 1 }),
      byCarrier: { viettel: counts({ submitted: 1, delivered: 5 }), mobifone: counts({ delivered: 3, failed: 1 }) },
      byArea: { 'DNI-1': counts({ submitted: 1, delivered: 5 }), 'DNI-2': counts({ delivered: 3, failed: 1 }) },
      deliveredOverTime: [
        { minute: '2026-11-28T03:00:00.000Z', delivered: 5 },
        { minute: '2026-11-28T03:01:00.000Z', delivered: 3 },
      ],
      updatedAt: '2026-11-28T03:02:00.000Z',
    });
  });

  it('reads only counters, never the receipts', async () => {
    await twoWards();
    const { campaignId } = await sentCampaign();
    const receiptReads = [
      vi.spyOn(store.receipts, 'listReceipts'),
      vi.spyOn(store.receipts, 'getReceipt'),
      vi.spyOn(store.receipts, 'queuedPhones'),
    ];

    const progress = await campaignProgress(deps, campaignId);

    expect(progress.counts.submitted).toBe(10);
    for (const read of receiptReads) expect(read).not.toHaveBeenCalled();
  });

  it('says a campaign it does not know is not found', async () => {
    await expect(campaignProgress(deps, 'cmp_nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});
