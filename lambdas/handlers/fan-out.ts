/**
 * The fan-out Lambda, reading the fan-out queue (lambdas/handlers/fan-out-messages.ts):
 *
 *   launch    a campaign without a schedule was approved: launch its run now, then walk it
 *   continue  walk a run from its persisted cursor
 *
 * A walk calls the core's fanOutSlice (one slice of recipients: receipts, one send job, the cursor saved
 * last) while the invocation has time left (a safety margin plus the slowest slice seen) and at most
 * `maxSlices` slices, then hands the rest on as a new `continue` message. However large the segment, no
 * invocation runs out of time, and a crash repeats at most the slice it was in (its job id is the slice's
 * start, its receipts are written once).
 *
 * One walk per run: a `continue` carries the cursor the run had when it was sent (`from`). A first
 * delivery whose `from` is no longer the run's cursor is a stale duplicate (the run moved on) and is
 * dropped; a redelivery (ApproximateReceiveCount > 1: the invocation that had it failed) resumes from
 * the persisted cursor whatever it says. A paused campaign's walk is re-checked every minute.
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { fanOutSlice } from '../core/dispatch/dispatcher.js';
import { WAITING_CAMPAIGN_STATUSES } from '../core/campaigns/campaign-status.js';
import type { CampaignRun } from '../core/model.js';
import { awsDeps, type AwsDeps } from './aws-deps.js';
import { FanOutRecord } from './fan-out-messages.js';
import { launchDue } from './launch-due.js';
import { correlateWithRun, logger, withPowertools } from './powertools.js';
import { processRecordsInOrder } from './sqs-batch.js';

export interface FanOutOptions {
  /** Time kept free at the end of an invocation, on top of the slowest slice seen. */
  safetyMarginMs: number;
  /** Slices one invocation walks at most before handing on. */
  maxSlices: number;
  /** How often the walk of a paused (or not yet sending) campaign looks again. */
  recheckSeconds: number;
}

export const FAN_OUT_DEFAULTS: FanOutOptions = { safetyMarginMs: 30_000, maxSlices: 200, recheckSeconds: 60 };

interface Budget {
  context: Context;
  slices: number;
  slowestMs: number;
}

export function makeFanOutLambda(deps: () => AwsDeps, options: Partial<FanOutOptions> = {}) {
  const settings = { ...FAN_OUT_DEFAULTS, ...options };
  return withPowertools(
    middy<SQSEvent, SQSBatchResponse, Error, Context>(async (event: SQSEvent, context: Context) => {
      const d = deps();
      const budget: Budget = { context, slices: 0, slowestMs: 0 };
      return processRecordsInOrder(event, context, {
        recordSchema: FanOutRecord,
        carries: 'Fan-out message',
        handle: (record) => handleRecord(d, record, budget, settings),
      });
    }),
  );
}

async function handleRecord(deps: AwsDeps, record: FanOutRecord, budget: Budget, options: FanOutOptions): Promise<void> {
  const message = record.body;
  const redelivered = Number(record.attributes.ApproximateReceiveCount) > 1;
  if (message.type === 'launch') {
    for (const run of await launchDue(deps, message.campaignId, { recover: redelivered })) {
      await walk(deps, run, budget, options);
    }
    return;
  }
  correlateWithRun(message.campaignId, message.runId);
  const run = await deps.campaigns.getRun(message.campaignId, message.runId);
  if (!run) {
    logger.warn('No such run: nothing to walk');
    return;
  }
  if (run.fanOutDone) return;
  if (!redelivered && message.from !== undefined && message.from !== (run.cursor ?? null)) {
    logger.warn('Dropped a stale continue: the run has moved on since it was sent');
    return;
  }
  await walk(deps, run, budget, options);
}

async function walk(deps: AwsDeps, start: CampaignRun, budget: Budget, options: FanOutOptions): Promise<void> {
  correlateWithRun(start.campaignId, start.runId);
  let run = start;
  let slices = 0;
  for (;;) {
    const timeLeft = budget.context.getRemainingTimeInMillis() - options.safetyMarginMs - budget.slowestMs;
    if (budget.slices >= options.maxSlices || timeLeft <= 0) {
      await deps.fanOut.continueRun(run);
      logger.info('Fan-out handed on', { slices, cursor: run.cursor });
      return;
    }
    const started = Date.now();
    const next = await fanOutSlice(deps, run);
    budget.slowestMs = Math.max(budget.slowestMs, Date.now() - started);
    if (!next) {
      const campaign = await deps.campaigns.getCampaign(run.campaignId);
      if (campaign && WAITING_CAMPAIGN_STATUSES.includes(campaign.status)) {
        await deps.fanOut.continueRun(run, options.recheckSeconds);
        logger.info('Fan-out waits for the campaign to send', { status: campaign.status, slices });
      } else {
        logger.warn('Fan-out stopped: the campaign cannot send', { status: campaign?.status });
      }
      return;
    }
    budget.slices++;
    slices++;
    run = next;
    if (run.fanOutDone) {
      logger.info('Fan-out done', { slices });
      return;
    }
  }
}

export const handler = makeFanOutLambda(awsDeps);
