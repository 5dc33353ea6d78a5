/**
 * The AWS twin of the embedded runtime's wiring (lambdas/embedded/runtime.ts): the same use cases get
 * DynamoDB as the Store, SQS as the Queue, EventBridge Scheduler as the Scheduler, SNS as the Gateway,
 * CloudWatch (EMF) as the Metrics and the system clock.
 *
 * Deps are built once per Lambda container, on the first invocation (`awsDeps()`), and kept for the next
 * ones: clients keep their connections and the sender's rate limiter keeps its bucket. Each function is
 * given only the environment variables of the parts it uses (the stack binds them one by one), so every
 * variable that is set is checked at once (a wrong value names itself on the first invocation), and a part
 * is built, and its missing variables named, only when the handler first uses it. Tests and the bench call
 * `createAwsDeps` with their own environment, clients (mocked), clock and sleep.
 *
 * The gateway's rate across concurrent senders: each sender Lambda instance has its own token bucket at
 * SENDER_TPS / SENDER_CONCURRENCY a second (tokens are message parts: the dispatcher takes a campaign's
 * parts per message, as SNS counts its SMS quota), and the stack caps the sender at SENDER_CONCURRENCY
 * instances (reserved concurrency), so all of them together never exceed SENDER_TPS. No shared counter is
 * needed (no DynamoDB write per message); the price is that an idle instance's share is not lent to the
 * others, so a campaign only reaches SENDER_TPS when the send queue holds at least SENDER_CONCURRENCY jobs
 * (slices of 1,000 recipients).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { CloudWatchMetrics } from '../adapters/cloudwatch/cloudwatch-metrics.js';
import { DynamoDbGatewayBoard } from '../adapters/dynamodb/dynamodb-gateway-board.js';
import { dynamoDbStores } from '../adapters/dynamodb/dynamodb-stores.js';
import { EventBridgeScheduler } from '../adapters/scheduler/eventbridge-scheduler.js';
import { SNS_GATEWAY_ID, SnsGateway } from '../adapters/sns/sns-gateway.js';
import { SqsQueue } from '../adapters/sqs/sqs-queue.js';
import { integrationClientsJson } from '../core/auth/client-limits.js';
import { DEFAULT_CONFIG, type LoaConfig } from '../core/config.js';
import type { DispatchDeps } from '../core/dispatch/dispatcher.js';
import { combineGatewayReports, type GatewayBoard } from '../core/gateways/gateway-board.js';
import { DEFAULT_HEALTH_POLICY } from '../core/gateways/gateway-health.js';
import { GatewayRouter } from '../core/gateways/gateway-router.js';
import type { Sleep } from '../core/gateways/rate-limiter.js';
import type { Clock, Queue, Scheduler } from '../core/ports.js';
import { lazyPseudonymizer } from '../core/privacy/pseudonym.js';
import { normalizePhone } from '../core/subscribers/phone-number.js';
import { hoursRange, pricesJson, publicUrl, tourConfig, tourEnvironment } from '../settings/shared-settings.js';
import { DEFAULT_RATE_LIMITS, rateLimitsJson } from '../core/rate-limits/rate-limits.js';
import { FanOutQueue } from './fan-out-messages.js';
import { tracer } from './powertools.js';

const arn = z.string().regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/, 'expected an ARN');
const queueUrl = z.url({ protocol: /^https?$/, error: 'expected the queue URL' });

/**
 * Every variable a Loa function may be given. Only TABLE_NAME is needed by all; the others are checked
 * when set and required by the part that uses them.
 */
const Environment = z.object({
  TABLE_NAME: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'expected a DynamoDB table name'),
  SEND_QUEUE_URL: queueUrl.optional(),
  FANOUT_QUEUE_URL: queueUrl.optional(),
  SCHEDULE_GROUP: z
    .string()
    .regex(/^[0-9a-zA-Z-_.]{1,64}$/, 'expected a schedule group name')
    .optional(),
  SCHEDULE_TARGET_ARN: arn.optional(),
  SCHEDULER_ROLE_ARN: arn.optional(),
  SCHEDULE_DLQ_ARN: arn.optional(),
  SMS_SENDER_ID: z
    .string()
    .regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/, '1-11 letters and digits, at least one letter')
    .optional(),
  SENDER_TPS: z.coerce.number().positive().optional(),
  SENDER_CONCURRENCY: z.coerce.number().int().positive().optional(),
  LOA_TIMEZONE: z.string().default(DEFAULT_CONFIG.timezone),
  LOA_QUIET_HOURS: hoursRange.optional(),
  LOA_DAILY_CAP: z.coerce.number().int().positive().optional(),
  LOA_TEST_NUMBERS: z.string().optional(),
  LOA_MAX_ATTEMPTS: z.coerce.number().int().positive().optional(),
  LOA_RETRY_BASE_MS: z.coerce.number().int().positive().optional(),
  LOA_RETENTION_DAYS: z.coerce.number().int().positive().optional(),
  LOA_PRICES: pricesJson.optional(),
  PSEUDONYM_SECRET_ARN: arn.optional(),
  LOA_INTEGRATION_CLIENTS: integrationClientsJson.optional(),
  LOA_RATE_LIMITS: rateLimitsJson.optional(),
  LOA_PUBLIC_URL: publicUrl.optional(),
  ...tourEnvironment,
});
export type AwsEnvironment = z.infer<typeof Environment>;

