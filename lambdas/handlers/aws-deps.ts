/**
 * The AWS twin of the embedded runtime's wiring (lambdas/embedded/runtime.ts): the same use cases get
 * DynamoDB as the Store, SQS as the Queue, EventBridge Scheduler as the Scheduler, the Lambda-hosted
 * gateways of LOA_GATEWAYS (http, sns, eum) as the Gateways, CloudWatch (EMF) as the Metrics and the
 * system clock.
 *
 * Deps are built once per Lambda container, on the first invocation (`awsDeps()`), and kept for the next
 * ones: clients keep their connections and the gateways' secrets are read once. Each function is
 * given only the environment variables of the parts it uses (the stack binds them one by one), so every
 * variable that is set is checked at once (a wrong value names itself on the first invocation), and a part
 * is built, and its missing variables named, only when the handler first uses it. Tests and the bench call
 * `createAwsDeps` with their own environment, clients (mocked), clock and sleep.
 *
 * The gateways (host-gateways.ts): LOA_GATEWAYS is the stack's copy of loa.config.json, checked at once,
 * its `secret:` references read from Secrets Manager when the sender first sends (`prepareGateways`) or
 * a delivery-report webhook is first called, each secret once per container. Without it, SMS_SENDER_ID
 * and SENDER_TPS make one SNS gateway for every carrier (tests and the bench). Each gateway's rate holds
 * across all its senders through a bucket in DynamoDB (adapters/dynamodb/dynamodb-rate-limiter.ts), in
 * message parts, as the carriers and SNS count it; the sender has no reserved concurrency.
 *
 * The fan-out's queue splits each job by host (adapters/sqs/host-split-queue.ts) when it is given the SMPP
 * service's queue (SMPP_SEND_QUEUE_URL); the senders read and reschedule on their own queue only.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { CloudWatchMetrics } from '../adapters/cloudwatch/cloudwatch-metrics.js';
import { sharedRateLimiters } from '../adapters/dynamodb/dynamodb-rate-limiter.js';
import { DynamoDbGatewayBoard } from '../adapters/dynamodb/dynamodb-gateway-board.js';
import { dynamoDbStores } from '../adapters/dynamodb/dynamodb-stores.js';
import { eumClient, eumGatewayOf } from '../adapters/eum/eum-gateway.js';
import { readDeliveryReportWebhook } from '../adapters/http-gateway/delivery-report-webhook.js';
import { HttpGateway } from '../adapters/http-gateway/http-gateway.js';
import { S3ImportUploads } from '../adapters/s3/s3-imports.js';
import { EventBridgeScheduler } from '../adapters/scheduler/eventbridge-scheduler.js';
import { SnsGateway, snsClient } from '../adapters/sns/sns-gateway.js';
import { HostSplitQueue } from '../adapters/sqs/host-split-queue.js';
import { SqsQueue } from '../adapters/sqs/sqs-queue.js';
import { integrationClientsJson } from '../core/auth/client-limits.js';
import { DEFAULT_CONFIG, type LoaConfig } from '../core/config.js';
import type { DispatchDeps } from '../core/dispatch/dispatcher.js';
import { combineGatewayReports, type GatewayBoard } from '../core/gateways/gateway-board.js';
import type { GatewayRouter } from '../core/gateways/gateway-router.js';
import type { Sleep } from '../core/gateways/rate-limiter.js';
import type { Clock, DeliveryReportWebhook, Gateway, Queue, Scheduler } from '../core/ports.js';
import { defaultSnsFile, type GatewayConfig, GatewaysFileError, type LoaConfigFile, referencesIn } from '../settings/gateways-file.js';
import { lazyPseudonymizer } from '../core/privacy/pseudonym.js';
import { normalizePhone } from '../core/subscribers/phone-number.js';
import { hoursRange, pricesJson, publicUrl, tourConfig, tourEnvironment } from '../settings/shared-settings.js';
import { DEFAULT_RATE_LIMITS, rateLimitsJson } from '../core/rate-limits/rate-limits.js';
import { FanOutQueue } from './fan-out-messages.js';
import {
  gatewaysOfHost,
  hostRouter,
  readGatewaysJson,
  recipientHost,
  resolveHostGateways,
  routesOfHost,
  sendingRoutes,
} from './host-gateways.js';
import { logger, tracer } from './powertools.js';

const arn = z.string().regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/, 'expected an ARN');
const queueUrl = z.url({ protocol: /^https?$/, error: 'expected the queue URL' });

/** LOA_GATEWAYS: the configuration file as JSON, checked with its schema, `secret:` references kept. */
const gatewaysJson = z.string().transform((text, context) => {
  try {
    return readGatewaysJson(text);
  } catch (error) {
    if (!(error instanceof GatewaysFileError)) throw error;
    context.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
});

/**
 * Every variable a Loa function may be given. Only TABLE_NAME is needed by all; the others are checked
 * when set and required by the part that uses them.
 */
const Environment = z.object({
  TABLE_NAME: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'expected a DynamoDB table name'),
  SEND_QUEUE_URL: queueUrl.optional(),
  /** The SMPP service's send queue: given to the fan-out when there are smpp gateways, whose jobs it splits by host. */
  SMPP_SEND_QUEUE_URL: queueUrl.optional(),
  FANOUT_QUEUE_URL: queueUrl.optional(),
  LOA_GATEWAYS: gatewaysJson.optional(),
  /** The stage's End User Messaging configuration set, through which eum gateways send. */
  EUM_CONFIGURATION_SET: z.string().min(1).optional(),
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
  LOA_TIMEZONE: z.string().default(DEFAULT_CONFIG.timezone),
  LOA_QUIET_HOURS: hoursRange.optional(),
  LOA_DAILY_CAP: z.coerce.number().int().positive().optional(),
  LOA_TEST_NUMBERS: z.string().optional(),
  LOA_MAX_ATTEMPTS: z.coerce.number().int().positive().optional(),
  LOA_RETRY_BASE_MS: z.coerce.number().int().positive().optional(),
  LOA_RETENTION_DAYS: z.coerce.number().int().positive().optional(),
  LOA_PRICES: pricesJson.optional(),
  PSEUDONYM_SECRET_ARN: arn.optional(),
  IMPORT_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name')
    .optional(),
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

/** The gateways' configuration: LOA_GATEWAYS, else one SNS gateway from SMS_SENDER_ID and SENDER_TPS, else none. */
export function gatewaysFileOf(e: AwsEnvironment): LoaConfigFile | undefined {
  if (e.LOA_GATEWAYS) return e.LOA_GATEWAYS;
  return e.SMS_SENDER_ID && e.SENDER_TPS ? defaultSnsFile(e.SMS_SENDER_ID, e.SENDER_TPS) : undefined;
}

export function configFromEnvironment(e: AwsEnvironment): LoaConfig {
  const file = gatewaysFileOf(e);
  const prices = file?.prices ?? e.LOA_PRICES;
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
    ...(prices && { prices }),
    ...(e.LOA_INTEGRATION_CLIENTS && { integrationClients: e.LOA_INTEGRATION_CLIENTS }),
    // Each API instance keeps its own buckets; API Gateway's route throttling bounds them all together.
    rateLimits: e.LOA_RATE_LIMITS ?? DEFAULT_RATE_LIMITS,
    ...(e.LOA_PUBLIC_URL && { publicUrl: e.LOA_PUBLIC_URL }),
    // Each route at its first gateway's rate, which its senders together keep to whatever their host.
    ...(file && { sendingRoutes: sendingRoutes(file) }),
  };
}

export interface AwsClients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  scheduler: SchedulerClient;
  sns: SNSClient;
  eum: PinpointSMSVoiceV2Client;
  s3: S3Client;
  secrets: SecretReader;
}

