import { PublishCommand } from '@aws-sdk/client-sns';
import { DeleteMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, inject, it, vi } from 'vitest';
import { pauseCampaign } from '../../lambdas/core/campaigns/campaign-use-cases.js';
import type { CampaignRun } from '../../lambdas/core/model.js';
import type { SendJob } from '../../lambdas/core/ports.js';
import { logger } from '../../lambdas/handlers/powertools.js';
import { makeSenderLambda } from '../../lambdas/handlers/sender.js';
import { AwsWorld } from '../aws/aws-driver.js';
import { SEND_QUEUE_URL } from '../aws/aws-test-env.js';
import { lambdaContext, sqsRecord } from '../aws/lambda-events.js';
import { PEOPLE } from '../aws/campaign-via-api.js';
import { aQueuedRun, aTable, forgetTraffic, handlerWorld } from './aws-handler-fixtures.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const { world, emitted } = handlerWorld(inject('dynamoDbEndpoint'));
let messageCount = 0;

/** A launched run of `phones`, with its fan-out done: its receipts are queued. */
async function runTo(phones: string[]): Promise<CampaignRun> {
  const run = await aQueuedRun(world, phones);
  forgetTraffic(world);
  return run;
}

function jobOf(run: CampaignRun, phones: string[]): SendJob {
  return {
    id: `${run.campaignId}:${run.runId}:start`,
    campaignId: run.campaignId,
    runId: run.runId,
    recipients: phones.map((phone) => ({ phone, carrier: 'viettel' })),
    attempt: 0,
  };
}

function sendEvent(bodies: unknown[]): SQSEvent {
  return {
    Records: bodies.map((body) => {
      messageCount++;
      return sqsRecord('loa-dev-send', {
        messageId: `s-${messageCount}`,
        receiptHandle: `rh-send-${messageCount}`,
        body: typeof body === 'string' ? body : JSON.stringify(body),
        sentAt: Date.now(),
        receiveCount: 1,
      });
    }),
  };
}

const send = (event: SQSEvent) => world.lambdas.sender(event, lambdaContext('sender', 900_000));

describe('the sender', () => {
  it('publishes each queued recipient as a Transactional SMS from the sender ID and completes the job', async () => {
    const phones = ['+84961000001', '+84961000002'];
    const run = await runTo(phones);
    const event = sendEvent([jobOf(run, phones)]);

    expect(await send(event)).toEqual({ batchItemFailures: [] });

    const campaign = (await world.deps.campaigns.getCampaign(run.campaignId))!;
    expect(world.snsMock.commandCalls(PublishCommand).map((call) => call.args[0].input)).toEqual(
      phones.map((phone) => ({
        PhoneNumber: phone,
        Message: campaign.text,
        MessageAttributes: {
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'SoTTTT' },
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        },
      })),
    );
    expect(world.sqsMock.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: SEND_QUEUE_URL, ReceiptHandle: event.Records[0]!.receiptHandle },
    ]);
    const receipt = await world.deps.receipts.getReceipt(run.campaignId, run.runId, phones[0]!);
    expect(receipt).toMatchObject({ status: 'submitted', gatewayId: 'sns', gatewayMessageId: world.publishes[0]!.messageId });
    expect(emitted).toEqual([{ dimensions: { gateway: 'sns', carrier: 'viettel' }, counts: { submitted: 2 } }]);
  });

  it('sends nothing twice when the same job is delivered again', async () => {
    const phones = ['+84961000011'];
    const run = await runTo(phones);
    await send(sendEvent([jobOf(run, phones)]));
    await send(sendEvent([jobOf(run, phones)]));
    expect(world.snsMock.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('reports the records that threw in batchItemFailures and completes the others', async () => {
    const phones = ['+84961000021'];
    const run = await runTo(phones);
    const event = sendEvent([{ ...jobOf(run, phones), campaignId: 'cmp_missing' }, jobOf(run, phones), '{"id":"x"}']);

    const response = await send(event);

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }, { itemIdentifier: event.Records[2]!.messageId }],
    });
    expect(world.snsMock.commandCalls(PublishCommand)).toHaveLength(1);
    expect((await world.deps.receipts.getReceipt(run.campaignId, run.runId, phones[0]!))?.status).toBe('submitted');
  });

  it('refuses a record that is not a send job, logging its message id and what is wrong', async () => {
    const errors = vi.spyOn(logger, 'error');
    const event = sendEvent(['{"id":"x"}', 'not json']);

    try {
      // Every record failed: still answered with the failures, so SQS takes back just those.
      expect(await send(event)).toEqual({
        batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }, { itemIdentifier: event.Records[1]!.messageId }],
      });
      const refused = 'Send job is not valid; SQS will deliver it again until the dead-letter queue takes it';
      expect(errors.mock.calls).toEqual([
        [refused, { messageId: event.Records[0]!.messageId, reason: expect.stringMatching(/^body\.campaignId: Invalid input/) }],
        [refused, { messageId: event.Records[1]!.messageId, reason: expect.stringMatching(/^body: Invalid JSON/) }],
      ]);
    } finally {
      errors.mockRestore();
    }
    expect(world.snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('sends the jobs of a batch one after the other, in their order', async () => {
    const first = ['+84961000051', '+84961000052', '+84961000053'];
    const second = ['+84961000054', '+84961000055'];
    const [firstRun, secondRun] = [await runTo(first), await runTo(second)];

    expect(await send(sendEvent([jobOf(firstRun, first), jobOf(secondRun, second)]))).toEqual({ batchItemFailures: [] });

    expect(world.snsMock.commandCalls(PublishCommand).map((call) => call.args[0].input.PhoneNumber)).toEqual([...first, ...second]);
  });

  it('puts a throttled recipient back on the send queue with a backoff, and counts the throttle', async () => {
    const phones = ['+84961000031', '+84961000032'];
    const run = await runTo(phones);
    world.snsMock
      .on(PublishCommand, { PhoneNumber: phones[1] })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
    const event = sendEvent([jobOf(run, phones)]);

    expect(await send(event)).toEqual({ batchItemFailures: [] });

    const resent = world.sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    expect(resent).toEqual([{ QueueUrl: SEND_QUEUE_URL, MessageBody: expect.any(String), DelaySeconds: expect.any(Number) }]);
    // Throttling is the carrier pacing us, not a failed attempt.
    expect(JSON.parse(resent[0]!.MessageBody!)).toEqual({ ...jobOf(run, [phones[1]!]), attempt: 0 });
    expect(resent[0]!.DelaySeconds).toBeLessThanOrEqual(1);
    expect(world.sqsMock.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input.ReceiptHandle)).toEqual([
      event.Records[0]!.receiptHandle,
    ]);
    expect(emitted).toEqual([{ dimensions: { gateway: 'sns', carrier: 'viettel' }, counts: { submitted: 1, throttles: 1 } }]);
    expect((await world.deps.receipts.getReceipt(run.campaignId, run.runId, phones[1]!))?.status).toBe('queued');
  });

  it('sends nothing for a paused campaign and looks at the job again in a minute', async () => {
    const phones = ['+84961000041'];
    const run = await runTo(phones);
    await pauseCampaign(world.deps, { id: 'hoa', roles: ['operator'] }, run.campaignId);
    forgetTraffic(world);

    expect(await send(sendEvent([jobOf(run, phones)]))).toEqual({ batchItemFailures: [] });

    expect(world.snsMock.commandCalls(PublishCommand)).toHaveLength(0);
    const resent = world.sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    expect(resent).toEqual([{ QueueUrl: SEND_QUEUE_URL, MessageBody: JSON.stringify(jobOf(run, phones)), DelaySeconds: 60 }]);
  });
});

