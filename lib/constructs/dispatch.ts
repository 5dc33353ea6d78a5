/**
 * The dispatch pipeline on AWS: a fan-out queue of runs to walk, a send queue of jobs (a slice of
 * recipients each) for the sender Lambda, and, when the configuration has smpp gateways, the SMPP
 * service's send queue (`smppSendQueue`), each with a dead-letter queue; the fan-out and sender Lambdas
 * reading them with partial batch failures; the janitor every minute. The sender's event source
 * concurrency and batch size follow from its gateways' rates (`senderPlan`); it reserves no concurrency.
 */
import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { gatewayHost, type GatewayHost, type LoaConfigFile, secretNames } from '../../lambdas/settings/gateways-file.js';
import { SENDER_TIMEOUT_MS, STOP_MARGIN_MS } from '../../lambdas/settings/sender-time.js';
import type { DataTable } from './data-table.js';
import { LoaFunction } from './functions.js';

/**
 * The most message parts a second one sender is asked to submit. A sender takes its parts from the
 * gateway's shared bucket and keeps the submits in flight (the core's dispatcher), so it reaches this
 * without waiting on a gateway's latency: 50 a second is ~5 calls in flight at 100 ms each, well within
 * one 1 GB Lambda.
 */
export const MAX_TPS_PER_SENDER = 50;
/** An SQS event source cannot be capped below two concurrent invocations. */
export const MIN_SENDERS = 2;
/** The longest a Lambda may run. */
export const SENDER_TIMEOUT = Duration.millis(SENDER_TIMEOUT_MS);
/** SQS gives the event source at most 10 messages a batch without a batching window. */
const MAX_BATCH = 10;
/** The parts of the longest message a campaign sends, unless told: 3 parts is 459 GSM or 201 UCS-2 characters. */
export const DEFAULT_LONGEST_MESSAGE_PARTS = 3;
/** Lambda's limit on a function's environment variables, names and values together. */
export const LAMBDA_ENVIRONMENT_BYTES = 4096;

export interface SenderPlan {
  /** The message parts a second the Lambda-hosted gateways take together. */
  tps: number;
  /** maxConcurrency of the sender's event source. */
  concurrency: number;
  /** What each sender sends when all of them are at work: tps / concurrency. */
  perSenderTps: number;
  /** Send jobs per invocation. */
  batchSize: number;
}

/**
 * How many senders, and how many jobs each is handed, for the Lambda-hosted gateways' rate `tps` (message
 * parts a second, all of them together):
 *
 *   concurrency  = max(2, ceil(tps / MAX_TPS_PER_SENDER))     the event source's maxConcurrency
 *   perSenderTps = tps / concurrency                            a sender's share when all are at work
 *   batchSize    = clamp(floor((timeout - stop margin) * perSenderTps / (sliceSize * longestMessageParts)), 1, 10)
 *                                                               the jobs (slices of sliceSize recipients, each
 *                                                               message up to longestMessageParts parts) one
 *                                                               sender sends in its working time
 *
 * The rate itself holds through each gateway's shared bucket in DynamoDB, whatever the number of senders,
 * so no concurrency is reserved. A sender short of time hands back what it has not done (sender.ts), so
 * a plan that is too generous costs a hand-back, never a lost or doubled message.
 */
export function senderPlan(tps: number, options: { sliceSize?: number; longestMessageParts?: number } = {}): SenderPlan {
  const sliceSize = options.sliceSize ?? DEFAULT_CONFIG.sliceSize;
  const longestMessageParts = options.longestMessageParts ?? DEFAULT_LONGEST_MESSAGE_PARTS;
  const concurrency = Math.max(MIN_SENDERS, Math.ceil(tps / MAX_TPS_PER_SENDER));
  const perSenderTps = tps / concurrency;
  const workingSeconds = (SENDER_TIMEOUT_MS - STOP_MARGIN_MS) / 1000;
  const jobs = Math.floor((workingSeconds * perSenderTps) / (sliceSize * longestMessageParts));
  return { tps, concurrency, perSenderTps, batchSize: Math.min(MAX_BATCH, Math.max(1, jobs)) };
}