/**
 * Secrets Manager's GetSecretValue, as much of it as Loa uses: the SecretString of the secret `secretId`.
 * The pseudonym key is read once per container when a pseudonym is first needed; the gateways' secrets
 * (`secret:` references of LOA_GATEWAYS) once when the gateways are first prepared.
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
  /**
   * Reads the secrets of the Lambda-hosted gateways (once per container, again after a failure); `gateways`
   * may be used once it has resolved. Needless, but harmless, when the configuration names no secret.
   */
  prepareGateways(): Promise<void>;
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
  // No SDK retries for Publish and SendTextMessage: a lost answer is never sent again (no double SMS).
  const sns = client('sns', snsClient);
  const eum = client('eum', eumClient);
  const s3 = client('s3', () => new S3Client({}));
  const secrets = once((): SecretReader => {
    if (overrides.clients?.secrets) return overrides.clients.secrets;
    const client = tracer.captureAWSv3Client(new SecretsManagerClient({}));
    return { secretString: async (SecretId) => (await client.send(new GetSecretValueCommand({ SecretId }))).SecretString ?? '' };
  });

  const documents = DynamoDBDocumentClient.from(dynamodb());
  const stores = dynamoDbStores(documents, env.TABLE_NAME, { retentionDays: config.retentionDays });
  const gatewayBoard = new DynamoDbGatewayBoard(documents, env.TABLE_NAME);
  const importUploads = once(() => new S3ImportUploads(s3(), need('IMPORT_BUCKET', 'imports in slices'), clock));
  const fanOut = once(() => new FanOutQueue(sqs(), need('FANOUT_QUEUE_URL', 'the fan-out queue')));
  const file = gatewaysFileOf(env);
  const queue = once((): Queue => {
    const lambda = new SqsQueue(sqs(), need('SEND_QUEUE_URL', 'the send queue'));
    if (!env.SMPP_SEND_QUEUE_URL || !file) return lambda;
    const smpp = new SqsQueue(sqs(), env.SMPP_SEND_QUEUE_URL);
    return new HostSplitQueue({ lambda, smpp }, recipientHost(file), 'lambda');
  });
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
  const needFile = (): LoaConfigFile => {
    if (!file) throw new AwsSettingsError('Invalid environment: LOA_GATEWAYS is not set (needed by the SMS gateways)');
    return file;
  };
  // The Lambda-hosted gateways with their secrets read: one read per container, again after a failure.
  let resolving: Promise<LoaConfigFile> | undefined;
  let resolved: LoaConfigFile | undefined;
  const lambdaGateways = (): Promise<LoaConfigFile> => {
    resolving ??= resolveHostGateways(needFile(), 'lambda', (id) => secrets().secretString(id)).then(
      (done) => (resolved = done),
      (error: unknown) => {
        resolving = undefined;
        throw error;
      },
    );
    return resolving;
  };
  const gateways = once((): GatewayRouter => {
    const host = resolved ?? withoutSecrets(needFile());
    const started = host.gateways.map((config) => lambdaGateway(config, { sns, eum, configurationSet: env.EUM_CONFIGURATION_SET }));
    return hostRouter({
      file: host,
      gateways: started,
      limiters: sharedRateLimiters({ db: documents, tableName: env.TABLE_NAME }, clock, sleep),
      clock,
      sleep,
      events: {
        stateChanged: (change) => logger[change.to === 'down' ? 'warn' : 'info']('Gateway state changed', { ...change }),
        failedOver: (from, to) => logger.info('Failed over', { from, to }),
      },
    });
  });
  const deliveryReportWebhooks = new Map<string, DeliveryReportWebhook>();
  for (const config of file ? gatewaysOfHost(file, 'lambda') : []) {
    if (config.type !== 'http' || !config.deliveryReports) continue;
    deliveryReportWebhooks.set(config.id, async (request, now) => {
      const http = (await lambdaGateways()).gateways.find((gateway) => gateway.id === config.id);
      return readDeliveryReportWebhook(http as typeof config, request, now);
    });
  }

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
    prepareGateways: async () => {
      await lambdaGateways();
    },
    deliveryReportWebhooks,
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
    get importUploads() {
      return importUploads();
    },
  };
}

