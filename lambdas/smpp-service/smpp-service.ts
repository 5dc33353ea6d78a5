/**
 * The SMPP sender on ECS Fargate: a long-lived process that keeps its SMPP binds open, takes the send
 * jobs of the SMPP send queue and sends each with the core's sendJob (as the sender Lambda does for the
 * other gateways), records the delivery receipts that come back on the binds in batches, and posts its
 * gateways' health to the board every 15 s.
 *
 * Receiving: at most `jobsInFlight` jobs at once, each received with a lease (its message's visibility
 * timeout) that is extended while the job is sent, so a job is never sent by two tasks while one is alive,
 * and comes back within one lease after a task dies.
 *
 * Stopping (ECS sends SIGTERM, then SIGKILL after the container's stopTimeout): no more receiving; a
 * job received after that is given back untouched (visibility 0); a job being sent stops at the end of
 * its current submit batch and hands the rest back (the dispatcher's shouldStop: queue.reschedule with
 * delay 0); then the binds close, after the submits in flight are answered; then the delivery receipts
 * gathered are recorded. Nothing is lost: every recipient is recorded as submitted or failed, or is in a
 * job on the queue. What can be sent twice is what a crash (not a stop) leaves unrecorded: at most the
 * submit batch in progress, as for the Lambda sender.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SqsQueue } from '../adapters/sqs/sqs-queue.js';
import type { LoaConfig } from '../core/config.js';
import { sendJob, type DispatchDeps } from '../core/dispatch/dispatcher.js';
import type { GatewayBoard } from '../core/gateways/gateway-board.js';
import type { Clock, DeliveryReportSink, LeasedJob, Metrics, Scheduler, Stores } from '../core/ports.js';
import { lazyPseudonymizer } from '../core/privacy/pseudonym.js';
import { DeliveryReportBuffer } from '../embedded/delivery-report-buffer.js';
import { workerLoop } from '../embedded/worker-loop.js';
import type { Log } from './log.js';
import { SendQueuePoller } from './send-queue-poller.js';
import type { SmppHost } from './smpp-host.js';

export interface SmppServiceTiming {
  /** Jobs sent at once; they share each gateway's rate and submit window. */
  jobsInFlight: number;
  /** How long a received job stays invisible to other tasks; extended every half of it while the job is sent. */
  leaseMs: number;
  /** Long poll of ReceiveMessage, in seconds (SQS allows 0 to 20). */
  pollSeconds: number;
  /** How often the gateways' health is posted to the board (GET /v1/gateways). */
  reportEveryMs: number;
  /** How often the delivery receipts gathered are recorded. */
  recordReportsEveryMs: number;
  /** The wait after a failed ReceiveMessage before the next. */
  receiveRetryMs: number;
}

export const DEFAULT_TIMING: SmppServiceTiming = {
  jobsInFlight: 4,
  leaseMs: 5 * 60_000,
  pollSeconds: 20,
  reportEveryMs: 15_000,
  recordReportsEveryMs: 250,
  receiveRetryMs: 5_000,
};

/** Attempts at recording the last delivery receipts while stopping, a second apart. */
const LAST_RECORD_ATTEMPTS = 5;

/** Metrics that are summed in memory and written now and then (CloudWatchMetrics). */
export interface FlushedMetrics extends Metrics {
  flush(): void;
}

export interface SmppServiceDeps {
  stores: Stores;
  sqs: SQSClient;
  /** SMPP_SEND_QUEUE_URL. */
  queueUrl: string;
  gatewayBoard: GatewayBoard;
  /** Binds the gateways, their delivery receipts going to `onReport`; rejects when a bind fails. */
  startGateways(onReport: DeliveryReportSink): Promise<SmppHost>;
  config: LoaConfig;
  clock: Clock;
  log: Log;
  /** This task's name on the gateway board. */
  sender: string;
  metrics?: FlushedMetrics;
  random?: () => number;
  timing?: Partial<SmppServiceTiming>;
}

export interface SmppService {
  /** Drains as described above and resolves when everything is recorded and the binds are closed. */
  stop(): Promise<void>;
}

/** The SMPP service sends through its gateways only: nothing it does schedules or pseudonymizes. */
const NO_SCHEDULER: Scheduler = {
  campaignScheduled: unused('the scheduler'),
  campaignUnscheduled: unused('the scheduler'),
  tourScheduled: unused('the scheduler'),
  tourUnscheduled: unused('the scheduler'),
};

