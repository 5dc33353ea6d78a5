/**
 * The dispatch pipeline on AWS: a fan-out queue of runs to walk, a send queue of jobs (a slice of
 * recipients each), each with a dead-letter queue; the fan-out and sender Lambdas reading them with
 * partial batch failures; the janitor every minute. The sender's concurrency and batch size follow
 * from the gateway's rate (`senderPlan`).
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { isDisposable } from '../config.js';
import type { DataTable } from './data-table.js';
import { LoaFunction } from './functions.js';

/**
 * The most messages a second one sender is asked to submit. A sender takes a token from its rate
 * limiter per message and keeps the Publish calls in flight (the core's dispatcher), so it reaches
 * its share without waiting on SNS's latency: 50 a second is ~5 calls in flight at 100 ms each,
 * well within one 1 GB Lambda.
 */
export const MAX_TPS_PER_SENDER = 50;
/** An SQS event source cannot be capped below two concurrent invocations. */
export const MIN_SENDERS = 2;
/** The longest a Lambda may run; a sender spends at most half of it on one batch. */
export const SENDER_TIMEOUT = Duration.minutes(15);
/** SQS gives the event source at most 10 messages a batch without a batching window. */
const MAX_BATCH = 10;

export interface SenderPlan {
  /** The gateway's rate, across all senders (SENDER_TPS). */
  tps: number;
  /** Reserved concurrency of the sender and maxConcurrency of its event source (SENDER_CONCURRENCY). */
  concurrency: number;
  /** What each sender's own RateLimiter allows: tps / concurrency. */
  perSenderTps: number;
  /** Send jobs per invocation. */
  batchSize: number;
}

/**
 * How the gateway's rate holds across concurrent Lambdas, without a shared token bucket:
 *
 *   concurrency  = max(2, ceil(tps / MAX_TPS_PER_SENDER))   reserved concurrency of the sender, and the
 *                                                            event source's maxConcurrency (equal, so the
 *                                                            poller never invokes a throttled sender)
 *   perSenderTps = tps / concurrency                         each sender paces itself with the core's
 *                                                            RateLimiter at SENDER_TPS / SENDER_CONCURRENCY
 *   batchSize    = clamp(floor(timeout / 2 * perSenderTps / sliceSize), 1, 10)
 *                                                            as many jobs (slices of sliceSize recipients)
 *                                                            as one sender sends in half its timeout
 *
 * At most `concurrency` senders run at once, each under tps / concurrency, so together they stay under
 * tps. The rate counts messages (Publish requests), as the core's dispatcher takes one token per message;
 * SNS's quota counts message parts, so with multi-part texts senderTps is the parts quota divided by
 * the parts of the longest message (lambdas/adapters/sns/sns-gateway.ts, messagesPerSecondForParts).
 * A job must fit in the half-timeout at the per-sender rate, hence the minimum tps.
 */
export function senderPlan(tps: number, sliceSize: number = DEFAULT_CONFIG.sliceSize): SenderPlan {
  const concurrency = Math.max(MIN_SENDERS, Math.ceil(tps / MAX_TPS_PER_SENDER));
  const perSenderTps = tps / concurrency;
  const budgetSeconds = SENDER_TIMEOUT.toSeconds() / 2;
  const jobsInBudget = Math.floor((budgetSeconds * perSenderTps) / sliceSize);
  if (jobsInBudget < 1) {
    const minimum = Math.ceil((MIN_SENDERS * sliceSize) / budgetSeconds);
    throw new Error(
      `senderTps ${tps} is too low: a job of ${sliceSize} messages would not fit in ${budgetSeconds} s ` +
        `at ${perSenderTps} a second per sender (at least ${minimum})`,
    );
  }
  return { tps, concurrency, perSenderTps, batchSize: Math.min(MAX_BATCH, jobsInBudget) };
}

/** Receives before a message is moved to its dead-letter queue. */
export const MAX_RECEIVES = 5;
const FAN_OUT_TIMEOUT = Duration.minutes(5);

export interface DispatchProps {
  stage: string;
  senderId: string;
  senderTps: number;
  data: DataTable;
}

export class Dispatch extends Construct {
  readonly plan: SenderPlan;
  readonly sendQueue: sqs.Queue;
  readonly sendDlq: sqs.Queue;
  readonly fanOutQueue: sqs.Queue;
  readonly fanOutDlq: sqs.Queue;
  readonly gatewaySecret: secretsmanager.Secret;
  readonly fanOut: LoaFunction;
  readonly sender: LoaFunction;
  readonly janitor: LoaFunction;

