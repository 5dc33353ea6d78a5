/**
 * The target of the campaigns' and tours' EventBridge schedules. Scheduler invokes it with the schedule's
 * Input, `{"campaignId": "..."}` or `{"tourId": "..."}` (other fields are ignored).
 *
 * - A campaign's fire: if the campaign is due, the run is launched and its fan-out handed to the fan-out
 *   queue; a fire delivered twice starts one run and one fan-out. A retried fire (the first attempt failed
 *   after launching) hands on a run whose fan-out never started.
 * - A tour's start: its crew is dispatched (dispatchTour writes the run and the crew's SMS campaign once),
 *   without EventBridge Scheduler (see tourStartDeps).
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { Deps } from '../core/deps.js';
import { storesIn, type Scheduler } from '../core/ports.js';
import { dispatchTour } from '../core/tours/tour-use-cases.js';
import { awsDeps, type AwsDeps } from './aws-deps.js';
import { launchDue } from './launch-due.js';
import { logger, withPowertools } from './powertools.js';

export const ScheduleFire = z.looseObject({ campaignId: z.string().min(1) });
export type ScheduleFire = z.infer<typeof ScheduleFire>;
const TourStart = z.looseObject({ tourId: z.string().min(1) });

export interface ScheduleTargetResult {
  /** Runs handed to the fan-out queue. */
  continued: string[];
  /** The tour run dispatched, for a tour's start. */
  dispatched?: string;
}

export function makeScheduleTargetLambda(deps: () => AwsDeps) {
  return withPowertools(
    middy<unknown, ScheduleTargetResult, Error, Context>(async (event: unknown) => {
      const start = TourStart.safeParse(event);
      if (start.success) {
        const run = await dispatchTour(tourStartDeps(deps()), start.data.tourId);
        return { continued: [], ...(run && { dispatched: run.runId }) };
      }
      const fire = ScheduleFire.safeParse(event);
      if (!fire.success) {
        logger.error('The schedule payload names no campaign or tour', { issues: fire.error.issues.map((issue) => issue.message) });
        throw new Error('Invalid schedule payload: campaignId or tourId is required');
      }
      const d = deps();
      const runs = await launchDue(d, fire.data.campaignId, { recover: true });
      for (const run of runs) await d.fanOut.continueRun(run);
      return { continued: runs.map((run) => run.runId) };
    }),
  );
}

/**
 * The deps of a tour's start. The stack gives the schedule target no scheduler settings or permissions
 * (it is the schedules' target, not their keeper), and a start needs none: the crew lead's campaign has
 * no schedule and is launched through the fan-out queue (as the API's scheduler does a campaign sent
 * now), and a recurring tour's next start needs no re-arming, its EventBridge schedule (cron, or rate on
 * the grid the core computes) firing it by itself.
 */
function tourStartDeps(d: AwsDeps): Deps {
  const notHere = (what: string) => async () => {
    throw new Error(`A tour's start cannot ${what} from the schedule target`);
  };
  const scheduler: Scheduler = {
    campaignScheduled: async (campaign) => {
      if (campaign.schedule) return notHere('schedule a campaign')();
      await d.fanOut.launch(campaign.id);
    },
    campaignUnscheduled: notHere('unschedule a campaign'),
    tourScheduled: async () => {},
    tourUnscheduled: notHere('unschedule a tour'),
  };
  return {
    ...storesIn(d),
    clock: d.clock,
    config: d.config,
    pseudonymizer: d.pseudonymizer,
    scheduler,
    get queue() {
      return d.queue;
    },
  };
}

export const handler = makeScheduleTargetLambda(awsDeps);
