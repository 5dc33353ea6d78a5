/**
 * The sender Lambda with the configuration file's gateways (LOA_GATEWAYS): routes by carrier among its
 * Lambda-hosted gateways, `secret:` references read once per container, each gateway's rate shared in
 * DynamoDB by every container, and a sender that keeps its time and posts health while it sends.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { DeleteMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { CloudWatchMetrics } from '../../lambdas/adapters/cloudwatch/cloudwatch-metrics.js';
import type { CampaignRun } from '../../lambdas/core/model.js';
import type { Clock, SendJob } from '../../lambdas/core/ports.js';
import { createAwsDeps } from '../../lambdas/handlers/aws-deps.js';
import { GATEWAY_REPORT_EVERY_MS, makeSenderLambda, STOP_MARGIN_MS } from '../../lambdas/handlers/sender.js';
import { SEND_QUEUE_URL, awsTestEnv } from '../aws/aws-test-env.js';
import { lambdaContext, sqsRecord } from '../aws/lambda-events.js';
import { esmsOptions, ESMS_API_KEY } from '../adapters/http-gateway/esms-options.js';
import { FakeProvider } from '../adapters/http-gateway/fake-provider.js';
import { aQueuedRun, forgetTraffic, handlerWorld } from './aws-handler-fixtures.js';

/** Campaigns are made through the use cases on DynamoDB Local: slow on a busy machine. */
const SLOW = 120_000;

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const { world, tableName } = handlerWorld(inject('dynamoDbEndpoint'));
let provider: FakeProvider;
beforeAll(async () => {
  provider = await FakeProvider.start();
});
afterAll(() => provider.stop());
afterEach(() => vi.useRealTimers());

let messageCount = 0;
function sendEvent(jobs: SendJob[]): SQSEvent {
  return {
    Records: jobs.map((job) => {
      messageCount++;
      return sqsRecord('loa-dev-send', {
        messageId: `g-${messageCount}`,
        receiptHandle: `rh-gateways-${messageCount}`,
        body: JSON.stringify(job),
        sentAt: Date.now(),
        receiveCount: 1,
      });
    }),
  };
}

function jobOf(run: CampaignRun, recipients: { phone: string; carrier: 'viettel' | 'vinaphone' | 'mobifone' }[]): SendJob {
  return { id: `${run.campaignId}:${run.runId}:start`, campaignId: run.campaignId, runId: run.runId, recipients, attempt: 0 };
}

/** A container of the sender: its own deps on the world's table and mocked clients. */
function aContainer(
  env: Record<string, string>,
  options: { secrets?: Record<string, string>; clock?: Clock; sleep?: (ms: number) => Promise<void> } = {},
) {
  const secretReads: string[] = [];
  const deps = createAwsDeps({
    env: awsTestEnv(tableName, env),
    clients: {
      dynamodb: world.dynamodb,
      sqs: world.sqs,
      sns: world.sns,
      secrets: {
        secretString: async (id) => {
          secretReads.push(id);
          const secret = options.secrets?.[id];
          if (secret === undefined) throw new Error(`ResourceNotFoundException: ${id}`);
          return secret;
        },
      },
    },
    ...(options.clock && { clock: options.clock }),
    ...(options.sleep && { sleep: options.sleep }),
    metrics: new CloudWatchMetrics(() => {}),
  });
  return { deps, secretReads, send: makeSenderLambda(() => deps) };
}

const esms = (baseUrl: string) => {
  const options = esmsOptions(baseUrl);
  return {
    ...options,
    type: 'http',
    request: { ...options.request, fields: { ...options.request.fields, ApiKey: 'secret:loa/esms#apiKey' } },
    deliveryReports: { ...options.deliveryReports!, auth: { type: 'token', param: 'token', secret: 'secret:loa/esms#webhookToken' } },
  };
};
const smpp = {
  id: 'viettel-smpp',
  type: 'smpp',
  host: '10.0.0.5',
  port: 2775,
  systemId: 'secret:loa/smpp#systemId',
  // Longer than the 8 SMPP allows a password: only the secret's value is held to it.
  password: 'secret:loa/smpp#password',
  sourceAddr: 'TTTT',
};

