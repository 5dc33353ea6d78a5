/**
 * The SMPP service (lambdas/smpp-service/) as it runs on Fargate, against the SMSC simulator on loopback,
 * DynamoDB Local and the SMPP send queue in memory behind a mocked SQSClient (in-memory-sqs.ts): every
 * job is submitted once and its receipts delivered, and a stop in the middle of a job hands the rest
 * back for another task to finish, without sending anyone twice.
 */
import { ChangeMessageVisibilityCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { SmscSimulator } from '../../lambdas/adapters/smpp/smsc-simulator.js';
import { type LimiterFactory, RateLimiter } from '../../lambdas/core/gateways/rate-limiter.js';
import type { CampaignRun } from '../../lambdas/core/model.js';
import { storesIn, type SendJob } from '../../lambdas/core/ports.js';
import { jsonLog, type LogFields } from '../../lambdas/smpp-service/log.js';
import { startSmppHost } from '../../lambdas/smpp-service/smpp-host.js';
import { startSmppService, type SmppService } from '../../lambdas/smpp-service/smpp-service.js';
import { uniquePhones } from '../factories.js';
import { aQueuedRun, handlerWorld } from '../handlers/aws-handler-fixtures.js';
import { InMemorySqs, SMPP_QUEUE_URL } from './in-memory-sqs.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const { world } = handlerWorld(inject('dynamoDbEndpoint'));
const smsc = new SmscSimulator({
  systemId: 'loa',
  password: 'secret',
  reportDelayMs: 5,
  transientErrorRate: 0,
  permanentErrorRate: 0,
  undeliveredRate: 0,
});
let port = 0;
beforeAll(async () => {
  ({ port } = await smsc.start());
});
afterAll(() => smsc.close());

/** The stack's LOA_GATEWAYS: the SMPP bind, with its password in Secrets Manager, beside a Lambda-hosted gateway. */
function gatewaysJson(tps?: number): string {
  return JSON.stringify({
    gateways: [
      {
        id: 'smpp-vnpt',
        type: 'smpp',
        host: '127.0.0.1',
        port,
        systemId: 'loa',
        password: 'secret:loa/smpp-vnpt#password',
        sourceAddr: 'TTTT-DNAI',
        ...(tps && { tps }),
        responseTimeoutMs: 1_000,
        reconnectMinMs: 20,
        reconnectMaxMs: 200,
      },
      { id: 'sns', type: 'sns', senderId: 'SoTTTT' },
    ],
    routes: [
      { carriers: ['viettel'], gateways: ['sns'] },
      { carriers: ['*'], gateways: ['smpp-vnpt', 'sns'] },
    ],
  });
}

const secretsRead: string[] = [];
const readSecret = async (secretId: string) => {
  secretsRead.push(secretId);
  return JSON.stringify({ password: 'secret' });
};
const lines: (LogFields & { level: string; message: string })[] = [];

function startService(queue: InMemorySqs, sender: string, options: { tps?: number; submitBatchSize?: number } = {}): Promise<SmppService> {
  const log = jsonLog({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) });
  return startSmppService({
    stores: storesIn(world.deps),
    sqs: queue.client,
    queueUrl: SMPP_QUEUE_URL,
    gatewayBoard: world.deps.gatewayBoard,
    startGateways: (onReport) =>
      startSmppHost(
        {
          gatewaysJson: gatewaysJson(options.tps),
          readSecret,
          limiters: inProcessLimiters,
          clock: world.clock,
          sleep: realSleep,
          log,
        },
        onReport,
      ),
    config: { ...world.deps.config, submitBatchSize: options.submitBatchSize ?? 250 },
    clock: world.clock,
    log,
    sender,
    timing: { pollSeconds: 1, leaseMs: 60_000, reportEveryMs: 50, recordReportsEveryMs: 20 },
  });
}
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/**
 * Each task's own bucket at the gateway's rate: the shared DynamoDB buckets (tested with their adapter)
 * claim parts of the current second, which DynamoDB Local on a busy machine can answer too late for.
 */
const inProcessLimiters: LimiterFactory = (gateway) =>
  gateway.messagesPerSecond ? new RateLimiter(gateway.messagesPerSecond, world.clock, realSleep) : undefined;

/** The run's recipients in jobs of `size`, as the fan-out queues them (vinaphone goes by the catch-all route). */
function jobsOf(run: CampaignRun, phones: string[], size: number): SendJob[] {
  const jobs: SendJob[] = [];
  for (let start = 0; start < phones.length; start += size) {
    jobs.push({
      id: `${run.campaignId}:${run.runId}:${start}:smpp`,
      campaignId: run.campaignId,
      runId: run.runId,
      recipients: phones.slice(start, start + size).map((phone) => ({ phone, carrier: 'vinaphone' as const })),
      attempt: 0,
    });
  }
  return jobs;
}

/** The numbers of `phones` the SMSC received a message for, once per message. */
function sentTo(phones: string[]): string[] {
  const wanted = new Set(phones);
  return smsc
    .received()
    .map((sms) => `+${sms.to}`)
    .filter((phone) => wanted.has(phone));
}

const counts = (run: CampaignRun) => world.deps.receipts.campaignCounts(run.campaignId, run.runId);
const sorted = (values: string[]) => [...values].sort();