export async function startSmppService(deps: SmppServiceDeps): Promise<SmppService> {
  const timing = { ...DEFAULT_TIMING, ...deps.timing };
  const { log, clock } = deps;
  const reports = new DeliveryReportBuffer(deps.stores.receipts);
  const host = await deps.startGateways(reports.add);
  const poller = new SendQueuePoller(deps.sqs, deps.queueUrl, timing.pollSeconds);
  let stopping = false;
  const dispatch: DispatchDeps & { shouldStop: () => boolean } = {
    ...deps.stores,
    queue: new SqsQueue(deps.sqs, deps.queueUrl),
    scheduler: NO_SCHEDULER,
    clock,
    config: deps.config,
    pseudonymizer: lazyPseudonymizer(unused('the pseudonym key')),
    gateways: host.router,
    ...(deps.metrics && { metrics: deps.metrics }),
    ...(deps.random && { random: deps.random }),
    shouldStop: () => stopping,
  };

  const inFlight = new Set<Promise<void>>();
  const send = (leased: LeasedJob): void => {
    const { job } = leased;
    const fields = { jobId: job.id, campaignId: job.campaignId, runId: job.runId, recipients: job.recipients.length, attempt: job.attempt };
    const heartbeat = setInterval(() => {
      poller
        .extend(leased, timing.leaseMs)
        .catch((error: unknown) => log.warn('Could not extend the lease of a job', { ...fields, error }));
    }, timing.leaseMs / 2);
    const sending = sendJob(dispatch, leased)
      .then(() => log.info(stopping ? 'Send job stopped or done while stopping' : 'Send job done', fields))
      // The message comes back after its lease and is sent again (only what is still queued goes out).
      .catch((error: unknown) => log.error('Send job failed; it comes back after its lease', { ...fields, error }))
      .finally(() => {
        clearInterval(heartbeat);
        inFlight.delete(sending);
        deps.metrics?.flush();
      });
    inFlight.add(sending);
  };

  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const receiving = (async () => {
    while (!stopping) {
      if (inFlight.size >= timing.jobsInFlight) {
        await Promise.race(inFlight);
        continue;
      }
      let received: Awaited<ReturnType<SendQueuePoller['receive']>>;
      try {
        received = await poller.receive(timing.jobsInFlight - inFlight.size, timing.leaseMs);
      } catch (error) {
        log.error('Could not receive from the SMPP send queue', { error });
        await sleep(timing.receiveRetryMs);
        continue;
      }
      for (const { messageId, reason } of received.refused) {
        log.error('Not a send job; SQS will deliver it again until the dead-letter queue takes it', { messageId, reason });
      }
      for (const leased of received.jobs) {
        if (!stopping) {
          send(leased);
          continue;
        }
        await poller
          .release(leased)
          .then(() => log.info('Gave back a job received while stopping', { jobId: leased.job.id }))
          .catch((error: unknown) => log.warn('Could not give back a job; it comes back after its lease', { jobId: leased.job.id, error }));
      }
    }
  })();

  const recorder = workerLoop(
    () => reports.flush(),
    timing.recordReportsEveryMs,
    (error) => log.error('Could not record delivery reports; trying again', { error }),
  );
  // One post at a time, so the last one, made while stopping, is the one the board keeps.
  let posting = Promise.resolve();
  const postHealth = () => {
    posting = posting.then(async () => {
      try {
        await deps.gatewayBoard.post({ sender: deps.sender, at: clock.now().toISOString(), gateways: host.router.status() });
      } catch (error) {
        log.warn('Could not post the gateways health', { error });
      }
      deps.metrics?.flush();
    });
    return posting;
  };
  await postHealth();
  const reporter = setInterval(() => void postHealth(), timing.reportEveryMs);
  log.info('SMPP service started', { sender: deps.sender, gateways: host.gatewayIds, jobsInFlight: timing.jobsInFlight });

  let stopped: Promise<void> | undefined;
  const stop = async () => {
    stopping = true;
    log.info('Stopping: no more jobs taken', { jobsInFlight: inFlight.size });
    await receiving;
    await Promise.all(inFlight);
    await host.close();
    await recorder.stop();
    await recordLast(reports, log, sleep);
    clearInterval(reporter);
    await postHealth();
    log.info('SMPP service stopped');
  };
  return { stop: () => (stopped ??= stop()) };
}

/** The receipts gathered until the binds closed; a failure is retried, and what is left is logged. */
async function recordLast(reports: DeliveryReportBuffer, log: Log, sleep: (ms: number) => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await reports.flush();
      return;
    } catch (error) {
      if (attempt >= LAST_RECORD_ATTEMPTS) {
        log.error('Could not record the last delivery reports; their receipts will expire', { error });
        return;
      }
      await sleep(1000);
    }
  }
}

function unused(what: string) {
  return async (): Promise<never> => {
    throw new Error(`the SMPP service does not use ${what}`);
  };
}
