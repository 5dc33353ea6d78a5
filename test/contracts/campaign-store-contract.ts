/**
 * The behaviour every CampaignStore adapter must have: campaigns, the campaigns due, their runs, and the
 * campaigns found by status and creator (core/list-filters.ts). How the stores are opened:
 * store-contract-fixture.ts.
 */
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../lambdas/core/errors.js';
import type { Campaign, CampaignStatus } from '../../lambdas/core/model.js';
import { aCampaign, aRun, at, uniqueId } from '../factories.js';
import { collect, type OpenStores, storesOpenedForEachTest } from './store-contract-fixture.js';

const idsOf = (records: { id: string }[], own: { id: string }[]) => records.map((r) => r.id).filter((id) => own.some((o) => o.id === id));

export function describeCampaignStoreContract(adapterName: string, open: OpenStores): void {
  describe(`CampaignStore contract: ${adapterName}`, () => {
    const store = storesOpenedForEachTest(open);

    describe('campaigns', () => {
      it('keeps a campaign and refuses a second one with the same id', async () => {
        const campaign = aCampaign({ schedule: { expression: 'cron(0 14 ? * FRI *)', timezone: 'Asia/Ho_Chi_Minh' } });
        await store.campaigns.insertCampaign(campaign);

        await expect(store.campaigns.insertCampaign({ ...campaign, name: 'other' })).rejects.toBeInstanceOf(ConflictError);
        expect(await store.campaigns.getCampaign(campaign.id)).toEqual(campaign);
        expect(await store.campaigns.getCampaign(uniqueId('cmp'))).toBeUndefined();
      });

      it('writes an update that names the revision it read', async () => {
        const campaign = aCampaign({ revision: 1 });
        await store.campaigns.insertCampaign(campaign);
        const submitted = { ...campaign, status: 'pending_approval' as const, submittedAt: at(1), revision: 2 };

        await store.campaigns.updateCampaign(submitted);

        expect(await store.campaigns.getCampaign(campaign.id)).toEqual(submitted);
      });

      it('refuses an update made from a stale read', async () => {
        const campaign = aCampaign({ revision: 1 });
        await store.campaigns.insertCampaign(campaign);
        await store.campaigns.updateCampaign({ ...campaign, status: 'pending_approval', revision: 2 });

        await expect(store.campaigns.updateCampaign({ ...campaign, status: 'cancelled', revision: 2 })).rejects.toBeInstanceOf(
          ConflictError,
        );
        await expect(store.campaigns.updateCampaign({ ...campaign, status: 'cancelled', revision: 5 })).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect((await store.campaigns.getCampaign(campaign.id))?.status).toBe('pending_approval');
      });

      it('lets only one of two concurrent updates from the same read win', async () => {
        const campaign = aCampaign({ status: 'sending', revision: 4 });
        await store.campaigns.insertCampaign(campaign);
        const paused = { ...campaign, status: 'paused' as const, revision: 5 };
        const cancelled = { ...campaign, status: 'cancelled' as const, revision: 5 };

        const results = await Promise.allSettled([store.campaigns.updateCampaign(paused), store.campaigns.updateCampaign(cancelled)]);

        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const loser = results.find((r) => r.status === 'rejected');
        expect(loser?.status === 'rejected' && loser.reason).toBeInstanceOf(ConflictError);
        expect(await store.campaigns.getCampaign(campaign.id)).toEqual(results[0]?.status === 'fulfilled' ? paused : cancelled);
      });

      it('refuses to update a campaign it does not have', async () => {
        await expect(store.campaigns.updateCampaign(aCampaign({ revision: 2 }))).rejects.toBeInstanceOf(ConflictError);
      });

      it('finds the approved and scheduled campaigns due at a time', async () => {
        const now = '2001-01-01T12:00:00.000Z';
        const approvedDue = aCampaign({ status: 'approved', nextFireAt: '2001-01-01T11:00:00.000Z' });
        const scheduledDue = aCampaign({ status: 'scheduled', nextFireAt: now });
        const scheduledLater = aCampaign({ status: 'scheduled', nextFireAt: '2001-01-01T12:00:01.000Z' });
        const pausedDue = aCampaign({ status: 'paused', nextFireAt: '2001-01-01T10:00:00.000Z' });
        const sendingDue = aCampaign({ status: 'sending', nextFireAt: '2001-01-01T10:00:00.000Z' });
        const draftDue = aCampaign({ status: 'draft', nextFireAt: '2001-01-01T10:00:00.000Z' });
        const unscheduled = aCampaign({ status: 'scheduled' });
        const all = [approvedDue, scheduledDue, scheduledLater, pausedDue, sendingDue, draftDue, unscheduled];
        for (const campaign of all) await store.campaigns.insertCampaign(campaign);
        const mine = (campaigns: { id: string }[]) =>
          campaigns
            .filter((c) => all.some((own) => own.id === c.id))
            .map((c) => c.id)
            .sort();

        expect(mine(await store.campaigns.campaignsDue(now, 1000))).toEqual([approvedDue.id, scheduledDue.id].sort());
        expect((await store.campaigns.campaignsDue(now, 1)).length).toBe(1);

        await store.campaigns.updateCampaign({ ...approvedDue, status: 'sending', revision: approvedDue.revision + 1 });
        const { nextFireAt: _fired, ...withoutFire } = scheduledDue;
        await store.campaigns.updateCampaign({ ...withoutFire, revision: scheduledDue.revision + 1 });
        await store.campaigns.updateCampaign({ ...pausedDue, status: 'scheduled', revision: pausedDue.revision + 1 });

        expect(mine(await store.campaigns.campaignsDue(now, 1000))).toEqual([pausedDue.id]);
      });

      it('lists campaigns in creation order, page by page, each exactly once', async () => {
        const campaigns = Array.from({ length: 6 }, (_, i) => aCampaign({ createdAt: at(i) }));
        for (const campaign of campaigns) await store.campaigns.insertCampaign(campaign);

        const listed = await collect((page) => store.campaigns.listCampaigns(page), 4);

        const mine = listed.filter((c) => campaigns.some((own) => own.id === c.id));
        expect(mine).toEqual(campaigns);
      });
    });

    describe('runs', () => {
      it('starts a run once even when the schedule fires twice', async () => {
        const run = aRun();
        expect(await store.campaigns.insertRun(run)).toBe(true);

        expect(await store.campaigns.insertRun({ ...run, firedAt: at(30) })).toBe(false);

        expect(await store.campaigns.getRun(run.campaignId, run.runId)).toEqual(run);
        expect(await store.campaigns.getRun(run.campaignId, uniqueId('run'))).toBeUndefined();
      });

      it('saves the fan-out position and lists the runs still sending', async () => {
        const campaignId = uniqueId('cmp');
        const sending = aRun({ campaignId });
        const done = aRun({ campaignId });
        const other = aRun();
        for (const run of [sending, done, other]) await store.campaigns.insertRun(run);

        const advanced = { ...sending, cursor: 'opaque-position', fanOutDone: true };
        await store.campaigns.saveRun(advanced);
        await store.campaigns.saveRun({ ...done, fanOutDone: true, sendingDone: true });

        expect(await store.campaigns.getRun(campaignId, sending.runId)).toEqual(advanced);
        const unfinished = (await store.campaigns.listUnfinishedRuns()).filter((run) =>
          [sending, done, other].some((own) => own.runId === run.runId),
        );
        expect(unfinished.sort((a, b) => a.runId.localeCompare(b.runId))).toEqual(
          [advanced, other].sort((a, b) => a.runId.localeCompare(b.runId)),
        );
      });
    });

    describe('filtered lists', () => {
      async function campaigns(lan: string, minh: string): Promise<Campaign[]> {
        const made: [string, CampaignStatus][] = [
          [lan, 'draft'],
          [lan, 'pending_approval'],
          [minh, 'pending_approval'],
          [lan, 'sending'],
          [minh, 'scheduled'],
          [minh, 'paused'],
          [lan, 'completed'],
        ];
        const created = made.map(([createdBy, status], i) => aCampaign({ createdBy, status, createdAt: at(i) }));
        for (const campaign of created) await store.campaigns.insertCampaign(campaign);
        return created;
      }

      it('lists those in any of some statuses, in creation order, page by page, each once', async () => {
        const own = await campaigns(uniqueId('lan'), uniqueId('minh'));

        const running = await collect((page) => store.campaigns.listCampaigns(page, { statuses: ['sending', 'scheduled', 'paused'] }), 2);

        expect(idsOf(running, own)).toEqual([own[3]!.id, own[4]!.id, own[5]!.id]);
      });

      it("lists one person's, or everyone's but theirs", async () => {
        const lan = uniqueId('lan');
        const own = await campaigns(lan, uniqueId('minh'));

        const lansDrafts = await collect((page) => store.campaigns.listCampaigns(page, { statuses: ['draft'], createdBy: lan }), 1);
        const forLan = await collect(
          (page) => store.campaigns.listCampaigns(page, { statuses: ['pending_approval'], notCreatedBy: lan }),
          3,
        );

        expect(lansDrafts.map((campaign) => campaign.id)).toEqual([own[0]!.id]);
        expect(idsOf(forLan, own)).toEqual([own[2]!.id]);
      });

      it('follows a campaign out of a status once it moves on', async () => {
        const [pending] = await campaigns(uniqueId('lan'), uniqueId('minh')).then((all) =>
          all.filter((c) => c.status === 'pending_approval'),
        );
        await store.campaigns.updateCampaign({ ...pending!, status: 'approved', revision: 2 });

        const stillPending = await collect(
          (page) => store.campaigns.listCampaigns(page, { statuses: ['pending_approval'], createdBy: pending!.createdBy }),
          5,
        );

        expect(stillPending).toEqual([]);
      });
    });
  });
}
