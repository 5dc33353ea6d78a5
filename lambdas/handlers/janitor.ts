/**
 * The janitor, run every minute by an EventBridge rule: expires receipts that got no delivery report
 * within the receipt timeout (72 h), then marks runs whose receipts have all left `queued` as done and
 * moves their campaigns on (to the next fire, or completed), and marks tour runs nobody confirmed in
 * time as missed. Once an hour (in the first minute of the hour) it pseudonymizes the receipts past the
 * retention period, so that numbers go on time; DynamoDB's TTL then deletes those receipts (the retention
 * period after their last change, days late at times), as it does idempotency records, matched message
 * ids and daily slots.
 */
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { finishRuns } from '../core/dispatch/dispatcher.js';
import { MetricName } from '../core/ports.js';
import { pseudonymizeReceiptsPastRetention } from '../core/privacy/retention.js';
import { expireOverdueReceipts } from '../core/receipts/expire-receipts.js';
import { markMissedTourRuns } from '../core/tours/tour-use-cases.js';
import { awsDeps, type AwsDeps } from './aws-deps.js';
import { logger, withPowertools } from './powertools.js';

/** Time kept back for finishing runs and flushing metrics after expiring. */
const TIME_LEFT_TO_STOP_MS = 20_000;
/** Retention is in days: looking for old receipts once an hour is enough (it reads every old run's index). */
const RETENTION_MINUTE = 0;

export interface JanitorResult {
  expired: number;
  finishedRuns: { campaignId: string; runId: string }[];
  missedTourRuns: number;
  /** Receipts past the retention period now under a pseudonym. */
  pseudonymized: number;
}

export function makeJanitorLambda(deps: () => AwsDeps) {
  return withPowertools(
    middy<ScheduledEvent | Record<string, never>, JanitorResult, Error, Context>(async (_event: unknown, context: Context) => {
      const d = deps();
      try {
        const expired = await expireOverdueReceipts(d, () => context.getRemainingTimeInMillis() > TIME_LEFT_TO_STOP_MS);
        d.metrics.count(MetricName.expired, expired, {});
        if (expired > 0) logger.info('Receipts expired', { expired });
        const finished = await finishRuns(d);
        for (const run of finished) logger.info('Run finished', { campaignId: run.campaignId, runId: run.runId });
        const missedTourRuns = await markMissedTourRuns(d);
        if (missedTourRuns > 0) logger.warn('Tour runs missed: no crew confirmation in time', { missedTourRuns });
        const pseudonymized =
          d.clock.now().getUTCMinutes() === RETENTION_MINUTE
            ? await pseudonymizeReceiptsPastRetention(d, () => context.getRemainingTimeInMillis() > TIME_LEFT_TO_STOP_MS)
            : 0;
        if (pseudonymized > 0) logger.info('Receipts past retention pseudonymized', { pseudonymized });
        return { expired, finishedRuns: finished.map(({ campaignId, runId }) => ({ campaignId, runId })), missedTourRuns, pseudonymized };
      } finally {
        d.metrics.flush();
      }
    }),
  );
}

export const handler = makeJanitorLambda(awsDeps);
