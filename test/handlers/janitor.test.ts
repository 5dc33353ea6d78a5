import { describe, expect, inject, it, vi } from 'vitest';
import type { Caller } from '../../lambdas/core/auth/caller.js';
import { confirmTour, dispatchTour } from '../../lambdas/core/tours/tour-use-cases.js';
import { setVanCrew } from '../../lambdas/core/tours/van-use-cases.js';
import { PSEUDONYM_SECRET_ARN } from '../aws/aws-test-env.js';
import { TEST_PSEUDONYMIZER } from '../test-pseudonymizer.js';
import { aQueuedRun, aTour, handlerWorld, nextMorning, submittedToSns } from './aws-handler-fixtures.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const { world, emitted } = handlerWorld(inject('dynamoDbEndpoint'));

describe('the janitor', () => {
  it('expires receipts with no report after 72 hours and finishes the run, completing the campaign', async () => {
    const phones = ['+84981000001', '+84981000002', '+84981000003'];
    const now = world.clock.now().getTime();
    const longAgo = new Date(now - 73 * 3_600_000).toISOString();
    const recently = new Date(now - 3_600_000).toISOString();
    const run = await aQueuedRun(world, phones, longAgo);
    const messageIds = phones.map((_, i) => `janitor-${i}`);
    await submittedToSns(world, run, phones, messageIds, (i) => (i < 2 ? longAgo : recently));
    await world.deps.campaigns.saveRun({ ...run, fanOutDone: true });

    const result = await world.runJanitor();

    expect(result).toEqual({
      expired: 2,
      finishedRuns: [{ campaignId: run.campaignId, runId: run.runId }],
      missedTourRuns: 0,
      pseudonymized: 0,
    });
    expect(await world.deps.receipts.campaignCounts(run.campaignId)).toMatchObject({ expired: 2, submitted: 1, queued: 0 });
    expect((await world.deps.campaigns.getCampaign(run.campaignId))?.status).toBe('completed');
    expect(emitted).toEqual([{ dimensions: {}, counts: { expired: 2 } }]);

    emitted.length = 0;
    expect(await world.runJanitor()).toEqual({ expired: 0, finishedRuns: [], missedTourRuns: 0, pseudonymized: 0 });
    expect(emitted).toEqual([]);
  });

  it('pseudonymizes, once an hour, the receipts of runs fired before the retention period, reading the key once', async () => {
    const now = world.clock.now().getTime();
    const old = await aQueuedRun(world, ['+84981000011', '+84981000012']);
    // A campaign of last year and its run, as if time had passed.
    const lastYear = new Date(now - 366 * 86_400_000).toISOString();
    const campaign = (await world.deps.campaigns.getCampaign(old.campaignId))!;
    await world.deps.campaigns.updateCampaign({ ...campaign, createdAt: lastYear, revision: campaign.revision + 1 });
    await world.deps.campaigns.saveRun({ ...old, firedAt: lastYear });
    const recent = await aQueuedRun(world, ['+84981000013']);
    const nextHour = Math.ceil((now + 60_000) / 3_600_000) * 3_600_000;

    world.clock.advanceTo(nextHour - 60_000);
    expect(await world.runJanitor()).toMatchObject({ pseudonymized: 0 });
    world.clock.advanceTo(nextHour);
    expect(await world.runJanitor()).toMatchObject({ pseudonymized: 2 });
    expect(await world.runJanitor()).toMatchObject({ pseudonymized: 0 });

    for (const phone of ['+84981000011', '+84981000012']) {
      expect(await world.deps.receipts.getReceipt(old.campaignId, old.runId, phone)).toBeUndefined();
      expect(await world.deps.receipts.getReceipt(old.campaignId, old.runId, await TEST_PSEUDONYMIZER.pseudonym(phone))).toMatchObject({
        status: 'queued',
      });
    }
    expect(await world.deps.receipts.getReceipt(recent.campaignId, recent.runId, '+84981000013')).toBeDefined();
    expect(world.secretRequests).toEqual([PSEUDONYM_SECRET_ARN]);
  });

  it('marks a tour run nobody confirmed by its confirmBy as missed, with its one-time tour, and leaves a confirmed one', async () => {
    const crew: Caller = { id: 'hung', roles: ['crew'] };
    const start = nextMorning(world.clock.now());
    const { tour: unconfirmed } = await aTour(world, { schedule: start.expression });
    const { tour: confirmed } = await aTour(world, { schedule: start.expression });
    world.clock.advanceTo(start.at.getTime());
    const run = (await dispatchTour(world.deps, unconfirmed.id))!;
    const other = (await dispatchTour(world.deps, confirmed.id))!;
    await setVanCrew(world.deps, { id: 'hoa', roles: ['operator'] }, confirmed.vanId, [crew.id]);
    // Every stop confirmed at once, so after the last one started.
    world.clock.advanceTo(Date.parse(other.stops.at(-1)!.startsAt));
    await confirmTour(world.deps, crew, confirmed.id, {});

    // The driver's clock keeps ticking in real time: a minute before, so that a slow janitor is still early.
    world.clock.advanceTo(Date.parse(run.confirmBy) - 60_000);
    expect(await world.runJanitor()).toEqual({ expired: 0, finishedRuns: [], missedTourRuns: 0, pseudonymized: 0 });
    world.clock.advanceTo(Date.parse(run.confirmBy));
    expect(await world.runJanitor()).toEqual({ expired: 0, finishedRuns: [], missedTourRuns: 1, pseudonymized: 0 });

    expect((await world.deps.tours.getTourRun(unconfirmed.id, run.runId))?.status).toBe('missed');
    expect((await world.deps.tours.getTour(unconfirmed.id))?.status).toBe('missed');
    expect((await world.deps.tours.getTourRun(confirmed.id, other.runId))?.status).toBe('completed');
    expect((await world.deps.tours.getTour(confirmed.id))?.status).toBe('completed');
    expect(await world.runJanitor()).toEqual({ expired: 0, finishedRuns: [], missedTourRuns: 0, pseudonymized: 0 });
  });
});