/** A setting is missing or wrong; the message names the variable. */
export class AwsSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AwsSettingsError';
  }
}

export function readAwsEnvironment(env: Record<string, string | undefined>): AwsEnvironment {
  // An empty variable is a variable not set.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = Environment.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return String(issue.path[0]) in given ? `${name}: ${issue.message}` : `${name} is not set`;
    });
    throw new AwsSettingsError(`Invalid environment: ${problems.join('; ')}`);
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: parsed.data.LOA_TIMEZONE });
  } catch {
    throw new AwsSettingsError(`Invalid environment: LOA_TIMEZONE: unknown time zone ${parsed.data.LOA_TIMEZONE}`);
  }
  return parsed.data;
}

/** A paused campaign's send jobs look again once a minute: each look is an SQS message and an invocation. */
const PAUSED_RECHECK_ON_AWS_MS = 60_000;

export function configFromEnvironment(e: AwsEnvironment): LoaConfig {
  const testNumbers = (e.LOA_TEST_NUMBERS ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean)
    .map((value) => {
      const phone = normalizePhone(value);
      if (!phone.ok) throw new AwsSettingsError(`Invalid environment: LOA_TEST_NUMBERS: a number is invalid: ${phone.message}`);
      return phone.e164;
    });
  return {
    ...DEFAULT_CONFIG,
    timezone: e.LOA_TIMEZONE,
    quietHours: e.LOA_QUIET_HOURS ?? DEFAULT_CONFIG.quietHours,
    dailyCap: e.LOA_DAILY_CAP ?? DEFAULT_CONFIG.dailyCap,
    testNumbers,
    maxAttempts: e.LOA_MAX_ATTEMPTS ?? DEFAULT_CONFIG.maxAttempts,
    retryBaseMs: e.LOA_RETRY_BASE_MS ?? DEFAULT_CONFIG.retryBaseMs,
    retentionDays: e.LOA_RETENTION_DAYS ?? DEFAULT_CONFIG.retentionDays,
    pausedRecheckMs: PAUSED_RECHECK_ON_AWS_MS,
    tours: tourConfig(e, e.LOA_TIMEZONE),
    ...(e.LOA_PRICES && { prices: e.LOA_PRICES }),
    ...(e.LOA_INTEGRATION_CLIENTS && { integrationClients: e.LOA_INTEGRATION_CLIENTS }),
    // Each API instance keeps its own buckets; API Gateway's route throttling bounds them all together.
    rateLimits: e.LOA_RATE_LIMITS ?? DEFAULT_RATE_LIMITS,
    ...(e.LOA_PUBLIC_URL && { publicUrl: e.LOA_PUBLIC_URL }),
    // Every carrier goes through SNS, whose senders together keep to SENDER_TPS parts a second.
    ...(e.SENDER_TPS !== undefined && {
      sendingRoutes: [{ carriers: ['*'], gatewayId: SNS_GATEWAY_ID, partsPerSecond: e.SENDER_TPS }],
    }),
  };
}

export interface AwsClients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  scheduler: SchedulerClient;
  sns: SNSClient;
  secrets: SecretReader;
}

/**
 * Secrets Manager's GetSecretValue, as much of it as Loa uses: the SecretString of the secret `secretId`.
 * The pseudonym key is its only secret, read once per container when a pseudonym is first needed.
 */
export interface SecretReader {
  secretString(secretId: string): Promise<string>;
}

export interface AwsDepsOverrides {
  /** Defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Clients to use instead of new ones (mocked in tests, instrumented in the bench). */
  clients?: Partial<AwsClients>;
  clock?: Clock;
  /** How the rate limiter waits; tests pass a fake that moves their clock. */
  sleep?: Sleep;
  metrics?: CloudWatchMetrics;
}

/** What the Loa handlers get: the dispatcher's deps plus the fan-out queue and the metrics to flush. */
export interface AwsDeps extends DispatchDeps {
  metrics: CloudWatchMetrics;
  /** Where the senders post their gateways' health, and the API reads it. */
  gatewayBoard: GatewayBoard;
  /** The fan-out queue; its URL is required when first used. */
  readonly fanOut: FanOutQueue;
  readonly env: AwsEnvironment;
}

