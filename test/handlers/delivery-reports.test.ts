import type { CloudWatchLogsEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { CloudWatchMetrics } from '../../lambdas/adapters/cloudwatch/cloudwatch-metrics.js';
import { launchRun } from '../../lambdas/core/dispatch/dispatcher.js';
import { deliveryStatusLine, lambdaContext, logsEvent, type AwsWorld } from '../aws/aws-driver.js';
import { aCampaign, aTable, aWorld } from './aws-handler-fixtures.js';

// Warnings on: the ingester's warnings are what one test reads (the logger's level is fixed at start).
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const endpoint = inject('dynamoDbEndpoint');
let table: Awaited<ReturnType<typeof aTable>>;
let world: AwsWorld;
const emitted: { dimensions: Record<string, string>; counts: Record<string, number> }[] = [];

beforeAll(async () => {
  table = await aTable(endpoint);
  world = aWorld(endpoint, table.tableName, {
    metrics: new CloudWatchMetrics((dimensions, counts) => emitted.push({ dimensions, counts })),
  });
});
afterAll(() => table.drop());
beforeEach(() => {
  emitted.length = 0;
});

const ingest = (event: CloudWatchLogsEvent) => world.lambdas.deliveryReports(event, lambdaContext('delivery-reports', 60_000));

/** Receipts of a run moved to submitted with these SNS message ids. */
async function submitted(phones: string[], messageIds: string[]) {
  const { campaign } = await aCampaign(world, { phones });
  const run = (await launchRun(world.deps, campaign))!;
  const at = world.clock.now().toISOString();
  await world.deps.receipts.insertReceipts(
    phones.map((phone) => ({
      campaignId: run.campaignId,
      runId: run.runId,
      phone,
      status: 'queued' as const,
      test: false,
      attempts: 0,
      queuedAt: at,
    })),
  );
  await world.deps.receipts.recordSendOutcomes(
    phones.map((phone, i) => ({
      campaignId: run.campaignId,
      runId: run.runId,
      phone,
      status: 'submitted' as const,
      gatewayId: 'sns',
      gatewayMessageId: messageIds[i]!,
      attempts: 1,
      at,
    })),
  );
  return run;
}

describe('the delivery-report ingester', () => {
  it("moves receipts to delivered or failed from SNS's delivery-status log lines", async () => {
    const phones = ['+84971000001', '+84971000002'];
    const ids = ['6a1f0b7e-0000-4000-8000-000000000001', '6a1f0b7e-0000-4000-8000-000000000002'];
    const run = await submitted(phones, ids);
    const at = new Date();
    const event = logsEvent([
      { id: '1', timestamp: at.getTime(), message: deliveryStatusLine({ PhoneNumber: phones[0] }, ids[0]!, at, 'SUCCESS') },
      { id: '2', timestamp: at.getTime(), message: deliveryStatusLine({ PhoneNumber: phones[1] }, ids[1]!, at, 'FAILURE') },
    ]);

    expect(await ingest(event)).toEqual({ reports: 2, applied: 2, unmatched: 0, rejected: 0 });

    expect(await world.deps.receipts.getReceipt(run.campaignId, run.runId, phones[0]!)).toMatchObject({
      status: 'delivered',
      doneAt: at.toISOString(),
    });
    expect(await world.deps.receipts.getReceipt(run.campaignId, run.runId, phones[1]!)).toMatchObject({
      status: 'failed',
      error: 'Phone is currently unreachable/unavailable',
    });
    expect(emitted).toEqual([{ dimensions: { gateway: 'sns', carrier: 'viettel' }, counts: { delivered: 1, failed: 1 } }]);
  });

  it('keeps and counts a report matching no receipt, and logs and counts a line that is not a delivery status, masked', async () => {
    const writes: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      const event = logsEvent([
        { id: '10', timestamp: Date.now(), message: deliveryStatusLine({ PhoneNumber: '+84971000009' }, 'no-such-message', new Date()) },
        { id: '11', timestamp: Date.now(), message: 'SMS to +84971000009 was lost' },
      ]);
      expect(await ingest(event)).toEqual({ reports: 1, applied: 0, unmatched: 1, rejected: 1 });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }

    expect(emitted).toEqual([
      { dimensions: {}, counts: { deliveryReportsRejected: 1, deliveryReportsUnmatched: 1 } },
      { dimensions: { gateway: 'sns', carrier: 'viettel' }, counts: { delivered: 1 } },
    ]);
    const lines = writes
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'Delivery status line rejected', logEventId: '11', reason: 'not JSON' }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ level: 'WARN', unmatched: 1 }));
    expect(writes.join('')).not.toContain('+84971000009');
  });

  it('ignores the control message CloudWatch Logs sends when the subscription is created', async () => {
    const { gzipSync } = await import('node:zlib');
    const control = {
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      logEvents: [{ id: '', timestamp: Date.now(), message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda function.' }],
    };
    const event = { awslogs: { data: gzipSync(JSON.stringify(control)).toString('base64') } };
    expect(await ingest(event)).toEqual({ reports: 0, applied: 0, unmatched: 0, rejected: 0 });
  });

  it('fails an event that is not a CloudWatch Logs subscription event, so it is retried and seen', async () => {
    await expect(ingest({ awslogs: { data: 'bm90IGd6aXA=' } })).rejects.toThrow(/gzip/);
  });
});
