import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, inject, it, vi } from 'vitest';
import { launchRun } from '../../lambdas/core/dispatch/dispatcher.js';
import type { CampaignRun } from '../../lambdas/core/model.js';
import { FANOUT_QUEUE_URL, SEND_QUEUE_URL } from '../aws/aws-test-env.js';
import { lambdaContext, sqsRecord } from '../aws/lambda-events.js';
import { aCampaign, forgetTraffic, handlerWorld, sentBodies } from './aws-handler-fixtures.js';
import { pauseCampaign } from '../../lambdas/core/campaigns/campaign-use-cases.js';
import { logger } from '../../lambdas/handlers/powertools.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

// Slices of 4 recipients, at most 2 slices an invocation.
const { world } = handlerWorld(inject('dynamoDbEndpoint'), { fanOut: { maxSlices: 2 } });
world.deps.config = { ...world.deps.config, sliceSize: 4 };
let messageCount = 0;

/** An SQS event of the fan-out queue with these message bodies (first delivery unless told). */
function fanOutEvent(bodies: unknown[], receiveCount = 1): SQSEvent {
  return {
    Records: bodies.map((body) => {
      messageCount++;
      return sqsRecord('loa-dev-fan-out', {
        messageId: `m-${messageCount}`,
        receiptHandle: `rh-${messageCount}`,
        body: typeof body === 'string' ? body : JSON.stringify(body),
        sentAt: Date.now(),
        receiveCount,
      });
    }),
  };
}

const fanOut = (event: SQSEvent, remainingMs = 300_000) => world.lambdas.fanOut(event, lambdaContext('fan-out', remainingMs));

async function launched(count: number): Promise<CampaignRun> {
  const { campaign } = await aCampaign(world, { count, approve: true });
  forgetTraffic(world);
  return (await launchRun(world.deps, campaign))!;
}

