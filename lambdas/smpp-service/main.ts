/**
 * The SMPP service's entry point in its container (lambdas/smpp-service/Dockerfile): builds the deps from
 * the environment the stack sets (lib/constructs/smpp-service.ts), starts the service, and on SIGTERM
 * (ECS stopping the task) or SIGINT drains it and exits 0. A failure to start (a refused bind, a missing
 * setting, a secret that cannot be read) exits 1 with its reason logged, and ECS starts the task again.
 *
 *   TABLE_NAME, SMPP_SEND_QUEUE_URL, LOA_GATEWAYS (JSON, `secret:` references kept), and the
 *   dispatcher's settings the sender Lambda reads too (LOA_TIMEZONE, LOA_MAX_ATTEMPTS, ...).
 */
import { hostname } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { CloudWatchMetrics } from '../adapters/cloudwatch/cloudwatch-metrics.js';
import { DynamoDbGatewayBoard } from '../adapters/dynamodb/dynamodb-gateway-board.js';
import { sharedRateLimiters } from '../adapters/dynamodb/dynamodb-rate-limiter.js';
import { dynamoDbStores } from '../adapters/dynamodb/dynamodb-stores.js';
import { configFromEnvironment, readAwsEnvironment } from '../handlers/aws-deps.js';
import { jsonLog } from './log.js';
import { startSmppHost } from './smpp-host.js';
import { type SmppService, startSmppService } from './smpp-service.js';

/** ECS's stopTimeout is 120 s: stop trying a little before SIGKILL, so the reason is logged. */
const DRAIN_DEADLINE_MS = 110_000;

const ServiceEnvironment = z.object({
  SMPP_SEND_QUEUE_URL: z.url({ protocol: /^https?$/, error: 'expected the queue URL' }),
  LOA_GATEWAYS: z.string().min(2),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

async function main(): Promise<void> {
  const early = jsonLog({ base: { service: 'loa-smpp' } });
  const parsed = ServiceEnvironment.safeParse(process.env);
  if (!parsed.success) {
    early.error('Invalid environment', { problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
    process.exit(1);
  }
  const env = parsed.data;
  const log = jsonLog({ level: env.LOG_LEVEL, base: { service: 'loa-smpp' } });
  const aws = readAwsEnvironment(process.env);
  const clock = { now: () => new Date() };
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const sqs = new SQSClient({});
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const table = { db: documents, tableName: aws.TABLE_NAME };
  const secretsClient = new SecretsManagerClient({});
  const readSecret = async (SecretId: string) => (await secretsClient.send(new GetSecretValueCommand({ SecretId }))).SecretString ?? '';

  // Listening from the start: a SIGTERM while the binds open drains as soon as the service runs.
  let signalled: string | undefined;
  let service: SmppService | undefined;
  const drain = (running: SmppService) =>
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('Drain failed', { error });
        process.exit(1);
      },
    );
  const onSignal = (signal: string) => {
    if (signalled) return;
    signalled = signal;
    log.info('Signal received: draining', { signal });
    setTimeout(() => {
      log.error('Drain did not finish in time; jobs in flight come back after their lease', { afterMs: DRAIN_DEADLINE_MS });
      process.exit(1);
    }, DRAIN_DEADLINE_MS).unref();
    if (service) void drain(service);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));

  service = await startSmppService({
    stores: dynamoDbStores(documents, aws.TABLE_NAME, { retentionDays: configFromEnvironment(aws).retentionDays }),
    sqs,
    queueUrl: env.SMPP_SEND_QUEUE_URL,
    gatewayBoard: new DynamoDbGatewayBoard(documents, aws.TABLE_NAME),
    startGateways: (onReport) =>
      startSmppHost(
        { gatewaysJson: env.LOA_GATEWAYS, readSecret, limiters: sharedRateLimiters(table, clock, sleep), clock, sleep, log },
        onReport,
      ),
    config: configFromEnvironment(aws),
    clock,
    log,
    sender: `smpp/${hostname()}`,
    metrics: new CloudWatchMetrics(),
  });
  if (signalled) void drain(service);
}

main().catch((error: unknown) => {
  jsonLog({ base: { service: 'loa-smpp' } }).error('SMPP service failed to start', { error });
  process.exit(1);
});
