/**
 * The AWS path of Loa in one process, for the end-to-end test and the cost bench (bench/aws-cost.ts):
 * the real Lambda handlers, built by the real createAwsDeps, on a real DynamoDB (Local), with the SQS,
 * Scheduler and SNS clients mocked by aws-sdk-client-mock. The driver plays the AWS services around the
 * handlers:
 *
 * - SQS and its Lambda event source mappings: every SendMessage(Batch) the handlers make is kept in an
 *   in-memory queue and later handed, in SQS event batches of the mapping's size, to the handler that
 *   reads that queue; successful records are deleted, batchItemFailures come back with a higher
 *   ApproximateReceiveCount (to a dead-letter list after maxReceives), and DelaySeconds is honoured on
 *   the driver's clock (moved forward when nothing else is left to do). A queue no Lambda reads (the SMPP
 *   service's) is the test's: its messages are handed on (`otherQueues`).
 * - EventBridge Scheduler: CreateSchedule/UpdateSchedule are kept; `fireDueSchedules` invokes the schedule
 *   target with the schedule's Input when its time comes (one-time `at()` schedules, then deleted).
 * - SNS: every Publish gets a MessageId and becomes a delivery-status log line, handed to the
 *   delivery-report ingester as gzipped CloudWatch Logs subscription events of `reportsPerDelivery` lines.
 * - EventBridge's every-minute rule: `runJanitor`.
 *
 * It counts what AWS would bill: every DynamoDB request (request-billing.ts), every SQS request the code
 * makes and the ones the event source mapping makes (one ReceiveMessage per batch delivered, one
 * DeleteMessageBatch per batch with successes), and every Lambda invocation with its duration.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { DeleteMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyStructuredResultV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { createAwsDeps, type AwsDeps } from '../../lambdas/handlers/aws-deps.js';
import { TEST_PSEUDONYM_KEY } from '../test-pseudonymizer.js';
import { makeApiLambda } from '../../lambdas/handlers/api.js';
import { makeDeliveryReportsLambda } from '../../lambdas/handlers/delivery-reports.js';
import { makeFanOutLambda, type FanOutOptions } from '../../lambdas/handlers/fan-out.js';
import { makeJanitorLambda } from '../../lambdas/handlers/janitor.js';
import { makeScheduleTargetLambda } from '../../lambdas/handlers/schedule-target.js';
import { makeSenderLambda } from '../../lambdas/handlers/sender.js';
import type { Clock } from '../../lambdas/core/ports.js';
import { fireTimes, parseSchedule } from '../../lambdas/core/schedules/schedule-expression.js';
import type { CloudWatchMetrics } from '../../lambdas/adapters/cloudwatch/cloudwatch-metrics.js';
import { ACCOUNT, awsTestEnv, FANOUT_QUEUE_URL, LOCAL_CLIENT_CONFIG, REGION, SEND_QUEUE_URL } from './aws-test-env.js';
import { apiEvent, cognitoClaims, deliveryStatusLine, lambdaContext, logsEvent, sqsRecord } from './lambda-events.js';
import { billedChunks, countDynamoRequests, type DynamoCounts } from './request-billing.js';

export type HandlerName = 'api' | 'scheduleTarget' | 'fanOut' | 'sender' | 'deliveryReports' | 'janitor';
export const HANDLER_NAMES: readonly HandlerName[] = ['api', 'scheduleTarget', 'fanOut', 'sender', 'deliveryReports', 'janitor'];

/** The system clock plus an offset the driver moves forward, so delays pass without waiting. */
export class ShiftedClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advanceTo(ms: number): void {
    this.offsetMs = Math.max(this.offsetMs, ms - Date.now());
  }
}

export interface QueuedMessage {
  messageId: string;
  body: string;
  /** On the driver's clock. */
  visibleAt: number;
  sentAt: number;
  receiveCount: number;
  receiptHandle?: string;
}

