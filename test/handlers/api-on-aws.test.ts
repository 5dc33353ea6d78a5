/**
 * The API Lambda as deployed: the same handler as test/handlers/api-lambda.test.ts, on the AWS deps
 * (DynamoDB Local, the fan-out queue and EventBridge Scheduler mocked), with its request log written by
 * the Powertools logger.
 */
import { CreateScheduleCommand, DeleteScheduleCommand } from '@aws-sdk/client-scheduler';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it, vi, type MockInstance } from 'vitest';
import { FANOUT_QUEUE_URL, SCHEDULE_DLQ_ARN, SCHEDULE_TARGET_ARN, SCHEDULER_ROLE_ARN } from '../aws/aws-test-env.js';
import { PEOPLE, atIn } from '../aws/campaign-via-api.js';
import { aCampaign, handlerWorld } from './aws-handler-fixtures.js';

// Request lines on (INFO), captured rather than printed.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const { world } = handlerWorld(inject('dynamoDbEndpoint'));
const output: string[] = [];
let spies: MockInstance[] = [];

beforeAll(() => {
  const capture = (chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  };
  spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
});
afterAll(() => {
  for (const spy of spies) spy.mockRestore();
});

describe('the API on AWS', () => {
  it('asks the fan-out queue to launch a campaign without a schedule when it is approved', async () => {
    const { campaign } = await aCampaign(world, { approve: false });

    const approval = { as: PEOPLE.approver, json: { revision: campaign.revision } };
    const approved = await world.api('POST', `/v1/campaigns/${campaign.id}/approve`, approval);

    expect(approved).toMatchObject({ status: 200, body: { status: 'approved' } });
    expect(world.sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: FANOUT_QUEUE_URL, MessageBody: JSON.stringify({ type: 'launch', campaignId: campaign.id }) },
    ]);
    expect(world.schedulerMock.calls()).toHaveLength(0);
  });

  it('creates the schedule of a scheduled campaign when it is approved, and deletes it when it is cancelled', async () => {
    const expression = atIn(world.clock.now(), 3_600);
    const { campaign } = await aCampaign(world, { approve: false, schedule: expression });

    await world.api('POST', `/v1/campaigns/${campaign.id}/approve`, { as: PEOPLE.approver, json: { revision: campaign.revision } });
    const cancelled = await world.api('POST', `/v1/campaigns/${campaign.id}/cancel`, { as: PEOPLE.operator });

    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect(world.schedulerMock.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input)).toEqual([
      {
        Name: campaign.id,
        GroupName: 'loa-dev',
        ScheduleExpression: expression,
        ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: SCHEDULE_TARGET_ARN,
          RoleArn: SCHEDULER_ROLE_ARN,
          Input: JSON.stringify({ campaignId: campaign.id }),
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3_600 },
          DeadLetterConfig: { Arn: SCHEDULE_DLQ_ARN },
        },
      },
    ]);
    expect(world.schedulerMock.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
      { Name: campaign.id, GroupName: 'loa-dev' },
    ]);
    expect(world.sqsMock.calls()).toHaveLength(0);
  });

  it('logs each request through Powertools with the Lambda context, phone numbers masked', async () => {
    output.length = 0;
    // No route takes a number in its path any more; a client that still sends one is masked all the same.
    const missing = await world.api('GET', `/v1/subscribers/${encodeURIComponent('+84912345678')}`, { as: PEOPLE.operator });

    expect(missing.status).toBe(404);
    const lines = output
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'request',
        method: 'GET',
        status: 404,
        function_name: 'loa-dev-api',
        path: expect.stringContaining('****'),
      }),
    );
    expect(output.join('')).not.toMatch(/912345678/);
  });
});