describe('the sender with the gateways of LOA_GATEWAYS', () => {
  it(
    'sends each recipient through the first Lambda-hosted gateway of its route, reading the secrets once per container',
    async () => {
      const file = {
        gateways: [esms(provider.baseUrl), { id: 'sns', type: 'sns', senderId: 'SoTTTT', tps: 100 }, smpp],
        routes: [
          { carriers: ['viettel'], gateways: ['esms', 'sns'] },
          { carriers: ['mobifone'], gateways: ['viettel-smpp', 'sns'] },
          { carriers: ['*'], gateways: ['sns'] },
        ],
      };
      const secrets = { 'loa/esms': JSON.stringify({ apiKey: ESMS_API_KEY, webhookToken: 'a-webhook-token-of-16+' }) };
      const container = aContainer({ LOA_GATEWAYS: JSON.stringify(file) }, { secrets });
      const [viettel, vinaphone] = ['+84961300001', '+84911300002'];
      const run = await aQueuedRun(container, [viettel, vinaphone]);
      provider.requests.length = 0;

      const response = await container.send(
        sendEvent([
          jobOf(run, [
            { phone: viettel, carrier: 'viettel' },
            { phone: vinaphone, carrier: 'vinaphone' },
          ]),
        ]),
        lambdaContext('sender', 900_000),
      );

      expect(response).toEqual({ batchItemFailures: [] });
      expect(provider.requests.map((request) => JSON.parse(request.body))).toEqual([
        expect.objectContaining({ ApiKey: ESMS_API_KEY, Phone: '0961300001' }),
      ]);
      expect(world.snsMock.commandCalls(PublishCommand).map((call) => call.args[0].input.PhoneNumber)).toEqual([vinaphone]);
      expect(await container.deps.receipts.getReceipt(run.campaignId, run.runId, viettel)).toMatchObject({
        status: 'submitted',
        gatewayId: 'esms',
      });
      // The SMPP service's secrets are not this Lambda's to read.
      expect(container.secretReads).toEqual(['loa/esms']);

      const again = await aQueuedRun(container, ['+84961300003']);
      await container.send(sendEvent([jobOf(again, [{ phone: '+84961300003', carrier: 'viettel' }])]), lambdaContext('sender', 900_000));
      expect(container.secretReads).toEqual(['loa/esms']);
    },
    SLOW,
  );

  it(
    'fails the batch naming the secret when Secrets Manager does not give it, and reads it again next time',
    async () => {
      const file = { gateways: [esms(provider.baseUrl)], routes: [{ carriers: ['*'], gateways: ['esms'] }] };
      const container = aContainer({ LOA_GATEWAYS: JSON.stringify(file) });

      await expect(container.send(sendEvent([]), lambdaContext('sender', 900_000))).rejects.toThrow(
        'LOA_GATEWAYS.gateways.0.request.fields.ApiKey: cannot read secret loa/esms from AWS Secrets Manager: ResourceNotFoundException',
      );
      await expect(container.send(sendEvent([]), lambdaContext('sender', 900_000))).rejects.toThrow(/cannot read secret loa\/esms/);
      expect(container.secretReads).toEqual(['loa/esms', 'loa/esms']);
    },
    SLOW,
  );

  it(
    "keeps two containers of one gateway within its rate in every second, whatever each one's share",
    async () => {
      let now = Date.parse('2026-12-05T05:00:00.000Z');
      const clock: Clock = { now: () => new Date(now) };
      const sleep = async (ms: number) => {
        const until = now + ms;
        await new Promise((resolve) => setImmediate(resolve));
        now = Math.max(now, until);
      };
      const env = { SENDER_TPS: '10', SMS_SENDER_ID: 'SoTTTT' };
      const [first, second] = [aContainer(env, { clock, sleep }), aContainer(env, { clock, sleep })];
      const bySecond = new Map<number, number>();
      world.snsMock.on(PublishCommand).callsFake(() => {
        const at = Math.floor(now / 1000);
        bySecond.set(at, (bySecond.get(at) ?? 0) + 1);
        return { MessageId: `m-${now}-${Math.random()}` };
      });
      const phones = (base: number) => Array.from({ length: 20 }, (_, i) => `+849614${String(base + i).padStart(5, '0')}`);
      const [a, b] = [phones(0), phones(100)];
      const [runA, runB] = [await aQueuedRun(first, a), await aQueuedRun(second, b)];

      await Promise.all([
        first.send(
          sendEvent([
            jobOf(
              runA,
              a.map((phone) => ({ phone, carrier: 'viettel' as const })),
            ),
          ]),
          lambdaContext('sender', 900_000),
        ),
        second.send(
          sendEvent([
            jobOf(
              runB,
              b.map((phone) => ({ phone, carrier: 'viettel' as const })),
            ),
          ]),
          lambdaContext('sender', 900_000),
        ),
      ]);

      expect([...bySecond.values()].reduce((sum, count) => sum + count, 0)).toBe(40);
      expect(Math.max(...bySecond.values())).toBeLessThanOrEqual(10);
      expect(bySecond.size).toBeLessThanOrEqual(5);
    },
    SLOW,
  );
});

