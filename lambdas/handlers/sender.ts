/**
 * The sender Lambda, reading the send queue: each record is one send job (a slice of a run's recipients),
 * sent by the core's sendJob at this instance's share of the gateway rate (aws-deps.ts). Records are
 * sent one after the other; one that throws is reported in batchItemFailures and comes back after its
 * visibility timeout (sendJob only sends what is still queued), the others are done.
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { leasedFromSqsRecord } from '../adapters/sqs/sqs-queue.js';
import { sendJob } from '../core/dispatch/dispatcher.js';
import { awsDeps, type AwsDeps } from './aws-deps.js';
import { correlateWithRun, logger, withPowertools } from './powertools.js';

export function makeSenderLambda(deps: () => AwsDeps) {
  return withPowertools(
    middy<SQSEvent, SQSBatchResponse, Error, Context>(async (event: SQSEvent) => {
      const d = deps();
      const failures: SQSBatchResponse['batchItemFailures'] = [];
      try {
        for (const record of event.Records) {
          try {
            const leased = leasedFromSqsRecord(record);
            correlateWithRun(leased.job.campaignId, leased.job.runId);
            await sendJob(d, leased);
            logger.info('Send job done', { jobId: leased.job.id, recipients: leased.job.recipients.length, attempt: leased.job.attempt });
          } catch (error) {
            logger.error('Send job failed; SQS will deliver it again', { messageId: record.messageId, error: error as Error });
            failures.push({ itemIdentifier: record.messageId });
          }
        }
      } finally {
        d.metrics.flush();
      }
      return { batchItemFailures: failures };
    }),
  );
}

export const handler = makeSenderLambda(awsDeps);
