import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { launchRun } from '../../lambdas/core/dispatch/dispatcher.js';
import { ORPHANED_RUN_AFTER_MS } from '../../lambdas/handlers/launch-due.js';
import { FANOUT_QUEUE_URL, type AwsWorld } from '../aws/aws-driver.js';
import { atIn } from '../aws/campaign-via-api.js';
import { aCampaign, aTable, aWorld, forgetTraffic } from './aws-handler-fixtures.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const endpoint = inject('dynamoDbEndpoint');
let table: Awaited<ReturnType<typeof aTable>>;
let world: AwsWorld;

beforeAll(async () => {
  table = await aTable(endpoint);
  world = aWorld(endpoint, table.tableName);
});
afterAll(() => table.drop());
beforeEach(() => forgetTraffic(world));

/** Scheduler invokes the target with the schedule's Input as the event. */
const fire = (payload: unknown) => world.invoke('scheduleTarget', (context) => world.lambdas.scheduleTarget(payload, context));

describe('the schedule target', () => {
  it('launches the due run and hands its fan-out to the fan-out queue', async () => {
    const { campaign } = await aCampaign(world, { schedule: atIn(world.clock.now(), 120) });
    world.clock.advanceTo(Date.parse(campaign.nextFireAt!));

    const result = await fire({ campaignId: campaign.id });

    const runs = (await world.deps.store.listUnfinishedRuns()).filter((run) => run.campaignId === campaign.id);
    expect(runs).toHaveLength(1);
    expect(result).toEqual({ continued: [runs[0]!.runId] });
    const sent = world.sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    expect(sent).toEqual([
      {
        QueueUrl: FANOUT_QUEUE_URL,
        MessageBody: JSON.stringify({ type: 'continue', campaignId: campaign.id, runId: runs[0]!.runId, from: null }),
      },
    ]);
    expect((await world.deps.store.getCampaign(campaign.id))?.status).toBe('sending');
  });

  it('starts one run and one fan-out when the same fire is delivered three times', async () => {
    const { campaign } = await aCampaign(world, { schedule: atIn(world.clock.now(), 120) });
    world.clock.advanceTo(Date.parse(campaign.nextFireAt!));

    const results = await Promise.all([fire({ campaignId: campaign.id }), fire({ campaignId: campaign.id })]);
    const third = await fire({ campaignId: campaign.id });

    expect(results.flatMap((result) => result.continued)).toHaveLength(1);
    expect(third).toEqual({ continued: [] });
    expect(world.sqsMock.commandCalls(SendMessageCommand)).toHaveLength(1);
    expect((await world.deps.store.listUnfinishedRuns()).filter((run) => run.campaignId === campaign.id)).toHaveLength(1);
  });

  it('launches nothing for a fire more than a minute early, or for a campaign that no longer exists', async () => {
    const { campaign } = await aCampaign(world, { schedule: atIn(world.clock.now(), 600) });
    expect(await fire({ campaignId: campaign.id })).toEqual({ continued: [] });
    expect(await fire({ campaignId: 'cmp_gone', 'aws.scheduler.attempt': 1 })).toEqual({ continued: [] });
    expect(world.sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect((await world.deps.store.getCampaign(campaign.id))?.status).toBe('scheduled');
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
    await expect(fire({ campaign: 'x' })).rejects.toThrow(/campaignId is required/);
  });
});