describe('the SMPP service', () => {
  it('submits every job of a campaign once, records every delivery receipt and posts its gateways’ health', async () => {
    const phones = uniquePhones(30);
    const run = await aQueuedRun(world, phones);
    const queue = new InMemorySqs();
    for (const job of jobsOf(run, phones, 10)) queue.enqueue(job);

    const service = await startService(queue, 'smpp/task-a');
    await vi.waitFor(async () => expect((await counts(run)).delivered).toBe(30), { timeout: 30_000, interval: 50 });
    await service.stop();

    expect(sorted(sentTo(phones))).toEqual(sorted(phones));
    expect(queue.messages).toEqual([]);
    expect(await world.deps.receipts.getReceipt(run.campaignId, run.runId, phones[0]!)).toMatchObject({
      status: 'delivered',
      gatewayId: 'smpp-vnpt',
    });
    expect(secretsRead).toContain('loa/smpp-vnpt');
    const board = await world.deps.gatewayBoard.reportsSince(new Date(Date.now() - 60_000).toISOString());
    expect(board.find((report) => report.sender === 'smpp/task-a')?.gateways).toEqual([
      expect.objectContaining({ id: 'smpp-vnpt', state: 'up', details: expect.objectContaining({ state: 'closed', outstanding: 0 }) }),
    ]);
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
  }, 90_000); // DynamoDB Local on a busy machine: seconds a job

  it('stopped in the middle of a job hands the rest back, and another task finishes it sending nobody twice', async () => {
    const phones = uniquePhones(200);
    const run = await aQueuedRun(world, phones);
    const queue = new InMemorySqs();
    const [job] = jobsOf(run, phones, 200);
    queue.enqueue(job!);
    const slow = { tps: 100, submitBatchSize: 20 };

    const first = await startService(queue, 'smpp/task-b1', slow);
    await vi.waitFor(() => expect(sentTo(phones).length).toBeGreaterThanOrEqual(40), { timeout: 20_000, interval: 5 });
    await first.stop();

    const left = await world.deps.receipts.queuedPhones(run.campaignId, run.runId, phones);
    expect(left.size).toBeGreaterThan(0);
    expect(sentTo(phones)).toHaveLength(phones.length - left.size);
    expect(queue.jobs()).toEqual([{ ...job, recipients: job!.recipients.filter((recipient) => left.has(recipient.phone)) }]);
    expect(queue.visibleCount()).toBe(1);

    const second = await startService(queue, 'smpp/task-b2', slow);
    await vi.waitFor(async () => expect((await counts(run)).delivered).toBe(200), { timeout: 30_000, interval: 50 });
    await second.stop();

    expect(sorted(sentTo(phones))).toEqual(sorted(phones));
    expect(queue.messages).toEqual([]);
  }, 90_000); // DynamoDB Local on a busy machine: seconds a job

  it('gives back at once, untouched, a job received while it stops', async () => {
    const phones = uniquePhones(3);
    const run = await aQueuedRun(world, phones);
    const queue = new InMemorySqs();
    let openPoll: () => void = () => {};
    const service = await (async () => {
      queue.beforeReceive = () => new Promise<void>((resolve) => (openPoll = resolve));
      return startService(queue, 'smpp/task-c');
    })();
    await vi.waitFor(() => expect(queue.mock.commandCalls(ReceiveMessageCommand)).toHaveLength(1));
    queue.beforeReceive = undefined;
    queue.enqueue(jobsOf(run, phones, 3)[0]!);

    const stopped = service.stop();
    openPoll();
    await stopped;

    expect(queue.mock.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: SMPP_QUEUE_URL, ReceiptHandle: 'rh-m-1-1', VisibilityTimeout: 0 },
    ]);
    expect(queue.visibleCount()).toBe(1);
    expect(sentTo(phones)).toEqual([]);
    expect((await counts(run)).queued).toBe(3);
  });

  it('receives with a long poll and a lease, one job a free slot', async () => {
    const queue = new InMemorySqs();
    const service = await startService(queue, 'smpp/task-d');
    await vi.waitFor(() => expect(queue.mock.commandCalls(ReceiveMessageCommand).length).toBeGreaterThan(0));
    await service.stop();
    expect(queue.mock.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toEqual({
      QueueUrl: SMPP_QUEUE_URL,
      MaxNumberOfMessages: 4,
      VisibilityTimeout: 60,
      WaitTimeSeconds: 1,
    });
  });
});

describe('the SMPP service log', () => {
  it('writes JSON lines with every phone number masked, in the message, the fields and errors', () => {
    const written: string[] = [];
    const log = jsonLog({ write: (line) => written.push(line), now: () => new Date('2026-03-02T01:00:00.000Z') });
    log.debug('not written at the default level');
    log.error('Refused +84912345678', { to: '0912345678', error: new Error('ESME_RINVDSTADR for 84912345678') });
    expect(written).toHaveLength(1);
    const line = JSON.parse(written[0]!);
    expect(line).toMatchObject({ level: 'error', time: '2026-03-02T01:00:00.000Z', message: 'Refused +8491****678', to: '+8491****678' });
    expect(line.error.message).toBe('ESME_RINVDSTADR for +8491****678');
    expect(written[0]).not.toMatch(/912345678/);
  });
});
