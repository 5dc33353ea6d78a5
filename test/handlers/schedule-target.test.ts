import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, inject, it, vi } from 'vitest';
import { launchRun } from '../../lambdas/core/dispatch/dispatcher.js';
import { storesIn, type Scheduler } from '../../lambdas/core/ports.js';
import { tourRunId } from '../../lambdas/core/tours/tour-sessions.js';
import { cancelTour, dispatchTour } from '../../lambdas/core/tours/tour-use-cases.js';
import { createAwsDeps } from '../../lambdas/handlers/aws-deps.js';
import { ORPHANED_RUN_AFTER_MS } from '../../lambdas/handlers/launch-due.js';
import { makeScheduleTargetLambda } from '../../lambdas/handlers/schedule-target.js';
import { awsTestEnv, FANOUT_QUEUE_URL } from '../aws/aws-test-env.js';
import { atIn } from '../aws/campaign-via-api.js';
import { aCampaign, aTour, author, forgetTraffic, handlerWorld, nextMorning, sentBodies } from './aws-handler-fixtures.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const { world, tableName } = handlerWorld(inject('dynamoDbEndpoint'));

/** Scheduler invokes the target with the schedule's Input as the event. */
const fire = (payload: unknown) => world.invoke('scheduleTarget', (context) => world.lambdas.scheduleTarget(payload, context));

