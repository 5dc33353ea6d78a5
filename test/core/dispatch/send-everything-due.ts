import { fanOutSlice, finishRuns, launchRun, sendJob, type DispatchDeps } from '../../../lambdas/core/dispatch/dispatcher.js';

/** Drives every dispatch step, as the embedded runtime's loops do, until nothing is left to do now. */
export async function sendEverythingDue(deps: DispatchDeps): Promise<void> {
  const { campaigns, queue, clock } = deps;
  for (const campaign of await campaigns.campaignsDue(clock.now().toISOString(), 10)) await launchRun(deps, campaign);
  for (const run of await campaigns.listUnfinishedRuns()) {
    let current: typeof run | undefined = run;
    while (current && !current.fanOutDone) current = await fanOutSlice(deps, current);
  }
  for (let jobs = await queue.take(10, 60_000); jobs.length > 0; jobs = await queue.take(10, 60_000)) {
    for (const job of jobs) await sendJob(deps, job);
  }
  await finishRuns(deps);
}
