/**
 * The sender Lambda, reading the send queue: each record is one send job (a slice of a run's recipients),
 * sent by the core's sendJob through the Lambda-hosted gateways of the configuration, each at its rate
 * shared with all its other senders (aws-deps.ts). Records are sent one after the other (sqs-batch.ts);
 * one that is not a send job (send-job-message.ts) or that throws is reported in batchItemFailures and
 * comes back after its visibility timeout (sendJob only sends what is still queued), the others are done.
 *
 * It keeps its time: when less than STOP_MARGIN_MS is left, sendJob stops before its next message and
 * hands the rest of its job back to the queue, and the jobs not started yet are handed back whole, each
 * as a new message due at once (queue.reschedule), for another sender to take. A new message, not a
 * batch item failure: a failure would count a receive, and a job handed back five times would reach the
 * dead-letter queue unsent.
 *
 * While it sends, it posts the health of its gateways to the board that GET /v1/gateways reads, every
 * GATEWAY_REPORT_EVERY_MS.
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { leasedFromSqsRecord, SendJobRecord } from '../adapters/sqs/send-job-message.js';
import { sendJob } from '../core/dispatch/dispatcher.js';
import { STOP_MARGIN_MS } from '../settings/sender-time.js';
import { awsDeps, type AwsDeps } from './aws-deps.js';
import { correlateWithRun, logger, withPowertools } from './powertools.js';
import { processRecordsInOrder } from './sqs-batch.js';

/** How often a sender posts its gateways' health to the board (GET /v1/gateways), while it sends. */
export const GATEWAY_REPORT_EVERY_MS = 15_000;

export { STOP_MARGIN_MS };

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
      await d.prepareGateways();
      const stopping = () => context.getRemainingTimeInMillis() < STOP_MARGIN_MS;
      // One invocation at a time per container: the deps are this invocation's while it runs.
      d.shouldStop = stopping;
      const timer = setInterval(() => void reportGateways(d, context), GATEWAY_REPORT_EVERY_MS);
      let response: SQSBatchResponse;
      try {
        response = await processRecordsInOrder(event, context, {
          recordSchema: SendJobRecord,
          carries: 'Send job',
          handle: async (record) => {
            const leased = leasedFromSqsRecord(record);
            correlateWithRun(leased.job.campaignId, leased.job.runId);
            if (stopping()) {
              await d.queue.reschedule(leased, leased.job, 0);
              logger.info('Send job handed back unstarted', { jobId: leased.job.id, msLeft: context.getRemainingTimeInMillis() });
              return;
            }
            await sendJob(d, leased);
            logger.info('Send job done', { jobId: leased.job.id, recipients: leased.job.recipients.length, attempt: leased.job.attempt });
          },
        });
      } finally {
        clearInterval(timer);
        d.metrics.flush();
      }
      await reportGateways(d, context);
      return response;
    }),
  );
}

export const handler = makeSenderLambda(awsDeps);
