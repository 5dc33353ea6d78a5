/**
 * The target of the campaigns' EventBridge schedules. Scheduler invokes it with the schedule's Input,
 * `{"campaignId": "..."}` (other fields are ignored). If the campaign is due, the run is launched and
 * its fan-out handed to the fan-out queue; a fire delivered twice starts one run and one fan-out. A
 * retried fire (the first attempt failed after launching) hands on a run whose fan-out never started.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { awsDeps, type AwsDeps } from './aws-deps.js';
import { launchDue } from './launch-due.js';
import { logger, withPowertools } from './powertools.js';

export const ScheduleFire = z.looseObject({ campaignId: z.string().min(1) });
export type ScheduleFire = z.infer<typeof ScheduleFire>;

export interface ScheduleTargetResult {
  /** Runs handed to the fan-out queue. */
  continued: string[];
}

export function makeScheduleTargetLambda(deps: () => AwsDeps) {
  return withPowertools(
    middy<unknown, ScheduleTargetResult, Error, Context>(async (event: unknown) => {
      const fire = ScheduleFire.safeParse(event);
      if (!fire.success) {
        logger.error('The schedule payload names no campaign', { issues: fire.error.issues.map((issue) => issue.message) });
        throw new Error('Invalid schedule payload: campaignId is required');
      }
      const d = deps();
      const runs = await launchDue(d, fire.data.campaignId, { recover: true });
      for (const run of runs) await d.fanOut.continueRun(run);
      return { continued: runs.map((run) => run.runId) };
    }),
  );
}

export const handler = makeScheduleTargetLambda(awsDeps);
