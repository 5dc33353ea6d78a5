/**
 * The whole dispatch of a campaign, in the order a message travels:
 *
 *   launchRun     a schedule fires: record the run, arm the next fire
 *   fanOutSlice   walk the segment from the saved cursor, create queued receipts, queue one send job
 *   sendJob       take a job, submit each still-queued message through its route's gateway at that
 *                 gateway's rate (failing over on a definite refusal), record the outcomes, retry
 *                 transient failures and throttled messages later with backoff
 *   finishRuns    a run whose receipts have all left `queued` is done; the campaign moves on
 *
 * Delivery reports then move receipts from submitted to delivered or failed (receipts/), and the
 * janitor expires those with no report (receipts/expire-receipts.ts). The embedded runtime calls these
 * from its loops; on AWS each is a Lambda. Every step is safe to repeat after a crash.
 */
import { audit, SYSTEM_ACTOR } from '../audit/audit.js';
import { canCampaign } from '../campaigns/campaign-status.js';
import { firstFire, requireCampaign } from '../campaigns/campaign-use-cases.js';
import { listedPhones, listedRecipients } from '../campaigns/listed-recipients.js';
import type { Deps } from '../deps.js';
import { ConflictError } from '../errors.js';
import { CampaignStatus, type Campaign, type CampaignRun, type Receipt } from '../model.js';
import type { LeasedJob, Metrics, Recipient, SendJob, SendOutcome, SubmitResult } from '../ports.js';
import { isRecurring, parseSchedule } from '../schedules/schedule-expression.js';
import { resolveFilter } from '../segments/segment-use-cases.js';
import type { GatewayRouter, RoutedGateway } from '../gateways/gateway-router.js';
import { retryDelayMs } from './backoff.js';
import { localTime } from '../time/local-time.js';
import { msUntilSendingAllowed } from './quiet-hours.js';

export interface DispatchDeps extends Deps {
  /** Which gateway each message goes through, each with its shared rate limiter. */
  gateways: GatewayRouter;
  metrics?: Metrics;
  /** Where the retries' jitter is drawn from (backoff.ts); Math.random unless a test fixes it. */
  random?: () => number;
  /**
   * Asked between submit batches: true when the sender must stop (a Lambda near its timeout). The rest of
   * the job is then handed back to the queue at once, and sendJob returns.
   */
  shouldStop?: () => boolean;
}

/** Starts the run for the fire at `campaign.nextFireAt` and arms the next fire of a recurring schedule. */
export async function launchRun(deps: Deps, campaign: Campaign): Promise<CampaignRun | undefined> {
  if (!campaign.nextFireAt || !canCampaign(campaign, 'launch')) return undefined;
  const firedAt = campaign.nextFireAt;
  const run: CampaignRun = {
    campaignId: campaign.id,
    runId: `run_${firedAt.replace(/[-:.]/g, '')}`,
    firedAt,
    test: campaign.test,
    fanOutDone: false,
    sendingDone: false,
  };
  await deps.campaigns.insertRun(run);
  const nextFire = followingFire(campaign, new Date(firedAt), deps.clock.now());
  try {
    await deps.campaigns.updateCampaign({
      ...campaign,
      status: CampaignStatus.sending,
      nextFireAt: nextFire?.toISOString(),
      runCount: campaign.runCount + 1,
      revision: campaign.revision + 1,
    });
  } catch (error) {
    if (error instanceof ConflictError) return undefined;
    throw error;
  }
  await audit(deps, SYSTEM_ACTOR, 'campaign.run_started', campaign.id, { runId: run.runId, firedAt });
  return run;
}

/**
 * Queues the next slice of a run. The receipts are written first, then the job (its id is the slice's
 * start, so a repeat queues nothing new), and the cursor is saved last: a crash anywhere repeats the
 * slice without sending anyone twice. Daily-cap slots are taken once per phone, day and run, so a
 * repeated slice gives its phones back the slots they already hold and takes none more. Returns the run as saved, or undefined when it cannot go on
 * now (paused, or not yet sending).
 */
