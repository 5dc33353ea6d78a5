/**
 * The AWS path end to end, in one process: the real Lambda handlers on DynamoDB Local, SQS, Scheduler and
 * SNS mocked, and the driver of aws-driver.ts delivering queue messages, schedule fires and delivery-status
 * logs to them as AWS would. A scheduled campaign goes from the API to every recipient's delivery report.
 */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createTable } from '../../lambdas/adapters/dynamodb/table.js';
import { AwsWorld } from './aws-driver.js';
import { LOCAL_CLIENT_CONFIG, SCHEDULE_DLQ_ARN, SCHEDULE_TARGET_ARN, SCHEDULER_ROLE_ARN } from './aws-test-env.js';
import { PEOPLE, allReceipts, setUpCampaignViaApi, type CampaignSetup } from './campaign-via-api.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const endpoint = inject('dynamoDbEndpoint');
const tableName = `loa-aws-e2e-${randomBytes(4).toString('hex')}`;
const admin = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint });
const SUBSCRIBERS = 300;
const OPT_OUTS = 4;

describe('a scheduled campaign on the AWS path', () => {
  let world: AwsWorld;
  let setup: CampaignSetup;

  beforeAll(async () => {
    await createTable(admin, tableName);
    // Five send jobs per invocation, and slices of 40 recipients walked at most three per fan-out
    // invocation, so the run is handed on from one fan-out invocation to the next.
    world = new AwsWorld({ endpoint, tableName, senderBatchSize: 5, reportsPerDelivery: 50, fanOut: { maxSlices: 3 } });
    world.deps.config = { ...world.deps.config, sliceSize: 40 };
    setup = await setUpCampaignViaApi(world, { subscribers: SUBSCRIBERS, optOuts: OPT_OUTS, startInSeconds: 120 });
  }, 60_000);

  afterAll(async () => {
    await admin.send(new DeleteTableCommand({ TableName: tableName }));
    admin.destroy();
  });

  it('creates a one-time EventBridge schedule for the campaign when it is approved', () => {
    const calls = world.schedulerMock.commandCalls(CreateScheduleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({
      Name: setup.campaignId,
      GroupName: 'loa-dev',
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: SCHEDULE_TARGET_ARN,
        RoleArn: SCHEDULER_ROLE_ARN,
        Input: JSON.stringify({ campaignId: setup.campaignId }),
        DeadLetterConfig: { Arn: SCHEDULE_DLQ_ARN },
      },
    });
    expect(world.publishes).toHaveLength(0);
  });

  it('sends to every recipient once when the schedule fires, and records every delivery', async () => {
    expect(await world.fireDueSchedules()).toBe(1);
    await world.drain();
    const janitor = await world.runJanitor();

    expect(world.errors).toEqual([]);
    expect(world.deadLetters).toEqual({ fanOut: [], send: [] });
    expect(janitor.finishedRuns).toEqual([{ campaignId: setup.campaignId, runId: expect.stringMatching(/^run_/) }]);
    // 296 recipients in slices of 40 = 8 slices; 3 a fan-out invocation = 3 invocations.
    expect(world.invocations.fanOut).toBe(3);
    expect(world.invocations.scheduleTarget).toBe(1);

    const published = world.publishes.map(({ input }) => input.PhoneNumber);
    expect(published).toHaveLength(setup.recipients.length);
    expect(new Set(published)).toEqual(new Set(setup.recipients));
    expect(world.snsMock.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      PhoneNumber: expect.stringMatching(/^\+84\d{9}$/),
      Message: setup.text,
      MessageAttributes: {
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'SoTTTT' },
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      },
    });

    const receipts = await allReceipts(world, setup.campaignId);
    expect(receipts.map((receipt) => receipt.phone).sort()).toEqual([...setup.recipients].sort());
    expect(receipts.every((receipt) => receipt.status === 'delivered')).toBe(true);
    const messageIds = new Map(world.publishes.map(({ input, messageId }) => [input.PhoneNumber, messageId]));
    expect(receipts.every((receipt) => receipt.gatewayMessageId === messageIds.get(receipt.phone))).toBe(true);

    const campaign = await world.api('GET', `/v1/campaigns/${setup.campaignId}`, { as: PEOPLE.viewer });
    expect(campaign.body).toMatchObject({
      status: 'completed',
      runCount: 1,
      counts: { total: setup.recipients.length, delivered: setup.recipients.length, queued: 0, submitted: 0, failed: 0, expired: 0 },
    });
    const unmatched = await world.api('GET', '/v1/delivery-reports/unmatched', { as: PEOPLE.viewer });
    expect(unmatched.body).toMatchObject({ count: 0 });
  }, 60_000);

  it('starts nothing more when the schedule fire is delivered again', async () => {
    const publishedBefore = world.publishes.length;
    const again = await world.invoke('scheduleTarget', (context) =>
      world.lambdas.scheduleTarget({ campaignId: setup.campaignId }, context),
    );
    expect(again).toEqual({ continued: [] });
    await world.drain();
    expect(world.publishes).toHaveLength(publishedBefore);
  });
});
