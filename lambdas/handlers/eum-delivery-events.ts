/**
 * The End User Messaging delivery-event ingester: the stage's configuration set publishes each SMS's final
 * event to its SNS topic, the topic hands it to the delivery-event queue (raw delivery) and this Lambda reads
 * the queue in batches. The events become DeliveryReports naming their receipt (adapters/eum/delivery-events.ts)
 * recorded in one store call per batch; a failure of that call fails the batch, which SQS delivers again
 * (recording a report twice changes nothing: a final receipt ignores it) and, after its receives, moves to
 * the dead-letter queue.
 *
 * The configuration set is the stage's own, so every event is this stage's: a report matching no receipt
 * is kept and counted (a message sent by an embedded runtime through this stage's configuration set).
 * Nothing is dropped silently: an event that is not an SMS event is logged (numbers masked) and counted.
 *
 * Metrics: `delivered` and `failed` by gateway and carrier, `deliveryReportsUnmatched`,
 * `deliveryEventsRejected`, and `deliveryEventsSkipped` (not final: never subscribed, counted if one comes).
 */
import middy from '@middy/core';
import type { Context, SQSEvent } from 'aws-lambda';
import { parseDeliveryEvent } from '../adapters/eum/delivery-events.js';
import { MetricName, type DeliveryReport } from '../core/ports.js';
import { awsDeps, type AwsDeps } from './aws-deps.js';
import { logger, withPowertools } from './powertools.js';

/** The gateway of an event whose context names none. */
export const EUM_FALLBACK_GATEWAY_ID = 'eum';

export interface EumDeliveryEventsResult {
  reports: number;
  applied: number;
  unmatched: number;
  skipped: number;
  rejected: number;
}

export function makeEumDeliveryEventsLambda(deps: () => AwsDeps) {
  return withPowertools(
    middy<SQSEvent, EumDeliveryEventsResult, Error, Context>(async (event: SQSEvent) => {
      const d = deps();
      try {
        const reports: DeliveryReport[] = [];
        let skipped = 0;
        let rejected = 0;
        for (const record of event.Records) {
          const parsed = parseDeliveryEvent(record.body, EUM_FALLBACK_GATEWAY_ID);
          if ('report' in parsed) reports.push(parsed.report);
          else if ('skipped' in parsed) skipped++;
          else {
            rejected++;
            logger.warn('Delivery event rejected', { sqsMessageId: record.messageId, reason: parsed.rejected });
          }
        }
        d.metrics.add('deliveryEventsRejected', rejected);
        d.metrics.add('deliveryEventsSkipped', skipped);
        if (reports.length === 0) return { reports: 0, applied: 0, unmatched: 0, skipped, rejected };

        const { applied, unmatched } = await d.receipts.recordDeliveryReports(reports);
        for (const report of reports) {
          d.metrics.count(report.status === 'delivered' ? MetricName.delivered : MetricName.failed, 1, {
            gateway: report.gatewayId,
            carrier: report.carrier ?? 'unknown',
          });
        }
        d.metrics.add('deliveryReportsUnmatched', unmatched);
        if (unmatched > 0) logger.warn('Delivery reports matching no receipt (kept)', { unmatched });
        logger.info('Delivery events recorded', { reports: reports.length, applied, unmatched, skipped, rejected });
        return { reports: reports.length, applied, unmatched, skipped, rejected };
      } finally {
        d.metrics.flush();
      }
    }),
  );
}

export const handler = makeEumDeliveryEventsLambda(awsDeps);
