/**
 * `npm run bench:aws -- --recipients N` (default 100,000): what one campaign costs on AWS, infrastructure
 * only (SMS fees excluded). It runs the AWS path of test/aws/aws-driver.ts, the same as the end-to-end test:
 * the real Lambda handlers, DynamoDB Local (started here, in memory) as the table, SQS, Scheduler and SNS
 * mocked, the driver delivering queue messages, the schedule fire and SNS's delivery-status logs. The
 * campaign is set up through the API (not counted), then counted from the schedule's fire to the janitor
 * finishing the run:
 *
 * - DynamoDB: every request the store sends (a middleware on the client), reads and writes; the read
 *   units DynamoDB Local reports, and the write units DynamoDB would bill, index writes included, from the
 *   items before and after each write (test/aws/write-unit-model.ts: Local under-reports transactions);
 * - SQS: every request the code makes (SendMessage, SendMessageBatch, DeleteMessage) plus the event source
 *   mapping's ReceiveMessage and DeleteMessageBatch for each batch it delivers; billed by 64 KB chunk;
 * - Lambda: every invocation the driver made, with its duration: measured here on DynamoDB Local, plus the
 *   time the senders' rate limiters wait (virtual: added to the clock, not slept), at the memory the stack
 *   gives each function;
 * - CloudWatch Logs: the ingestion of SNS's delivery-status lines (one a message).
 *
 * Not per message, so not counted: the event source mappings' idle polling (about 0.65 million
 * ReceiveMessage a month per queue), the janitor's every-minute run (43,200 invocations a month), API calls,
 * storage, X-Ray traces, the Lambdas' own log lines and the metrics.
 *
 * Prints the breakdown, then last one JSON line.
 */
import './quiet-powertools.js';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../test/setup/dynamodb-local-process.js';
import { createTable } from '../lambdas/adapters/dynamodb/table.js';
import { senderPlan } from '../lib/constructs/dispatch.js';
import { AwsWorld, HANDLER_NAMES, type HandlerName } from '../test/aws/aws-driver.js';
import { LOCAL_CLIENT_CONFIG } from '../test/aws/aws-test-env.js';
import { PEOPLE, setUpCampaignViaApi } from '../test/aws/campaign-via-api.js';

/**
 * List prices, us-east-1, on demand, as published on the AWS pricing pages (aws.amazon.com/<service>/pricing)
 * and read in 2025; free tiers ignored.
 */
const PRICES = {
  /** DynamoDB on-demand, Standard table class, since the 1 November 2024 cut: $0.625 per million WRU. */
  dynamoWriteRequestUnit: 0.625 / 1e6,
  /** $0.125 per million RRU (a strongly consistent read of 4 KB, or two eventually consistent). */
  dynamoReadRequestUnit: 0.125 / 1e6,
  /** SQS standard queue: $0.40 per million requests, each 64 KB chunk of a payload one request. */
  sqsRequest: 0.4 / 1e6,
  /** Lambda: $0.20 per million requests. */
  lambdaRequest: 0.2 / 1e6,
  /** Lambda on arm64 (the stack's architecture), first tier: $0.0000133334 per GB-second. */
  lambdaArmGbSecond: 0.0000133334,
  /** CloudWatch Logs standard ingestion: $0.50 per GB. */
  logsIngestedGb: 0.5,
};

/** Memory the stack gives each function (lib/constructs), MB. */
const MEMORY_MB: Record<HandlerName, number> = {
  api: 1024,
  scheduleTarget: 512,
  fanOut: 1024,
  sender: 1024,
  deliveryReports: 512,
  janitor: 512,
};

const { values } = parseArgs({
  options: {
    recipients: { type: 'string', default: '100000' },
    /** SENDER_TPS: the SNS rate the stack is deployed with (its default is SNS's default quota, 20). */
    tps: { type: 'string', default: '20' },
    /** Delivery-status lines per CloudWatch Logs delivery to the ingester (AWS decides; an assumption). */
    'reports-per-delivery': { type: 'string', default: '100' },
  },
});
const recipients = Number(values.recipients);
const tps = Number(values.tps);
const reportsPerDelivery = Number(values['reports-per-delivery']);
if (!(recipients > 0) || !(tps > 0) || !(reportsPerDelivery > 0))
  throw new Error('--recipients, --tps and --reports-per-delivery must be positive numbers');