  constructor(scope: Construct, id: string, props: DispatchProps) {
    super(scope, id);
    this.plan = senderPlan(props.senderTps);

    this.fanOutDlq = deadLetterQueue(this, 'FanOutDlq');
    this.fanOutQueue = workQueue(this, 'FanOutQueue', FAN_OUT_TIMEOUT, this.fanOutDlq);
    this.sendDlq = deadLetterQueue(this, 'SendDlq');
    this.sendQueue = workQueue(this, 'SendQueue', SENDER_TIMEOUT, this.sendDlq);

    this.gatewaySecret = new secretsmanager.Secret(this, 'GatewayCredentials', {
      description: `Loa ${props.stage}: credentials of SMS gateways other than SNS (SMPP binds, HTTP aggregators), as JSON by gateway id`,
      removalPolicy: isDisposable(props.stage) ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    Validations.of(this.gatewaySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Gateway credentials are issued by the carriers and aggregators; they are changed with them, not by a rotation Lambda.',
    });

    this.fanOut = new LoaFunction(this, 'FanOut', {
      stage: props.stage,
      handler: 'fanOut',
      description: 'walks the segment of a run in slices from its saved cursor and queues send jobs',
      memorySize: 1024,
      timeout: FAN_OUT_TIMEOUT,
    });
    props.data.bindTable(this.fanOut.fn);
    this.bindFanOutQueue(this.fanOut.fn);
    this.bindSendQueue(this.fanOut.fn);
    this.fanOut.fn.addEventSource(new SqsEventSource(this.fanOutQueue, { batchSize: 1, reportBatchItemFailures: true }));

    this.sender = new LoaFunction(this, 'Sender', {
      stage: props.stage,
      handler: 'sender',
      description: 'submits send jobs to SNS at its share of the gateway rate and records the outcomes',
      memorySize: 1024,
      timeout: SENDER_TIMEOUT,
      reservedConcurrentExecutions: this.plan.concurrency,
      environment: {
        SMS_SENDER_ID: props.senderId,
        SENDER_TPS: String(this.plan.tps),
        SENDER_CONCURRENCY: String(this.plan.concurrency),
        GATEWAY_SECRET_ARN: this.gatewaySecret.secretArn,
      },
    });
    props.data.bindTable(this.sender.fn);
    this.bindSendQueue(this.sender.fn);
    this.gatewaySecret.grantRead(this.sender.fn);
    this.sender.fn.addEventSource(
      new SqsEventSource(this.sendQueue, {
        batchSize: this.plan.batchSize,
        maxConcurrency: this.plan.concurrency,
        reportBatchItemFailures: true,
      }),
    );
    this.sender.fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'PublishSmsToPhoneNumbers', actions: ['sns:Publish'], resources: ['*'] }),
    );
    Validations.of(this.sender.fn.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'sns:Publish to a phone number has no resource ARN, so SMS sending needs "*" (and so does X-Ray); topics are not published to.',
    });

    this.janitor = new LoaFunction(this, 'Janitor', {
      stage: props.stage,
      handler: 'janitor',
      description: 'every minute: expires receipts with no report after 72 hours, finishes runs',
      memorySize: 512,
      timeout: Duration.seconds(55),
      retryAttempts: 0,
    });
    props.data.bindTable(this.janitor.fn);
    new events.Rule(this, 'EveryMinute', {
      description: `Loa ${props.stage}: runs the janitor`,
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.janitor.fn, { retryAttempts: 0 })],
    });
  }

  /** Lets a function queue runs to walk (and the fan-out hand the rest of a run on): FANOUT_QUEUE_URL. */
  bindFanOutQueue(fn: lambda.Function): void {
    this.fanOutQueue.grantSendMessages(fn);
    fn.addEnvironment('FANOUT_QUEUE_URL', this.fanOutQueue.queueUrl);
  }

  /** Lets a function queue send jobs (and a sender put one back for later): SEND_QUEUE_URL. */
  bindSendQueue(fn: lambda.Function): void {
    this.sendQueue.grantSendMessages(fn);
    fn.addEnvironment('SEND_QUEUE_URL', this.sendQueue.queueUrl);
  }
}

/** A standard queue, encrypted (SQS-managed keys), TLS only, kept 14 days: a dead-letter queue. */
export function deadLetterQueue(scope: Construct, id: string): sqs.Queue {
  return new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
}

/**
 * A work queue read by a Lambda with the given timeout: invisible a minute longer than the Lambda may
 * run, and moved to its dead-letter queue after MAX_RECEIVES receives.
 */
function workQueue(scope: Construct, id: string, consumerTimeout: Duration, dlq: sqs.IQueue): sqs.Queue {
  return new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    visibilityTimeout: consumerTimeout.plus(Duration.minutes(1)),
    deadLetterQueue: { queue: dlq, maxReceiveCount: MAX_RECEIVES },
  });
}