export async function fanOutSlice(deps: Deps, run: CampaignRun): Promise<CampaignRun | undefined> {
  const campaign = await requireCampaign(deps, run.campaignId);
  if (campaign.status === CampaignStatus.cancelled) {
    const ended = { ...run, fanOutDone: true };
    await deps.campaigns.saveRun(ended);
    return ended;
  }
  if (campaign.status !== CampaignStatus.sending) return undefined;

  const { recipients, cursor } = await nextSlice(deps, campaign, run);
  const now = deps.clock.now().toISOString();
  await deps.receipts.insertReceipts(recipients.map((recipient) => queuedReceipt(run, recipient, now)));

  const capped = new Set<string>();
  if (campaign.priority === 'normal' && !run.test && recipients.length > 0) {
    const day = localTime(deps.clock.now(), deps.config.timezone).day;
    const phones = recipients.map((recipient) => recipient.phone);
    const allowed = await deps.receipts.takeDailySlots(run, phones, day, deps.config.dailyCap);
    for (const phone of phones) if (!allowed.has(phone)) capped.add(phone);
  }
  const toSend = recipients.filter((recipient) => !capped.has(recipient.phone));
  if (toSend.length > 0) {
    await deps.queue.enqueue([
      {
        id: `${run.campaignId}:${run.runId}:${run.cursor ?? 'start'}`,
        campaignId: run.campaignId,
        runId: run.runId,
        recipients: toSend,
        attempt: 0,
      },
    ]);
  }
  if (capped.size > 0) {
    const reason = `daily limit of ${deps.config.dailyCap} messages reached`;
    await deps.receipts.recordSendOutcomes([...capped].map((phone) => failure(run, phone, reason, 0, now)));
  }
  const progressed: CampaignRun = { ...run, cursor, fanOutDone: cursor === undefined };
  await deps.campaigns.saveRun(progressed);
  return progressed;
}

/**
 * Sends one job. Only messages whose receipt is still queued go out (a job delivered twice sends
 * nothing twice); cancel fails what is left, pause and quiet hours put the job back for later.
 * Outcomes are recorded every `submitBatchSize` messages, which bounds what a crash can send twice.
 */
export async function sendJob(deps: DispatchDeps, leased: LeasedJob): Promise<void> {
  const { job } = leased;
  let campaign = await requireCampaign(deps, job.campaignId);
  const now = deps.clock.now();

  if (campaign.status === CampaignStatus.cancelled) {
    const queued = await deps.receipts.queuedPhones(
      job.campaignId,
      job.runId,
      job.recipients.map((r) => r.phone),
    );
    await deps.receipts.recordSendOutcomes(
      [...queued].map((phone) => failure(job, phone, 'campaign cancelled', job.attempt, now.toISOString())),
    );
    return deps.queue.complete(leased);
  }
  if (campaign.status === CampaignStatus.paused) return deps.queue.reschedule(leased, job, deps.config.pausedRecheckMs);
  if (campaign.priority === 'normal') {
    const wait = msUntilSendingAllowed(now, deps.config.quietHours, deps.config.timezone);
    if (wait > 0) return deps.queue.reschedule(leased, job, wait);
  }

  const queued = await deps.receipts.queuedPhones(
    job.campaignId,
    job.runId,
    job.recipients.map((r) => r.phone),
  );
  const pending = job.recipients.filter((recipient) => queued.has(recipient.phone));
  const attempts = job.attempt + 1;
  const retry: Recipient[] = [];
  // A carrier asking us to slow down is pacing, not failing: throttled messages wait and take no attempt.
  const throttled: Recipient[] = [];
  for (let start = 0; start < pending.length; start += deps.config.submitBatchSize) {
    if (start > 0) campaign = await requireCampaign(deps, job.campaignId);
    if (campaign.status !== CampaignStatus.sending) {
      return deps.queue.reschedule(leased, { ...job, recipients: [...retry, ...throttled, ...pending.slice(start)] }, 0);
    }
    const end = start + deps.config.submitBatchSize;
    const { results, unsent, error } = await submitAll(deps, campaign, job, pending.slice(start, end));
    const at = deps.clock.now().toISOString();
    const outcomes: SendOutcome[] = [];
    for (const { recipient, gatewayId, result, dropsRepeats, reportsNameReceipt } of results) {
      const unrepeatable = isUnrepeatable(result, dropsRepeats);
      deps.metrics?.count(unrepeatable ? 'failed' : metricFor(result, attempts, deps.config.maxAttempts), 1, {
        gateway: gatewayId,
        carrier: recipient.carrier ?? 'unknown',
      });
      if (result.outcome === 'accepted') {
        outcomes.push({
          ...key(job, recipient.phone),
          status: 'submitted',
          gatewayId,
          gatewayMessageId: result.messageId,
          attempts,
          at,
          ...(reportsNameReceipt && { reportsNameReceipt }),
        });
      } else if (result.outcome === 'permanent') {
        outcomes.push({ ...failure(job, recipient.phone, result.reason, attempts, at), gatewayId });
      } else if (result.outcome === 'throttled') {
        throttled.push(recipient);
      } else if (unrepeatable) {
        const reason = `may have been sent and was not sent again (${gatewayId} does not drop repeats): ${result.reason}`;
        outcomes.push({ ...failure(job, recipient.phone, reason, attempts, at), gatewayId });
      } else if (attempts >= deps.config.maxAttempts) {
        outcomes.push({
          ...failure(job, recipient.phone, `gave up after ${attempts} attempts: ${result.reason}`, attempts, at),
          gatewayId,
        });
      } else {
        retry.push(result.outcome === 'transient' && result.uncertain ? { ...recipient, gatewayId } : recipient);
      }
    }
    await deps.receipts.recordSendOutcomes(outcomes);
    // What was submitted is recorded first: the job then comes back and sends only what is still queued.
    if (error !== undefined) throw error;
    if (unsent.length > 0) {
      return deps.queue.reschedule(leased, { ...job, recipients: [...retry, ...throttled, ...unsent, ...pending.slice(end)] }, 0);
    }
  }

  if (retry.length === 0 && throttled.length === 0) return deps.queue.complete(leased);
  const next: SendJob = { ...job, recipients: [...retry, ...throttled], attempt: retry.length > 0 ? attempts : job.attempt };
  return deps.queue.reschedule(leased, next, retryDelayMs(attempts, deps.config.retryBaseMs, { random: deps.random }));
}