describe('the fan-out', () => {
  it('launches a campaign from a launch message and queues its slices as send jobs', async () => {
    const { campaign, phones } = await aCampaign(world, { count: 6 });
    // Approving a campaign without a schedule asked the fan-out queue to launch it.
    expect(sentBodies(world, FANOUT_QUEUE_URL)).toEqual([{ type: 'launch', campaignId: campaign.id }]);
    forgetTraffic(world);

    const response = await fanOut(fanOutEvent([{ type: 'launch', campaignId: campaign.id }]));

    expect(response).toEqual({ batchItemFailures: [] });
    const [run] = (await world.deps.campaigns.listUnfinishedRuns()).filter((r) => r.campaignId === campaign.id);
    expect(run).toMatchObject({ fanOutDone: true });
    const jobs = sentBodies(world, SEND_QUEUE_URL) as { id: string; recipients: { phone: string }[] }[];
    expect(jobs).toEqual([
      { id: `${campaign.id}:${run!.runId}:start`, campaignId: campaign.id, runId: run!.runId, recipients: expect.any(Array), attempt: 0 },
      {
        id: expect.stringMatching(new RegExp(`^${campaign.id}:${run!.runId}:`)),
        campaignId: campaign.id,
        runId: run!.runId,
        recipients: expect.any(Array),
        attempt: 0,
      },
    ]);
    expect(jobs.flatMap((job) => job.recipients.map((r) => r.phone)).sort()).toEqual([...phones].sort());
    expect(jobs[0]!.recipients[0]).toEqual({ phone: expect.any(String), carrier: expect.any(String), areaCode: expect.any(String) });
    // One SendMessageBatch a slice; nothing handed on.
    expect(world.sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
    expect(world.sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('walks at most maxSlices slices an invocation, then hands the rest on from the saved cursor', async () => {
    const run = await launched(10);

    await fanOut(fanOutEvent([{ type: 'continue', campaignId: run.campaignId, runId: run.runId, from: null }]));

    const saved = (await world.deps.campaigns.getRun(run.campaignId, run.runId))!;
    expect(saved).toMatchObject({ fanOutDone: false, cursor: expect.any(String) });
    expect(sentBodies(world, SEND_QUEUE_URL)).toHaveLength(2);
    expect(world.sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input)).toEqual([
      {
        QueueUrl: FANOUT_QUEUE_URL,
        MessageBody: JSON.stringify({ type: 'continue', campaignId: run.campaignId, runId: run.runId, from: saved.cursor }),
      },
    ]);

    forgetTraffic(world);
    await fanOut(fanOutEvent([{ type: 'continue', campaignId: run.campaignId, runId: run.runId, from: saved.cursor }]));
    expect(sentBodies(world, SEND_QUEUE_URL)).toHaveLength(1);
    expect(world.sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect((await world.deps.campaigns.getRun(run.campaignId, run.runId))?.fanOutDone).toBe(true);
  });

  it('hands on at once when the invocation is within its safety margin of the timeout', async () => {
    const run = await launched(5);

    await fanOut(fanOutEvent([{ type: 'continue', campaignId: run.campaignId, runId: run.runId, from: null }]), 20_000);

    expect(sentBodies(world, SEND_QUEUE_URL)).toEqual([]);
    expect(sentBodies(world, FANOUT_QUEUE_URL)).toEqual([{ type: 'continue', campaignId: run.campaignId, runId: run.runId, from: null }]);
  });

  it('drops a duplicate continue whose cursor the run has left, but resumes a redelivered one', async () => {
    const run = await launched(10);
    await fanOut(fanOutEvent([{ type: 'continue', campaignId: run.campaignId, runId: run.runId, from: null }]));
    forgetTraffic(world);

    await fanOut(fanOutEvent([{ type: 'continue', campaignId: run.campaignId, runId: run.runId, from: null }]));
    expect(world.sqsMock.calls()).toHaveLength(0);

    await fanOut(fanOutEvent([{ type: 'continue', campaignId: run.campaignId, runId: run.runId, from: null }], 2));
    expect(sentBodies(world, SEND_QUEUE_URL)).toHaveLength(1);
    expect((await world.deps.campaigns.getRun(run.campaignId, run.runId))?.fanOutDone).toBe(true);
  });

  it('shares one time and slice budget between the records of a batch, in their order', async () => {
    const first = await launched(10);
    const second = await launched(10);

    await fanOut(
      fanOutEvent([
        { type: 'continue', campaignId: first.campaignId, runId: first.runId, from: null },
        { type: 'continue', campaignId: second.campaignId, runId: second.runId, from: null },
      ]),
    );

    // The first walks the invocation's two slices; the second is handed on untouched.
    const jobs = sentBodies(world, SEND_QUEUE_URL) as { campaignId: string }[];
    expect(jobs.map((job) => job.campaignId)).toEqual([first.campaignId, first.campaignId]);
    const firstCursor = (await world.deps.campaigns.getRun(first.campaignId, first.runId))?.cursor;
    expect(sentBodies(world, FANOUT_QUEUE_URL)).toEqual([
      { type: 'continue', campaignId: first.campaignId, runId: first.runId, from: firstCursor },
      { type: 'continue', campaignId: second.campaignId, runId: second.runId, from: null },
    ]);
  });

  it('looks again in a minute while the campaign is paused', async () => {
    const run = await launched(3);
    await pauseCampaign(world.deps, { id: 'hoa', roles: ['operator'] }, run.campaignId);

    await fanOut(fanOutEvent([{ type: 'continue', campaignId: run.campaignId, runId: run.runId, from: null }]));

    expect(world.sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input)).toEqual([
      {
        QueueUrl: FANOUT_QUEUE_URL,
        MessageBody: JSON.stringify({ type: 'continue', campaignId: run.campaignId, runId: run.runId, from: null }),
        DelaySeconds: 60,
      },
    ]);
    expect(sentBodies(world, SEND_QUEUE_URL)).toEqual([]);
  });

  it('reports only the records that failed in batchItemFailures, logging why each is not a fan-out message', async () => {
    const run = await launched(2);
    const errors = vi.spyOn(logger, 'error');
    const event = fanOutEvent([
      'not json',
      { type: 'continue', campaignId: run.campaignId, runId: run.runId, from: null },
      { type: 'resend', campaignId: run.campaignId },
    ]);

    try {
      const response = await fanOut(event);

      expect(response).toEqual({
        batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }, { itemIdentifier: event.Records[2]!.messageId }],
      });
      const refused = 'Fan-out message is not valid; SQS will deliver it again until the dead-letter queue takes it';
      expect(errors.mock.calls).toEqual([
        [refused, { messageId: event.Records[0]!.messageId, reason: expect.stringMatching(/^body: Invalid JSON/) }],
        [
          refused,
          { messageId: event.Records[2]!.messageId, reason: "body.type: Invalid discriminator value. Expected 'launch' | 'continue'" },
        ],
      ]);
    } finally {
      errors.mockRestore();
    }
    expect(sentBodies(world, SEND_QUEUE_URL)).toHaveLength(1);
  });

  it('fails a record whose store work fails, so SQS delivers it again', async () => {
    const run = await launched(2);
    world.sqsMock
      .on(SendMessageBatchCommand)
      .rejectsOnce(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }));
    const event = fanOutEvent([{ type: 'continue', campaignId: run.campaignId, runId: run.runId, from: null }]);

    expect(await fanOut(event)).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }] });
    // The cursor was not saved: the redelivery repeats the slice.
    expect((await world.deps.campaigns.getRun(run.campaignId, run.runId))?.cursor).toBeUndefined();
  });
});