export interface AwsWorldOptions {
  endpoint: string;
  tableName: string;
  env?: Record<string, string>;
  /** Jobs per sender invocation (the event source's batch size). */
  senderBatchSize?: number;
  /** Delivery-status lines per CloudWatch Logs delivery to the ingester. */
  reportsPerDelivery?: number;
  fanOut?: Partial<FanOutOptions>;
  /** Receives before a message goes to the dead-letter list. */
  maxReceives?: number;
  /** The delivery status SNS will log for a Publish (default SUCCESS). */
  statusOf?: (publish: PublishCommandInput) => 'SUCCESS' | 'FAILURE';
  metrics?: CloudWatchMetrics;
  /** Sum the request units of every DynamoDB request (the bench): request-billing.ts. */
  measureCapacity?: boolean;
  /**
   * The senders' rate limiter waits on the driver's clock instead of the real one: the wait is added to
   * the clock and to the invocation's duration, and the run goes as fast as the machine allows (the bench).
   */
  virtualWaits?: boolean;
  /** How long an API call may take (API Gateway's 29 s unless a bench's setup needs more). */
  apiTimeoutMs?: number;
  /** Secrets Manager's other secrets (the `secret:` references of LOA_GATEWAYS): their strings, by name. */
  secrets?: Record<string, string>;
  /** The End User Messaging client of the eum gateways, mocked by the test. */
  eum?: PinpointSMSVoiceV2Client;
  /**
   * Queues no Lambda reads (the SMPP service's on Fargate), by URL: each message the handlers send to one
   * is handed to its function, which answers the message id.
   */
  otherQueues?: Record<string, (body: string, delaySeconds: number) => Promise<string>>;
}

export class AwsWorld {
  readonly clock = new ShiftedClock();
  readonly dynamodb: DynamoDBClient;
  readonly sqs = new SQSClient({ region: REGION });
  readonly scheduler = new SchedulerClient({ region: REGION });
  readonly sns = new SNSClient({ region: REGION });
  /** The secrets the functions read (only the pseudonym key), and the ids they asked for. */
  readonly secretRequests: string[] = [];
  readonly secrets = {
    secretString: async (secretId: string) => {
      this.secretRequests.push(secretId);
      return this.options.secrets?.[secretId] ?? Buffer.from(TEST_PSEUDONYM_KEY).toString('utf8');
    },
  };
  readonly sqsMock: AwsClientStub<SQSClient>;
  readonly schedulerMock: AwsClientStub<SchedulerClient>;
  readonly snsMock: AwsClientStub<SNSClient>;
  readonly deps: AwsDeps;
  readonly lambdas: ReturnType<typeof makeLambdas>;

  readonly queues: Record<'fanOut' | 'send', QueuedMessage[]> = { fanOut: [], send: [] };
  readonly deadLetters: Record<'fanOut' | 'send', QueuedMessage[]> = { fanOut: [], send: [] };
  readonly schedules = new Map<string, CreateScheduleCommandInput>();
  readonly publishes: { input: PublishCommandInput; messageId: string }[] = [];
  readonly invocations: Record<HandlerName, number> = { api: 0, scheduleTarget: 0, fanOut: 0, sender: 0, deliveryReports: 0, janitor: 0 };
  readonly durationsMs: Record<HandlerName, number> = { api: 0, scheduleTarget: 0, fanOut: 0, sender: 0, deliveryReports: 0, janitor: 0 };
  /** SQS requests the event source mappings make on the handlers' behalf (ReceiveMessage, DeleteMessageBatch). */
  eventSourceSqsRequests = 0;
  /** SQS requests as billed: each 64 KB of payload of a request is one request. */
  billedSqsRequests = 0;
  readonly dynamo: DynamoCounts;
  /** Time the rate limiter waited on the driver's clock (virtualWaits). */
  waitedMs = 0;
  /** Errors the handlers threw (whole invocations failing), for tests to assert there were none. */
  readonly errors: { handler: HandlerName; error: unknown }[] = [];