/**
 * Marks runs whose fan-out is over and whose receipts have all left `queued` as done, and moves the
 * campaign on: to its next scheduled fire, or completed.
 */
export async function finishRuns(deps: Deps): Promise<CampaignRun[]> {
  const finished: CampaignRun[] = [];
  for (const run of await deps.campaigns.listUnfinishedRuns()) {
    if (!run.fanOutDone) continue;
    const counts = await deps.receipts.campaignCounts(run.campaignId, run.runId);
    if (counts.queued > 0) continue;
    await deps.campaigns.saveRun({ ...run, sendingDone: true });
    finished.push(run);
    const campaign = await requireCampaign(deps, run.campaignId);
    if (!canCampaign(campaign, 'finishRun')) continue;
    const status = campaign.nextFireAt ? CampaignStatus.scheduled : CampaignStatus.completed;
    await deps.campaigns.updateCampaign({ ...campaign, status, revision: campaign.revision + 1 });
    await audit(deps, SYSTEM_ACTOR, 'campaign.run_finished', campaign.id, { runId: run.runId, counts, status });
  }
  return finished;
}

/** An uncertain answer from a gateway that would send a repeat again: sending it again risks a double SMS. */
function isUnrepeatable(result: SubmitResult, dropsRepeats: boolean | undefined): boolean {
  return result.outcome === 'transient' && result.uncertain === true && dropsRepeats === false;
}

function metricFor(result: SubmitResult, attempts: number, maxAttempts: number) {
  if (result.outcome === 'accepted') return 'submitted';
  if (result.outcome === 'throttled') return 'throttles';
  return result.outcome === 'permanent' || attempts >= maxAttempts ? 'failed' : 'retries';
}

/**
 * Submits the recipients in order until one cannot be (no gateway, the rate limiter failed) or the sender
 * must stop (`shouldStop`, checked before each message: a sender's share of a slow gateway can make one
 * batch last minutes). Every submit started is awaited, so its answer is recorded; `unsent` are those
 * never handed to a gateway.
 */