/** The Lambda-hosted gateways of a configuration that names no secret of theirs, as they are. */
function withoutSecrets(file: LoaConfigFile): LoaConfigFile {
  const gateways = gatewaysOfHost(file, 'lambda');
  if (referencesIn(gateways, []).length > 0) {
    throw new AwsSettingsError('The gateways name secrets: prepareGateways() must have read them before the gateways are used');
  }
  return { ...file, gateways, routes: routesOfHost(file, 'lambda') };
}

function lambdaGateway(
  config: GatewayConfig,
  clients: { sns: () => SNSClient; eum: () => PinpointSMSVoiceV2Client; configurationSet: string | undefined },
): Gateway {
  switch (config.type) {
    case 'http':
      return new HttpGateway(config);
    case 'sns':
      return new SnsGateway(clients.sns(), {
        id: config.id,
        senderId: config.senderId,
        messagesPerSecond: config.tps,
        ...(config.maxPriceUsd !== undefined && { maxPriceUsd: config.maxPriceUsd }),
      });
    case 'eum':
      if (!clients.configurationSet)
        throw new AwsSettingsError('Invalid environment: EUM_CONFIGURATION_SET is not set (needed by eum gateways)');
      return eumGatewayOf(config, clients.configurationSet, clients.eum());
    default:
      throw new AwsSettingsError(`gateway ${config.id}: a ${config.type} gateway does not send from a Lambda`);
  }
}

let containerDeps: AwsDeps | undefined;

/** The deps of this Lambda container, built on first use from process.env. */
export function awsDeps(): AwsDeps {
  containerDeps ??= createAwsDeps();
  return containerDeps;
}