describe("the senders' gateway health, on GET /v1/gateways", () => {
  it('is posted by each sender at most every 15 s while it sends, and shown as the senders see it together', async () => {
    // A table of its own: no other test's senders post here.
    const endpoint = inject('dynamoDbEndpoint');
    const own = aTable(endpoint);
    await own.create();
    const quiet = new AwsWorld({ endpoint, tableName: own.tableName });
    const containers = [makeSenderLambda(() => quiet.deps), makeSenderLambda(() => quiet.deps)];
    const contexts = [lambdaContext('sender', 900_000), lambdaContext('sender', 900_000)];
    const sendThrough = async (container: number, phones: string[]) => {
      const run = await aQueuedRun(quiet, phones);
      await containers[container]!(sendEvent([jobOf(run, phones)]), contexts[container]!);
    };
    try {
      expect((await quiet.api('GET', '/v1/gateways', { as: PEOPLE.operator })).body).toEqual({ items: [] });

      await sendThrough(0, ['+84962100001', '+84962100002', '+84962100003']);
      await sendThrough(1, ['+84962100004']);
      const posted = await quiet.deps.gatewayBoard.reportsSince(new Date(quiet.clock.now().getTime() - 60_000).toISOString());
      expect(posted.map((report) => report.sender).sort()).toEqual(contexts.map((context) => context.logStreamName).sort());

      const [sns] = (await quiet.api('GET', '/v1/gateways', { as: PEOPLE.viewer })).body.items;
      expect(sns).toMatchObject({ id: 'sns', state: 'up', errorRate: 0, failovers: 0, details: { senders: 2 } });
      const [first, second] = posted.map((report) => report.gateways[0]!.submitsPerSecond);
      expect(sns.submitsPerSecond).toBeCloseTo(first! + second!);

      // Within 15 s a container does not post again; after, it does.
      const before = (await quiet.deps.gatewayBoard.reportsSince('2000-01-01T00:00:00Z')).find(
        (report) => report.sender === contexts[0]!.logStreamName,
      )!;
      await sendThrough(0, ['+84962100005']);
      const unchanged = (await quiet.deps.gatewayBoard.reportsSince('2000-01-01T00:00:00Z')).find(
        (report) => report.sender === contexts[0]!.logStreamName,
      )!;
      expect(unchanged.at).toBe(before.at);
      quiet.clock.offsetMs += 15_000;
      await sendThrough(0, ['+84962100006']);
      const again = (await quiet.deps.gatewayBoard.reportsSince('2000-01-01T00:00:00Z')).find(
        (report) => report.sender === contexts[0]!.logStreamName,
      )!;
      expect(Date.parse(again.at) - Date.parse(before.at)).toBeGreaterThanOrEqual(15_000);
    } finally {
      await own.drop();
    }
  });
});