/** The senders at work: each posts at most every GATEWAY_REPORT_EVERY_MS (sender.ts) while it sends. */
const GATEWAY_REPORTS_WITHIN_MS = 2 * 60_000;

const systemClock: Clock = { now: () => new Date() };
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function createAwsDeps(overrides: AwsDepsOverrides = {}): AwsDeps {
  const env = readAwsEnvironment(overrides.env ?? process.env);
  const config = configFromEnvironment(env);
  const clock = overrides.clock ?? systemClock;
  const sleep = overrides.sleep ?? realSleep;

  const need = <K extends keyof AwsEnvironment>(name: K, part: string): NonNullable<AwsEnvironment[K]> => {
    const value = env[name];
    if (value === undefined) throw new AwsSettingsError(`Invalid environment: ${name} is not set (needed by ${part})`);
    return value as NonNullable<AwsEnvironment[K]>;
  };
  const once = <T>(make: () => T): (() => T) => {
    let made: { value: T } | undefined;
    return () => {
      made ??= { value: make() };
      return made.value;
    };
  };
  const client = <K extends keyof AwsClients>(name: K, make: () => AwsClients[K]): (() => AwsClients[K]) =>
    once(() => overrides.clients?.[name] ?? tracer.captureAWSv3Client(make()));

  const dynamodb = client('dynamodb', () => new DynamoDBClient({}));
  const sqs = client('sqs', () => new SQSClient({}));
  const schedulerClient = client('scheduler', () => new SchedulerClient({}));
  const sns = client('sns', () => new SNSClient({}));
  const secrets = once((): SecretReader => {
    if (overrides.clients?.secrets) return overrides.clients.secrets;
    const client = tracer.captureAWSv3Client(new SecretsManagerClient({}));
    return { secretString: async (SecretId) => (await client.send(new GetSecretValueCommand({ SecretId }))).SecretString ?? '' };
  });

  const documents = DynamoDBDocumentClient.from(dynamodb());
  const stores = dynamoDbStores(documents, env.TABLE_NAME);
  const gatewayBoard = new DynamoDbGatewayBoard(documents, env.TABLE_NAME);
  const fanOut = once(() => new FanOutQueue(sqs(), need('FANOUT_QUEUE_URL', 'the fan-out queue')));
  const queue = once((): Queue => new SqsQueue(sqs(), need('SEND_QUEUE_URL', 'the send queue')));
  const scheduler = once(
    (): Scheduler =>
      new EventBridgeScheduler(schedulerClient(), {
        groupName: need('SCHEDULE_GROUP', 'the scheduler'),
        targetArn: need('SCHEDULE_TARGET_ARN', 'the scheduler'),
        roleArn: need('SCHEDULER_ROLE_ARN', 'the scheduler'),
        deadLetterArn: need('SCHEDULE_DLQ_ARN', 'the scheduler'),
        launchNow: (campaignId: string) => fanOut().launch(campaignId),
      }),
  );
  const gateways = once(() => {
    const tps = need('SENDER_TPS', 'the SMS sender');
    const concurrency = need('SENDER_CONCURRENCY', 'the SMS sender');
    const sms = new SnsGateway(sns(), { senderId: need('SMS_SENDER_ID', 'the SMS sender'), messagesPerSecond: tps / concurrency });
    return new GatewayRouter([sms], [{ carriers: ['*'], gateways: [sms.id] }], DEFAULT_HEALTH_POLICY, clock, sleep);
  });

  return {
    env,
    ...stores,
    clock,
    config,
    pseudonymizer: lazyPseudonymizer(async () =>
      Buffer.from(await secrets().secretString(need('PSEUDONYM_SECRET_ARN', 'the pseudonyms of erased numbers')), 'utf8'),
    ),
    metrics: overrides.metrics ?? new CloudWatchMetrics(),
    gatewayBoard,
    gatewayStatus: async () => {
      const since = new Date(clock.now().getTime() - GATEWAY_REPORTS_WITHIN_MS).toISOString();
      return combineGatewayReports(await gatewayBoard.reportsSince(since));
    },
    get queue() {
      return queue();
    },
    get scheduler() {
      return scheduler();
    },
    get fanOut() {
      return fanOut();
    },
    get gateways() {
      return gateways();
    },
  };
}

let containerDeps: AwsDeps | undefined;

/** The deps of this Lambda container, built on first use from process.env. */
export function awsDeps(): AwsDeps {
  containerDeps ??= createAwsDeps();
  return containerDeps;
}