describe('a sender that keeps its time', () => {
  it(
    'hands back the rest of its job, and the jobs it did not start as new messages, when its time runs short',
    async () => {
      const container = aContainer({});
      container.deps.config.submitBatchSize = 2;
      const phones = ['+84961500001', '+84961500002', '+84961500003', '+84961500004', '+84961500005'];
      const [run, other] = [await aQueuedRun(container, phones), await aQueuedRun(container, ['+84961500006'])];
      forgetTraffic(world);
      let published = 0;
      world.snsMock.on(PublishCommand).callsFake(() => ({ MessageId: `t-${++published}` }));
      const context: Context = {
        ...lambdaContext('sender', 900_000),
        // Plenty of time until the first submit batch is out, then less than the margin.
        getRemainingTimeInMillis: () => (published < 2 ? 600_000 : STOP_MARGIN_MS - 1),
      };
      const job = jobOf(
        run,
        phones.map((phone) => ({ phone, carrier: 'viettel' as const })),
      );
      const notStarted = jobOf(other, [{ phone: '+84961500006', carrier: 'viettel' }]);
      const event = sendEvent([job, notStarted]);

      const response = await container.send(event, context);

      expect(published).toBe(2);
      // New messages, so no receive is counted towards the dead-letter queue for jobs that were not sent.
      expect(response).toEqual({ batchItemFailures: [] });
      expect(world.sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input)).toEqual([
        { QueueUrl: SEND_QUEUE_URL, MessageBody: JSON.stringify({ ...job, recipients: job.recipients.slice(2) }), DelaySeconds: 0 },
        { QueueUrl: SEND_QUEUE_URL, MessageBody: JSON.stringify(notStarted), DelaySeconds: 0 },
      ]);
      expect(world.sqsMock.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input)).toEqual([
        { QueueUrl: SEND_QUEUE_URL, ReceiptHandle: event.Records[0]!.receiptHandle },
        { QueueUrl: SEND_QUEUE_URL, ReceiptHandle: event.Records[1]!.receiptHandle },
      ]);
      expect((await container.deps.receipts.getReceipt(run.campaignId, run.runId, phones[2]!))?.status).toBe('queued');
    },
    SLOW,
  );

  it(
    'posts its gateways’ health every 15 s while a batch is sending, not only after it',
    async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      let now = Date.parse('2026-12-05T06:00:00.000Z');
      const container = aContainer({}, { clock: { now: () => new Date(now) } });
      const run = await aQueuedRun(container, ['+84961600001']);
      let answer: (value: { MessageId: string }) => void = () => {};
      world.snsMock.on(PublishCommand).callsFake(() => new Promise((resolve) => (answer = resolve)));
      const context = lambdaContext('sender', 900_000);
      const postedAt = async () =>
        (await container.deps.gatewayBoard.reportsSince('2026-12-05T00:00:00Z')).find((report) => report.sender === context.logStreamName)
          ?.at;

      const sending = container.send(sendEvent([jobOf(run, [{ phone: '+84961600001', carrier: 'viettel' }])]), context);
      await vi.waitFor(() => expect(world.snsMock.commandCalls(PublishCommand)).toHaveLength(1));
      for (const tick of [1, 2]) {
        now += GATEWAY_REPORT_EVERY_MS;
        vi.advanceTimersByTime(GATEWAY_REPORT_EVERY_MS);
        await vi.waitFor(async () => expect(await postedAt()).toBe(new Date(now).toISOString()), { timeout: 10_000 });
        expect(tick).toBeGreaterThan(0);
      }
      answer({ MessageId: 'late' });
      expect(await sending).toEqual({ batchItemFailures: [] });
    },
    SLOW,
  );
});