describe('the schedule target', () => {
  it('launches the due run and hands its fan-out to the fan-out queue', async () => {
    const { campaign } = await aCampaign(world, { schedule: atIn(world.clock.now(), 120) });
    world.clock.advanceTo(Date.parse(campaign.nextFireAt!));

    const result = await fire({ campaignId: campaign.id });

    const runs = (await world.deps.campaigns.listUnfinishedRuns()).filter((run) => run.campaignId === campaign.id);
    expect(runs).toHaveLength(1);
    expect(result).toEqual({ continued: [runs[0]!.runId] });
    const sent = world.sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    expect(sent).toEqual([
      {
        QueueUrl: FANOUT_QUEUE_URL,
        MessageBody: JSON.stringify({ type: 'continue', campaignId: campaign.id, runId: runs[0]!.runId, from: null }),
      },
    ]);
    expect((await world.deps.campaigns.getCampaign(campaign.id))?.status).toBe('sending');
  });

  it('starts one run and one fan-out when the same fire is delivered three times', async () => {
    const { campaign } = await aCampaign(world, { schedule: atIn(world.clock.now(), 120) });
    world.clock.advanceTo(Date.parse(campaign.nextFireAt!));

    const results = await Promise.all([fire({ campaignId: campaign.id }), fire({ campaignId: campaign.id })]);
    const third = await fire({ campaignId: campaign.id });

    expect(results.flatMap((result) => result.continued)).toHaveLength(1);
    expect(third).toEqual({ continued: [] });
    expect(world.sqsMock.commandCalls(SendMessageCommand)).toHaveLength(1);
    expect((await world.deps.campaigns.listUnfinishedRuns()).filter((run) => run.campaignId === campaign.id)).toHaveLength(1);
  });

  it('launches nothing for a fire more than a minute early, or for a campaign that no longer exists', async () => {
    const { campaign } = await aCampaign(world, { schedule: atIn(world.clock.now(), 600) });
    expect(await fire({ campaignId: campaign.id })).toEqual({ continued: [] });
    expect(await fire({ campaignId: 'cmp_gone', 'aws.scheduler.attempt': 1 })).toEqual({ continued: [] });
    expect(world.sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect((await world.deps.campaigns.getCampaign(campaign.id))?.status).toBe('scheduled');
  });

  it('hands on a run an earlier attempt launched but never handed on, once the run is old enough', async () => {
    const { campaign } = await aCampaign(world, { schedule: atIn(world.clock.now(), 120) });
    world.clock.advanceTo(Date.parse(campaign.nextFireAt!));
    // The first attempt launched the run, then failed before its SendMessage.
    const run = await launchRun(world.deps, campaign);

    expect(await fire({ campaignId: campaign.id })).toEqual({ continued: [] });
    world.clock.advanceTo(Date.parse(run!.firedAt) + ORPHANED_RUN_AFTER_MS);
    expect(await fire({ campaignId: campaign.id })).toEqual({ continued: [run!.runId] });
    expect(world.sqsMock.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody).toBe(
      JSON.stringify({ type: 'continue', campaignId: campaign.id, runId: run!.runId, from: null }),
    );
  });

  it('fails a payload that names no campaign, so Scheduler retries and dead-letters it', async () => {
    await expect(fire({ campaign: 'x' })).rejects.toThrow(/campaignId or tourId is required/);
  });
});

describe('the schedule target, at a tour’s start', () => {
  const MINUTE_MS = 60_000;

  it('dispatches the crew: stores the run and has the crew lead’s SMS sent through the fan-out queue', async () => {
    const start = nextMorning(world.clock.now());
    const { tour, van } = await aTour(world, { schedule: start.expression });
    expect(tour.nextFireAt).toBe(start.at.toISOString());
    forgetTraffic(world);
    world.clock.advanceTo(start.at.getTime());

    const result = await fire({ tourId: tour.id });

    const runId = tourRunId(start.at);
    expect(result).toEqual({ continued: [], dispatched: runId });
    const run = await world.deps.tours.getTourRun(tour.id, runId);
    // 07:00-07:20 the first area, 15 minutes to the next, 07:35-07:55 there; confirmed within 120 minutes.
    expect(run).toMatchObject({
      status: 'dispatched',
      vanId: van.id,
      startsAt: start.at.toISOString(),
      endsAt: new Date(start.at.getTime() + 55 * MINUTE_MS).toISOString(),
      confirmBy: new Date(start.at.getTime() + (55 + 120) * MINUTE_MS).toISOString(),
      crewCampaignId: `cmp_${tour.id}_${runId}`,
      confirmed: [],
    });
    expect(await world.deps.campaigns.getCampaign(run!.crewCampaignId)).toMatchObject({
      status: 'approved',
      priority: 'emergency',
      recipients: [van.crewLead.phone],
      templateId: tour.scriptId,
    });
    expect(sentBodies(world, FANOUT_QUEUE_URL)).toEqual([{ type: 'launch', campaignId: run!.crewCampaignId }]);
    const dispatched = await world.deps.tours.getTour(tour.id);
    expect(dispatched).toMatchObject({ status: 'dispatched', runCount: 1 });
    expect(dispatched?.nextFireAt).toBeUndefined();
    expect(world.schedulerMock.calls()).toHaveLength(0);

    await world.drain();
    expect(world.publishes.map((publish) => publish.input.PhoneNumber)).toEqual([van.crewLead.phone]);
    expect(world.publishes[0]!.input.Message).toContain(`Loa ${van.plate}`);
  });

  it('dispatches one run and one crew SMS when the same start is delivered three times', async () => {
    const start = nextMorning(world.clock.now());
    const { tour, van } = await aTour(world, { schedule: start.expression });
    forgetTraffic(world);
    world.clock.advanceTo(start.at.getTime());

    const results = await Promise.all([fire({ tourId: tour.id }), fire({ tourId: tour.id })]);
    const third = await fire({ tourId: tour.id, 'aws.scheduler.attempt': 2 });

    expect(results.flatMap((result) => result.dispatched ?? [])).toEqual([tourRunId(start.at)]);
    expect(third).toEqual({ continued: [] });
    const runs = (
      await world.deps.tours.tourRunsBetween(start.at.toISOString(), new Date(start.at.getTime() + MINUTE_MS).toISOString())
    ).filter((run) => run.tourId === tour.id);
    expect(runs).toHaveLength(1);
    expect((await world.deps.tours.getTour(tour.id))?.runCount).toBe(1);
    // A launch message may go twice (launching is idempotent); the crew lead gets one SMS.
    await world.drain();
    expect(world.publishes.map((publish) => publish.input.PhoneNumber)).toEqual([van.crewLead.phone]);
  });

  it('has the crew lead’s SMS launched by a retried fire when the first attempt could not queue it', async () => {
    const start = nextMorning(world.clock.now());
    const { tour } = await aTour(world, { schedule: start.expression });
    forgetTraffic(world);
    world.clock.advanceTo(start.at.getTime());
    // The first attempt wrote the crew's campaign, then failed on its SendMessage.
    const failing = new Error('Service unavailable');
    const { clock, config, queue, pseudonymizer } = world.deps;
    const scheduler: Scheduler = {
      campaignScheduled: () => Promise.reject(failing),
      campaignUnscheduled: async () => {},
      tourScheduled: async () => {},
      tourUnscheduled: async () => {},
    };
    await expect(dispatchTour({ ...storesIn(world.deps), clock, config, queue, scheduler, pseudonymizer }, tour.id)).rejects.toBe(failing);

    const retried = await fire({ tourId: tour.id, 'aws.scheduler.attempt': 2 });

    const runId = tourRunId(start.at);
    expect(retried).toEqual({ continued: [], dispatched: runId });
    expect(sentBodies(world, FANOUT_QUEUE_URL)).toEqual([{ type: 'launch', campaignId: `cmp_${tour.id}_${runId}` }]);
    expect(await world.deps.tours.getTour(tour.id)).toMatchObject({ status: 'dispatched', runCount: 1 });
  });

  it('dispatches nothing for a start more than a minute early, a cancelled tour, or a tour that does not exist', async () => {
    const start = nextMorning(world.clock.now());
    const { tour: early } = await aTour(world, { schedule: start.expression });
    const { tour: cancelled } = await aTour(world, { schedule: start.expression });
    await cancelTour(world.deps, author, cancelled.id);
    forgetTraffic(world);
    world.clock.advanceTo(start.at.getTime() - 2 * MINUTE_MS);

    expect(await fire({ tourId: early.id })).toEqual({ continued: [] });
    world.clock.advanceTo(start.at.getTime());
    expect(await fire({ tourId: cancelled.id })).toEqual({ continued: [] });
    expect(await fire({ tourId: 'tour_gone' })).toEqual({ continued: [] });

    expect(world.sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(await world.deps.tours.getTour(early.id)).toMatchObject({ status: 'approved', runCount: 0, nextFireAt: start.at.toISOString() });
    expect(await world.deps.tours.getTour(cancelled.id)).toMatchObject({ status: 'cancelled', runCount: 0 });
    expect(await world.deps.tours.getTourRun(early.id, tourRunId(start.at))).toBeUndefined();
  });

  it('fails a payload whose tourId is empty, so Scheduler retries and dead-letters it', async () => {
    await expect(fire({ tourId: '' })).rejects.toThrow(/campaignId or tourId is required/);
  });

  it('dispatches each start of a recurring tour with only the settings the stack gives it (no scheduler)', async () => {
    // The environment of the deployed schedule target (loa-stack.test.ts): the table and the fan-out queue.
    const env = Object.fromEntries(Object.entries(awsTestEnv(tableName)).filter(([key]) => !/SCHEDULE|SEND_QUEUE|SENDER|SMS_/.test(key)));
    const deployed = makeScheduleTargetLambda(() =>
      createAwsDeps({
        env,
        clients: { dynamodb: world.dynamodb, sqs: world.sqs, scheduler: world.scheduler, sns: world.sns },
        clock: world.clock,
      }),
    );
    const { tour } = await aTour(world, { schedule: 'cron(0 7 * * ? *)' });
    forgetTraffic(world);
    const first = new Date(tour.nextFireAt!);
    world.clock.advanceTo(first.getTime());

    const result = await world.invoke('scheduleTarget', (context) => deployed({ tourId: tour.id }, context));

    expect(result).toEqual({ continued: [], dispatched: tourRunId(first) });
    const run = await world.deps.tours.getTourRun(tour.id, tourRunId(first));
    expect(sentBodies(world, FANOUT_QUEUE_URL)).toEqual([{ type: 'launch', campaignId: run!.crewCampaignId }]);
    // The next start is the tour's: its EventBridge schedule repeats by itself, so nothing is re-armed.
    expect(await world.deps.tours.getTour(tour.id)).toMatchObject({
      status: 'approved',
      runCount: 1,
      nextFireAt: new Date(first.getTime() + 86_400_000).toISOString(),
    });
    expect(world.schedulerMock.calls()).toHaveLength(0);
  });
});