/** The parts a second the Lambda-hosted gateways take together; one without a rate counts as one sender's most. */
export function lambdaGatewaysTps(gateways: LoaConfigFile): number {
  return gateways.gateways
    .filter((gateway) => gatewayHost(gateway.type) === 'lambda')
    .reduce((sum, gateway) => sum + (gateway.tps ?? MAX_TPS_PER_SENDER), 0);
}

/** Receives before a message is moved to its dead-letter queue. */
export const MAX_RECEIVES = 5;
const FAN_OUT_TIMEOUT = Duration.minutes(5);

export interface DispatchProps {
  stage: string;
  /** The configuration, `secret:` references kept (lib/config.ts `gatewaysOf`). */
  gateways: LoaConfigFile;
  data: DataTable;
  /** The parts of the longest message campaigns send, for the sender's batch size (DEFAULT_LONGEST_MESSAGE_PARTS). */
  longestMessageParts?: number;
}

export class Dispatch extends Construct {
  readonly plan: SenderPlan;
  readonly gateways: LoaConfigFile;
  readonly sendQueue: sqs.Queue;
  readonly sendDlq: sqs.Queue;
  /** The SMPP service's send queue (and its dead-letter queue): only when the configuration has smpp gateways. */
  readonly smppSendQueue?: sqs.Queue;
  readonly smppSendDlq?: sqs.Queue;
  readonly fanOutQueue: sqs.Queue;
  readonly fanOutDlq: sqs.Queue;
  readonly fanOut: LoaFunction;
  readonly sender: LoaFunction;
  readonly janitor: LoaFunction;

  constructor(scope: Construct, id: string, props: DispatchProps) {
    super(scope, id);
    this.gateways = props.gateways;
    this.plan = senderPlan(lambdaGatewaysTps(props.gateways), {
      ...(props.longestMessageParts !== undefined && { longestMessageParts: props.longestMessageParts }),
    });

    this.fanOutDlq = deadLetterQueue(this, 'FanOutDlq');
    this.fanOutQueue = workQueue(this, 'FanOutQueue', FAN_OUT_TIMEOUT, this.fanOutDlq);
    this.sendDlq = deadLetterQueue(this, 'SendDlq');
    this.sendQueue = workQueue(this, 'SendQueue', SENDER_TIMEOUT, this.sendDlq);
    if (props.gateways.gateways.some((gateway) => gatewayHost(gateway.type) === 'smpp')) {
      this.smppSendDlq = deadLetterQueue(this, 'SmppSendDlq');
      // The service takes a job for as long as a Lambda sender may (the same lease), then hands back what is left.
      this.smppSendQueue = workQueue(this, 'SmppSendQueue', SENDER_TIMEOUT, this.smppSendDlq);
    }

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
    // The fan-out splits each job by the host of its recipients' routes: it reads the configuration, no secret.
    this.fanOut.fn.addEnvironment('LOA_GATEWAYS', gatewaysJson(props.gateways));
    limitEnvironment(this.fanOut.fn);
    if (this.smppSendQueue) {
      this.smppSendQueue.grantSendMessages(this.fanOut.fn);
      this.fanOut.fn.addEnvironment('SMPP_SEND_QUEUE_URL', this.smppSendQueue.queueUrl);
    }
    this.fanOut.fn.addEventSource(new SqsEventSource(this.fanOutQueue, { batchSize: 1, reportBatchItemFailures: true }));

    this.sender = new LoaFunction(this, 'Sender', {
      stage: props.stage,
      handler: 'sender',
      description: 'submits send jobs through the http, sns and eum gateways at their shared rates and records the outcomes',
      memorySize: 1024,
      timeout: SENDER_TIMEOUT,
    });
    props.data.bindTable(this.sender.fn);
    this.bindSendQueue(this.sender.fn);
    this.bindGateways(this.sender.fn);
    this.sender.fn.addEventSource(
      new SqsEventSource(this.sendQueue, {
        batchSize: this.plan.batchSize,
        maxConcurrency: this.plan.concurrency,
        reportBatchItemFailures: true,
      }),
    );
    if (props.gateways.gateways.some((gateway) => gateway.type === 'sns')) {
      this.sender.fn.addToRolePolicy(
        new iam.PolicyStatement({ sid: 'PublishSmsToPhoneNumbers', actions: ['sns:Publish'], resources: ['*'] }),
      );
      Validations.of(this.sender.fn.role!).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'sns:Publish to a phone number has no resource ARN, so SMS sending needs "*" (and so does X-Ray); topics are not published to.',
      });
    }

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

  /**
   * Gives a function the Lambda-hosted gateways (the sender; the API, for the http gateways' delivery-report
   * webhooks): LOA_GATEWAYS, and GetSecretValue on the secrets those gateways name, no other.
   */
  bindGateways(fn: lambda.Function): void {
    fn.addEnvironment('LOA_GATEWAYS', gatewaysJson(this.gateways));
    limitEnvironment(fn);
    grantGatewaySecrets(fn, this.gateways, 'lambda');
  }
}

