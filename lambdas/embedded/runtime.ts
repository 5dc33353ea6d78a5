import { SqliteQueue } from '../adapters/sqlite/sqlite-queue.js';
import { openSqliteStores } from '../adapters/sqlite/sqlite-stores.js';
import type { Deps } from '../core/deps.js';
import { finishRuns, fanOutSlice, launchRun, sendJob, type DispatchDeps } from '../core/dispatch/dispatcher.js';
import { storesIn, type Clock, type LeasedJob } from '../core/ports.js';
import { expireOverdueReceipts } from '../core/receipts/expire-receipts.js';
import { dispatchTour, markMissedTourRuns } from '../core/tours/tour-use-cases.js';
import { createApiHandler } from '../http/api-handler.js';
import { ROUTES } from '../http/routes.js';
import { consoleFiles } from './console-files.js';
import { ownerOnlyDatabase } from './data-dir.js';
import { DeliveryReportBuffer } from './delivery-report-buffer.js';
import { EmbeddedImports } from './embedded-imports.js';
import { startGateways } from './gateways.js';
import { startHttpServer } from './http-server.js';
import { log } from './log.js';
import { forgetPastRetention } from './retention.js';
import { loadOrCreatePseudonymizer } from './pseudonym-key.js';
import type { RuntimeSettings } from './settings.js';
import { openStaffAuth } from './staff/staff-auth.js';
import type { StaffAccounts } from './staff/staff-accounts.js';
import { loadOrCreateSigningKey } from './tokens.js';
import { workerLoop } from './worker-loop.js';

const systemClock: Clock = { now: () => new Date() };
const JOB_LEASE_MS = 5 * 60_000;
const SENDERS = 4;
/** Retention is in days and hours: looking once an hour is enough. */
const RETENTION_EVERY_MS = 3_600_000;

export interface Runtime {
  url: string;
  deps: Deps;
  /** The staff accounts that sign in to the console. */
  staff: StaffAccounts;
  stop(): Promise<void>;
}

/**
 * Everything in one process: the API, the SQLite store and queue, the scheduler, the dispatcher and the
 * gateways (by default an SMPP bind to the built-in SMSC simulator). Unfinished runs and queued jobs in
 * the data folder are picked up at start, so a restart after a crash resumes every campaign.
 */
export async function startRuntime(settings: RuntimeSettings, clock: Clock = systemClock): Promise<Runtime> {
  const store = openSqliteStores(ownerOnlyDatabase(settings.dataDir, 'loa.db'));
  const queue = SqliteQueue.open(ownerOnlyDatabase(settings.dataDir, 'queue.db'), clock);
  queue.releaseAllLeases();

  const reports = new DeliveryReportBuffer(store.receipts);
  const gateways = await startGateways(settings.gateways, settings.simulator, clock, reports.add);

  const wakeLauncher = async () => launcher.wake();
  const scheduler = {
    campaignScheduled: wakeLauncher,
    campaignUnscheduled: async () => {},
    tourScheduled: wakeLauncher,
    tourUnscheduled: async () => {},
  };
  const imports = new EmbeddedImports(settings.dataDir, () => deps.config.publicUrl);
  const deps: DispatchDeps = {
    ...storesIn(store),
    queue,
    scheduler,
    clock,
    config: { ...settings.config, sendingRoutes: gateways.sendingRoutes },
    pseudonymizer: await loadOrCreatePseudonymizer(settings.dataDir),
    gateways: gateways.router,
    gatewayStatus: async () => gateways.router.status(),
    deliveryReportWebhooks: gateways.webhooks,
    importUploads: imports,
  };
  const onError = (what: string) => (error: unknown) => log.error(`${what} failed`, error);

  const launcher = workerLoop(
    async () => {
      const now = clock.now().toISOString();
      const due = await store.campaigns.campaignsDue(now, 10);
      for (const campaign of due) if (await launchRun(deps, campaign)) fanOut.wake();
      const tours = await store.tours.toursDue(now, 10);
      for (const tour of tours) await dispatchTour(deps, tour.id);
      return due.length + tours.length > 0;
    },
    500,
    onError('launching runs'),
  );
  const fanOut = workerLoop(
    async () => {
      let worked = false;
      for (const run of await store.campaigns.listUnfinishedRuns()) {
        if (run.fanOutDone || !(await fanOutSlice(deps, run))) continue;
        worked = true;
        sender.wake();
      }
      return worked;
    },
    200,
    onError('fan-out'),
  );
  const inFlight = new Set<Promise<void>>();
  const sender = workerLoop(
    async () => {
      if (inFlight.size >= SENDERS) {
        await Promise.race(inFlight);
        return true;
      }
      const jobs: LeasedJob[] = await queue.take(SENDERS - inFlight.size, JOB_LEASE_MS);
      for (const leased of jobs) {
        const sending = sendJob(deps, leased).catch(onError(`sending job ${leased.job.id}`));
        inFlight.add(sending);
        void sending.finally(() => inFlight.delete(sending));
      }
      return jobs.length > 0;
    },
    50,
    onError('sending'),
  );
  const reporter = workerLoop(() => reports.flush(), 50, onError('recording delivery reports'));
  const finisher = workerLoop(async () => (await finishRuns(deps)).length > 0, 500, onError('finishing runs'));
  const janitor = workerLoop(
    async () => (await expireOverdueReceipts(deps)) + (await markMissedTourRuns(deps)) > 0,
    60_000,
    onError('expiring receipts and missed tours'),
  );
  imports.start(deps, onError('importing subscribers'));
  const forgetter = workerLoop(() => forgetPastRetention(store, deps), RETENTION_EVERY_MS, onError('forgetting data past retention'));

  const signingKey = await loadOrCreateSigningKey(settings.dataDir);
  const staff = openStaffAuth(settings.dataDir, deps, { alwaysHttps: settings.secureCookies ?? false });
  const server = await startHttpServer({
    handler: createApiHandler(deps, { routes: [...ROUTES, ...staff.routes] }),
    host: settings.host,
    port: settings.port,
    signingKey,
    sessions: staff.cookieSessions,
    revokedTokens: staff.tokens,
    console: consoleFiles({ timezone: settings.config.timezone }),
  });
  // Without LOA_PUBLIC_URL, links point at this machine, on the port the server got (PORT=0 picks one).
  deps.config.publicUrl ??= `http://127.0.0.1:${new URL(server.url).port}`;

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await server.close();
      await Promise.all([launcher.stop(), fanOut.stop(), sender.stop(), imports.stop()]);
      await Promise.all(inFlight);
      await gateways.close();
      await Promise.all([reporter.stop(), finisher.stop(), janitor.stop(), forgetter.stop()]);
      await reports.flush();
      queue.close();
      store.close();
      staff.close();
    })());
  return { url: server.url, deps, staff: staff.accounts, stop };
}