  private pendingStatus: { id: string; timestamp: number; message: string }[] = [];
  private readonly deleted = new Set<string>();
  private readonly options: Required<Pick<AwsWorldOptions, 'senderBatchSize' | 'reportsPerDelivery' | 'maxReceives'>> & AwsWorldOptions;

  constructor(options: AwsWorldOptions) {
    this.options = { senderBatchSize: 1, reportsPerDelivery: 100, maxReceives: 5, ...options };
    this.dynamodb = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: options.endpoint });
    this.dynamo = countDynamoRequests(
      this.dynamodb,
      options.measureCapacity ? { endpoint: options.endpoint, tableName: options.tableName, clientConfig: LOCAL_CLIENT_CONFIG } : undefined,
    );
    this.sqsMock = mockClient(this.sqs);
    this.schedulerMock = mockClient(this.scheduler);
    this.snsMock = mockClient(this.sns);
    this.fakeSqs();
    this.fakeScheduler();
    this.fakeSns();

    this.deps = createAwsDeps({
      env: awsTestEnv(options.tableName, options.env),
      clients: {
        dynamodb: this.dynamodb,
        sqs: this.sqs,
        scheduler: this.scheduler,
        sns: this.sns,
        secrets: this.secrets,
        ...(options.eum && { eum: options.eum }),
      },
      clock: this.clock,
      ...(options.virtualWaits && {
        sleep: async (ms: number) => {
          this.clock.offsetMs += ms;
          this.waitedMs += ms;
        },
      }),
      ...(options.metrics && { metrics: options.metrics }),
    });
    this.lambdas = makeLambdas(() => this.deps, options.fanOut);
  }

  // ---- invoking the handlers as Lambda would ---------------------------------------------------------

  async invoke<R>(name: HandlerName, run: (context: Context) => Promise<R>, timeoutMs = 300_000): Promise<R> {
    this.invocations[name]++;
    const started = performance.now();
    const waitedBefore = this.waitedMs;
    const modelBefore = this.dynamo.modelMs;
    try {
      return await run(lambdaContext(name, timeoutMs));
    } catch (error) {
      this.errors.push({ handler: name, error });
      throw error;
    } finally {
      // The bench's write unit model reads around each write: its time is not the handler's.
      const modelMs = this.dynamo.modelMs - modelBefore;
      this.durationsMs[name] += performance.now() - started + (this.waitedMs - waitedBefore) - modelMs;
    }
  }

  /** One API call as API Gateway would make it; returns the status and the parsed body. */
  async api(
    method: string,
    path: string,
    options: { as?: { sub: string; groups: readonly string[] }; json?: unknown; csv?: string; query?: Record<string, string> } = {},
  ): Promise<{ status: number; body: any }> {
    const event = apiEvent(method, path, {
      ...(options.as && { claims: cognitoClaims(options.as.sub, options.as.groups) }),
      ...(options.json !== undefined && { body: JSON.stringify(options.json), contentType: 'application/json' }),
      ...(options.csv !== undefined && { body: options.csv, contentType: 'text/csv' }),
      ...(options.query && { query: options.query }),
    });
    const result = (await this.invoke(
      'api',
      (context) => this.lambdas.api(event, context),
      this.options.apiTimeoutMs ?? 29_000,
    )) as APIGatewayProxyStructuredResultV2;
    return { status: result.statusCode ?? 0, body: result.body ? JSON.parse(result.body) : undefined };
  }

  /** Fires every schedule whose next time has come once the clock is moved to it; returns how many. */
  async fireDueSchedules(): Promise<number> {
    let fired = 0;
    for (const [name, schedule] of [...this.schedules]) {
      const parsed = parseSchedule(schedule.ScheduleExpression!, schedule.ScheduleExpressionTimezone);
      const now = this.clock.now();
      const next = fireTimes(parsed, { from: new Date(now.getTime() - 60_000), count: 1, start: now })[0];
      if (!next) continue;
      this.clock.advanceTo(next.getTime());
      const payload = JSON.parse(schedule.Target!.Input!) as unknown;
      await this.invoke('scheduleTarget', (context) => this.lambdas.scheduleTarget(payload, context));
      fired++;
      if (schedule.ActionAfterCompletion === 'DELETE') this.schedules.delete(name);
    }
    return fired;
  }

  async runJanitor() {
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event' as const,
      source: 'aws.events' as const,
      account: ACCOUNT,
      time: new Date().toISOString(),
      region: REGION,
      resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/loa-dev-janitor`],
      detail: {},
    };
    return this.invoke('janitor', (context) => this.lambdas.janitor(event, context), 55_000);
  }

  /**
   * Delivers until both queues and the delivery-status logs are empty: fan-out first, then senders, then
   * reports; when only delayed messages are left, the clock moves to the first of them.
   */
  async drain(maxSteps = 100_000): Promise<void> {
    for (let step = 0; step < maxSteps; step++) {
      const now = this.clock.now().getTime();
      if (this.ready('fanOut', now) > 0) await this.deliver('fanOut', 1);
      else if (this.ready('send', now) > 0) await this.deliver('send', this.options.senderBatchSize);
      else if (this.pendingStatus.length > 0) await this.deliverReports();
      else {
        const waiting = [...this.queues.fanOut, ...this.queues.send];
        if (waiting.length === 0) return;
        this.clock.advanceTo(Math.min(...waiting.map((message) => message.visibleAt)));
      }
    }
    throw new Error(`drain did not finish in ${maxSteps} steps`);
  }

  get sqsRequestsByCode(): number {
    return (
      this.sqsMock.commandCalls(SendMessageCommand).length +
      this.sqsMock.commandCalls(SendMessageBatchCommand).length +
      this.sqsMock.commandCalls(DeleteMessageCommand).length
    );
  }

  // ---- internals ------------------------------------------------------------------------------------

  private ready(queue: 'fanOut' | 'send', now: number): number {
    return this.queues[queue].filter((message) => message.visibleAt <= now).length;
  }

  private async deliver(queue: 'fanOut' | 'send', batchSize: number): Promise<void> {
    const now = this.clock.now().getTime();
    const batch: QueuedMessage[] = [];
    for (const message of this.queues[queue]) {
      if (batch.length >= batchSize) break;
      if (message.visibleAt <= now) batch.push(message);
    }
    this.queues[queue] = this.queues[queue].filter((message) => !batch.includes(message));
    for (const message of batch) {
      message.receiveCount++;
      message.receiptHandle = `${message.messageId}#${message.receiveCount}#${randomUUID()}`;
    }
    this.eventSourceSqsRequests++; // the ReceiveMessage that got the batch
    const name = queue === 'fanOut' ? 'loa-dev-fan-out' : 'loa-dev-send';
    const event: SQSEvent = { Records: batch.map((message) => sqsRecord(name, { ...message, receiptHandle: message.receiptHandle! })) };
    const handler: HandlerName = queue === 'fanOut' ? 'fanOut' : 'sender';
    let failed = new Set(batch.map((message) => message.messageId));
    try {
      const response = (await this.invoke(
        handler,
        (context) => this.lambdas[handler](event, context),
        handler === 'fanOut' ? 300_000 : 900_000,
      )) as SQSBatchResponse;
      failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch {
      // The whole batch comes back.
    }
    if (batch.some((message) => !failed.has(message.messageId))) this.eventSourceSqsRequests++; // DeleteMessageBatch
    for (const message of batch) {
      if (!failed.has(message.messageId) || this.deleted.has(message.receiptHandle!)) continue;
      if (message.receiveCount >= this.options.maxReceives) this.deadLetters[queue].push(message);
      else this.queues[queue].push({ ...message, visibleAt: this.clock.now().getTime() + 1_000 });
    }
  }

  private async deliverReports(): Promise<void> {
    const lines = this.pendingStatus.splice(0, this.options.reportsPerDelivery);
    const event = logsEvent(lines);
    try {
      await this.invoke('deliveryReports', (context) => this.lambdas.deliveryReports(event, context), 60_000);
    } catch {
      // CloudWatch Logs retries a failed delivery: put the lines back.
      this.pendingStatus.unshift(...lines);
    }
  }

  private async enqueue(url: string | undefined, body: string, delaySeconds: number | undefined): Promise<string> {
    const other = url === undefined ? undefined : this.options.otherQueues?.[url];
    if (other) return other(body, delaySeconds ?? 0);
    const queue = url === FANOUT_QUEUE_URL ? 'fanOut' : url === SEND_QUEUE_URL ? 'send' : undefined;
    if (!queue) throw new Error(`SendMessage to an unknown queue ${url}`);
    const messageId = randomUUID();
    const now = this.clock.now().getTime();
    this.queues[queue].push({ messageId, body, sentAt: now, visibleAt: now + (delaySeconds ?? 0) * 1000, receiveCount: 0 });
    return messageId;
  }

  private fakeSqs(): void {
    this.sqsMock.on(SendMessageCommand).callsFake(async (input: { QueueUrl?: string; MessageBody?: string; DelaySeconds?: number }) => {
      this.billedSqsRequests += billedChunks(Buffer.byteLength(input.MessageBody ?? ''));
      return { MessageId: await this.enqueue(input.QueueUrl, input.MessageBody ?? '', input.DelaySeconds) };
    });
    this.sqsMock
      .on(SendMessageBatchCommand)
      .callsFake(async (input: { QueueUrl?: string; Entries?: { Id?: string; MessageBody?: string; DelaySeconds?: number }[] }) => {
        const entries = input.Entries ?? [];
        this.billedSqsRequests += billedChunks(entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? ''), 0));
        const successful = [];
        for (const entry of entries) {
          successful.push({
            Id: entry.Id,
            MessageId: await this.enqueue(input.QueueUrl, entry.MessageBody ?? '', entry.DelaySeconds),
            MD5OfMessageBody: createHash('md5')
              .update(entry.MessageBody ?? '')
              .digest('hex'),
          });
        }
        return { Successful: successful, Failed: [] };
      });
    this.sqsMock.on(DeleteMessageCommand).callsFake((input: { ReceiptHandle?: string }) => {
      this.billedSqsRequests += 1;
      if (input.ReceiptHandle) this.deleted.add(input.ReceiptHandle);
      return {};
    });
  }

  private fakeScheduler(): void {
    const keep = (input: CreateScheduleCommandInput) => {
      this.schedules.set(input.Name!, input);
      return { ScheduleArn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${input.GroupName}/${input.Name}` };
    };
    this.schedulerMock.on(CreateScheduleCommand).callsFake(keep);
    this.schedulerMock.on(UpdateScheduleCommand).callsFake(keep);
    this.schedulerMock.on(DeleteScheduleCommand).callsFake((input: { Name?: string }) => {
      this.schedules.delete(input.Name!);
      return {};
    });
  }

  private fakeSns(): void {
    let logEventId = 0;
    this.snsMock.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      const messageId = randomUUID();
      this.publishes.push({ input, messageId });
      const at = this.clock.now();
      const status = this.options.statusOf?.(input) ?? 'SUCCESS';
      logEventId++;
      this.pendingStatus.push({
        id: String(37_000_000_000_000_000n + BigInt(logEventId)),
        timestamp: at.getTime() + 2_000,
        message: deliveryStatusLine(input, messageId, at, status),
      });
      return { MessageId: messageId };
    });
  }
}

/** Every Loa handler on the same deps, as the stack deploys them (one Lambda each). */
export function makeLambdas(deps: () => AwsDeps, fanOut?: Partial<FanOutOptions>) {
  return {
    api: makeApiLambda(deps),
    scheduleTarget: makeScheduleTargetLambda(deps),
    fanOut: makeFanOutLambda(deps, fanOut),
    sender: makeSenderLambda(deps),
    deliveryReports: makeDeliveryReportsLambda(deps),
    janitor: makeJanitorLambda(deps),
  };
}
