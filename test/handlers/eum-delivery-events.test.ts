import type { SQSEvent } from 'aws-lambda';
import { describe, expect, inject, it, vi } from 'vitest';
import { makeEumDeliveryEventsLambda } from '../../lambdas/handlers/eum-delivery-events.js';
import { lambdaContext, sqsRecord } from '../aws/lambda-events.js';
import { aQueuedRun, handlerWorld } from './aws-handler-fixtures.js';
import { captureOutput } from './captured-output.js';

// Warnings on: the ingester's warnings are what one test reads (the logger's level is fixed at start).
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const { world, emitted } = handlerWorld(inject('dynamoDbEndpoint'));
const lambda = makeEumDeliveryEventsLambda(() => world.deps);
const ingest = (bodies: string[]) => lambda(eventOf(bodies), lambdaContext('eum-delivery-events', 60_000));

function eventOf(bodies: string[]): SQSEvent {
  const sentAt = Date.now();
  return {
    Records: bodies.map((body, i) =>
      sqsRecord('loa-dev-eum-events', { messageId: `sqs-${i}`, body, sentAt, receiveCount: 1, receiptHandle: `handle-${i}` }),
    ),
  };
}

/** A final SMS event as End User Messaging publishes it, with the Context the EUM gateway sends. */
function smsEvent(fields: { messageId: string; status: string; phone: string; campaignId: string; runId: string; at: Date }) {
  return JSON.stringify({
    eventType: `TEXT_${fields.status}`,
    eventVersion: '1.0',
    eventTimestamp: fields.at.getTime(),
    isFinal: true,
    originationPhoneNumber: 'SOYTEDNAI',
    destinationPhoneNumber: fields.phone,
    isoCountryCode: 'VN',
    mcc: '452',
    mnc: '04',
    messageId: fields.messageId,
    messageRequestTimestamp: fields.at.getTime() - 2000,
    messageEncoding: 'GSM',
    messageType: 'TRANSACTIONAL',
    messageStatus: fields.status,
    messageStatusDescription: fields.status === 'DELIVERED' ? 'Message has been accepted by phone' : 'Phone is unreachable',
    context: { loaGateway: 'eum', loaCampaign: fields.campaignId, loaRun: fields.runId, loaPhone: fields.phone },
    totalMessageParts: 1,
    totalMessagePrice: 0.0268,
    totalCarrierFee: 0,
  });
}

describe('the End User Messaging delivery-event ingester', () => {
  it('moves the receipts its events name to delivered or failed, in one batch', async () => {
    const phones = ['+84971000101', '+84971000102'];
    const submittedAt = world.clock.now().toISOString();
    const run = await aQueuedRun(world, phones, submittedAt);
    await world.deps.receipts.recordSendOutcomes(
      phones.map((phone, i) => ({
        campaignId: run.campaignId,
        runId: run.runId,
        phone,
        status: 'submitted' as const,
        gatewayId: 'eum',
        gatewayMessageId: `eum-message-${i}`,
        attempts: 1,
        at: submittedAt,
      })),
    );
    const at = new Date();
    const receipt = { campaignId: run.campaignId, runId: run.runId, at };

    const result = await ingest([
      smsEvent({ ...receipt, messageId: 'eum-message-0', status: 'DELIVERED', phone: phones[0]! }),
      smsEvent({ ...receipt, messageId: 'eum-message-1', status: 'UNREACHABLE', phone: phones[1]! }),
    ]);

    expect(result).toEqual({ reports: 2, applied: 2, unmatched: 0, skipped: 0, rejected: 0 });
    expect(await world.deps.receipts.getReceipt(run.campaignId, run.runId, phones[0]!)).toMatchObject({
      status: 'delivered',
      doneAt: at.toISOString(),
    });
    expect(await world.deps.receipts.getReceipt(run.campaignId, run.runId, phones[1]!)).toMatchObject({
      status: 'failed',
      error: 'UNREACHABLE: Phone is unreachable',
    });
    expect(emitted).toEqual([{ dimensions: { gateway: 'eum', carrier: 'viettel' }, counts: { delivered: 1, failed: 1 } }]);
  });

  it('finds a receipt kept without any look-up by message id, by the Context its event carries back', async () => {
    const phone = '+84971000103';
    const submittedAt = world.clock.now().toISOString();
    const run = await aQueuedRun(world, [phone], submittedAt);
    await world.deps.receipts.recordSendOutcomes([
      {
        campaignId: run.campaignId,
        runId: run.runId,
        phone,
        status: 'submitted',
        gatewayId: 'eum',
        gatewayMessageId: 'eum-message-named',
        reportsNameReceipt: true,
        attempts: 1,
        at: submittedAt,
      },
    ]);
    const at = new Date();

    const result = await ingest([
      smsEvent({ campaignId: run.campaignId, runId: run.runId, at, messageId: 'eum-message-named', status: 'DELIVERED', phone }),
    ]);

    expect(result).toMatchObject({ reports: 1, applied: 1, unmatched: 0 });
    expect(await world.deps.receipts.getReceipt(run.campaignId, run.runId, phone)).toMatchObject({ status: 'delivered' });
  });

  it('logs and counts what is not an SMS event, without its number, and skips an event that is not final', async () => {
    const pending = JSON.stringify({ eventType: 'TEXT_PENDING', isFinal: false, messageId: 'm', messageStatus: 'PENDING' });
    const written = await captureOutput(async () => {
      expect(await ingest(['SMS to +84971000109 was lost', pending])).toEqual({
        reports: 0,
        applied: 0,
        unmatched: 0,
        skipped: 1,
        rejected: 1,
      });
    });

    expect(emitted).toEqual([{ dimensions: {}, counts: { deliveryEventsRejected: 1, deliveryEventsSkipped: 1 } }]);
    const lines = written.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'Delivery event rejected', sqsMessageId: 'sqs-0', reason: 'not JSON' }),
    );
    expect(written.join('\n')).not.toContain('+84971000109');
  });
});
