/**
 * The embedded server with staff sign-in on loopback, as `loa serve` runs it: the core on SQLite and the
 * staff database in one data folder of its own, the session routes beside the API's.
 */
import type { Clock, Scheduler } from '../../lambdas/core/ports.js';
import { startHttpServer, type RunningHttpServer } from '../../lambdas/embedded/http-server.js';
import type { ScryptCost } from '../../lambdas/embedded/staff/password-hash.js';
import { openStaffAuth, type StaffAuth } from '../../lambdas/embedded/staff/staff-auth.js';
import { loadOrCreateSigningKey } from '../../lambdas/embedded/tokens.js';
import { createApiHandler } from '../../lambdas/http/api-handler.js';
import type { ApiLogEntry } from '../../lambdas/http/api-log.js';
import { ROUTES } from '../../lambdas/http/routes.js';
import { openSqliteDeps, type SqliteDeps } from '../sqlite-deps.js';
import { newTempFolder } from '../temp-folder.js';

export interface StaffServer {
  dataDir: string;
  sqlite: SqliteDeps;
  staff: StaffAuth;
  server: RunningHttpServer;
  close(): Promise<void>;
}

/** The real clock, the idle scheduler, scrypt's default cost and no request log unless told otherwise. */
export async function startStaffServer(
  options: { clock?: Clock; scheduler?: Scheduler; cost?: ScryptCost; log?: (entry: ApiLogEntry) => void } = {},
): Promise<StaffServer> {
  const dataDir = newTempFolder('loa-staff-');
  const sqlite = openSqliteDeps({
    folder: dataDir,
    ...(options.clock && { clock: options.clock }),
    ...(options.scheduler && { scheduler: options.scheduler }),
  });
  const staff = openStaffAuth(dataDir, sqlite.deps, { alwaysHttps: false, ...(options.cost && { cost: options.cost }) });
  const server = await startHttpServer({
    handler: createApiHandler(sqlite.deps, { routes: [...ROUTES, ...staff.routes], log: options.log ?? (() => {}) }),
    host: '127.0.0.1',
    port: 0,
    signingKey: await loadOrCreateSigningKey(dataDir),
    sessions: staff.cookieSessions,
  });
  return {
    dataDir,
    sqlite,
    staff,
    server,
    close: async () => {
      await server.close();
      staff.close();
      sqlite.close();
    },
  };
}