const plan = senderPlan(tps);

const started = performance.now();
const log = (message: string) => process.stdout.write(`${message}\n`);

const dynamoDbLocal = await startDynamoDbLocal();
const { endpoint } = dynamoDbLocal;
const admin = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint, maxAttempts: 1 });
const tableName = 'loa-bench';
await createTable(admin, tableName);

// ---- the campaign ------------------------------------------------------------------------------------

const world = new AwsWorld({
  endpoint,
  tableName,
  env: { SENDER_TPS: String(plan.tps), SENDER_CONCURRENCY: String(plan.concurrency) },
  senderBatchSize: plan.batchSize,
  reportsPerDelivery,
  measureCapacity: true,
  virtualWaits: true,
  // The setup's imports are not measured: on a loaded machine they may take longer than API Gateway's 29 s.
  apiTimeoutMs: 600_000,
});
world.dynamo.measuring = false;
log(`DynamoDB Local at ${endpoint}; sender plan at ${tps} SMS/s: ${JSON.stringify(plan)}; ${reportsPerDelivery} status lines a delivery`);
const setup = await setUpCampaignViaApi(world, { subscribers: recipients, optOuts: 0, startInSeconds: 120 });
log(`set up through the API in ${((performance.now() - started) / 1000).toFixed(1)} s`);

world.dynamo.measuring = true;
const before = snapshot();
const runStarted = performance.now();
if ((await world.fireDueSchedules()) !== 1) throw new Error('the schedule did not fire');
await world.drain(10_000_000);
const janitor = await world.runJanitor();
const runSeconds = (performance.now() - runStarted) / 1000;
const after = snapshot();

const campaign = await world.api('GET', `/v1/campaigns/${setup.campaignId}`, { as: PEOPLE.viewer });
const counts = campaign.body.counts as { total: number; delivered: number };
if (counts.total !== recipients || counts.delivered !== recipients || janitor.finishedRuns.length !== 1 || world.errors.length > 0) {
  throw new Error(
    `the campaign did not complete: ${JSON.stringify({ counts, janitor, errors: world.errors.length, dead: world.deadLetters })}`,
  );
}

// ---- per message ---------------------------------------------------------------------------------------

const d = diff(before, after);
const perMsg = (value: number) => value / recipients;
const sqsRequests = d.sqsByCode + d.eventSourceSqs;
const sqsBilled = d.sqsBilled + d.eventSourceSqs;
const invocations = HANDLER_NAMES.reduce((sum, name) => sum + d.invocations[name], 0);
const gbSeconds = HANDLER_NAMES.reduce((sum, name) => sum + (d.durationsMs[name] / 1000) * (MEMORY_MB[name] / 1024), 0);
const statusLineBytes = 560; // a delivery-status line as SNS writes it (see deliveryStatusLine), plus CloudWatch's 26 bytes an event

const usd = {
  dynamoWrites: d.writeUnits * PRICES.dynamoWriteRequestUnit,
  dynamoReads: d.readUnits * PRICES.dynamoReadRequestUnit,
  sqs: sqsBilled * PRICES.sqsRequest,
  lambdaRequests: invocations * PRICES.lambdaRequest,
  lambdaDuration: gbSeconds * PRICES.lambdaArmGbSecond,
  deliveryStatusLogs: ((recipients * statusLineBytes) / 1024 ** 3) * PRICES.logsIngestedGb,
};
const usdPerMillion = (value: number) => (value / recipients) * 1e6;

