/**
 * The Powertools instances of a Lambda container and the middy middlewares every Loa handler wears:
 * X-Ray tracing (captureLambdaHandler), structured JSON logs with the Lambda context (injectLambdaContext)
 * and CloudWatch embedded-metric-format flushing (logMetrics). Service name, metrics namespace and log
 * level come from POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE and LOG_LEVEL. Outside Lambda the
 * tracer is off by itself, so tests and the bench run the same code.
 *
 * Phone numbers never reach a log line: every string value is masked on its way out (the logger's JSON
 * replacer), whatever a handler, a use case or an error message put in it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { maskPhoneNumbers } from '../http/api-log.js';

/** Masks phone numbers in every string of a log line (the message, keys added, error texts and stacks). */
export function maskingReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? maskPhoneNumbers(value) : value;
}

export const logger = new Logger({ jsonReplacerFn: maskingReplacer });
export const tracer = new Tracer();

/**
 * Where Powertools Metrics writes its own remarks: our logger, except that "no application metrics to
 * publish" (every invocation that counted nothing, e.g. most API calls) is only a debug line.
 */
export const metricsLog = {
  debug: (...content: unknown[]) => logger.debug(content.map(String).join(' ')),
  info: (...content: unknown[]) => logger.info(content.map(String).join(' ')),
  warn: (...content: unknown[]) => {
    const text = content.map(String).join(' ');
    if (text.startsWith('No application metrics to publish')) logger.debug(text);
    else logger.warn(text);
  },
  error: (...content: unknown[]) => logger.error(content.map(String).join(' ')),
};

export const metrics = new Metrics({ logger: metricsLog });

/**
 * Wraps a middy handler in the Powertools middlewares. Keys a handler appends to the logger (the
 * campaign run it works on) are reset at the start of each invocation.
 */
export function withPowertools<TEvent, TResult>(
  handler: MiddyfiedHandler<TEvent, TResult, Error, Context>,
): MiddyfiedHandler<TEvent, TResult, Error, Context> {
  return (
    handler
      // Responses are not put on the traces: the API's hold phone numbers (subscribers, receipts).
      .use(captureLambdaHandler(tracer, { captureResponse: false }))
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(logMetrics(metrics, { captureColdStartMetric: true }))
  );
}

/** Names the campaign run a log line is about: the correlation id of every line until the next call. */
export function correlateWithRun(campaignId: string, runId?: string): void {
  logger.setCorrelationId(runId ? `${campaignId}/${runId}` : campaignId);
  logger.appendKeys({ campaignId, ...(runId && { runId }) });
}
