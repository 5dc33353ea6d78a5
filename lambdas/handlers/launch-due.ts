/**
 * Launching a campaign's run when its fire arrives on AWS: from the schedule target (EventBridge Scheduler)
 * or from a `launch` message of the fan-out queue (a campaign without a schedule, due when approved).
 */
import { launchRun } from '../core/dispatch/dispatcher.js';
import { CampaignStatus, type Campaign, type CampaignRun } from '../core/model.js';
import type { AwsDeps } from './aws-deps.js';
import { correlateWithRun, logger } from './powertools.js';

/** A fire is due when the campaign's next fire is at most this far ahead (Scheduler has minute precision). */
export const DUE_WITHIN_MS = 60_000;
/**
 * A run left without its fan-out (a crash or a failed SendMessage between launching it and handing it
 * on) is picked up by a retried fire once it is this old. A duplicate delivery of the same fire comes
 * within seconds, while the first fan-out is still taking its first slice: it must not start a second one.
 */
export const ORPHANED_RUN_AFTER_MS = 30_000;

export function isDue(campaign: Campaign, now: Date): boolean {
  return campaign.nextFireAt !== undefined && Date.parse(campaign.nextFireAt) <= now.getTime() + DUE_WITHIN_MS;
}

/**
 * Starts the run of a due fire and returns the runs whose fan-out this caller must start: the new run,
 * or, when nothing was launched and `recover` is set (a retried delivery), runs of the campaign whose
 * fan-out never took its first slice. A fire delivered twice starts one run (launchRun writes the run
 * once and moves the campaign on with a revision check).
 */
export async function launchDue(deps: AwsDeps, campaignId: string, options: { recover: boolean }): Promise<CampaignRun[]> {
  correlateWithRun(campaignId);
  const campaign = await deps.campaigns.getCampaign(campaignId);
  if (!campaign) {
    logger.warn('No such campaign: nothing to launch (its schedule outlived it)');
    return [];
  }
  const now = deps.clock.now();
  if (isDue(campaign, now)) {
    const run = await launchRun(deps, campaign);
    if (run) {
      correlateWithRun(run.campaignId, run.runId);
      logger.info('Run launched', { firedAt: run.firedAt, test: run.test });
      return [run];
    }
  }
  if (!options.recover || campaign.status !== CampaignStatus.sending) {
    logger.info('Nothing to launch', { status: campaign.status, nextFireAt: campaign.nextFireAt });
    return [];
  }
  const orphans = (await deps.campaigns.listUnfinishedRuns()).filter(
    (run) =>
      run.campaignId === campaignId &&
      !run.fanOutDone &&
      run.cursor === undefined &&
      now.getTime() - Date.parse(run.firedAt) >= ORPHANED_RUN_AFTER_MS,
  );
  for (const run of orphans) logger.warn('Resuming the fan-out of a run launched by an earlier attempt', { runId: run.runId });
  return orphans;
}