async function submitAll(deps: DispatchDeps, campaign: Campaign, job: SendJob, recipients: Recipient[]) {
  const submissions: ReturnType<typeof submitWithFailover>[] = [];
  let stoppedAt = recipients.length;
  let error: unknown;
  for (const [index, recipient] of recipients.entries()) {
    if (deps.shouldStop?.()) {
      stoppedAt = index;
      break;
    }
    try {
      const routed = deps.gateways.pick(recipient);
      if (!routed) throw new Error(`no gateway for ${recipient.gatewayId ?? recipient.carrier ?? 'an unknown carrier'}`);
      if (routed.limiter) await routed.limiter.take(campaign.sms.parts);
      submissions.push(submitWithFailover(deps, campaign, job, recipient, routed));
    } catch (caught) {
      error = caught;
      stoppedAt = index;
      break;
    }
  }
  return { results: await Promise.all(submissions), unsent: recipients.slice(stoppedAt), error };
}

/**
 * Submits through the routed gateway and, when it definitely refused with a transient error, through
 * the next gateway of the route. An uncertain answer never fails over: that gateway may have the message.
 */
async function submitWithFailover(
  deps: DispatchDeps,
  campaign: Campaign,
  job: SendJob,
  recipient: Recipient,
  first: RoutedGateway,
): Promise<{
  recipient: Recipient;
  gatewayId: string;
  result: SubmitResult;
  dropsRepeats: boolean | undefined;
  reportsNameReceipt: boolean | undefined;
}> {
  const tried = new Set<string>();
  let routed: RoutedGateway | undefined = first;
  for (;;) {
    const { gateway } = routed;
    const result: SubmitResult = await gateway
      .submit({
        reference: `${job.campaignId}:${job.runId}:${recipient.phone}`,
        to: recipient.phone,
        text: campaign.text,
        encoding: campaign.sms.encoding,
        ...(recipient.carrier && { carrier: recipient.carrier }),
      })
      .catch((error: unknown) => ({ outcome: 'transient', reason: String(error), uncertain: true }));
    deps.gateways.record(gateway.id, result);
    tried.add(gateway.id);
    const answered = {
      recipient,
      gatewayId: gateway.id,
      result,
      dropsRepeats: gateway.dropsRepeats,
      reportsNameReceipt: gateway.reportsNameReceipt,
    };
    if (result.outcome !== 'transient' || result.uncertain) return answered;
    routed = deps.gateways.pick(recipient, tried);
    if (!routed) return answered;
    deps.gateways.failedOver(gateway.id, routed.gateway.id);
    // A rate limiter that fails leaves the first gateway's answer standing: the message is retried later.
    if (
      routed.limiter &&
      !(await routed.limiter.take(campaign.sms.parts).then(
        () => true,
        () => false,
      ))
    )
      return answered;
  }
}

async function nextSlice(deps: Deps, campaign: Campaign, run: CampaignRun) {
  const listed = listedPhones(campaign, deps.config.testNumbers);
  if (listed) return { recipients: await listedRecipients(deps, listed), cursor: undefined };
  const segment = await deps.audience.getSegment(campaign.segmentId);
  if (!segment) return { recipients: [], cursor: undefined };
  return deps.audience.nextRecipients(await resolveFilter(deps, segment.filter), run.cursor, deps.config.sliceSize);
}

function followingFire(campaign: Campaign, firedAt: Date, now: Date): Date | undefined {
  if (!campaign.schedule || !isRecurring(parseSchedule(campaign.schedule.expression, campaign.schedule.timezone))) {
    return undefined;
  }
  const after = new Date(Math.max(firedAt.getTime(), now.getTime()) + 1000);
  return firstFire(campaign.schedule, after, new Date(campaign.decidedAt ?? firedAt));
}

function queuedReceipt(run: CampaignRun, recipient: Recipient, now: string): Receipt {
  return {
    campaignId: run.campaignId,
    runId: run.runId,
    phone: recipient.phone,
    status: 'queued',
    test: run.test,
    attempts: 0,
    queuedAt: now,
    ...(recipient.carrier && { carrier: recipient.carrier }),
    ...(recipient.areaCode && { areaCode: recipient.areaCode }),
  };
}

function key(run: { campaignId: string; runId: string }, phone: string) {
  return { campaignId: run.campaignId, runId: run.runId, phone };
}

function failure(run: { campaignId: string; runId: string }, phone: string, error: string, attempts: number, at: string): SendOutcome {
  return { ...key(run, phone), status: 'failed', error, attempts, at };
}
