import type { CloudWatchLogsEvent } from 'aws-lambda';
import { describe, expect, inject, it, vi } from 'vitest';
import { deliveryStatusLine, lambdaContext, logsEvent } from '../aws/lambda-events.js';
import { aQueuedRun, handlerWorld, submittedToSns } from './aws-handler-fixtures.js';
import { captureOutput } from './captured-output.js';

// Warnings on: the ingester's warnings are what one test reads (the logger's level is fixed at start).
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const { world, emitted } = handlerWorld(inject('dynamoDbEndpoint'));

const ingest = (event: CloudWatchLogsEvent) => world.lambdas.deliveryReports(event, lambdaContext('delivery-reports', 60_000));

/** Receipts of a run moved to submitted with these SNS message ids. */
async function submitted(phones: string[], messageIds: string[]) {
  const at = world.clock.now().toISOString();
  const run = await aQueuedRun(world, phones, at);
  await submittedToSns(world, run, phones, messageIds, () => at);
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

  it("counts, without keeping it, a report of another stage (the log groups are the account's), and logs a line that is not a delivery status, masked", async () => {
    const keptBefore = await world.deps.receipts.countUnmatchedReports();
    const event = logsEvent([
      { id: '10', timestamp: Date.now(), message: deliveryStatusLine({ PhoneNumber: '+84971000009' }, 'no-such-message', new Date()) },
      { id: '11', timestamp: Date.now(), message: 'SMS to +84971000009 was lost' },
    ]);
    const written = await captureOutput(async () => {
      expect(await ingest(event)).toEqual({ reports: 1, applied: 0, unmatched: 1, rejected: 1 });
    });

    expect(emitted).toEqual([
      { dimensions: {}, counts: { deliveryReportsRejected: 1, deliveryReportsOtherStage: 1 } },
      { dimensions: { gateway: 'sns', carrier: 'viettel' }, counts: { delivered: 1 } },
    ]);
    const lines = written.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'Delivery status line rejected', logEventId: '11', reason: 'not JSON' }),
    );
    expect(written.join('\n')).not.toContain('+84971000009');
    expect(await world.deps.receipts.countUnmatchedReports()).toBe(keptBefore);
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
