/**
 * The sender Lambda, reading the send queue: each record is one send job (a slice of a run's recipients),
 * sent by the core's sendJob at this instance's share of the gateway rate (aws-deps.ts). Records are
 * sent one after the other (sqs-batch.ts); one that is not a send job (send-job-message.ts) or that
 * throws is reported in batchItemFailures and comes back after its visibility timeout (sendJob only
 * sends what is still queued), the others are done. Every so often it posts the health of its gateways
 * to the board that GET /v1/gateways reads.
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { leasedFromSqsRecord, SendJobRecord } from '../adapters/sqs/send-job-message.js';
import { sendJob } from '../core/dispatch/dispatcher.js';
import { awsDeps, type AwsDeps } from './aws-deps.js';
import { correlateWithRun, logger, withPowertools } from './powertools.js';
import { processRecordsInOrder } from './sqs-batch.js';

/** How often a sender posts its gateways' health to the board (GET /v1/gateways), while it sends. */
export const GATEWAY_REPORT_EVERY_MS = 15_000;

export function makeSenderLambda(deps: () => AwsDeps) {
  let lastReport = Number.NEGATIVE_INFINITY;
  /** Never fails the batch: the health shown is a view, the messages are the work. */
  async function reportGateways(d: AwsDeps, context: Context): Promise<void> {
    const now = d.clock.now();
    if (now.getTime() - lastReport < GATEWAY_REPORT_EVERY_MS) return;
    lastReport = now.getTime();
    try {
      await d.gatewayBoard.post({ sender: context.logStreamName, at: now.toISOString(), gateways: d.gateways.status() });
    } catch (error) {
      logger.warn('Could not post the gateways health', { error: error as Error });
    }
  }

  return withPowertools(
    middy<SQSEvent, SQSBatchResponse, Error, Context>(async (event: SQSEvent, context: Context) => {
      const d = deps();
      let response: SQSBatchResponse;
      try {
        response = await processRecordsInOrder(event, context, {
          recordSchema: SendJobRecord,
          carries: 'Send job',
          handle: async (record) => {
            const leased = leasedFromSqsRecord(record);
            correlateWithRun(leased.job.campaignId, leased.job.runId);
            await sendJob(d, leased);
            logger.info('Send job done', { jobId: leased.job.id, recipients: leased.job.recipients.length, attempt: leased.job.attempt });
          },
        });
      } finally {
        d.metrics.flush();
      }
      await reportGateways(d, context);
      return response;
    }),
  );
}

export const handler = makeSenderLambda(awsDeps);