log(`campaign of ${recipients} run in ${runSeconds.toFixed(1)} s (virtual sender waits ${(d.waitedMs / 1000).toFixed(0)} s)`);
log(`DynamoDB requests by command: ${JSON.stringify(d.byCommand)}`);
log(
  `DynamoDB units: ${d.writeUnits.toFixed(0)} WRU, ${d.readUnits.toFixed(0)} RRU; ` +
    `per message by command: ${JSON.stringify(d.unitsByCommand)}`,
);
log(`SQS: ${d.sqsByCode} by the code, ${d.eventSourceSqs} by the event source mappings, ${sqsBilled} billed`);
log(`Lambda invocations: ${JSON.stringify(d.invocations)}`);
const lambdaSeconds = Object.fromEntries(HANDLER_NAMES.map((name) => [name, round(d.durationsMs[name] / 1000, 1)]));
log(`Lambda seconds: ${JSON.stringify(lambdaSeconds)}; ${gbSeconds.toFixed(1)} GB-s`);
log(
  `USD per million messages: ${JSON.stringify(Object.fromEntries(Object.entries(usd).map(([k, v]) => [k, round(usdPerMillion(v), 3)])))}`,
);

console.log(
  JSON.stringify({
    recipients,
    dynamoWriteRequestsPerMsg: round(perMsg(d.writes), 4),
    dynamoReadRequestsPerMsg: round(perMsg(d.reads), 4),
    sqsRequestsPerMsg: round(perMsg(sqsRequests), 5),
    lambdaInvocationsPerMsg: round(perMsg(invocations), 5),
    usdPerMillionMsgs: round(usdPerMillion(Object.values(usd).reduce((a, b) => a + b, 0)), 2),
    dynamoWriteUnitsPerMsg: round(perMsg(d.writeUnits), 3),
    dynamoReadUnitsPerMsg: round(perMsg(d.readUnits), 3),
    senderTps: tps,
    reportsPerDelivery,
  }),
);
await dynamoDbLocal.stop();
process.exit(0);

// ---- helpers -------------------------------------------------------------------------------------------

function snapshot() {
  return {
    writes: world.dynamo.writes,
    reads: world.dynamo.reads,
    writeUnits: world.dynamo.writeUnits,
    readUnits: world.dynamo.readUnits,
    byCommand: { ...world.dynamo.byCommand },
    unitsByCommand: { ...world.dynamo.unitsByCommand },
    sqsByCode: world.sqsRequestsByCode,
    sqsBilled: world.billedSqsRequests,
    eventSourceSqs: world.eventSourceSqsRequests,
    invocations: { ...world.invocations },
    durationsMs: { ...world.durationsMs },
    waitedMs: world.waitedMs,
  };
}

function diff(a: ReturnType<typeof snapshot>, b: ReturnType<typeof snapshot>) {
  const byCommand: Record<string, number> = {};
  for (const [command, n] of Object.entries(b.byCommand)) {
    const delta = n - (a.byCommand[command] ?? 0);
    if (delta > 0) byCommand[command.replace(/Command$/, '')] = delta;
  }
  const unitsByCommand: Record<string, number> = {};
  for (const [command, n] of Object.entries(b.unitsByCommand)) {
    const delta = n - (a.unitsByCommand[command] ?? 0);
    if (delta > 0) unitsByCommand[command.replace(/Command$/, '')] = round(delta / recipients, 3);
  }
  const per = <T extends Record<HandlerName, number>>(x: T, y: T) =>
    Object.fromEntries(HANDLER_NAMES.map((name) => [name, y[name] - x[name]])) as Record<HandlerName, number>;
  return {
    writes: b.writes - a.writes,
    reads: b.reads - a.reads,
    writeUnits: b.writeUnits - a.writeUnits,
    readUnits: b.readUnits - a.readUnits,
    byCommand,
    unitsByCommand,
    sqsByCode: b.sqsByCode - a.sqsByCode,
    sqsBilled: b.sqsBilled - a.sqsBilled,
    eventSourceSqs: b.eventSourceSqs - a.eventSourceSqs,
    invocations: per(a.invocations, b.invocations),
    durationsMs: per(a.durationsMs, b.durationsMs),
    waitedMs: b.waitedMs - a.waitedMs,
  };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
