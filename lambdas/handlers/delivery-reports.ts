/**
 * The delivery-report ingester: SNS writes the delivery status of every SMS to CloudWatch Logs, and a
 * subscription filter hands the lines to this Lambda (gzipped, base64). The lines become DeliveryReports
 * (lambdas/adapters/sns/delivery-status-logs.ts) recorded in one store call per invocation, which moves
 * receipts from submitted to delivered or failed. Nothing is dropped silently: a line that is not a
 * delivery status is logged (phone numbers masked) and counted.
 *
 * The delivery-status log groups are the account's, shared by every stage in it: a report matching no
 * receipt of this stage is another stage's (or another application's), so it is not kept, only counted
 * (`deliveryReportsOtherStage`).
 *
 * Metrics: `delivered` and `failed` count the reports as SNS gave them, by gateway and by the carrier
 * whose network SNS reports (a report SNS repeats counts again, as does another stage's),
 * `deliveryReportsOtherStage` those that matched no receipt of this stage, `deliveryReportsRejected` the
 * lines that were not delivery statuses.
 */
import middy from '@middy/core';
import type { CloudWatchLogsEvent, Context } from 'aws-lambda';
import { deliveryReportsFromLogsEvent } from '../adapters/sns/delivery-status-logs.js';
import { MetricName } from '../core/ports.js';
import { awsDeps, type AwsDeps } from './aws-deps.js';
import { logger, withPowertools } from './powertools.js';

export interface DeliveryReportsResult {
  reports: number;
  applied: number;
  unmatched: number;
  rejected: number;
}

export function makeDeliveryReportsLambda(deps: () => AwsDeps) {
  return withPowertools(
    middy<CloudWatchLogsEvent, DeliveryReportsResult, Error, Context>(async (event: CloudWatchLogsEvent) => {
      const d = deps();
      try {
        const { reports, rejected } = deliveryReportsFromLogsEvent(event);
        for (const line of rejected) logger.warn('Delivery status line rejected', { ...line });
        d.metrics.add('deliveryReportsRejected', rejected.length);
        if (reports.length === 0) return { reports: 0, applied: 0, unmatched: 0, rejected: rejected.length };

        const { applied, unmatched } = await d.receipts.recordDeliveryReports(reports, { keepUnmatched: false });
        for (const report of reports) {
          d.metrics.count(report.status === 'delivered' ? MetricName.delivered : MetricName.failed, 1, {
            gateway: report.gatewayId,
            carrier: report.carrier ?? 'unknown',
          });
        }
        d.metrics.add('deliveryReportsOtherStage', unmatched);
        if (unmatched > 0) logger.info('Delivery reports of another stage (matching no receipt of this one) ignored', { unmatched });
        logger.info('Delivery reports recorded', { reports: reports.length, applied, unmatched, rejected: rejected.length });
        return { reports: reports.length, applied, unmatched, rejected: rejected.length };
      } finally {
        d.metrics.flush();
      }
    }),
  );
}

export const handler = makeDeliveryReportsLambda(awsDeps);