/** LOA_GATEWAYS: the configuration as JSON, its `secret:` references kept (never a secret's value). */
export function gatewaysJson(gateways: LoaConfigFile): string {
  return JSON.stringify(gateways);
}

/**
 * GetSecretValue on each secret the host's gateways name: by ARN as given, or by name (any of the
 * six-character suffixes Secrets Manager adds to a name). Nothing else of Secrets Manager.
 */
export function grantGatewaySecrets(grantee: iam.IGrantable & IConstruct, gateways: LoaConfigFile, host: GatewayHost): void {
  const names = secretNames(gateways.gateways.filter((gateway) => gatewayHost(gateway.type) === host));
  if (names.length === 0) return;
  const arns = names.map((name) =>
    name.startsWith('arn:') ? name : `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${name}-??????`,
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'ReadGatewaySecrets', actions: ['secretsmanager:GetSecretValue'], resources: arns }),
  );
  const role = (grantee as { role?: IConstruct }).role ?? grantee;
  for (const name of names.filter((candidate) => !candidate.startsWith('arn:'))) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${name}-??????]`,
      reason: `The gateways name the secret ${name} by its name; Secrets Manager adds six random characters to it in its ARN.`,
    });
  }
}

/**
 * Fails the synth when a function's environment would exceed Lambda's 4 KB, naming LOA_GATEWAYS's share.
 * Values known only at deploy time (a queue URL, an ARN) are counted as 160 bytes, more than they take.
 */
export function limitEnvironment(fn: lambda.Function): void {
  fn.node.addValidation({
    validate: () => {
      const cfn = fn.node.defaultChild as lambda.CfnFunction;
      const environment = Stack.of(fn).resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
      const variables = Object.entries(environment?.variables ?? {});
      const bytes = variables.reduce(
        (sum, [name, value]) => sum + Buffer.byteLength(name) + (typeof value === 'string' ? Buffer.byteLength(value) : 160),
        0,
      );
      if (bytes <= LAMBDA_ENVIRONMENT_BYTES) return [];
      const gateways = variables.find(([name]) => name === 'LOA_GATEWAYS')?.[1];
      return [
        `The environment of ${fn.node.path} would be about ${bytes} bytes, over Lambda's ${LAMBDA_ENVIRONMENT_BYTES}: ` +
          `LOA_GATEWAYS (the loaConfig file) takes ${typeof gateways === 'string' ? Buffer.byteLength(gateways) : 0}; ` +
          'shorten the file (defaults need not be written) or give prices and clients elsewhere',
      ];
    },
  });
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
